// `arrwire lab` and `arrwire demo` stopped by a signal at any moment — as it starts, while qBittorrent starts, once
// the lab is up, during the demo's apply, or when the terminal closes: the process exits with 128 + the signal,
// no qbittorrent-nox of that run is alive, nothing listens where the lab did, and its temp dir holds no folder.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, describe, it} from 'node:test';
import {Terminal} from '../tty.js';

const cli = path.resolve('dist/bin/arrwire.js');
const SIGNAL_CODES = {SIGINT: 130, SIGTERM: 143, SIGHUP: 129} as const;
type Signal = keyof typeof SIGNAL_CODES;

const scratch: string[] = [];
after(() => {
	for (const folder of scratch) {
		rmSync(folder, {recursive: true, force: true});
	}
});

/** A fresh TMPDIR for one run, so that whatever it leaves there is its own. */
function freshTmp(): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'signals-test-'));
	scratch.push(folder);
	return folder;
}

function procEntries(): string[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name));
}

function readFileOr(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function readProc(pid: string, file: string): string {
	return readFileOr(`/proc/${pid}/${file}`);
}

/** Live processes (not zombies) whose command line names a path inside `folder`: that run's qbittorrent-nox. */
function processesUnder(folder: string): string[] {
	return procEntries().filter(pid => {
		const state = /^State:\s+(\S)/m.exec(readProc(pid, 'status'))?.[1];
		return state !== undefined && state !== 'Z' && readProc(pid, 'cmdline').split('\0').some(arg => arg.includes(`${folder}/`));
	});
}

/** qBittorrent's WebUI address of the run, read from its own config as soon as it runs. */
function qbittorrentEndpoint(folder: string): string | undefined {
	for (const pid of processesUnder(folder)) {
		const args = readProc(pid, 'cmdline').split('\0');
		const profile = args.find(arg => arg.startsWith('--profile='))?.slice('--profile='.length);
		const port = args.find(arg => arg.startsWith('--webui-port='))?.slice('--webui-port='.length);
		const conf = profile ? readFileOr(path.join(profile, 'qBittorrent', 'config', 'qBittorrent.conf')) : '';
		const address = /^WebUI\\Address=(.*)$/m.exec(conf)?.[1];
		if (address && port) {
			return `${address}:${port}`;
		}
	}
	return undefined;
}

async function refused(endpoint: string): Promise<boolean> {
	const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(':')), Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))];
	return new Promise(resolve => {
		const socket = connect({host, port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(true));
	});
}

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = probe();
		if (value) {
			return value;
		}
		await sleep(20);
	}
	throw new Error(`timed out waiting for ${what}`);
}

type Moment = 'as it starts' | 'while qBittorrent starts' | 'once the lab is up' | 'during the apply';

/** Runs the CLI with its own TMPDIR, sends `signal` at `moment`, and checks that it left nothing. */
async function interrupt(args: string[], moment: Moment, signal: Signal): Promise<void> {
	const tmp = freshTmp();
	const child = spawn(process.execPath, [cli, ...args], {env: {...process.env, TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => child.once('exit', (code, killed) => resolve({code, signal: killed})));
	const endpoints = new Set<string>();
	const running = () => {
		assert.equal(child.exitCode, null, `it ended before ${moment}:\n${output}`);
		const qbittorrent = qbittorrentEndpoint(tmp);
		if (qbittorrent) {
			endpoints.add(qbittorrent);
		}
		return qbittorrent;
	};
	try {
		await waitUntil(moment, () => {
			const qbittorrent = running();
			switch (moment) {
				case 'as it starts':
					return /Starting/.test(output);
				case 'while qBittorrent starts':
					return qbittorrent !== undefined;
				case 'once the lab is up':
					return /The lab is up/.test(output) && (args[0] !== 'lab' || /Press Ctrl-C/.test(output));
				case 'during the apply':
					return /3\. Apply/.test(output);
			}
		});
		for (const url of output.match(/http:\/\/127\.[\d.]+:\d+/g) ?? []) {
			endpoints.add(url.slice('http://'.length));
		}
		child.kill(signal);
		const end = await exited;
		assert.deepEqual(end, {code: SIGNAL_CODES[signal], signal: null}, `exit status after ${signal} ${moment}:\n${output}`);
		assert.deepEqual(processesUnder(tmp), [], `no qbittorrent-nox of the run is alive:\n${output}`);
		assert.deepEqual(readdirSync(tmp), [], 'its temp dir holds nothing');
		if (moment !== 'as it starts') {
			assert.ok(endpoints.size > 0, 'the run showed where it listens');
		}
		for (const endpoint of endpoints) {
			assert.ok(await refused(endpoint), `nothing listens on ${endpoint} any more`);
		}
	} finally {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
}

describe('arrwire lab stopped by a signal leaves nothing running and no folder behind', {timeout: 600_000}, () => {
	for (const moment of ['as it starts', 'while qBittorrent starts', 'once the lab is up'] as const) {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
			it(`${signal} ${moment}`, {timeout: 120_000}, () => interrupt(['lab'], moment, signal));
		}
	}
});

describe('arrwire demo --plain stopped by a signal leaves nothing running and no folder behind', {timeout: 600_000}, () => {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		it(`${signal} during the apply`, {timeout: 120_000}, () => interrupt(['demo', '--plain'], 'during the apply', signal));
	}
	it('SIGTERM while qBittorrent starts', {timeout: 120_000}, () => interrupt(['demo', '--plain'], 'while qBittorrent starts', 'SIGTERM'));
});

describe('arrwire lab killed outright (SIGKILL, which cannot be handled)', {timeout: 300_000}, () => {
	it('takes qbittorrent-nox with it, and the next run removes the folder it left', {timeout: 180_000}, async () => {
		const tmp = freshTmp();
		const start = () => {
			const child = spawn(process.execPath, [cli, 'lab'], {env: {...process.env, TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'inherit']});
			let output = '';
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
			return {child, exited, up: () => waitUntil('the lab', () => /Press Ctrl-C/.test(output))};
		};
		const first = start();
		await first.up();
		const folders = readdirSync(tmp);
		assert.equal(folders.length, 1, 'the lab made its folder');
		first.child.kill('SIGKILL');
		await first.exited;
		await waitUntil('its qbittorrent-nox to die with it', () => processesUnder(tmp).length === 0, 30_000);
		assert.deepEqual(readdirSync(tmp), folders, 'a SIGKILL leaves the folder');

		const second = start();
		await second.up();
		assert.ok(!readdirSync(tmp).includes(folders[0]!), 'the next run removed the leftover folder');
		second.child.kill('SIGTERM');
		assert.equal(await second.exited, 143);
		assert.deepEqual(readdirSync(tmp), []);
		assert.deepEqual(processesUnder(tmp), []);
	});
});

/** The arrwire process of a run, found by the TMPDIR it was given. */
function arrwireOf(tmp: string): string | undefined {
	return procEntries().find(pid => readProc(pid, 'cmdline').includes(cli) && readProc(pid, 'environ').split('\0').includes(`TMPDIR=${tmp}`));
}

describe('the demo wizard in a terminal', {timeout: 300_000}, () => {
	const wizard = async (act: (terminal: Terminal, tmp: string) => Promise<void>) => {
		const tmp = freshTmp();
		const terminal = new Terminal([process.execPath, cli, 'demo'], {env: {TMPDIR: tmp}, width: 120, height: 40});
		try {
			await act(terminal, tmp);
			assert.deepEqual(processesUnder(tmp), [], 'no qbittorrent-nox of the run is alive');
			assert.deepEqual(readdirSync(tmp), [], 'its temp dir holds nothing');
		} finally {
			terminal.close();
		}
	};

	it('Ctrl-C in the wizard (a key in raw mode) quits with 130 and stops the lab', {timeout: 120_000}, () =>
		wizard(async terminal => {
			await terminal.waitFor(/enter next: credentials/);
			terminal.key('C-c');
			await terminal.waitFor(/\[exit 130\]/);
		}));

	it('Ctrl-C while the lab starts quits with 130', {timeout: 120_000}, () =>
		wizard(async (terminal, tmp) => {
			await terminal.waitFor(/Starting the demo lab/);
			await waitUntil('qBittorrent to start', () => processesUnder(tmp).length > 0);
			terminal.key('C-c');
			await terminal.waitFor(/\[exit 130\]/);
		}));

	it('closing the terminal (SIGHUP) stops the lab', {timeout: 120_000}, () =>
		wizard(async (terminal, tmp) => {
			await terminal.waitFor(/enter next: credentials/);
			const pid = arrwireOf(tmp);
			assert.ok(pid, 'the arrwire process is found');
			terminal.close();
			await waitUntil('arrwire to exit', () => !readProc(pid, 'cmdline') || /^State:\s+Z/m.test(readProc(pid, 'status')), 30_000);
		}));
});
