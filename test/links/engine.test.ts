// The engine on links kept in memory (a list of entries per link, no service): plan skips and reports, apply asks
// for each change and journals it, re-plans each link before it runs, stops at the first failure (a read failure
// included), verifies only links it changed, and undo reverses the last run newest first.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import type {Change} from '../../source/links/change.js';
import {applyLinks, linkOrderProblem, planLinks, runLinkStep, runLinks, undoLastRun, verifySafely, type ApplyEvent} from '../../source/links/engine.js';
import type {HandedOn, Link} from '../../source/links/link.js';
import {ServiceError} from '../../source/services/errors.js';
import {Journal} from '../../source/state/journal.js';

interface Store {
	journal: Journal;
	/** Entries per link id, as a service would keep them. */
	entries: Record<string, string[]>;
	wanted: Record<string, string[]>;
	log: string[];
}

type MemoryLink = Link<Store, string[], string>;

function memoryLink(id: string, options: {applicable?: true | string; readError?: Error; applyError?: (name: string) => Error | undefined; verify?: () => Promise<[]> | Promise<never>} = {}): MemoryLink {
	return {
		id,
		title: `the ${id} entries`,
		services: ['Sonarr'],
		applicable: () => options.applicable ?? true,
		async read(store) {
			store.log.push(`read ${id}`);
			if (options.readError) {
				throw options.readError;
			}
			return [...(store.entries[id] ?? [])];
		},
		plan(current, store) {
			return (store.wanted[id] ?? [])
				.filter(name => !current.includes(name))
				.map((name): Change<string> => ({link: id, service: 'Sonarr', action: 'create', target: `entry ${name}`, fields: [{name: 'name', to: name}], handMade: name.startsWith('hand'), payload: name}));
		},
		async apply(change, store) {
			const error = options.applyError?.(change.payload);
			if (error) {
				throw error;
			}
			(store.entries[id] ??= []).push(change.payload);
			store.log.push(`apply ${id} ${change.payload}`);
			return {entryId: change.payload, after: {name: change.payload}};
		},
		async verify(store) {
			store.log.push(`verify ${id}`);
			return options.verify ? options.verify() : [];
		},
		async undo(entry, store) {
			store.entries[id] = (store.entries[id] ?? []).filter(name => name !== entry.entryId);
			store.log.push(`undo ${id} ${String(entry.entryId)}`);
		},
	};
}

describe('the link engine', () => {
	let scratch: string;
	let store: Store;
	const yes = {confirm: async () => true};

	beforeEach(async () => {
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-engine-'));
		store = {journal: await Journal.open(path.join(scratch, 'journal.json')), entries: {}, wanted: {a: ['one', 'two'], b: ['three']}, log: []};
	});
	afterEach(() => {
		rmSync(scratch, {recursive: true, force: true});
	});

	it('plan: a link that does not apply is skipped with its reason, a read failure is that link\'s error, the rest is planned', async () => {
		const failure = new Error('Sonarr is down');
		const plans = await planLinks([memoryLink('a'), memoryLink('skip', {applicable: 'Sonarr was not found'}), memoryLink('broken', {readError: failure}), memoryLink('b')], store);
		assert.deepEqual(
			plans.map(plan => [plan.link.id, plan.skipped, plan.error?.message, plan.changes.map(change => change.payload)]),
			[
				['a', undefined, undefined, ['one', 'two']],
				['skip', 'Sonarr was not found', undefined, []],
				['broken', undefined, 'Sonarr is down', []],
				['b', undefined, undefined, ['three']],
			],
		);
		assert.deepEqual(store.log, ['read a', 'read broken', 'read b'], 'a link that does not apply is not read');
		const odd = await planLinks([memoryLink('odd', {readError: 'a string thrown' as unknown as Error})], store);
		assert.equal(odd[0]!.error?.message, 'a string thrown', 'whatever is thrown becomes an Error');
	});

	it('apply: every change asked for, made and journalled in order, each link verified once after its changes, events in order', async () => {
		const events: string[] = [];
		const asked: string[] = [];
		const result = await applyLinks([memoryLink('a'), memoryLink('skip', {applicable: 'no'}), memoryLink('b')], store, {
			confirm: async change => {
				asked.push(change.payload as string);
				return true;
			},
			onEvent: (event: ApplyEvent) => events.push(event.type === 'verified' ? `verified ${event.link}` : `${event.type} ${(event.change.payload as string) ?? ''}`),
			command: 'doctor',
		});
		assert.deepEqual(asked, ['one', 'two', 'three']);
		assert.deepEqual(result.applied.map(change => change.payload), ['one', 'two', 'three']);
		assert.deepEqual(result.declined, []);
		assert.equal(result.failed, undefined);
		assert.deepEqual(result.findings, []);
		assert.deepEqual(events, ['applying one', 'applied one', 'applying two', 'applied two', 'verified a', 'applying three', 'applied three', 'verified b']);
		assert.deepEqual(store.log, ['read a', 'apply a one', 'apply a two', 'verify a', 'read b', 'apply b three', 'verify b']);
		const run = store.journal.lastRun()!;
		assert.equal(run.command, 'doctor');
		assert.deepEqual(run.entries.map(entry => [entry.link, entry.service, entry.action, entry.target, entry.entryId, entry.after]), [
			['a', 'Sonarr', 'create', 'entry one', 'one', {name: 'one'}],
			['a', 'Sonarr', 'create', 'entry two', 'two', {name: 'two'}],
			['b', 'Sonarr', 'create', 'entry three', 'three', {name: 'three'}],
		]);
		assert.equal((await Journal.open(store.journal.file)).lastRun()?.entries.length, 3, 'the journal is on disk');
		assert.equal((await applyLinks([memoryLink('a'), memoryLink('b')], store, yes)).applied.length, 0, 'a second run has nothing to do');
		assert.equal((await Journal.open(store.journal.file)).runs.length, 1, 'a run that changed nothing leaves no run behind');
		assert.ok(!existsSync(`${store.journal.file}.lock`), 'the journal\'s lock is released');
	});

	it('apply: a declined change is left, reported, and not journalled; a link with no change is not verified', async () => {
		store.wanted = {a: ['one', 'hand-made'], b: []};
		const events: string[] = [];
		const result = await applyLinks([memoryLink('a'), memoryLink('b')], store, {confirm: async change => !change.handMade, onEvent: event => events.push(event.type)});
		assert.deepEqual(result.applied.map(change => change.payload), ['one']);
		assert.deepEqual(result.declined.map(change => change.payload), ['hand-made']);
		assert.deepEqual(events, ['applying', 'applied', 'declined', 'verified']);
		assert.deepEqual(store.journal.lastRun()?.entries.map(entry => entry.entryId), ['one']);
		assert.ok(!store.log.includes('verify b'));
	});

	it('apply: the first failure stops the run; what was done is journalled, and a re-run picks up from there', async () => {
		let failOnce = true;
		const refused = new Error('Sonarr refused two');
		const flaky = memoryLink('a', {
			applyError: name => {
				if (name === 'two' && failOnce) {
					failOnce = false;
					return refused;
				}
				return undefined;
			},
		});
		const events: string[] = [];
		const first = await applyLinks([flaky, memoryLink('b')], store, {...yes, onEvent: event => events.push(event.type === 'failed' ? `failed ${event.error.message}` : event.type)});
		assert.equal(first.failed?.error, refused);
		assert.equal(first.failed?.change.payload, 'two');
		assert.deepEqual(first.applied.map(change => change.payload), ['one']);
		assert.deepEqual(events, ['applying', 'applied', 'applying', 'failed Sonarr refused two']);
		assert.deepEqual(store.entries, {a: ['one']});
		assert.deepEqual(store.journal.lastRun()?.entries.map(entry => entry.entryId), ['one']);
		const second = await applyLinks([flaky, memoryLink('b')], store, yes);
		assert.equal(second.failed, undefined);
		assert.deepEqual(second.applied.map(change => change.payload), ['two', 'three']);
		assert.deepEqual(store.entries, {a: ['one', 'two'], b: ['three']});
	});

	it('apply: a link whose state cannot be read stops the run, reported against the reading of that link', async () => {
		const events: ApplyEvent[] = [];
		const result = await applyLinks([memoryLink('a'), memoryLink('broken', {readError: new Error('Sonarr is down')}), memoryLink('b')], store, {...yes, onEvent: event => events.push(event)});
		assert.equal(result.failed?.error.message, 'Sonarr is down');
		assert.deepEqual(
			{...result.failed.change},
			{link: 'broken', service: 'Sonarr', action: 'update', target: 'the broken entries (reading its current state)', fields: [], handMade: false, payload: undefined},
		);
		assert.equal(events.at(-1)?.type, 'failed');
		assert.deepEqual(result.applied.map(change => change.payload), ['one', 'two']);
		assert.ok(!store.log.includes('read b'), 'nothing after it runs');
	});

	it('apply re-plans each link just before it runs: a change an earlier link made is not made twice', async () => {
		// A second link reads and wants the same entries as the first: planned up front, it would make "one" twice.
		const shared = memoryLink('a');
		const second: MemoryLink = {...memoryLink('a'), id: 'a-again'};
		store.wanted = {a: ['one']};
		const result = await applyLinks([shared, second], store, yes);
		assert.deepEqual(result.applied.map(change => `${change.link} ${change.payload as string}`), ['a one']);
	});

	it('a verify that fails to run is an error finding naming the link, with the service\'s fix and status when there is one', async () => {
		const plain = await verifySafely(memoryLink('a', {verify: () => Promise.reject(new Error('socket hang up'))}), store);
		assert.deepEqual(plain, [
			{id: 'link.verify-failed', severity: 'error', subject: 'the a entries', cause: 'arrwire could not check this link: socket hang up', fix: 'Run arrwire doctor once the service answers again.'},
		]);
		const serviceError = new ServiceError({service: 'Sonarr', kind: 'server-error', status: 500, method: 'GET', url: 'http://127.0.0.1:8989/api/v3/system/status', fix: 'Start Sonarr.'});
		const withFix = await verifySafely(memoryLink('a', {verify: () => Promise.reject(serviceError)}), store);
		assert.deepEqual(withFix, [{id: 'service.server-error', severity: 'error', subject: 'the a entries', cause: `arrwire could not check this link: ${serviceError.message}`, evidence: ['HTTP 500'], fix: 'Start Sonarr.'}]);
		const result = await applyLinks([memoryLink('a', {verify: () => Promise.reject(new Error('socket hang up'))})], store, yes);
		assert.deepEqual(result.findings.map(finding => finding.id), ['link.verify-failed']);
		// Any step (a probe, doctor's read and plan): what it finds passes through, a string thrown becomes the cause.
		const found = [{id: 'x', severity: 'warning' as const, subject: 's', cause: 'c', fix: 'f'}];
		assert.deepEqual(await runLinkStep('the a entries', async () => found), found);
		// A rejection that is not an Error (a library may reject with a string) still becomes a finding.
		// eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
		assert.equal((await runLinkStep('the a entries', async () => Promise.reject('odd')))[0]!.cause, 'arrwire could not check this link: odd');
	});

	/** A link that sets a password and hands it on, as the qbittorrent-password link does. */
	function settingLink(): MemoryLink {
		return {
			...memoryLink('sets'),
			gives: ['qbittorrentLogin'],
			async apply(change) {
				store.log.push(`apply sets ${change.payload}`);
				return {entryId: change.payload, handsOn: {qbittorrentLogin: {username: 'admin', password: `new-${change.payload}`}}};
			},
		};
	}

	/** A link that takes the handed-on password: it records what it was handed at each step. */
	function takingLink(id: string, seen: Array<HandedOn | undefined>, options: Parameters<typeof memoryLink>[1] = {}): MemoryLink {
		const base = memoryLink(id, options);
		return {
			...base,
			needs: {after: ['sets'], takes: ['qbittorrentLogin']},
			async read(context, handed) {
				seen.push(handed);
				return base.read(context);
			},
		};
	}

	it('apply hands what a link gives to the links after it, returns it to keep, and leaves the context as it was', async () => {
		store.wanted = {sets: ['one'], taker: ['two']};
		const before = structuredClone({entries: store.entries, wanted: store.wanted});
		const seen: Array<HandedOn | undefined> = [];
		const result = await runLinks([settingLink(), takingLink('taker', seen)], store, yes);
		assert.deepEqual(seen, [{qbittorrentLogin: {username: 'admin', password: 'new-one'}}]);
		assert.deepEqual(result.kept, {qbittorrentLogin: {username: 'admin', password: 'new-one'}});
		assert.equal(result.interrupted, undefined);
		assert.deepEqual(store.wanted, before.wanted);
		// Nothing a link is handed can change what the engine keeps.
		Object.assign(seen[0]!, {qbittorrentLogin: {username: 'someone', password: 'else'}});
		assert.equal(result.kept.qbittorrentLogin?.password, 'new-one');
	});

	it('apply returns the value to keep whatever stops the run: a later link failing, the signal, a question that throws', async () => {
		store.wanted = {sets: ['one'], taker: ['two']};
		const failing = await runLinks([settingLink(), takingLink('taker', [], {applyError: () => new Error('Sonarr refused')})], store, yes);
		assert.equal(failing.failed?.error.message, 'Sonarr refused');
		assert.equal(failing.kept.qbittorrentLogin?.password, 'new-one');

		store.entries = {};
		const stop = new AbortController();
		const stopped = await runLinks([settingLink(), takingLink('taker', [])], store, {
			signal: stop.signal,
			confirm: async change => {
				if (change.link === 'taker') {
					stop.abort(new Error('Ctrl-C'));
				}
				return true;
			},
		});
		assert.equal(stopped.interrupted?.message, 'Ctrl-C');
		assert.deepEqual(stopped.applied.map(change => change.link), ['sets'], 'nothing is made once the signal is given');
		assert.deepEqual(store.entries.taker, undefined);
		assert.equal(stopped.kept.qbittorrentLogin?.password, 'new-one');
		assert.deepEqual(store.journal.lastRun()?.entries.map(entry => entry.link), ['sets'], 'what was done is journalled');

		store.entries = {};
		const closed = await runLinks([settingLink(), takingLink('taker', [])], store, {confirm: async change => (change.link === 'taker' ? Promise.reject(new Error('stdin closed')) : true)});
		assert.equal(closed.interrupted?.message, 'stdin closed');
		assert.equal(closed.kept.qbittorrentLogin?.password, 'new-one');
		// applyLinks (for callers that keep nothing) throws the interruption, and writes nothing back into the context.
		store.entries = {};
		const context = {...store, desired: {qbittorrent: {username: 'admin', password: 'old'}}};
		await assert.rejects(applyLinks([settingLink(), takingLink('taker', [])], context, {confirm: async change => (change.link === 'taker' ? Promise.reject(new Error('stdin closed')) : true)}), /stdin closed/);
		assert.equal(context.desired.qbittorrent.password, 'old');
	});

	it('the engine refuses links in an order their needs forbid, before anything is done', async () => {
		store.wanted = {sets: ['one'], taker: ['two']};
		const seen: Array<HandedOn | undefined> = [];
		assert.equal(linkOrderProblem([settingLink(), takingLink('taker', seen)]), undefined);
		assert.equal(linkOrderProblem([takingLink('taker', seen), settingLink()]), 'the link taker must run after sets');
		const giver: MemoryLink = {...settingLink(), id: 'other-giver'};
		assert.equal(linkOrderProblem([takingLink('taker', seen), giver]), 'the link taker takes qbittorrentLogin from other-giver, which must run before it');
		// Needs with only one of after and takes, beside links that give nothing: no problem.
		const takesOnly: MemoryLink = {...memoryLink('takes-only'), needs: {takes: ['qbittorrentLogin']}};
		const afterOnly: MemoryLink = {...memoryLink('after-only'), needs: {after: ['sets']}};
		assert.equal(linkOrderProblem([takesOnly, afterOnly, memoryLink('plain')]), undefined);
		await assert.rejects(runLinks([takingLink('taker', seen), settingLink()], store, yes), /cannot run these links in this order/);
		assert.deepEqual(store.log, [], 'nothing was read');
		assert.equal(store.journal.lastRun(), undefined, 'no run was started');
	});

	it('undo reverses the last run newest first, marks each entry undone, and then the run before it', async () => {
		await applyLinks([memoryLink('b')], store, yes);
		await applyLinks([memoryLink('a')], store, yes);
		const seen: string[] = [];
		const {undone, notUndone} = await undoLastRun([memoryLink('a'), memoryLink('b')], store, entry => seen.push(String(entry.entryId)));
		assert.deepEqual(notUndone, []);
		assert.deepEqual(undone.map(entry => entry.entryId), ['two', 'one']);
		assert.deepEqual(seen, ['two', 'one']);
		assert.deepEqual(store.entries, {a: [], b: ['three']});
		assert.ok(undone.every(entry => entry.undone === true) && undone.length === 2);
		assert.deepEqual((await Journal.open(store.journal.file)).lastRun()?.entries.map(entry => entry.entryId), ['three'], 'undone entries are saved as such');
		assert.deepEqual((await undoLastRun([memoryLink('a'), memoryLink('b')], store)).undone.map(entry => entry.entryId), ['three']);
		assert.deepEqual(await undoLastRun([memoryLink('a'), memoryLink('b')], store), {undone: [], notUndone: []}, 'nothing left');
	});

	it('undo skips what is already undone, and reports a link it does not know without stopping', async () => {
		await applyLinks([memoryLink('a')], store, yes);
		const run = store.journal.lastRun()!;
		await store.journal.markUndone(run.entries[1]!);
		assert.deepEqual((await undoLastRun([memoryLink('a')], store)).undone.map(entry => entry.entryId), ['one']);
		await applyLinks([memoryLink('b')], store, yes);
		const unknown = await undoLastRun([memoryLink('a')], store);
		assert.deepEqual(unknown.undone, []);
		assert.deepEqual(unknown.notUndone.map(item => [item.reason, item.fix]), [['the journal names a link this version of arrwire does not know (b)', 'Reverse it by hand in the service, or use the arrwire version that made it.']]);
		assert.deepEqual(store.entries.b, ['three']);
	});
	it('plan reads only, unless the services\' own tests are asked for; the context itself is left as it was', async () => {
		const seen: unknown[] = [];
		const watching: MemoryLink = {
			...memoryLink('a'),
			applicable: context => {
				seen.push((context as Store & {readOnly?: boolean}).readOnly);
				return true;
			},
		};
		await planLinks([watching], store);
		await planLinks([watching], store, {tests: true});
		assert.deepEqual(seen, [true, undefined]);
		assert.equal((store as Store & {readOnly?: boolean}).readOnly, undefined);
	});

	it('apply without a listener or a command name: declines and failures pass quietly, and the run is journalled as apply', async () => {
		store.wanted = {a: ['one', 'hand-made', 'two']};
		const result = await runLinks([memoryLink('a', {applyError: name => (name === 'two' ? new Error('Sonarr refused two') : undefined)})], store, {confirm: async change => !change.handMade});
		assert.equal(result.interrupted, undefined);
		assert.deepEqual(result.declined.map(change => change.payload), ['hand-made']);
		assert.equal(result.failed?.error.message, 'Sonarr refused two');
		assert.equal(store.journal.lastRun()?.command, 'apply');
		const unreadable = await runLinks([memoryLink('broken', {readError: new Error('Sonarr is down')})], store, yes);
		assert.equal(unreadable.interrupted, undefined);
		assert.equal(unreadable.failed?.error.message, 'Sonarr is down');
	});

	it('a signal given before the run, or with a reason that is no Error: nothing more is done, and the run says it was interrupted', async () => {
		const before = new AbortController();
		before.abort(new Error('Ctrl-C'));
		const early = await runLinks([memoryLink('a')], store, {...yes, signal: before.signal});
		assert.equal(early.interrupted?.message, 'Ctrl-C');
		assert.equal(store.log.length, 0, 'nothing was read');
		const during = new AbortController();
		const asked: unknown[] = [];
		const stopped = await runLinks([memoryLink('a'), memoryLink('b')], store, {
			signal: during.signal,
			confirm: async change => {
				asked.push(change.payload);
				return true;
			},
			onEvent: event => {
				if (event.type === 'applied') {
					during.abort('quit');
				}
			},
		});
		assert.equal(stopped.interrupted?.message, 'The run was interrupted.');
		assert.deepEqual(stopped.applied.map(change => change.payload), ['one']);
		assert.deepEqual(asked, ['one'], 'the next change is not even asked for');
		assert.ok(!store.log.includes('read b'));
	});

	/** The store with the clients undo reverses changes through (only whether each is there matters). */
	const withClients = (clients: object) => Object.assign({}, store, {clients});

	it('undo: a service not found or without a credential is reported with what to do; a refusal keeps the service\'s own fix', async () => {
		await applyLinks([memoryLink('a')], store, yes);
		const missing = await undoLastRun([memoryLink('a')], withClients({radarr: {}}));
		assert.deepEqual(missing.undone, []);
		assert.deepEqual(missing.notUndone.map(item => [item.entry.entryId, item.reason, item.fix]), [
			['two', 'Sonarr was not found, or arrwire has no accepted credential for it', 'Start Sonarr (or point arrwire at it with --host), give its credential with arrwire discover, then run arrwire undo again.'],
			['one', 'Sonarr was not found, or arrwire has no accepted credential for it', 'Start Sonarr (or point arrwire at it with --host), give its credential with arrwire discover, then run arrwire undo again.'],
		]);
		const serviceError = new ServiceError({service: 'Sonarr', kind: 'server-error', status: 500, method: 'DELETE', url: 'http://127.0.0.1:8989/api/v3/rootfolder/1', fix: 'Start Sonarr.'});
		const refusing: MemoryLink = {
			...memoryLink('a'),
			async undo(entry) {
				if (entry.entryId === 'two') {
					throw serviceError;
				}
				throw new Error('socket hang up');
			},
		};
		const refused = await undoLastRun([refusing], withClients({sonarr: {}}));
		assert.deepEqual(refused.notUndone.map(item => [item.entry.entryId, item.reason, item.fix]), [
			['two', serviceError.message, 'Start Sonarr.'],
			['one', 'socket hang up', 'Run arrwire undo again once the service answers; what was reversed stays reversed.'],
		]);
		assert.deepEqual(store.journal.lastRun()?.entries.map(entry => entry.undone), [undefined, undefined], 'still to be undone');
		const done = await undoLastRun([memoryLink('a')], withClients({sonarr: {}}));
		assert.deepEqual(done.undone.map(entry => entry.entryId), ['two', 'one']);
	});

	it('undo: a service with no client of its own is reversed whatever clients there are', async () => {
		const other: MemoryLink = {...memoryLink('a'), services: ['SABnzbd'], plan: (current, context) => memoryLink('a').plan(current, context).map(change => ({...change, service: 'SABnzbd' as const}))};
		await applyLinks([other], store, yes);
		const result = await undoLastRun([other], withClients({}));
		assert.deepEqual(result.undone.map(entry => entry.entryId), ['two', 'one']);
	});
	it('undo runs as "undo" under the journal\'s lock, and releases it', async () => {
		await applyLinks([memoryLink('a')], store, yes);
		const holders: string[] = [];
		const watching: MemoryLink = {
			...memoryLink('a'),
			async undo() {
				holders.push((JSON.parse(readFileSync(`${store.journal.file}.lock`, 'utf8')) as {command: string}).command);
			},
		};
		await undoLastRun([watching], store);
		assert.deepEqual(holders, ['undo', 'undo']);
		assert.ok(!existsSync(`${store.journal.file}.lock`));
	});

	it('undo: each service\'s changes need its own client', async () => {
		const clients = {Sonarr: 'sonarr', Radarr: 'radarr', Prowlarr: 'prowlarr', qBittorrent: 'qbittorrent', NZBGet: 'nzbget', Jellyfin: 'jellyfin', Jellyseerr: 'seerr'} as const;
		for (const [name, key] of Object.entries(clients)) {
			const link: MemoryLink = {...memoryLink(`of-${key}`), plan: (current, context) => memoryLink(`of-${key}`).plan(current, context).map(change => ({...change, service: name as keyof typeof clients}))};
			store.wanted = {[`of-${key}`]: ['one']};
			await applyLinks([link], store, yes);
			const without = await undoLastRun([link], withClients({other: {}}));
			assert.deepEqual(without.notUndone.map(item => item.reason), [`${name} was not found, or arrwire has no accepted credential for it`], name);
			const withIt = await undoLastRun([link], withClients({[key]: {}}));
			assert.deepEqual(withIt.undone.map(entry => entry.entryId), ['one'], name);
		}
	});

	it('what a link gives reaches the plan, apply and verify of the links after it', async () => {
		store.wanted = {sets: ['one'], taker: ['two']};
		const handed: string[] = [];
		const base = memoryLink('taker');
		const password = (given?: HandedOn) => given?.qbittorrentLogin?.password ?? 'nothing';
		const taker: MemoryLink = {
			...base,
			needs: {after: ['sets'], takes: ['qbittorrentLogin']},
			plan(current, context, given) {
				handed.push(`plan ${password(given)}`);
				return base.plan(current, context);
			},
			async apply(change, context, given) {
				handed.push(`apply ${password(given)}`);
				return base.apply(change, context);
			},
			async verify(context, given) {
				handed.push(`verify ${password(given)}`);
				return base.verify(context);
			},
		};
		await runLinks([settingLink(), taker], store, yes);
		assert.deepEqual(handed, ['plan new-one', 'apply new-one', 'verify new-one']);
	});

	it('a signal given while a link is verified: the next link is not even read', async () => {
		const stop = new AbortController();
		const result = await runLinks([memoryLink('a'), memoryLink('b')], store, {
			...yes,
			signal: stop.signal,
			onEvent: event => {
				if (event.type === 'verified') {
					stop.abort(new Error('Ctrl-C'));
				}
			},
		});
		assert.equal(result.interrupted?.message, 'Ctrl-C');
		assert.ok(!store.log.includes('read b'), store.log.join(', '));
	});
});
