// The README's exit-code table is the one every command follows: the codes it lists are the ones arrwire uses, every
// command answers a usage error with 2, and a discovery that finds nothing is "incomplete" (3), not a fault.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {EXIT} from '../../source/app/flow.js';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {runArrwire} from './cli-lab.js';



describe('exit codes', () => {
	it('the README table lists exactly the codes arrwire uses', () => {
		const readme = readFileSync(path.resolve('README.md'), 'utf8');
		const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### JSON output'));
		const listed = [...table.matchAll(/^\| ([\d, ]+) \|/gm)].flatMap(match => match[1]!.split(',').map(code => Number(code.trim())));
		const used = [...Object.values(EXIT_CODES), 128 + 1, 128 + 15].sort((a, b) => a - b);
		assert.deepEqual([...new Set(listed)].sort((a, b) => a - b), [...new Set(used)]);
	});

	it("the wizard's own codes are in the table, in words: nothing found, quit", () => {
		const readme = readFileSync(path.resolve('README.md'), 'utf8');
		const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### JSON output'));
		const row = (code: number) => [...table.matchAll(/^\| ([\d, ]+) \|(.*)$/gm)].find(match => match[1]!.split(',').map(Number).includes(code))?.[2] ?? '';
		assert.match(row(EXIT.nothingFound), /nothing was found \(the wizard too, when it finds no service\)/);
		assert.match(row(EXIT.nothingFound), /the wizard \|$/);
		assert.match(row(EXIT.quit), /quitting the wizard/);
		assert.match(row(EXIT_CODES.usage), /no terminal where one is needed \(the wizard/);
	});

	it('every command answers an unknown option with 2 and says what was wrong', async () => {
		for (const command of ['discover', 'check', 'plan', 'apply', 'undo', 'doctor', 'demo', 'lab']) {
			const {code, stderr} = await runArrwire([command, '--no-such-option'], process.env);
			assert.equal(code, EXIT_CODES.usage, command);
			assert.match(stderr, /no-such-option/, command);
		}
	});

	it('discover that finds nothing is incomplete (3), not a fault, and saves no empty profile', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-exit-'));
		try {
			const nowhere = `127.67.${Math.floor(Math.random() * 250) + 1}.5`;
			const {code} = await runArrwire(['discover', '--json', '--no-docker', '--host', nowhere], {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')});
			assert.equal(code, EXIT_CODES.incomplete);
			assert.ok(!existsSync(path.join(home, '.config', 'arrwire', 'profile.json')), 'no profile of nothing is written');
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});
});
