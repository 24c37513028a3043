// Which options each command takes is one table (source/commands/options.ts); every command follows it. An option a
// command does not take, an extra argument or a value that cannot be right is a usage error (exit 2) found before
// anything is looked for, and stderr names the option, what was wrong and how to fix it.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {COMMAND_OPTIONS, OPTIONS, usageProblem, type Command, type OptionName, type OptionValues} from '../../source/commands/options.js';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {runArrwire} from './cli-lab.js';

const home = mkdtempSync(path.join(tmpdir(), 'arrwire-options-'));
const env = {...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), HOME: home, NO_COLOR: '1'};
after(() => rmSync(home, {recursive: true, force: true}));

/** A value each option may take. */
const goodValues: Record<Exclude<OptionName, 'help' | 'version'>, OptionValues[OptionName]> = {
	json: true,
	host: ['nas.local:8989', '192.168.1.10', '[::1]:7878', 'sonarr_1'],
	scan: ['192.168.1.0/24', '10.0.0.0/20'],
	'config-dir': ['/srv/config'],
	'no-docker': true,
	'store-secrets': true,
	yes: true,
	'yes-hand-made': true,
	only: ['qbittorrent-categories', 'sonarr-root-folder'],
	'data-root': tmpdir(),
	offline: true,
	plain: true,
	'credentials-from': '/srv/arrwire-credentials',
	'no-canary': true,
};

const commands = Object.keys(COMMAND_OPTIONS) as Command[];
const options = Object.keys(goodValues) as Array<keyof typeof goodValues>;

describe('the options table', () => {
	it('covers every option arrwire parses', () => {
		assert.deepEqual(Object.keys(OPTIONS).filter(name => name !== 'help' && name !== 'version').sort(), [...options].sort());
	});

	it('every command takes its own options, with good values, and refuses every other one by name', async () => {
		for (const command of commands) {
			const own: readonly string[] = COMMAND_OPTIONS[command];
			for (const option of options) {
				const problem = await usageProblem(command, {[option]: goodValues[option]}, []);
				if (own.includes(option)) {
					assert.equal(problem, undefined, `${command} --${option}`);
				} else {
					assert.ok(problem, `${command} --${option} is refused`);
					assert.match(problem, new RegExp(`--${option} does not apply`), `${command} --${option}`);
					// How to fix it: what the command does take.
					assert.match(problem, /takes (--|no options)/, `${command} --${option}`);
				}
			}
		}
	});

	it('every command refuses extra arguments', async () => {
		for (const command of commands) {
			const problem = await usageProblem(command, {}, ['extra', 'junk']);
			assert.match(problem ?? '', /unexpected arguments 'extra' 'junk'/, command);
		}
	});

	it('--help lists every command and every option', async () => {
		const {code, stdout} = await runArrwire(['--help'], env);
		assert.equal(code, 0);
		for (const command of commands.filter(name => name !== 'wizard' && name !== 'help')) {
			assert.match(stdout, new RegExp(`^  arrwire ${command}\\b`, 'm'), command);
		}
		for (const option of options) {
			assert.match(stdout, new RegExp(`--${option}\\b`), option);
		}
	});
});

describe('usage errors on the command line', () => {
	const cases: Array<{args: string[]; names: RegExp; fix: RegExp}> = [
		{args: ['--scan', 'notacidr'], names: /--scan "notacidr"/, fix: /write it like 192\.168\.1\.0\/24/},
		{args: ['discover', '--scan', '10.0.0.0/8'], names: /--scan "10\.0\.0\.0\/8"/, fix: /at most 4096 \(a \/20\)\. Name a smaller network/},
		{args: ['discover', '--scan', '10.0.0.0/33'], names: /--scan "10\.0\.0\.0\/33"/, fix: /prefix length must be 0-32/},
		{args: ['plan', '--only', 'nosuchlink'], names: /--only: Unknown link nosuchlink/, fix: /the links are: .*qbittorrent-categories/},
		{args: ['check', '--host', 'nas:notaport'], names: /--host "nas:notaport"/, fix: /write NAME or NAME:PORT/},
		{args: ['doctor', '--host', 'nas:70000'], names: /--host "nas:70000"/, fix: /port must be 1-65535/},
		{args: ['discover', '--host', 'http://nas/sonarr'], names: /--host "http:\/\/nas\/sonarr"/, fix: /write NAME or NAME:PORT/},
		{args: ['plan', 'extra', 'junk'], names: /unexpected arguments 'extra' 'junk'/, fix: /takes options only/},
		{args: ['check', '--yes'], names: /--yes does not apply/, fix: /arrwire check takes .*--json/},
		{args: ['undo', '--json'], names: /--json does not apply/, fix: /arrwire undo takes .*--yes/},
		{args: ['lab', '--host', 'nas'], names: /--host does not apply/, fix: /arrwire lab takes no options/},
		{args: ['demo', '--no-docker'], names: /--no-docker does not apply/, fix: /arrwire demo takes --plain/},
		{args: ['--json'], names: /--json does not apply/, fix: /arrwire takes --host/},
		{args: ['apply', '--data-root', 'relative/data'], names: /--data-root relative\/data/, fix: /absolute path/},
	];
	for (const {args, names, fix} of cases) {
		it(`arrwire ${args.join(' ')}: exit 2, the option and the fix on stderr, nothing on stdout`, async () => {
			const outcome = await runArrwire(args, env);
			assert.equal(outcome.code, EXIT_CODES.usage, outcome.stderr);
			assert.equal(outcome.stdout, '');
			assert.match(outcome.stderr, names);
			assert.match(outcome.stderr, fix);
		});
	}

	it('a user name and password given with --host are refused and not shown', async () => {
		const outcome = await runArrwire(['discover', '--host', 'admin:hunter2@nas:8989'], env);
		assert.equal(outcome.code, EXIT_CODES.usage);
		assert.doesNotMatch(outcome.stderr, /hunter2/);
		assert.match(outcome.stderr, /without a user name or password/);
	});

	it('plan --only with an unknown link is refused before anything is looked for', async () => {
		// A service arrwire would probe at once: no connection reaches it.
		let connections = 0;
		const server = createServer(socket => {
			connections++;
			socket.destroy();
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		try {
			const {port} = server.address() as AddressInfo;
			const outcome = await runArrwire(['plan', '--no-docker', '--host', `127.0.0.1:${port}`, '--only', 'nosuchlink'], env);
			assert.equal(outcome.code, EXIT_CODES.usage, outcome.stderr);
			assert.match(outcome.stderr, /--only: Unknown link nosuchlink/);
			assert.equal(connections, 0, 'nothing was probed');
			// A run without the mistake does probe it, so the count above would have seen a probe.
			await runArrwire(['discover', '--json', '--no-docker', '--host', `127.0.0.1:${port}`], env);
			assert.ok(connections > 0, 'discover probes the service');
		} finally {
			server.close();
		}
	});
});
