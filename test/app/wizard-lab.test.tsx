// The whole wizard, real controller, against the lab: discover, type the two passwords and the NZBgeek key, check,
// plan, apply all, and arrive at the stack map; then the services hold the links, and no frame ever showed a secret.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../source/app/app.js';
import {createController} from '../../source/app/controller.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {ProwlarrClient} from '../../source/services/prowlarr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {assertNoSpecViolations} from '../lab/harness.js';
import {startLab, type Lab} from '../lab/lab.js';
import {KEY, press, type, waitForFrame, widest} from './keys.js';

describe('the wizard, end to end on the lab', () => {
	let lab: Lab;
	let scratch: string;

	before(async () => {
		lab = await startLab();
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-wizard-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	const options = () => ({
		localhost: false,
		hosts: [lab.host],
		docker: false as const,
		nativeConfigFiles: false,
		configFolders: [path.join(lab.paths.root, 'config')],
		profileFile: path.join(scratch, 'profile.json'),
		journalFile: path.join(scratch, 'journal.json'),
	});

	const secrets = () => [lab.qbittorrent.password, lab.jellyfinAdmin.password, lab.keys.nzbgeek, lab.keys.sonarr, lab.keys.radarr, lab.keys.prowlarr, lab.keys.jellyseerr];

	it('a fresh stack: the user types two passwords and the NZBgeek key, applies all, and the stack is wired', async () => {
		let exitCode: number | undefined;
		const {lastFrame, frames, stdin, unmount} = render(<App controller={createController(options())} journalFile={options().journalFile} onExit={code => (exitCode = code)} />);
		try {
			await waitForFrame(lastFrame, /Found 6 of 6 services/, 30_000);
			await press(stdin, KEY.enter);

			// The four API keys come from the services' own files; qBittorrent and Jellyfin need a login.
			await waitForFrame(lastFrame, /4 of 7 credentials accepted\. qBittorrent is next/);
			assert.match(lastFrame()!, /Username: /);
			await press(stdin, KEY.enter); // keeps the suggested username "admin"
			await waitForFrame(lastFrame, /Password:/);
			await type(stdin, lab.qbittorrent.password);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /Jellyfin is next/);
			assert.match(lastFrame()!, /qBittorrent v?[\d.]+ accepted the login of admin/);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /Password:/);
			await type(stdin, lab.jellyfinAdmin.password);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /NZBgeek is next/);
			await type(stdin, lab.keys.nzbgeek);
			await waitForFrame(lastFrame, /API key: \*{8}/);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /7 of 7 credentials accepted/);
			await press(stdin, KEY.enter);

			await waitForFrame(lastFrame, /Next: the plan/, 30_000);
			await press(stdin, KEY.enter);
			const plan = await waitForFrame(lastFrame, /apply all kept/, 30_000);
			assert.match(plan, /Sonarr -> qBittorrent download client/);
			await press(stdin, KEY.enter);

			const applied = await waitForFrame(lastFrame, /Next: the stack map/, 60_000);
			assert.doesNotMatch(applied, /stopped at a failure/);
			await press(stdin, KEY.enter);
			const summary = await waitForFrame(lastFrame, /Summary\]/);
			assert.match(summary, /Prowlarr\s+──indexer sync──▶\s+Sonarr\s+◆ changed/);
			assert.match(summary, /Sonarr\s+──downloads \(tv\)──▶\s+qBittorrent\s+◆ changed/);
			assert.match(summary, /NZBgeek\s+──indexer──▶\s+Prowlarr\s+◆ changed/);
			assert.doesNotMatch(summary, /✖ failed [1-9]/);
			await press(stdin, KEY.enter);
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

			for (const secret of secrets()) {
				assert.ok(!frames.some(frame => frame.includes(secret)), 'no frame shows a secret');
			}
			assert.ok(widest(frames) <= 80, `every line fits 80 columns (widest: ${widest(frames)})`);
		} finally {
			unmount();
		}
	});

	it('a re-run on the wired stack: the plan says everything is linked, doctor tests every link', async () => {
		let exitCode: number | undefined;
		const given = {qbittorrent: {username: lab.qbittorrent.username, password: lab.qbittorrent.password}, jellyfin: {username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password}};
		const controller = createController({...options(), given, nzbgeekApiKey: lab.keys.nzbgeek});
		const {lastFrame, frames, stdin, unmount} = render(<App controller={controller} onExit={code => (exitCode = code)} />);
		try {
			await waitForFrame(lastFrame, /Found 6 of 6 services/, 30_000);
			await press(stdin, KEY.enter);
			// Given answers: the user only confirms them.
			await waitForFrame(lastFrame, /qBittorrent is next/);
			assert.match(lastFrame()!, /Given for this run/);
			await press(stdin, KEY.enter, KEY.enter);
			await waitForFrame(lastFrame, /Jellyfin is next/);
			await press(stdin, KEY.enter, KEY.enter);
			await waitForFrame(lastFrame, /6 of 6 credentials accepted/);
			const writesBefore = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /Next: the plan/, 30_000);
			await press(stdin, KEY.enter);
			await waitForFrame(lastFrame, /Everything is linked: nothing to change/, 30_000);
			await press(stdin, KEY.enter); // Run doctor
			const doctor = await waitForFrame(lastFrame, /Doctor tested \d+ link\(s\)/, 60_000);
			assert.match(doctor, /Doctor tested 1[46] link\(s\)/);
			await press(stdin, KEY.enter);
			const summary = await waitForFrame(lastFrame, /Summary\]/);
			assert.match(summary, /● linked 1[46]/);
			await press(stdin, KEY.enter);
			assert.equal(exitCode, 0);
			const writesAfter = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0);
			assert.equal(writesAfter, writesBefore, 'a re-run on a wired stack writes nothing');
			for (const secret of secrets()) {
				assert.ok(!frames.some(frame => frame.includes(secret)), 'no frame shows a secret');
			}
		} finally {
			unmount();
		}
	});
});
