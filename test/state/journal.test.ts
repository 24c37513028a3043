// The journal in process: where it lives, what a broken one says, which run undo takes, the rule for "made by arrwire",
// and the life of a run (written at once, 0600, one at a time through a lock file, an empty run dropped).
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Journal, journalPath, type JournalFile} from '../../source/state/journal.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-journal-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

let count = 0;
/** A journal file in a fresh folder of its own, optionally written first. */
function journalFile(content?: JournalFile | string): string {
	const folder = path.join(scratch, `${++count}`, 'arrwire');
	mkdirSync(folder, {recursive: true});
	const file = path.join(folder, 'journal.json');
	if (content !== undefined) {
		writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
	}
	return file;
}

const onDisk = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as JournalFile;

const entry = (target: string, extra: Record<string, unknown> = {}) => ({at: '2026-01-01T00:00:00.000Z', link: 'l', service: 'Sonarr', action: 'create' as const, target, ...extra});

describe('the journal file', () => {
	it('lives in the config folder', () => {
		assert.equal(journalPath({XDG_CONFIG_HOME: '/srv/config'}), '/srv/config/arrwire/journal.json');
	});

	it('none yet: an empty journal, and no file is written by opening it', async () => {
		const file = journalFile();
		const journal = await Journal.open(file);
		assert.deepEqual(journal.runs, []);
		assert.equal(journal.lastRun(), undefined);
		assert.equal(journal.file, file);
		assert.ok(!existsSync(file));
	});

	it('not JSON, or not a journal: the exact message, with what to do', async () => {
		const broken = journalFile('{"version":');
		await assert.rejects(Journal.open(broken), {message: `The journal ${broken} is not valid JSON; move it away to start a new one.`});
		const other = journalFile(JSON.stringify({version: 1, runs: [{id: 'x'}]}));
		await assert.rejects(Journal.open(other), {message: `The journal ${other} is not one arrwire can read; move it away to start a new one.`});
	});
});

describe('lastRun and createdByArrwire', () => {
	const runs: JournalFile['runs'] = [
		{id: 'first', startedAt: 't1', command: 'apply', entries: [entry('category "tv"', {service: 'qBittorrent', entryId: 7}), entry('root folder /tv', {action: 'update'})]},
		{id: 'second', startedAt: 't2', command: 'apply', entries: [entry('indexer NZBgeek', {undone: true}), entry('category "old"', {action: 'delete', undone: true, before: {name: 'old'}})]},
		{id: 'third', startedAt: 't3', command: 'undo', entries: []},
	];

	it('lastRun: the newest run with something not undone', async () => {
		const journal = await Journal.open(journalFile({version: 1, runs}));
		assert.equal(journal.lastRun()?.id, 'first');
		assert.equal(journal.runs.length, 3, 'reading changes nothing');
		assert.deepEqual(journal.runs.map(run => run.id), ['first', 'second', 'third']);
		const newer = await Journal.open(journalFile({version: 1, runs: [...runs, {id: 'fourth', startedAt: 't4', command: 'apply', entries: [entry('a', {undone: true}), entry('b')]}]}));
		assert.equal(newer.lastRun()?.id, 'fourth');
	});

	it('createdByArrwire: the service, a creation, the target and (when given) the id must all match; undone counts only when asked', async () => {
		const journal = await Journal.open(journalFile({version: 1, runs}));
		assert.equal(journal.createdByArrwire('qBittorrent', 'category "tv"'), true);
		assert.equal(journal.createdByArrwire('qBittorrent', 'category "tv"', 7), true);
		assert.equal(journal.createdByArrwire('qBittorrent', 'category "tv"', '7'), true, 'an id as text is the same id');
		assert.equal(journal.createdByArrwire('qBittorrent', 'category "tv"', 8), false, 'another id: the user\'s own entry');
		assert.equal(journal.createdByArrwire('Radarr', 'category "tv"'), false);
		assert.equal(journal.createdByArrwire('qBittorrent', 'category "movies"'), false);
		assert.equal(journal.createdByArrwire('Sonarr', 'root folder /tv'), false, 'an update is not a creation');
		assert.equal(journal.createdByArrwire('Sonarr', 'indexer NZBgeek'), false, 'undone');
		assert.equal(journal.createdByArrwire('Sonarr', 'indexer NZBgeek', undefined, {evenUndone: true}), true);
		assert.equal(journal.createdByArrwire('Sonarr', 'indexer NZBgeek', 3, {evenUndone: true}), false, 'an entry without an id does not match an id');
		assert.equal(journal.createdByArrwire('Sonarr', 'indexer NZBgeek', undefined, {evenUndone: false}), false);
	});
});

describe('a run', () => {
	it('is written at once (0600), under the lock file; earlier runs that changed nothing are dropped', async () => {
		const file = journalFile({
			version: 1,
			runs: [
				{id: 'kept', startedAt: 't1', command: 'apply', entries: [entry('a')]},
				{id: 'empty', startedAt: 't2', command: 'apply', entries: []},
			],
		});
		const journal = await Journal.open(file);
		const listeners = process.listenerCount('exit');
		const run = await journal.startRun('doctor --fix');
		assert.match(run.id, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
		assert.ok(Math.abs(Date.parse(run.startedAt) - Date.now()) < 60_000, run.startedAt);
		assert.deepEqual(onDisk(file).runs.map(item => [item.id, item.command]), [['kept', 'apply'], [run.id, 'doctor --fix']]);
		assert.equal(statSync(file).mode & 0o777, 0o600);
		const lock = JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as {pid: number; command: string; startedAt: string};
		assert.equal(lock.pid, process.pid);
		assert.equal(lock.command, 'doctor --fix');
		assert.equal(process.listenerCount('exit'), listeners + 1, 'the lock is released even if the process exits');
		await journal.endRun(run);
		assert.deepEqual(onDisk(file).runs.map(item => item.id), ['kept'], 'a run that changed nothing is dropped');
		assert.ok(!existsSync(`${file}.lock`));
		assert.equal(process.listenerCount('exit'), listeners);
	});

	it('record and markUndone are on disk at once; a run with entries is kept at its end', async () => {
		const file = journalFile();
		const journal = await Journal.open(file);
		const run = await journal.startRun('apply');
		await journal.record(run, {link: 'root-folder', service: 'Sonarr', action: 'create', target: 'root folder /data/media/tv', entryId: 3, after: {path: '/data/media/tv'}});
		const written = onDisk(file).runs[0]!.entries[0]!;
		assert.equal(written.target, 'root folder /data/media/tv');
		assert.equal(written.entryId, 3);
		assert.deepEqual(written.after, {path: '/data/media/tv'});
		assert.ok(Math.abs(Date.parse(written.at) - Date.now()) < 60_000, written.at);
		await journal.endRun(run);
		assert.equal(onDisk(file).runs.length, 1);
		await journal.markUndone(run.entries[0]!);
		assert.equal(onDisk(file).runs[0]!.entries[0]!.undone, true);
		assert.equal((await Journal.open(file)).lastRun(), undefined);
	});

	it('a run in a folder not made yet: the folder is made (0700) and the run goes on', async () => {
		const file = path.join(scratch, 'not-yet', 'arrwire', 'journal.json');
		const journal = await Journal.open(file);
		const run = await journal.startRun('apply');
		assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
		assert.equal(onDisk(file).runs.length, 1);
		await journal.endRun(run);
	});

	it('the same journal may start a second run while it holds the lock (undo inside a wizard run)', async () => {
		const journal = await Journal.open(journalFile({version: 1, runs: [{id: 'kept', startedAt: 't1', command: 'apply', entries: [entry('a')]}]}));
		const first = await journal.startRun('apply');
		const second = await journal.startRun('undo');
		await journal.endRun(second);
		// The first run was read again by the second start: ending it leaves every other run where it is.
		await journal.endRun(first);
		assert.ok(!existsSync(`${journal.file}.lock`));
		assert.deepEqual(onDisk(journal.file).runs.map(run => run.id), ['kept']);
	});

	it('written as tab-indented JSON ending in a newline', async () => {
		const journal = await Journal.open(journalFile());
		const run = await journal.startRun('apply');
		assert.match(readFileSync(journal.file, 'utf8'), /^\{\n\t"version": 1,\n\t"runs": \[\n\t\t\{\n[\s\S]*\n\}\n$/);
		await journal.endRun(run);
	});

	it('the lock is removed if the process exits during a run', async () => {
		const journal = await Journal.open(journalFile());
		const before = process.listeners('exit');
		const run = await journal.startRun('apply');
		const added = process.listeners('exit').filter(listener => !before.includes(listener));
		assert.equal(added.length, 1);
		assert.ok(existsSync(`${journal.file}.lock`));
		(added[0] as () => void)();
		assert.ok(!existsSync(`${journal.file}.lock`), 'the exit listener removes the lock');
		(added[0] as () => void)();
		await journal.endRun(run);
	});
});

describe('the lock', () => {
	it('held by a live process: refused, naming the process, its command and when it started', async () => {
		const file = journalFile();
		const holder = await Journal.open(file);
		const held = await holder.startRun('apply --yes');
		const {startedAt} = JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as {startedAt: string};
		const other = await Journal.open(file);
		await assert.rejects(other.startRun('apply'), {
			message: `Another arrwire (process ${process.pid}, "apply --yes", started ${startedAt}) is changing this stack now. Wait for it to finish; if no arrwire is running, remove ${file}.lock.`,
		});
		await holder.endRun(held);
		const run = await other.startRun('apply');
		await other.endRun(run);
	});

	it('a lock that names nothing but a live process: "?" for what it does not say', async () => {
		const file = journalFile();
		writeFileSync(`${file}.lock`, JSON.stringify({pid: 1}));
		await assert.rejects((await Journal.open(file)).startRun('apply'), {
			message: `Another arrwire (process 1, "?", started ?) is changing this stack now. Wait for it to finish; if no arrwire is running, remove ${file}.lock.`,
		});
	});

	it('left by a process that is gone, or not a lock at all: taken over', async () => {
		for (const left of [JSON.stringify({pid: 999_999_999, command: 'apply'}), '{}', 'not json']) {
			const file = journalFile();
			writeFileSync(`${file}.lock`, left);
			const journal = await Journal.open(file);
			const run = await journal.startRun('apply');
			assert.equal((JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as {pid: number}).pid, process.pid);
			await journal.endRun(run);
			assert.ok(!existsSync(`${file}.lock`));
		}
	});

	it('cannot be taken (a file where the folder goes): nothing is changed, and the message says why and what to do', async () => {
		const base = path.join(scratch, 'blocked');
		mkdirSync(base);
		writeFileSync(path.join(base, 'arrwire'), 'not a folder');
		const file = path.join(base, 'arrwire', 'journal.json');
		const journal = await Journal.open(file);
		await assert.rejects(journal.startRun('apply'), {
			message: `The journal's lock ${file}.lock could not be taken (${path.join(base, 'arrwire')} is a file, not a folder), so nothing was changed.\n  fix: Move ${path.join(base, 'arrwire')} away, or set XDG_CONFIG_HOME to a folder of yours (arrwire keeps its files in $XDG_CONFIG_HOME/arrwire).`,
		});
	});

	it('a journal that cannot be written: the run is not started, the lock is released, and the message says so', async () => {
		const base = path.join(scratch, 'linked');
		mkdirSync(path.join(base, 'real'), {recursive: true});
		symlinkSync(path.join(base, 'real'), path.join(base, 'arrwire'));
		const file = path.join(base, 'arrwire', 'journal.json');
		const journal = await Journal.open(file);
		const listeners = process.listenerCount('exit');
		await assert.rejects(journal.startRun('apply'), {
			message: `The journal ${file} cannot be written (Error: ${path.join(base, 'arrwire')} is a symbolic link; arrwire does not follow links for its own files (a link could make it read or overwrite another file). Remove the link and run again.), so nothing was changed: arrwire records every change before it reports it.\n  fix: Make the file and its folder writable by this user (or remove the file), then run again.`,
		});
		assert.deepEqual(journal.runs, []);
		assert.ok(!existsSync(`${file}.lock`), 'the lock is released');
		assert.equal(process.listenerCount('exit'), listeners);
	});
});
