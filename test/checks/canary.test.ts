// The canary proof on the wired lab, with no Docker access: arrwire writes a test file where qBittorrent saves
// downloads, asks Sonarr/Radarr and Jellyfin through their own APIs whether they see it, hardlinks it into the
// library, and removes every file whatever happens. Then one fault at a time that only the services themselves can
// tell: a Jellyfin (container) that does not mount the TV library, a remote path mapping that sends Sonarr elsewhere.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {CANARY_PREFIX} from '../../source/checks/canary.js';
import {runChecks} from '../../source/checks/collect.js';
import {runCheck} from '../../source/commands/check.js';
import {runDoctor} from '../../source/commands/doctor.js';
import {selectLinks} from '../../source/links/all.js';
import {applyLinks} from '../../source/links/engine.js';
import {openWiring} from '../../source/links/wiring.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {sleep} from '../../source/lab/emulator.js';
import {capture, writeProfile} from '../helpers.js';

/** Every file of this name pattern anywhere under the folder: the proof must leave none. */
function canariesUnder(folder: string): string[] {
	return readdirSync(folder, {recursive: true, encoding: 'utf8'}).filter(entry => path.basename(entry).startsWith(CANARY_PREFIX));
}

describe('the canary proof on the wired lab', () => {
	let lab: Lab;
	let state: string;

	beforeEach(async () => {
		lab = await startLab();
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-canary-'));
		const wiring = await openWiring(lab.arrwireOptions(state));
		const result = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
		await lab.prowlarr.idle();
	});
	afterEach(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	async function check(canary = true) {
		const {stack} = await openWiring(lab.arrwireOptions(state));
		return runChecks({services: stack.services, clients: stack.clients, canary});
	}

	it('passes: Sonarr and Radarr see the file where they import from, it hardlinks into each library, Jellyfin sees it; nothing is left', async () => {
		const report = await check();
		const proofFindings = report.findings.filter(finding => finding.id.startsWith('canary.'));
		assert.deepEqual(proofFindings, []);
		const canary = report.canary!;
		assert.match(canary.name, /^\.arrwire-canary-[0-9a-f]{16}$/);
		// One file in the downloads (qBittorrent's default save path holds both categories), a link in each library.
		assert.deepEqual(canary.written.map(file => path.dirname(file)).sort(), [lab.paths.movies, lab.paths.torrents, lab.paths.tv].sort());
		assert.deepEqual(canary.left, []);
		const proven = canary.proven.join('\n');
		for (const service of ['Sonarr', 'Radarr']) {
			assert.match(proven, new RegExp(`${service} sees qBittorrent's "(tv|movies)" downloads at ${lab.paths.torrents}, where it imports from`));
		}
		assert.match(proven, new RegExp(`hardlinks into ${lab.paths.tv} \\(link count 2\\)`));
		assert.match(proven, new RegExp(`hardlinks into ${lab.paths.movies} \\(link count [23]\\)`));
		assert.match(proven, new RegExp(`Jellyfin sees Sonarr's root folder \\(${lab.paths.tv} on this machine\\) at ${lab.paths.tv}`));
		assert.match(proven, new RegExp(`Jellyfin sees Radarr's root folder \\(${lab.paths.movies} on this machine\\) at ${lab.paths.movies}`));
		assert.deepEqual(canariesUnder(lab.paths.root), []);
		// The services were asked through their own endpoints, each checked against its OpenAPI file.
		assert.ok(lab.sonarr.log.some(entry => entry.path === '/api/v3/filesystem' && entry.status === 200));
		assert.ok(lab.jellyfin.log.some(entry => entry.path === '/Environment/DirectoryContents' && entry.status === 200));
		for (const emulator of lab.emulators()) {
			assert.deepEqual(emulator.violations, [], emulator.name);
		}
	});

	it('--no-canary: nothing is written and nothing asked', async () => {
		const report = await check(false);
		assert.equal(report.canary, undefined);
		assert.ok(!lab.sonarr.log.some(entry => entry.path === '/api/v3/filesystem'));
	});

	it('a Jellyfin container that mounts the movies but not the TV library: the proof names the folder and the mount to add', async () => {
		// What arrwire cannot know without Docker: Jellyfin's own view of the disk.
		lab.jellyfin.mounts = [{source: lab.paths.movies, destination: lab.paths.movies}];
		const report = await check();
		const notSeen = report.findings.filter(finding => finding.id === 'canary.library-not-seen');
		assert.equal(notSeen.length, 1, JSON.stringify(report.findings, null, 1));
		const [finding] = notSeen;
		assert.equal(finding!.severity, 'error');
		assert.equal(finding!.subject, 'Jellyfin');
		assert.match(finding!.cause, new RegExp(`Jellyfin has no folder ${lab.paths.tv}, where Sonarr's root folder`));
		assert.equal(finding!.fix, `Mount ${lab.paths.tv} into Jellyfin's container (or machine) at ${lab.paths.tv}: compose \`volumes: ["${lab.paths.tv}:${lab.paths.tv}"]\` (docker run -v the same), restart it, and keep ${lab.paths.tv} in a Jellyfin library.`);
		assert.match(report.canary!.proven.join('\n'), /Jellyfin sees Radarr's root folder/);
		assert.deepEqual(canariesUnder(lab.paths.root), []);
	});

	it('a Jellyfin container that mounts the media at /media, its TV library at /media/tv: Jellyfin sees the file in its library, no fault', async () => {
		lab.jellyfin.mounts = [{source: lab.paths.media, destination: '/media'}];
		const jellyfin = (await openWiring(lab.arrwireOptions(state))).stack.clients.jellyfin!;
		await jellyfin.addVirtualFolder({name: 'Shows', collectionType: 'tvshows', paths: ['/media/tv']});
		await jellyfin.addVirtualFolder({name: 'Films', collectionType: 'movies', paths: ['/media/movies']});
		const report = await check();
		assert.deepEqual(report.findings.filter(finding => finding.id.startsWith('canary.')), [], JSON.stringify(report.findings, null, 1));
		assert.match(report.canary!.proven.join('\n'), new RegExp(`Jellyfin sees Sonarr's root folder \\(${lab.paths.tv} on this machine\\) at /media/tv`));
	});

	it('a remote path mapping that sends Sonarr to another folder: the proof finds where Sonarr does see the file and gives the mapping that works', async () => {
		const sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		const qbHost = new URL(lab.qbittorrent.url).hostname;
		await sonarr.addRemotePathMapping({host: qbHost, remotePath: `${lab.paths.torrents}/`, localPath: `${lab.paths.media}/`});
		const report = await check();
		const link = report.findings.filter(finding => finding.subject === 'Sonarr -> qBittorrent' && finding.severity === 'error');
		// The path checks' guess (made without Sonarr's mounts) gives way to what Sonarr itself answered.
		assert.deepEqual(
			link.map(finding => finding.id),
			['canary.download-not-seen'],
			JSON.stringify(link, null, 1),
		);
		const [finding] = link;
		assert.match(finding!.cause, new RegExp(`Sonarr, asked for ${lab.paths.media} \\(its remote path mapping ${lab.paths.torrents}/ -> ${lab.paths.media}/ turns`));
		assert.ok(finding!.evidence?.includes(`Sonarr sees the file at ${lab.paths.torrents}`), JSON.stringify(finding!.evidence));
		assert.equal(
			finding!.fix,
			`Change the remote path mapping in Sonarr → Settings → Download Clients → Remote Path Mappings: host ${qbHost}, remote ${lab.paths.torrents}/, local ${lab.paths.torrents}/ (now ${lab.paths.torrents}/ -> ${lab.paths.media}/).`,
		);
		// Radarr has no mapping: its imports are proven.
		assert.match(report.canary!.proven.join('\n'), /Radarr sees qBittorrent's "movies" downloads/);
		assert.deepEqual(canariesUnder(lab.paths.root), []);
	});

	it('a Sonarr that fails while asked, and a Jellyfin that resets the connection: each is a finding with its fix, the rest is proven, and every file is removed', async () => {
		lab.sonarr.inject({method: 'GET', path: '/api/v3/filesystem', status: 500, body: {message: 'boom'}});
		lab.jellyfin.inject({method: 'GET', path: '/Environment/DirectoryContents', reset: true});
		const report = await check();
		const notAsked = report.findings.filter(finding => finding.id === 'canary.not-asked');
		assert.deepEqual(notAsked.map(finding => finding.subject).sort(), ['Jellyfin', 'Jellyfin', 'Sonarr', 'Sonarr']);
		for (const finding of notAsked) {
			assert.equal(finding.severity, 'warning');
			assert.ok(finding.fix.length > 0);
		}
		assert.match(report.canary!.proven.join('\n'), /Radarr sees qBittorrent's "movies" downloads/);
		assert.ok(report.canary!.written.length >= 3);
		assert.deepEqual(report.canary!.left, []);
		assert.deepEqual(canariesUnder(lab.paths.root), []);
	});

	it('doctor and check say the proof wrote and removed its files; doctor counts a Jellyfin that cannot see the library as a fault', async () => {
		lab.jellyfin.mounts = [{source: lab.paths.movies, destination: lab.paths.movies}];
		const doctorOut = capture();
		const code = await runDoctor({...lab.arrwireOptions(state), json: true, offerRepairs: false}, doctorOut.out);
		assert.equal(code, 1);
		const json = JSON.parse(doctorOut.text()) as {findings: {paths: Array<{id: string; subject: string}>}; canary: {written: string[]; left: string[]; proven: string[]}};
		assert.ok(json.findings.paths.some(finding => finding.id === 'canary.library-not-seen' && finding.subject === 'Jellyfin'), JSON.stringify(json.findings.paths));
		assert.ok(json.canary.written.length >= 3);
		assert.deepEqual(json.canary.left, []);
		const checkOut = capture();
		await runCheck({...lab.arrwireOptions(state)}, checkOut.out);
		assert.match(checkOut.text(), /To prove what each service sees, arrwire wrote \d test file\(s\) named \.arrwire-canary-[0-9a-f]{16} into the stack's folders and removed them all; --no-canary skips this\./);
		assert.match(checkOut.text(), /✔ Sonarr sees qBittorrent's "tv" downloads/);
		assert.match(checkOut.text(), /Jellyfin has no folder/);
		const skipped = capture();
		await runCheck({...lab.arrwireOptions(state), canary: false}, skipped.out);
		assert.doesNotMatch(skipped.text(), /canary/);
		assert.deepEqual(canariesUnder(lab.paths.root), []);
	});

	it('interrupted with Ctrl-C while Sonarr is being asked: arrwire removes its test file, then ends as the signal says', async () => {
		// Sonarr takes its time to answer: the proof is caught half-way, its file on disk.
		lab.sonarr.inject({method: 'GET', path: '/api/v3/filesystem', delayMs: 60_000});
		const home = path.join(state, 'cli-config');
		writeProfile(home, [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
		const child = spawn(process.execPath, [path.resolve('dist/bin/arrwire.js'), 'check', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')], {
			env: {...process.env, XDG_CONFIG_HOME: home},
			stdio: 'ignore',
		});
		const exited = once(child, 'exit');
		const deadline = Date.now() + 60_000;
		while (canariesUnder(lab.paths.root).length === 0) {
			assert.equal(child.exitCode, null, 'arrwire check ended before writing its test file');
			assert.ok(Date.now() < deadline, 'no test file appeared');
			await sleep(20);
		}
		child.kill('SIGINT');
		const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
		assert.equal(signal, 'SIGINT');
		assert.deepEqual(canariesUnder(lab.paths.root), []);
	});
});
