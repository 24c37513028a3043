// The desired state from fixtures: the one /data tree, each path in the view of the service that uses it, the keys
// and logins that were accepted, and a remote path mapping only where qBittorrent and an *arr see the downloads
// under different names.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {desiredState} from '../../source/links/desired.js';
import type {StackServices} from '../../source/links/context.js';
import {accepted, container, network, service, stackPaths} from './fixtures.js';

const media = (ip: string) => [network('media', ip, '172.20.0.1')];

/** qBittorrent, Sonarr and Radarr in containers on one network, with the given bind mounts. */
function containers(mounts: {qbittorrent: Array<[string, string]>; sonarr: Array<[string, string]>; radarr: Array<[string, string]>}): StackServices {
	return {
		qbittorrent: service('qbittorrent', '127.0.0.1', 8080, {container: container({name: 'qbittorrent', networks: media('172.20.0.2'), ports: [[8080, 8080]], mounts: mounts.qbittorrent})}),
		sonarr: service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: media('172.20.0.3'), ports: [[8989, 8989]], mounts: mounts.sonarr})}),
		radarr: service('radarr', '127.0.0.1', 7878, {container: container({name: 'radarr', networks: media('172.20.0.4'), ports: [[7878, 7878]], mounts: mounts.radarr})}),
	};
}

describe('the desired state', () => {
	it('native services: the data tree from qBittorrent\'s save path, host paths everywhere, no remote path mapping', () => {
		const services: StackServices = {qbittorrent: service('qbittorrent', '127.0.0.1', 8080), sonarr: service('sonarr', '127.0.0.1', 8989), radarr: service('radarr', '127.0.0.1', 7878), jellyfin: service('jellyfin', '127.0.0.1', 8096)};
		const {desired, notes} = desiredState(services, [], stackPaths({savePath: '/srv/data/torrents'}));
		assert.deepEqual(desired.downloads, {tv: '/srv/data/torrents/tv', movies: '/srv/data/torrents/movies'});
		assert.deepEqual(desired.rootFolders, {sonarr: '/srv/data/media/tv', radarr: '/srv/data/media/movies'});
		assert.deepEqual(desired.libraries, {tv: '/srv/data/media/tv', movies: '/srv/data/media/movies'});
		assert.deepEqual(desired.remotePathMappings, {});
		assert.deepEqual(notes, ['The data tree is /srv/data: qBittorrent saves to /srv/data/torrents.']);
		assert.deepEqual(Object.keys(desired.addresses).sort(), ['radarr->jellyfin', 'radarr->qbittorrent', 'sonarr->jellyfin', 'sonarr->qbittorrent']);
		assert.equal(desired.addresses['sonarr->qbittorrent']?.host, '127.0.0.1');
	});

	it('containers that mount the one /data tree at the same path: container paths, no remote path mapping', () => {
		const mount: Array<[string, string]> = [['/srv/data', '/data']];
		const {desired, notes} = desiredState(containers({qbittorrent: mount, sonarr: mount, radarr: mount}), [], stackPaths({savePath: '/data/torrents'}));
		assert.deepEqual(desired.downloads, {tv: '/data/torrents/tv', movies: '/data/torrents/movies'});
		assert.deepEqual(desired.rootFolders, {sonarr: '/data/media/tv', radarr: '/data/media/movies'});
		assert.deepEqual(desired.remotePathMappings, {});
		assert.ok(!notes.some(note => /remote path mapping/.test(note)), notes.join('\n'));
		assert.equal(desired.addresses['sonarr->qbittorrent']?.host, 'qbittorrent');
	});

	it('the same host folder at different paths inside: a remote path mapping for each *arr, keyed by the address it uses for qBittorrent', () => {
		const {desired, notes} = desiredState(
			containers({qbittorrent: [['/srv/data/torrents', '/downloads']], sonarr: [['/srv/data', '/data']], radarr: [['/srv/data', '/media-data']]}),
			[],
			stackPaths({savePath: '/downloads'}),
		);
		assert.deepEqual(desired.downloads, {tv: '/downloads/tv', movies: '/downloads/movies'});
		assert.deepEqual(desired.remotePathMappings, {
			sonarr: {host: 'qbittorrent', remotePath: '/downloads/', localPath: '/data/torrents/'},
			radarr: {host: 'qbittorrent', remotePath: '/downloads/', localPath: '/media-data/torrents/'},
		});
		assert.deepEqual(notes.filter(note => /remote path mapping/.test(note)), [
			'Sonarr sees qBittorrent\'s /downloads as /data/torrents: a remote path mapping is planned.',
			'Radarr sees qBittorrent\'s /downloads as /media-data/torrents: a remote path mapping is planned.',
		]);
	});

	it('only the *arr whose view differs gets a mapping', () => {
		const {desired} = desiredState(
			containers({qbittorrent: [['/srv/data', '/data']], sonarr: [['/srv/data', '/data']], radarr: [['/srv/data', '/storage']]}),
			[],
			stackPaths({savePath: '/data/torrents'}),
		);
		assert.deepEqual(desired.remotePathMappings, {radarr: {host: 'qbittorrent', remotePath: '/data/torrents/', localPath: '/storage/torrents/'}});
	});

	it('an *arr that cannot see the downloads at all gets no mapping (a path finding says so instead)', () => {
		const {desired} = desiredState(
			containers({qbittorrent: [['/srv/data', '/data']], sonarr: [['/srv/data/media', '/media']], radarr: [['/srv/data', '/data']]}),
			[],
			stackPaths({savePath: '/data/torrents'}),
		);
		assert.deepEqual(desired.remotePathMappings, {});
	});

	it('no qBittorrent: no mapping and no download paths from it', () => {
		const services = containers({qbittorrent: [], sonarr: [['/srv/data', '/data']], radarr: [['/srv/other', '/data']]});
		delete services.qbittorrent;
		const {desired} = desiredState(services, [], stackPaths());
		assert.deepEqual(desired.remotePathMappings, {});
		assert.equal(desired.addresses['sonarr->qbittorrent'], undefined);
	});

	it('a root folder the user chose (ending in /tv or /movies) is kept; a library follows it into Jellyfin\'s view', () => {
		const services: StackServices = {
			qbittorrent: service('qbittorrent', '127.0.0.1', 8080),
			sonarr: service('sonarr', '127.0.0.1', 8989),
			radarr: service('radarr', '127.0.0.1', 7878),
			jellyfin: service('jellyfin', '127.0.0.1', 8096, {container: container({name: 'jellyfin', networks: media('172.20.0.5'), mounts: [['/mnt/big', '/media']]})}),
		};
		const {desired} = desiredState(services, [], stackPaths({savePath: '/srv/data/torrents', sonarrRoots: ['/mnt/big/Series', '/mnt/big/tv/'], radarrRoots: ['/mnt/big/films']}));
		assert.equal(desired.rootFolders.sonarr, '/mnt/big/tv/');
		assert.equal(desired.rootFolders.radarr, '/srv/data/media/movies', 'a folder not named movies is not taken for the movies one');
		assert.equal(desired.libraries.tv, '/media/tv');
		assert.equal(desired.libraries.movies, '/data/media/movies', 'Jellyfin cannot see /srv/data: the default /data layout');
	});

	it('keys and logins only from accepted credentials; the given categories and data root win', () => {
		const services: StackServices = {qbittorrent: service('qbittorrent', '127.0.0.1', 8080), sonarr: service('sonarr', '127.0.0.1', 8989), radarr: service('radarr', '127.0.0.1', 7878), jellyfin: service('jellyfin', '127.0.0.1', 8096)};
		const states = accepted(Object.values(services), {sonarr: {apiKey: 'sonarr-key'}, qbittorrent: {username: 'me', password: 'qb-password'}});
		states.push({service: service('radarr', '127.0.0.1', 7878), credential: {apiKey: 'refused-key'}, check: {ok: false, kind: 'radarr', reason: 'refused', message: 'no', fix: 'no'}});
		const {desired} = desiredState(services, states, stackPaths({savePath: '/srv/data/torrents'}), {dataRoot: '/pool', categories: {tv: 'shows', movies: 'films'}, nzbgeekApiKey: 'nzbgeek-key'});
		assert.deepEqual(desired.keys, {sonarr: 'sonarr-key', radarr: undefined, prowlarr: undefined, jellyseerr: undefined, nzbgeek: 'nzbgeek-key', jellyfin: undefined, sabnzbd: undefined});
		assert.deepEqual(desired.qbittorrent, {username: 'me', password: 'qb-password'});
		assert.equal(desired.jellyfinAdmin, undefined);
		assert.deepEqual(desired.categories, {tv: 'shows', movies: 'films'});
		assert.deepEqual(desired.downloads, {tv: '/srv/data/torrents/shows', movies: '/srv/data/torrents/films'});
		assert.deepEqual(desired.rootFolders, {sonarr: '/pool/media/tv', radarr: '/pool/media/movies'});
	});
});
