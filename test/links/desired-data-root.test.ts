// Where the data tree is, worked out from the host folders behind qBittorrent's mounts.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {StackPaths} from '../../source/checks/paths.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import {desiredState} from '../../source/links/desired.js';

function containerService(kind: 'qbittorrent' | 'sonarr', port: number, mounts: Array<{source: string; destination: string}>): DiscoveredService {
	return {
		kind,
		name: kind === 'sonarr' ? 'Sonarr' : 'qBittorrent',
		host: '127.0.0.1',
		port,
		tls: false,
		urlBase: '',
		source: 'docker',
		container: {id: kind, name: kind, image: `lscr.io/linuxserver/${kind}`, running: true, ports: [{containerPort: port, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port}], mounts: mounts.map(mount => ({type: 'bind', ...mount, rw: true})), env: {}, networkMode: 'arr', networks: [{name: 'arr', aliases: []}]},
	} as unknown as DiscoveredService;
}

function stack(savePath: string): StackPaths {
	return {qbittorrent: {view: {service: 'qBittorrent'}, defaultSavePath: savePath, autoTmm: false, categories: {}}, arrs: []};
}

describe('the data tree, from the host folders behind the mounts', () => {
	it('a save folder of any name below the mounted tree: the tree is the host folder behind the mount', () => {
		const mounts = [{source: '/srv/data', destination: '/data'}];
		const services = {qbittorrent: containerService('qbittorrent', 8080, mounts), sonarr: containerService('sonarr', 8989, mounts)};
		const {desired} = desiredState(services, [], stack('/data/downloads/complete'));
		assert.equal(desired.pathsUnknown, undefined);
		assert.equal(desired.rootFolders.sonarr, '/data/media/tv', 'media beside the downloads, not inside them');
		assert.equal(desired.downloads.tv, '/data/downloads/complete/tv');
		const other = desiredState(services, [], stack('/data/qb'));
		assert.equal(other.desired.rootFolders.sonarr, '/data/media/tv');
	});

	it('the save folder mounted alone: its name decides, as before', () => {
		const qbittorrent = containerService('qbittorrent', 8080, [{source: '/srv/data/torrents', destination: '/downloads'}]);
		const sonarr = containerService('sonarr', 8989, [{source: '/srv/data', destination: '/data'}]);
		const {desired} = desiredState({qbittorrent, sonarr}, [], stack('/downloads'));
		assert.equal(desired.rootFolders.sonarr, '/data/media/tv');
	});
});
