// The Jellyseerr/Seerr emulator behaves as the real server does (its source, and a real Jellyseerr driven on
// loopback), talking to the Jellyfin and Sonarr/Radarr emulators over real HTTP.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {JellyseerrEmulator, seerrApiKey} from '../../source/lab/jellyseerr.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {assertNoSpecViolations, randomKey} from '../../source/lab/harness.js';
import {freePort} from '../../source/lab/qbittorrent.js';

interface Reply {
	status: number;
	body: any;
	text: string;
	headers: Headers;
}

async function send(base: string, method: string, route: string, options: {key?: string; cookie?: string; body?: unknown; headers?: Record<string, string>} = {}): Promise<Reply> {
	const headers: Record<string, string> = {...options.headers};
	if (options.key !== undefined) {
		headers['X-Api-Key'] = options.key;
	}
	if (options.cookie) {
		headers.cookie = options.cookie;
	}
	if (options.body !== undefined) {
		headers['content-type'] = 'application/json';
	}
	const response = await fetch(base + route, {method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual', signal: AbortSignal.timeout(10_000)});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// HTML or empty.
	}
	return {status: response.status, body, text, headers: response.headers};
}

/** Creates a Jellyfin library through its API (no paths needed) and returns its item id. */
async function addLibrary(jellyfin: JellyfinEmulator, token: string, name: string, collectionType: string): Promise<string> {
	const response = await fetch(`${jellyfin.url}/Library/VirtualFolders?name=${encodeURIComponent(name)}&collectionType=${collectionType}&refreshLibrary=false`, {
		method: 'POST',
		headers: {Authorization: `MediaBrowser Token="${token}"`},
	});
	assert.equal(response.status, 204, await response.text());
	return jellyfin.folders().find(folder => folder.name === name)!.itemId;
}

const ADMIN = {name: 'admin', password: 'jf-admin-pw'};
const VIEWER = {name: 'viewer', password: 'viewer-pw'};

function firstSignIn(jellyfin: JellyfinEmulator, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		username: ADMIN.name,
		password: ADMIN.password,
		hostname: jellyfin.host,
		port: jellyfin.port,
		urlBase: '',
		useSsl: false,
		email: 'admin@example.org',
		serverType: 2,
		...overrides,
	};
}

function cookieOf(reply: Reply): string {
	const line = reply.headers.getSetCookie().find(candidate => candidate.startsWith('connect.sid='));
	assert.ok(line, 'a connect.sid cookie was set');
	return line.split(';')[0]!;
}

describe('Jellyseerr emulator', () => {
	let jellyfin: JellyfinEmulator;
	let jellyfinKey: string;
	let sonarr: ServarrEmulator;
	let radarr: ServarrEmulator;
	let seerr: JellyseerrEmulator;
	let apiKey: string;
	let configDir: string;
	let base: string;
	const sonarrKey = randomKey();
	const radarrKey = randomKey();
	let tvFolder: string;

	before(async () => {
		jellyfin = new JellyfinEmulator({serverName: 'lab-jellyfin', admin: ADMIN});
		jellyfin.addUser({name: VIEWER.name, password: VIEWER.password, admin: false});
		await jellyfin.start();
		jellyfinKey = jellyfin.addApiKey('test-setup');
		sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: sonarrKey, urlBase: '/sonarr'});
		radarr = new ServarrEmulator({kind: 'radarr', apiKey: radarrKey});
		await sonarr.start();
		await radarr.start();
		tvFolder = mkdtempSync(path.join(tmpdir(), 'arrwire-seerr-tv-'));
		const created = await fetch(`${sonarr.url}/api/v3/rootfolder`, {
			method: 'POST',
			headers: {'X-Api-Key': sonarrKey, 'content-type': 'application/json'},
			body: JSON.stringify({path: tvFolder}),
		});
		assert.equal(created.status, 201, await created.text());
	});

	after(async () => {
		await jellyfin?.stop();
		await sonarr?.stop();
		await radarr?.stop();
		rmSync(tvFolder, {recursive: true, force: true});
	});

	beforeEach(async () => {
		apiKey = seerrApiKey();
		configDir = mkdtempSync(path.join(tmpdir(), 'arrwire-seerr-config-'));
		seerr = new JellyseerrEmulator({apiKey, configDir});
		await seerr.start();
		base = seerr.url;
	});

	afterEach(async () => {
		try {
			assertNoSpecViolations(seerr, sonarr, radarr);
		} finally {
			await seerr.stop();
			rmSync(configDir, {recursive: true, force: true});
		}
	});

	/** Signs in the Jellyfin admin (first setup) and returns the session cookie. */
	async function setUp(): Promise<string> {
		const reply = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin)});
		assert.equal(reply.status, 200, reply.text);
		return cookieOf(reply);
	}

	it('answers the anonymous probes of a fresh install', async () => {
		assert.deepEqual((await send(base, 'GET', '/api/v1')).body, {api: 'Jellyseerr API', version: '1.0'});
		const status = await send(base, 'GET', '/api/v1/status');
		assert.equal(status.status, 200);
		assert.equal(status.body.version, '2.7.3');
		for (const key of ['commitTag', 'updateAvailable', 'commitsBehind', 'restartRequired']) {
			assert.ok(key in status.body, key);
		}
		const appdata = await send(base, 'GET', '/api/v1/status/appdata');
		assert.equal(appdata.body.appData, true);
		const publicSettings = await send(base, 'GET', '/api/v1/settings/public');
		assert.equal(publicSettings.status, 200);
		assert.equal(publicSettings.body.initialized, false);
		assert.equal(publicSettings.body.mediaServerType, 4);
		assert.equal(publicSettings.body.applicationTitle, 'Jellyseerr');
		// src/pages/_app.tsx: before setup every page sends the browser to /setup.
		for (const route of ['/', '/login']) {
			const page = await send(base, 'GET', route);
			assert.equal(page.status, 307, route);
			assert.equal(page.headers.get('location'), '/setup');
		}
		const setup = await send(base, 'GET', '/setup');
		assert.equal(setup.status, 200);
		assert.match(setup.text, /<title>Setup - Jellyseerr<\/title>/);
		// server/routes/settings/index.ts builds /settings/public without the Jellyfin server name.
		assert.equal('jellyfinServerName' in publicSettings.body, false);
	});

	it('writes settings.json with main.apiKey at start', () => {
		const file = JSON.parse(readFileSync(path.join(configDir, 'settings.json'), 'utf8'));
		assert.equal(file.main.apiKey, apiKey);
		assert.match(file.main.apiKey, /^[A-Za-z0-9+/]+=*$/, 'base64, as server/lib/settings makes it');
		assert.equal('migrations' in file, false);
		assert.equal(file.main.mediaServerType, 4);
		assert.equal(file.public.initialized, false);
		assert.deepEqual(file.sonarr, []);
		assert.deepEqual(file.radarr, []);
		assert.equal(file.jellyfin.ip, '');
		assert.ok(file.clientId && file.vapidPublic && file.vapidPrivate);
	});

	it('refuses with 401 without key or cookie, and 403 for a key before the first admin exists and for a wrong key', async () => {
		const none = await send(base, 'GET', '/api/v1/settings/main');
		assert.equal(none.status, 401);
		assert.equal(none.body.message, "cookie 'connect.sid' required");
		assert.ok(Array.isArray(none.body.errors));
		const early = await send(base, 'GET', '/api/v1/settings/main', {key: apiKey});
		assert.equal(early.status, 403);
		assert.deepEqual(early.body, {status: 403, error: 'You do not have permission to access this endpoint'});
		await setUp();
		const wrong = await send(base, 'GET', '/api/v1/settings/main', {key: 'not-the-key'});
		assert.equal(wrong.status, 403);
		assert.deepEqual(wrong.body, {status: 403, error: 'You do not have permission to access this endpoint'});
		const right = await send(base, 'GET', '/api/v1/settings/main', {key: apiKey});
		assert.equal(right.status, 200);
		assert.equal(right.body.apiKey, apiKey);
		assert.equal((await send(base, 'GET', '/api/v1/settings/main', {key: apiKey, headers: {'X-API-User': '1'}})).status, 200);
		// The header name is case-insensitive.
		const lower = await fetch(`${base}/api/v1/settings/main`, {headers: {'x-api-key': apiKey}});
		assert.equal(lower.status, 200);
	});

	// server/middleware/auth.ts checkUser: the right key acts as user 1 or as X-API-User; a wrong key falls back to
	// the session cookie.
	it('a wrong key with a valid session acts as the session user; X-API-User naming no user is refused', async () => {
		const cookie = await setUp();
		const fallback = await send(base, 'GET', '/api/v1/settings/main', {key: 'not-the-key', cookie});
		assert.equal(fallback.status, 200);
		const nobody = await send(base, 'GET', '/api/v1/settings/main', {key: apiKey, headers: {'X-API-User': '42'}});
		assert.equal(nobody.status, 403);
		assert.deepEqual(nobody.body, {status: 403, error: 'You do not have permission to access this endpoint'});
	});

	// express-openapi-validator 4.13 (package.json) with ajv 6, through the error handler of server/index.ts.
	it('answers a request off the spec as the validator of Jellyseerr 2.7 does', async () => {
		const reply = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: {username: ADMIN.name, hostname: jellyfin.host, port: jellyfin.port, serverType: 2}});
		assert.equal(reply.status, 400);
		assert.equal(reply.body.message, "request.body should have required property 'password'");
		assert.deepEqual(reply.body.errors, [{path: '.body.password', message: "should have required property 'password'", errorCode: 'required.openapi.validation'}]);
		assert.equal(seerr.violations.splice(0).length, 1, 'the violation was recorded');

		await setUp();
		const unknown = await send(base, 'GET', '/api/v1/settings/jellyfin/library?foo=1', {key: apiKey});
		assert.equal(unknown.status, 400);
		assert.deepEqual(unknown.body, {message: "Unknown query parameter 'foo'", errors: [{path: '.query.foo', message: "Unknown query parameter 'foo'"}]});
		const empty = await send(base, 'GET', '/api/v1/settings/jellyfin/library?enable=', {key: apiKey});
		assert.equal(empty.status, 400);
		assert.equal(empty.body.message, "Empty value found for query parameter 'enable'");
		assert.equal(seerr.violations.splice(0).length, 2);

		// A path that takes other methods: 405 (sonarr/{id} has PUT and DELETE only).
		const method = await send(base, 'GET', '/api/v1/settings/sonarr/0', {key: apiKey});
		assert.equal(method.status, 405);
		assert.equal(method.body.message, 'GET method not allowed');
		seerr.violations.splice(0);
		// A body on an operation that declares none passes the validator.
		const initialized = await send(base, 'POST', '/api/v1/settings/initialize', {key: apiKey, body: {}});
		assert.equal(initialized.status, 200);
		assert.deepEqual(initialized.body, {initialized: true});
	});

	it('reports the first-setup failures of auth/jellyfin and stores nothing', async () => {
		const noHost = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {hostname: undefined})});
		assert.equal(noHost.status, 500);
		assert.deepEqual(noHost.body, {error: 'No hostname provided.'});

		const deadPort = await freePort();
		const down = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {port: deadPort})});
		assert.equal(down.status, 404);
		assert.deepEqual(down.body, {message: 'INVALID_URL'});

		const wrongPassword = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {password: 'nope'})});
		assert.equal(wrongPassword.status, 401);
		assert.deepEqual(wrongPassword.body, {message: 'INVALID_CREDENTIALS'});

		const notAdmin = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {username: VIEWER.name, password: VIEWER.password})});
		assert.equal(notAdmin.status, 403);
		assert.deepEqual(notAdmin.body, {message: 'NOT_ADMIN'});

		const noType = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {serverType: undefined})});
		assert.equal(noType.status, 500);
		assert.deepEqual(noType.body, {message: 'NO_ADMIN_USER'});
		const plex = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin, {serverType: 1})});
		assert.deepEqual(plex.body, {message: 'NO_ADMIN_USER'});

		assert.equal(seerr.settings.jellyfin.ip, '');
		assert.equal(seerr.settings.main.mediaServerType, 4);
		assert.equal((await send(base, 'GET', '/api/v1/settings/main', {key: apiKey})).status, 403, 'still no admin');
	});

	it('signs in the Jellyfin admin: creates a Jellyfin API key, stores Jellyfin, makes user 1 and a session', async () => {
		const keysBefore = jellyfin.apiKeys().length;
		const reply = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin)});
		assert.equal(reply.status, 200, reply.text);
		// server/routes/auth.ts answers user.filter() of the new User (server/entity/User.ts): email filtered out, the
		// select: false columns present, the live Jellyfin session token among them.
		assert.equal(reply.body.id, 1);
		assert.equal('email' in reply.body, false);
		assert.equal(reply.body.username, null);
		assert.equal(reply.body.password, null);
		assert.equal(reply.body.plexToken, null);
		assert.deepEqual(reply.body.warnings, []);
		assert.equal('displayName' in reply.body, false);
		assert.equal('requestCount' in reply.body, false);
		assert.equal(reply.body.jellyfinUsername, ADMIN.name);
		assert.equal(reply.body.userType, 3);
		assert.equal(reply.body.permissions, 2);
		const deviceId = Buffer.from(`BOT_jellyseerr_${ADMIN.name}`).toString('base64');
		assert.equal(reply.body.jellyfinDeviceId, deviceId);
		const adminSession = jellyfin.sessionTokens().find(session => session.deviceId === deviceId && session.userName === ADMIN.name);
		assert.ok(adminSession, 'signed in to Jellyfin as base64("BOT_jellyseerr_admin")');
		assert.equal(reply.body.jellyfinAuthToken, adminSession.token);
		const cookie = cookieOf(reply);

		// Real calls to Jellyfin, as Jellyseerr's bot device with its own app name.
		const created = jellyfin.apiKeys().slice(keysBefore);
		assert.equal(created.length, 1);
		assert.equal(created[0]!.appName, 'Jellyseerr');
		assert.ok(jellyfin.log.some(entry => entry.method === 'POST' && entry.path === '/Users/AuthenticateByName' && entry.status === 200));
		assert.ok(jellyfin.log.some(entry => entry.method === 'GET' && entry.path === '/System/Info/Public'));

		const stored = seerr.settings.jellyfin;
		assert.equal(stored.apiKey, created[0]!.token);
		assert.equal(stored.name, 'lab-jellyfin');
		assert.equal(stored.serverId, jellyfin.serverId);
		assert.equal(stored.ip, jellyfin.host);
		assert.equal(stored.port, jellyfin.port);
		assert.equal(stored.urlBase, '');
		assert.equal(stored.useSsl, false);
		assert.deepEqual(stored.libraries, []);

		const publicSettings = await send(base, 'GET', '/api/v1/settings/public');
		assert.equal(publicSettings.body.mediaServerType, 2);
		assert.equal(publicSettings.body.initialized, false, 'initialized is a separate flag');

		const file = JSON.parse(readFileSync(path.join(configDir, 'settings.json'), 'utf8'));
		assert.equal(file.main.mediaServerType, 2);
		assert.equal(file.jellyfin.apiKey, created[0]!.token);
		assert.equal(file.main.apiKey, apiKey);

		const byCookie = await send(base, 'GET', '/api/v1/settings/jellyfin', {cookie});
		assert.equal(byCookie.status, 200);
		assert.equal(byCookie.body.apiKey, created[0]!.token);
		const unknownCookie = await send(base, 'GET', '/api/v1/settings/jellyfin', {cookie: 'connect.sid=s%3Aforged.sig'});
		assert.equal(unknownCookie.status, 403);

		const again = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin)});
		assert.equal(again.status, 500);
		assert.deepEqual(again.body, {error: 'Jellyfin hostname already configured'});

		// A repeat sign-in reads the user back: no tokens, but displayName, requestCount and settings; user 1 signs in
		// to Jellyfin as plain "BOT_jellyseerr".
		const later = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: {username: ADMIN.name, password: ADMIN.password}});
		assert.equal(later.status, 200, later.text);
		assert.equal(later.body.id, 1);
		assert.equal('jellyfinAuthToken' in later.body, false);
		assert.equal('jellyfinDeviceId' in later.body, false);
		assert.equal(later.body.displayName, ADMIN.name);
		assert.equal(later.body.requestCount, 0);
		assert.ok('settings' in later.body);
		assert.ok(jellyfin.sessionTokens().some(session => session.deviceId === 'BOT_jellyseerr' && session.userName === ADMIN.name));

		const me = await send(base, 'GET', '/api/v1/auth/me', {cookie});
		assert.equal(me.status, 200);
		assert.equal(me.body.id, 1);
		assert.equal(me.body.email, 'admin@example.org');
		assert.equal('jellyfinAuthToken' in me.body, false);
		assert.equal((await send(base, 'GET', '/api/v1/auth/me', {key: 'wrong'})).status, 403);
		assert.equal(jellyfin.apiKeys().length, keysBefore + 1, 'a later sign-in makes no new key');
	});

	it('gives a later non-admin Jellyfin user an account without settings access', async () => {
		await setUp();
		const viewer = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: {username: VIEWER.name, password: VIEWER.password}});
		assert.equal(viewer.status, 200, viewer.text);
		assert.notEqual(viewer.body.id, 1);
		const settings = await send(base, 'GET', '/api/v1/settings/main', {cookie: cookieOf(viewer)});
		assert.equal(settings.status, 403);
	});

	it('syncs libraries from Jellyfin and recomputes enabled from `enable` on every call', async () => {
		const cookie = await setUp();
		const empty = await send(base, 'GET', '/api/v1/settings/jellyfin/library?sync=true', {cookie});
		if (jellyfin.folders().length === 0) {
			assert.equal(empty.status, 404);
			assert.deepEqual(empty.body, {message: 'SYNC_ERROR_NO_LIBRARIES'});
		}
		const movies = await addLibrary(jellyfin, jellyfinKey, 'Seerr Movies', 'movies');
		const shows = await addLibrary(jellyfin, jellyfinKey, 'Seerr Shows', 'tvshows');
		const music = await addLibrary(jellyfin, jellyfinKey, 'Seerr Music', 'music');

		const synced = await send(base, 'GET', '/api/v1/settings/jellyfin/library?sync=true', {cookie});
		assert.equal(synced.status, 200, synced.text);
		const ours = (synced.body as Array<{id: string}>).filter(library => [movies, shows, music].includes(library.id));
		assert.deepEqual(
			ours.map(library => library),
			[
				{id: movies, name: 'Seerr Movies', enabled: false, type: 'movie'},
				{id: shows, name: 'Seerr Shows', enabled: false, type: 'show'},
			],
			'music is left out and nothing is enabled',
		);

		const enabled = await send(base, 'GET', `/api/v1/settings/jellyfin/library?enable=${movies}`, {key: apiKey});
		assert.equal(enabled.status, 200);
		assert.deepEqual(
			(enabled.body as Array<{id: string; enabled: boolean}>).filter(library => library.enabled).map(library => library.id),
			[movies],
		);
		const bare = await send(base, 'GET', '/api/v1/settings/jellyfin/library', {key: apiKey});
		assert.equal(
			(bare.body as Array<{enabled: boolean}>).some(library => library.enabled),
			false,
			'a call without enable disables everything',
		);
		const both = await send(base, 'GET', `/api/v1/settings/jellyfin/library?sync=true&enable=${movies},${shows}`, {key: apiKey});
		assert.deepEqual(
			(both.body as Array<{id: string; enabled: boolean}>)
				.filter(library => library.enabled)
				.map(library => library.id)
				.sort(),
			[movies, shows].sort(),
		);
		assert.deepEqual(
			seerr.settings.jellyfin.libraries.filter(library => library.enabled).map(library => library.id).sort(),
			[movies, shows].sort(),
		);
		assert.ok(jellyfin.log.some(entry => entry.path === '/Library/MediaFolders' && entry.status === 200));
	});

	// server/routes/settings/index.ts: getLibraries() swallows Jellyfin's refusal and returns []; the getUser() that
	// follows throws outside any try, so the async route's rejection is unhandled and the request never answered.
	it('a library sync Jellyfin refuses (revoked key, wrong URL base) is never answered, and stop() ends the request', async () => {
		await setUp();
		const revoked = seerr.settings.jellyfin.apiKey;
		seerr.settings.jellyfin.apiKey = 'revoked';
		const pending = fetch(`${base}/api/v1/settings/jellyfin/library?sync=true`, {headers: {'X-Api-Key': apiKey}}).then(
			response => `answered ${response.status}`,
			() => 'connection closed',
		);
		// Wait until Jellyfin refused the user lookup that ends the route.
		while (!seerr.unanswered.includes('GET /api/v1/settings/jellyfin/library')) {
			await new Promise(resolve => setImmediate(resolve));
		}
		assert.ok(jellyfin.log.some(entry => /^\/Users\/[0-9a-f]{32}$/.test(entry.path) && entry.status === 401));
		const raced = await Promise.race([pending, new Promise(resolve => setImmediate(() => resolve('still open')))]);
		assert.equal(raced, 'still open');
		await seerr.stop();
		assert.equal(await pending, 'connection closed');
		seerr.settings.jellyfin.apiKey = revoked;
	});

	it('lists Jellyfin users through Jellyfin GET /Users, and reports a library scan that is not running', async () => {
		await setUp();
		const users = await send(base, 'GET', '/api/v1/settings/jellyfin/users', {key: apiKey});
		assert.equal(users.status, 200, users.text);
		assert.deepEqual(
			(users.body as Array<{username: string}>).map(user => user.username).sort(),
			[ADMIN.name, VIEWER.name].sort(),
		);
		const admin = jellyfin.userList().find(user => user.name === ADMIN.name)!;
		assert.deepEqual(
			(users.body as Array<Record<string, string>>).find(user => user.username === ADMIN.name),
			{username: ADMIN.name, id: admin.id, thumb: `/avatarproxy/${admin.id}`, email: ADMIN.name},
		);
		assert.ok(jellyfin.log.some(entry => entry.method === 'GET' && entry.path === '/Users' && entry.status === 200));
		const sync = await send(base, 'GET', '/api/v1/settings/jellyfin/sync', {key: apiKey});
		assert.deepEqual(sync.body, {running: false, progress: 0, total: 0});
	});

	it('checks POST /settings/jellyfin against Jellyfin /System/Info before saving', async () => {
		await setUp();
		const good = await send(base, 'POST', '/api/v1/settings/jellyfin', {key: apiKey, body: {externalHostname: 'https://jf.example.org'}});
		assert.equal(good.status, 200, good.text);
		assert.equal(good.body.externalHostname, 'https://jf.example.org');
		assert.equal(good.body.serverId, jellyfin.serverId);
		assert.ok(jellyfin.log.some(entry => entry.path === '/System/Info' && entry.status === 200));

		// Jellyfin's own status comes through: 401 for a refused key, 404 for a wrong URL base; 500 when none answers.
		const badKey = await send(base, 'POST', '/api/v1/settings/jellyfin', {key: apiKey, body: {apiKey: 'not-a-jellyfin-key'}});
		assert.equal(badKey.status, 401);
		assert.deepEqual(badKey.body, {message: 'INVALID_URL'});
		const wrongBase = await send(base, 'POST', '/api/v1/settings/jellyfin', {key: apiKey, body: {urlBase: '/jellyfin'}});
		assert.equal(wrongBase.status, 404);
		assert.deepEqual(wrongBase.body, {message: 'INVALID_URL'});
		const deadPort = await freePort();
		const down = await send(base, 'POST', '/api/v1/settings/jellyfin', {key: apiKey, body: {port: deadPort}});
		assert.equal(down.status, 500);
		assert.deepEqual(down.body, {message: 'INVALID_URL'});
		assert.equal(seerr.settings.jellyfin.port, jellyfin.port, 'a failed check saves nothing');
		assert.notEqual(seerr.settings.jellyfin.apiKey, 'not-a-jellyfin-key');
	});

	it('merges main settings, refuses a posted apiKey, regenerates the key and initializes', async () => {
		await setUp();
		const merged = await send(base, 'POST', '/api/v1/settings/main', {key: apiKey, body: {applicationUrl: 'https://requests.example.org', locale: 'de'}});
		assert.equal(merged.status, 200);
		assert.equal(merged.body.applicationUrl, 'https://requests.example.org');
		assert.equal(merged.body.applicationTitle, 'Jellyseerr', 'other keys are kept');
		const readOnly = await send(base, 'POST', '/api/v1/settings/main', {key: apiKey, body: {apiKey: 'mine'}});
		assert.equal(readOnly.status, 400);
		assert.equal(readOnly.body.errors[0].path, '.body.apiKey');
		assert.equal(seerr.violations.splice(0).length, 1);

		const regenerated = await send(base, 'POST', '/api/v1/settings/main/regenerate', {key: apiKey});
		assert.equal(regenerated.status, 200);
		const newKey = regenerated.body.apiKey as string;
		assert.notEqual(newKey, apiKey);
		assert.equal((await send(base, 'GET', '/api/v1/settings/main', {key: apiKey})).status, 403);
		assert.equal((await send(base, 'GET', '/api/v1/settings/main', {key: newKey})).status, 200);
		assert.equal(JSON.parse(readFileSync(path.join(configDir, 'settings.json'), 'utf8')).main.apiKey, newKey);

		const initialized = await send(base, 'POST', '/api/v1/settings/initialize', {key: newKey});
		assert.deepEqual(initialized.body, {initialized: true});
		assert.equal((await send(base, 'GET', '/api/v1/settings/public')).body.initialized, true);
	});

	const sonarrSettings = () => ({
		name: 'Sonarr',
		hostname: sonarr.host,
		port: sonarr.port,
		apiKey: sonarrKey,
		useSsl: false,
		baseUrl: '/sonarr',
		activeProfileId: 4,
		activeProfileName: 'HD-1080p',
		activeDirectory: tvFolder,
		is4k: false,
		enableSeasonFolders: true,
		isDefault: true,
	});

	it('stores Sonarr servers without checking them: ids from 0, not idempotent, one default per is4k', async () => {
		await setUp();
		const first = await send(base, 'POST', '/api/v1/settings/sonarr', {key: apiKey, body: sonarrSettings()});
		assert.equal(first.status, 201);
		assert.equal(first.body.id, 0);
		const second = await send(base, 'POST', '/api/v1/settings/sonarr', {key: apiKey, body: sonarrSettings()});
		assert.equal(second.status, 201);
		assert.equal(second.body.id, 1);
		const list = await send(base, 'GET', '/api/v1/settings/sonarr', {key: apiKey});
		assert.equal(list.body.length, 2, 'the same POST twice makes two servers');
		assert.deepEqual(
			(list.body as Array<{isDefault: boolean}>).map(server => server.isDefault),
			[false, true],
		);
		const fourK = await send(base, 'POST', '/api/v1/settings/sonarr', {key: apiKey, body: {...sonarrSettings(), is4k: true, hostname: 'nowhere.invalid'}});
		assert.equal(fourK.status, 201, 'no connectivity check');
		assert.equal(fourK.body.id, 2);
		assert.equal(seerr.settings.sonarr.filter(server => server.isDefault).length, 2, 'the 4K default does not clear the other');

		// server/routes/settings/sonarr.ts answers {status: '404'} itself (a string); radarr.ts goes through next().
		const missing = await send(base, 'PUT', '/api/v1/settings/sonarr/99', {key: apiKey, body: sonarrSettings()});
		assert.equal(missing.status, 404);
		assert.deepEqual(missing.body, {status: '404', message: 'Settings instance not found'});
		assert.deepEqual((await send(base, 'DELETE', '/api/v1/settings/sonarr/99', {key: apiKey})).body, {status: '404', message: 'Settings instance not found'});
		assert.deepEqual((await send(base, 'DELETE', '/api/v1/settings/radarr/99', {key: apiKey})).body, {message: 'Settings instance not found'});
		const updated = await send(base, 'PUT', '/api/v1/settings/sonarr/0', {key: apiKey, body: {...sonarrSettings(), name: 'Sonarr renamed'}});
		assert.equal(updated.status, 200);
		assert.equal(updated.body.id, 0);
		assert.equal(updated.body.name, 'Sonarr renamed');
		const removed = await send(base, 'DELETE', '/api/v1/settings/sonarr/1', {key: apiKey});
		assert.equal(removed.status, 200);
		assert.deepEqual(
			seerr.settings.sonarr.map(server => server.id),
			[0, 2],
		);
		const third = await send(base, 'POST', '/api/v1/settings/sonarr', {key: apiKey, body: sonarrSettings()});
		assert.equal(third.body.id, 3, 'id = last id + 1');
		assert.equal(JSON.parse(readFileSync(path.join(configDir, 'settings.json'), 'utf8')).sonarr.length, 3);

		const withId = await send(base, 'POST', '/api/v1/settings/sonarr', {key: apiKey, body: {...sonarrSettings(), id: 7}});
		assert.equal(withId.status, 400, 'id is read-only');
		assert.equal(seerr.violations.splice(0).length, 1);
		const incomplete = await send(base, 'POST', '/api/v1/settings/radarr', {key: apiKey, body: {...sonarrSettings()}});
		assert.equal(incomplete.status, 400, 'radarr needs minimumAvailability');
		assert.ok(incomplete.body.errors.some((error: {path: string}) => error.path === '.body.minimumAvailability'));
		assert.equal(seerr.violations.splice(0).length, 1);
	});

	it('tests Sonarr with real calls, the key in the query string', async () => {
		await setUp();
		const logStart = sonarr.log.length;
		const test = {hostname: sonarr.host, port: sonarr.port, apiKey: sonarrKey, useSsl: false, baseUrl: '/sonarr'};
		const reply = await send(base, 'POST', '/api/v1/settings/sonarr/test', {key: apiKey, body: test});
		assert.equal(reply.status, 200, reply.text);
		assert.deepEqual(
			(reply.body.profiles as Array<{id: number; name: string}>).map(profile => profile.name),
			sonarr.qualityProfiles.map(profile => profile.name),
		);
		assert.deepEqual(reply.body.rootFolders, [{id: 1, path: tvFolder}]);
		assert.equal(reply.body.languageProfiles, null, 'Sonarr v4 has no language profiles');
		assert.ok(Array.isArray(reply.body.tags));
		assert.equal(reply.body.urlBase, '/sonarr');

		const calls = sonarr.log.slice(logStart);
		const profileCall = calls.find(entry => entry.path === '/api/v3/qualityProfile');
		assert.ok(profileCall, `Sonarr saw GET /api/v3/qualityProfile (saw ${calls.map(entry => entry.path).join(', ')})`);
		assert.equal(profileCall.status, 200);
		assert.match(profileCall.query, /(^|&)apikey=/);
		for (const endpoint of ['/api/v3/system/status', '/api/v3/rootfolder', '/api/v3/tag']) {
			assert.ok(calls.some(entry => entry.path === endpoint && /apikey=/.test(entry.query)), endpoint);
		}
		assert.equal(calls.some(entry => /languageprofile/i.test(entry.path)), false);

		const wrongKey = await send(base, 'POST', '/api/v1/settings/sonarr/test', {key: apiKey, body: {...test, apiKey: 'wrong'}});
		assert.equal(wrongKey.status, 500);
		assert.deepEqual(wrongKey.body, {message: 'Failed to connect to Sonarr'});
		// Sonarr redirects a request without its URL base, and Jellyseerr follows: status tells the real urlBase.
		const noBase = await send(base, 'POST', '/api/v1/settings/sonarr/test', {key: apiKey, body: {...test, baseUrl: ''}});
		assert.equal(noBase.status, 200, noBase.text);
		assert.equal(noBase.body.urlBase, '/sonarr');
		const down = await send(base, 'POST', '/api/v1/settings/sonarr/test', {key: apiKey, body: {...test, port: await freePort()}});
		assert.equal(down.status, 500);
		assert.deepEqual(down.body, {message: 'Failed to connect to Sonarr'});
		assert.deepEqual(seerr.settings.sonarr, [], '/test stores nothing');
	});

	it('tests Radarr, tolerating a failed system/status, and fails with the Radarr message', async () => {
		await setUp();
		const test = {hostname: radarr.host, port: radarr.port, apiKey: radarrKey, useSsl: false};
		const reply = await send(base, 'POST', '/api/v1/settings/radarr/test', {key: apiKey, body: test});
		assert.equal(reply.status, 200, reply.text);
		assert.equal('languageProfiles' in reply.body, false);
		assert.deepEqual(reply.body.rootFolders, []);
		assert.ok(reply.body.profiles.length > 0);

		radarr.inject({method: 'GET', path: '/api/v3/system/status', status: 500, body: {message: 'boom'}, times: 1});
		const tolerated = await send(base, 'POST', '/api/v1/settings/radarr/test', {key: apiKey, body: {...test, baseUrl: ''}});
		assert.equal(tolerated.status, 200, tolerated.text);
		assert.equal(tolerated.body.urlBase, '');

		const down = await send(base, 'POST', '/api/v1/settings/radarr/test', {key: apiKey, body: {...test, port: await freePort()}});
		assert.equal(down.status, 500);
		assert.deepEqual(down.body, {message: 'Failed to connect to Radarr'});
	});

	// server/api/jellyfin.ts sends the MediaBrowser header as X-Emby-Authorization (Jellyseerr) or Authorization
	// (Seerr 3); Jellyfin 12 reads the legacy one only with EnableLegacyAuthorization (ServerConfiguration.cs), off there.
	it('against Jellyfin 12 (legacy authorization off) Jellyseerr 2.7 cannot sign in, Seerr 3 can', async () => {
		const jellyfin12 = new JellyfinEmulator({version: '12.0.0', serverName: 'lab-jellyfin-12', admin: ADMIN});
		await jellyfin12.start();
		const seerrDir = mkdtempSync(path.join(tmpdir(), 'arrwire-seerr-12-'));
		const seerr3 = new JellyseerrEmulator({apiKey: seerrApiKey(), flavor: 'seerr', configDir: seerrDir});
		await seerr3.start();
		try {
			assert.equal(jellyfin12.legacyAuthorization, false);
			const refused = await send(base, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin12)});
			assert.equal(refused.status, 500);
			assert.deepEqual(refused.body, {message: 'Something went wrong.'});
			assert.ok(jellyfin12.log.some(entry => entry.path === '/Users/AuthenticateByName' && entry.status === 400), 'Jellyfin saw no client name');
			const signedIn = await send(seerr3.url, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin12)});
			assert.equal(signedIn.status, 200, signedIn.text);
			assert.equal(jellyfin12.apiKeys().find(key => key.token === seerr3.settings.jellyfin.apiKey)?.appName, 'Seerr');
			assertNoSpecViolations(jellyfin12, seerr3);
		} finally {
			await seerr3.stop();
			await jellyfin12.stop();
			rmSync(seerrDir, {recursive: true, force: true});
		}
	});

	it('the Seerr flavor names itself Seerr and signs in to Jellyfin as Seerr', async () => {
		const seerrDir = mkdtempSync(path.join(tmpdir(), 'arrwire-seerr-flavor-'));
		const flavored = new JellyseerrEmulator({apiKey: randomKey(), flavor: 'seerr', version: '3.1.0', configDir: seerrDir});
		await flavored.start();
		try {
			assert.deepEqual((await send(flavored.url, 'GET', '/api/v1')).body, {api: 'Seerr API', version: '1.0'});
			assert.equal((await send(flavored.url, 'GET', '/api/v1/status')).body.version, '3.1.0');
			const publicSettings = await send(flavored.url, 'GET', '/api/v1/settings/public');
			assert.equal(publicSettings.body.applicationTitle, 'Seerr');
			assert.ok('hideBlocklisted' in publicSettings.body);
			assert.match((await send(flavored.url, 'GET', '/setup')).text, /<title>Setup - Seerr<\/title>/);
			const reply = await send(flavored.url, 'POST', '/api/v1/auth/jellyfin', {body: firstSignIn(jellyfin)});
			assert.equal(reply.status, 200, reply.text);
			assert.ok(jellyfin.sessionTokens().some(session => session.deviceId === Buffer.from(`BOT_seerr_${ADMIN.name}`).toString('base64')));
			assert.equal(jellyfin.apiKeys().find(key => key.token === flavored.settings.jellyfin.apiKey)?.appName, 'Seerr');
			assertNoSpecViolations(flavored);
		} finally {
			await flavored.stop();
			rmSync(seerrDir, {recursive: true, force: true});
		}
	});
});
