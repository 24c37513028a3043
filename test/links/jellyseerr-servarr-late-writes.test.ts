// Jellyseerr's POST of a Sonarr/Radarr server that answers after arrwire stopped waiting still lands. The next run
// finds it: alone, it is recorded in the journal as arrwire's (so undo removes it); beside the one a re-run made on the
// same address, it is a finding, and apply removes the extra one, never a hand-made one without showing it.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {jellyseerrRadarrLink, jellyseerrSonarrLink, type JellyseerrServarrContext} from '../../source/links/jellyseerr-servarr.js';
import {SeerrClient, type SeerrRadarrSettings} from '../../source/services/seerr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('links: Jellyseerr -> Sonarr/Radarr, and a POST that lands after arrwire stopped waiting', () => {
	let lab: Lab;
	let scratch: string;
	let context: JellyseerrServarrContext;
	const links = [jellyseerrSonarrLink, jellyseerrRadarrLink];
	const yes = {confirm: async () => true};
	const seerrClient = (timeoutMs?: number) => new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr, timeoutMs});
	const radarrPosts = () => writesTo(lab.jellyseerr, 'POST', '/api/v1/settings/radarr');

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-seerr-late-'));
		await seerrClient().authJellyfin({username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password, hostname: lab.jellyfin.host, port: lab.jellyfin.port, urlBase: '', useSsl: false, serverType: 2});
		await new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}).addRootFolder(lab.paths.tv);
		await new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}).addRootFolder(lab.paths.movies);
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		lab.jellyseerr.settings.sonarr.splice(0);
		lab.jellyseerr.settings.radarr.splice(0);
		lab.jellyseerr.clearFaults();
		const on = (emulator: {host: string; port: number}) => ({host: emulator.host, port: emulator.port, useSsl: false, urlBase: '', reason: 'both run on this machine'});
		context = {
			clients: {
				seerr: seerrClient(),
				sonarr: new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}),
				radarr: new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}),
			},
			desired: {
				addresses: {'jellyseerr->sonarr': on(lab.sonarr), 'jellyseerr->radarr': on(lab.radarr)},
				keys: {sonarr: lab.keys.sonarr, radarr: lab.keys.radarr},
				rootFolders: {sonarr: lab.paths.tv, radarr: lab.paths.movies},
			},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	/** A first run whose Radarr POST is held past the client's time limit; the write lands when released. */
	async function timedOutRun(): Promise<() => void> {
		const held = lab.jellyseerr.holdNextServerPost('radarr');
		const first = await applyLinks(links, {...context, clients: {...context.clients, seerr: seerrClient(4000)}}, yes);
		assert.equal(first.failed?.change.target, 'Radarr server "Radarr"');
		assert.match(first.failed?.error.message ?? '', /did not answer in time/);
		await held.arrived;
		return held.release;
	}

	it('a late POST found alone on the next run is recorded as arrwire\'s, without writing; undo then removes it', async () => {
		const before = radarrPosts();
		const release = await timedOutRun();
		release();
		await landed(lab.jellyseerr, 'POST', '/api/v1/settings/radarr', before);
		assert.equal(lab.jellyseerr.settings.radarr.length, 1);

		const [, radarr] = await planLinks(links, context);
		assert.deepEqual(radarr!.changes.map(change => describeChange(change)[0]), ['Jellyseerr: create Radarr server "Radarr"']);
		assert.match(radarr!.changes[0]!.reason ?? '', /landed after arrwire stopped waiting.*nothing is written/);
		const writes = lab.jellyseerr.writes().length;
		const second = await applyLinks(links, context, yes);
		assert.equal(second.failed, undefined);
		assert.equal(lab.jellyseerr.writes().length, writes, 'recorded, not written again');
		assert.equal(lab.jellyseerr.settings.radarr.length, 1);
		assert.ok(context.journal.createdByArrwire('Jellyseerr', 'Radarr server "Radarr"', lab.jellyseerr.settings.radarr[0]!.id), 'journalled with its id');
		assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);

		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 1);
		assert.deepEqual(lab.jellyseerr.settings.radarr, [], 'undo removes what arrwire made, late or not');
	});

	it('a late POST that lands after a re-run made its own: plan and verify find two on one address, apply removes the extra one and keeps a default', async () => {
		const before = radarrPosts();
		const release = await timedOutRun();
		const second = await applyLinks(links, context, yes);
		assert.equal(second.failed, undefined);
		assert.equal(radarrPosts(), before + 1, 'the re-run posted its own');
		release();
		await landed(lab.jellyseerr, 'POST', '/api/v1/settings/radarr', before + 1);
		assert.equal(lab.jellyseerr.settings.radarr.length, 2, 'two Radarr servers on one address');

		const findings = await jellyseerrRadarrLink.verify(context);
		assert.deepEqual(findings.map(finding => finding.id), ['link.jellyseerr-servarr-duplicate']);
		assert.ok(!JSON.stringify(findings).includes(lab.keys.radarr));
		const [, radarr] = await planLinks(links, context);
		const [journalled, late] = [...lab.jellyseerr.settings.radarr].sort((a, b) => a.id - b.id) as [{id: number}, {id: number}];
		assert.deepEqual(
			radarr!.changes.map(change => [describeChange(change)[0], change.handMade]),
			[[`Jellyseerr: delete Radarr server "Radarr" (id ${late.id})`, false]],
		);

		const third = await applyLinks(links, context, yes);
		assert.equal(third.failed, undefined);
		assert.deepEqual(lab.jellyseerr.settings.radarr.map(server => [server.id, server.isDefault]), [[journalled.id, true]], 'the recorded one stays, and is the default');
		assert.deepEqual(await jellyseerrRadarrLink.verify(context), []);
		assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);
	});

	it('a server made by hand on arrwire\'s address is shown as hand-made and left alone by --yes', async () => {
		await applyLinks(links, context, yes);
		const {id: _id, ...mine} = lab.jellyseerr.settings.radarr[0]!;
		// What Jellyseerr's own form posts (src/components/Settings/RadarrModal/index.tsx): more keys than arrwire sends.
		const byHand = {...mine, tags: [], externalUrl: '', syncEnabled: false, preventSearch: false, tagRequests: false, isDefault: false};
		await context.clients.seerr!.addRadarr(byHand as unknown as SeerrRadarrSettings);
		const [, radarr] = await planLinks(links, context);
		const change = radarr!.changes[0]!;
		assert.equal(change.action, 'delete');
		assert.equal(change.handMade, true);
		assert.match(describeChange(change)[0]!, /\(made by hand, not by arrwire\)$/);
		const result = await applyLinks(links, context, {confirm: async candidate => !candidate.handMade});
		assert.equal(result.declined.length, 1);
		assert.equal(lab.jellyseerr.settings.radarr.length, 2, 'the hand-made one stays');
	});
});
