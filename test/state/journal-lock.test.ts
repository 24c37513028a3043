// The journal is written before the first change and held by one run at a time: an unwritable journal stops a run
// before it changes anything, and a second arrwire on the same journal is told who holds it.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {describe, it} from 'node:test';
import {applyLinks} from '../../source/links/engine.js';
import {qbittorrentCategoriesLink} from '../../source/links/qbittorrent-categories.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {Journal} from '../../source/state/journal.js';
import {startLab} from '../../source/lab/lab.js';

const journalModule = path.resolve('dist/source/state/journal.js');

/** Another arrwire process that holds the journal's lock until its stdin closes. */
async function holder(file: string): Promise<{pid: number; stop: () => void; kill: () => Promise<void>}> {
	const script = `const {Journal} = await import(${JSON.stringify(journalModule)}); const j = await Journal.open(${JSON.stringify(file)}); const run = await j.startRun('apply'); console.log('locked'); process.stdin.resume(); process.stdin.on('end', async () => { await j.endRun(run); process.exit(0); });`;
	const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['pipe', 'pipe', 'inherit']});
	const lines = createInterface({input: child.stdout});
	await new Promise<void>((resolve, reject) => {
		lines.on('line', line => line === 'locked' && resolve());
		child.once('exit', code => reject(new Error(`the holder exited (${code})`)));
	});
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	return {
		pid: child.pid!,
		stop: () => child.stdin.end(),
		kill: async () => {
			child.kill('SIGKILL');
			await exited;
		},
	};
}

describe('journal: written first, one run at a time', () => {
	it('a second run on the same journal is refused and told which process holds it; a lock left by a killed one is taken over', async t => {
		const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-lock-'));
		t.after(() => rmSync(folder, {recursive: true, force: true}));
		const file = path.join(folder, 'journal.json');
		const other = await holder(file);
		const journal = await Journal.open(file);
		await assert.rejects(journal.startRun('apply'), new RegExp(`Another arrwire \\(process ${other.pid}, "apply", started .*\\) is changing this stack now`));
		// SIGKILL: the holder could not release its lock; it is gone, so its lock is stale and taken over.
		await other.kill();
		assert.ok(existsSync(`${file}.lock`));
		const run = await journal.startRun('apply');
		await journal.record(run, {link: 'qbittorrent-categories', service: 'qBittorrent', action: 'create', target: 'category "tv"'});
		await journal.endRun(run);
		assert.ok(!existsSync(`${file}.lock`), 'the lock is released at the end of the run');
		assert.equal((JSON.parse(readFileSync(file, 'utf8')) as {runs: unknown[]}).runs.length, 1);
	});

	it('two runs one after the other keep both runs (the second reads what the first wrote)', async t => {
		const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-lock-'));
		t.after(() => rmSync(folder, {recursive: true, force: true}));
		const file = path.join(folder, 'journal.json');
		const first = await Journal.open(file);
		const second = await Journal.open(file); // opened before the first one wrote
		const run = await first.startRun('apply');
		await first.record(run, {link: 'a', service: 'Sonarr', action: 'create', target: 'root folder /data/media/tv'});
		await first.endRun(run);
		const later = await second.startRun('apply');
		await second.record(later, {link: 'b', service: 'Radarr', action: 'create', target: 'root folder /data/media/movies'});
		await second.endRun(later);
		const runs = (JSON.parse(readFileSync(file, 'utf8')) as {runs: Array<{entries: Array<{target: string}>}>}).runs;
		assert.deepEqual(
			runs.flatMap(entry => entry.entries.map(item => item.target)),
			['root folder /data/media/tv', 'root folder /data/media/movies'],
		);
	});

	it('a journal that cannot be written stops apply before its first change, and says so', async t => {
		const lab = await startLab({defaultPorts: false});
		const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-lock-'));
		t.after(async () => {
			await lab.stop();
			rmSync(folder, {recursive: true, force: true});
		});
		const qbittorrent = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		// A file where the journal's folder should be: no journal can be written there, not even by root.
		writeFileSync(path.join(folder, 'arrwire'), 'not a folder');
		const journal = await Journal.open(path.join(folder, 'arrwire', 'journal.json'));
		const context = {
			clients: {qbittorrent},
			desired: {categories: {tv: 'tv', movies: 'movies'}, downloads: {tv: lab.paths.torrentsTv, movies: lab.paths.torrentsMovies}},
			journal,
		};
		await assert.rejects(applyLinks([qbittorrentCategoriesLink], context as never, {confirm: async () => true}), /nothing was changed/);
		assert.deepEqual(await qbittorrent.categories(), {}, 'no category was created');
	});
});
