// The issue end to end, on a lab with NZBgeek, qBittorrent and the real NZBGet: before, doctor names the missing
// Usenet client and where NZBGet was found; apply --yes adds NZBGet's categories and the Sonarr/Radarr NZBGet
// clients (each saved only after the service's own test called the real NZBGet); doctor is then clean; a second
// apply changes nothing; undo removes what was added. No secret appears in any output.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runApply} from '../../source/commands/apply.js';
import {runDoctor} from '../../source/commands/doctor.js';
import {runPlan} from '../../source/commands/plan.js';
import {runUndo} from '../../source/commands/undo.js';
import type {WiringOptions} from '../../source/links/wiring.js';
import {NzbgetClient} from '../../source/services/nzbget.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {capture} from '../helpers.js';

interface DoctorJson {
	ok: boolean;
	services: Array<{kind: string; state: string}>;
	links: Array<{id: string; state: string; findings: unknown[]}>;
	findings: {services: Array<{id: string; subject: string; cause: string; fix: string; severity: string}>; paths: Array<{severity: string}>; security: Array<{severity: string}>};
}

describe('NZBgeek needs a Usenet client: NZBGet wired by apply, checked by doctor, removed by undo', () => {
	let lab: Lab;
	let state: string;
	let options: WiringOptions;
	const outputs: string[] = [];
	const secrets = () => [lab.nzbget!.password, lab.qbittorrent.password, ...Object.values(lab.keys)];

	async function doctor(): Promise<{code: number; json: DoctorJson}> {
		const {out, text} = capture();
		const code = await runDoctor({...options, json: true, offerRepairs: false}, out);
		outputs.push(text());
		return {code, json: JSON.parse(text()) as DoctorJson};
	}
	async function apply(): Promise<{code: number; text: string}> {
		const {out, text} = capture();
		const code = await runApply({...options, yes: true}, out);
		outputs.push(text());
		return {code, text: text()};
	}
	const nzbgetClients = async (kind: 'sonarr' | 'radarr') =>
		(await new ServarrClient({kind, url: lab[kind].url, apiKey: lab.keys[kind]}).downloadClients()).filter(client => client.implementation === 'Nzbget');
	const nzbget = () => new NzbgetClient({url: lab.nzbget!.url, username: lab.nzbget!.username, password: lab.nzbget!.password});

	before(async () => {
		lab = await startLab({nzbget: true});
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-usenet-'));
		options = lab.arrwireOptions(state);
		// The stack as it is wired today: NZBgeek in Prowlarr (synced to Sonarr and Radarr) and qBittorrent only.
		const {code, text} = await (async () => {
			const {out, text} = capture();
			const code = await runApply({...options, yes: true, only: ['qbittorrent-categories', 'sonarr-download-client', 'radarr-download-client', 'nzbgeek-indexer', 'prowlarr-sonarr', 'prowlarr-radarr']}, out);
			return {code, text: text()};
		})();
		assert.equal(code, 0, text);
		await lab.prowlarr.idle();
	});
	after(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	it('before: doctor exits 1 with the protocol finding for Sonarr and Radarr, naming the NZBGet it found', async () => {
		const {code, json} = await doctor();
		assert.equal(code, 1);
		const coverage = json.findings.services.filter(finding => finding.id === 'protocol.no-usenet-client');
		assert.deepEqual(coverage.map(finding => finding.subject).sort(), ['Radarr', 'Sonarr']);
		for (const finding of coverage) {
			assert.match(finding.cause, /NZBgeek \(Prowlarr\) finds Usenet releases; qBittorrent downloads torrents only: every grab from NZBgeek \(Prowlarr\) fails/);
			assert.match(finding.fix, new RegExp(`NZBGet \\(found at ${lab.nzbget!.url.replace(/\./g, '\\.')}\\)`));
		}
	});

	it('apply --yes adds the categories and both NZBGet clients; doctor is then clean', async () => {
		const {code, text} = await apply();
		assert.equal(code, 0, text);
		assert.deepEqual((await nzbget().categories()).map(category => category.name).sort(), ['movies', 'tv']);
		const [sonarr] = await nzbgetClients('sonarr');
		const [radarr] = await nzbgetClients('radarr');
		assert.equal(sonarr?.protocol, 'usenet');
		assert.equal(sonarr?.fields.find(field => field.name === 'tvCategory')?.value, 'tv');
		assert.equal(radarr?.fields.find(field => field.name === 'movieCategory')?.value, 'movies');
		const {code: doctorCode, json} = await doctor();
		const errors = [...json.findings.services, ...json.findings.paths, ...json.findings.security].filter(finding => finding.severity === 'error');
		assert.deepEqual(errors, []);
		for (const id of ['nzbget-categories', 'sonarr-usenet-download-client', 'radarr-usenet-download-client']) {
			assert.equal(json.links.find(link => link.id === id)?.state, 'linked', id);
		}
		assert.equal(json.ok, true, JSON.stringify(json.findings));
		// The Usenet client found is one of doctor's services, its login checked.
		assert.equal(json.services.find(service => service.kind === 'nzbget')?.state, 'ok', JSON.stringify(json.services));
		assert.equal(doctorCode, 0);
	});

	it('a second apply changes nothing, and plan says so', async () => {
		const {out, text} = capture();
		const code = await runPlan({...options}, out);
		outputs.push(text());
		assert.equal(code, 0, text());
		assert.match(text(), /Everything is linked: apply would change nothing/);
		const writes = lab.sonarr.writes().length + lab.radarr.writes().length;
		const again = await apply();
		assert.equal(again.code, 0, again.text);
		assert.equal(lab.sonarr.writes().length + lab.radarr.writes().length, writes);
	});

	it('a wrong NZBGet password in Sonarr: the link is at fault and apply repairs it', async () => {
		const servarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		const [client] = await nzbgetClients('sonarr');
		await servarr.update('downloadclient', {...client!, enable: false, fields: client!.fields.map(field => (field.name === 'password' ? {...field, value: 'not-the-password'} : field))});
		const {code, json} = await doctor();
		assert.equal(code, 1);
		assert.notEqual(json.links.find(link => link.id === 'sonarr-usenet-download-client')?.state, 'linked');
		const repaired = await apply();
		assert.equal(repaired.code, 0, repaired.text);
		assert.equal((await doctor()).json.links.find(link => link.id === 'sonarr-usenet-download-client')?.state, 'linked');
	});

	it('undo removes the NZBGet clients and categories it added', async () => {
		// Undo reverses the last run: the repair, then the run that created them.
		for (let run = 0; run < 2; run++) {
			const {out, text} = capture();
			const code = await runUndo({...options, yes: true}, out);
			outputs.push(text());
			assert.equal(code, 0, text());
		}
		assert.deepEqual(await nzbgetClients('sonarr'), []);
		assert.deepEqual(await nzbgetClients('radarr'), []);
		assert.deepEqual(await nzbget().categories(), []);
	});

	it('no secret appears in any output', () => {
		for (const output of outputs) {
			for (const secret of secrets()) {
				assert.ok(!output.includes(secret), 'a secret appeared in an output');
			}
		}
	});
});
