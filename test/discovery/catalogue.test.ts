import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {serviceForImage} from '../../source/discovery/catalogue.js';
import {expandCidr, parseHostArgument} from '../../source/discovery/discover.js';

describe('images people run, matched to services', () => {
	it('knows the linuxserver, hotio and official images, with registries, tags and digests', () => {
		const cases: Array<[string, string | undefined]> = [
			['lscr.io/linuxserver/sonarr:latest', 'sonarr'],
			['linuxserver/radarr', 'radarr'],
			['ghcr.io/hotio/prowlarr:release', 'prowlarr'],
			['lscr.io/linuxserver/qbittorrent:5.1.4', 'qbittorrent'],
			['qbittorrentofficial/qbittorrent-nox:latest', 'qbittorrent'],
			['jellyfin/jellyfin:10.11.11', 'jellyfin'],
			['lscr.io/linuxserver/jellyfin', 'jellyfin'],
			['fallenbagel/jellyseerr:latest', 'jellyseerr'],
			['ghcr.io/seerr-team/seerr:v3.1.0', 'jellyseerr'],
			['localhost:5000/linuxserver/sonarr@sha256:abcd', 'sonarr'],
			['nginx:1.27', undefined],
			['lscr.io/linuxserver/sonarr-exporter', undefined],
		];
		for (const [image, service] of cases) {
			assert.equal(serviceForImage(image), service, image);
		}
	});
});

describe('what --host and --scan accept', () => {
	it('expands a /24 without network and broadcast, a /32 to itself', () => {
		const addresses = expandCidr('127.0.0.0/24');
		assert.equal(addresses.length, 254);
		assert.equal(addresses[0], '127.0.0.1');
		assert.equal(addresses.at(-1), '127.0.0.254');
		assert.deepEqual(expandCidr('127.0.0.9/32'), ['127.0.0.9']);
		assert.equal(expandCidr('127.0.0.0/23').length, 510);
	});

	it('refuses what is not a network, and networks too big to sweep, saying how to write one', () => {
		assert.throws(() => expandCidr('my-nas'), /write it like 192\.168\.1\.0\/24/);
		assert.throws(() => expandCidr('300.1.1.1/24'), /0-255/);
		assert.throws(() => expandCidr('10.0.0.0/8'), /at most 4096/);
	});

	it('reads NAME, NAME:PORT and [IPv6]:PORT', () => {
		assert.deepEqual(parseHostArgument('nas.local'), {host: 'nas.local'});
		assert.deepEqual(parseHostArgument('127.0.0.2:8989'), {host: '127.0.0.2', port: 8989});
		assert.deepEqual(parseHostArgument('[::1]:8096'), {host: '::1', port: 8096});
		assert.throws(() => parseHostArgument('nas:99999'), /1-65535/);
		assert.throws(() => parseHostArgument('http://nas/'), /NAME or NAME:PORT/);
	});
});
