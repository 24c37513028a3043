import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {containerCandidates, describeSkipped, findConfigFiles, parseQbittorrentConf, parseSeerrSettings, parseServarrConfig, scanConfigFiles} from '../../source/discovery/config-files.js';
import {readRegularFile} from '../../source/state/regular-file.js';
import type {Container} from '../../source/discovery/docker.js';
import {startQbittorrent} from '../../source/lab/qbittorrent.js';

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

describe('files that never end, at the places a service keeps its config', () => {
	const run = promisify(execFile);
	const cli = path.resolve('dist/bin/arrwire.js');
	const folder = path.join(scratch, 'hostile-config');
	const home = path.join(scratch, 'hostile-home');

	before(() => {
		for (const name of ['sonarr', 'radarr', 'prowlarr', 'jellyseerr', path.join('qbittorrent', 'qBittorrent')]) {
			mkdirSync(path.join(folder, name), {recursive: true});
		}
		// A FIFO never ends (no writer); a link to /dev/zero never ends; 200 MB of nothing (sparse: no disk used).
		execFileSync('mkfifo', [path.join(folder, 'sonarr', 'config.xml')]);
		symlinkSync('/dev/zero', path.join(folder, 'radarr', 'config.xml'));
		execFileSync('truncate', ['-s', '200M', path.join(folder, 'qbittorrent', 'qBittorrent', 'qBittorrent.conf')]);
		writeFileSync(path.join(folder, 'jellyseerr', 'settings.json'), '{"main": {"apiKey": "content-that-must-not-be-echoed"');
		// A native place in a user's home: any local user can put a FIFO there.
		mkdirSync(path.join(home, '.config', 'Prowlarr'), {recursive: true});
		execFileSync('mkfifo', [path.join(home, '.config', 'Prowlarr', 'config.xml')]);
	});

	it('each is skipped at once, named, with why', async () => {
		const {files, skipped} = await scanConfigFiles({folders: [folder], native: false});
		assert.deepEqual(files, []);
		const reasons = Object.fromEntries(skipped.map(entry => [entry.file, entry.reason]));
		assert.deepEqual(reasons, {
			[path.join(folder, 'sonarr', 'config.xml')]: 'it is a FIFO, not a regular file',
			[path.join(folder, 'radarr', 'config.xml')]: 'it is a symbolic link, and arrwire does not follow links',
			[path.join(folder, 'qbittorrent', 'qBittorrent', 'qBittorrent.conf')]: 'it is 200 MiB, more than the 1 MiB arrwire reads',
			[path.join(folder, 'jellyseerr', 'settings.json')]: 'it is not valid JSON',
		});
		assert.equal(describeSkipped(skipped.find(entry => entry.kind === 'sonarr')!), `skipped ${path.join(folder, 'sonarr', 'config.xml')}: it is a FIFO, not a regular file`);
	});

	it('a device is not a file, even opened directly', async () => {
		assert.deepEqual(await readRegularFile('/dev/zero', 1024), {ok: false, absent: false, reason: 'it is a character device, not a regular file'});
		assert.deepEqual(await readRegularFile(path.join(folder, 'nothing-here'), 1024), {ok: false, absent: true});
	});

	it('arrwire discover finishes and says what it skipped (plain and --json), never what the files hold', async () => {
		const env = {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		const args = [cli, 'discover', '--no-docker', '--config-dir', folder];
		const plain = await run(process.execPath, args, {env, timeout: 120_000}).then(
			result => result.stdout,
			(failure: {stdout: string; killed?: boolean}) => {
				assert.ok(!failure.killed, 'discover must not hang');
				return failure.stdout;
			},
		);
		assert.match(plain, new RegExp(`skipped ${path.join(home, '.config', 'Prowlarr', 'config.xml').replace(/[.]/g, '\\.')}: it is a FIFO, not a regular file`));
		assert.match(plain, /skipped .*qBittorrent\.conf: it is 200 MiB, more than the 1 MiB arrwire reads/);
		const json = await run(process.execPath, [...args, '--json'], {env, timeout: 120_000}).then(
			result => result.stdout,
			(failure: {stdout: string}) => failure.stdout,
		);
		const parsed = JSON.parse(json) as {skippedFiles: Array<{file: string; reason: string}>};
		assert.ok(parsed.skippedFiles.length >= 5, JSON.stringify(parsed.skippedFiles));
		for (const output of [plain, json]) {
			assert.ok(!output.includes('content-that-must-not-be-echoed'));
		}
	});
});
