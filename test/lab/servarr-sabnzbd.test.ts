// The Sonarr/Radarr emulators know the Sabnzbd download client: its schema as SabnzbdSettings.cs has it, and its test
// (Sabnzbd.cs) run on save against the lab's SABnzbd, refusing what the real Sonarr refuses with its own words.
import assert from 'node:assert/strict';
import {after, afterEach, before, describe, it} from 'node:test';
import {callApi} from '../helpers.js';
import {assertNoSpecViolations, randomKey} from '../../source/lab/harness.js';
import {freePort} from '../../source/lab/qbittorrent.js';
import {SabnzbdEmulator} from '../../source/lab/sabnzbd.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';

type Json = any;

let saves = 0;

/** A download-client resource; each with a name of its own (Sonarr wants names unique). */
function sabnzbdClient(sab: {host: string; port: number}, fields: Record<string, unknown>): Json {
	return {
		name: `SABnzbd ${++saves}`,
		enable: true,
		protocol: 'usenet',
		priority: 1,
		implementation: 'Sabnzbd',
		implementationName: 'SABnzbd',
		configContract: 'SabnzbdSettings',
		tags: [],
		fields: Object.entries({host: sab.host, port: sab.port, ...fields}).map(([name, value]) => ({name, value})),
	};
}

describe('Sonarr/Radarr emulators: the SABnzbd download client', () => {
	let sab: SabnzbdEmulator;
	let sonarr: ServarrEmulator;
	let radarr: ServarrEmulator;
	const keys = {sonarr: randomKey(), radarr: randomKey()};
	before(async () => {
		sab = new SabnzbdEmulator({completeDir: '/data/usenet/complete'});
		sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: keys.sonarr});
		radarr = new ServarrEmulator({kind: 'radarr', apiKey: keys.radarr});
		for (const emulator of [sab, sonarr, radarr]) {
			await emulator.start();
		}
	});
	after(async () => {
		for (const emulator of [sab, sonarr, radarr]) {
			await emulator?.stop();
		}
	});
	afterEach(() => {
		assertNoSpecViolations(sonarr, radarr);
	});

	it('lists the Sabnzbd implementation with the fields of SabnzbdSettings (Radarr: movieCategory "movies")', async () => {
		const schema = (await callApi(sonarr.url, 'GET', '/api/v3/downloadclient/schema', keys.sonarr)).json as Json[];
		const template = schema.find(entry => entry.implementation === 'Sabnzbd');
		assert.ok(template);
		assert.equal(template.protocol, 'usenet');
		assert.deepEqual(
			template.fields.map((field: Json) => field.name),
			['host', 'port', 'useSsl', 'urlBase', 'apiKey', 'username', 'password', 'tvCategory', 'recentTvPriority', 'olderTvPriority'],
		);
		assert.equal(template.fields.find((field: Json) => field.name === 'port').value, 8080);
		const radarrSchema = (await callApi(radarr.url, 'GET', '/api/v3/downloadclient/schema', keys.radarr)).json as Json[];
		assert.equal(radarrSchema.find(entry => entry.implementation === 'Sabnzbd').fields.find((field: Json) => field.name === 'movieCategory').value, 'movies');
	});

	it('saves a SABnzbd whose key and category are right, after calling it (version, then get_config)', async () => {
		const before = sab.log.length;
		const saved = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient(sab, {apiKey: sab.apiKey, tvCategory: 'tv'}));
		assert.equal(saved.status, 201, saved.text);
		const modes = sab.log.slice(before).map(entry => new URLSearchParams(entry.query).get('mode'));
		assert.deepEqual(modes.slice(0, 2), ['version', 'get_config']);
		const radarrSaved = await callApi(radarr.url, 'POST', '/api/v3/downloadclient', keys.radarr, sabnzbdClient(sab, {apiKey: sab.apiKey, movieCategory: 'movies'}));
		assert.equal(radarrSaved.status, 201, radarrSaved.text);
	});

	it("a wrong key: SABnzbd's 403 aborts the test, as the real Sonarr reports it (the URL it tried in the message)", async () => {
		const wrong = 'a'.repeat(32);
		const refused = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient(sab, {apiKey: wrong, tvCategory: 'tv'}));
		assert.equal(refused.status, 400);
		const [first] = refused.json as Json[];
		assert.equal(first.propertyName, '');
		assert.match(first.errorMessage, /^Test was aborted due to an error: Unable to connect to SABnzbd, HTTP request failed: \[403:Forbidden\] \[GET\] at \[http:\/\/.*mode=get_config/);
		assert.ok(first.errorMessage.includes(wrong), 'Sonarr quotes the URL, key included: arrwire must redact it');
	});

	it('no key and no login: refused by the settings validator before any call', async () => {
		const before = sab.log.length;
		const refused = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient(sab, {tvCategory: 'tv'}));
		assert.equal(refused.status, 400);
		assert.ok((refused.json as Json[]).some(item => item.propertyName === 'ApiKey' && /API Key is required/.test(item.errorMessage)));
		assert.equal(sab.log.length, before);
	});

	it('a category SABnzbd does not have, and one without job folders, are refused with their own words', async () => {
		const missing = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient(sab, {apiKey: sab.apiKey, tvCategory: 'series'}));
		assert.equal(missing.status, 400);
		assert.deepEqual((missing.json as Json[]).map(item => [item.propertyName, item.errorMessage]), [['TvCategory', 'Category does not exist']]);

		sab.categories.find(category => category.name === 'tv')!.dir = 'tv*';
		try {
			const starred = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient(sab, {apiKey: sab.apiKey, tvCategory: 'tv'}));
			assert.equal(starred.status, 400);
			assert.deepEqual((starred.json as Json[]).map(item => [item.propertyName, item.errorMessage]), [['TvCategory', 'Enable Job folders']]);
		} finally {
			sab.categories.find(category => category.name === 'tv')!.dir = '';
		}
	});

	it('nothing at the address: "Unable to connect to SABnzbd" on Host, and the test aborts', async () => {
		const port = await freePort('127.0.0.1');
		const refused = await callApi(sonarr.url, 'POST', '/api/v3/downloadclient', keys.sonarr, sabnzbdClient({host: '127.0.0.1', port}, {apiKey: sab.apiKey, tvCategory: 'tv'}));
		assert.equal(refused.status, 400);
		const failures = refused.json as Json[];
		assert.equal(failures[0].propertyName, 'Host');
		assert.equal(failures[0].errorMessage, 'Unable to connect to SABnzbd');
		assert.match(failures[1].errorMessage, /^Test was aborted due to an error: Unable to connect to SABnzbd/);
	});
});
