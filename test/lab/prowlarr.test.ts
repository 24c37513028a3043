// The Prowlarr emulator behaves as Prowlarr's source says (src/NzbDrone.Core/Applications/, Indexers/): the NZBgeek preset is tested against the indexer, an
// application is tested both ways (Prowlarr → Sonarr, Sonarr → Prowlarr), and the sync writes indexers into
// Sonarr/Radarr, which then search through Prowlarr.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {callApi} from '../helpers.js';

type Json = any;


function setFields(resource: Json, values: Record<string, unknown>): Json {
	return {...resource, fields: resource.fields.map((field: Json) => (field.name in values ? {...field, value: values[field.name]} : field))};
}

describe('Prowlarr emulator fidelity', () => {
	let lab: Lab;
	let nzbgeek: Json;
	before(async () => {
		lab = await startLab({defaultPorts: false});
		const schema = await callApi(lab.prowlarr.url, 'GET', '/api/v1/indexer/schema', lab.keys.prowlarr);
		nzbgeek = schema.json.find((entry: Json) => entry.name === 'NZBgeek');
	});
	after(async () => {
		await lab?.stop();
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('offers NZBgeek as a Newznab preset with its real URL and definitionName "Newznab"', () => {
		assert.ok(nzbgeek);
		assert.equal(nzbgeek.implementation, 'Newznab');
		assert.equal(nzbgeek.definitionName, 'Newznab');
		assert.equal(nzbgeek.protocol, 'usenet');
		assert.equal(nzbgeek.redirect, true);
		assert.equal(nzbgeek.fields.find((field: Json) => field.name === 'baseUrl').value, 'https://api.nzbgeek.info');
	});

	it('tests the indexer against the indexer itself on save: a wrong key is refused, a bad profile or redirect too', async () => {
		const wrong = await callApi(lab.prowlarr.url, 'POST', '/api/v1/indexer', lab.keys.prowlarr, setFields(nzbgeek, {apiKey: 'wrong'}));
		assert.equal(wrong.status, 400);
		assert.equal(wrong.json[0].propertyName, 'ApiKey');
		assert.ok(lab.nzbgeek.log.length > 0, 'the indexer was called');
		const noProfile = await callApi(lab.prowlarr.url, 'POST', '/api/v1/indexer', lab.keys.prowlarr, {...setFields(nzbgeek, {apiKey: lab.keys.nzbgeek}), appProfileId: 7});
		assert.equal(noProfile.status, 400);
		assert.equal(noProfile.json[0].propertyName, 'AppProfileId');
		const noRedirect = await callApi(lab.prowlarr.url, 'POST', '/api/v1/indexer', lab.keys.prowlarr, {...setFields(nzbgeek, {apiKey: lab.keys.nzbgeek}), redirect: false});
		assert.equal(noRedirect.status, 400);
		assert.match(noRedirect.json[0].errorMessage, /Redirect must be enabled for Usenet indexers/);
	});

	it('never calls an indexer host outside loopback: an unknown site fails as a name that does not resolve', async () => {
		const drunkenslug = (await callApi(lab.prowlarr.url, 'GET', '/api/v1/indexer/schema', lab.keys.prowlarr)).json.find((entry: Json) => entry.name === 'DrunkenSlug');
		const answer = await callApi(lab.prowlarr.url, 'POST', '/api/v1/indexer/test', lab.keys.prowlarr, setFields(drunkenslug, {apiKey: 'x'}));
		assert.equal(answer.status, 400);
		assert.match(answer.json[0].errorMessage, /Unable to connect to indexer/);
	});

	it('tests an application both ways and then syncs its indexers into Sonarr, which searches through Prowlarr', async () => {
		const indexer = await callApi(lab.prowlarr.url, 'POST', '/api/v1/indexer', lab.keys.prowlarr, setFields(nzbgeek, {apiKey: lab.keys.nzbgeek}));
		assert.equal(indexer.status, 201, indexer.text);
		assert.equal(indexer.json.fields.find((field: Json) => field.name === 'apiKey').value, '********');

		const template = (await callApi(lab.prowlarr.url, 'GET', '/api/v1/applications/schema', lab.keys.prowlarr)).json.find((entry: Json) => entry.implementation === 'Sonarr');
		const application = {...setFields(template, {prowlarrUrl: lab.prowlarr.url, baseUrl: lab.sonarr.url, apiKey: lab.keys.sonarr}), name: 'Sonarr'};
		const sonarrRequestsBefore = lab.sonarr.log.length;
		const created = await callApi(lab.prowlarr.url, 'POST', '/api/v1/applications', lab.keys.prowlarr, application);
		assert.equal(created.status, 201, created.text);
		const sonarrSaw = lab.sonarr.log.slice(sonarrRequestsBefore).map(entry => `${entry.method} ${entry.path}`);
		assert.ok(sonarrSaw.includes('GET /api/v3/indexer/schema'));
		assert.ok(sonarrSaw.includes('POST /api/v3/indexer/test'));
		assert.ok(lab.prowlarr.log.some(entry => entry.path === '/0/api' && entry.status === 200), 'Sonarr called Prowlarr back on its test indexer');

		await lab.prowlarr.idle();
		assert.deepEqual(lab.prowlarr.syncErrors, []);
		const indexers = await callApi(lab.sonarr.url, 'GET', '/api/v3/indexer', lab.keys.sonarr);
		assert.equal(indexers.json.length, 1);
		assert.equal(indexers.json[0].name, 'NZBgeek (Prowlarr)');
		const baseUrl = indexers.json[0].fields.find((field: Json) => field.name === 'baseUrl').value;
		assert.equal(baseUrl, `${lab.prowlarr.url}/${indexer.json.id}/`);
		assert.ok(lab.prowlarr.log.some(entry => entry.path === `/${indexer.json.id}/api`), 'Sonarr tested the synced indexer through Prowlarr');
		assert.ok(lab.nzbgeek.searches.length > 0, 'the search reached the indexer');

		// A forced sync with nothing changed writes nothing into Sonarr.
		const writesBefore = lab.sonarr.writes().length;
		const command = await callApi(lab.prowlarr.url, 'POST', '/api/v1/command', lab.keys.prowlarr, {name: 'ApplicationIndexerSync'});
		assert.equal(command.status, 201);
		await lab.prowlarr.idle();
		assert.equal((await callApi(lab.prowlarr.url, 'GET', `/api/v1/command/${command.json.id}`, lab.keys.prowlarr)).json.status, 'completed');
		assert.equal(lab.sonarr.writes().length, writesBefore);

		// An indexer deleted by hand in Sonarr comes back with the next sync (full sync).
		await callApi(lab.sonarr.url, 'DELETE', `/api/v3/indexer/${indexers.json[0].id}`, lab.keys.sonarr);
		await callApi(lab.prowlarr.url, 'POST', '/api/v1/command', lab.keys.prowlarr, {name: 'ApplicationIndexerSync'});
		await lab.prowlarr.idle();
		assert.equal((await callApi(lab.sonarr.url, 'GET', '/api/v3/indexer', lab.keys.sonarr)).json.length, 1);

		// Deleting the indexer in Prowlarr removes it from Sonarr.
		await callApi(lab.prowlarr.url, 'DELETE', `/api/v1/indexer/${indexer.json.id}`, lab.keys.prowlarr);
		await lab.prowlarr.idle();
		assert.equal((await callApi(lab.sonarr.url, 'GET', '/api/v3/indexer', lab.keys.sonarr)).json.length, 0);
		await callApi(lab.prowlarr.url, 'DELETE', `/api/v1/applications/${created.json.id}`, lab.keys.prowlarr);
	});

	it('maps the failures of an application test to the field at fault', async () => {
		const template = (await callApi(lab.prowlarr.url, 'GET', '/api/v1/applications/schema', lab.keys.prowlarr)).json.find((entry: Json) => entry.implementation === 'Radarr');
		const attempt = async (values: Record<string, unknown>) =>
			callApi(lab.prowlarr.url, 'POST', '/api/v1/applications/test', lab.keys.prowlarr, {...setFields(template, {prowlarrUrl: lab.prowlarr.url, baseUrl: lab.radarr.url, apiKey: lab.keys.radarr, ...values}), name: 'Radarr'});
		assert.equal((await attempt({})).status, 200);
		const wrongKey = await attempt({apiKey: 'wrong'});
		assert.equal(wrongKey.json[0].propertyName, 'ApiKey');
		assert.equal(wrongKey.json[0].errorMessage, 'API Key is invalid');
		// Radarr cannot reach Prowlarr at this address: Radarr's indexer test fails, Prowlarr blames prowlarrUrl.
		const unreachableProwlarr = await attempt({prowlarrUrl: 'http://127.0.0.1:1'});
		assert.equal(unreachableProwlarr.json[0].propertyName, 'ProwlarrUrl');
		const unreachableRadarr = await attempt({baseUrl: 'http://127.0.0.1:1'});
		assert.equal(unreachableRadarr.json[0].propertyName, 'BaseUrl');

		const withBase = new ServarrEmulator({kind: 'radarr', apiKey: lab.keys.radarr, host: lab.host, urlBase: '/radarr', spec: false});
		await withBase.start();
		try {
			const missingBase = await attempt({baseUrl: `http://${withBase.host}:${withBase.port}`});
			assert.equal(missingBase.json[0].propertyName, 'BaseUrl');
			assert.match(missingBase.json[0].errorMessage, /missing a URL base/);
		} finally {
			await withBase.stop();
		}
	});

	it('has the Standard app profile and writes its config.xml', async () => {
		const profiles = await callApi(lab.prowlarr.url, 'GET', '/api/v1/appprofile', lab.keys.prowlarr);
		assert.deepEqual(
			profiles.json.map((profile: Json) => [profile.id, profile.name]),
			[[1, 'Standard']],
		);
		assert.match(readFileSync(path.join(lab.paths.config.prowlarr, 'config.xml'), 'utf8'), new RegExp(`<ApiKey>${lab.keys.prowlarr}</ApiKey>`));
	});
});
