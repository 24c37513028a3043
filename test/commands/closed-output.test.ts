// `arrwire … | head -3`: the reader goes away before the command has printed all it has to say. The command goes on
// to its end (its work done, its exit code) and says nothing about the closed pipe.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startCliLab, type CliLab} from './cli-lab.js';

describe('output read by a program that stops reading', () => {
	let cliLab: CliLab;
	before(async () => {
		cliLab = await startCliLab();
	});
	after(async () => {
		await cliLab?.stop();
	});

	it('discover with its output closed before it writes: it finishes, saves the profile and exits 0, without a stack trace', async () => {
		const profile = path.join(cliLab.home, 'arrwire', 'profile.json');
		const savedAt = () => (JSON.parse(readFileSync(profile, 'utf8')) as {savedAt: string}).savedAt;
		const savedBefore = savedAt();
		const {code, stderr} = await new Promise<{code: number | null; stderr: string}>((resolve, reject) => {
			const child = spawn(process.execPath, cliLab.args('discover'), {env: cliLab.env, stdio: ['ignore', 'pipe', 'pipe']});
			// The reading end closes at once: the command's first line already meets a closed pipe (EPIPE).
			child.stdout.destroy();
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			child.on('error', reject);
			child.on('close', code => resolve({code, stderr}));
		});
		assert.equal(stderr, '', 'nothing about the pipe, no stack trace');
		assert.equal(code, 0, 'the exit code of what it found');
		assert.notEqual(savedAt(), savedBefore, 'the profile was saved again: the command did its work');
	});
});
