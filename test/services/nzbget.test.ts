// The NZBGet client against the real NZBGet (Debian's nzbget, server mode, started by the lab).
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as z from '../../source/services/schema.js';
import {isServiceError} from '../../source/services/errors.js';
import {categoriesOf, NzbgetClient} from '../../source/services/nzbget.js';
import {startNzbget, type RunningNzbget} from '../../source/lab/nzbget.js';
import {rejection} from '../helpers.js';

describe('NZBGet client against the real nzbget', () => {
	let nzbget: RunningNzbget;
	before(async () => {
		nzbget = await startNzbget({options: {'Category1.Name': 'tv'}});
	});
	after(async () => {
		await nzbget?.stop();
	});

	it('reads the version and the running options with the control password', async () => {
		const client = new NzbgetClient({url: nzbget.url, username: nzbget.username, password: nzbget.password});
		assert.match(await client.version(), /^\d+\.\d+/);
		assert.equal(await client.version(), nzbget.version);
		const options = await client.config();
		assert.equal(options.find(option => option.Name === 'ControlPort')?.Value, String(nzbget.port));
		assert.deepEqual(await client.categories(), [{index: 1, name: 'tv', destDir: ''}]);
	});

	it('a wrong password is "unauthorized", with where to find the right one, and the password never shows', async () => {
		const client = new NzbgetClient({url: nzbget.url, username: nzbget.username, password: 'not-the-password'});
		const error = await rejection(client.version());
		assert.ok(isServiceError(error));
		assert.equal(error.kind, 'unauthorized');
		assert.equal(error.status, 401);
		assert.match(error.fix, /ControlPassword in nzbget\.conf/);
		assert.ok(!JSON.stringify(error.toJSON()).includes('not-the-password'));
	});

	it('an unknown method is an error value naming the method, not an answer', async () => {
		const client = new NzbgetClient({url: nzbget.url, username: nzbget.username, password: nzbget.password});
		const error = await rejection(client.call('no-such-method', [], z.unknown()));
		assert.ok(isServiceError(error));
		assert.match(error.message, /no-such-method: Invalid procedure/);
	});

	it('saves a category into nzbget.conf and runs with it after a reload', async () => {
		const client = new NzbgetClient({url: nzbget.url, username: nzbget.username, password: nzbget.password});
		const saved = await client.loadConfig();
		const destDir = path.join(nzbget.mainDir, 'movies');
		await client.saveConfig([...saved, {Name: 'Category2.Name', Value: 'movies'}, {Name: 'Category2.DestDir', Value: destDir}]);
		assert.deepEqual(categoriesOf(await client.loadConfig()).map(category => category.name), ['tv', 'movies']);
		await client.reload();
		// Reload restarts NZBGet's control server: wait for it to answer with the new options.
		let categories: string[] = [];
		for (let attempt = 0; attempt < 200 && !categories.includes('movies'); attempt++) {
			categories = await client.categories().then(
				list => list.map(category => category.name),
				() => [],
			);
			if (!categories.includes('movies')) {
				await new Promise(resolve => setImmediate(resolve));
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		}
		assert.deepEqual(categories, ['tv', 'movies']);
		assert.ok(existsSync(nzbget.configFile));
	});
});
