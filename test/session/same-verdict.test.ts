// The wizard's doctor is `arrwire doctor`: on the same lab, the diagnosis the wizard makes (after its own apply, or on a
// stack with a fault) and the one the command prints give the same verdict, link by link and service by service.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createController} from '../../source/app/controller.js';
import {doctorJson, runDoctor} from '../../source/commands/doctor.js';
import {selectLinks} from '../../source/links/all.js';
import {openSession} from '../../source/session/session.js';
import {capture} from '../helpers.js';
import {randomKey} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

type DoctorJson = ReturnType<typeof doctorJson>;

/** What a verdict is made of: the outcome, each service's and each link's state, and every error by its id. */
function verdict(json: DoctorJson) {
	const findings = [...json.findings.services, ...json.links.flatMap(link => link.findings), ...json.findings.paths, ...json.findings.security];
	return {
		ok: json.ok,
		outcome: json.outcome,
		services: Object.fromEntries(json.services.map(service => [service.kind, service.state])),
		links: Object.fromEntries(json.links.map(link => [link.id, link.state])),
		errors: findings
			.filter(finding => finding.severity === 'error')
			.map(finding => `${finding.subject}: ${finding.id}`)
			.sort(),
	};
}

async function withLab(run: (lab: Lab, scratch: string) => Promise<void>): Promise<void> {
	const lab = await startLab();
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-verdict-'));
	try {
		await run(lab, scratch);
	} finally {
		await lab.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

/** The wizard's controller as the screens drive it: discover, the two logins typed in, the NZBgeek key. */
async function wizardOn(lab: Lab, scratch: string) {
	const {credentials, ...pointed} = lab.arrwireOptions(scratch);
	const controller = createController(pointed);
	await controller.discover(() => undefined);
	assert.equal((await controller.submit('qbittorrent', credentials.qbittorrent)).ok, true);
	assert.equal((await controller.submit('jellyfin', credentials.jellyfin)).ok, true);
	await controller.submit('nzbgeek', {apiKey: lab.keys.nzbgeek});
	return controller;
}

async function doctorCommand(lab: Lab, scratch: string): Promise<{code: number; json: DoctorJson}> {
	const {out, text} = capture();
	const code = await runDoctor({...lab.arrwireOptions(scratch), nzbgeekApiKey: lab.keys.nzbgeek, json: true, offerRepairs: false}, out);
	return {code, json: JSON.parse(text()) as DoctorJson};
}

describe('the wizard and arrwire doctor give the same verdict', () => {
	it('after the wizard wires a fresh stack, its doctor and arrwire doctor agree on every link', async () => {
		await withLab(async (lab, scratch) => {
			const controller = await wizardOn(lab, scratch);
			const plans = await controller.plan();
			const applied = await controller.apply({links: plans.map(plan => plan.id), confirm: async () => true}, () => undefined);
			assert.equal(applied.failed, undefined, applied.failed?.error.message);
			await lab.prowlarr.idle();

			const wizard = verdict(doctorJson(await controller.diagnose()));
			const command = await doctorCommand(lab, scratch);
			assert.deepEqual(wizard, verdict(command.json));
			// Checked afresh after the apply: the links the wizard just made are linked, not still "to create".
			assert.equal(wizard.links['sonarr-download-client'], 'linked');
			// The diagnosis is the whole of doctor's: the services' own checks and the protocol coverage as well.
			assert.ok(wizard.errors.includes('Sonarr: protocol.no-usenet-client'), JSON.stringify(wizard.errors));
			assert.equal(command.code, 1);
		});
	});

	it("with Sonarr's API key rotated after wiring, both name the same links at fault", async () => {
		await withLab(async (lab, scratch) => {
			const session = openSession({...lab.arrwireOptions(scratch), nzbgeekApiKey: lab.keys.nzbgeek});
			const wired = await session.apply(selectLinks(), {confirm: async () => true});
			assert.equal(wired.failed, undefined, wired.failed?.error.message);
			await lab.prowlarr.idle();
			lab.sonarr.rotateApiKey(randomKey());

			// Both read Sonarr's new key from its file; Prowlarr and Jellyseerr still hold the old one.
			const wizard = verdict(doctorJson(await (await wizardOn(lab, scratch)).diagnose()));
			const command = await doctorCommand(lab, scratch);
			assert.deepEqual(wizard, verdict(command.json));
			assert.equal(wizard.outcome, 'faults');
			assert.equal(wizard.links['prowlarr-sonarr'], 'fault');
		});
	});
});
