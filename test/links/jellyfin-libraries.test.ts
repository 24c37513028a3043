// The Jellyfin libraries link against the lab's Jellyfin: fresh creation, idempotence, a library made by hand, a
// name of the wrong type, faults on the write (never a "Shows2"), and undo.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {jellyfinLibrariesLink, type JellyfinLibrariesContext} from '../../source/links/jellyfin-libraries.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('link: Jellyfin libraries Shows and Movies', () => {
	let lab: Lab;
	let scratch: string;
	let apiKey: string;
	let context: JellyfinLibrariesContext;
	const links = [jellyfinLibrariesLink];
	const yes = {confirm: async () => true};
	const jellyfinWrites = () => lab.jellyfin.writes().length;
	const summary = () =>
		lab.jellyfin
			.folders()
			.map(folder => `${folder.name} (${folder.collectionType ?? 'mixed'}): ${folder.locations.join(', ')}`)
			.sort();

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-libraries-'));
		apiKey = lab.jellyfin.addApiKey('arrwire-test');
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		lab.jellyfin.clearFaults();
		const jellyfin = new JellyfinClient({url: lab.jellyfin.url, token: apiKey});
		for (const folder of await jellyfin.virtualFolders()) {
			await jellyfin.removeVirtualFolder(folder.Name);
		}
		context = {
			clients: {jellyfin},
			desired: {libraries: {tv: lab.paths.tv, movies: lab.paths.movies}},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('creates Shows and Movies on a fresh Jellyfin, then plans nothing and writes nothing', async () => {
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['create library "Shows"', 'create library "Movies"']);
		assert.deepEqual(describeChange(plan.changes[0]!), [
			'Jellyfin: create library "Shows"',
			'    content type: "tvshows"',
			`    folder: ${JSON.stringify(lab.paths.tv)}`,
			'    real-time monitoring: true',
		]);
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, []);
		assert.deepEqual(summary(), [`Movies (movies): ${lab.paths.movies}`, `Shows (tvshows): ${lab.paths.tv}`]);

		const writes = jellyfinWrites();
		const [again] = await planLinks(links, context);
		assert.deepEqual(again?.changes, []);
		const second = await applyLinks(links, context, yes);
		assert.deepEqual(second.applied, []);
		assert.equal(jellyfinWrites(), writes, 'a second apply sends no write');
	});

	it('a library of the right type that holds the folder is enough, whatever its name', async () => {
		await context.clients.jellyfin!.addVirtualFolder({name: 'Films', collectionType: 'movies', paths: [lab.paths.movies + '/'], options: {EnableRealtimeMonitor: true}});
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['create library "Shows"']);
	});

	it('a hand-made "Movies" on another folder: the folder is added (shown as hand-made), and undo takes only that folder out', async () => {
		const other = path.join(lab.paths.media, 'films-by-hand');
		mkdirSync(other, {recursive: true});
		await context.clients.jellyfin!.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [other]});
		const [plan] = await planLinks(links, context);
		const update = plan!.changes.find(change => change.action === 'update')!;
		assert.equal(update.target, 'library "Movies"');
		assert.equal(update.handMade, true);
		assert.deepEqual(update.fields, [
			{name: 'folders', from: [other], to: [other, lab.paths.movies]},
			{name: 'real-time monitoring', from: false, to: true},
		]);
		assert.match(describeChange(update)[0]!, /made by hand/);

		const declined = await applyLinks(links, context, {confirm: async change => !change.handMade});
		assert.equal(declined.declined.length, 1);
		assert.deepEqual((await jellyfinLibrariesLink.verify(context)).map(finding => finding.id), ['link.jellyfin-library-missing']);

		const scans = lab.jellyfin.scansStarted.length;
		await applyLinks(links, context, yes);
		assert.deepEqual(summary(), [`Movies (movies): ${other}, ${lab.paths.movies}`, `Shows (tvshows): ${lab.paths.tv}`]);
		assert.deepEqual(lab.jellyfin.scansStarted.slice(scans), ['Movies'], 'the folder was added with a scan, as the dashboard adds one');
		assert.deepEqual(await jellyfinLibrariesLink.verify(context), []);

		assert.equal(lab.jellyfin.folders().find(folder => folder.name === 'Movies')?.options.EnableRealtimeMonitor, true);

		// The last run only added the folder and turned monitoring on ("Shows" was created by the run before).
		await undoLastRun(links, context);
		assert.deepEqual(summary(), [`Movies (movies): ${other}`, `Shows (tvshows): ${lab.paths.tv}`]);
		assert.equal(lab.jellyfin.folders().find(folder => folder.name === 'Movies')?.options.EnableRealtimeMonitor, false);
	});

	it('a "Movies" library of another type is left alone: the movies library gets a name of its own', async () => {
		const series = path.join(lab.paths.media, 'series-by-hand');
		mkdirSync(series, {recursive: true});
		await context.clients.jellyfin!.addVirtualFolder({name: 'Movies', collectionType: 'tvshows', paths: [series]});
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['create library "Shows"', 'create library "Movies (arrwire)"']);
		assert.match(plan.changes[1]!.reason ?? '', /content type cannot be changed/);
		await applyLinks(links, context, yes);
		assert.deepEqual(summary(), [`Movies (arrwire) (movies): ${lab.paths.movies}`, `Movies (tvshows): ${series}`, `Shows (tvshows): ${lab.paths.tv}`]);
		assert.deepEqual(await jellyfinLibrariesLink.verify(context), []);
	});

	it('a drift: the folder taken out of Shows by hand is put back', async () => {
		await applyLinks(links, context, yes);
		await context.clients.jellyfin!.http.delete('/Library/VirtualFolders/Paths', {query: {name: 'Shows', path: lab.paths.tv, refreshLibrary: false}});
		assert.equal((await jellyfinLibrariesLink.verify(context))[0]?.id, 'link.jellyfin-library-missing');
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['update library "Shows"']);
		assert.equal(plan.changes[0]!.handMade, false, 'arrwire made it');
		await applyLinks(links, context, yes);
		assert.deepEqual(summary(), [`Movies (movies): ${lab.paths.movies}`, `Shows (tvshows): ${lab.paths.tv}`]);
	});

	for (const fault of [{status: 500}, {reset: true}, {delayMs: 2000}] as const) {
		it(`a failure on the create (${Object.keys(fault)[0]}): the next run converges, and there is no "Shows2"`, async () => {
			const before = writesTo(lab.jellyfin, 'POST', '/Library/VirtualFolders');
			lab.jellyfin.inject({method: 'POST', path: '/Library/VirtualFolders', times: 1, ...fault});
			const impatient = new JellyfinClient({url: lab.jellyfin.url, token: apiKey, timeoutMs: 500});
			const first = await applyLinks(links, {...context, clients: {jellyfin: impatient}}, yes);
			assert.equal(first.failed?.change.target, 'library "Shows"');
			// A timed-out create may still happen on Jellyfin's side: the re-run must adopt it, not make "Shows2".
			if ('delayMs' in fault) {
				await landed(lab.jellyfin, 'POST', '/Library/VirtualFolders', before);
			}
			const second = await applyLinks(links, context, yes);
			assert.equal(second.failed, undefined);
			assert.deepEqual(summary(), [`Movies (movies): ${lab.paths.movies}`, `Shows (tvshows): ${lab.paths.tv}`]);
			assert.deepEqual(await jellyfinLibrariesLink.verify(context), []);
		});
	}

	it('apply re-reads: a library that appeared since the plan is adopted, not created again', async () => {
		const [plan] = await planLinks(links, context);
		await context.clients.jellyfin!.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: [lab.paths.tv]});
		const writes = jellyfinWrites();
		const applied = await jellyfinLibrariesLink.apply(plan!.changes[0]! as Parameters<typeof jellyfinLibrariesLink.apply>[0], context);
		assert.equal(jellyfinWrites(), writes);
		assert.deepEqual(applied.before, applied.after, 'journalled as adopted: undo leaves it');
		assert.deepEqual(summary(), [`Shows (tvshows): ${lab.paths.tv}`]);
	});

	it('a library arrwire creates is made as the dashboard makes it: real-time monitoring on, a first scan started', async () => {
		const scans = lab.jellyfin.scansStarted.length;
		await applyLinks(links, context, yes);
		for (const name of ['Shows', 'Movies']) {
			const folder = lab.jellyfin.folders().find(candidate => candidate.name === name)!;
			assert.equal(folder.options.EnableRealtimeMonitor, true, `${name} is watched in real time`);
			assert.equal(folder.options.Enabled, true);
		}
		assert.deepEqual(lab.jellyfin.scansStarted.slice(scans), ['Shows', 'Movies']);
	});

	it('a library without real-time monitoring is a drift: planned as an update of its options, shown before it is made, undone', async () => {
		// What a script or an old client makes: no LibraryOptions sent, so Jellyfin's default (monitoring off).
		await context.clients.jellyfin!.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: [lab.paths.tv]});
		await context.clients.jellyfin!.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [lab.paths.movies], options: {EnableRealtimeMonitor: true, SeasonZeroDisplayName: 'Extras'}});
		assert.deepEqual(
			(await jellyfinLibrariesLink.verify(context)).map(finding => `${finding.severity} ${finding.id}`),
			['warning link.jellyfin-library-not-monitored'],
		);
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['update library "Shows"']);
		assert.deepEqual(describeChange(plan.changes[0]!).slice(0, 2), ['Jellyfin: update library "Shows"  (made by hand, not by arrwire)', '    real-time monitoring: false -> true']);

		const declined = await applyLinks(links, context, {confirm: async change => !change.handMade});
		assert.equal(declined.declined.length, 1);
		assert.equal(lab.jellyfin.folders().find(folder => folder.name === 'Shows')?.options.EnableRealtimeMonitor, false, 'nothing changed without a yes');

		const refreshes = lab.jellyfin.libraryRefreshes;
		await applyLinks(links, context, yes);
		const shows = lab.jellyfin.folders().find(folder => folder.name === 'Shows')!;
		assert.equal(shows.options.EnableRealtimeMonitor, true);
		assert.equal(lab.jellyfin.libraryRefreshes, refreshes + 1, 'a scan shows what was imported while nobody watched');
		assert.deepEqual(shows.locations, [lab.paths.tv], 'the folders are kept');
		assert.equal(lab.jellyfin.folders().find(folder => folder.name === 'Movies')?.options.SeasonZeroDisplayName, 'Extras', 'the other library is untouched');
		assert.deepEqual(await jellyfinLibrariesLink.verify(context), []);
		assert.deepEqual((await planLinks(links, context))[0]?.changes, []);

		await undoLastRun(links, context);
		assert.equal(lab.jellyfin.folders().find(folder => folder.name === 'Shows')?.options.EnableRealtimeMonitor, false);
	});

	it('undo removes the libraries the last run created', async () => {
		await applyLinks(links, context, yes);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		assert.deepEqual(summary(), []);
	});
});
