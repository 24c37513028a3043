import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {containerCandidates, findConfigFiles, parseQbittorrentConf, parseSeerrSettings, parseServarrConfig} from '../../source/discovery/config-files.js';
import type {Container} from '../../source/discovery/docker.js';
import {startQbittorrent} from '../lab/qbittorrent.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-config-files-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

describe("the services' own files", () => {
	it('reads a Sonarr config.xml: key, port, URL base without slashes, bind address, authentication', () => {
		const config = parseServarrConfig(`<Config>
  <BindAddress>*</BindAddress>
  <Port>8989</Port>
  <SslPort>9898</SslPort>
  <EnableSsl>False</EnableSsl>
  <UrlBase>/sonarr/</UrlBase>
  <ApiKey> 0123456789abcdef0123456789abcdef </ApiKey>
  <AuthenticationMethod>Forms</AuthenticationMethod>
  <AuthenticationRequired>DisabledForLocalAddresses</AuthenticationRequired>
  <InstanceName>Sonarr</InstanceName>
</Config>`);
		assert.equal(config.apiKey, '0123456789abcdef0123456789abcdef');
		assert.equal(config.port, 8989);
		assert.equal(config.urlBase, '/sonarr');
		assert.equal(config.bindAddress, '*');
		assert.equal(config.enableSsl, false);
		assert.equal(config.authenticationMethod, 'Forms');
		assert.equal(config.authenticationRequired, 'DisabledForLocalAddresses');
		assert.throws(() => parseServarrConfig('<settings/>'), /no <Config>/);
	});

	it('reads Jellyseerr settings.json main.apiKey and its Jellyfin address', () => {
		const settings = parseSeerrSettings(JSON.stringify({main: {apiKey: 'MTcwMDAwMDAwMDAwMDk=', applicationUrl: ''}, jellyfin: {ip: 'jellyfin', port: 8096, urlBase: '', useSsl: false}, public: {initialized: true}}));
		assert.equal(settings.apiKey, 'MTcwMDAwMDAwMDAwMDk=');
		assert.deepEqual(settings.jellyfin, {ip: 'jellyfin', port: 8096, urlBase: '', useSsl: false, apiKey: undefined});
		assert.equal(settings.initialized, true);
	});

	it('reads the qBittorrent.conf that the real qbittorrent-nox runs with (port, user, a stored password)', async () => {
		const qbt = await startQbittorrent({username: 'media'});
		try {
			const {readFileSync} = await import('node:fs');
			const conf = parseQbittorrentConf(readFileSync(qbt.configFile, 'utf8'));
			assert.equal(conf.port, qbt.port);
			assert.equal(conf.username, 'media');
			assert.equal(conf.hasPassword, true);
			assert.equal(conf.address, '127.0.0.1');
		} finally {
			await qbt.stop();
		}
	});

	it('reads the linuxserver default qBittorrent.conf (legacy Downloads keys, no password: the temporary one)', () => {
		const conf = parseQbittorrentConf('[LegalNotice]\nAccepted=true\n\n[Preferences]\nWebUI\\Address=*\nWebUI\\ServerDomains=*\nDownloads\\SavePath=/downloads/\nDownloads\\TempPath=/downloads/incomplete/\n');
		assert.equal(conf.hasPassword, false);
		assert.equal(conf.savePath, '/downloads/');
		assert.equal(conf.address, '*');
		assert.equal(conf.port, undefined);
	});

	it("finds a container's config.xml on the host side of its /config mount, and says so", async () => {
		const host = path.join(scratch, 'appdata', 'sonarr');
		mkdirSync(host, {recursive: true});
		writeFileSync(path.join(host, 'config.xml'), '<Config><Port>8989</Port><ApiKey>feedfacefeedfacefeedfacefeedface</ApiKey></Config>');
		const container: Container = {
			id: 'x',
			name: 'sonarr',
			image: 'lscr.io/linuxserver/sonarr:latest',
			service: 'sonarr',
			running: true,
			ports: [],
			mounts: [{type: 'bind', source: host, destination: '/config', rw: true}],
			env: {PUID: '1000', PGID: '1000'},
			networkMode: 'bridge',
			networks: [],
		};
		assert.deepEqual(containerCandidates([container]).map(candidate => candidate.file), [path.join(host, 'config.xml')]);
		const found = await findConfigFiles({containers: [container], native: false});
		assert.equal(found.length, 1);
		assert.equal(found[0]?.servarr?.apiKey, 'feedfacefeedfacefeedfacefeedface');
		assert.match(found[0]?.origin ?? '', /the \/config mount of container sonarr/);
	});
});
