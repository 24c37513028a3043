// The Jellyseerr -> Sonarr/Radarr links against the lab: the emulated Jellyseerr tests the emulated Sonarr and Radarr
// over HTTP (profiles, root folders) before anything is stored. First run, choices, idempotence, drift, a server made
// by hand, faults on Jellyseerr's non-idempotent POST, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {jellyseerrRadarrLink, jellyseerrSonarrLink, type JellyseerrServarrContext} from '../../source/links/jellyseerr-servarr.js';
import {SeerrClient} from '../../source/services/seerr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

describe('links: Jellyseerr -> Sonarr and Jellyseerr -> Radarr', () => {
	let lab: Lab;
	let scratch: string;
	let context: JellyseerrServarrContext;
	const links = [jellyseerrSonarrLink, jellyseerrRadarrLink];
	const yes = {confirm: async () => true};
	const seerrWrites = () => lab.jellyseerr.writes().length;
	const seerrClient = (timeoutMs?: number) => new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr, timeoutMs});

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-seerr-servarr-'));
		// Jellyseerr's settings routes need its admin (user 1): the first sign-in to Jellyfin makes it.
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

	it('adds both servers with HD-1080p and the desired root folder, then plans nothing and writes nothing', async () => {
		const plans = await planLinks(links, context);
		assert.deepEqual(
			plans.map(plan => plan.changes.map(change => `${change.service}: ${change.action} ${change.target}`)),
			[['Jellyseerr: create Sonarr server "Sonarr"'], ['Jellyseerr: create Radarr server "Radarr"']],
		);
		const change = plans[0]!.changes[0]!;
		const shown = describeChange(change).join('\n');
		assert.match(shown, /apiKey: \*\*\*\*\*\*\*\*/);
		assert.match(shown, /quality profile: "HD-1080p"/);
		assert.match(change.reason ?? '', /offers the quality profiles "Any", "SD", "HD-720p", "HD-1080p"/);
		assert.ok(!shown.includes(lab.keys.sonarr));

		const result = await applyLinks(links, context, yes);
		assert.equal(result.failed, undefined);
		assert.deepEqual(result.findings, []);
		const [sonarr] = lab.jellyseerr.settings.sonarr;
		assert.equal(lab.jellyseerr.settings.sonarr.length, 1);
		assert.equal(sonarr?.activeProfileName, 'HD-1080p');
		assert.equal(sonarr?.activeDirectory, lab.paths.tv);
		assert.equal(sonarr?.isDefault, true);
		assert.equal(sonarr?.enableSeasonFolders, true);
		const [radarr] = lab.jellyseerr.settings.radarr;
		assert.equal(radarr?.minimumAvailability, 'released');
		assert.equal(radarr?.activeDirectory, lab.paths.movies);
		const journalled = JSON.stringify(context.journal.runs);
		assert.ok(!journalled.includes(lab.keys.sonarr) && !journalled.includes(lab.keys.radarr), 'no API key in the journal');

		const writes = seerrWrites();
		const again = await planLinks(links, context);
		assert.deepEqual(again.flatMap(plan => plan.changes), []);
		await applyLinks(links, context, yes);
		assert.equal(seerrWrites(), writes, 'a second apply sends no write');
	});

	it('the user\'s choice of quality profile is used when offered; one that is not offered falls back to HD-1080p', async () => {
		context.desired.qualityProfile = {sonarr: 'ultra-hd', radarr: 'No Such Profile'};
		const plans = await planLinks(links, context);
		assert.ok(plans[0]!.changes[0]!.fields.some(field => field.name === 'quality profile' && field.to === 'Ultra-HD'));
		assert.ok(plans[1]!.changes[0]!.fields.some(field => field.name === 'quality profile' && field.to === 'HD-1080p'));
		assert.match(plans[1]!.changes[0]!.reason ?? '', /"No Such Profile" is not among them/);
		await applyLinks(links, context, yes);
		assert.equal(lab.jellyseerr.settings.sonarr[0]?.activeProfileName, 'Ultra-HD');

		// A later change of mind is an update of the profile only.
		context.desired.qualityProfile = {sonarr: 'HD-720p'};
		const [plan] = await planLinks([jellyseerrSonarrLink], context);
		assert.deepEqual(plan!.changes[0]!.fields, [{name: 'quality profile', from: 'Ultra-HD', to: 'HD-720p'}]);
	});

	it('a drift (a changed API key, another port stored) is repaired in place, the key never shown', async () => {
		await applyLinks(links, context, yes);
		const stored = lab.jellyseerr.settings.sonarr[0]!;
		stored.apiKey = 'an-old-key';
		stored.baseUrl = '/old';
		assert.equal((await jellyseerrSonarrLink.verify(context))[0]?.id, 'link.jellyseerr-servarr-settings');
		const [plan] = await planLinks([jellyseerrSonarrLink], context);
		const change = plan!.changes[0]!;
		assert.equal(change.action, 'update');
		assert.equal(change.handMade, false, 'arrwire made it');
		assert.deepEqual(describeChange(change).slice(0, 3), ['Jellyseerr: update Sonarr server "Sonarr"', '    baseUrl: "/old" -> (empty)', '    apiKey: ******** -> ********']);
		await applyLinks([jellyseerrSonarrLink], context, yes);
		assert.equal(lab.jellyseerr.settings.sonarr.length, 1);
		assert.equal(lab.jellyseerr.settings.sonarr[0]?.apiKey, lab.keys.sonarr);
		assert.deepEqual(await jellyseerrSonarrLink.verify(context), []);

		await undoLastRun(links, context);
		assert.equal(lab.jellyseerr.settings.sonarr[0]?.baseUrl, '/old', 'undo restores what it can (not the old key, which was never kept)');
	});

	it('a server made by hand on the same address is shown as hand-made and updated, never duplicated', async () => {
		await context.clients.seerr!.addSonarr({
			name: 'My Sonarr',
			hostname: lab.sonarr.host,
			port: lab.sonarr.port,
			apiKey: 'typed-wrong',
			useSsl: false,
			baseUrl: '',
			activeProfileId: 1,
			activeProfileName: 'Any',
			activeDirectory: lab.paths.tv,
			is4k: false,
			isDefault: true,
			enableSeasonFolders: true,
		});
		const [plan] = await planLinks([jellyseerrSonarrLink], context);
		const change = plan!.changes[0]!;
		assert.equal(change.target, 'Sonarr server "My Sonarr"');
		assert.equal(change.handMade, true);
		assert.deepEqual(change.fields.map(field => field.name), ['apiKey'], 'the profile the user chose by hand stays');
		const declined = await applyLinks([jellyseerrSonarrLink], context, {confirm: async candidate => !candidate.handMade});
		assert.equal(declined.declined.length, 1);
		await applyLinks([jellyseerrSonarrLink], context, yes);
		assert.equal(lab.jellyseerr.settings.sonarr.length, 1);
		assert.equal(lab.jellyseerr.settings.sonarr[0]?.name, 'My Sonarr');
		assert.equal(lab.jellyseerr.settings.sonarr[0]?.activeProfileName, 'Any');
	});

	it('apply re-reads: a server added on the same address since the plan is updated, not added again', async () => {
		const [plan] = await planLinks([jellyseerrSonarrLink], context);
		await applyLinks([jellyseerrSonarrLink], {...context, journal: await Journal.open(path.join(scratch, `other-${Date.now()}.json`))}, yes);
		const applied = await jellyseerrSonarrLink.apply(plan!.changes[0]! as Parameters<typeof jellyseerrSonarrLink.apply>[0], context);
		assert.equal(lab.jellyseerr.settings.sonarr.length, 1);
		assert.ok(applied.before, 'journalled as an update: undo restores it instead of deleting it');
		assert.ok(!JSON.stringify(applied).includes(lab.keys.sonarr));
	});

	for (const fault of [{status: 500}, {reset: true}, {delayMs: 1500}] as const) {
		it(`a failure on the POST (${Object.keys(fault)[0]}): the next run converges with exactly one server`, async () => {
			const before = writesTo(lab.jellyseerr, 'POST', '/api/v1/settings/sonarr');
			lab.jellyseerr.inject({method: 'POST', path: '/api/v1/settings/sonarr', times: 1, ...fault});
			const first = await applyLinks(links, {...context, clients: {...context.clients, seerr: seerrClient(500)}}, yes);
			assert.equal(first.failed?.change.target, 'Sonarr server "Sonarr"');
			// A timed-out POST still lands on Jellyseerr's side: the re-run must find it.
			if ('delayMs' in fault) {
				await landed(lab.jellyseerr, 'POST', '/api/v1/settings/sonarr', before);
			}
			const second = await applyLinks(links, context, yes);
			assert.equal(second.failed, undefined);
			assert.equal(lab.jellyseerr.settings.sonarr.length, 1, 'exactly one Sonarr server');
			assert.equal(lab.jellyseerr.settings.radarr.length, 1);
			assert.deepEqual((await Promise.all(links.map(link => link.verify(context)))).flat(), []);
		});
	}

	it('a wrong Sonarr API key: Jellyseerr\'s own test fails, the plan says why, verify finds it, and no key is shown', async () => {
		context.desired.keys.sonarr = 'not-the-sonarr-key';
		const [plan] = await planLinks([jellyseerrSonarrLink], context, {tests: true});
		assert.ok(plan?.error, 'the plan reports the failed test');
		assert.match(plan.error.message, /Failed to connect to Sonarr/);
		const findings = await jellyseerrSonarrLink.verify(context);
		assert.deepEqual(findings.map(finding => finding.id), ['link.jellyseerr-servarr-test-failed']);
		assert.ok(!JSON.stringify(findings).includes('not-the-sonarr-key'));
	});

	it('undo removes the servers the last run added', async () => {
		await applyLinks(links, context, yes);
		const {undone} = await undoLastRun(links, context);
		assert.equal(undone.length, 2);
		assert.deepEqual(lab.jellyseerr.settings.sonarr, []);
		assert.deepEqual(lab.jellyseerr.settings.radarr, []);
	});
});
