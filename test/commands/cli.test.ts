// The CLI's own behaviour: the version, usage errors, and the wizard refusing to start without a terminal.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, it} from 'node:test';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

async function outcome(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{code: number; stdout: string; stderr: string}> {
	try {
		const {stdout, stderr} = await run(process.execPath, [cli, ...args], {env});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failure = error as {code: number; stdout: string; stderr: string};
		return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr};
	}
}

describe('arrwire on the command line', () => {
	it('prints its version', async () => {
		const {code, stdout} = await outcome(['--version']);
		assert.equal(code, 0);
		assert.match(stdout.trim(), /^\d+\.\d+\.\d+$/);
	});

	it('without a terminal, the wizard does not start: it points to plan, apply --yes and doctor, on stderr', async () => {
		const {code, stdout, stderr} = await outcome([]);
		assert.equal(code, 2);
		assert.equal(stdout, '');
		assert.match(stderr, /needs a terminal/);
		assert.match(stderr, /arrwire plan/);
		assert.match(stderr, /arrwire apply --yes/);
		assert.match(stderr, /arrwire doctor --json/);
	});

	it('apply without --yes and without a terminal asks for --yes instead of waiting for an answer', async () => {
		const {code, stderr} = await outcome(['apply', '--no-docker', '--host', '127.0.0.1:1']);
		assert.equal(code, 2);
		assert.match(stderr, /arrwire apply --yes/);
	});

	it('an unknown command is named, with the usage', async () => {
		const {code, stderr} = await outcome(['wire-it-all']);
		assert.equal(code, 2);
		assert.match(stderr, /unknown command 'wire-it-all'/);
		assert.match(stderr, /arrwire doctor/);
	});
});
