// apply, undo, apply again, through the CLI: the run converges. Undo cannot take Jellyseerr's sign-in to Jellyfin back
// (Jellyseerr has no way to sign out), so the sign-in stays arrwire's, and what arrwire enables after it again is not
// treated as made by hand.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {startCliLab, type CliLab} from './cli-lab.js';

describe('arrwire apply, undo, apply, plan', () => {
	let stack: CliLab;
	before(async () => {
		stack = await startCliLab();
	});
	after(async () => {
		await stack?.stop();
	});

	it('ends at zero changes, with nothing left alone as hand-made and the Jellyseerr link linked', async () => {
		const first = await stack.arrwire('apply', '--yes');
		assert.equal(first.code, 0, first.stdout + first.stderr);
		await stack.lab.prowlarr.idle();
		const undone = await stack.arrwire('undo', '--yes');
		assert.equal(undone.code, 0, undone.stdout + undone.stderr);
		await stack.lab.prowlarr.idle();

		const second = await stack.arrwire('apply', '--yes');
		assert.equal(second.code, 0, second.stdout + second.stderr);
		assert.doesNotMatch(second.stdout, /made by hand/);
		assert.match(second.stdout, /, 0 left alone/);
		await stack.lab.prowlarr.idle();

		const plan = await stack.arrwire('plan', '--json');
		assert.equal(plan.code, 0, plan.stdout + plan.stderr);
		assert.equal((JSON.parse(plan.stdout) as {changes: number}).changes, 0, plan.stdout);

		const doctor = await stack.arrwire('doctor', '--json');
		const report = JSON.parse(doctor.stdout) as {links: Array<{id: string; state: string; findings: Array<{id: string}>}>};
		const link = report.links.find(candidate => candidate.id === 'jellyseerr-jellyfin')!;
		assert.deepEqual([link.state, link.findings.map(finding => finding.id)], ['linked', []]);

		// And once more: undo then apply still converge (the second undo reverses the second run only).
		assert.equal((await stack.arrwire('undo', '--yes')).code, 0);
		const third = await stack.arrwire('apply', '--yes');
		assert.equal(third.code, 0, third.stdout + third.stderr);
		assert.equal((JSON.parse((await stack.arrwire('plan', '--json')).stdout) as {changes: number}).changes, 0);
	});
});
