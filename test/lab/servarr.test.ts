// The Sonarr/Radarr emulator behaves as the real ones do (Sonarr src/Sonarr.Api.V3/), talking to the real qBittorrent and the
// Jellyfin emulator; every request the tests send is checked against the real OpenAPI files.
import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, chmodSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {assertNoSpecViolations, randomKey} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {callApi} from '../helpers.js';

type Json = any;


function qbittorrentClient(lab: Lab, overrides: Record<string, unknown> = {}): Json {
	const values: Record<string, unknown> = {
		host: lab.qbittorrent.host,
		port: lab.qbittorrent.port,
		username: lab.qbittorrent.username,
		password: lab.qbittorrent.password,
		tvCategory: 'tv',
		...overrides,
	};
	return {
		name: 'qBittorrent',
		enable: true,
		protocol: 'torrent',
		priority: 1,
		implementation: 'QBittorrent',
		implementationName: 'qBittorrent',
		configContract: 'QBittorrentSettings',
		tags: [],
		fields: Object.entries(values).map(([name, value]) => ({name, value})),
	};
}

describe('Sonarr/Radarr emulator fidelity', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab({defaultPorts: false});
	});
	after(async () => {
		await lab?.stop();
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('answers /ping anonymously and nothing else without the key (401, no body, no version header)', async () => {
		const ping = await callApi(lab.sonarr.url, 'GET', '/ping', undefined);
		assert.equal(ping.status, 200);
		assert.deepEqual(ping.json, {status: 'OK'});
		const head = await fetch(`${lab.sonarr.url}/ping`, {method: 'HEAD'});
		assert.equal(head.status, 200);
		const refused = await callApi(lab.sonarr.url, 'GET', '/api/v3/system/status', undefined);
		assert.equal(refused.status, 401);
		assert.equal(refused.text, '');
		assert.equal(refused.headers.get('x-application-version'), null);
		const wrong = await callApi(lab.sonarr.url, 'GET', '/api/v3/system/status', 'not-the-key');
		assert.equal(wrong.status, 401);
	});

	it('takes the key from ?apikey=, X-Api-Key or a Bearer token, and stamps X-Application-Version', async () => {
		const byQuery = await callApi(lab.radarr.url, 'GET', `/api/v3/system/status?apikey=${lab.keys.radarr}`, undefined);
		assert.equal(byQuery.status, 200);
		assert.equal(byQuery.json.appName, 'Radarr');
		assert.match(byQuery.json.version, /^5\./);
		assert.equal(byQuery.headers.get('x-application-version'), byQuery.json.version);
		const byHeader = await callApi(lab.sonarr.url, 'GET', '/api/v3/system/status', lab.keys.sonarr);
		assert.equal(byHeader.json.appName, 'Sonarr');
		assert.match(byHeader.json.version, /^4\./);
		const bearer = await fetch(`${lab.sonarr.url}/api/v3/system/status`, {headers: {authorization: `Bearer ${lab.keys.sonarr}`}});
		assert.equal(bearer.status, 200);
	});

	it('writes config.xml with the key, the bound port and the authentication method', () => {
		const xml = readFileSync(path.join(lab.paths.config.sonarr, 'config.xml'), 'utf8');
		assert.match(xml, new RegExp(`<ApiKey>${lab.keys.sonarr}</ApiKey>`));
		assert.match(xml, new RegExp(`<Port>${lab.sonarr.port}</Port>`));
		assert.match(xml, /<AuthenticationMethod>Forms<\/AuthenticationMethod>/);
	});

	it('guards /initialize.json by the UI authentication: forms redirects to a login page, basic asks, none hands out the key', async () => {
		const forms = await callApi(lab.sonarr.url, 'GET', '/initialize.json', undefined);
		assert.equal(forms.status, 302);
		assert.match(forms.headers.get('location') ?? '', /\/login/);
		const login = await fetch(`${lab.sonarr.url}/login`);
		assert.match(await login.text(), /<title>Login - Sonarr<\/title>/);

		const key = randomKey();
		for (const [method, expected] of [
			['basic', 401],
			['none', 200],
		] as const) {
			const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: key, authenticationMethod: method});
			await sonarr.start();
			try {
				const answer = await callApi(sonarr.url, 'GET', '/initialize.json', undefined);
				assert.equal(answer.status, expected);
				if (method === 'basic') {
					assert.equal(answer.headers.get('www-authenticate'), 'Basic realm="Sonarr"');
				} else {
					assert.equal(answer.json.apiKey, key);
					assert.equal(answer.json.apiRoot, '/api/v3');
				}
			} finally {
				await sonarr.stop();
			}
		}
		const local = new ServarrEmulator({kind: 'radarr', apiKey: key, authenticationMethod: 'forms', authenticationRequired: 'disabledForLocalAddresses'});
		await local.start();
		try {
			const answer = await callApi(local.url, 'GET', '/initialize.json', undefined);
			assert.equal(answer.status, 200, 'a local caller passes when authentication is disabled for local addresses');
		} finally {
			await local.stop();
		}
	});

	it('redirects a request without the URL base with a 307 to the same path under it', async () => {
		const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: randomKey(), urlBase: '/sonarr'});
		await sonarr.start();
		try {
			const origin = `http://${sonarr.host}:${sonarr.port}`;
			const answer = await fetch(`${origin}/ping`, {redirect: 'manual'});
			assert.equal(answer.status, 307);
			assert.equal(answer.headers.get('location'), '/sonarr/ping');
			const followed = await fetch(`${origin}/ping`);
			assert.deepEqual(await followed.json(), {status: 'OK'});
		} finally {
			await sonarr.stop();
		}
	});

	it('validates root folders in the real order and answers with the 400 array', async () => {
		const created = await callApi(lab.sonarr.url, 'POST', '/api/v3/rootfolder', lab.keys.sonarr, {path: lab.paths.tv});
		assert.equal(created.status, 201);
		assert.equal(created.json.path, lab.paths.tv);
		assert.equal(created.json.accessible, true);
		const again = await callApi(lab.sonarr.url, 'POST', '/api/v3/rootfolder', lab.keys.sonarr, {path: lab.paths.tv});
		assert.equal(again.status, 400);
		assert.ok(Array.isArray(again.json));
		assert.equal(again.json[0].propertyName, 'Path');
		assert.match(again.json[0].errorMessage, /already configured as a root folder/);
		const missing = await callApi(lab.sonarr.url, 'POST', '/api/v3/rootfolder', lab.keys.sonarr, {path: path.join(lab.paths.media, 'nowhere')});
		assert.equal(missing.status, 400);
		assert.match(missing.json[0].errorMessage, /does not exist/);
		await callApi(lab.sonarr.url, 'DELETE', `/api/v3/rootfolder/${created.json.id}`, lab.keys.sonarr);
	});

	it('refuses a root folder its user cannot write', async () => {
		const folder = path.join(lab.paths.media, 'readonly');
		mkdirSync(folder, {recursive: true});
		chmodSync(folder, 0o755);
		const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: 'k'.repeat(32), runAs: {uid: 65534, gid: 65534, name: 'nobody'}});
		await sonarr.start();
		try {
			const answer = await callApi(sonarr.url, 'POST', '/api/v3/rootfolder', 'k'.repeat(32), {path: folder});
			assert.equal(answer.status, 400);
			assert.match(answer.json[0].errorMessage, /is not writable by user 'nobody'/);
		} finally {
			await sonarr.stop();
		}
	});

	it('tests a qBittorrent download client on save by logging into the real qBittorrent and creating its category', async () => {
		const created = await callApi(lab.sonarr.url, 'POST', '/api/v3/downloadclient', lab.keys.sonarr, qbittorrentClient(lab, {tvCategory: 'tv-lab'}));
		assert.equal(created.status, 201, created.text);
		const password = created.json.fields.find((field: Json) => field.name === 'password');
		assert.equal(password.value, '********', 'secrets come back masked');
		const categories = await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).categories();
		assert.ok('tv-lab' in categories, 'Sonarr created its category in qBittorrent');

		// PUT with the mask keeps the stored password: the changed definition is re-tested and still logs in.
		const changed = {...created.json, priority: 2};
		const updated = await callApi(lab.sonarr.url, 'PUT', `/api/v3/downloadclient/${created.json.id}`, lab.keys.sonarr, changed);
		assert.equal(updated.status, 202, updated.text);
		assert.equal(lab.sonarr.providers.get('downloadclient')![0]!.fields.find(field => field.name === 'password')!.value, lab.qbittorrent.password);

		const duplicate = await callApi(lab.sonarr.url, 'POST', '/api/v3/downloadclient', lab.keys.sonarr, qbittorrentClient(lab, {tvCategory: 'tv-lab'}));
		assert.equal(duplicate.status, 400);
		assert.equal(duplicate.json[0].errorMessage, 'Should be unique');
		await callApi(lab.sonarr.url, 'DELETE', `/api/v3/downloadclient/${created.json.id}`, lab.keys.sonarr);
	});

	it('refuses a wrong qBittorrent password even with forceSave, but saves it when the client is disabled', async () => {
		const wrong = qbittorrentClient(lab, {password: 'not-the-password'});
		wrong.name = 'qBittorrent wrong';
		const refused = await callApi(lab.radarr.url, 'POST', '/api/v3/downloadclient?forceSave=true', lab.keys.radarr, {...wrong, fields: wrong.fields.filter((field: Json) => field.name !== 'tvCategory')});
		assert.equal(refused.status, 400);
		assert.equal(refused.json[0].propertyName, 'Username');
		assert.match(refused.json[0].errorMessage, /Authentication failure/);
		const disabled = await callApi(lab.radarr.url, 'POST', '/api/v3/downloadclient', lab.keys.radarr, {...wrong, enable: false, fields: wrong.fields.filter((field: Json) => field.name !== 'tvCategory')});
		assert.equal(disabled.status, 201, 'a disabled definition is neither validated nor tested');
		await callApi(lab.radarr.url, 'DELETE', `/api/v3/downloadclient/${disabled.json.id}`, lab.keys.radarr);
	});

	it('answers protocol on download clients and indexers from the implementation, whatever the body said', async () => {
		// Sonarr DownloadClientFactory/IndexerFactory.SetProviderCharacteristics: definition.Protocol = provider.Protocol.
		const sent = {...qbittorrentClient(lab, {password: 'unused'}), name: 'qBittorrent protocol', enable: false, protocol: 'usenet'};
		const created = await callApi(lab.sonarr.url, 'POST', '/api/v3/downloadclient', lab.keys.sonarr, sent);
		assert.equal(created.status, 201);
		try {
			const listed = await callApi(lab.sonarr.url, 'GET', '/api/v3/downloadclient', lab.keys.sonarr);
			assert.equal(listed.json.find((client: Json) => client.id === created.json.id).protocol, 'torrent');
		} finally {
			await callApi(lab.sonarr.url, 'DELETE', `/api/v3/downloadclient/${created.json.id}`, lab.keys.sonarr);
		}
		const schema = await callApi(lab.sonarr.url, 'GET', '/api/v3/indexer/schema', lab.keys.sonarr);
		assert.deepEqual(Object.fromEntries(schema.json.map((template: Json) => [template.implementation, template.protocol])), {Newznab: 'usenet', Torznab: 'torrent'});
	});

	it('explains an unreachable qBittorrent on the Host field', async () => {
		const answer = await callApi(lab.sonarr.url, 'POST', '/api/v3/downloadclient/test', lab.keys.sonarr, qbittorrentClient(lab, {port: 1}));
		assert.equal(answer.status, 400);
		assert.equal(answer.json[0].propertyName, 'Host');
		assert.match(answer.json[0].errorMessage, /Unable to connect to qBittorrent/);
	});

	it('tests the Emby/Jellyfin connection against Jellyfin, where the 404 of the missing endpoint passes even a wrong token', async () => {
		const token = lab.jellyfin.addApiKey('Sonarr');
		const notification = (apiKey: string) => ({
			name: 'Jellyfin',
			onDownload: true,
			onUpgrade: true,
			implementation: 'MediaBrowser',
			implementationName: 'Emby / Jellyfin',
			configContract: 'MediaBrowserSettings',
			tags: [],
			fields: [
				{name: 'host', value: lab.jellyfin.host},
				{name: 'port', value: lab.jellyfin.port},
				{name: 'apiKey', value: apiKey},
				{name: 'updateLibrary', value: true},
			],
		});
		const created = await callApi(lab.sonarr.url, 'POST', '/api/v3/notification', lab.keys.sonarr, notification(token));
		assert.equal(created.status, 201, created.text);
		assert.ok(lab.jellyfin.log.some(entry => entry.path === '/Notifications/Admin' && entry.status === 404));
		// Jellyfin has no /Notifications/Admin: routing answers 404 before authentication, so Sonarr's test cannot tell a
		// wrong token (arrwire checks the key against Jellyfin itself).
		const wrongToken = await callApi(lab.sonarr.url, 'POST', '/api/v3/notification/test', lab.keys.sonarr, notification('wrong-token'));
		assert.equal(wrongToken.status, 200);
		const unreachable = await callApi(lab.sonarr.url, 'POST', '/api/v3/notification/test', lab.keys.sonarr, {...notification(token), fields: [{name: 'host', value: '127.0.0.1'}, {name: 'port', value: 1}, {name: 'apiKey', value: token}]});
		assert.equal(unreachable.status, 400);
		assert.equal(unreachable.json[0].propertyName, 'Host');
		const statuses = await lab.sonarr.notifyImport(path.join(lab.paths.tv, 'Some Show'));
		assert.deepEqual(statuses, [204]);
		assert.ok(lab.jellyfin.mediaUpdates.includes(path.join(lab.paths.tv, 'Some Show')));
		await callApi(lab.sonarr.url, 'DELETE', `/api/v3/notification/${created.json.id}`, lab.keys.sonarr);
	});

	it('lists a folder from the real disk as FileSystemLookupService does: the folder with a trailing separator, cut back to the last one without it, only the parent when missing', async () => {
		const folder = path.join(lab.paths.root, 'listing');
		mkdirSync(path.join(folder, 'Season 1'), {recursive: true});
		mkdirSync(path.join(folder, '@eaDir'));
		writeFileSync(path.join(folder, '.hidden-file'), 'x');
		writeFileSync(path.join(folder, 'episode.mkv'), 'abc');
		const list = (query: string) => callApi(lab.sonarr.url, 'GET', `/api/v3/filesystem?${query}`, lab.keys.sonarr);
		const listed = await list(`path=${encodeURIComponent(`${folder}/`)}&includeFiles=true`);
		assert.equal(listed.status, 200);
		assert.equal(listed.json.parent, `${lab.paths.root}/`);
		// Special folders (SpecialFolders.cs) are left out; hidden files are not; folders end in a separator.
		assert.deepEqual(listed.json.directories.map((entry: Json) => [entry.type, entry.name, entry.path]), [['folder', 'Season 1', `${folder}/Season 1/`]]);
		assert.deepEqual(listed.json.files.map((entry: Json) => [entry.type, entry.name, entry.path, entry.extension, entry.size]), [
			['file', '.hidden-file', `${folder}/.hidden-file`, '', 1],
			['file', 'episode.mkv', `${folder}/episode.mkv`, '.mkv', 3],
		]);
		// Without the separator the query is what the UI has typed so far: its parent is listed.
		const typed = await list(`path=${encodeURIComponent(folder)}&includeFiles=true`);
		assert.ok(typed.json.directories.some((entry: Json) => entry.name === 'listing'));
		assert.ok((await list(`path=${encodeURIComponent(folder)}&includeFiles=true&allowFoldersWithoutTrailingSlashes=true`)).json.files.some((entry: Json) => entry.name === 'episode.mkv'));
		assert.deepEqual((await list(`path=${encodeURIComponent(`${folder}/`)}`)).json.files, [], 'files only when asked');
		assert.deepEqual((await list(`path=${encodeURIComponent(`${folder}/missing/`)}&includeFiles=true`)).json, {parent: `${folder}/`, directories: [], files: []});
		assert.equal((await callApi(lab.sonarr.url, 'GET', `/api/v3/filesystem?path=${encodeURIComponent(`${folder}/`)}`, undefined)).status, 401);
	});

	it('validates remote path mappings (400 array) and refuses a duplicate with a 500 message', async () => {
		const invalid = await callApi(lab.sonarr.url, 'POST', '/api/v3/remotepathmapping', lab.keys.sonarr, {host: '', remotePath: '/downloads', localPath: '/no/such/dir'});
		assert.equal(invalid.status, 400);
		assert.deepEqual(
			invalid.json.map((failure: Json) => failure.propertyName),
			['Host', 'LocalPath'],
		);
		const body = {host: 'qbittorrent', remotePath: '/downloads/', localPath: lab.paths.torrents};
		const created = await callApi(lab.sonarr.url, 'POST', '/api/v3/remotepathmapping', lab.keys.sonarr, body);
		assert.equal(created.status, 201);
		assert.equal(created.json.localPath, `${lab.paths.torrents}/`);
		const duplicate = await callApi(lab.sonarr.url, 'POST', '/api/v3/remotepathmapping', lab.keys.sonarr, body);
		assert.equal(duplicate.status, 500);
		assert.equal(duplicate.json.message, 'RemotePath already configured.');
		await callApi(lab.sonarr.url, 'DELETE', `/api/v3/remotepathmapping/${created.json.id}`, lab.keys.sonarr);
	});

	it('records a request that does not fit the OpenAPI file as a violation', async () => {
		const answer = await callApi(lab.radarr.url, 'POST', '/api/v3/rootfolder', lab.keys.radarr, {path: lab.paths.movies, color: 'blue'});
		assert.equal(answer.status, 400);
		const violations = lab.radarr.violations.splice(0);
		assert.equal(violations.length, 1);
		assert.match(violations[0]!, /color/);
	});

	it('injects faults per endpoint: a status, a reset, a delay', async () => {
		lab.sonarr.inject({path: '/api/v3/rootfolder', method: 'GET', status: 500, times: 1});
		assert.equal((await callApi(lab.sonarr.url, 'GET', '/api/v3/rootfolder', lab.keys.sonarr)).status, 500);
		assert.equal((await callApi(lab.sonarr.url, 'GET', '/api/v3/rootfolder', lab.keys.sonarr)).status, 200);
		lab.sonarr.inject({path: '/api/v3/rootfolder', method: 'GET', reset: true, times: 1});
		await assert.rejects(callApi(lab.sonarr.url, 'GET', '/api/v3/rootfolder', lab.keys.sonarr));
		lab.sonarr.inject({path: '/api/v3/tag', delayMs: 150, times: 1});
		const started = Date.now();
		await callApi(lab.sonarr.url, 'GET', '/api/v3/tag', lab.keys.sonarr);
		assert.ok(Date.now() - started >= 140);
	});

	it('returns the existing tag for the same label and stores new labels lower-cased', async () => {
		const first = await callApi(lab.sonarr.url, 'POST', '/api/v3/tag', lab.keys.sonarr, {label: 'Jellyseerr'});
		assert.equal(first.json.label, 'jellyseerr');
		const second = await callApi(lab.sonarr.url, 'POST', '/api/v3/tag', lab.keys.sonarr, {label: 'jellyseerr'});
		assert.equal(second.json.id, first.json.id);
	});
});
