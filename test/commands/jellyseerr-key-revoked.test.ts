// A Jellyseerr whose Jellyfin API key was revoked in Jellyfin (Dashboard → API Keys → delete), through the CLI: doctor
// says Jellyfin refuses the key Jellyseerr holds, without waiting on Jellyseerr's library sync (which never answers in
// that state), and plans a new sign-in; apply makes it, and doctor then finds the link linked.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {startCliLab, type CliLab} from './cli-lab.js';

interface DoctorJson {
	links: Array<{id: string; state: string; findings: Array<{id: string; cause: string; fix: string}>; repairs: Array<{target: string; lines: string[]}>}>;
}

describe('arrwire and a Jellyseerr whose Jellyfin key was revoked', () => {
	let stack: CliLab;
	let revoked: string;
	before(async () => {
		stack = await startCliLab();
		const wired = await stack.arrwire('apply', '--yes');
		assert.equal(wired.code, 0, wired.stdout + wired.stderr);
		await stack.lab.prowlarr.idle();
		revoked = stack.lab.jellyseerr.settings.jellyfin.apiKey;
		const admin = new JellyfinClient({url: stack.lab.jellyfin.url, token: stack.lab.jellyfin.addApiKey('test')});
		await admin.deleteApiKey(revoked);
	});
	after(async () => {
		await stack?.stop();
	});

	const seerrLink = (report: DoctorJson) => report.links.find(link => link.id === 'jellyseerr-jellyfin')!;

	it('doctor names the refused key and the new sign-in, and never waits on the sync Jellyseerr does not answer', async () => {
		const doctor = await stack.arrwire('doctor', '--json');
		assert.equal(doctor.code, 1, doctor.stdout + doctor.stderr);
		const link = seerrLink(JSON.parse(doctor.stdout) as DoctorJson);
		assert.equal(link.state, 'fault');
		assert.deepEqual(link.findings.map(finding => finding.id), ['link.jellyseerr-jellyfin-key-refused']);
		assert.match(link.findings[0]!.cause, /Jellyfin refuses the key Jellyseerr holds/);
		assert.match(link.findings[0]!.fix, /new sign-in of Jellyseerr to Jellyfin/);
		assert.doesNotMatch(link.findings[0]!.fix, /correct the address/);
		assert.deepEqual(link.repairs.map(repair => repair.target), ['sign-in to Jellyfin']);
		assert.deepEqual(stack.lab.jellyseerr.unanswered, [], 'arrwire asked Jellyfin about the key instead of waiting on Jellyseerr');
		assert.ok(!doctor.stdout.includes(revoked), 'the key is not shown');
	});

	it('plan shows the new sign-in; apply --yes makes it; doctor then finds the link linked', async () => {
		const plan = await stack.arrwire('plan');
		assert.match(plan.stdout, /Jellyseerr: update sign-in to Jellyfin/, plan.stdout);
		assert.match(plan.stdout, /Jellyfin refuses the key Jellyseerr holds/);
		const applied = await stack.arrwire('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
		const key = stack.lab.jellyseerr.settings.jellyfin.apiKey;
		assert.notEqual(key, revoked);
		assert.ok(
			stack.lab.jellyfin.apiKeys().some(candidate => candidate.token === key),
			'Jellyseerr holds a key Jellyfin knows',
		);
		assert.ok(!applied.stdout.includes(key), 'the new key is not shown');
		const doctor = await stack.arrwire('doctor', '--json');
		const link = seerrLink(JSON.parse(doctor.stdout) as DoctorJson);
		assert.deepEqual([link.state, link.findings.map(finding => finding.id)], ['linked', []]);
		const again = await stack.arrwire('plan', '--json');
		assert.equal((JSON.parse(again.stdout) as {changes: number}).changes, 0, again.stdout);
	});
});
