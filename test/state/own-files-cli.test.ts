// `arrwire undo` over a journal that is a link to another file: the CLI names the journal as the user knows it
// (~/.config/…) and says why, and not a character of the other file reaches the screen. Apart from own-files.test.ts,
// whose in-process checks `npm run mutate` runs once per mutant: a CLI start each time would double the run.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, describe, it} from 'node:test';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-own-files-cli-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

describe("undo and a journal that is a link", () => {
	it('refused with why; not a character of the linked file is shown', async () => {
		const secretFile = path.join(scratch, 'shadow');
		writeFileSync(secretFile, 'root:$6$not-for-your-eyes$abcdefghijkl:19000:0:99999:7:::\n', {mode: 0o600});
		const home = path.join(scratch, 'home');
		const state = path.join(home, '.config', 'arrwire');
		mkdirSync(state, {recursive: true});
		symlinkSync(secretFile, path.join(state, 'journal.json'));
		const env = {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		const failure = await run(process.execPath, [cli, 'undo', '--yes', '--no-docker'], {env}).then(
			() => assert.fail('undo must refuse a linked journal'),
			(error: {stdout: string; stderr: string}) => error,
		);
		const output = failure.stdout + failure.stderr;
		assert.match(output, /~\/\.config\/arrwire\/journal\.json is a symbolic link; arrwire does not follow links for its own files/);
		assert.ok(!output.includes('not-for-your-eyes') && !output.includes('root:'), output);
	});
});
