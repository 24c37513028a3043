// `arrwire lab` prints the exact commands that point arrwire at it; run as printed, in a shell of their own, they
// plan, apply and test the lab's links, and keep the lab's profile and journal apart from the user's own.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {cli, runShell} from './cli-lab.js';

describe('arrwire lab', {timeout: 10 * 60_000}, () => {
	const home = mkdtempSync(path.join(tmpdir(), 'arrwire-own-config-'));
	after(() => rmSync(home, {recursive: true, force: true}));
	// The user's own settings: the lab's commands must leave them alone.
	const {ARRWIRE_NZBGEEK_API_KEY: _key, ...rest} = process.env;
	const env = {...rest, XDG_CONFIG_HOME: home, NO_COLOR: '1'};

	it('prints the commands that point arrwire at it, and they work as printed', async () => {
		const lab = spawn(process.execPath, [cli, 'lab'], {env});
		let printed = '';
		const exited = new Promise<number | null>(resolve => lab.on('exit', code => resolve(code)));
		try {
			await new Promise<void>((resolve, reject) => {
				lab.stdout.on('data', (chunk: Buffer) => {
					printed += chunk.toString();
					if (printed.includes('Press Ctrl-C to stop the lab.')) {
						resolve();
					}
				});
				lab.on('exit', code => reject(new Error(`the lab ended (${code}) before it was up:\n${printed}`)));
			});
			const block = printed.slice(printed.indexOf('Try arrwire on it'), printed.indexOf('Press Ctrl-C'));
			const lines = [...block.matchAll(/^ {2}(\S.*)$/gm)].map(match => match[1]!);
			const [setup, plan, apply, doctor] = lines;
			assert.match(setup ?? '', /^export XDG_CONFIG_HOME=\S+ ARRWIRE_NZBGEEK_API_KEY=\S+$/);
			for (const [line, command] of [[plan, 'plan'], [apply, 'apply --yes'], [doctor, 'doctor']] as const) {
				assert.match(line ?? '', new RegExp(`^node ${cli.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${command} --no-docker --host \\S+ --config-dir \\S+$`));
			}

			const planned = await runShell([setup!, plan!].join('\n'), env);
			assert.equal(planned.code, EXIT_CODES.ok, planned.stdout + planned.stderr);
			assert.match(planned.stdout, /\d+ change\(s\)\. Run arrwire apply to make them/);

			const applied = await runShell([setup!, apply!].join('\n'), env);
			assert.equal(applied.code, EXIT_CODES.ok, applied.stdout + applied.stderr);
			assert.match(applied.stdout, /\d+ change\(s\) made, 0 left alone/);

			const again = await runShell([setup!, plan!].join('\n'), env);
			assert.equal(again.code, EXIT_CODES.ok, again.stdout + again.stderr);
			assert.match(again.stdout, /Everything is linked: apply would change nothing\./);

			// Everything was checked (the lab has no Usenet client for its Usenet indexer: a fault doctor names).
			const tested = await runShell([setup!, doctor!].join('\n'), env);
			assert.ok(tested.code === EXIT_CODES.ok || tested.code === EXIT_CODES.faults, tested.stdout + tested.stderr);
			assert.match(tested.stdout, /0 link\(s\) at fault|all is well/i);

			assert.ok(!existsSync(path.join(home, 'arrwire')), "the user's own profile and journal are untouched");
			const configHome = /XDG_CONFIG_HOME=(\S+)/.exec(setup!)![1]!;
			assert.ok(existsSync(path.join(configHome, 'arrwire', 'journal.json')), "the lab's journal is in the lab's folder");
			lab.kill('SIGINT');
			assert.equal(await exited, 128 + 2);
			assert.ok(!existsSync(configHome), "the lab's profile and journal go with the lab");
		} finally {
			lab.kill('SIGINT');
			await exited;
		}
	});
});
