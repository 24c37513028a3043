// A script (no terminal, nobody to type) gives arrwire the logins that live in no file, through the environment or a
// credentials file or stdin: `apply --yes` wires qBittorrent and Jellyfin with them. A mistake in them is a usage error
// that names the variable, file or line and the fix; a value refused by its service is named by where it came from;
// no secret appears in any output.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {cli, labSecrets, qbittorrentCategories, runArrwire, type Outcome} from './cli-lab.js';

/** The environment of a script: none of the caller's ARRWIRE_* settings. */
function scriptEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!name.startsWith('ARRWIRE_') || name === 'ARRWIRE_SPECS') {
			env[name] = value;
		}
	}
	return {...env, XDG_CONFIG_HOME: home, NO_COLOR: '1', ...extra};
}

function assertNoSecretIn(outcome: Outcome, secrets: string[]): void {
	for (const secret of secrets) {
		assert.ok(!outcome.stdout.includes(secret) && !outcome.stderr.includes(secret), 'a secret was printed');
	}
}

/** Runs the CLI with `input` on stdin (a pipe, as in a script). */
function runWithStdin(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<Outcome> {
	return new Promise(resolve => {
		const child = execFile(process.execPath, [cli, ...args], {env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
		child.stdin!.end(input);
	});
}

interface PlanJson {
	links: Array<{id: string; state: string; skipped: string | null}>;
}

function linkStates(outcome: Outcome): Record<string, string> {
	const plan = JSON.parse(outcome.stdout) as PlanJson;
	return Object.fromEntries(plan.links.map(link => [link.id, link.state]));
}

describe('credentials for scripts', {timeout: 10 * 60_000}, () => {
	const homes: string[] = [];
	const labs: Lab[] = [];
	const newHome = () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-script-'));
		homes.push(home);
		return home;
	};
	after(async () => {
		await Promise.all(labs.map(lab => lab.stop()));
		for (const home of homes) {
			rmSync(home, {recursive: true, force: true});
		}
	});

	/** A lab of its own, and the options that point arrwire at it (its host, its config folders, no containers). */
	async function labOnCommandLine(): Promise<{lab: Lab; where: string[]}> {
		const lab = await startLab();
		labs.push(lab);
		const options = lab.arrwireOptions(newHome());
		return {lab, where: ['--no-docker', ...options.hosts.flatMap(host => ['--host', host]), ...options.configFolders.flatMap(folder => ['--config-dir', folder])]};
	}

	describe('from the environment', () => {
		let lab: Lab;
		let where: string[];
		before(async () => {
			({lab, where} = await labOnCommandLine());
		});

		it('apply --yes wires qBittorrent and Jellyfin with ARRWIRE_QBITTORRENT_* and ARRWIRE_JELLYFIN_*', async () => {
			const home = newHome();
			const bare = scriptEnv(home, {ARRWIRE_NZBGEEK_API_KEY: lab.keys.nzbgeek});
			// Without them, nothing can reach qBittorrent or Jellyfin: the links are not planned.
			const without = await runArrwire(['plan', '--json', ...where], bare);
			const skipped = linkStates(without);
			assert.equal(skipped['qbittorrent-categories'], 'skipped', without.stdout);
			assert.equal(skipped['jellyfin-libraries'], 'skipped', without.stdout);
			// And what is missing says how a script gives it, in the plan's reasons and in check's findings.
			const reasons = (JSON.parse(without.stdout) as PlanJson).links.map(link => link.skipped ?? '');
			assert.ok(reasons.includes(`qBittorrent at ${lab.qbittorrent.url} has no accepted login (type it in arrwire discover in a terminal; in a script, give ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD or --credentials-from FILE)`), reasons.join('\n'));
			assert.ok(reasons.some(reason => reason.startsWith(`Jellyfin at ${lab.jellyfin.url} has no accepted administrator login (`) && reason.includes('ARRWIRE_JELLYFIN_API_KEY')), reasons.join('\n'));
			assert.ok(reasons.includes('the qBittorrent login is not known (type it in arrwire discover in a terminal; in a script, give ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD or --credentials-from FILE)'), reasons.join('\n'));
			const checked = await runArrwire(['check', ...where], bare);
			assert.match(checked.stdout, /in a script, give it in ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD or with --credentials-from FILE/, checked.stdout);
			assert.match(checked.stdout, /ARRWIRE_JELLYFIN_USERNAME and ARRWIRE_JELLYFIN_PASSWORD, or ARRWIRE_JELLYFIN_API_KEY/, checked.stdout);

			const env = {
				...bare,
				ARRWIRE_QBITTORRENT_USERNAME: lab.qbittorrent.username,
				ARRWIRE_QBITTORRENT_PASSWORD: lab.qbittorrent.password,
				ARRWIRE_JELLYFIN_USERNAME: lab.jellyfinAdmin.name,
				ARRWIRE_JELLYFIN_PASSWORD: lab.jellyfinAdmin.password,
			};
			const applied = await runArrwire(['apply', '--yes', ...where], env);
			assert.equal(applied.code, EXIT_CODES.ok, applied.stdout + applied.stderr);
			assertNoSecretIn(applied, labSecrets(lab));
			assert.deepEqual(Object.keys(await qbittorrentCategories(lab)).sort(), ['movies', 'tv']);
			assert.deepEqual(lab.jellyfin.folders().map(folder => folder.collectionType).sort(), ['movies', 'tvshows']);

			const again = await runArrwire(['plan', '--json', ...where], env);
			const states = linkStates(again);
			assert.equal(states['qbittorrent-categories'], 'ok', again.stdout);
			assert.equal(states['jellyfin-libraries'], 'ok', again.stdout);
		});

		it('a wrong password is named by its variable and refused by its service, and never printed', async () => {
			const wrong = 'not-the-password-7c1f';
			const env = scriptEnv(newHome(), {ARRWIRE_QBITTORRENT_USERNAME: lab.qbittorrent.username, ARRWIRE_QBITTORRENT_PASSWORD: wrong});
			const planned = await runArrwire(['plan', ...where], env);
			assert.match(planned.stderr, /ARRWIRE_QBITTORRENT_PASSWORD\).*qBittorrent at \S+ refused the username or password/);
			assert.match(planned.stderr, /fix: /);
			assertNoSecretIn(planned, [wrong, ...labSecrets(lab)]);
		});
	});

	describe('from a file or stdin', () => {
		let lab: Lab;
		let where: string[];
		before(async () => {
			({lab, where} = await labOnCommandLine());
		});

		it('--credentials-from - takes NAME=value lines on stdin', async () => {
			const env = scriptEnv(newHome());
			const lines = [
				'# the two logins that live in no file',
				`ARRWIRE_QBITTORRENT_USERNAME=${lab.qbittorrent.username}`,
				`ARRWIRE_QBITTORRENT_PASSWORD="${lab.qbittorrent.password}"`,
				`ARRWIRE_JELLYFIN_USERNAME=${lab.jellyfinAdmin.name}`,
				`ARRWIRE_JELLYFIN_PASSWORD=${lab.jellyfinAdmin.password}`,
				'',
			].join('\n');
			const planned = await runWithStdin(['plan', '--json', '--credentials-from', '-', ...where], env, lines);
			const states = linkStates(planned);
			assert.equal(states['qbittorrent-categories'], 'changes', planned.stdout);
			assert.equal(states['jellyfin-libraries'], 'changes', planned.stdout);
			assertNoSecretIn(planned, labSecrets(lab));
		});

		it('apply --yes --credentials-from FILE (JSON, mode 0600) wires qBittorrent and Jellyfin', async () => {
			const home = newHome();
			const file = path.join(home, 'credentials.json');
			writeFileSync(
				file,
				JSON.stringify({
					qbittorrent: {username: lab.qbittorrent.username, password: lab.qbittorrent.password, url: lab.qbittorrent.url},
					jellyfin: {username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password},
					nzbgeek: {apiKey: lab.keys.nzbgeek},
				}),
				{mode: 0o600},
			);
			const applied = await runArrwire(['apply', '--yes', '--credentials-from', file, ...where], scriptEnv(home));
			assert.equal(applied.code, EXIT_CODES.ok, applied.stdout + applied.stderr);
			assertNoSecretIn(applied, labSecrets(lab));
			assert.deepEqual(Object.keys(await qbittorrentCategories(lab)).sort(), ['movies', 'tv']);
			assert.deepEqual(lab.jellyfin.folders().map(folder => folder.collectionType).sort(), ['movies', 'tvshows']);
		});

		it('a credential that names another address is not sent, and the output says why', async () => {
			const home = newHome();
			const file = path.join(home, 'credentials');
			writeFileSync(file, `ARRWIRE_JELLYFIN_API_KEY=some-key-3b9e\nARRWIRE_JELLYFIN_URL=http://127.0.0.1:1/\n`, {mode: 0o600});
			const planned = await runArrwire(['plan', '--credentials-from', file, ...where], scriptEnv(home));
			assert.match(planned.stderr, /ARRWIRE_JELLYFIN_API_KEY\) was not used: no Jellyfin was found at http:\/\/127\.0\.0\.1:1\/ \(found at http/);
			assert.ok(!planned.stderr.includes('some-key-3b9e') && !planned.stdout.includes('some-key-3b9e'));
		});
	});

	describe('mistakes are usage errors (2) that name where and how to fix, never the value', () => {
		const secret = 'hunter2-secret-5d0a';
		const cases: Array<{name: string; file?: {text: string; mode: number}; env?: Record<string, string>; stdin?: string; says: RegExp}> = [
			{name: 'a file others can read', file: {text: `ARRWIRE_QBITTORRENT_USERNAME=admin\nARRWIRE_QBITTORRENT_PASSWORD=${secret}\n`, mode: 0o644}, says: /other users can read or change it \(mode 0644\); make it yours alone with chmod 600 \S+credentials/},
			{name: 'a line that is not NAME=value', file: {text: `ARRWIRE_QBITTORRENT_USERNAME=admin\n${secret}\n`, mode: 0o600}, says: /line 2: not NAME=value/},
			{name: 'a name it does not know', file: {text: `ARRWIRE_QBITORRENT_PASSWORD=${secret}\n`, mode: 0o600}, says: /line 1: ARRWIRE_QBITORRENT_PASSWORD is no credential arrwire knows/},
			{name: 'broken JSON', file: {text: `{"qbittorrent": {"password": "${secret}"`, mode: 0o600}, says: /is not valid JSON; write \{"qbittorrent"/},
			{name: 'a password without its username', env: {ARRWIRE_QBITTORRENT_PASSWORD: secret}, says: /ARRWIRE_QBITTORRENT_USERNAME is missing: qBittorrent takes ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD together/},
			{name: 'an API key for a service that takes a login', env: {ARRWIRE_QBITTORRENT_API_KEY: secret}, says: /ARRWIRE_QBITTORRENT_API_KEY: qBittorrent takes ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD, not that/},
			{name: 'a variable for no known service', env: {ARRWIRE_SONAR_API_KEY: secret}, says: /ARRWIRE_SONAR_API_KEY names no service arrwire knows/},
			{name: 'a URL with a login in it', env: {ARRWIRE_SONARR_API_KEY: 'k', ARRWIRE_SONARR_URL: `http://admin:${secret}@127.0.0.1:8989`}, says: /ARRWIRE_SONARR_URL holds a user name or password/},
			{name: 'stdin in JSON with a service it does not know', stdin: `{"sonar": {"apiKey": "${secret}"}}`, says: /stdin: "sonar" is no service arrwire knows/},
		];
		for (const scenario of cases) {
			it(scenario.name, async () => {
				const home = newHome();
				const env = scriptEnv(home, scenario.env);
				const args = ['plan', '--no-docker', '--host', '127.67.0.1'];
				let outcome: Outcome;
				if (scenario.file) {
					const file = path.join(home, 'credentials');
					writeFileSync(file, scenario.file.text);
					chmodSync(file, scenario.file.mode);
					outcome = await runArrwire([...args, '--credentials-from', file], env);
				} else if (scenario.stdin !== undefined) {
					outcome = await runWithStdin([...args, '--credentials-from', '-'], env, scenario.stdin);
				} else {
					outcome = await runArrwire(args, env);
				}
				assert.equal(outcome.code, EXIT_CODES.usage, outcome.stdout + outcome.stderr);
				assert.match(outcome.stderr, scenario.says);
				assert.equal(outcome.stdout, '');
				assertNoSecretIn(outcome, [secret]);
			});
		}

		it('a file that is not there', async () => {
			const outcome = await runArrwire(['plan', '--credentials-from', '/nonexistent/arrwire-credentials'], scriptEnv(newHome()));
			assert.equal(outcome.code, EXIT_CODES.usage);
			assert.match(outcome.stderr, /--credentials-from \/nonexistent\/arrwire-credentials: there is no such file/);
		});
	});
});
