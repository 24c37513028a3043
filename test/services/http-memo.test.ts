// The command's memo forgets what a write can change, and only that: a read after a write to the same resource goes
// to the wire (a stale answer would make a second run re-apply, or verify wrongly), a read of another resource or
// another service does not; what a write reaches beyond its resource (Prowlarr's sync into Sonarr, a service's test,
// Jellyseerr and Jellyfin) is forgotten too.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {HttpClient, RequestMemo, staleAfter, type MemoTarget} from '../../source/services/http.js';
import type {ServiceName} from '../../source/services/errors.js';

const read = (service: ServiceName, path: string) => ({service, path, test: false});
const test = (service: ServiceName, path: string) => ({service, path, test: true});
const write = (service: ServiceName, path: string): MemoTarget => ({service, path});

describe('what a write makes stale (staleAfter)', () => {
	it('a Servarr write: its own resource, by id or not, and its health; not its other resources, not its schemas', () => {
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('Sonarr', '/api/v3/downloadclient')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient/4'), read('Sonarr', '/api/v3/downloadclient')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('Sonarr', '/api/v3/health')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('Sonarr', '/api/v3/rootfolder')), false);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('Sonarr', '/api/v3/downloadclient/schema')), false);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/indexer'), read('Prowlarr', '/api/v1/indexerstatus')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('Radarr', '/api/v3/downloadclient')), false);
	});

	it('a Sonarr or Radarr command may change anything of theirs; a Prowlarr command changes what it pushes, not its own', () => {
		assert.equal(staleAfter(write('Sonarr', '/api/v3/command'), read('Sonarr', '/api/v3/rootfolder')), true);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/command'), read('Prowlarr', '/api/v1/applications')), false);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/command'), read('Sonarr', '/api/v3/indexer')), true);
	});

	it('a Prowlarr write changes the indexers (and tags) it syncs into Sonarr and Radarr, nothing else of theirs', () => {
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/applications'), read('Radarr', '/api/v3/indexer')), true);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/indexer/3'), read('Sonarr', '/api/v3/tag')), true);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/applications'), read('Sonarr', '/api/v3/downloadclient')), false);
	});

	it("every service's own test, after any write anywhere; Jellyseerr's test of a Sonarr or Radarr, after a write to that one", () => {
		assert.equal(staleAfter(write('qBittorrent', '/api/v2/app/setPreferences'), test('Sonarr', '/api/v3/downloadclient/test')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), test('Sonarr', '/api/v3/downloadclient/test')), true);
		assert.equal(staleAfter(write('Jellyfin', '/Auth/Keys'), test('Prowlarr', '/api/v1/applications/test')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/rootfolder'), test('Jellyseerr', '/api/v1/settings/sonarr/test')), true);
		assert.equal(staleAfter(write('Prowlarr', '/api/v1/applications'), test('Jellyseerr', '/api/v1/settings/radarr/test')), true);
		assert.equal(staleAfter(write('Jellyseerr', '/api/v1/settings/sonarr'), test('Jellyseerr', '/api/v1/settings/sonarr/test')), false);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/rootfolder'), test('Jellyseerr', '/api/v1/settings/radarr/test')), false);
	});

	it('qBittorrent is one resource: a category change shows in its categories and its preferences', () => {
		assert.equal(staleAfter(write('qBittorrent', '/api/v2/torrents/createCategory'), read('qBittorrent', '/api/v2/torrents/categories')), true);
		assert.equal(staleAfter(write('qBittorrent', '/api/v2/torrents/editCategory'), read('qBittorrent', '/api/v2/app/preferences')), true);
		assert.equal(staleAfter(write('qBittorrent', '/api/v2/torrents/createCategory'), read('Sonarr', '/api/v3/downloadclient')), false);
		// Sonarr tests a qBittorrent download client when it is saved, and its test adds a missing category.
		assert.equal(staleAfter(write('Sonarr', '/api/v3/downloadclient'), read('qBittorrent', '/api/v2/torrents/categories')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/rootfolder'), read('Jellyfin', '/Library/VirtualFolders')), false);
	});

	it('Jellyfin: a library option or path change shows in its libraries; the startup wizard changes all of it', () => {
		assert.equal(staleAfter(write('Jellyfin', '/Library/VirtualFolders/LibraryOptions'), read('Jellyfin', '/Library/VirtualFolders')), true);
		assert.equal(staleAfter(write('Jellyfin', '/Library/VirtualFolders/Paths'), read('Jellyfin', '/Library/MediaFolders')), true);
		assert.equal(staleAfter(write('Jellyfin', '/Library/VirtualFolders'), read('Jellyfin', '/Auth/Keys')), false);
		assert.equal(staleAfter(write('Jellyfin', '/Startup/Complete'), read('Jellyfin', '/System/Info/Public')), true);
		assert.equal(staleAfter(write('Sonarr', '/api/v3/rootfolder'), read('Jellyfin', '/Library/VirtualFolders')), false);
	});

	it("Jellyseerr and Jellyfin: a Jellyfin write changes what Jellyseerr reads of it; Jellyseerr's sign-in makes a Jellyfin key", () => {
		assert.equal(staleAfter(write('Jellyfin', '/Auth/Keys'), read('Jellyseerr', '/api/v1/settings/jellyfin/users')), true);
		assert.equal(staleAfter(write('Jellyfin', '/Library/VirtualFolders'), read('Jellyseerr', '/api/v1/settings/public')), false);
		assert.equal(staleAfter(write('Jellyseerr', '/api/v1/auth/jellyfin'), read('Jellyfin', '/Auth/Keys')), true);
		assert.equal(staleAfter(write('Jellyseerr', '/api/v1/auth/jellyfin'), read('Jellyfin', '/Library/VirtualFolders')), false);
		assert.equal(staleAfter(write('Jellyseerr', '/api/v1/settings/initialize'), read('Jellyseerr', '/api/v1/settings/public')), true);
	});
});

describe('the memo on the wire', () => {
	let server: http.Server;
	let base: string;
	const received: string[] = [];
	/** What each path answers: a counter per path, so a stale answer is told from a fresh one. */
	const versions = new Map<string, number>();

	before(async () => {
		server = http.createServer((request, response) => {
			const path = new URL(request.url ?? '/', 'http://x').pathname;
			received.push(`${request.method} ${path}`);
			request.resume();
			request.on('end', () => {
				if (request.method !== 'GET') {
					// A write changes the resource it names (its collection).
					const collection = path.replace(/\/\d+$/, '');
					versions.set(collection, (versions.get(collection) ?? 0) + 1);
				}
				response.setHeader('content-type', 'application/json');
				response.end(JSON.stringify({version: versions.get(path) ?? 0}));
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	after(() => {
		server.close();
	});

	const versionOf = async (client: HttpClient, path: string) => ((await client.request('GET', path)).text.match(/\d+/) ?? [])[0];

	it('a read after a write to the same resource is asked on the wire; one after a write elsewhere is answered from the memo', async () => {
		const memo = new RequestMemo();
		const sonarr = new HttpClient({service: 'Sonarr', baseUrl: base});
		const jellyfin = new HttpClient({service: 'Jellyfin', baseUrl: base});
		sonarr.memo = memo;
		jellyfin.memo = memo;
		received.length = 0;
		assert.equal(await versionOf(sonarr, '/api/v3/downloadclient'), '0');
		assert.equal(await versionOf(jellyfin, '/Library/VirtualFolders'), '0');
		await sonarr.request('POST', '/api/v3/downloadclient', {json: {}});
		// Asked again on the wire, and the answer is the new one.
		assert.equal(await versionOf(sonarr, '/api/v3/downloadclient'), '1');
		assert.equal(await versionOf(jellyfin, '/Library/VirtualFolders'), '0');
		await jellyfin.request('POST', '/Library/VirtualFolders/LibraryOptions', {json: {}});
		await versionOf(jellyfin, '/Library/VirtualFolders');
		assert.equal(await versionOf(sonarr, '/api/v3/downloadclient'), '1');
		assert.deepEqual(received, [
			'GET /api/v3/downloadclient',
			'GET /Library/VirtualFolders',
			'POST /api/v3/downloadclient',
			'GET /api/v3/downloadclient',
			'POST /Library/VirtualFolders/LibraryOptions',
			'GET /Library/VirtualFolders',
		]);
		assert.equal(memo.saved, 2);
	});

	it("a service's test runs again after a write to another service; before any write its verdict is kept", async () => {
		const memo = new RequestMemo();
		const sonarr = new HttpClient({service: 'Sonarr', baseUrl: base});
		const qbittorrent = new HttpClient({service: 'qBittorrent', baseUrl: base});
		sonarr.memo = memo;
		qbittorrent.memo = memo;
		received.length = 0;
		const runTest = async () => sonarr.request('POST', '/api/v3/downloadclient/test', {json: {name: 'qBittorrent'}, effect: 'test'});
		await runTest();
		await runTest();
		await qbittorrent.request('POST', '/api/v2/app/setPreferences', {form: {json: '{}'}});
		await runTest();
		assert.deepEqual(received, ['POST /api/v3/downloadclient/test', 'POST /api/v2/app/setPreferences', 'POST /api/v3/downloadclient/test']);
	});

	it('after a write that ended without an answer (it may still land), reads of that service are asked every time', async () => {
		const memo = new RequestMemo();
		const sonarr = new HttpClient({service: 'Sonarr', baseUrl: base, timeoutMs: 200});
		sonarr.memo = memo;
		const silent = http.createServer(request => request.resume());
		await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
		const stuck = new HttpClient({service: 'Sonarr', baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200});
		stuck.memo = memo;
		try {
			received.length = 0;
			await versionOf(sonarr, '/api/v3/rootfolder');
			await assert.rejects(stuck.request('POST', '/api/v3/tag', {json: {}}), {kind: 'timeout'});
			await versionOf(sonarr, '/api/v3/rootfolder');
			await versionOf(sonarr, '/api/v3/rootfolder');
			assert.deepEqual(received, ['GET /api/v3/rootfolder', 'GET /api/v3/rootfolder', 'GET /api/v3/rootfolder']);
		} finally {
			silent.closeAllConnections();
			silent.close();
		}
	});
});
