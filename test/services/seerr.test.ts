// The Jellyseerr client against the lab's Jellyseerr emulator (which talks to the Jellyfin and Sonarr/Radarr emulators).
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {SeerrClient, type SeerrSonarrSettings, type SeerrRadarrSettings} from '../../source/services/seerr.js';
import {JellyseerrEmulator} from '../../source/lab/jellyseerr.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {assertNoSpecViolations, randomKey} from '../../source/lab/harness.js';
import {freePort} from '../../source/lab/qbittorrent.js';
import {rejection, assertNoSecret} from '../helpers.js';

const ADMIN = {name: 'admin', password: 'jf-admin-secret-pw'};

describe('Jellyseerr client against the emulator', () => {
	let jellyfin: JellyfinEmulator;
	let sonarr: ServarrEmulator;
	let radarr: ServarrEmulator;
	let seerr: JellyseerrEmulator;
	let apiKey: string;
	const sonarrKey = randomKey();
	const radarrKey = randomKey();
	let moviesFolder: string;

	before(async () => {
		jellyfin = new JellyfinEmulator({serverName: 'client-jellyfin', admin: ADMIN});
		jellyfin.addUser({name: 'kid', password: 'kid-pw', admin: false});
		await jellyfin.start();
		const token = jellyfin.addApiKey('test-setup');
		for (const [name, type] of [
			['Films', 'movies'],
			['Series', 'tvshows'],
		] as const) {
			const response = await fetch(`${jellyfin.url}/Library/VirtualFolders?name=${name}&collectionType=${type}&refreshLibrary=false`, {
				method: 'POST',
				headers: {Authorization: `MediaBrowser Token="${token}"`},
			});
			assert.equal(response.status, 204);
		}
		sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: sonarrKey});
		radarr = new ServarrEmulator({kind: 'radarr', apiKey: radarrKey, urlBase: '/radarr'});
		await sonarr.start();
		await radarr.start();
		moviesFolder = mkdtempSync(path.join(tmpdir(), 'arrwire-seerr-movies-'));
		const created = await fetch(`${radarr.url}/api/v3/rootfolder`, {
			method: 'POST',
			headers: {'X-Api-Key': radarrKey, 'content-type': 'application/json'},
			body: JSON.stringify({path: moviesFolder}),
		});
		assert.equal(created.status, 201, await created.text());
	});

	after(async () => {
		await jellyfin?.stop();
		await sonarr?.stop();
		await radarr?.stop();
		rmSync(moviesFolder, {recursive: true, force: true});
	});

	beforeEach(async () => {
		apiKey = randomKey();
		seerr = new JellyseerrEmulator({apiKey});
		await seerr.start();
	});

	afterEach(async () => {
		try {
			assertNoSpecViolations(seerr, sonarr, radarr);
		} finally {
			await seerr.stop();
		}
	});

	const signIn = (client: SeerrClient) =>
		client.authJellyfin({username: ADMIN.name, password: ADMIN.password, hostname: jellyfin.host, port: jellyfin.port, urlBase: '', useSsl: false, serverType: 2});

	it('reads the anonymous probes', async () => {
		const client = new SeerrClient({url: seerr.url});
		assert.deepEqual(await client.root(), {api: 'Jellyseerr API', version: '1.0'});
		assert.equal((await client.status()).version, '2.7.3');
		const publicSettings = await client.publicSettings();
		assert.equal(publicSettings.initialized, false);
		assert.equal(publicSettings.mediaServerType, 4);
		assert.equal(publicSettings.applicationTitle, 'Jellyseerr');
	});

	it('signs in to Jellyfin, keeps the session cookie, and then the API key works too', async () => {
		const session = new SeerrClient({url: seerr.url});
		assert.equal(session.hasSession, false);
		const user = await signIn(session);
		assert.equal(user.id, 1);
		assert.equal(user.permissions, 2);
		assert.equal(user.jellyfinUsername, ADMIN.name);
		// The answer carries Jellyfin's live admin token (server/routes/auth.ts); the client drops it.
		assert.equal('jellyfinAuthToken' in user, false, 'the live Jellyfin token goes no further');
		assert.equal(session.hasSession, true);
		assert.equal((await session.mainSettings()).apiKey, apiKey, 'the cookie alone is enough');

		const keyed = new SeerrClient({url: seerr.url, apiKey});
		const jellyfinSettings = await keyed.jellyfinSettings();
		assert.equal(jellyfinSettings.ip, jellyfin.host);
		assert.equal(jellyfinSettings.port, jellyfin.port);
		assert.equal(jellyfinSettings.name, 'client-jellyfin');
		assert.equal(jellyfin.apiKeys().find(key => key.token === jellyfinSettings.apiKey)?.appName, 'Jellyseerr');
		assert.equal((await keyed.publicSettings()).mediaServerType, 2);
		// Sent as a number, with port and urlBase: nothing ends up as 'undefined' in the stored URL.
		assert.equal(seerr.settings.jellyfin.urlBase, '');
	});

	it('explains why the first sign-in failed, without leaking the password', async () => {
		const client = new SeerrClient({url: seerr.url});
		const deadPort = await freePort();
		const unreachable = await rejection(client.authJellyfin({username: ADMIN.name, password: ADMIN.password, hostname: '127.0.0.1', port: deadPort, serverType: 2}));
		assert.equal(unreachable.status, 404);
		assert.equal(unreachable.service, 'Jellyseerr');
		assert.match(unreachable.serviceMessage ?? '', /INVALID_URL/);
		assert.match(unreachable.fix, /Jellyseerr itself can reach/);
		assert.match(unreachable.fix, new RegExp(`127\\.0\\.0\\.1:${deadPort}`));

		const wrong = await rejection(client.authJellyfin({username: ADMIN.name, password: 'wrong-password', hostname: jellyfin.host, port: jellyfin.port}));
		assert.equal(wrong.kind, 'unauthorized');
		assert.match(wrong.fix, /refused the username or password/);

		const notAdmin = await rejection(client.authJellyfin({username: 'kid', password: 'kid-pw', hostname: jellyfin.host, port: jellyfin.port}));
		assert.equal(notAdmin.status, 403);
		assert.match(notAdmin.fix, /not an administrator/);

		const noHost = await rejection(client.authJellyfin({username: ADMIN.name, password: ADMIN.password}));
		assert.equal(noHost.status, 500);
		assert.match(noHost.fix, /must give Jellyfin's hostname/);

		for (const error of [unreachable, wrong, notAdmin, noHost]) {
			assertNoSecret(error, ADMIN.password, 'wrong-password', 'kid-pw');
		}
		assert.equal(client.hasSession, false);

		await signIn(client);
		const twice = await rejection(signIn(client));
		assert.match(twice.fix, /already connected/);
	});

	it('names the API key and the missing admin on 403, and wants a key on 401', async () => {
		const early = await rejection(new SeerrClient({url: seerr.url, apiKey}).mainSettings());
		assert.equal(early.kind, 'forbidden');
		assert.equal(early.status, 403);
		assert.match(early.fix, /API key was refused \(Settings → General → API Key\), or Jellyseerr has no admin yet/);
		assert.match(early.url, /\/api\/v1\/settings\/main$/);
		assertNoSecret(early, apiKey);

		await signIn(new SeerrClient({url: seerr.url}));
		const wrongKey = 'wrong-' + randomKey();
		const wrong = await rejection(new SeerrClient({url: seerr.url, apiKey: wrongKey}).mainSettings());
		assert.equal(wrong.kind, 'forbidden');
		assertNoSecret(wrong, wrongKey);

		const anonymous = await rejection(new SeerrClient({url: seerr.url}).mainSettings());
		assert.equal(anonymous.kind, 'unauthorized');
		assert.equal(anonymous.status, 401);
		assert.match(anonymous.fix, /X-Api-Key/);
	});

	it('sets main settings, regenerates the key and initializes', async () => {
		const client = new SeerrClient({url: seerr.url, apiKey});
		await signIn(new SeerrClient({url: seerr.url}));
		const main = await client.setMainSettings({applicationUrl: 'https://requests.example.org', locale: 'en'});
		assert.equal(main.applicationUrl, 'https://requests.example.org');
		assert.equal(main.apiKey, apiKey);
		// apiKey is read-only: the client drops it rather than sending it.
		await client.setMainSettings({apiKey: 'sneaky', applicationTitle: 'Requests'});
		assert.equal(seerr.settings.main.apiKey, apiKey);
		assert.equal(seerr.settings.main.applicationTitle, 'Requests');

		const newKey = await client.regenerateApiKey();
		assert.notEqual(newKey, apiKey);
		assert.equal((await client.mainSettings()).apiKey, newKey, 'the client uses the new key');
		assert.deepEqual(await client.initialize(), {initialized: true});
		assert.equal((await client.publicSettings()).initialized, true);
	});

	it('syncs libraries and enables the chosen ones; changes Jellyfin settings after Jellyseerr checked them', async () => {
		const client = new SeerrClient({url: seerr.url, apiKey});
		await signIn(new SeerrClient({url: seerr.url}));
		const synced = await client.jellyfinLibraries({sync: true});
		assert.deepEqual(
			synced.map(library => [library.name, library.type, library.enabled]),
			[
				['Films', 'movie', false],
				['Series', 'show', false],
			],
		);
		const ids = synced.map(library => library.id);
		const enabled = await client.jellyfinLibraries({enable: ids});
		assert.deepEqual(
			enabled.map(library => library.enabled),
			[true, true],
		);
		const one = await client.jellyfinLibraries({sync: true, enable: [ids[0]!]});
		assert.deepEqual(
			one.map(library => library.enabled),
			[true, false],
		);
		assert.deepEqual(
			(await client.jellyfinSettings()).libraries.map(library => library.enabled),
			[true, false],
		);

		const changed = await client.setJellyfinSettings({externalHostname: 'https://watch.example.org'});
		assert.equal(changed.externalHostname, 'https://watch.example.org');
		assert.equal(changed.serverId, jellyfin.serverId);
		// Jellyfin's own status comes through (server/routes/settings/index.ts): 401 for the key, 404 for the URL base.
		const refused = await rejection(client.setJellyfinSettings({apiKey: 'not-a-jellyfin-key'}));
		assert.equal(refused.status, 401);
		assert.match(refused.fix, /Jellyfin refused the API key/);
		assertNoSecret(refused, 'not-a-jellyfin-key', apiKey);
		const wrongBase = await rejection(client.setJellyfinSettings({urlBase: '/jellyfin'}));
		assert.equal(wrongBase.status, 404);
		assert.match(wrongBase.fix, /URL base/);
	});

	it('tests, adds, updates and deletes a Sonarr server', async () => {
		const client = new SeerrClient({url: seerr.url, apiKey});
		await signIn(new SeerrClient({url: seerr.url}));
		const logStart = sonarr.log.length;
		const connection = {hostname: sonarr.host, port: sonarr.port, apiKey: sonarrKey, useSsl: false, baseUrl: ''};
		const tested = await client.testSonarr(connection);
		assert.ok(tested.profiles.some(profile => profile.name === 'HD-1080p'));
		assert.deepEqual(tested.rootFolders, []);
		assert.equal(tested.languageProfiles, null);
		assert.ok(sonarr.log.slice(logStart).some(entry => entry.path === '/api/v3/qualityProfile' && /apikey=/.test(entry.query)));

		const profile = tested.profiles.find(candidate => candidate.name === 'HD-1080p')!;
		const settings: SeerrSonarrSettings = {
			name: 'Sonarr',
			...connection,
			activeProfileId: profile.id,
			activeProfileName: profile.name,
			activeDirectory: '/data/media/tv',
			seriesType: 'standard',
			animeSeriesType: 'anime',
			tags: [],
			is4k: false,
			isDefault: true,
			enableSeasonFolders: true,
			syncEnabled: true,
			preventSearch: false,
		};
		const added = await client.addSonarr(settings);
		assert.equal(added.id, 0);
		const listed = await client.sonarrServers();
		assert.equal(listed.length, 1);
		// A server read back carries its id; the client leaves it out (id is read-only in the spec).
		const updated = await client.updateSonarr(listed[0]!.id, {...listed[0]!, name: 'Sonarr (TV)'});
		assert.equal(updated.name, 'Sonarr (TV)');
		assert.equal(updated.id, 0);
		await client.deleteSonarr(0);
		assert.deepEqual(await client.sonarrServers(), []);
		const missing = await rejection(client.updateSonarr(5, settings));
		assert.equal(missing.kind, 'not-found');

		const badKey = 'bad-' + randomKey();
		const failed = await rejection(client.testSonarr({...connection, apiKey: badKey}));
		assert.equal(failed.status, 500);
		assert.equal(failed.serviceMessage, 'Failed to connect to Sonarr');
		assert.match(failed.fix, /Jellyseerr cannot reach Sonarr at the hostname\/port given/);
		assert.match(failed.fix, /an address Jellyseerr itself can reach/);
		assertNoSecret(failed, badKey, sonarrKey, apiKey);
	});

	it('tests and adds a Radarr server behind a URL base', async () => {
		const client = new SeerrClient({url: seerr.url, apiKey});
		await signIn(new SeerrClient({url: seerr.url}));
		const connection = {hostname: radarr.host, port: radarr.port, apiKey: radarrKey, useSsl: false, baseUrl: '/radarr'};
		const tested = await client.testRadarr(connection);
		assert.deepEqual(tested.rootFolders.map(folder => folder.path), [moviesFolder]);
		assert.equal(tested.urlBase, '/radarr');
		const settings: SeerrRadarrSettings = {
			name: 'Radarr',
			...connection,
			activeProfileId: tested.profiles[0]!.id,
			activeProfileName: tested.profiles[0]!.name,
			activeDirectory: tested.rootFolders[0]!.path,
			minimumAvailability: 'released',
			is4k: false,
			isDefault: true,
		};
		const first = await client.addRadarr(settings);
		const second = await client.addRadarr(settings);
		assert.deepEqual([first.id, second.id], [0, 1], 'adding is not idempotent: callers check radarrServers() first');
		assert.equal((await client.radarrServers()).filter(server => server.isDefault).length, 1);
		const renamed = await client.updateRadarr(1, {...settings, name: 'Radarr 2'});
		assert.equal(renamed.name, 'Radarr 2');
		await client.deleteRadarr(0);
		assert.deepEqual(
			(await client.radarrServers()).map(server => server.id),
			[1],
		);

		const down = await rejection(client.testRadarr({...connection, port: await freePort()}));
		assert.equal(down.serviceMessage, 'Failed to connect to Radarr');
		assert.match(down.fix, /Jellyseerr cannot reach Radarr/);
	});

	it('works against the Seerr flavor', async () => {
		const flavored = new JellyseerrEmulator({apiKey: randomKey(), flavor: 'seerr', version: '3.1.0'});
		await flavored.start();
		try {
			const client = new SeerrClient({url: flavored.url});
			assert.equal((await client.root()).api, 'Seerr API');
			const user = await signIn(client);
			assert.equal(user.id, 1);
			assert.equal((await client.jellyfinSettings()).name, 'client-jellyfin');
			assertNoSpecViolations(flavored);
		} finally {
			await flavored.stop();
		}
	});
});
