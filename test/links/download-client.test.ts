// The Sonarr/Radarr -> qBittorrent download-client links against the lab: the emulated Sonarr and Radarr test each
// client on the real qBittorrent. Plan, apply, idempotence, a changed password, faults, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {ALL_LINKS} from '../../source/links/all.js';
import {describeChange} from '../../source/links/change.js';
import type {LinkContext} from '../../source/links/context.js';
import {radarrDownloadClientLink, sonarrDownloadClientLink, type DownloadClientContext} from '../../source/links/download-client.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('links: Sonarr and Radarr -> qBittorrent download clients', () => {
	let lab: Lab;
	let scratch: string;
	let context: DownloadClientContext;
	const links = [sonarrDownloadClientLink, radarrDownloadClientLink];
	const yes = {confirm: async () => true};
	const writes = () => lab.sonarr.writes().length + lab.radarr.writes().length;

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-dc-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		for (const emulator of [lab.sonarr, lab.radarr]) {
			emulator.providers.get('downloadclient')!.splice(0);
			emulator.clearFaults();
		}
		context = {
			clients: {
				sonarr: new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}),
				radarr: new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}),
			},
			desired: {
				addresses: {
					'sonarr->qbittorrent': {host: lab.qbittorrent.host, port: lab.qbittorrent.port, useSsl: false, urlBase: '', reason: 'both run on this machine'},
					'radarr->qbittorrent': {host: lab.qbittorrent.host, port: lab.qbittorrent.port, useSsl: false, urlBase: '', reason: 'both run on this machine'},
				},
				qbittorrent: {username: lab.qbittorrent.username, password: lab.qbittorrent.password},
				categories: {tv: 'tv', movies: 'movies'},
			},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('creates both clients (the services test them on the real qBittorrent), then plans and writes nothing', async () => {
		const plans = await planLinks(links, context);
		assert.deepEqual(
			plans.map(plan => plan.changes.map(change => `${change.service}: ${change.action} ${change.target}`)),
			[['Sonarr: create download client "qBittorrent"'], ['Radarr: create download client "qBittorrent"']],
		);
		const shown = describeChange(plans[0]!.changes[0]!).join('\n');
		assert.match(shown, /password: \*\*\*\*\*\*\*\*/);
		assert.ok(!shown.includes(lab.qbittorrent.password));
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, []);
		const categories = await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).categories();
		assert.ok('tv' in categories && 'movies' in categories, 'Sonarr and Radarr created their categories in qBittorrent');

		const before = writes();
		const again = await planLinks(links, context);
		assert.deepEqual(again.flatMap(plan => plan.changes), []);
		await applyLinks(links, context, yes);
		assert.equal(writes(), before, 'a second apply sends no write');
	});

	it('a qBittorrent password that changed: the service\'s own test finds it, and the plan updates only the password', async () => {
		await applyLinks(links, context, yes);
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		const newPassword = 'a-new-password-42';
		await qb.setPreferences({web_ui_password: newPassword});
		// Their qBittorrent sessions outlive a password change; a restart (or the session's end) shows it.
		await lab.sonarr.restart();
		await lab.radarr.restart();
		try {
			context.desired.qbittorrent!.password = newPassword;
			const plans = await planLinks(links, context, {tests: true});
			const change = plans[0]!.changes[0]!;
			assert.equal(change.action, 'update');
			assert.deepEqual(change.fields.map(field => field.name), ['password']);
			assert.match(change.reason ?? '', /Sonarr's own test fails: Authentication failure/);
			assert.equal(change.handMade, false, 'arrwire made it');
			await applyLinks(links, context, yes);
			const verified = await Promise.all(links.map(link => link.verify(context)));
			assert.deepEqual(verified.flat(), []);
		} finally {
			await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: newPassword}).setPreferences({web_ui_password: lab.qbittorrent.password});
			context.desired.qbittorrent!.password = lab.qbittorrent.password;
		}
	});

	it("a category qBittorrent lacks: the service's own test (which would create it) is not run, and verify says why", async () => {
		await applyLinks(links, context, yes);
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		const saved = (await qb.categories()).tv;
		await qb.removeCategories(['tv']);
		try {
			const withQbittorrent = {...context, clients: {...context.clients, qbittorrent: qb}};
			const findings = await sonarrDownloadClientLink.verify(withQbittorrent);
			assert.deepEqual(findings.map(finding => finding.id), ['link.download-client-not-tested']);
			assert.match(findings[0]!.cause, /qBittorrent has no category "tv", and Sonarr's own test would create it/);
			assert.ok(!('tv' in (await qb.categories())), 'the check left qBittorrent as it was');
			// Radarr's category is there: its test runs, and passes.
			assert.deepEqual(await radarrDownloadClientLink.verify(withQbittorrent), []);
		} finally {
			await qb.createCategory('tv', saved?.savePath ?? '');
		}
	});

	for (const fault of [{status: 500}, {reset: true}, {delayMs: 3000}] as const) {
		it(`a failure on the write (${Object.keys(fault)[0]}): the run reports it, and the next run converges without duplicates`, async () => {
			const before = writesTo(lab.sonarr, 'POST', '/api/v3/downloadclient');
			lab.sonarr.inject({method: 'POST', path: '/api/v3/downloadclient', times: 1, ...fault});
			const client = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr, timeoutMs: 1000});
			const first = await applyLinks(links, {...context, clients: {...context.clients, sonarr: client}}, yes);
			assert.equal(first.failed?.change.service, 'Sonarr');
			// A timed-out write may still have happened on the service's side: the re-run must adopt it.
			if ('delayMs' in fault) {
				await landed(lab.sonarr, 'POST', '/api/v3/downloadclient', before);
			}
			await applyLinks(links, context, yes);
			const clients = await context.clients.sonarr!.downloadClients();
			assert.equal(clients.length, 1, 'exactly one download client');
			assert.deepEqual((await Promise.all(links.map(link => link.verify(context)))).flat(), []);
		});
	}

	it('a client made by hand with another category is shown as hand-made and left alone when not confirmed', async () => {
		const template = (await context.clients.sonarr!.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		const {withFields} = await import('../../source/services/provider.js');
		await context.clients.sonarr!.create(
			'downloadclient',
			withFields({...template, name: 'qBittorrent'}, {host: lab.qbittorrent.host, port: lab.qbittorrent.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'tv-sonarr'}),
		);
		const [plan] = await planLinks([sonarrDownloadClientLink], context);
		const change = plan!.changes[0]!;
		assert.equal(change.handMade, true);
		assert.deepEqual(describeChange(change).slice(0, 2), ['Sonarr: update download client "qBittorrent"  (made by hand, not by arrwire)', '    tvCategory: "tv-sonarr" -> "tv"']);
		const declined = await applyLinks([sonarrDownloadClientLink], context, {confirm: async candidate => !candidate.handMade});
		assert.equal(declined.declined.length, 1);
		assert.equal((await sonarrDownloadClientLink.verify(context))[0]?.id, 'link.download-client-category');
	});

	it('undo removes the clients the last run created', async () => {
		await applyLinks(links, context, yes);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		assert.deepEqual(await context.clients.sonarr!.downloadClients(), []);
		assert.deepEqual(await context.clients.radarr!.downloadClients(), []);
	});

	it('a journal written before one implementation served both protocols still undoes: the link ids and targets are the same', async () => {
		assert.deepEqual(
			ALL_LINKS.filter(link => link.id.endsWith('download-client')).map(link => [link.id, link.services.join(' -> ')]),
			[
				['sonarr-download-client', 'Sonarr -> qBittorrent'],
				['radarr-download-client', 'Radarr -> qBittorrent'],
				['sonarr-usenet-download-client', 'Sonarr -> NZBGet'],
				['radarr-usenet-download-client', 'Radarr -> NZBGet'],
				['sonarr-sabnzbd-download-client', 'Sonarr -> SABnzbd'],
				['radarr-sabnzbd-download-client', 'Radarr -> SABnzbd'],
			],
		);
		await applyLinks(links, context, yes);
		const written = context.journal.lastRun()!.entries.map(({link, service, action, target}) => ({link, service, action, target}));
		assert.deepEqual(written, [
			{link: 'sonarr-download-client', service: 'Sonarr', action: 'create', target: 'download client "qBittorrent"'},
			{link: 'radarr-download-client', service: 'Radarr', action: 'create', target: 'download client "qBittorrent"'},
		]);
		// The entries as the journal of an earlier version holds them, for the client Sonarr has now.
		const [sonarrClient] = await context.clients.sonarr!.downloadClients();
		const file = path.join(scratch, `journal-before-${Date.now()}.json`);
		const entry = {at: '2026-01-01T00:00:00.000Z', link: 'sonarr-download-client', service: 'Sonarr', action: 'create', target: 'download client "qBittorrent"', entryId: sonarrClient!.id};
		writeFileSync(file, JSON.stringify({version: 1, runs: [{id: 'earlier', startedAt: entry.at, command: 'apply', entries: [entry]}]}), {mode: 0o600});
		const old = {...context, journal: await Journal.open(file)} as unknown as LinkContext;
		const {undone, notUndone} = await undoLastRun(ALL_LINKS, old);
		assert.deepEqual(notUndone, []);
		assert.equal(undone.length, 1);
		assert.deepEqual(await context.clients.sonarr!.downloadClients(), []);
		assert.equal((await context.clients.radarr!.downloadClients()).length, 1, 'only what that journal names is reversed');
	});
});
