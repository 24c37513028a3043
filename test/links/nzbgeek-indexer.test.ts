// The NZBgeek indexer link against the lab: the emulated Prowlarr tests the indexer on the NZBgeek stand-in.
// Plan, apply, idempotence, a key NZBgeek no longer takes, a disabled indexer, faults, a hand-made one, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {nzbgeekIndexerLink, type NzbgeekIndexerContext} from '../../source/links/nzbgeek-indexer.js';
import {fieldValue, withFields} from '../../source/services/provider.js';
import {ProwlarrClient} from '../../source/services/prowlarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('links: NZBgeek indexer in Prowlarr', () => {
	let lab: Lab;
	let scratch: string;
	let context: NzbgeekIndexerContext;
	let prowlarr: ProwlarrClient;
	const links = [nzbgeekIndexerLink];
	const yes = {confirm: async () => true};
	const writes = () => lab.prowlarr.writes().length;
	const nzbgeeks = async () => (await prowlarr.indexers()).filter(indexer => String(fieldValue(indexer, 'baseUrl')).includes('api.nzbgeek.info'));

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-nzbgeek-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		lab.prowlarr.providers.get('indexer')!.splice(0);
		lab.prowlarr.providers.get('applications')!.splice(0);
		lab.prowlarr.clearFaults();
		prowlarr = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr});
		context = {
			clients: {prowlarr},
			desired: {keys: {nzbgeek: lab.keys.nzbgeek}},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('with a Usenet client found, the plan carries no warning about grabs', async () => {
		const nzbget = {kind: 'nzbget', name: 'NZBGet', url: 'http://127.0.0.1:6789'} as unknown as NonNullable<NonNullable<NzbgeekIndexerContext['services']>['nzbget']>;
		const [plan] = await planLinks(links, {...context, services: {nzbget}});
		assert.equal(plan!.changes.length, 1);
		assert.equal(plan!.changes[0]!.reason, undefined);
	});

	it('is not planned without the NZBgeek API key', async () => {
		const [plan] = await planLinks(links, {...context, desired: {keys: {}}});
		assert.match(plan!.skipped ?? '', /^the NZBgeek API key was not given \(.*ARRWIRE_NZBGEEK_API_KEY or --credentials-from FILE\)$/);
		assert.deepEqual(plan!.changes, []);
	});

	it('adds NZBgeek from the preset (Prowlarr tests it on the stand-in), then plans and writes nothing', async () => {
		const [plan] = await planLinks(links, context);
		assert.deepEqual(
			plan!.changes.map(change => `${change.service}: ${change.action} ${change.target}`),
			['Prowlarr: create indexer "NZBgeek"'],
		);
		const shown = describeChange(plan!.changes[0]!).join('\n');
		assert.match(shown, /apiKey: \*\*\*\*\*\*\*\*/);
		assert.match(shown, /app sync profile: "Standard"/);
		// No Usenet client in this lab: the plan says that grabs will fail until one is wired.
		assert.match(shown, /why: NZBgeek finds Usenet releases, and no Usenet download client \(NZBGet, SABnzbd\) was found: every grab from it fails/);
		assert.ok(!shown.includes(lab.keys.nzbgeek), 'the key is never shown');
		const {target, reason} = plan!.changes[0]!;
		assert.ok(!`${target} ${reason ?? ''}`.includes(lab.keys.nzbgeek), 'no key in the target or the reason');
		assert.deepEqual(plan!.changes[0]!.fields.filter(field => field.to === lab.keys.nzbgeek).map(field => field.secret), [true], 'the key travels only as a secret field');

		const searchesBefore = lab.nzbgeek.log.length;
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 1);
		assert.equal(result.failed, undefined);
		assert.deepEqual(result.findings, []);
		assert.ok(lab.nzbgeek.log.length > searchesBefore, 'Prowlarr called NZBgeek to test the key');

		const [indexer] = await nzbgeeks();
		assert.equal(indexer?.name, 'NZBgeek');
		assert.equal(indexer?.enable, true);
		assert.equal(indexer?.redirect, true);
		assert.equal(indexer?.appProfileId, 1);
		const stored = lab.prowlarr.providers.get('indexer')![0]!;
		assert.equal(stored.fields.find(field => field.name === 'apiKey')?.value, lab.keys.nzbgeek, 'the key Prowlarr stored is the user\'s');
		const journalled = JSON.stringify(context.journal.runs);
		assert.ok(!journalled.includes(lab.keys.nzbgeek), 'the journal holds no key');

		const before = writes();
		const again = await planLinks(links, context);
		assert.deepEqual(again.flatMap(each => each.changes), []);
		await applyLinks(links, context, yes);
		assert.equal(writes(), before, 'a second apply sends no write');
	});

	it('a key NZBgeek no longer takes: Prowlarr\'s own test finds it, and the plan updates only the key', async () => {
		await applyLinks(links, context, yes);
		const oldKey = lab.nzbgeek.apiKey;
		const newKey = 'a-new-nzbgeek-key-42';
		lab.nzbgeek.apiKey = newKey;
		try {
			assert.equal((await nzbgeekIndexerLink.verify(context))[0]?.id, 'link.nzbgeek-test-failed');
			context.desired.keys.nzbgeek = newKey;
			const [plan] = await planLinks(links, context, {tests: true});
			const change = plan!.changes[0]!;
			assert.equal(change.action, 'update');
			assert.deepEqual(change.fields.map(field => [field.name, field.secret]), [['apiKey', true]]);
			assert.match(change.reason ?? '', /Prowlarr's own test of the indexer fails: Invalid API Key/);
			assert.equal(change.handMade, false, 'arrwire made it');
			assert.ok(!describeChange(change).join('\n').includes(newKey));
			const result = await applyLinks(links, context, yes);
			assert.equal(result.applied.length, 1);
			assert.deepEqual(result.findings, []);
			assert.equal((await nzbgeeks()).length, 1);
			assert.deepEqual((await planLinks(links, context)).flatMap(each => each.changes), []);
		} finally {
			lab.nzbgeek.apiKey = oldKey;
		}
	});

	it('an indexer disabled since: the plan enables it, and undo disables it again', async () => {
		await applyLinks(links, context, yes);
		const [indexer] = await nzbgeeks();
		await prowlarr.update('indexer', {...indexer!, enable: false});
		assert.equal((await nzbgeekIndexerLink.verify(context))[0]?.id, 'link.nzbgeek-disabled');

		const [plan] = await planLinks(links, context);
		assert.deepEqual(describeChange(plan!.changes[0]!), ['Prowlarr: update indexer "NZBgeek"', '    enable: false -> true', '    why: the indexer is disabled, so Prowlarr neither searches it nor syncs it to Sonarr and Radarr']);
		await applyLinks(links, context, yes);
		assert.equal((await nzbgeeks())[0]?.enable, true);
		assert.deepEqual(await nzbgeekIndexerLink.verify(context), []);

		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 1);
		const [after] = await nzbgeeks();
		assert.equal(after?.enable, false, 'undo restored the state before');
		assert.equal(lab.prowlarr.providers.get('indexer')![0]!.fields.find(field => field.name === 'apiKey')?.value, lab.keys.nzbgeek, 'the key was kept');
	});

	for (const fault of [{status: 500}, {reset: true}, {delayMs: 3000}] as const) {
		it(`a failure on the write (${Object.keys(fault)[0]}): the run reports it, and the next run converges without duplicates`, async () => {
			const before = writesTo(lab.prowlarr, 'POST', '/api/v1/indexer');
			lab.prowlarr.inject({method: 'POST', path: '/api/v1/indexer', times: 1, ...fault});
			const client = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr, timeoutMs: 1000});
			const first = await applyLinks(links, {...context, clients: {prowlarr: client}}, yes);
			assert.equal(first.failed?.change.target, 'indexer "NZBgeek"');
			// A timed-out write may still happen on Prowlarr's side: the re-run must adopt it.
			if ('delayMs' in fault) {
				await landed(lab.prowlarr, 'POST', '/api/v1/indexer', before);
			}
			const second = await applyLinks(links, context, yes);
			assert.equal(second.failed, undefined);
			assert.equal((await nzbgeeks()).length, 1, 'exactly one NZBgeek indexer');
			assert.equal(lab.prowlarr.providers.get('indexer')!.length, 1);
			assert.deepEqual(await nzbgeekIndexerLink.verify(context), []);
		});
	}

	it('a timed-out write that lands between the plan and the apply is adopted, not duplicated', async () => {
		const before = writesTo(lab.prowlarr, 'POST', '/api/v1/indexer');
		lab.prowlarr.inject({method: 'POST', path: '/api/v1/indexer', times: 1, delayMs: 1500});
		const client = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr, timeoutMs: 1000});
		const first = await applyLinks(links, {...context, clients: {prowlarr: client}}, yes);
		assert.equal(first.failed?.change.action, 'create');
		const [planned] = nzbgeekIndexerLink.plan(await nzbgeekIndexerLink.read(context), context);
		assert.equal(planned?.action, 'create', 'planned before the write landed');
		await landed(lab.prowlarr, 'POST', '/api/v1/indexer', before);
		assert.equal((await nzbgeeks()).length, 1, 'the write landed');
		const applied = await nzbgeekIndexerLink.apply(planned, context);
		assert.equal(applied.entryId, (await nzbgeeks())[0]?.id);
		assert.ok(applied.before, 'the adopted indexer is journalled with its state before');
		assert.ok(!JSON.stringify(applied).includes(lab.keys.nzbgeek), 'before and after are the masked answers');
		assert.equal((await nzbgeeks()).length, 1, 'exactly one NZBgeek indexer');
		assert.deepEqual(await nzbgeekIndexerLink.verify(context), []);
	});

	it('an NZBgeek indexer made by hand under another name is found, shown as hand-made, and left alone when not confirmed', async () => {
		const template = (await prowlarr.indexerSchema()).find(entry => entry.name === 'NZBgeek')!;
		await prowlarr.create('indexer', {...withFields(template, {apiKey: 'not-the-key'}), name: 'My geek', enable: false});
		const [plan] = await planLinks(links, context, {tests: true});
		assert.equal(plan!.changes.length, 1, 'no second NZBgeek is planned');
		const change = plan!.changes[0]!;
		assert.equal(change.action, 'update');
		assert.equal(change.handMade, true);
		assert.deepEqual(describeChange(change).slice(0, 3), ['Prowlarr: update indexer "My geek"  (made by hand, not by arrwire)', '    apiKey: ******** -> ********', '    enable: false -> true']);
		const declined = await applyLinks(links, context, {confirm: async candidate => !candidate.handMade});
		assert.equal(declined.declined.length, 1);
		assert.equal((await nzbgeeks()).length, 1);
		assert.deepEqual((await nzbgeekIndexerLink.verify(context)).map(finding => finding.id), ['link.nzbgeek-test-failed', 'link.nzbgeek-disabled']);

		const accepted = await applyLinks(links, context, yes);
		assert.equal(accepted.applied.length, 1);
		assert.deepEqual(await nzbgeekIndexerLink.verify(context), []);
		assert.equal((await nzbgeeks())[0]?.name, 'My geek', 'the user\'s name is kept');
	});

	it('undo removes the indexer the last run created', async () => {
		await applyLinks(links, context, yes);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 1);
		assert.deepEqual(await prowlarr.indexers(), []);
	});
});
