// The Jellyfin client against the lab Jellyfin: first-run wizard, sign-in, API keys, libraries, error texts.
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, rmSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {JellyfinClient, jellyfinDeviceId} from '../../source/services/jellyfin.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {rejection, assertNoSecret} from '../helpers.js';

describe('Jellyfin client: the first-run wizard', () => {
	let jellyfin: JellyfinEmulator;
	let dataDir: string;
	before(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'arrwire-jfc-'));
		mkdirSync(path.join(dataDir, 'movies'));
		mkdirSync(path.join(dataDir, 'tv'));
		jellyfin = new JellyfinEmulator({wizardCompleted: false, serverName: 'fresh'});
		await jellyfin.start();
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(dataDir, {recursive: true, force: true});
	});

	it('runs the whole wizard, creates libraries, signs in and makes an API key', async () => {
		const client = new JellyfinClient({url: jellyfin.url});
		const info = await client.publicInfo();
		assert.equal(info.StartupWizardCompleted, false);
		assert.equal(info.ServerName, 'fresh');
		assert.equal(info.Version, '10.11.11');

		const configuration = await client.startupConfiguration();
		await client.setStartupConfiguration({...configuration, ServerName: 'media'});
		assert.equal((await client.publicInfo()).ServerName, 'media');

		const blank = await rejection(client.setStartupUser('boss', ''));
		assert.equal(blank.status, 404, 'without reading /Startup/User first there is no user');
		assert.match(blank.fix, /Startup\/User first/);

		assert.deepEqual(await client.startupUser(), {Name: 'jellyfin'});
		const empty = await rejection(client.setStartupUser('boss', ''));
		assert.equal(empty.status, 400);
		assert.equal(empty.kind, 'validation');
		assert.match(empty.message, /Password must not be empty/);
		await client.setStartupUser('boss', 'boss-password-1');
		assert.deepEqual(await client.startupUser(), {Name: 'boss'});

		await client.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [path.join(dataDir, 'movies')]});
		await client.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: [path.join(dataDir, 'tv')], refreshLibrary: true});
		await client.setRemoteAccess(false);
		assert.equal(jellyfin.remoteAccess, false);
		await client.completeStartup();
		assert.equal((await client.publicInfo()).StartupWizardCompleted, true);

		const locked = await rejection(client.virtualFolders());
		assert.equal(locked.status, 401, 'after the wizard, libraries need a token');
		assert.equal(locked.kind, 'unauthorized');
		assert.match(locked.fix, /Dashboard → API Keys/);

		const session = await client.authenticateByName('boss', 'boss-password-1');
		assert.equal(session.User.Name, 'boss');
		assert.equal(session.User.Policy?.IsAdministrator, true);
		assert.equal(client.token, session.AccessToken);
		assert.equal((await client.systemInfo()).Id, info.Id);

		const key = await client.createApiKey('Sonarr');
		assert.ok(jellyfin.apiKeys().some(item => item.token === key && item.appName === 'Sonarr'));
		const keyed = new JellyfinClient({url: jellyfin.url, token: key});
		const folders = await keyed.virtualFolders();
		assert.deepEqual(
			folders.map(folder => [folder.Name, folder.CollectionType, folder.Locations]),
			[
				['Movies', 'movies', [path.join(dataDir, 'movies')]],
				['Shows', 'tvshows', [path.join(dataDir, 'tv')]],
			],
		);
		const media = await keyed.mediaFolders();
		assert.deepEqual(
			media.map(folder => [folder.Name, folder.Id, folder.CollectionType]),
			folders.map(folder => [folder.Name, folder.ItemId, folder.CollectionType]),
		);
	});
});

describe('Jellyfin client: a configured server', () => {
	const admin = {name: 'admin', password: 'admin-password-7'};
	let jellyfin: JellyfinEmulator;
	let dataDir: string;
	before(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'arrwire-jfc-'));
		mkdirSync(path.join(dataDir, 'movies'));
		mkdirSync(path.join(dataDir, 'extra'));
		jellyfin = new JellyfinEmulator({admin});
		await jellyfin.start();
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(dataDir, {recursive: true, force: true});
	});

	it('sends the MediaBrowser header with a stable DeviceId per URL', () => {
		const client = new JellyfinClient({url: jellyfin.url});
		assert.equal(client.deviceId, jellyfinDeviceId(jellyfin.url));
		assert.equal(new JellyfinClient({url: jellyfin.url + '/'}).deviceId, client.deviceId);
		assert.notEqual(jellyfinDeviceId('http://other:8096'), client.deviceId);
		assert.equal(new JellyfinClient({url: jellyfin.url, deviceId: 'mine'}).deviceId, 'mine');
		assert.match(client.authorization(), /^MediaBrowser Client="arrwire", Device="arrwire", DeviceId="arrwire-[0-9a-f]{16}", Version="0\.1\.0"$/);
		assert.match(client.authorization('abc'), /, Token="abc"$/);
	});

	it('signs in, keeps the token, and a second sign-in from the same client replaces the first session only', async () => {
		const other = jellyfin.addApiKey('someone-else');
		const client = new JellyfinClient({url: jellyfin.url});
		const first = await client.authenticateByName(admin.name, admin.password);
		const second = await client.authenticateByName(admin.name, admin.password);
		assert.notEqual(first.AccessToken, second.AccessToken);
		const tokens = jellyfin.sessionTokens().map(session => session.token);
		assert.ok(!tokens.includes(first.AccessToken));
		assert.ok(tokens.includes(second.AccessToken));
		assert.ok(jellyfin.apiKeys().some(key => key.token === other), 'API keys are untouched');
		assert.equal((await client.systemInfo()).ServerName, 'arrwire-lab');
	});

	it('refuses a wrong password without showing it', async () => {
		const client = new JellyfinClient({url: jellyfin.url});
		const refused = await rejection(client.authenticateByName(admin.name, 'not-the-password-42'));
		assert.equal(refused.status, 401);
		assert.equal(refused.kind, 'unauthorized');
		assert.equal(refused.service, 'Jellyfin');
		assert.match(refused.message, /Invalid username or password entered/);
		assert.match(refused.url, /\/Users\/AuthenticateByName$/);
		assertNoSecret(refused, 'not-the-password-42');
	});

	it('refuses an unknown token with advice and without the token', async () => {
		const token = 'f00dfeedf00dfeedf00dfeedf00dfeed';
		const client = new JellyfinClient({url: jellyfin.url, token});
		const refused = await rejection(client.apiKeys());
		assert.equal(refused.status, 401);
		assert.match(refused.fix, /the token was refused: create an API key in Dashboard → API Keys, or sign in with an administrator/);
		assertNoSecret(refused, token);
	});

	it('says when the user is not an administrator (403)', async () => {
		jellyfin.addUser({name: 'kid', password: 'kid-password-3', admin: false});
		const client = new JellyfinClient({url: jellyfin.url});
		const session = await client.authenticateByName('kid', 'kid-password-3');
		assert.equal(session.User.Policy?.IsAdministrator, false);
		const refused = await rejection(client.createApiKey('arrwire'));
		assert.equal(refused.status, 403);
		assert.equal(refused.kind, 'forbidden');
		assert.match(refused.fix, /not an administrator/);
		assertNoSecret(refused, session.AccessToken, 'kid-password-3');
	});

	it('creates, lists and deletes API keys; the newest key with the name wins', async () => {
		const client = new JellyfinClient({url: jellyfin.url});
		await client.authenticateByName(admin.name, admin.password);
		const first = await client.createApiKey('arrwire');
		const second = await client.createApiKey('arrwire');
		assert.notEqual(first, second);
		const keys = await client.apiKeys();
		assert.ok(keys.some(key => key.AccessToken === first && key.AppName === 'arrwire'));
		assert.ok(keys.some(key => key.AccessToken === second));
		await client.deleteApiKey(first);
		assert.ok(!(await client.apiKeys()).some(key => key.AccessToken === first));
		const keyed = new JellyfinClient({url: jellyfin.url, token: second});
		assert.ok((await keyed.apiKeys()).length > 0, 'an API key acts as an administrator');
	});

	it('manages libraries: the Name2 quirk, a missing path (400 with advice), added paths, removal, refresh', async () => {
		const key = jellyfin.addApiKey('arrwire-libraries');
		const client = new JellyfinClient({url: jellyfin.url, token: key});
		const movies = path.join(dataDir, 'movies');
		await client.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [movies]});
		await client.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [movies]});
		assert.deepEqual(
			(await client.virtualFolders()).map(folder => folder.Name),
			['Movies', 'Movies2'],
			'Jellyfin does not refuse a name twice: it numbers the copy',
		);

		const missing = await rejection(client.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: ['/srv/not/there']}));
		assert.equal(missing.status, 400);
		assert.equal(missing.kind, 'validation');
		assert.match(missing.message, /The specified path does not exist: \/srv\/not\/there/);
		assert.match(missing.fix, /must exist inside Jellyfin/);
		assertNoSecret(missing, key);

		await client.addPathToVirtualFolder('Movies', path.join(dataDir, 'extra'));
		assert.deepEqual((await client.virtualFolders())[0]?.Locations, [movies, path.join(dataDir, 'extra')]);
		const badPath = await rejection(client.addPathToVirtualFolder('Movies', '/srv/nowhere'));
		assert.equal(badPath.status, 400);
		assert.match(badPath.fix, /must exist inside Jellyfin/);

		await client.removeVirtualFolder('Movies2');
		assert.deepEqual(
			(await client.virtualFolders()).map(folder => folder.Name),
			['Movies'],
		);
		const refreshes = jellyfin.libraryRefreshes;
		await client.refreshLibrary();
		assert.equal(jellyfin.libraryRefreshes, refreshes + 1);
		assert.deepEqual(
			(await client.mediaFolders()).map(folder => [folder.Name, folder.Type]),
			[['Movies', 'CollectionFolder']],
		);
	});

	it('does not take an answer of the wrong shape', async () => {
		const server = http.createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({Name: 'not jellyfin'}));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		try {
			const client = new JellyfinClient({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`});
			const wrong = await rejection(client.publicInfo());
			assert.equal(wrong.kind, 'bad-response');
			// The user reads which field was wrong and how, in English.
			assert.equal(wrong.serviceMessage, 'unexpected answer (ServerName: Invalid input: expected string, received undefined; Version: Invalid input: expected string, received undefined; Id: Invalid input: expected string, received undefined)');
		} finally {
			await new Promise<void>(resolve => server.close(() => resolve()));
		}
	});
});
