// Fidelity of the lab Jellyfin to Jellyfin 10.11's Jellyfin.Api/Controllers/, spoken to with plain fetch.
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {JellyfinEmulator, parseMediaBrowserHeader} from '../../source/lab/jellyfin.js';
import {jellyfinSpecName, SpecChecker} from '../../source/lab/spec-check.js';

const DEVICE = 'Client="labtest", Device="node", DeviceId="lab-device-1", Version="1.0"';

interface Answer {
	status: number;
	text: string;
	json: any;
	headers: Headers;
}

async function call(base: string, method: string, route: string, options: {headers?: Record<string, string>; json?: unknown} = {}): Promise<Answer> {
	const headers: Record<string, string> = {...options.headers};
	if (options.json !== undefined) {
		headers['content-type'] = 'application/json';
	}
	const response = await fetch(base + route, {
		method,
		headers,
		body: options.json === undefined ? undefined : JSON.stringify(options.json),
		redirect: 'manual',
		signal: AbortSignal.timeout(5000),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, text, json, headers: response.headers};
}

function mb(token?: string, device = DEVICE): Record<string, string> {
	return {authorization: `MediaBrowser ${device}${token ? `, Token="${token}"` : ''}`};
}

async function login(base: string, username: string, password: string, device = DEVICE): Promise<Answer> {
	return call(base, 'POST', '/Users/AuthenticateByName', {headers: mb(undefined, device), json: {Username: username, Pw: password}});
}

describe('the lab Jellyfin (wizard completed)', () => {
	const admin = {name: 'labadmin', password: 'lab-password-1'};
	let jellyfin: JellyfinEmulator;
	let base: string;
	let dataDir: string;
	before(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'arrwire-jf-'));
		mkdirSync(path.join(dataDir, 'movies'));
		mkdirSync(path.join(dataDir, 'tv'));
		jellyfin = new JellyfinEmulator({admin, serverName: 'lab-server'});
		await jellyfin.start();
		base = jellyfin.url;
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(dataDir, {recursive: true, force: true});
	});
	afterEach(() => {
		assertNoSpecViolations(jellyfin);
	});

	it('answers the anonymous probes', async () => {
		const info = await call(base, 'GET', '/System/Info/Public');
		assert.equal(info.status, 200);
		assert.equal(info.json.ServerName, 'lab-server');
		assert.equal(info.json.Version, '10.11.11');
		assert.equal(info.json.ProductName, 'Jellyfin Server');
		assert.equal(info.json.OperatingSystem, '');
		assert.match(info.json.Id, /^[0-9a-f]{32}$/);
		assert.equal(info.json.StartupWizardCompleted, true);
		assert.equal(typeof info.json.LocalAddress, 'string');
		assert.equal((await call(base, 'GET', '/System/Ping')).json, 'Jellyfin Server');
		assert.equal((await call(base, 'POST', '/System/Ping')).json, 'Jellyfin Server');
		assert.equal((await call(base, 'GET', '/health')).text, 'Healthy');
		const root = await call(base, 'GET', '/');
		assert.equal(root.status, 302);
		assert.equal(root.headers.get('location'), '/web/');
		const web = await call(base, 'GET', '/web/');
		assert.match(web.text, /<title>Jellyfin<\/title>/);
		assert.equal((await call(base, 'GET', '/system/info/public')).status, 200, 'routes are case-insensitive');
	});

	it('refuses protected routes without a token or with an unknown one, and 404s unknown routes', async () => {
		assert.equal((await call(base, 'GET', '/System/Info')).status, 401);
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb('0123456789abcdef0123456789abcdef')})).status, 401);
		assert.equal((await call(base, 'GET', '/Startup/Configuration')).status, 401, 'the wizard is admin-only once completed');
		assert.equal((await call(base, 'GET', '/Library/VirtualFolders')).status, 401);
		assert.equal((await call(base, 'GET', '/Auth/Keys')).status, 401);
		assert.equal((await call(base, 'GET', '/No/Such/Route')).status, 404);
		assert.equal((await call(base, 'POST', '/Notifications/Admin', {json: {Name: 'x'}})).status, 404, 'Jellyfin has no such endpoint');
		assert.equal((await call(base, 'HEAD', '/UserImage?UserId=abc')).status, 404);
	});

	it('signs in with AuthenticateByName, and checks the header and the credentials', async () => {
		const missing = await call(base, 'POST', '/Users/AuthenticateByName', {
			headers: {authorization: 'MediaBrowser Client="x", Device="y", Version="1"'},
			json: {Username: admin.name, Pw: admin.password},
		});
		assert.equal(missing.status, 400, 'DeviceId is required');
		const none = await call(base, 'POST', '/Users/AuthenticateByName', {json: {Username: admin.name, Pw: admin.password}});
		assert.equal(none.status, 400, 'the four fields are required');
		const wrong = await login(base, admin.name, 'nope');
		assert.equal(wrong.status, 401);
		assert.equal(wrong.text, 'Invalid username or password entered.');
		const unknown = await login(base, 'nobody', admin.password);
		assert.equal(unknown.status, 401);

		const ok = await login(base, admin.name, admin.password);
		assert.equal(ok.status, 200);
		assert.equal(ok.json.User.Name, admin.name);
		assert.match(ok.json.User.Id, /^[0-9a-f]{32}$/);
		assert.equal(ok.json.User.ServerId, ok.json.ServerId);
		assert.equal(ok.json.User.Policy.IsAdministrator, true);
		assert.equal(ok.json.SessionInfo.DeviceId, 'lab-device-1');
		assert.match(ok.json.AccessToken, /^[0-9a-f]{32}$/);
		const system = await call(base, 'GET', '/System/Info', {headers: mb(ok.json.AccessToken)});
		assert.equal(system.status, 200);
		assert.equal(system.json.Id, ok.json.ServerId);
		assert.equal(system.json.ServerName, 'lab-server');
	});

	it('revokes the earlier token of the same user and DeviceId, not of another device', async () => {
		const first = (await login(base, admin.name, admin.password)).json.AccessToken as string;
		const other = (await login(base, admin.name, admin.password, 'Client="c", Device="d", DeviceId="other-device", Version="1"')).json.AccessToken as string;
		const second = (await login(base, admin.name, admin.password)).json.AccessToken as string;
		assert.notEqual(first, second);
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb(first)})).status, 401, 'the old session is gone');
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb(second)})).status, 200);
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb(other)})).status, 200, 'another device keeps its session');
	});

	it('parses the MediaBrowser header: any case of the scheme, quoted or not, URL-decoded', () => {
		assert.deepEqual(parseMediaBrowserHeader('mediabrowser Client=a%20b, Token="t%2Bk", DeviceId=d', false), {client: 'a b', token: 't+k', deviceid: 'd'});
		assert.deepEqual(parseMediaBrowserHeader('MEDIABROWSER Token="x, y"', false), {token: 'x, y'});
		assert.equal(parseMediaBrowserHeader('Emby Token="x"', false), undefined);
		assert.deepEqual(parseMediaBrowserHeader('Emby Token="x"', true), {token: 'x'});
		assert.equal(parseMediaBrowserHeader('Bearer abc', true), undefined);
	});

	it('takes the token from every legacy place (legacy authorization on by default)', async () => {
		const token = jellyfin.addApiKey('legacy-test');
		const ok = async (route: string, headers: Record<string, string> = {}) => (await call(base, 'GET', route, {headers})).status;
		assert.equal(await ok('/System/Info', {authorization: `mediabrowser Token=${token}`}), 200, 'unquoted, lower-case scheme');
		assert.equal(await ok('/System/Info', {authorization: `Emby Token="${token}"`}), 200);
		assert.equal(await ok('/System/Info', {'x-emby-authorization': `MediaBrowser Client="Jellyseerr", Token="${token}"`}), 200);
		assert.equal(await ok('/System/Info', {'x-emby-token': token}), 200);
		assert.equal(await ok('/System/Info', {'x-mediabrowser-token': token}), 200);
		assert.equal(await ok(`/System/Info?api_key=${token}`), 200);
		assert.equal(await ok(`/System/Info?ApiKey=${token}`), 200);
		assert.equal(await ok('/System/Info', {authorization: `Bearer ${token}`}), 401, 'other schemes carry no token');
	});

	it('honours only the MediaBrowser header and ?ApiKey= when legacy authorization is off', async () => {
		const strict = new JellyfinEmulator({admin, legacyAuthorization: false});
		await strict.start();
		try {
			const token = strict.addApiKey('strict');
			const status = async (route: string, headers: Record<string, string> = {}) => (await call(strict.url, 'GET', route, {headers})).status;
			assert.equal(await status('/System/Info', {authorization: `MediaBrowser Token="${token}"`}), 200);
			assert.equal(await status(`/System/Info?ApiKey=${token}`), 200);
			assert.equal(await status('/System/Info', {authorization: `Emby Token="${token}"`}), 401);
			assert.equal(await status('/System/Info', {'x-emby-authorization': `MediaBrowser Token="${token}"`}), 401);
			assert.equal(await status('/System/Info', {'x-emby-token': token}), 401);
			assert.equal(await status('/System/Info', {'x-mediabrowser-token': token}), 401);
			assert.equal(await status(`/System/Info?api_key=${token}`), 401);
		} finally {
			await strict.stop();
		}
	});

	// Jellyfin.Server.Implementations/Security/AuthorizationContext.cs reads X-Emby-Authorization, X-Emby-Token,
	// X-MediaBrowser-Token and ?api_key= only with EnableLegacyAuthorization (MediaBrowser.Model/Configuration/
	// ServerConfiguration.cs), which 12.0 turns off (the DisableLegacyAuthorization migration).
	it('claims Jellyfin 12 with legacy authorization off: only Authorization: MediaBrowser ... Token and ?ApiKey= are honoured', async () => {
		const twelve = new JellyfinEmulator({admin, version: '12.0.0'});
		await twelve.start();
		try {
			assert.equal(twelve.legacyAuthorization, false);
			assert.equal((await call(twelve.url, 'GET', '/System/Info/Public')).json.Version, '12.0.0');
			const token = twelve.addApiKey('twelve');
			const status = async (route: string, headers: Record<string, string> = {}) => (await call(twelve.url, 'GET', route, {headers})).status;
			assert.equal(await status('/System/Info', {authorization: `MediaBrowser Client="arrwire", Token="${token}"`}), 200);
			assert.equal(await status(`/System/Info?ApiKey=${token}`), 200);
			assert.equal(await status('/System/Info', {'x-emby-token': token}), 401);
			assert.equal(await status('/System/Info', {'x-mediabrowser-token': token}), 401);
			assert.equal(await status('/System/Info', {'x-emby-authorization': `MediaBrowser Token="${token}"`}), 401);
			assert.equal(await status(`/System/Info?api_key=${token}`), 401);
			// A sign-in whose client details come in the legacy header has none: Jellyfin refuses it.
			const legacyLogin = await call(twelve.url, 'POST', '/Users/AuthenticateByName', {
				headers: {'x-emby-authorization': `MediaBrowser ${DEVICE}`},
				json: {Username: admin.name, Pw: admin.password},
			});
			assert.equal(legacyLogin.status, 400);
			assert.equal((await login(twelve.url, admin.name, admin.password)).status, 200);
			assertNoSpecViolations(twelve);
		} finally {
			await twelve.stop();
		}
	});

	it('manages API keys: admin only, POST answers 204 without a body, the key works as an administrator', async () => {
		const session = (await login(base, admin.name, admin.password)).json.AccessToken as string;
		const created = await call(base, 'POST', '/Auth/Keys?app=arrwire-test', {headers: mb(session)});
		assert.equal(created.status, 204);
		assert.equal(created.text, '');
		assert.equal((await call(base, 'POST', '/Auth/Keys?App=Jellyseerr', {headers: mb(session)})).status, 204, 'App= binds too');
		assert.equal((await call(base, 'POST', '/Auth/Keys', {headers: mb(session)})).status, 400, 'app is required');
		assert.equal(jellyfin.violations.splice(0).length, 1, 'and the spec says so');
		const list = await call(base, 'GET', '/Auth/Keys', {headers: mb(session)});
		assert.equal(list.status, 200);
		assert.equal(list.json.TotalRecordCount, list.json.Items.length);
		assert.equal(list.json.StartIndex, 0);
		const item = list.json.Items.find((key: {AppName: string}) => key.AppName === 'arrwire-test');
		assert.ok(item);
		assert.match(item.AccessToken, /^[0-9a-f]{32}$/);
		assert.equal(item.DeviceId, '');
		assert.ok(!Number.isNaN(Date.parse(item.DateCreated)));
		assert.ok(list.json.Items.some((key: {AppName: string}) => key.AppName === 'Jellyseerr'));
		assert.ok(jellyfin.apiKeys().some(key => key.token === item.AccessToken && key.appName === 'arrwire-test'));

		// An API key acts as an administrator.
		assert.equal((await call(base, 'GET', '/Auth/Keys', {headers: mb(item.AccessToken)})).status, 200);
		assert.equal((await call(base, 'GET', '/Library/VirtualFolders', {headers: {'x-emby-token': item.AccessToken}})).status, 200);

		const removed = await call(base, 'DELETE', `/Auth/Keys/${item.AccessToken}`, {headers: mb(session)});
		assert.equal(removed.status, 204);
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb(item.AccessToken)})).status, 401, 'a deleted key is refused');
		assert.ok(!jellyfin.apiKeys().some(key => key.token === item.AccessToken));
	});

	it('refuses admin endpoints to a non-administrator with 403', async () => {
		jellyfin.addUser({name: 'viewer', password: 'viewer-pass', admin: false});
		const ok = await login(base, 'viewer', 'viewer-pass', 'Client="c", Device="d", DeviceId="viewer-device", Version="1"');
		assert.equal(ok.json.User.Policy.IsAdministrator, false);
		const token = ok.json.AccessToken as string;
		assert.equal((await call(base, 'GET', '/System/Info', {headers: mb(token)})).status, 200, 'any user reads system info');
		assert.equal((await call(base, 'GET', '/Auth/Keys', {headers: mb(token)})).status, 403);
		assert.equal((await call(base, 'POST', '/Auth/Keys?app=x', {headers: mb(token)})).status, 403);
		assert.equal((await call(base, 'GET', '/Startup/Configuration', {headers: mb(token)})).status, 403);
		assert.equal((await call(base, 'GET', '/Library/VirtualFolders', {headers: mb(token)})).status, 403);
		assert.equal((await call(base, 'POST', '/Library/Refresh', {headers: mb(token)})).status, 403);
		assert.equal((await call(base, 'GET', '/Items', {headers: mb(token)})).status, 200);
	});

	it('lists a folder (GET /Environment/DirectoryContents) for administrators only: hidden files too, a missing folder is a 404, a container sees its mounts only', async () => {
		const key = jellyfin.addApiKey('listing');
		const tv = path.join(dataDir, 'tv');
		writeFileSync(path.join(tv, '.hidden'), 'x');
		mkdirSync(path.join(tv, 'Show'), {recursive: true});
		const list = (folder: string, flags: string, token = key) => call(base, 'GET', `/Environment/DirectoryContents?path=${encodeURIComponent(folder)}${flags}`, {headers: mb(token)});
		const both = await list(tv, '&includeFiles=true&includeDirectories=true');
		assert.equal(both.status, 200);
		assert.deepEqual(both.json, [
			{Name: '.hidden', Path: `${tv}/.hidden`, Type: 'File'},
			{Name: 'Show', Path: `${tv}/Show`, Type: 'Directory'},
		]);
		assert.deepEqual((await list(tv, '')).json, [], 'neither files nor folders unless asked');
		const missing = await list(path.join(dataDir, 'nope'), '&includeFiles=true');
		assert.equal(missing.status, 404);
		assert.equal(missing.text, 'Error processing request.');
		jellyfin.addUser({name: 'lister', password: 'lister-pass', admin: false});
		const viewer = await login(base, 'lister', 'lister-pass', 'Client="c", Device="d", DeviceId="lister-device", Version="1"');
		assert.equal((await list(tv, '&includeFiles=true', viewer.json.AccessToken as string)).status, 403);
		// A container that mounts only the movies: the TV folder is not there for it.
		jellyfin.mounts = [{source: path.join(dataDir, 'movies'), destination: '/media/movies'}];
		try {
			assert.equal((await list(tv, '&includeFiles=true')).status, 404);
			assert.equal((await list('/media/movies', '&includeFiles=true')).status, 200);
		} finally {
			jellyfin.mounts = undefined;
			rmSync(path.join(tv, '.hidden'));
			rmSync(path.join(tv, 'Show'), {recursive: true});
		}
	});

	it('creates libraries: collection types, paths that must exist, the Name2 quirk', async () => {
		const key = jellyfin.addApiKey('libraries');
		const headers = mb(key);
		const movies = path.join(dataDir, 'movies');
		const tv = path.join(dataDir, 'tv');
		const post = (query: string, json?: unknown) => call(base, 'POST', `/Library/VirtualFolders?${query}`, {headers, json});

		assert.equal((await post(`name=Movies&collectionType=films&paths=${encodeURIComponent(movies)}`)).status, 400, 'unknown collection type');
		assert.equal(jellyfin.violations.splice(0).length, 1, 'the spec lists the collection types');
		const missing = await post(`name=Movies&collectionType=movies&paths=${encodeURIComponent('/no/such/dir')}`);
		assert.equal(missing.status, 400);
		assert.equal(missing.text, 'The specified path does not exist: /no/such/dir');
		assert.equal(jellyfin.folders().length, 0, 'nothing was created');

		assert.equal((await post(`name=Movies&collectionType=movies&paths=${encodeURIComponent(movies)}&refreshLibrary=false`)).status, 204);
		assert.equal((await post('name=Shows&collectionType=tvshows', {LibraryOptions: {PathInfos: [{Path: tv}]}})).status, 204, 'paths in the body');
		assert.equal((await post(`name=Movies&collectionType=movies&paths=${encodeURIComponent(movies)}`)).status, 204, 'a name collision does not fail');
		assert.equal((await post(`name=Movies&collectionType=movies&paths=${encodeURIComponent(movies)}`)).status, 204);

		const list = await call(base, 'GET', '/Library/VirtualFolders', {headers});
		assert.equal(list.status, 200);
		assert.deepEqual(
			list.json.map((folder: {Name: string}) => folder.Name),
			['Movies', 'Shows', 'Movies2', 'Movies3'],
		);
		const first = list.json[0];
		assert.deepEqual(first.Locations, [movies]);
		assert.equal(first.CollectionType, 'movies');
		assert.deepEqual(first.LibraryOptions.PathInfos, [{Path: movies}]);
		assert.match(first.ItemId, /^[0-9a-f]{32}$/);
		assert.equal(first.PrimaryImageItemId, '');
		assert.equal(first.RefreshStatus, 'Idle');
		assert.equal(list.json[1].CollectionType, 'tvshows');
		assert.deepEqual(list.json[1].Locations, [tv]);

		// Paths can be added and removed later.
		assert.equal((await call(base, 'POST', '/Library/VirtualFolders/Paths?refreshLibrary=false', {headers, json: {Name: 'Shows', PathInfo: {Path: movies}}})).status, 204);
		assert.deepEqual(jellyfin.folders().find(folder => folder.name === 'Shows')?.locations, [tv, movies]);
		assert.equal((await call(base, 'POST', '/Library/VirtualFolders/Paths', {headers, json: {Name: 'Shows', PathInfo: {Path: '/no/such'}}})).status, 400);
		assert.equal((await call(base, 'POST', '/Library/VirtualFolders/Paths', {headers, json: {Name: 'Nope', PathInfo: {Path: tv}}})).status, 404);
		assert.equal((await call(base, 'DELETE', `/Library/VirtualFolders/Paths?name=Shows&path=${encodeURIComponent(movies)}`, {headers})).status, 204);
		assert.deepEqual(jellyfin.folders().find(folder => folder.name === 'Shows')?.locations, [tv]);

		// What Jellyseerr reads.
		const media = await call(base, 'GET', '/Library/MediaFolders', {headers});
		assert.equal(media.status, 200);
		assert.equal(media.json.TotalRecordCount, 4);
		assert.equal(media.json.StartIndex, 0);
		assert.deepEqual(
			{Name: media.json.Items[0].Name, Id: media.json.Items[0].Id, CollectionType: media.json.Items[0].CollectionType, Type: media.json.Items[0].Type},
			{Name: 'Movies', Id: first.ItemId, CollectionType: 'movies', Type: 'CollectionFolder'},
		);
		const userId = jellyfin.userList()[0]!.id;
		const views = await call(base, 'GET', `/Users/${userId}/Views`, {headers});
		assert.equal(views.status, 200);
		assert.equal(views.json.Items.length, 4);

		assert.equal((await call(base, 'DELETE', '/Library/VirtualFolders?name=Movies3', {headers})).status, 204);
		assert.equal((await call(base, 'DELETE', '/Library/VirtualFolders?name=Movies3', {headers})).status, 404);
		assert.deepEqual(
			jellyfin.folders().map(folder => folder.name),
			['Movies', 'Shows', 'Movies2'],
		);
	});

	// Jellyfin.Api/Controllers/LibraryStructureController.cs (AddVirtualFolder: the body's LibraryOptions or
	// `new LibraryOptions()`; UpdateLibraryOptions replaces them) and MediaBrowser.Model/Configuration/LibraryOptions.cs
	// (the defaults: EnableRealtimeMonitor has no initializer, so it is false; Enabled is true).
	it('stores LibraryOptions as sent over the real defaults, records the scan a creation starts, and replaces options on update', async () => {
		const key = jellyfin.addApiKey('options');
		const headers = mb(key);
		const tv = path.join(dataDir, 'tv');
		const scans = jellyfin.scansStarted.length;
		assert.equal((await call(base, 'POST', `/Library/VirtualFolders?name=Bare&collectionType=tvshows&paths=${encodeURIComponent(tv)}`, {headers})).status, 204);
		assert.equal(
			(await call(base, 'POST', '/Library/VirtualFolders?name=Watched&collectionType=tvshows&refreshLibrary=true', {
				headers,
				json: {LibraryOptions: {EnableRealtimeMonitor: true, SeasonZeroDisplayName: 'Extras', PreferredMetadataLanguage: 'de', PathInfos: [{Path: tv}]}},
			})).status,
			204,
		);
		assert.deepEqual(jellyfin.scansStarted.slice(scans), ['Watched'], 'only refreshLibrary=true starts a scan');
		const list = (await call(base, 'GET', '/Library/VirtualFolders', {headers})).json as Array<{Name: string; ItemId: string; LibraryOptions: Record<string, unknown>}>;
		const bare = list.find(folder => folder.Name === 'Bare')!.LibraryOptions;
		assert.equal(bare.EnableRealtimeMonitor, false);
		assert.equal(bare.Enabled, true);
		assert.equal(bare.EnablePhotos, true);
		assert.equal(bare.SaveSubtitlesWithMedia, true);
		assert.equal(bare.SeasonZeroDisplayName, 'Specials');
		assert.equal(bare.AllowEmbeddedSubtitles, 'AllowAll');
		assert.deepEqual(bare.CustomTagDelimiters, ['/', '|', ';', '\\']);
		assert.equal('PreferredMetadataLanguage' in bare, false, 'null options are left out of the JSON');
		assert.deepEqual(bare.PathInfos, [{Path: tv}]);
		const watched = list.find(folder => folder.Name === 'Watched')!;
		assert.equal(watched.LibraryOptions.EnableRealtimeMonitor, true);
		assert.equal(watched.LibraryOptions.SeasonZeroDisplayName, 'Extras');
		assert.equal(watched.LibraryOptions.PreferredMetadataLanguage, 'de');

		const update = (json: unknown) => call(base, 'POST', '/Library/VirtualFolders/LibraryOptions', {headers, json});
		assert.equal((await update({Id: watched.ItemId, LibraryOptions: {EnableRealtimeMonitor: false}})).status, 204);
		const replaced = jellyfin.folders().find(folder => folder.name === 'Watched')!;
		assert.equal(replaced.options.EnableRealtimeMonitor, false);
		assert.equal(replaced.options.SeasonZeroDisplayName, 'Specials', 'what is not sent falls back to its default');
		assert.deepEqual(replaced.locations, [tv], 'the folders stay');
		assert.equal((await update({Id: '0123456789abcdef0123456789abcdef', LibraryOptions: {}})).status, 404);
		for (const name of ['Bare', 'Watched']) {
			await call(base, 'DELETE', `/Library/VirtualFolders?name=${name}`, {headers});
		}
	});

	it('checks every request against the OpenAPI document of its version: off-spec requests are refused and recorded', async () => {
		const key = jellyfin.addApiKey('spec');
		const offSpec = await call(base, 'POST', `/Library/VirtualFolders?name=Odd&collectionType=movies`, {headers: mb(key), json: {LibraryOptions: {EnableRealtimeMonitoring: true}}});
		assert.equal(offSpec.status, 400);
		assert.match(offSpec.text, /EnableRealtimeMonitoring/);
		assert.equal(jellyfin.folders().some(folder => folder.name === 'Odd'), false);
		assert.match(jellyfin.violations.splice(0).join('\n'), /does not fit the OpenAPI spec/);
		// ?ApiKey= is read by AuthorizationContext on any route, though the document declares only the header.
		assert.equal((await call(base, 'GET', `/System/Info?ApiKey=${key}`)).status, 200);
		assert.deepEqual(jellyfin.violations, []);

		assert.equal(jellyfinSpecName('10.11.11'), 'jellyfin-10.11');
		assert.equal(jellyfinSpecName('12.0.0'), 'jellyfin-12');
		// 12.0 dropped routes 10.11 still has.
		assert.equal(SpecChecker.load('jellyfin-10.11').has('GET', '/Environment/NetworkShares'), true);
		assert.equal(SpecChecker.load('jellyfin-12').has('GET', '/Environment/NetworkShares'), false);
	});

	// Jellyfin.Api/Controllers/UserController.cs (GetUsers, GetUserById, GetCurrentUser) and UserLibraryController.cs
	// (GetLatestMedia): what Jellyseerr calls for its user import, its library sync fallback and its recently-added scan.
	it('lists users, reads one by id (404 otherwise), answers /Users/Me for a session, and the latest items', async () => {
		const key = jellyfin.addApiKey('users');
		const users = await call(base, 'GET', '/Users', {headers: mb(key)});
		assert.equal(users.status, 200);
		const adminUser = jellyfin.userList().find(user => user.name === admin.name)!;
		assert.ok((users.json as Array<{Name: string}>).some(user => user.Name === admin.name));
		assert.equal((await call(base, 'GET', '/Users')).status, 401);
		const one = await call(base, 'GET', `/Users/${adminUser.id}`, {headers: mb(key)});
		assert.equal(one.status, 200);
		assert.equal(one.json.Id, adminUser.id);
		assert.equal(one.json.Policy.IsAdministrator, true);
		assert.deepEqual(one.json.Configuration.GroupedFolders, []);
		const missing = await call(base, 'GET', '/Users/0123456789abcdef0123456789abcdef', {headers: mb(key)});
		assert.equal(missing.status, 404);
		assert.equal(missing.text, 'User not found');
		assert.equal((await call(base, 'GET', '/Users/Me', {headers: mb(key)})).status, 400, 'an API key is no user');
		const session = (await login(base, admin.name, admin.password)).json.AccessToken as string;
		assert.equal((await call(base, 'GET', '/Users/Me', {headers: mb(session)})).json.Id, adminUser.id);
		const latest = await call(base, 'GET', `/Items/Latest?Limit=12&ParentId=${'0'.repeat(32)}&userId=${adminUser.id}`, {headers: mb(key)});
		assert.equal(latest.status, 200);
		assert.deepEqual(latest.json, []);
	});

	it('takes library refreshes and media updates (what Sonarr/Radarr send)', async () => {
		const key = jellyfin.addApiKey('Sonarr');
		const before = jellyfin.libraryRefreshes;
		assert.equal((await call(base, 'POST', '/Library/Refresh', {headers: mb(key)})).status, 204);
		assert.equal(jellyfin.libraryRefreshes, before + 1);
		assert.equal((await call(base, 'POST', '/Library/Refresh')).status, 401);
		const updated = await call(base, 'POST', '/Library/Media/Updated', {
			headers: {'x-mediabrowser-token': key},
			json: {Updates: [{Path: '/data/media/tv/Show/Season 1', UpdateType: 'Created'}]},
		});
		assert.equal(updated.status, 204);
		assert.deepEqual(jellyfin.mediaUpdates, ['/data/media/tv/Show/Season 1']);
		assert.deepEqual(jellyfin.mediaUpdateDetails, [{path: '/data/media/tv/Show/Season 1', updateType: 'Created'}]);
		const items = await call(base, 'GET', '/Items?ParentId=abc', {headers: mb(key)});
		assert.deepEqual(items.json, {Items: [], TotalRecordCount: 0, StartIndex: 0});
	});
});

describe('the lab Jellyfin (first-run wizard)', () => {
	let jellyfin: JellyfinEmulator;
	let base: string;
	let dataDir: string;
	before(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'arrwire-jfw-'));
		jellyfin = new JellyfinEmulator({wizardCompleted: false});
		await jellyfin.start();
		base = jellyfin.url;
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(dataDir, {recursive: true, force: true});
	});

	it('runs the wizard anonymously, then locks /Startup to administrators', async () => {
		assert.equal((await call(base, 'GET', '/System/Info/Public')).json.StartupWizardCompleted, false);
		assert.equal(jellyfin.userList().length, 0, 'no user before the wizard reads /Startup/User');
		const early = await call(base, 'POST', '/Startup/User', {json: {Name: 'boss', Password: 'pw-123456'}});
		assert.equal(early.status, 404, 'no first user yet');

		const configuration = await call(base, 'GET', '/Startup/Configuration');
		assert.equal(configuration.status, 200);
		assert.deepEqual(Object.keys(configuration.json).sort(), ['MetadataCountryCode', 'PreferredMetadataLanguage', 'ServerName', 'UICulture']);
		assert.equal((await call(base, 'POST', '/Startup/Configuration', {json: {ServerName: 'renamed', UICulture: 'en-US', MetadataCountryCode: 'DE', PreferredMetadataLanguage: 'de'}})).status, 204);
		assert.equal((await call(base, 'GET', '/System/Info/Public')).json.ServerName, 'renamed');

		const user = await call(base, 'GET', '/Startup/User');
		assert.equal(user.status, 200);
		assert.equal(user.json.Name, 'jellyfin');
		assert.equal((await call(base, 'GET', '/Startup/FirstUser')).json.Name, 'jellyfin');
		assert.equal(jellyfin.userList().length, 1, 'reading twice creates one user');

		const blank = await call(base, 'POST', '/Startup/User', {json: {Name: 'boss', Password: ''}});
		assert.equal(blank.status, 400);
		assert.equal(blank.text, 'Password must not be empty');
		assert.equal((await call(base, 'POST', '/Startup/User', {json: {Name: 'boss', Password: 'pw-123456'}})).status, 204);
		assert.equal((await call(base, 'GET', '/Startup/User')).json.Name, 'boss', 'renamed');

		// Libraries during the wizard need no token (FirstTimeSetupOrElevated).
		assert.equal((await call(base, 'POST', `/Library/VirtualFolders?name=Films&collectionType=movies&paths=${encodeURIComponent(dataDir)}`)).status, 204);
		assert.equal((await call(base, 'GET', '/Library/VirtualFolders')).json[0].Name, 'Films');

		assert.equal((await call(base, 'POST', '/Startup/RemoteAccess', {json: {EnableRemoteAccess: false, EnableAutomaticPortMapping: false}})).status, 204);
		assert.equal(jellyfin.remoteAccess, false);
		assert.equal((await call(base, 'POST', '/Startup/RemoteAccess', {json: {}})).status, 400);
		assert.equal((await call(base, 'POST', '/Startup/Complete')).status, 204);
		assert.equal((await call(base, 'GET', '/System/Info/Public')).json.StartupWizardCompleted, true);

		assert.equal((await call(base, 'GET', '/Startup/Configuration')).status, 401, 'anonymous no more');
		assert.equal((await call(base, 'GET', '/Library/VirtualFolders')).status, 401);
		const session = await login(base, 'boss', 'pw-123456');
		assert.equal(session.status, 200);
		assert.equal(session.json.User.Policy.IsAdministrator, true);
		assert.equal((await call(base, 'GET', '/Startup/Configuration', {headers: mb(session.json.AccessToken)})).status, 200, 'admins still may');
	});
});
