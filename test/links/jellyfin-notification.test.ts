// The optional Sonarr/Radarr -> Jellyfin refresh link against the lab: a Jellyfin key kept under the name "arrwire",
// a connection Sonarr tests on Jellyfin, and an import that really reaches Jellyfin. Each test starts from its own lab.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {radarrJellyfinLink, sonarrJellyfinLink, type JellyfinNotificationContext} from '../../source/links/jellyfin-notification.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {withFields} from '../../source/services/provider.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('links: Sonarr/Radarr -> Jellyfin library refresh', () => {
	let lab: Lab;
	let scratch: string;
	let context: JellyfinNotificationContext;
	const links = [sonarrJellyfinLink, radarrJellyfinLink];
	const yes = {confirm: async () => true};

	beforeEach(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-jf-'));
		const jellyfin = new JellyfinClient({url: lab.jellyfin.url});
		await jellyfin.authenticateByName(lab.jellyfinAdmin.name, lab.jellyfinAdmin.password);
		const address = {host: lab.jellyfin.host, port: lab.jellyfin.port, useSsl: false, urlBase: '', reason: 'both run on this machine'};
		context = {
			clients: {
				sonarr: new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}),
				radarr: new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}),
				jellyfin,
			},
			desired: {addresses: {'sonarr->jellyfin': address, 'radarr->jellyfin': address}, keys: {}},
			journal: await Journal.open(path.join(scratch, 'journal.json')),
		};
	});
	afterEach(async () => {
		assertNoSpecViolations(...lab.emulators());
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});

	it('creates one Jellyfin key for both, adds both connections, and an import reaches Jellyfin', async () => {
		const plans = await planLinks(links, context);
		assert.deepEqual(
			plans.map(plan => plan.changes.map(change => `${change.service}: ${change.action} ${change.target}`)),
			[['Sonarr: create connection "Jellyfin" (Emby / Jellyfin)'], ['Radarr: create connection "Jellyfin" (Emby / Jellyfin)']],
		);
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, []);
		assert.equal(lab.jellyfin.apiKeys().filter(key => key.appName === 'arrwire').length, 1, 'one key, reused by the second link');
		const show = path.join(lab.paths.tv, 'A Show (2024)');
		assert.deepEqual(await lab.sonarr.notifyImport(show), [204]);
		assert.ok(lab.jellyfin.mediaUpdates.includes(show));
		assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);
	});

	it('Jellyfin moved to another port: plans the port update of the connection arrwire made, not shown as made by hand', async () => {
		assert.equal((await applyLinks([sonarrJellyfinLink], context, yes)).applied.length, 1);
		context.desired.addresses['sonarr->jellyfin'] = {...context.desired.addresses['sonarr->jellyfin']!, port: 18096};
		const [plan] = await planLinks([sonarrJellyfinLink], context);
		assert.deepEqual(plan!.changes.map(change => [change.action, change.handMade, change.fields.map(field => [field.name, field.from, field.to])]), [['update', false, [['port', lab.jellyfin.port, 18096]]]]);
	});

	it('a connection made by hand that does not update the library: the update is shown as made by hand, and declined it stays', async () => {
		const sonarr = context.clients.sonarr!;
		const template = (await sonarr.notificationSchema()).find(entry => entry.implementation === 'MediaBrowser')!;
		// What a person adds in Sonarr's UI: notifications only, no library update (Sonarr tests it on save, so it must reach Jellyfin).
		await sonarr.create('notification', {...withFields(template, {host: lab.jellyfin.host, port: lab.jellyfin.port, useSsl: false, urlBase: '', updateLibrary: false, apiKey: 'a-key-typed-by-hand', notify: false}), name: 'My Jellyfin', onDownload: true});
		const [plan] = await planLinks([sonarrJellyfinLink], context);
		assert.deepEqual(plan!.changes.map(change => [change.action, change.handMade, change.fields.map(field => [field.name, field.from, field.to])]), [['update', true, [['updateLibrary', false, true]]]]);
		const result = await applyLinks([sonarrJellyfinLink], context, {confirm: async change => !change.handMade});
		assert.equal(result.declined.length, 1);
		assert.deepEqual((await sonarr.notifications()).map(notification => [notification.name, notification.fields.find(field => field.name === 'updateLibrary')?.value]), [['My Jellyfin', false]]);
	});

	it('a failure on the write (500, then a reset): each re-run converges to one connection', async () => {
		for (const fault of [{status: 500}, {reset: true}] as const) {
			lab.radarr.inject({method: 'POST', path: '/api/v3/notification', times: 1, ...fault});
			const first = await applyLinks([radarrJellyfinLink], context, yes);
			assert.equal(first.failed?.change.service, 'Radarr');
		}
		const last = await applyLinks(links, context, yes);
		assert.equal(last.failed, undefined, last.failed?.error.message);
		assert.equal((await context.clients.radarr!.notifications()).length, 1);
		assert.equal((await context.clients.sonarr!.notifications()).length, 1);
	});

	it('undo removes both connections', async () => {
		assert.equal((await applyLinks(links, context, yes)).applied.length, 2);
		assert.equal((await context.clients.sonarr!.notifications()).length, 1);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		assert.deepEqual(await context.clients.sonarr!.notifications(), []);
		assert.deepEqual(await context.clients.radarr!.notifications(), []);
	});
});
