// Without a terminal, a command that must ask says how to run it without asking: on stderr, where a script looks for
// what went wrong, never mixed into the output a script reads.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {runArrwire} from './cli-lab.js';

describe('hints without a terminal', () => {
	const home = mkdtempSync(path.join(tmpdir(), 'arrwire-hints-'));
	after(() => rmSync(home, {recursive: true, force: true}));

	it('apply without --yes: exit 2, the way to run it on stderr, nothing on stdout', async () => {
		const outcome = await runArrwire(['apply', '--no-docker', '--host', '127.67.0.1'], {...process.env, XDG_CONFIG_HOME: home, NO_COLOR: '1'});
		assert.equal(outcome.code, EXIT_CODES.usage);
		assert.match(outcome.stderr, /arrwire apply needs a terminal to ask before each change\. Run arrwire plan to see them, then arrwire apply --yes to make them\./);
		assert.equal(outcome.stdout, '');
	});
});
