// Starts the real NZBGet (Debian's package, `nzbget -s`: server mode in the foreground) on a loopback address with a
// throwaway nzbget.conf. No news server is configured: the lab never reaches Usenet, and NZBGet's control API (what
// Sonarr, Radarr and arrwire talk to) needs none.
import type {ChildProcess} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {makeTempFolder, spawnOwned, type TempFolder} from './cleanup.js';
import {sleep} from './emulator.js';
import {freePort} from './qbittorrent.js';
import {errorMessage} from '../services/errors.js';

export interface NzbgetOptions {
	host?: string;
	port?: number;
	username?: string;
	/** Default: a random password (never NZBGet's default tegbzn6789). */
	password?: string;
	/** MainDir: queue, temp, log and the default DestDir; default a new temp dir, removed on stop. */
	mainDir?: string;
	/** Extra nzbget.conf lines, e.g. {'Category1.Name': 'tv'}. */
	options?: Record<string, string>;
	binary?: string;
	startTimeoutMs?: number;
}

export interface RunningNzbget {
	url: string;
	host: string;
	port: number;
	username: string;
	password: string;
	mainDir: string;
	/** nzbget.conf of this instance (what discovery reads). */
	configFile: string;
	version: string;
	pid: number;
	stop(): Promise<void>;
}

export const NZBGET_BINARY = process.env.ARRWIRE_NZBGET ?? 'nzbget';

/** The nzbget.conf the lab runs with (option names from Debian's /etc/nzbget.conf). */
export function nzbgetConf(options: {mainDir: string; host: string; port: number; username: string; password: string; extra?: Record<string, string>}): string {
	const {mainDir} = options;
	const lines: Record<string, string> = {
		MainDir: mainDir,
		DestDir: path.join(mainDir, 'dst'),
		InterDir: path.join(mainDir, 'inter'),
		NzbDir: path.join(mainDir, 'nzb'),
		QueueDir: path.join(mainDir, 'queue'),
		TempDir: path.join(mainDir, 'tmp'),
		ScriptDir: path.join(mainDir, 'scripts'),
		LockFile: path.join(mainDir, 'nzbget.lock'),
		LogFile: path.join(mainDir, 'nzbget.log'),
		WebDir: '/usr/share/nzbget/webui/',
		ConfigTemplate: '/usr/share/nzbget/webui/nzbget.conf',
		ControlIP: options.host,
		ControlPort: String(options.port),
		ControlUsername: options.username,
		ControlPassword: options.password,
		// Nothing leaves the machine: no update check, no news server.
		UpdateCheck: 'none',
		OutputMode: 'loggable',
		WriteLog: 'append',
		...options.extra,
	};
	return Object.entries(lines).map(([name, value]) => `${name}=${value}`).join('\n') + '\n';
}

export async function startNzbget(options: NzbgetOptions = {}): Promise<RunningNzbget> {
	const binary = options.binary ?? NZBGET_BINARY;
	const host = options.host ?? '127.0.0.1';
	const port = options.port ?? (await freePort(host));
	const username = options.username ?? 'nzbget';
	const password = options.password ?? randomBytes(12).toString('base64url');
	const own: TempFolder | undefined = options.mainDir === undefined ? makeTempFolder('arrwire-nzbget-') : undefined;
	const mainDir = options.mainDir ?? own!.path;
	mkdirSync(mainDir, {recursive: true});
	const configFile = path.join(mainDir, 'nzbget.conf');
	writeFileSync(configFile, nzbgetConf({mainDir, host, port, username, password, extra: options.options}), {mode: 0o600});

	let child: ChildProcess;
	let stopChild: () => Promise<void>;
	let output = '';
	let exited: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	let spawnError: Error | undefined;
	try {
		// Registered for stopping before anything is awaited; its own process group (see spawnOwned).
		({child, stop: stopChild} = spawnOwned(binary, ['-c', configFile, '-s'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, HOME: mainDir}}));
	} catch (error) {
		await own?.remove();
		throw missingBinary(binary, error);
	}
	child.on('error', error => {
		spawnError = error;
	});
	child.on('exit', (code, signal) => {
		exited = {code, signal};
	});
	child.stdout?.on('data', chunk => (output += String(chunk)));
	child.stderr?.on('data', chunk => (output += String(chunk)));
	const stop = async () => {
		await stopChild();
		await own?.remove();
	};

	const url = `http://${host}:${port}`;
	const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
	let version = '';
	while (!version) {
		if (spawnError) {
			await stop();
			throw missingBinary(binary, spawnError);
		}
		if (exited) {
			await stop();
			throw new Error(`nzbget exited (${exited.code ?? exited.signal}) before its control port answered:\n${output.trim()}`);
		}
		try {
			const answer = await rpc(url, username, password, 'version');
			if (answer.status !== 200) {
				await stop();
				throw new Error(`nzbget answered the lab's own login with HTTP ${answer.status}`);
			}
			version = String((JSON.parse(answer.text) as {result: unknown}).result);
		} catch (error) {
			if (error instanceof Error && error.message.startsWith('nzbget answered')) {
				throw error;
			}
		}
		if (!version && Date.now() > deadline) {
			await stop();
			throw new Error(`nzbget did not answer on ${url} within the time limit:\n${output.trim()}`);
		}
		if (!version) {
			await sleep(100);
		}
	}
	return {url, host, port, username, password, mainDir, configFile, version, pid: child.pid ?? 0, stop};
}

/** One JSON-RPC call on a connection of its own (NZBGet answers with Connection: close). */
function rpc(url: string, username: string, password: string, method: string): Promise<{status: number; text: string}> {
	return new Promise((resolve, reject) => {
		const body = JSON.stringify({method, params: [], id: 1});
		const request = httpRequest(`${url}/jsonrpc`, {
			method: 'POST',
			agent: false,
			timeout: 2000,
			headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`},
		});
		request.on('timeout', () => request.destroy(new Error('timed out')));
		request.on('error', reject);
		request.on('response', response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('error', reject);
			response.on('end', () => resolve({status: response.statusCode ?? 0, text}));
		});
		request.end(body);
	});
}

function missingBinary(binary: string, error: unknown): Error {
	const reason = errorMessage(error);
	return new Error(`The lab needs the real NZBGet (${binary}), which could not be started: ${reason}. Install it: sudo apt-get install nzbget`);
}
