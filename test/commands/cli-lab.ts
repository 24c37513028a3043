// The built CLI pointed at a lab as a person points it at their stack: a profile with the two logins that live in no
// file (what `discover --store-secrets` leaves), the lab's config folder, and the NZBgeek key in the environment.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {writeProfile} from '../helpers.js';
import {startLab, type Lab, type LabOptions} from '../../source/lab/lab.js';

export const cli = path.resolve('dist/bin/arrwire.js');

export interface Outcome {
	code: number;
	stdout: string;
	stderr: string;
}

export interface CliLab {
	lab: Lab;
	/** $XDG_CONFIG_HOME of the runs: profile.json and journal.json live in <home>/arrwire. */
	home: string;
	env: NodeJS.ProcessEnv;
	/** `arrwire <command> --no-docker --config-dir <the lab's>` plus the extra arguments. */
	args(command: string, ...extra: string[]): string[];
	/** Runs the CLI to its end; a non-zero exit is an outcome, not a throw. */
	arrwire(command: string, ...extra: string[]): Promise<Outcome>;
	stop(): Promise<void>;
}

/** Runs the built CLI to its end with these arguments; a non-zero exit is an outcome, not a throw. */
export function runArrwire(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout, stderr});
		});
	});
}

export async function startCliLab(options: LabOptions & {qbittorrentPassword?: string} = {}): Promise<CliLab> {
	const lab = await startLab(options);
	const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
	const env = {...process.env, XDG_CONFIG_HOME: home, ARRWIRE_NZBGEEK_API_KEY: lab.keys.nzbgeek, NO_COLOR: '1'};
	writeProfile(home, lab.arrwireOptions(home).hosts, [
		{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: options.qbittorrentPassword ?? lab.qbittorrent.password},
		{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
	]);
	const args = (command: string, ...extra: string[]) => [cli, command, '--no-docker', '--config-dir', path.join(lab.paths.root, 'config'), ...extra];
	return {
		lab,
		home,
		env,
		args,
		arrwire: (command, ...extra) => runArrwire(args(command, ...extra).slice(1), env),
		stop: async () => {
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		},
	};
}

/** Runs a shell script to its end (as a user would paste it), collecting what it prints. */
export function runShell(script: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<Outcome> {
	return new Promise((resolve, reject) => {
		const child = spawn('sh', ['-c', script], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', code => resolve({code: code ?? 1, stdout, stderr}));
	});
}

/** One request on a connection of its own (agent: false): a kept-alive socket qBittorrent has closed is never reused. */
export function request(url: string, options: {method?: string; headers?: Record<string, string>; body?: string} = {}): Promise<{status: number; headers: http.IncomingHttpHeaders; text: string}> {
	return new Promise((resolve, reject) => {
		const outgoing = http.request(url, {method: options.method ?? 'GET', headers: options.headers, agent: false}, incoming => {
			let text = '';
			incoming.setEncoding('utf8');
			incoming.on('data', (chunk: string) => (text += chunk));
			incoming.on('end', () => resolve({status: incoming.statusCode ?? 0, headers: incoming.headers, text}));
		});
		outgoing.on('error', reject);
		outgoing.end(options.body);
	});
}

export /** A session cookie of qBittorrent, signed in with the lab's own (right) password. */
async function qbittorrentSession(lab: Lab): Promise<string> {
	const login = await request(`${lab.qbittorrent.url}/api/v2/auth/login`, {
		method: 'POST',
		headers: {'content-type': 'application/x-www-form-urlencoded'},
		body: new URLSearchParams({username: lab.qbittorrent.username, password: lab.qbittorrent.password}).toString(),
	});
	assert.equal(login.text, 'Ok.');
	return String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
}

export async function qbittorrentCategories(lab: Lab): Promise<Record<string, unknown>> {
	const answer = await request(`${lab.qbittorrent.url}/api/v2/torrents/categories`, {headers: {cookie: await qbittorrentSession(lab)}});
	return JSON.parse(answer.text) as Record<string, unknown>;
}

/** The failed logins qBittorrent itself counted (its own log: "WebAPI login failure …"). */
export async function qbittorrentLoginFailures(lab: Lab): Promise<string[]> {
	const answer = await request(`${lab.qbittorrent.url}/api/v2/log/main`, {headers: {cookie: await qbittorrentSession(lab)}});
	return (JSON.parse(answer.text) as Array<{message: string}>).map(entry => entry.message).filter(message => message.startsWith('WebAPI login failure'));
}


/** Every secret of the lab, for "none of them appears" checks. */
export function labSecrets(lab: Lab): string[] {
	return [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password];
}
