// The Prowlarr -> Sonarr/Radarr application links against the lab: the emulated Prowlarr tests each application both
// ways (it calls Sonarr, Sonarr calls it back) and syncs its NZBgeek indexer into Sonarr and Radarr.
// Plan, apply, idempotence, drift, a rotated API key, an address Sonarr cannot reach, faults, hand-made, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {prowlarrRadarrLink, prowlarrSonarrLink, type ProwlarrApplicationContext} from '../../source/links/prowlarr-applications.js';
import {isServiceError} from '../../source/services/errors.js';
import {fieldValue, forWrite, withFields} from '../../source/services/provider.js';
import {applicationSchema, ProwlarrClient} from '../../source/services/prowlarr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('links: Prowlarr -> Sonarr and Radarr applications', () => {
	let lab: Lab;
	let scratch: string;
	let context: ProwlarrApplicationContext;
	let prowlarr: ProwlarrClient;
	let nzbgeekId: number;
	const links = [prowlarrSonarrLink, prowlarrRadarrLink];
	const yes = {confirm: async () => true};
	const writes = () => lab.prowlarr.writes().length + lab.sonarr.writes().length + lab.radarr.writes().length;
	const address = (port: number, reason: string) => ({host: lab.host, port, useSsl: false, urlBase: '', reason});
	const sonarrApplications = async () => (await prowlarr.applications()).filter(application => application.implementation === 'Sonarr');
	const syncedInto = async (client: ServarrClient) => (await client.indexers()).filter(indexer => String(fieldValue(indexer, 'baseUrl')).startsWith(lab.prowlarr.url));

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-prowlarr-apps-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		await lab.prowlarr.idle();
		for (const emulator of [lab.prowlarr, lab.sonarr, lab.radarr]) {
			emulator.clearFaults();
		}
		lab.prowlarr.providers.get('indexer')!.splice(0);
		lab.prowlarr.providers.get('applications')!.splice(0);
		lab.prowlarr.indexerMaps.clear();
		lab.prowlarr.syncErrors.splice(0);
		lab.sonarr.providers.get('indexer')!.splice(0);
		lab.radarr.providers.get('indexer')!.splice(0);
		prowlarr = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr});
		// Something to sync: NZBgeek in Prowlarr (the nzbgeek-indexer link's job, done directly here).
		const template = (await prowlarr.indexerSchema()).find(entry => entry.name === 'NZBgeek')!;
		nzbgeekId = (await prowlarr.create('indexer', {...withFields(template, {apiKey: lab.keys.nzbgeek}), name: 'NZBgeek'})).id!;
		context = {
			clients: {
				prowlarr,
				sonarr: new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}),
				radarr: new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}),
			},
			desired: {
				addresses: {
					'sonarr->prowlarr': address(lab.prowlarr.port, 'Sonarr and Prowlarr both run on this machine'),
					'radarr->prowlarr': address(lab.prowlarr.port, 'Radarr and Prowlarr both run on this machine'),
					'prowlarr->sonarr': address(lab.sonarr.port, 'Prowlarr and Sonarr both run on this machine'),
					'prowlarr->radarr': address(lab.radarr.port, 'Prowlarr and Radarr both run on this machine'),
				},
				keys: {sonarr: lab.keys.sonarr, radarr: lab.keys.radarr},
			},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(async () => {
		await lab.prowlarr.idle();
		assertNoSpecViolations(...lab.emulators());
	});

	it('adds both applications (tested both ways), NZBgeek arrives in Sonarr and Radarr, then plans and writes nothing', async () => {
		const plans = await planLinks(links, context);
		assert.deepEqual(
			plans.map(plan => plan.changes.map(change => `${change.service}: ${change.action} ${change.target}`)),
			[['Prowlarr: create application "Sonarr"'], ['Prowlarr: create application "Radarr"']],
		);
		const shown = describeChange(plans[0]!.changes[0]!).join('\n');
		assert.match(shown, /prowlarrUrl: "http:\/\/[^"]+"/);
		assert.match(shown, /apiKey: \*\*\*\*\*\*\*\*/);
		assert.match(shown, /syncLevel: "fullSync"/);
		assert.match(shown, /why: Sonarr reaches Prowlarr at .* \(Sonarr and Prowlarr both run on this machine\); Prowlarr reaches Sonarr at .* \(Prowlarr and Sonarr both run on this machine\)/);
		assert.ok(!shown.includes(lab.keys.sonarr), 'the key is never shown');

		const result = await applyLinks(links, context, yes);
		assert.equal(result.failed, undefined);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, [], 'the test passes and the indexers arrived');
		assert.ok(lab.prowlarr.log.some(entry => entry.method === 'POST' && entry.path === '/api/v1/command'), 'apply asked Prowlarr to sync');
		await lab.prowlarr.idle();
		for (const client of [context.clients.sonarr!, context.clients.radarr!]) {
			const synced = await syncedInto(client);
			assert.deepEqual(synced.map(indexer => [indexer.name, fieldValue(indexer, 'baseUrl')]), [['NZBgeek (Prowlarr)', `${lab.prowlarr.url}/${nzbgeekId}/`]]);
		}
		const stored = lab.prowlarr.providers.get('applications')!.find(application => application.implementation === 'Sonarr')!;
		assert.equal(stored.fields.find(field => field.name === 'apiKey')?.value, lab.keys.sonarr);
		assert.ok(!JSON.stringify(context.journal.runs).includes(lab.keys.sonarr), 'the journal holds no key');

		const before = writes();
		const again = await planLinks(links, context);
		assert.deepEqual(again.flatMap(plan => plan.changes), []);
		await applyLinks(links, context, yes);
		await lab.prowlarr.idle();
		assert.equal(writes(), before, 'a second apply sends no write');
	});

	it('drift: a Sonarr address Prowlarr cannot reach and a disabled sync are repaired by one update, which undo restores', async () => {
		await applyLinks([prowlarrSonarrLink], context, yes);
		const [application] = await sonarrApplications();
		const broken = {...withFields(application!, {baseUrl: `http://${lab.host}:1`}), syncLevel: 'disabled'};
		// forceSave: Prowlarr would refuse the broken address otherwise (it re-tests on every PUT).
		await prowlarr.http.put(`/api/v1/applications/${application!.id}`, applicationSchema, {json: forWrite(broken), query: {forceSave: true}});
		const findings = await prowlarrSonarrLink.verify(context);
		assert.equal(findings[0]?.id, 'link.prowlarr-application-test-failed');
		assert.match(findings[0].fix, new RegExp(`Prowlarr cannot reach Sonarr at http://${lab.host.replace(/\./g, '\\.')}:1`));

		const [plan] = await planLinks([prowlarrSonarrLink], context, {tests: true});
		const change = plan!.changes[0]!;
		assert.equal(change.action, 'update');
		assert.equal(change.handMade, false);
		assert.deepEqual(describeChange(change).slice(0, 3), [
			'Prowlarr: update application "Sonarr"',
			`    baseUrl: "http://${lab.host}:1" -> "${lab.sonarr.url}"`,
			'    syncLevel: "disabled" -> "fullSync"',
		]);
		assert.match(change.reason ?? '', /^Prowlarr's own test fails: Unable to complete application test, cannot connect to Sonarr/);
		const result = await applyLinks([prowlarrSonarrLink], context, yes);
		assert.equal(result.applied.length, 1);
		assert.deepEqual(result.findings, []);
		assert.equal((await sonarrApplications()).length, 1);

		await undoLastRun([prowlarrSonarrLink], context);
		const [restored] = await sonarrApplications();
		assert.equal(fieldValue(restored!, 'baseUrl'), `http://${lab.host}:1`);
		assert.equal(restored!.syncLevel, 'disabled');
	});

	it('"Add and Remove Only" is the user\'s choice: no change is planned for it, and an update keeps it', async () => {
		await applyLinks([prowlarrSonarrLink], context, yes);
		const [application] = await sonarrApplications();
		await prowlarr.update('applications', {...application!, syncLevel: 'addOnly'});
		const [plan] = await planLinks([prowlarrSonarrLink], context);
		assert.deepEqual(plan!.changes, []);
		assert.deepEqual(await prowlarrSonarrLink.verify(context), []);
		// A repair of something else (a rotated Sonarr key) keeps the choice.
		const oldKey = lab.keys.sonarr;
		const newKey = 'c'.repeat(32);
		lab.sonarr.rotateApiKey(newKey);
		context.desired.keys.sonarr = newKey;
		try {
			const result = await applyLinks([prowlarrSonarrLink], context, yes);
			assert.equal(result.applied.length, 1);
			assert.equal((await sonarrApplications())[0]!.syncLevel, 'addOnly');
		} finally {
			lab.sonarr.rotateApiKey(oldKey);
			context.desired.keys.sonarr = oldKey;
			await applyLinks([prowlarrSonarrLink], context, yes);
		}
	});

	it('a rotated Sonarr API key: Prowlarr\'s own test finds it, and one update gives Prowlarr the new key', async () => {
		await applyLinks(links, context, yes);
		const newKey = 'b'.repeat(32);
		lab.sonarr.rotateApiKey(newKey);
		try {
			context.desired.keys.sonarr = newKey;
			context.clients.sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: newKey});
			assert.equal((await prowlarrSonarrLink.verify(context))[0]?.id, 'link.prowlarr-application-test-failed');
			const plans = await planLinks(links, context, {tests: true});
			assert.deepEqual(plans[1]!.changes, [], 'Radarr is untouched');
			const change = plans[0]!.changes[0]!;
			assert.deepEqual(change.fields.map(field => [field.name, field.secret]), [['apiKey', true]]);
			assert.match(change.reason ?? '', /Prowlarr's own test fails: API Key is invalid/);
			assert.ok(!describeChange(change).join('\n').includes(newKey));
			const before = lab.prowlarr.writes().filter(entry => entry.method === 'PUT').length;
			const result = await applyLinks(links, context, yes);
			assert.equal(result.applied.length, 1);
			assert.equal(lab.prowlarr.writes().filter(entry => entry.method === 'PUT').length, before + 1, 'one update');
			assert.deepEqual(result.findings, []);
			assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);
		} finally {
			lab.sonarr.rotateApiKey(lab.keys.sonarr);
		}
	});

	it('a Prowlarr address Sonarr cannot reach: Prowlarr\'s ProwlarrUrl failure reaches the result, with a fix naming the address', async () => {
		context.desired.addresses['sonarr->prowlarr'] = address(1, 'a port nothing listens on');
		const result = await applyLinks([prowlarrSonarrLink], context, yes);
		assert.equal(result.applied.length, 0);
		const error = result.failed?.error;
		assert.ok(isServiceError(error), 'a service error');
		assert.equal(error.validation[0]?.propertyName, 'ProwlarrUrl');
		assert.match(error.message, /Prowlarr URL is invalid, Sonarr cannot connect to Prowlarr/);
		assert.ok(error.fix.includes(`http://${lab.host}:1`), `the fix names the address: ${error.fix}`);
		assert.deepEqual(await sonarrApplications(), [], 'nothing was saved');
	});

	for (const fault of [{status: 500}, {reset: true}, {delayMs: 3000}] as const) {
		it(`a failure on the write (${Object.keys(fault)[0]}): the run reports it, and the next run converges without duplicates`, async () => {
			const before = writesTo(lab.prowlarr, 'POST', '/api/v1/applications');
			lab.prowlarr.inject({method: 'POST', path: '/api/v1/applications', times: 1, ...fault});
			const client = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr, timeoutMs: 1000});
			const first = await applyLinks(links, {...context, clients: {...context.clients, prowlarr: client}}, yes);
			assert.equal(first.failed?.change.target, 'application "Sonarr"');
			// A timed-out write may still happen on Prowlarr's side: the re-run must adopt it.
			if ('delayMs' in fault) {
				await landed(lab.prowlarr, 'POST', '/api/v1/applications', before);
			}
			const second = await applyLinks(links, context, yes);
			assert.equal(second.failed, undefined);
			assert.equal((await sonarrApplications()).length, 1, 'exactly one Sonarr application');
			assert.equal((await prowlarr.applications()).length, 2);
			await lab.prowlarr.idle();
			assert.equal((await syncedInto(context.clients.sonarr!)).length, 1, 'exactly one synced indexer in Sonarr');
			assert.deepEqual((await Promise.all(links.map(link => link.verify(context)))).flat(), []);
		});
	}

	it('a timed-out write that lands between the plan and the apply is adopted, not duplicated', async () => {
		const before = writesTo(lab.prowlarr, 'POST', '/api/v1/applications');
		lab.prowlarr.inject({method: 'POST', path: '/api/v1/applications', times: 1, delayMs: 1500});
		const client = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr, timeoutMs: 1000});
		const first = await applyLinks([prowlarrSonarrLink], {...context, clients: {...context.clients, prowlarr: client}}, yes);
		assert.equal(first.failed?.change.action, 'create');
		const [planned] = prowlarrSonarrLink.plan(await prowlarrSonarrLink.read(context), context);
		assert.equal(planned?.action, 'create', 'planned before the write landed');
		await landed(lab.prowlarr, 'POST', '/api/v1/applications', before);
		assert.equal((await sonarrApplications()).length, 1, 'the write landed');
		const applied = await prowlarrSonarrLink.apply(planned, context);
		assert.equal(applied.entryId, (await sonarrApplications())[0]?.id);
		assert.ok(applied.before, 'the adopted application is journalled with its state before');
		assert.ok(!JSON.stringify(applied).includes(lab.keys.sonarr), 'before and after are the masked answers');
		assert.equal((await sonarrApplications()).length, 1, 'exactly one Sonarr application');
		assert.deepEqual(await prowlarrSonarrLink.verify(context), []);
	});

	it('an application made by hand is shown as hand-made, left alone when not confirmed, and verify says why nothing syncs', async () => {
		const template = (await prowlarr.applicationSchema()).find(entry => entry.implementation === 'Sonarr')!;
		await prowlarr.create('applications', {...withFields(template, {prowlarrUrl: lab.prowlarr.url, baseUrl: lab.sonarr.url, apiKey: lab.keys.sonarr}), name: 'My Sonarr', syncLevel: 'disabled'});
		const [plan] = await planLinks([prowlarrSonarrLink], context);
		const change = plan!.changes[0]!;
		assert.equal(change.handMade, true);
		assert.deepEqual(describeChange(change).slice(0, 2), ['Prowlarr: update application "My Sonarr"  (made by hand, not by arrwire)', '    syncLevel: "disabled" -> "fullSync"']);
		const declined = await applyLinks([prowlarrSonarrLink], context, {confirm: async candidate => !candidate.handMade});
		assert.equal(declined.declined.length, 1);
		assert.deepEqual((await prowlarrSonarrLink.verify(context)).map(finding => finding.id), ['link.prowlarr-application-disabled']);
		assert.deepEqual(await syncedInto(context.clients.sonarr!), []);

		await applyLinks([prowlarrSonarrLink], context, yes);
		assert.equal((await sonarrApplications()).length, 1);
		assert.equal((await sonarrApplications())[0]?.name, 'My Sonarr', 'the user\'s name is kept');
		assert.deepEqual(await prowlarrSonarrLink.verify(context), []);
	});

	it('verify names the Prowlarr indexers that have not arrived in Sonarr', async () => {
		await applyLinks([prowlarrSonarrLink], context, yes);
		await lab.prowlarr.idle();
		const [synced] = await syncedInto(context.clients.sonarr!);
		await context.clients.sonarr!.remove('indexer', synced!.id!);
		const findings = await prowlarrSonarrLink.verify(context);
		assert.deepEqual(findings.map(finding => finding.id), ['link.prowlarr-indexers-missing']);
		assert.match(findings[0]!.cause, /An indexer of Prowlarr has not arrived in Sonarr: "NZBgeek"/);
	});

	it('undo removes the applications the last run created, and the indexers they brought', async () => {
		await applyLinks(links, context, yes);
		await lab.prowlarr.idle();
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		assert.deepEqual(await prowlarr.applications(), []);
		assert.deepEqual(await syncedInto(context.clients.sonarr!), []);
		assert.deepEqual(await syncedInto(context.clients.radarr!), []);
		assert.equal((await prowlarr.indexers()).length, 1, 'Prowlarr\'s own indexer stays');
	});
});
