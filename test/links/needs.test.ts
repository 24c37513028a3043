// What each link declares it needs is what it asks for: without one of its clients it does not apply, and the
// order of all links lets each run after the links it names and the values it takes.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ALL_LINKS} from '../../source/links/all.js';
import type {AddressKey, LinkContext} from '../../source/links/context.js';
import {linkOrderProblem} from '../../source/links/engine.js';

const ADDRESS_KEYS: AddressKey[] = [
	'sonarr->qbittorrent',
	'radarr->qbittorrent',
	'prowlarr->sonarr',
	'prowlarr->radarr',
	'sonarr->prowlarr',
	'radarr->prowlarr',
	'jellyseerr->sonarr',
	'jellyseerr->radarr',
	'jellyseerr->jellyfin',
	'sonarr->jellyfin',
	'radarr->jellyfin',
	'sonarr->nzbget',
	'radarr->nzbget',
	'sonarr->sabnzbd',
	'radarr->sabnzbd',
];

/** Everything found and logged in: applicable() only looks at what is there, never calls a client. */
function wholeStack(): LinkContext {
	const login = {username: 'admin', password: 'a-password-of-some-length'};
	const address = {host: '127.0.0.1', port: 1, useSsl: false, urlBase: '', reason: 'a test'};
	const present = {} as never;
	return {
		clients: {sonarr: present, radarr: present, prowlarr: present, qbittorrent: present, jellyfin: present, seerr: present, nzbget: present, sabnzbd: present},
		services: {},
		desired: {
			categories: {tv: 'tv', movies: 'movies'},
			downloads: {tv: '/data/torrents/tv', movies: '/data/torrents/movies'},
			rootFolders: {sonarr: '/data/media/tv', radarr: '/data/media/movies'},
			libraries: {tv: '/data/media/tv', movies: '/data/media/movies'},
			remotePathMappings: {},
			addresses: Object.fromEntries(ADDRESS_KEYS.map(key => [key, address])),
			keys: {sonarr: 'k', radarr: 'k', prowlarr: 'k', jellyseerr: 'k', jellyfin: 'k', nzbgeek: 'k', sabnzbd: 'k'},
			qbittorrent: login,
			jellyfinAdmin: login,
			nzbget: login,
		},
		journal: {} as never,
	};
}

describe('what links declare they need', () => {
	const declaring = ALL_LINKS.filter(link => link.needs?.clients?.length);

	it('the links that declare their clients apply on a whole stack, and not without any one of those clients', () => {
		assert.ok(declaring.length >= 15, `${declaring.length} links declare their clients`);
		for (const link of declaring) {
			assert.equal(link.applicable(wholeStack()), true, link.id);
			for (const client of link.needs!.clients!) {
				const context = wholeStack();
				delete context.clients[client];
				assert.notEqual(link.applicable(context), true, `${link.id} without the ${client} client`);
			}
		}
	});

	it('every link named as one to run before exists, and all links run in an order their needs allow', () => {
		const ids = new Set(ALL_LINKS.map(link => link.id));
		for (const link of ALL_LINKS) {
			for (const id of link.needs?.after ?? []) {
				assert.ok(ids.has(id), `${link.id} names ${id}`);
			}
			for (const value of link.needs?.takes ?? []) {
				assert.ok(ALL_LINKS.some(other => other.gives?.includes(value)), `${link.id} takes ${value}, which a link gives`);
			}
		}
		assert.equal(linkOrderProblem(ALL_LINKS), undefined);
	});
});
