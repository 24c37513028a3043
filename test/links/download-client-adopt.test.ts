// A user's own qBittorrent download client is never taken for arrwire's: after the user deletes arrwire's
// "qBittorrent" client, their "qBit-4K" (category tv-4k) is left alone, and an entry is hand-made by its id.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it, type TestContext} from 'node:test';
import {sonarrDownloadClientLink, type DownloadClientContext} from '../../source/links/download-client.js';
import {applyLinks, planLinks} from '../../source/links/engine.js';
import {fieldValue, withFields} from '../../source/services/provider.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab} from '../../source/lab/lab.js';

/** A lab, its Sonarr, and the download-client link's context on it, all removed when the test ends. */
async function sonarrOnLab(t: TestContext) {
	const lab = await startLab({defaultPorts: false});
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-adopt-'));
	t.after(async () => {
		await lab.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	const sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
	const address = {host: lab.qbittorrent.host, port: lab.qbittorrent.port, useSsl: false, urlBase: '', reason: 'both run on this machine'};
	const context: DownloadClientContext = {
		clients: {sonarr},
		desired: {
			addresses: {'sonarr->qbittorrent': address},
			qbittorrent: {username: lab.qbittorrent.username, password: lab.qbittorrent.password},
			categories: {tv: 'tv', movies: 'movies'},
		},
		journal: await Journal.open(path.join(scratch, 'journal.json')),
	};
	return {lab, sonarr, address, context};
}

describe('links: the download client arrwire made, and the ones the user made', () => {
	it('after arrwire\'s client is deleted, the user\'s qBit-4K is not adopted: a new client is planned, qBit-4K keeps tv-4k', async t => {
		const {lab, sonarr, address, context} = await sonarrOnLab(t);
		const links = [sonarrDownloadClientLink];
		await applyLinks(links, context, {confirm: async () => true});
		const [ours] = await sonarr.downloadClients();
		assert.equal(ours?.name, 'qBittorrent');

		// The user adds a 4K client of their own, then deletes arrwire's.
		const template = (await sonarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		const values = {host: address.host, port: address.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'tv-4k'};
		const theirs = await sonarr.create('downloadclient', {...withFields(template, values), name: 'qBit-4K', enable: true});
		await sonarr.remove('downloadclient', ours.id!);

		const [plan] = await planLinks(links, context);
		assert.equal(plan?.changes.length, 1);
		assert.equal(plan?.changes[0]?.action, 'create', 'a client of arrwire\'s own is planned, not a rewrite of qBit-4K');
		assert.equal(plan?.changes[0]?.target, 'download client "qBittorrent"');
		await applyLinks(links, context, {confirm: async change => !change.handMade});
		const after = await sonarr.downloadClients();
		assert.equal(fieldValue(after.find(client => client.id === theirs.id)!, 'tvCategory'), 'tv-4k', 'the user\'s client is untouched');
		assert.deepEqual(after.map(client => client.name).sort(), ['qBit-4K', 'qBittorrent']);
		assertNoSpecViolations(...lab.emulators());
	});

	it('a user\'s own client named "qBittorrent" that took the name of a deleted arrwire client is hand-made (judged by id)', async t => {
		const {lab, sonarr, address, context} = await sonarrOnLab(t);
		await applyLinks([sonarrDownloadClientLink], context, {confirm: async () => true});
		const [ours] = await sonarr.downloadClients();
		await sonarr.remove('downloadclient', ours!.id!);
		const template = (await sonarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		const values = {host: address.host, port: address.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'sonarr'};
		await sonarr.create('downloadclient', {...withFields(template, values), name: 'qBittorrent', enable: true});

		const [plan] = await planLinks([sonarrDownloadClientLink], context);
		assert.equal(plan?.changes[0]?.action, 'update');
		assert.equal(plan?.changes[0]?.handMade, true, 'the journal\'s create was of another entry');
	});
});
