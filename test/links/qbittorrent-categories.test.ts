// The categories link against the real qBittorrent: plan, apply, idempotence, hand-made entries, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {qbittorrentCategoriesLink, type CategoriesContext} from '../../source/links/qbittorrent-categories.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {Journal} from '../../source/state/journal.js';
import {startQbittorrent, type RunningQbittorrent} from '../../source/lab/qbittorrent.js';

describe('link: qBittorrent categories tv and movies', () => {
	let qbt: RunningQbittorrent;
	let scratch: string;
	let context: CategoriesContext;
	const links = [qbittorrentCategoriesLink];
	const yes = {confirm: async () => true};

	before(async () => {
		qbt = await startQbittorrent();
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-categories-'));
	});
	after(async () => {
		await qbt?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		await client.removeCategories(Object.keys(await client.categories()));
		context = {
			clients: {qbittorrent: client},
			desired: {categories: {tv: 'tv', movies: 'movies'}, downloads: {tv: '/data/torrents/tv', movies: '/data/torrents/movies'}},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});

	it('plans two creations on a fresh qBittorrent, applies them, and then plans nothing', async () => {
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}`), ['create category "tv"', 'create category "movies"']);
		assert.deepEqual(describeChange(plan.changes[0]!), ['qBittorrent: create category "tv"', '    save path: "/data/torrents/tv"']);
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, []);
		const categories = await context.clients.qbittorrent!.categories();
		assert.equal(categories.tv?.savePath, '/data/torrents/tv');
		assert.equal(categories.movies?.savePath, '/data/torrents/movies');
		const [again] = await planLinks(links, context);
		assert.deepEqual(again?.changes, []);
		const second = await applyLinks(links, context, yes);
		assert.deepEqual(second.applied, [], 'a second apply writes nothing');
	});

	it('a category changed by hand is shown as an update of a hand-made entry, and changed only when confirmed', async () => {
		await context.clients.qbittorrent!.createCategory('tv', '/mnt/elsewhere');
		const [plan] = await planLinks(links, context);
		const update = plan?.changes.find(change => change.action === 'update');
		assert.ok(update);
		assert.equal(update.handMade, true);
		assert.deepEqual(describeChange(update), ['qBittorrent: update category "tv"  (made by hand, not by arrwire)', '    save path: "/mnt/elsewhere" -> "/data/torrents/tv"']);
		const declined = await applyLinks(links, context, {confirm: async change => !change.handMade});
		assert.equal(declined.declined.length, 1);
		assert.equal((await context.clients.qbittorrent!.categories()).tv?.savePath, '/mnt/elsewhere', 'left alone when not confirmed');
		await applyLinks(links, context, yes);
		assert.equal((await context.clients.qbittorrent!.categories()).tv?.savePath, '/data/torrents/tv');
	});

	it('a run stopped after the first change converges on the next run, without duplicates', async () => {
		let allowed = 1;
		await applyLinks(links, context, {confirm: async () => allowed-- > 0});
		assert.deepEqual(Object.keys(await context.clients.qbittorrent!.categories()), ['tv']);
		const [plan] = await planLinks(links, context);
		assert.deepEqual(plan?.changes.map(change => change.target), ['category "movies"']);
		await applyLinks(links, context, yes);
		assert.deepEqual(Object.keys(await context.clients.qbittorrent!.categories()).sort(), ['movies', 'tv']);
	});

	it('a category created by someone else between plan and apply (409) is adopted, not duplicated', async () => {
		const [plan] = await planLinks(links, context);
		await context.clients.qbittorrent!.createCategory('tv', '/somewhere/else');
		const result = await qbittorrentCategoriesLink.apply(plan!.changes[0]! as never, context);
		assert.equal((result.after as {savePath: string}).savePath, '/data/torrents/tv');
	});

	it('undo removes what the last run created and restores what it changed', async () => {
		await context.clients.qbittorrent!.createCategory('tv', '/mnt/by-hand');
		await applyLinks(links, context, yes);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		const categories = await context.clients.qbittorrent!.categories();
		assert.equal(categories.movies, undefined);
		assert.equal(categories.tv?.savePath, '/mnt/by-hand');
		assert.deepEqual(await undoLastRun(links, context), {undone: [], notUndone: []}, 'nothing left to undo');
	});
});
