// The whole wizard, real controller, against the lab: discover, type the two logins and the NZBgeek key (several
// keys at once, as a paste or type-ahead sends them), check, plan, apply all, and arrive at the stack map; then the
// services hold the links, and no frame ever showed a secret. Each test starts its own lab.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../source/app/app.js';
import {createController} from '../../source/app/controller.js';
import {ALL_LINKS, selectLinks} from '../../source/links/all.js';
import {applyLinks} from '../../source/links/engine.js';
import {openWiring} from '../../source/links/wiring.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {ProwlarrClient} from '../../source/services/prowlarr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {KEY, send, until, waitForFrame, widest} from './keys.js';

// The lab answers slower on a busy machine: a step that waits on its services waits this long at most.
const LAB_WAIT = 180_000;

async function withLab(run: (lab: Lab, scratch: string) => Promise<void>): Promise<void> {
	const lab = await startLab();
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-wizard-'));
	try {
		await run(lab, scratch);
		assertNoSpecViolations(...lab.emulators());
	} finally {
		await lab.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

/** The wizard pointed at the lab as a user would point it: the address and the config folder, nothing given. */
function wizardOptions(lab: Lab, scratch: string) {
	const {hosts, configFolders, profileFile, journalFile} = lab.arrwireOptions(scratch);
	return {localhost: false, hosts, docker: false as const, nativeConfigFiles: false, configFolders, profileFile, journalFile};
}

const secrets = (lab: Lab) => [lab.qbittorrent.password, lab.jellyfinAdmin.password, lab.keys.nzbgeek, lab.keys.sonarr, lab.keys.radarr, lab.keys.prowlarr, lab.keys.jellyseerr];

describe('the wizard, end to end on the lab', () => {
	it('a fresh stack: the user types two logins and the NZBgeek key in chunks, applies all, and the stack is wired', async () => {
		await withLab(async (lab, scratch) => {
			let exitCode: number | undefined;
			const options = wizardOptions(lab, scratch);
			const {lastFrame, frames, stdin, unmount} = render(<App controller={createController(options)} journalFile={options.journalFile} onExit={code => (exitCode = code)} />);
			try {
				await waitForFrame(lastFrame, /Found 6 of 6 services/, LAB_WAIT);
				send(stdin, KEY.enter);

				// The four API keys come from the services' own files; qBittorrent and Jellyfin need a login.
				await waitForFrame(lastFrame, /4 of 7 credentials accepted\. qBittorrent is next/, LAB_WAIT);
				assert.match(lastFrame()!, /Username: admin/);
				// A quick double Enter keeps the suggested "admin" and tries no login with an empty password.
				send(stdin, '\r\r');
				await waitForFrame(lastFrame, /Password:/);
				assert.match(lastFrame()!, /Username: admin\n/);
				send(stdin, `${lab.qbittorrent.password}\r`);
				await waitForFrame(lastFrame, /Jellyfin is next/, LAB_WAIT);
				assert.match(lastFrame()!, /qBittorrent v?[\d.]+ accepted the login of admin/);
				// Type-ahead: the username, Enter, the password, Enter, all in one chunk.
				send(stdin, `${lab.jellyfinAdmin.name}\r${lab.jellyfinAdmin.password}\r`);
				await waitForFrame(lastFrame, /NZBgeek is next/, LAB_WAIT);
				assert.doesNotMatch(lastFrame()!, /401/);
				send(stdin, `${lab.keys.nzbgeek}\n`);
				await waitForFrame(lastFrame, /7 of 7 credentials accepted/, LAB_WAIT);
				send(stdin, KEY.enter);

				await waitForFrame(lastFrame, /Next: the plan/, LAB_WAIT);
				send(stdin, KEY.enter);
				const plan = await waitForFrame(lastFrame, /apply all kept/, LAB_WAIT);
				assert.match(plan, /Sonarr -> qBittorrent download client/);
				send(stdin, KEY.enter);

				const applied = await waitForFrame(lastFrame, /Next: the stack map/, LAB_WAIT);
				assert.doesNotMatch(applied, /stopped at a failure/);
				send(stdin, KEY.enter);
				const summary = await waitForFrame(lastFrame, /Summary\]/, LAB_WAIT);
				assert.match(summary, /Prowlarr\s+──indexer sync──▶\s+Sonarr\s+◆ changed/);
				assert.match(summary, /Sonarr\s+──downloads \(tv\)──▶\s+qBittorrent\s+◆ changed/);
				assert.match(summary, /NZBgeek\s+──indexer──▶\s+Prowlarr\s+◆ changed/);
				assert.doesNotMatch(summary, /✖ failed [1-9]/);
				send(stdin, KEY.enter);
				await until(() => exitCode !== undefined, () => 'enter did not exit');
				assert.equal(exitCode, 0);

				// The services' final state, read back from them.
				const sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
				assert.ok((await sonarr.downloadClients()).some(client => client.implementation === 'QBittorrent'), 'Sonarr has the qBittorrent download client');
				const prowlarr = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr});
				assert.ok((await prowlarr.indexers()).some(indexer => /nzbgeek/i.test(indexer.name ?? '')), 'Prowlarr has NZBgeek');
				const jellyfin = new JellyfinClient({url: lab.jellyfin.url});
				await jellyfin.authenticateByName(lab.jellyfinAdmin.name, lab.jellyfinAdmin.password);
				const libraries = await jellyfin.virtualFolders();
				assert.deepEqual(libraries.map(library => library.CollectionType).sort(), ['movies', 'tvshows']);

				for (const secret of secrets(lab)) {
					assert.ok(!frames.some(frame => frame.includes(secret)), 'no frame shows a secret');
				}
				assert.ok(widest(frames) <= 80, `every line fits 80 columns (widest: ${widest(frames)})`);
			} finally {
				unmount();
			}
		});
	});

	it('a re-run on a wired stack: the plan says everything is linked, doctor tests every link', async () => {
		await withLab(async (lab, scratch) => {
			// Wired first without the wizard, as `arrwire apply --yes` wires it.
			const pointed = lab.arrwireOptions(scratch);
			const wiring = await openWiring(pointed);
			const wired = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
			assert.equal(wired.failed, undefined, wired.failed?.error.message);

			let exitCode: number | undefined;
			const controller = createController({...wizardOptions(lab, scratch), given: pointed.credentials, nzbgeekApiKey: pointed.nzbgeekApiKey});
			const {lastFrame, frames, stdin, unmount} = render(<App controller={controller} onExit={code => (exitCode = code)} />);
			try {
				await waitForFrame(lastFrame, /Found 6 of 6 services/, LAB_WAIT);
				send(stdin, KEY.enter);
				// Given answers: the user only confirms them (enter for the username, enter for the password).
				await waitForFrame(lastFrame, /qBittorrent is next/, LAB_WAIT);
				assert.match(lastFrame()!, /Given for this run/);
				send(stdin, KEY.enter);
				await waitForFrame(lastFrame, /Password: \*+/);
				send(stdin, KEY.enter);
				await waitForFrame(lastFrame, /Jellyfin is next/, LAB_WAIT);
				send(stdin, KEY.enter);
				await waitForFrame(lastFrame, /Password: \*+/);
				send(stdin, KEY.enter);
				await waitForFrame(lastFrame, /6 of 6 credentials accepted/, LAB_WAIT);
				const writesBefore = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0);
				send(stdin, KEY.enter);
				await waitForFrame(lastFrame, /Next: the plan/, LAB_WAIT);
				send(stdin, KEY.enter);
				const plan = await waitForFrame(lastFrame, /Everything is linked: nothing to change/, LAB_WAIT);
				const linked = /\d+ links: (\d+) linked, 0 to change/.exec(plan)?.[1];
				assert.ok(linked, plan);
				send(stdin, KEY.enter); // Run doctor: arrwire doctor's diagnosis, every link that applies
				const doctor = await waitForFrame(lastFrame, /Doctor tested \d+ link\(s\)/, LAB_WAIT);
				const applicable = ALL_LINKS.filter(link => link.applicable(wiring.context) === true).length;
				assert.match(doctor, new RegExp(`Doctor tested ${applicable} link\\(s\\)`));
				// This lab has NZBgeek and no Usenet client: every link is linked, and doctor's one fault is that no
				// NZBgeek release can be downloaded (for Sonarr and for Radarr).
				assert.match(doctor, /2 error\(s\)/);
				assert.match(doctor, /0 link\(s\) at fault/);
				send(stdin, KEY.enter);
				const summary = await waitForFrame(lastFrame, /Summary\]/, LAB_WAIT);
				assert.match(summary, new RegExp(`● linked ${linked}\\b`));
				send(stdin, KEY.enter);
				await until(() => exitCode !== undefined, () => 'enter did not exit');
				assert.equal(exitCode, 1, 'doctor found a fault, so the wizard exits as doctor does');
				const writesAfter = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0);
				assert.equal(writesAfter, writesBefore, 'a re-run on a wired stack writes nothing');
				for (const secret of secrets(lab)) {
					assert.ok(!frames.some(frame => frame.includes(secret)), 'no frame shows a secret');
				}
			} finally {
				unmount();
			}
		});
	});
});
