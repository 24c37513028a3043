// arrwire doctor on a wired lab, then with one fault at a time (each on a lab of its own): each fault is named with
// its link, its cause, the evidence and the fix, and the repair goes through plan/apply. No secret appears in any
// output, on a stack not wired yet as on a wired one.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {runApply} from '../../source/commands/apply.js';
import {runDoctor} from '../../source/commands/doctor.js';
import {runPlan} from '../../source/commands/plan.js';
import {selectLinks} from '../../source/links/all.js';
import {applyLinks} from '../../source/links/engine.js';
import {openWiring, type WiringOptions} from '../../source/links/wiring.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {randomKey} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {capture} from '../helpers.js';

interface DoctorJson {
	ok: boolean;
	services: Array<{kind: string; state: string}>;
	links: Array<{id: string; state: string; optional: boolean; findings: Array<{id: string; severity: string; cause: string; fix: string; evidence: string[]}>; repairs: Array<{lines: string[]; handMade: boolean}>}>;
	findings: {services: Array<{id: string; subject: string; cause: string; fix: string}>; paths: Array<{id: string; subject: string}>; security: Array<{id: string; subject: string}>};
}

/** Every link of a wired lab, in doctor's order: linked, but the remote path mappings (one /data tree: none needed). */
const WIRED: Record<string, string> = {
	'qbittorrent-password': 'linked',
	'qbittorrent-categories': 'linked',
	'sonarr-root-folder': 'linked',
	'radarr-root-folder': 'linked',
	// Checked even where no mapping is needed: a stale mapping of the user's would send every import elsewhere.
	'sonarr-remote-path-mapping': 'linked',
	'radarr-remote-path-mapping': 'linked',
	'sonarr-download-client': 'linked',
	'radarr-download-client': 'linked',
	// Offered, not promised: without NZBGet they are skipped (the protocol finding says what is missing).
	'nzbget-categories': 'skipped',
	'sonarr-usenet-download-client': 'skipped',
	'radarr-usenet-download-client': 'skipped',
	'sabnzbd-categories': 'skipped',
	'sonarr-sabnzbd-download-client': 'skipped',
	'radarr-sabnzbd-download-client': 'skipped',
	'nzbgeek-indexer': 'linked',
	'prowlarr-sonarr': 'linked',
	'prowlarr-radarr': 'linked',
	'jellyfin-libraries': 'linked',
	'jellyseerr-jellyfin': 'linked',
	'jellyseerr-sonarr': 'linked',
	'jellyseerr-radarr': 'linked',
	'sonarr-jellyfin-refresh': 'linked',
	'radarr-jellyfin-refresh': 'linked',
};
const SERVICES = ['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'jellyfin', 'jellyseerr'];

const states = (json: DoctorJson) => Object.fromEntries(json.links.map(link => [link.id, link.state]));
const serviceStates = (json: DoctorJson) => Object.fromEntries(json.services.map(service => [service.kind, service.state]));
const allOk = Object.fromEntries(SERVICES.map(kind => [kind, 'ok']));
const link = (json: DoctorJson, id: string) => json.links.find(candidate => candidate.id === id)!;
/** Every error finding's id, of the services, the links, the paths and security. */
const errorIds = (json: DoctorJson) =>
	[...json.findings.services, ...json.links.flatMap(candidate => candidate.findings), ...json.findings.paths, ...json.findings.security]
		.filter(finding => (finding as {severity?: string}).severity === 'error')
		.map(finding => finding.id)
		.sort();

async function doctor(options: WiringOptions): Promise<{code: number; json: DoctorJson; text: string}> {
	const {out, text} = capture();
	const code = await runDoctor({...options, json: true, offerRepairs: false}, out);
	return {code, json: JSON.parse(text()) as DoctorJson, text: text()};
}

describe('arrwire doctor on a wired lab', () => {
	let lab: Lab;
	let state: string;
	let options: WiringOptions;

	beforeEach(async () => {
		lab = await startLab();
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-doctor-'));
		options = lab.arrwireOptions(state);
		const wiring = await openWiring(options);
		const result = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
		await lab.prowlarr.idle();
	});
	afterEach(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	it('a wired stack with NZBgeek and only qBittorrent: every link is linked, yet exit 1, since no grab from NZBgeek can download', async () => {
		const {code, json} = await doctor(options);
		assert.deepEqual(states(json), WIRED, JSON.stringify(json.links.filter(candidate => candidate.state !== WIRED[candidate.id])));
		assert.deepEqual(serviceStates(json), allOk);
		// NZBgeek reached Sonarr and Radarr through Prowlarr's sync; neither has a Usenet download client.
		const coverage = json.findings.services.filter(finding => finding.id === 'protocol.no-usenet-client');
		assert.deepEqual(coverage.map(finding => finding.subject).sort(), ['Radarr', 'Sonarr']);
		for (const finding of coverage) {
			assert.match(finding.cause, /^NZBgeek \(Prowlarr\) finds Usenet releases; qBittorrent downloads torrents only: every grab from NZBgeek \(Prowlarr\) fails\.$/);
			assert.match(finding.fix, /NZBGet .*or SABnzbd/);
		}
		const others = [...json.findings.services, ...json.findings.paths, ...json.findings.security].filter(finding => (finding as {severity?: string}).severity === 'error' && !finding.id.startsWith('protocol.'));
		assert.deepEqual(others, [], 'the protocol finding is the only error');
		// No Usenet client was found: said as information (optional ones are not missing services).
		const notFound = json.findings.services.find(finding => finding.id === 'service.not-found');
		assert.equal((notFound as {severity?: string} | undefined)?.severity, 'info', JSON.stringify(json.findings.services));
		assert.match(notFound?.cause ?? '', /No Usenet download client \(NZBGet or SABnzbd\) was found/);
		assert.equal(json.ok, false);
		assert.equal(code, 1);
		// The same finding in plain text, with its fix.
		const text = capture();
		assert.equal(await runDoctor({...options, offerRepairs: false}, text.out), 1);
		assert.match(text.text(), /qBittorrent downloads torrents only: every grab from NZBgeek/);
	});

	it('Sonarr\'s API key was rotated: Prowlarr\'s and Jellyseerr\'s links to it are at fault, with the repair', async () => {
		const newKey = randomKey();
		lab.sonarr.rotateApiKey(newKey);
		const {code, json, text} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(states(json), {...WIRED, 'prowlarr-sonarr': 'fault', 'jellyseerr-sonarr': 'fault'});
		const prowlarr = link(json, 'prowlarr-sonarr');
		assert.match(JSON.stringify(prowlarr.findings), /API Key is invalid/);
		assert.ok(prowlarr.repairs.some(repair => repair.lines.includes('    apiKey: ******** -> ********')), JSON.stringify(prowlarr.repairs));
		assert.ok(!text.includes(newKey), 'the new key is not shown');
	});

	it('Radarr is down: named as down (it was linked before), and its links are not checked', async () => {
		await lab.radarr.stop();
		const {code, json} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(serviceStates(json), {...allOk, radarr: 'fault'});
		const radarr = json.findings.services.filter(finding => finding.subject === 'Radarr');
		assert.deepEqual(radarr.map(finding => finding.cause), ['Radarr does not answer, though arrwire linked it before.']);
		assert.deepEqual(states(json), {
			...WIRED,
			'radarr-root-folder': 'skipped',
			'radarr-remote-path-mapping': 'skipped',
			'radarr-download-client': 'skipped',
			'prowlarr-radarr': 'skipped',
			'jellyseerr-radarr': 'skipped',
			'radarr-jellyfin-refresh': 'skipped',
		});
	});

	it('qBittorrent "moved" in Sonarr\'s download client: the link names Sonarr\'s own test failure and plans the port back', async () => {
		// Sonarr would refuse this change through its API (its test fails): it is what qBittorrent moving away looks like.
		const stored = lab.sonarr.providers.get('downloadclient')![0]!;
		stored.fields.find(field => field.name === 'port')!.value = 1;
		const {code, json} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(states(json), {...WIRED, 'sonarr-download-client': 'fault'});
		const diagnosis = link(json, 'sonarr-download-client');
		assert.match(JSON.stringify(diagnosis.findings), /Unable to connect to qBittorrent/);
		assert.equal(diagnosis.repairs.length, 1);
		assert.ok(diagnosis.repairs[0]!.lines.includes(`    port: 1 -> ${lab.qbittorrent.port}`), JSON.stringify(diagnosis.repairs));
		// The repair goes through apply like any change: arrwire made this client, so --yes is enough.
		const applied = capture();
		assert.equal(await runApply({...options, yes: true, only: ['sonarr-download-client']}, applied.out), 0, applied.text());
		assert.match(applied.text(), /^1 change\(s\) made, 0 left alone\./m);
		const after = await doctor(options);
		assert.deepEqual(states(after.json), WIRED);
		// What is left is the lab's one known fault: NZBgeek with no Usenet client.
		assert.deepEqual(errorIds(after.json), ['protocol.no-usenet-client', 'protocol.no-usenet-client']);
		assert.equal(after.code, 1);
	});

	it('Jellyseerr cannot reach Jellyfin: its own call fails, and doctor names the address it tried and plans it back', async () => {
		(lab.jellyseerr.settings.jellyfin as {port: number}).port = 1;
		const {code, json} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(states(json), {...WIRED, 'jellyseerr-jellyfin': 'fault'});
		const diagnosis = link(json, 'jellyseerr-jellyfin');
		const unreachable = diagnosis.findings.find(finding => finding.id === 'link.jellyseerr-jellyfin-unreachable');
		assert.ok(unreachable, JSON.stringify(diagnosis.findings));
		assert.match(unreachable.cause, /:1\b/);
		assert.deepEqual(diagnosis.repairs.map(repair => repair.lines.slice(0, 2)), [['Jellyseerr: update Jellyfin address', `    port: 1 -> ${lab.jellyfin.port}`]]);
	});

	it('Jellyfin is down: named as not answering, and the links to it are not checked', async () => {
		await lab.jellyfin.stop();
		const {code, json} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(serviceStates(json), {...allOk, jellyfin: 'fault'});
		assert.ok(json.findings.services.some(finding => finding.subject === 'Jellyfin' && /does not answer/.test(finding.cause)), JSON.stringify(json.findings.services));
		assert.deepEqual(states(json), {...WIRED, 'jellyfin-libraries': 'skipped', 'jellyseerr-jellyfin': 'skipped', 'sonarr-jellyfin-refresh': 'skipped', 'radarr-jellyfin-refresh': 'skipped'});
	});

	it('a missing qBittorrent category: the categories link plans it back, and apply makes it', async () => {
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		await qb.removeCategories(['movies']);
		const {json} = await doctor(options);
		const diagnosis = link(json, 'qbittorrent-categories');
		// Radarr's own test of its qBittorrent client would create the category: doctor does not run it, and says so.
		assert.deepEqual(states(json), {...WIRED, 'qbittorrent-categories': 'fault', 'radarr-download-client': 'drift'});
		assert.match(link(json, 'radarr-download-client').findings[0]?.cause ?? '', /was not run: qBittorrent has no category "movies"/);
		assert.deepEqual(Object.keys(await qb.categories()), ['tv'], 'doctor changed nothing in qBittorrent');
		assert.deepEqual(diagnosis.repairs.map(repair => repair.lines[0]), ['qBittorrent: create category "movies"']);
		const applied = capture();
		assert.equal(await runApply({...options, yes: true, only: ['qbittorrent-categories']}, applied.out), 0, applied.text());
		assert.deepEqual(Object.keys(await qb.categories()).sort(), ['movies', 'tv']);
		assert.equal(link((await doctor(options)).json, 'qbittorrent-categories').state, 'linked');
	});

	it('a root folder gone from disk: a path finding and the root-folder link both say so', async () => {
		rmSync(lab.paths.movies, {recursive: true});
		const {code, json} = await doctor(options);
		assert.equal(code, 1);
		assert.ok(json.findings.paths.some(finding => finding.id === 'paths.missing-directory'), JSON.stringify(json.findings.paths));
		assert.deepEqual(states(json), {...WIRED, 'radarr-root-folder': 'fault'});
	});

	it('qBittorrent still on the old default password: a security finding, and the repair sets a strong one everywhere', async () => {
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		await qb.setPreferences({web_ui_password: 'adminadmin'});
		const weak = {...options, credentials: {...lab.arrwireOptions(state).credentials, qbittorrent: {username: 'admin', password: 'adminadmin'}}};
		const {json} = await doctor(weak);
		const finding = json.findings.security.find(candidate => candidate.id === 'security.qbittorrent-default-password');
		assert.ok(finding, JSON.stringify(json.findings.security));
		assert.equal(link(json, 'qbittorrent-password').repairs.length, 1, 'the repair is offered');
		// Through apply, on request: qBittorrent gets a new password, and so do Sonarr and Radarr in the same run.
		const applied = capture();
		const code = await runApply({...weak, yes: true, only: ['qbittorrent-password', 'sonarr-download-client', 'radarr-download-client']}, applied.out);
		assert.equal(code, 0, applied.text());
		assert.match(applied.text(), /^3 change\(s\) made, 0 left alone\./m);
		assert.match(applied.text(), /The new qBittorrent password is kept in .*profile\.json/);
		const profile = JSON.parse(readFileSync(options.profileFile!, 'utf8')) as {services: Array<{kind: string; secret?: string}>};
		const newPassword = profile.services.find(service => service.kind === 'qbittorrent')!.secret!;
		assert.equal(newPassword.length, 24);
		assert.ok(!applied.text().includes(newPassword), 'the new password is not shown');
		await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: newPassword}).login();
		// Their old qBittorrent sessions end with a restart; their own tests pass with the new password.
		await lab.sonarr.restart();
		await lab.radarr.restart();
		const after = await doctor({...options, credentials: {...lab.arrwireOptions(state).credentials, qbittorrent: {username: 'admin', password: newPassword}}});
		assert.deepEqual(states(after.json), WIRED);
		assert.equal(after.json.findings.security.find(candidate => candidate.id === 'security.qbittorrent-default-password'), undefined);
	});
});

describe('arrwire doctor, plan and apply on a lab not wired yet', () => {
	let lab: Lab;
	let state: string;
	beforeEach(async () => {
		lab = await startLab();
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-doctor-'));
	});
	afterEach(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	it('no secret appears in any output of doctor, plan or apply (text and --json), and the repairs show secrets masked', async () => {
		const options = lab.arrwireOptions(state);
		const before = await doctor(options);
		assert.equal(before.code, 1);
		const secretLines = before.json.links.flatMap(candidate => candidate.repairs.flatMap(repair => repair.lines.filter(line => /^ {4}(password|apiKey): /.test(line))));
		assert.deepEqual([...new Set(secretLines)].sort(), ['    apiKey: ********', '    apiKey: "a new Jellyfin API key \\"arrwire\\""', '    password: ********'].sort());
		const text = capture();
		await runDoctor({...options, offerRepairs: false}, text.out);
		const plan = capture();
		await runPlan({...options}, plan.out);
		const planJson = capture();
		await runPlan({...options, json: true}, planJson.out);
		const apply = capture();
		assert.equal(await runApply({...options, yes: true}, apply.out), 0, apply.text());
		await lab.prowlarr.idle();
		const after = await doctor(options);
		assert.deepEqual(states(after.json), WIRED);
		const everything = [before.text, text.text(), plan.text(), planJson.text(), apply.text(), after.text].join('\n');
		assert.match(text.text(), /NZBgeek/);
		assert.match(apply.text(), /password: \*{8}/);
		// Jellyfin's keys and session tokens too, among them Jellyseerr's and the live admin token its first sign-in returns.
		const jellyfinSecrets = [...lab.jellyseerr.jellyfinSecrets, ...lab.jellyfin.apiKeys().map(key => key.token), ...lab.jellyfin.sessionTokens().map(session => session.token)];
		assert.ok(lab.jellyseerr.jellyfinSecrets.size > 0, 'Jellyseerr was signed in to Jellyfin');
		for (const secret of [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password, ...jellyfinSecrets]) {
			assert.ok(!everything.includes(secret), 'a secret leaked into the output');
		}
	});
});
