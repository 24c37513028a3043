// Which protocols can move a release, as the Discover and Summary screens say it: NZBgeek's Usenet releases need NZBGet
// or SABnzbd; the optional Usenet clients count only when found.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {ServiceKind} from '../../source/discovery/catalogue.js';
import {downloadClientLines, missingServices, protocolFlowLines, servicesCount} from '../../source/present/protocols.js';
import type {LinkState} from '../../source/present/stack-map.js';

const CORE: Array<{kind: ServiceKind; name: string}> = [
	{kind: 'prowlarr', name: 'Prowlarr'},
	{kind: 'sonarr', name: 'Sonarr'},
	{kind: 'radarr', name: 'Radarr'},
	{kind: 'qbittorrent', name: 'qBittorrent'},
	{kind: 'jellyfin', name: 'Jellyfin'},
	{kind: 'jellyseerr', name: 'Jellyseerr'},
];

describe('download protocols, as the screens say them', () => {
	it('the six services alone: "6 of 6", nothing missing, and no Usenet client: NZBgeek\'s releases cannot be downloaded', () => {
		assert.deepEqual(servicesCount(CORE), {found: 6, of: 6});
		assert.deepEqual(missingServices(CORE), []);
		assert.deepEqual(
			downloadClientLines(CORE).map(line => line.text),
			['✔ Torrent client: qBittorrent', "✖ Usenet client : none found — NZBgeek's releases cannot be downloaded"],
		);
	});

	it('with NZBGet and SABnzbd: both listed as Usenet clients, and counted; without qBittorrent, it is missing', () => {
		const found = [...CORE.filter(service => service.kind !== 'qbittorrent'), {kind: 'nzbget' as const, name: 'NZBGet'}, {kind: 'sabnzbd' as const, name: 'SABnzbd'}];
		assert.deepEqual(servicesCount(found), {found: 7, of: 8});
		assert.deepEqual(missingServices(found), ['qBittorrent']);
		assert.deepEqual(downloadClientLines(found).map(line => line.text), ['✖ Torrent client: none found — torrent releases cannot be downloaded', '✔ Usenet client : NZBGet, SABnzbd']);
		assert.ok(downloadClientLines(found).every(line => line.text.length <= 78));
	});

	it('the Summary: a protocol flows only when both Sonarr and Radarr have a working client for it', () => {
		const states: Record<string, LinkState> = {'sonarr-download-client': 'linked', 'radarr-download-client': 'changed', 'sonarr-sabnzbd-download-client': 'changed', 'radarr-sabnzbd-download-client': 'failed'};
		assert.deepEqual(protocolFlowLines(states).map(line => line.text), [
			'✔ Torrent releases flow: Sonarr and Radarr -> qBittorrent',
			'✖ Usenet releases cannot flow: no Usenet client is wired (NZBgeek needs one)',
		]);
		states['radarr-sabnzbd-download-client'] = 'linked';
		states['sonarr-usenet-download-client'] = 'linked';
		states['radarr-usenet-download-client'] = 'linked';
		assert.equal(protocolFlowLines(states)[1]!.text, '✔ Usenet releases flow: Sonarr and Radarr -> NZBGet and SABnzbd');
		assert.ok(protocolFlowLines({}).every(line => line.text.length <= 78), 'fits 80 columns');
	});
});
