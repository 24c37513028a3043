// The Jellyseerr -> Jellyfin link against the lab: the emulated Jellyseerr signs in to the emulated Jellyfin for real
// (it creates its Jellyfin API key there) and syncs the libraries from it. First run, idempotence, drift, a sign-in
// made by hand, faults, undo.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {describeChange} from '../../source/links/change.js';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {jellyseerrJellyfinLink, type JellyseerrJellyfinContext} from '../../source/links/jellyseerr-jellyfin.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {SeerrClient} from '../../source/services/seerr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {landed, writesTo} from './wait.js';

const flavors = [
	{seerrFlavor: 'jellyseerr', app: 'Jellyseerr', jellyfinVersion: '10.11.11'},
	// Seerr 3 is what new installs get; it speaks to Jellyfin with the Authorization header, so Jellyfin 12 (legacy
	// authorization off) serves it.
	{seerrFlavor: 'seerr', app: 'Seerr', jellyfinVersion: '12.0.0'},
] as const;

for (const flavor of flavors) {
	describe(`link: ${flavor.app} signed in to Jellyfin ${flavor.jellyfinVersion} with the TV and movie libraries`, () => {
		let lab: Lab;
		let scratch: string;
		let jellyfin: JellyfinClient;
		let context: JellyseerrJellyfinContext;
		const links = [jellyseerrJellyfinLink];
		const yes = {confirm: async () => true};
		/** Writes, counting the library GET too: it rewrites every library's `enabled`. */
		const seerrWrites = () => lab.jellyseerr.writes().length + lab.jellyseerr.log.filter(entry => entry.path.endsWith('/settings/jellyfin/library')).length;
		const jellyseerrKeys = () => lab.jellyfin.apiKeys().filter(key => key.appName === flavor.app).length;
		const enabled = () =>
			lab.jellyseerr.settings.jellyfin.libraries
				.filter(library => library.enabled)
				.map(library => library.name)
				.sort();
		const signIn = (seerr: SeerrClient) =>
			seerr.authJellyfin({username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password, hostname: lab.jellyfin.host, port: lab.jellyfin.port, urlBase: '', useSsl: false, serverType: 2});

		before(async () => {
			lab = await startLab({defaultPorts: false, seerrFlavor: flavor.seerrFlavor, jellyfinVersion: flavor.jellyfinVersion});
			scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-seerr-jellyfin-'));
			jellyfin = new JellyfinClient({url: lab.jellyfin.url, token: lab.jellyfin.addApiKey('arrwire-test')});
			await jellyfin.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: [lab.paths.tv]});
			await jellyfin.addVirtualFolder({name: 'Movies', collectionType: 'movies', paths: [lab.paths.movies]});
		});
		after(async () => {
			await lab?.stop();
			rmSync(scratch, {recursive: true, force: true});
		});
		beforeEach(async () => {
			lab.jellyseerr.resetToFirstRun();
			lab.jellyseerr.clearFaults();
			context = {
				clients: {seerr: new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr}), jellyfin},
				desired: {
					addresses: {'jellyseerr->jellyfin': {host: lab.jellyfin.host, port: lab.jellyfin.port, useSsl: false, urlBase: '', reason: 'both run on this machine'}},
					jellyfinAdmin: {username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password},
					libraries: {tv: lab.paths.tv, movies: lab.paths.movies},
				},
				journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
			};
		});
		afterEach(() => {
			assertNoSpecViolations(...lab.emulators());
		});

		it('signs in on a fresh Jellyseerr, enables both libraries, finishes setup, then plans nothing and writes nothing', async () => {
			const keysBefore = jellyseerrKeys();
			const [plan] = await planLinks(links, context);
			assert.deepEqual(plan?.changes.map(change => `${change.service}: ${change.action} ${change.target}`), ['Jellyseerr: create sign-in to Jellyfin']);
			const shown = describeChange(plan.changes[0]!).join('\n');
			assert.match(shown, /password: \*\*\*\*\*\*\*\*/);
			assert.match(shown, /libraries: \["Shows","Movies"\]/);
			assert.ok(!shown.includes(lab.jellyfinAdmin.password));

			const result = await applyLinks(links, context, yes);
			assert.equal(result.failed, undefined);
			assert.deepEqual(result.findings, []);
			assert.equal(lab.jellyseerr.settings.main.mediaServerType, 2);
			assert.deepEqual(enabled(), ['Movies', 'Shows']);
			assert.equal(lab.jellyseerr.settings.public.initialized, true);
			assert.equal(jellyseerrKeys(), keysBefore + 1, 'one sign-in, one Jellyfin API key for Jellyseerr');
			const journalled = JSON.stringify(context.journal.runs);
			assert.ok(!journalled.includes(lab.jellyfinAdmin.password) && !journalled.includes(lab.jellyseerr.settings.jellyfin.apiKey), 'no secret in the journal');

			const writes = seerrWrites();
			const [again] = await planLinks(links, context);
			assert.deepEqual(again?.changes, []);
			await applyLinks(links, context, yes);
			assert.equal(seerrWrites(), writes, 'a second apply sends no write (nor a library GET)');
		});

		it('a drift (another port stored, the shows library switched off, setup not done) is repaired as updates', async () => {
			await applyLinks(links, context, yes);
			const movies = lab.jellyseerr.settings.jellyfin.libraries.find(library => library.name === 'Movies')!;
			await context.clients.seerr!.jellyfinLibraries({enable: [movies.id]});
			lab.jellyseerr.settings.jellyfin.port = 1;
			lab.jellyseerr.settings.public.initialized = false;
			assert.deepEqual(
				(await jellyseerrJellyfinLink.verify(context)).map(finding => finding.id),
				['link.jellyseerr-jellyfin-address', 'link.jellyseerr-jellyfin-libraries', 'link.jellyseerr-not-initialized'],
			);

			const [plan] = await planLinks(links, context);
			assert.deepEqual(
				plan?.changes.map(change => `${change.action} ${change.target}`),
				['update Jellyfin address', 'update Jellyfin libraries', 'update setup'],
			);
			assert.deepEqual(plan.changes[0]!.fields, [{name: 'port', from: 1, to: lab.jellyfin.port}]);
			assert.deepEqual(plan.changes[1]!.fields, [{name: 'enabled', from: ['Movies'], to: ['Movies', 'Shows']}]);
			assert.deepEqual(plan.changes.map(change => change.handMade), [false, false, false], 'arrwire made the sign-in');
			const result = await applyLinks(links, context, yes);
			assert.equal(result.failed, undefined);
			assert.deepEqual(result.findings, []);
			assert.equal(lab.jellyseerr.settings.jellyfin.port, lab.jellyfin.port);
			assert.deepEqual(enabled(), ['Movies', 'Shows']);

			await undoLastRun(links, context);
			assert.deepEqual(enabled(), ['Movies'], 'undo puts the libraries back as they were');
			// Jellyseerr checks an address before storing it: the old one reached nothing, so the working one stays.
			assert.equal(lab.jellyseerr.settings.jellyfin.port, lab.jellyfin.port);
		});

		it('a library the user enabled in Jellyseerr stays enabled when arrwire enables its own', async () => {
			const other = path.join(lab.paths.media, 'home-movies');
			(await import('node:fs')).mkdirSync(other, {recursive: true});
			await jellyfin.addVirtualFolder({name: 'Kids', collectionType: 'movies', paths: [other]});
			try {
				const seerr = context.clients.seerr!;
				await signIn(seerr);
				const synced = await seerr.jellyfinLibraries({sync: true, enable: []});
				await seerr.jellyfinLibraries({enable: [synced.find(library => library.name === 'Kids')!.id]});
				const [plan] = await planLinks(links, context);
				const libraries = plan!.changes.find(change => change.target === 'Jellyfin libraries')!;
				assert.equal(libraries.handMade, true, 'the sign-in was made by hand');
				assert.match(describeChange(libraries)[0]!, /made by hand/);
				await applyLinks(links, context, yes);
				assert.deepEqual(enabled(), ['Kids', 'Movies', 'Shows']);
			} finally {
				await jellyfin.removeVirtualFolder('Kids');
			}
		});

		it('a sign-in made by hand: nothing signs in again, the libraries and setup are planned as hand-made updates', async () => {
			// Jellyseerr's setup page always sends an email address (src/components/Setup/JellyfinSetup.tsx requires one).
			await context.clients.seerr!.authJellyfin({username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password, hostname: lab.jellyfin.host, port: lab.jellyfin.port, urlBase: '', useSsl: false, serverType: 2, email: 'me@example.org'});
			const keys = jellyseerrKeys();
			const [plan] = await planLinks(links, context);
			assert.deepEqual(plan?.changes.map(change => `${change.action} ${change.target}${change.handMade ? ' (hand-made)' : ''}`), [
				'update Jellyfin libraries (hand-made)',
				'update setup (hand-made)',
			]);
			const declined = await applyLinks(links, context, {confirm: async change => !change.handMade});
			assert.equal(declined.declined.length, 2);
			assert.deepEqual(enabled(), []);
			await applyLinks(links, context, yes);
			assert.deepEqual(enabled(), ['Movies', 'Shows']);
			assert.equal(jellyseerrKeys(), keys, 'no second sign-in');
		});

		// Reads are retried on a reset (not on a 500), so a reset lasts three requests.
		for (const fault of [{status: 500, times: 1}, {reset: true, times: 3}] as const) {
			it(`a failure on the library sync after the sign-in (${Object.keys(fault)[0]}): the sign-in is journalled, and the re-run enables the libraries`, async () => {
				const keys = jellyseerrKeys();
				lab.jellyseerr.inject({method: 'GET', path: '/api/v1/settings/jellyfin/library', ...fault});
				const first = await applyLinks(links, context, yes);
				assert.deepEqual(first.applied.map(change => change.target), ['sign-in to Jellyfin'], 'the sign-in happened, so it is journalled');
				assert.deepEqual(first.findings.map(finding => finding.id), ['link.jellyseerr-jellyfin-libraries', 'link.jellyseerr-not-initialized']);
				assert.equal(lab.jellyseerr.settings.main.mediaServerType, 2);
				// A new client: the re-run must work with the API key alone (it acts as user 1 now).
				const second = await applyLinks(links, {...context, clients: {...context.clients, seerr: new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr})}}, yes);
				assert.equal(second.failed, undefined);
				assert.deepEqual(second.applied.map(change => `${change.target}${change.handMade ? ' (hand-made)' : ''}`), ['Jellyfin libraries', 'setup']);
				assert.deepEqual(enabled(), ['Movies', 'Shows']);
				assert.equal(jellyseerrKeys(), keys + 1, 'exactly one sign-in');
				assert.deepEqual(await jellyseerrJellyfinLink.verify(context), []);
			});
		}

		it('a sign-in that timed out but happened: the re-run finds it is arrwire\'s, journals it, and finishes without asking as for a hand-made one', async () => {
			const keys = jellyseerrKeys();
			const before = writesTo(lab.jellyseerr, 'POST', '/api/v1/auth/jellyfin');
			lab.jellyseerr.inject({method: 'POST', path: '/api/v1/auth/jellyfin', times: 1, delayMs: 1500});
			const impatient = new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr, timeoutMs: 500});
			const first = await applyLinks(links, {...context, clients: {...context.clients, seerr: impatient}}, yes);
			assert.equal(first.failed?.change.target, 'sign-in to Jellyfin');
			await landed(lab.jellyseerr, 'POST', '/api/v1/auth/jellyfin', before);
			const [plan] = await planLinks(links, context);
			assert.deepEqual(plan!.changes.map(change => [describeChange(change)[0], change.handMade]), [['Jellyseerr: create sign-in to Jellyfin', false]]);
			assert.match(plan!.changes[0]!.reason ?? '', /landed after arrwire stopped waiting/);
			// What --yes does: hand-made changes are left alone.
			const second = await applyLinks(links, context, {confirm: async change => !change.handMade});
			assert.equal(second.failed, undefined);
			assert.deepEqual(second.declined, []);
			assert.deepEqual(enabled(), ['Movies', 'Shows']);
			assert.equal(jellyseerrKeys(), keys + 1, 'no second sign-in');
			assert.ok(context.journal.createdByArrwire('Jellyseerr', 'sign-in to Jellyfin'), 'journalled as arrwire\'s');
			assert.deepEqual((await planLinks(links, context))[0]!.changes, []);
		});

		it('a refused password is a failure with the fix, and no secret in it', async () => {
			context.desired.jellyfinAdmin = {username: lab.jellyfinAdmin.name, password: 'not-the-password'};
			const result = await applyLinks(links, context, yes);
			assert.match(result.failed?.error.message ?? '', /Jellyseerr/);
			assert.ok(!String(result.failed?.error.message).includes('not-the-password'));
			assert.equal(lab.jellyseerr.settings.main.mediaServerType, 4);
		});

		it('undo after the first run switches the libraries off again (the sign-in itself cannot be undone)', async () => {
			await applyLinks(links, context, yes);
			const {undone} = await undoLastRun(links, context);
			assert.equal(undone.length, 1);
			assert.deepEqual(enabled(), []);
			assert.equal(lab.jellyseerr.settings.main.mediaServerType, 2);
		});
		// The real route never answers when Jellyfin refuses (server/routes/settings/index.ts): Jellyfin itself is asked
		// about the key first, and the sync that would hang is not asked for.
		it('a Jellyfin key revoked under Jellyseerr: verify names the refused key from Jellyfin\'s answer, the probe does not wait on the sync, and apply signs in again', async () => {
			await applyLinks(links, context, yes);
			const key = lab.jellyseerr.settings.jellyfin.apiKey;
			await jellyfin.deleteApiKey(key);
			const findings = [...(await jellyseerrJellyfinLink.verify(context)), ...(await jellyseerrJellyfinLink.probe!(context))];
			assert.deepEqual(findings.map(finding => finding.id), ['link.jellyseerr-jellyfin-key-refused']);
			assert.match(findings[0]!.cause, /Jellyfin refuses the key Jellyseerr holds/);
			assert.match(findings[0]!.fix, /new sign-in of Jellyseerr to Jellyfin/);
			assert.deepEqual(lab.jellyseerr.unanswered, [], 'nothing was left waiting on Jellyseerr');
			assert.ok(!JSON.stringify(findings).includes(key), 'the key is not shown');

			const plans = await planLinks(links, context);
			assert.deepEqual(plans[0]!.changes.map(change => describeChange(change)[0]), ['Jellyseerr: update sign-in to Jellyfin']);
			const repaired = await applyLinks(links, context, yes);
			assert.equal(repaired.failed, undefined);
			const now = lab.jellyseerr.settings.jellyfin.apiKey;
			assert.equal(lab.jellyfin.apiKeys().find(candidate => candidate.token === now)?.appName, flavor.app, 'a key Jellyfin made for it, named as its own sign-in names it');
			assert.deepEqual(enabled(), ['Movies', 'Shows'], 'the libraries stay enabled');
			assert.deepEqual([...(await jellyseerrJellyfinLink.verify(context)), ...(await jellyseerrJellyfinLink.probe!(context))], []);
		});

		it('a key Jellyfin refuses, given to Jellyseerr: the error says Jellyfin refuses it, not that Jellyseerr refused arrwire', async () => {
			await applyLinks(links, context, yes);
			const seerr = new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr});
			const refused = await seerr.setJellyfinSettings({apiKey: 'not-a-jellyfin-key'}).then(
				() => assert.fail('accepted'),
				(error: Error & {fix: string}) => error,
			);
			assert.doesNotMatch(refused.message, /refused the credentials/);
			assert.match(refused.message, /Jellyfin answered Jellyseerr with HTTP 401/);
			assert.match(refused.fix, /Jellyfin refused the API key given to Jellyseerr/);
			assert.ok(!refused.message.includes('not-a-jellyfin-key'));
		});

		it('the probe changes nothing: Jellyseerr reads Jellyfin\'s users, and its library list stays as it was', async () => {
			await applyLinks(links, context, yes);
			const libraries = JSON.stringify(lab.jellyseerr.settings.jellyfin.libraries);
			const writes = lab.jellyseerr.writes().length;
			const asked = lab.jellyseerr.log.length;
			assert.deepEqual(await jellyseerrJellyfinLink.probe!(context), []);
			assert.equal(JSON.stringify(lab.jellyseerr.settings.jellyfin.libraries), libraries);
			assert.equal(lab.jellyseerr.writes().length, writes);
			const probe = lab.jellyseerr.log.slice(asked);
			assert.ok(probe.some(entry => entry.path === '/api/v1/settings/jellyfin/users'));
			assert.ok(!probe.some(entry => entry.path === '/api/v1/settings/jellyfin/library'), 'no library sync');
		});

		it('a wrong URL base stored in Jellyseerr: Jellyseerr never answers, and the probe says Jellyfin accepts the key but is not found there', async () => {
			await applyLinks(links, context, yes);
			lab.jellyseerr.settings.jellyfin.urlBase = '/jellyfin';
			const impatient = new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr, timeoutMs: 1000});
			const findings = await jellyseerrJellyfinLink.probe!({...context, clients: {...context.clients, seerr: impatient}});
			assert.deepEqual(findings.map(finding => finding.id), ['link.jellyseerr-jellyfin-unreachable']);
			assert.match(findings[0]!.cause, /\/jellyfin/);
		});
	});
}
