// SABnzbd's categories: a category whose folder ends in '*' (job folders off) fails Sonarr's own test, so it is a
// fault; dropping the '*' is the user's folder changed, so it is asked about (hand-made), and undo puts it back.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {SabnzbdEmulator} from '../../source/lab/sabnzbd.js';
import {sabnzbdCategoriesLink} from '../../source/links/sabnzbd-categories.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {SabnzbdClient} from '../../source/services/sabnzbd.js';
import {Journal} from '../../source/state/journal.js';

describe("link: SABnzbd's categories", () => {
	let sabnzbd: SabnzbdEmulator;
	let scratch: string;
	before(async () => {
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-sab-categories-'));
		sabnzbd = new SabnzbdEmulator({host: '127.0.0.1', port: 0, completeDir: path.join(scratch, 'complete')});
		await sabnzbd.start();
	});
	after(async () => {
		await sabnzbd?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});

	it("a folder ending in '*' is a fault; dropping the '*' is asked about, and undo puts it back", async () => {
		const client = new SabnzbdClient({url: sabnzbd.url, apiKey: sabnzbd.apiKey});
		await client.saveCategory({name: 'tv', dir: 'shows*'});
		await client.saveCategory({name: 'movies', dir: 'movies'});
		const context = {clients: {sabnzbd: client}, desired: {categories: {tv: 'tv', movies: 'movies'}}, journal: await Journal.open(path.join(scratch, 'journal.json'))};
		assert.deepEqual((await sabnzbdCategoriesLink.verify(context)).map(finding => finding.id), ['link.sabnzbd-category-job-folders']);
		const [plan] = await planLinks([sabnzbdCategoriesLink], context);
		assert.deepEqual(plan!.changes.map(change => [change.action, change.target, change.handMade, change.fields]), [['update', 'category "tv"', true, [{name: 'dir', from: 'shows*', to: 'shows'}]]]);
		await applyLinks([sabnzbdCategoriesLink], context, {confirm: () => Promise.resolve(true)});
		assert.equal((await client.categories()).find(category => category.name === 'tv')?.dir, 'shows');
		assert.deepEqual(await sabnzbdCategoriesLink.verify(context), []);
		await undoLastRun([sabnzbdCategoriesLink], context);
		assert.equal((await client.categories()).find(category => category.name === 'tv')?.dir, 'shows*');
	});
});
