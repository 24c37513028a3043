// arrwire doctor on a wired lab, then with one fault at a time: each fault is named with its link, its cause, the
// evidence and the fix, and the repair goes through plan/apply. No secret appears in any output.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runApply} from '../../source/commands/apply.js';
import {runDoctor} from '../../source/commands/doctor.js';
import {runPlan} from '../../source/commands/plan.js';
import {selectLinks} from '../../source/links/all.js';
import {applyLinks} from '../../source/links/engine.js';
import {openWiring, type WiringOptions} from '../../source/links/wiring.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {randomKey} from '../lab/harness.js';
import {startLab, type Lab} from '../lab/lab.js';
import {capture} from '../helpers.js';

interface DoctorJson {
	ok: boolean;
	services: Array<{kind: string; state: string}>;
	links: Array<{id: string; state: string; optional: boolean; findings: Array<{id: string; severity: string; cause: string; fix: string; evidence: string[]}>; repairs: Array<{lines: string[]}>}>;
	findings: {services: Array<{id: string; subject: string; cause: string; fix: string}>; paths: Array<{id: string; subject: string}>; security: Array<{id: string; subject: string}>};
}

describe('arrwire doctor', () => {
	let lab: Lab;
	let state: string;
	let options: WiringOptions;
	const outputs: string[] = [];

	async function doctor(): Promise<{code: number; json: DoctorJson}> {
		const {out, text} = capture();
		const code = await runDoctor({...options, json: true, offerRepairs: false}, out);
		outputs.push(text());
		return {code, json: JSON.parse(text()) as DoctorJson};
	}
	const link = (json: DoctorJson, id: string) => json.links.find(candidate => candidate.id === id)!;

	before(async () => {
		lab = await startLab();
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-doctor-'));
		options = lab.arrwireOptions(state);
		const wiring = await openWiring(options);
		const result = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
		await lab.prowlarr.idle();
	});
	after(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	it('a wired stack with NZBgeek and only qBittorrent: every link is linked, yet exit 1, since no grab from NZBgeek can download', async () => {
		const {code, json} = await doctor();
		// The NZBGet links are offered, not promised: without NZBGet they are skipped.
		const notLinked = json.links
			.filter(candidate => candidate.state !== 'linked' && !candidate.id.endsWith('remote-path-mapping') && !(candidate.optional && candidate.state === 'skipped'))
			.map(candidate => `${candidate.id}: ${candidate.state} ${JSON.stringify(candidate.findings)}`);
		assert.deepEqual(notLinked, []);
		assert.ok(json.services.every(service => service.state === 'ok'));
		// NZBgeek reached Sonarr and Radarr through Prowlarr's sync; neither has a Usenet download client.
		const coverage = json.findings.services.filter(finding => finding.id === 'protocol.no-usenet-client');
		assert.deepEqual(coverage.map(finding => finding.subject).sort(), ['Radarr', 'Sonarr']);
		for (const finding of coverage) {
			assert.match(finding.cause, /^NZBgeek \(Prowlarr\) finds Usenet releases; qBittorrent downloads torrents only: every grab from NZBgeek \(Prowlarr\) fails\.$/);
			assert.match(finding.fix, /NZBGet .*or SABnzbd/);
		}
		const others = [...json.findings.services, ...json.findings.paths, ...json.findings.security].filter(finding => (finding as {severity?: string}).severity === 'error' && !finding.id.startsWith('protocol.'));
		assert.deepEqual(others, [], 'the protocol finding is the only error');
		assert.equal(json.ok, false);
		assert.equal(code, 1);
		// The same finding in plain text, with its fix.
		const text = capture();
		assert.equal(await runDoctor({...options, offerRepairs: false}, text.out), 1);
		assert.match(text.text(), /qBittorrent downloads torrents only: every grab from NZBgeek/);
	});

	it('Sonarr\'s API key was rotated: Prowlarr\'s and Jellyseerr\'s links to it are at fault, with the repair', async () => {
		const oldKey = lab.keys.sonarr;
		const newKey = randomKey();
		lab.sonarr.rotateApiKey(newKey);
		try {
			const {code, json} = await doctor();
			assert.equal(code, 1);
			const prowlarr = link(json, 'prowlarr-sonarr');
			assert.equal(prowlarr.state, 'fault');
			assert.match(JSON.stringify(prowlarr.findings), /API Key is invalid/);
			assert.ok(prowlarr.repairs.some(repair => repair.lines.some(line => /apiKey/.test(line))), JSON.stringify(prowlarr.repairs));
			assert.notEqual(link(json, 'jellyseerr-sonarr').state, 'linked');
		} finally {
			lab.sonarr.rotateApiKey(oldKey);
		}
	});

	it('Radarr is down: named as unreachable with the address, and its links cannot be linked', async () => {
		await lab.radarr.stop();
		try {
			const {code, json} = await doctor();
			assert.equal(code, 1);
			const radarr = json.services.find(service => service.kind === 'radarr');
			assert.notEqual(radarr?.state, 'ok');
			assert.ok(json.findings.services.some(finding => finding.subject === 'Radarr'), JSON.stringify(json.findings.services));
			assert.notEqual(link(json, 'radarr-download-client').state, 'linked');
		} finally {
			await lab.radarr.start();
		}
	});

	it('qBittorrent "moved" in Sonarr\'s download client: the link names Sonarr\'s own test failure and plans the port back', async () => {
		// Sonarr would refuse this change through its API (its test fails): it is what qBittorrent moving away looks like.
		const stored = lab.sonarr.providers.get('downloadclient')![0]!;
		stored.fields.find(field => field.name === 'port')!.value = 1;
		const {code, json} = await doctor();
		assert.equal(code, 1);
		const diagnosis = link(json, 'sonarr-download-client');
		assert.equal(diagnosis.state, 'fault');
		assert.match(JSON.stringify(diagnosis.findings), /Unable to connect to qBittorrent/);
		assert.ok(diagnosis.repairs[0]?.lines.some(line => line.includes(`port: 1 -> ${lab.qbittorrent.port}`)), JSON.stringify(diagnosis.repairs));
		// The repair goes through apply like any change.
		const {out} = capture();
		assert.equal(await runApply({...options, yes: true, only: ['sonarr-download-client']}, out), 0);
		assert.equal(link((await doctor()).json, 'sonarr-download-client').state, 'linked');
	});

	it('Jellyseerr cannot reach Jellyfin: its own call fails, and doctor names the address it tried and plans it back', async () => {
		const stored = lab.jellyseerr.settings.jellyfin as {port: number};
		const port = stored.port;
		stored.port = 1;
		try {
			const {code, json} = await doctor();
			assert.equal(code, 1);
			const diagnosis = link(json, 'jellyseerr-jellyfin');
			assert.equal(diagnosis.state, 'fault');
			const unreachable = diagnosis.findings.find(finding => finding.id === 'link.jellyseerr-jellyfin-unreachable');
			assert.ok(unreachable, JSON.stringify(diagnosis.findings));
			assert.match(unreachable.cause, /:1\b/);
			assert.ok(diagnosis.repairs.length > 0, 'the address is planned back');
		} finally {
			stored.port = port;
		}
	});

	it('Jellyfin is down: named as down (it was linked before), and the links to it are not linked', async () => {
		await lab.jellyfin.stop();
		try {
			const {code, json} = await doctor();
			assert.equal(code, 1);
			assert.ok(json.findings.services.some(finding => finding.subject === 'Jellyfin' && /does not answer/.test(finding.cause)), JSON.stringify(json.findings.services));
			assert.notEqual(link(json, 'jellyseerr-jellyfin').state, 'linked');
		} finally {
			await lab.jellyfin.start();
		}
	});

	it('a missing qBittorrent category: the categories link plans it back', async () => {
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		await qb.removeCategories(['movies']);
		const {json} = await doctor();
		const diagnosis = link(json, 'qbittorrent-categories');
		assert.notEqual(diagnosis.state, 'linked');
		assert.ok(diagnosis.repairs.length > 0);
		const {out} = capture();
		await runApply({...options, yes: true, only: ['qbittorrent-categories']}, out);
	});

	it('a root folder gone from disk: a path finding and the root-folder link both say so', async () => {
		rmSync(lab.paths.movies, {recursive: true});
		try {
			const {code, json} = await doctor();
			assert.equal(code, 1);
			assert.ok(json.findings.paths.some(finding => finding.id === 'paths.missing-directory'), JSON.stringify(json.findings.paths));
			assert.equal(link(json, 'radarr-root-folder').state, 'fault');
		} finally {
			mkdirSync(lab.paths.movies, {recursive: true});
		}
	});

	it('qBittorrent still on the old default password: a security finding, and the repair sets a strong one everywhere', async () => {
		const qb = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		await qb.setPreferences({web_ui_password: 'adminadmin'});
		const saved = options.credentials;
		options.credentials = {...saved, qbittorrent: {username: 'admin', password: 'adminadmin'}};
		try {
			const {json} = await doctor();
			const finding = json.findings.security.find(candidate => candidate.id === 'security.qbittorrent-default-password');
			assert.ok(finding, JSON.stringify(json.findings.security));
			assert.equal(link(json, 'qbittorrent-password').repairs.length, 1, 'the repair is offered');
			// Through apply, on request: qBittorrent gets a new password, and so do Sonarr and Radarr in the same run.
			const applied = capture();
			const code = await runApply({...options, yes: true, only: ['qbittorrent-password', 'sonarr-download-client', 'radarr-download-client']}, applied.out);
			assert.equal(code, 0, applied.text());
			assert.match(applied.text(), /The new qBittorrent password is kept in .*profile\.json/);
			const profile = JSON.parse(readFileSync(options.profileFile!, 'utf8')) as {services: Array<{kind: string; secret?: string}>};
			const newPassword = profile.services.find(service => service.kind === 'qbittorrent')!.secret!;
			assert.equal(newPassword.length, 24);
			assert.ok(!applied.text().includes(newPassword), 'the new password is not shown');
			await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: newPassword}).login();
			// Their old qBittorrent sessions end with a restart; their own tests pass with the new password.
			await lab.sonarr.restart();
			await lab.radarr.restart();
			options.credentials = {...saved, qbittorrent: {username: 'admin', password: newPassword}};
			const after = await doctor();
			assert.equal(link(after.json, 'sonarr-download-client').state, 'linked');
			assert.equal(link(after.json, 'radarr-download-client').state, 'linked');
			await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: newPassword}).setPreferences({web_ui_password: lab.qbittorrent.password});
			options.credentials = saved;
			await runApply({...options, yes: true, only: ['sonarr-download-client', 'radarr-download-client']}, capture().out);
		} finally {
			options.credentials = saved;
		}
	});

	it('no secret appears in any output of doctor, plan or apply (text and --json)', async () => {
		const text = capture();
		await runDoctor({...options, offerRepairs: false}, text.out);
		const plan = capture();
		await runPlan({...options}, plan.out);
		const planJson = capture();
		await runPlan({...options, json: true}, planJson.out);
		const apply = capture();
		await runApply({...options, yes: true}, apply.out);
		const everything = [...outputs, text.text(), plan.text(), planJson.text(), apply.text()].join('\n');
		assert.match(text.text(), /NZBgeek/);
		for (const secret of [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password]) {
			assert.ok(!everything.includes(secret), 'a secret leaked into the output');
		}
	});
});
