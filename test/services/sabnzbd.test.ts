// The SABnzbd client against the lab's SABnzbd (built from sabnzbd/api.py and sabnzbd/interface.py).
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import * as z from '../../source/services/schema.js';
import {isServiceError} from '../../source/services/errors.js';
import {forgetSecrets, redact} from '../../source/services/redact.js';
import {SabnzbdClient} from '../../source/services/sabnzbd.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {randomKey} from '../../source/lab/harness.js';
import {SAB_MESSAGES, SabnzbdEmulator} from '../../source/lab/sabnzbd.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {rejection} from '../helpers.js';

describe('SABnzbd client against the lab SABnzbd', () => {
	let sab: SabnzbdEmulator;
	before(async () => {
		sab = new SabnzbdEmulator({completeDir: '/data/usenet/complete', downloadDir: '/data/usenet/incomplete'});
		await sab.start();
	});
	after(async () => {
		await sab?.stop();
	});

	it('reads the version, the folders and the categories with the key; the key is never part of what it returns', async () => {
		const client = new SabnzbdClient({url: sab.url, apiKey: sab.apiKey});
		assert.equal(await client.version(), sab.version);
		await client.checkKey();
		const misc = await client.misc();
		assert.deepEqual(misc, {completeDir: '/data/usenet/complete', downloadDir: '/data/usenet/incomplete', urlBase: '', host: sab.host, port: String(sab.port)});
		assert.ok(!JSON.stringify(misc).includes(sab.apiKey));
		assert.equal(await client.completeFolder(), '/data/usenet/complete');
		assert.deepEqual(
			(await client.categories()).map(category => category.name),
			['*', 'movies', 'tv', 'audio', 'software'],
		);
	});

	it('creates, updates and deletes a category, as SABnzbd stores it', async () => {
		const client = new SabnzbdClient({url: sab.url, apiKey: sab.apiKey});
		const tv = await client.saveCategory({name: 'tv', dir: 'tv'});
		assert.equal(tv.dir, 'tv');
		assert.equal(sab.categories.find(category => category.name === 'tv')?.dir, 'tv');
		const anime = await client.saveCategory({name: 'Anime', dir: '/data/usenet/complete/anime', priority: 1});
		assert.deepEqual(anime, {name: 'anime', order: 0, pp: '', script: 'Default', dir: '/data/usenet/complete/anime', priority: 1});
		await client.deleteCategory('anime');
		assert.ok(!(await client.categories()).some(category => category.name === 'anime'));
		// Deleting what is not there is what SABnzbd allows: no error.
		await client.deleteCategory('anime');
	});

	it('a wrong key is "unauthorized" with where the right one is, and the key never shows in the error', async () => {
		const wrong = 'f'.repeat(32);
		const client = new SabnzbdClient({url: sab.url, apiKey: wrong});
		// version answers anyone: it cannot tell a wrong key.
		assert.equal(await client.version(), sab.version);
		const error = await rejection(client.checkKey());
		assert.ok(isServiceError(error));
		assert.equal(error.kind, 'unauthorized');
		assert.equal(error.status, 403);
		assert.equal(error.serviceMessage, 'API Key Incorrect');
		assert.match(error.fix, /api_key under \[misc\] in sabnzbd\.ini/);
		const shown = JSON.stringify(error.toJSON()) + error.message;
		assert.ok(!shown.includes(wrong));
		assert.match(error.url, /apikey=\*{8}/);
		forgetSecrets();
	});

	it('a call SABnzbd refuses in itself (200 {"status": false}) is an error value with its text', async () => {
		const client = new SabnzbdClient({url: sab.url, apiKey: sab.apiKey});
		const error = await rejection(client.call('no_such_mode', z.unknown()));
		assert.ok(isServiceError(error));
		assert.equal(error.kind, 'validation');
		assert.match(error.message, /no_such_mode: not implemented/);
		assert.ok(!error.message.includes(sab.apiKey));
	});

	it('a Host name SABnzbd does not know is refused with the fix (host_whitelist)', async () => {
		// What SABnzbd answers when reached by a name outside host_whitelist (a container name, a DNS name).
		sab.inject({path: '/api', status: 403, body: SAB_MESSAGES.hostname, times: 1});
		const client = new SabnzbdClient({url: sab.url, apiKey: sab.apiKey});
		const error = await rejection(client.categories());
		assert.ok(isServiceError(error));
		assert.equal(error.kind, 'forbidden');
		assert.match(error.fix, /host_whitelist/);
	});

	it("Sonarr quoting a wrong SABnzbd key in its failed test (the URL it tried): arrwire's error shows it masked", async () => {
		forgetSecrets();
		const sonarrKey = randomKey();
		const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: sonarrKey});
		await sonarr.start();
		try {
			const wrong = 'b'.repeat(32);
			const client = new ServarrClient({kind: 'sonarr', url: sonarr.url, apiKey: sonarrKey});
			const fields = {host: sab.host, port: sab.port, apiKey: wrong, tvCategory: 'tv'};
			const body = {name: 'SABnzbd', enable: true, protocol: 'usenet', priority: 1, implementation: 'Sabnzbd', implementationName: 'SABnzbd', configContract: 'SabnzbdSettings', tags: [], fields: Object.entries(fields).map(([name, value]) => ({name, value}))};
			const error = await rejection(client.create('downloadclient', body));
			assert.ok(isServiceError(error));
			assert.equal(error.kind, 'validation');
			const shown = JSON.stringify(error.toJSON()) + error.message;
			assert.match(shown, /HTTP request failed: \[403:Forbidden\]/);
			assert.ok(!shown.includes(wrong), shown);
		} finally {
			await sonarr.stop();
			forgetSecrets();
		}
	});

	it("SABnzbd's login in a URL (ma_password, what Sonarr sends without a key) is masked by its place alone", () => {
		forgetSecrets();
		const text = redact('at [http://127.0.0.1:8080/api?mode=get_config&ma_username=sab&ma_password=hunter22x&output=json]');
		assert.ok(!text.includes('hunter22x'), text);
		assert.match(text, /ma_username=sab&ma_password=\*{8}&output=json/);
	});
});
