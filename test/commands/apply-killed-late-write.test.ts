// arrwire apply --yes killed while Jellyseerr is storing a Radarr server: the write lands after arrwire is gone, so it
// was never journalled. The next run finds it (it is exactly what arrwire posts), journals it without posting again,
// and undo then removes it like anything else arrwire made.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {after, before, describe, it} from 'node:test';
import {landed} from '../links/wait.js';
import {startCliLab, type CliLab} from './cli-lab.js';

describe('arrwire apply killed while a write is on its way', () => {
	let stack: CliLab;
	before(async () => {
		stack = await startCliLab();
	});
	after(async () => {
		await stack?.stop();
	});

	it('the write that lands after the kill is found and journalled on the next run, and undo removes it', async () => {
		const seerr = stack.lab.jellyseerr;
		const held = seerr.holdNextServerPost('radarr');
		const child = spawn(process.execPath, stack.args('apply', '--yes'), {env: stack.env, stdio: 'ignore'});
		const exited = new Promise<void>(resolve => child.on('exit', () => resolve()));
		await held.arrived;
		child.kill('SIGKILL');
		await exited;
		assert.equal(child.signalCode, 'SIGKILL');
		held.release();
		await landed(seerr, 'POST', '/api/v1/settings/radarr', 0);
		assert.equal(seerr.settings.radarr.length, 1);

		const posts = () => seerr.writes().filter(entry => entry.method === 'POST' && entry.path === '/api/v1/settings/radarr').length;
		const second = await stack.arrwire('apply', '--yes');
		assert.equal(second.code, 0, second.stdout + second.stderr);
		assert.match(second.stdout, /Jellyseerr: create Radarr server "Radarr"\n\s+recorded in the journal: "id \d+, at [^"]+"\n\s+why: it is already in Jellyseerr/);
		assert.equal(posts(), 1, 'recorded, not posted again');
		assert.equal(seerr.settings.radarr.length, 1);
		const plan = await stack.arrwire('plan', '--json');
		assert.equal((JSON.parse(plan.stdout) as {changes: number}).changes, 0, plan.stdout);

		const undone = await stack.arrwire('undo', '--yes');
		assert.equal(undone.code, 0, undone.stdout + undone.stderr);
		assert.deepEqual(seerr.settings.radarr, [], 'the server that landed late is arrwire\'s, and undo removes it');
	});
});
