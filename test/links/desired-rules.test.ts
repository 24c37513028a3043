// The desired state's smaller rules, one by one: an address for every pair of services that talk, the save folder
// names that sit below the data tree, the notes and the "data folder not known" reason, every key and login kept
// (and registered for redaction), and what --data-root accepts.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, describe, it} from 'node:test';
import type {StackPaths} from '../../source/checks/paths.js';
import type {AddressKey, StackServices} from '../../source/links/context.js';
import {dataRootProblem, desiredState, viewOf} from '../../source/links/desired.js';
import {forgetSecrets, MASK, redact} from '../../source/services/redact.js';
import {accepted, container, network, service, stackPaths} from './fixtures.js';

/** Every service, native, each on a port of its own. */
const ports = {prowlarr: 9696, sonarr: 8989, radarr: 7878, qbittorrent: 8080, jellyfin: 8096, jellyseerr: 5055, nzbget: 6789, sabnzbd: 8085} as const;
const everything: StackServices = Object.fromEntries(Object.entries(ports).map(([kind, port]) => [kind, service(kind as keyof typeof ports, '127.0.0.1', port)]));

describe('the desired addresses', () => {
	it('one for every pair of services that talk, each to the right service', () => {
		const {desired} = desiredState(everything, [], stackPaths({savePath: '/srv/data/torrents'}));
		const pairs: Array<[AddressKey, keyof typeof ports]> = [
			['sonarr->qbittorrent', 'qbittorrent'],
			['radarr->qbittorrent', 'qbittorrent'],
			['prowlarr->sonarr', 'sonarr'],
			['prowlarr->radarr', 'radarr'],
			['sonarr->prowlarr', 'prowlarr'],
			['radarr->prowlarr', 'prowlarr'],
			['jellyseerr->sonarr', 'sonarr'],
			['jellyseerr->radarr', 'radarr'],
			['jellyseerr->jellyfin', 'jellyfin'],
			['sonarr->jellyfin', 'jellyfin'],
			['radarr->jellyfin', 'jellyfin'],
			['sonarr->nzbget', 'nzbget'],
			['radarr->nzbget', 'nzbget'],
			['sonarr->sabnzbd', 'sabnzbd'],
			['radarr->sabnzbd', 'sabnzbd'],
		];
		assert.deepEqual(Object.keys(desired.addresses).sort(), pairs.map(([key]) => key).sort());
		for (const [key, to] of pairs) {
			const from = key.split('->')[0] as keyof typeof ports;
			const address = desired.addresses[key]!;
			assert.equal(address.port, ports[to], key);
			assert.equal(address.reason, `${everything[from]!.name} and ${everything[to]!.name} both run on this machine`, key);
		}
	});

	it('a pair with either side missing has no address', () => {
		const {desired} = desiredState({prowlarr: everything.prowlarr, radarr: everything.radarr}, [], stackPaths());
		assert.deepEqual(Object.keys(desired.addresses).sort(), ['prowlarr->radarr', 'radarr->prowlarr']);
	});
});

describe('the data tree', () => {
	const native: StackServices = {qbittorrent: everything.qbittorrent, sonarr: everything.sonarr, radarr: everything.radarr};

	it('a save folder named torrents, downloads, usenet or complete sits in the tree; any other name is the tree', () => {
		for (const leaf of ['torrents', 'downloads', 'usenet', 'complete']) {
			const {desired, notes} = desiredState(native, [], stackPaths({savePath: `/srv/data/${leaf}`}));
			assert.equal(desired.rootFolders.sonarr, '/srv/data/media/tv', leaf);
			assert.deepEqual(desired.downloads, {tv: `/srv/data/${leaf}/tv`, movies: `/srv/data/${leaf}/movies`}, leaf);
			assert.deepEqual(notes, [`The data tree is /srv/data: qBittorrent saves to /srv/data/${leaf}.`]);
		}
		const {desired, notes} = desiredState(native, [], stackPaths({savePath: '/srv/qb'}));
		assert.deepEqual(desired.rootFolders, {sonarr: '/srv/qb/media/tv', radarr: '/srv/qb/media/movies'});
		assert.deepEqual(desired.downloads, {tv: '/srv/qb/torrents/tv', movies: '/srv/qb/torrents/movies'});
		assert.deepEqual(notes, ['The data tree is /srv/qb: qBittorrent saves to /srv/qb.']);
		assert.equal(desired.pathsUnknown, undefined);
	});

	it('a save folder in a container: the note gives the host folder too; a mount source with a trailing slash is trimmed', () => {
		const qbittorrent = service('qbittorrent', '127.0.0.1', 8080, {container: container({name: 'qbittorrent', networks: [network('media', '172.20.0.2', '172.20.0.1')], mounts: [['/srv/data/torrents', '/downloads']]})});
		const {notes} = desiredState({qbittorrent}, [], stackPaths({savePath: '/downloads'}));
		assert.deepEqual(notes, ['The data tree is /srv/data: qBittorrent saves to /downloads (/srv/data/torrents on the host).']);
		const below = service('qbittorrent', '127.0.0.1', 8080, {container: container({name: 'qbittorrent', networks: [network('media', '172.20.0.2', '172.20.0.1')], mounts: [['/srv/pool//', '/data']]})});
		const inTree = desiredState({qbittorrent: below}, [], stackPaths({savePath: '/data/anything'}));
		assert.deepEqual(inTree.notes, ['The data tree is /srv/pool: qBittorrent saves to /data/anything (/srv/pool/anything on the host).']);
		assert.equal(inTree.desired.downloads.tv, '/data/anything/tv');
	});

	it('not known: why, in words (no qBittorrent, or its save path not read), and only a stand-in tree', () => {
		const none = desiredState({sonarr: everything.sonarr}, [], stackPaths());
		assert.equal(
			none.desired.pathsUnknown,
			'the data folder is not known (qBittorrent was not found); give it with --data-root DIR, the host folder that holds torrents/ and media/',
		);
		assert.deepEqual(none.desired.downloads, {tv: '/data/torrents/tv', movies: '/data/torrents/movies'});
		assert.deepEqual(none.desired.rootFolders, {sonarr: '/data/media/tv', radarr: '/data/media/movies'});
		assert.deepEqual(none.notes, []);
		const unread = desiredState(native, [], stackPaths());
		assert.equal(
			unread.desired.pathsUnknown,
			"the data folder is not known (qBittorrent's save path could not be read: its login is not known or was refused); give it with --data-root DIR, the host folder that holds torrents/ and media/",
		);
		const given = desiredState(native, [], stackPaths(), {dataRoot: '/pool'});
		assert.equal(given.desired.pathsUnknown, undefined);
		assert.deepEqual(given.desired.downloads, {tv: '/pool/torrents/tv', movies: '/pool/torrents/movies'});
	});

	it('a root folder the user chose is recognised with trailing slashes; another name is not', () => {
		const {desired} = desiredState(native, [], stackPaths({savePath: '/srv/data/torrents', sonarrRoots: ['/mnt/tv-old', '/mnt/tv//'], radarrRoots: ['/mnt/movies']}));
		assert.deepEqual(desired.rootFolders, {sonarr: '/mnt/tv//', radarr: '/mnt/movies'});
	});

	it('services that cannot see the tree: the default /data layout in their view', () => {
		const blind = (kind: 'qbittorrent' | 'sonarr' | 'radarr' | 'jellyfin', port: number) =>
			service(kind, '127.0.0.1', port, {container: container({name: kind, networks: [network('media', '172.20.0.9', '172.20.0.1')], mounts: [['/srv/elsewhere', '/elsewhere']]})});
		const services: StackServices = {qbittorrent: blind('qbittorrent', 8080), sonarr: blind('sonarr', 8989), radarr: blind('radarr', 7878), jellyfin: blind('jellyfin', 8096)};
		const {desired} = desiredState(services, [], stackPaths(), {dataRoot: '/pool', categories: {tv: 'shows', movies: 'films'}});
		assert.deepEqual(desired.downloads, {tv: '/data/torrents/shows', movies: '/data/torrents/films'});
		assert.deepEqual(desired.rootFolders, {sonarr: '/data/media/tv', radarr: '/data/media/movies'});
		assert.deepEqual(desired.libraries, {tv: '/data/media/tv', movies: '/data/media/movies'});
	});

	it('a library follows the movies root folder the user chose, as it does the tv one', () => {
		const services: StackServices = {qbittorrent: everything.qbittorrent, sonarr: everything.sonarr, radarr: everything.radarr, jellyfin: everything.jellyfin};
		const {desired} = desiredState(services, [], stackPaths({savePath: '/srv/data/torrents', sonarrRoots: ['/mnt/big/tv'], radarrRoots: ['/mnt/big/movies']}));
		assert.deepEqual(desired.libraries, {tv: '/mnt/big/tv', movies: '/mnt/big/movies'});
	});

	it('a mapping between folders several levels deep: the note names both whole', () => {
		const inContainer = (kind: 'qbittorrent' | 'sonarr', port: number, mounts: Array<[string, string]>) =>
			service(kind, '127.0.0.1', port, {container: container({name: kind, networks: [network('media', '172.20.0.9', '172.20.0.1')], ports: [[port, port]], mounts})});
		const {notes} = desiredState(
			{qbittorrent: inContainer('qbittorrent', 8080, [['/srv/data/torrents', '/data/downloads']]), sonarr: inContainer('sonarr', 8989, [['/srv/data', '/data']])},
			[],
			stackPaths({savePath: '/data/downloads'}),
		);
		assert.deepEqual(notes.filter(note => /remote path mapping/.test(note)), ["Sonarr sees qBittorrent's /data/downloads as /data/torrents: a remote path mapping is planned."]);
	});

	it('viewOf: a container\'s mounts, or no mounts for a native service or none', () => {
		assert.deepEqual(viewOf(undefined), {service: '', mounts: undefined});
		assert.deepEqual(viewOf(everything.sonarr), {service: 'Sonarr', mounts: undefined});
		const inContainer = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', mounts: [['/srv/data', '/data']]})});
		assert.deepEqual(viewOf(inContainer), {service: 'Sonarr', mounts: [{source: '/srv/data', destination: '/data', rw: true}]});
	});
});

describe('category folders the user made', () => {
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-kept-'));
	after(() => rmSync(scratch, {recursive: true, force: true}));

	it('each is kept only when its own *arr sees it', () => {
		for (const folder of ['kept-tv', 'kept-movies']) {
			mkdirSync(path.join(scratch, folder));
		}
		const native: StackServices = {qbittorrent: everything.qbittorrent, sonarr: everything.sonarr, radarr: everything.radarr};
		const sees = {mounts: undefined};
		const blind = {mounts: [{source: '/srv/elsewhere', destination: '/elsewhere', rw: true}]};
		const paths = (sonarr: typeof sees | typeof blind, radarr: typeof sees | typeof blind): StackPaths => {
			const base = stackPaths({savePath: '/srv/data/torrents'});
			base.qbittorrent!.categories = {tv: {savePath: path.join(scratch, 'kept-tv')}, movies: {savePath: path.join(scratch, 'kept-movies')}};
			base.arrs = base.arrs.map(arr => ({...arr, view: {service: arr.service, ...(arr.service === 'Sonarr' ? sonarr : radarr)}}));
			return base;
		};
		assert.deepEqual(desiredState(native, [], paths(sees, blind)).desired.downloads, {tv: path.join(scratch, 'kept-tv'), movies: '/srv/data/torrents/movies'});
		assert.deepEqual(desiredState(native, [], paths(blind, sees)).desired.downloads, {tv: '/srv/data/torrents/tv', movies: path.join(scratch, 'kept-movies')});
	});
});

describe('keys and logins', () => {
	afterEach(() => {
		forgetSecrets();
	});

	it('every accepted key and login is kept, a login without a user name is admin, and each is redacted from then on', () => {
		const states = accepted(Object.values(everything), {
			sonarr: {apiKey: 'sonarr-key-1'},
			radarr: {apiKey: 'radarr-key-2'},
			prowlarr: {apiKey: 'prowlarr-key-3'},
			jellyseerr: {apiKey: 'jellyseerr-key-4'},
			sabnzbd: {apiKey: 'sabnzbd-key-5'},
			qbittorrent: {password: 'qbittorrent-pass-6'},
			jellyfin: {username: 'root', password: 'jellyfin-pass-7'},
			nzbget: {username: 'nzb', password: 'nzbget-pass-8'},
		});
		const {desired} = desiredState(everything, states, stackPaths({savePath: '/srv/data/torrents'}), {nzbgeekApiKey: 'nzbgeek-key-9', jellyfinApiKey: 'jellyfin-key-10'});
		assert.deepEqual(desired.keys, {
			sonarr: 'sonarr-key-1',
			radarr: 'radarr-key-2',
			prowlarr: 'prowlarr-key-3',
			jellyseerr: 'jellyseerr-key-4',
			nzbgeek: 'nzbgeek-key-9',
			jellyfin: 'jellyfin-key-10',
			sabnzbd: 'sabnzbd-key-5',
		});
		assert.deepEqual(desired.qbittorrent, {username: 'admin', password: 'qbittorrent-pass-6'});
		assert.deepEqual(desired.jellyfinAdmin, {username: 'root', password: 'jellyfin-pass-7'});
		assert.deepEqual(desired.nzbget, {username: 'nzb', password: 'nzbget-pass-8'});
		const said = 'sonarr-key-1 radarr-key-2 prowlarr-key-3 jellyseerr-key-4 sabnzbd-key-5 qbittorrent-pass-6 jellyfin-pass-7 nzbgeek-key-9 jellyfin-key-10';
		assert.equal(redact(said), Array.from({length: 9}, () => MASK).join(' '));
	});

	it('a login with no password is no login; a refused one is not used', () => {
		const states = accepted([everything.qbittorrent!, everything.jellyfin!], {qbittorrent: {username: 'admin'}, jellyfin: {username: 'root', password: 'refused-pass'}});
		states[1]!.check = {ok: false, kind: 'jellyfin', reason: 'refused', message: 'no', fix: 'no'};
		const {desired} = desiredState(everything, states, stackPaths({savePath: '/srv/data/torrents'}));
		assert.equal(desired.qbittorrent, undefined);
		assert.equal(desired.jellyfinAdmin, undefined);
		assert.equal(desired.nzbget, undefined);
	});
});

describe('--data-root', () => {
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-data-root-'));
	after(() => rmSync(scratch, {recursive: true, force: true}));

	it('an absolute folder that exists: accepted; anything else: why, and what to give', () => {
		writeFileSync(path.join(scratch, 'file'), 'x');
		assert.equal(dataRootProblem(scratch), undefined);
		assert.equal(dataRootProblem('srv/data'), '--data-root srv/data: give the data folder as an absolute path, as this machine sees it (for example /srv/data).');
		assert.equal(
			dataRootProblem(path.join(scratch, 'none')),
			`--data-root ${path.join(scratch, 'none')}: there is no such folder on this machine. Give the host folder that holds torrents/ and media/ (create it first if the stack is new).`,
		);
		assert.equal(dataRootProblem(path.join(scratch, 'file')), `--data-root ${path.join(scratch, 'file')} is a file, not a folder. Give the host folder that holds torrents/ and media/.`);
	});
});
