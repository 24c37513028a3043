// What the lab leaves on this machine — its temp folders and the real qbittorrent-nox — registered the moment it is
// made, so that whatever ends the run (a return, an error, Ctrl-C, SIGTERM, SIGHUP when the terminal closes) can
// take it all away, and the next run can sweep what a SIGKILL left behind (a SIGKILL cannot be caught).
import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

interface Entry {
	/** Stops it for good (waits for a child to exit); runs once, however many times it is called. */
	run: () => Promise<void>;
	/** The same without waiting, for the last moment of a process that is exiting. */
	runNow: () => void;
}

const entries: Entry[] = [];
/** Every folder this process made, for the last pass before a signal's exit (see cleanUpOnSignals). */
const folders = new Set<string>();
/** Set once a signal's clean-up has begun: from then on nothing new may be started. */
let closing = false;

function register(stop: () => Promise<void>, stopNow: () => void): Entry {
	if (closing) {
		stopNow();
		throw new Error('arrwire is stopping: nothing new is started.');
	}
	let done: Promise<void> | undefined;
	const entry: Entry = {
		run: () => {
			done ??= (async () => {
				try {
					await stop();
				} finally {
					forget(entry);
				}
			})();
			return done;
		},
		runNow: () => {
			if (!done) {
				done = Promise.resolve();
				try {
					stopNow();
				} finally {
					forget(entry);
				}
			}
		},
	};
	entries.push(entry);
	installExitHook();
	return entry;
}

function forget(entry: Entry): void {
	const index = entries.indexOf(entry);
	if (index >= 0) {
		entries.splice(index, 1);
	}
}

/** Stops everything still registered, newest first (a child before the folder it writes in). */
export async function cleanUpAll(): Promise<void> {
	for (const entry of [...entries].reverse()) {
		await entry.run().catch(() => undefined);
	}
}

/** Everything still registered, without waiting: children are killed outright, folders removed. */
export function cleanUpAllNow(): void {
	for (const entry of [...entries].reverse()) {
		try {
			entry.runNow();
		} catch {
			// The next entry still gets its turn.
		}
	}
}

let exitHookInstalled = false;
function installExitHook(): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// The last word, whatever path leads to the exit (an uncaught error, process.exit() elsewhere).
		process.on('exit', cleanUpAllNow);
	}
}

const OWNER_FILE = '.arrwire-owner';

/** This process as "pid start-time", so a later run can tell a dead owner from a pid that was reused. */
function processTag(pid: number): string | undefined {
	try {
		// Field 22 of /proc/PID/stat is the start time; the name in field 2 may hold spaces, so count after ')'.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return `${pid} ${fields[19]}`;
	} catch {
		return undefined;
	}
}

export interface TempFolder {
	path: string;
	/** Removes it (once); also done by cleanUpAll and at exit. */
	remove: () => Promise<void>;
}

/**
 * A new folder under the temp dir, registered for removal before anything else happens, with a note of its owner
 * so that a later run removes it if this process is killed before it can.
 */
export function makeTempFolder(prefix: string): TempFolder {
	const folder = mkdtempSync(path.join(tmpdir(), prefix));
	folders.add(folder);
	const remove = () => rmSync(folder, {recursive: true, force: true});
	const entry = register(() => Promise.resolve(remove()), remove);
	writeFileSync(path.join(folder, OWNER_FILE), `${processTag(process.pid) ?? process.pid}\n`);
	return {path: folder, remove: entry.run};
}

export interface OwnedChild {
	child: ChildProcess;
	/** SIGTERM to its whole process group, SIGKILL after `graceMs`; resolves once it has exited. Runs once. */
	stop: () => Promise<void>;
}

/** util-linux's setpriv, which can set the parent-death signal of the program it runs. */
function setpriv(): string | undefined {
	return ['/usr/bin/setpriv', '/bin/setpriv'].find(candidate => existsSync(candidate));
}

/**
 * Spawns a program in its own process group (so Ctrl-C in the terminal reaches arrwire alone, which then stops it
 * in order), registered for stopping before anything is awaited. Where util-linux's setpriv is there, the kernel
 * also sends it SIGKILL if arrwire dies without cleaning up (PR_SET_PDEATHSIG, kept across exec): a SIGKILL to
 * arrwire cannot be handled, and nothing else would stop it then. (The signal follows the thread that spawned it:
 * here Node's main thread, which lives as long as arrwire.) Without setpriv, the next run's sweepLeftovers stops it.
 */
export function spawnOwned(command: string, args: string[], options: SpawnOptions & {graceMs?: number} = {}): OwnedChild {
	const wrapper = setpriv();
	const [file, argv] = wrapper ? [wrapper, ['--pdeathsig', 'SIGKILL', '--', command, ...args]] : [command, args];
	const child = spawn(file, argv, {...options, detached: true});
	let exited = false;
	const gone = new Promise<void>(resolve => {
		child.once('exit', () => {
			exited = true;
			resolve();
		});
		// A program that could not be started never exits.
		child.once('error', () => {
			if (child.pid === undefined) {
				exited = true;
				resolve();
			}
		});
	});
	const signalGroup = (signal: NodeJS.Signals) => {
		if (child.pid !== undefined && !exited) {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// Already gone.
			}
		}
	};
	const entry = register(
		async () => {
			signalGroup('SIGTERM');
			const timer = setTimeout(() => signalGroup('SIGKILL'), options.graceMs ?? 5000);
			await gone;
			clearTimeout(timer);
		},
		() => signalGroup('SIGKILL'),
	);
	return {child, stop: entry.run};
}

const SIGNAL_NUMBERS = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;

/**
 * For a command that runs the lab: on SIGINT, SIGTERM or SIGHUP, stop all that is registered and exit with
 * 128 + the signal's number. Install it before the lab starts. A second signal during the clean-up kills what is
 * left at once. Returns the function that removes the handlers.
 */
export function cleanUpOnSignals(onSignal?: (signal: NodeJS.Signals) => void): () => void {
	let stopping = false;
	const handler = (signal: NodeJS.Signals) => {
		const code = 128 + SIGNAL_NUMBERS[signal as keyof typeof SIGNAL_NUMBERS];
		process.exitCode = code;
		if (stopping) {
			cleanUpAllNow();
			process.exit(code);
		}
		stopping = true;
		// After SIGHUP the terminal is gone: a write to it fails, and that must not end the clean-up.
		for (const stream of [process.stdout, process.stderr]) {
			stream.on('error', () => undefined);
		}
		try {
			onSignal?.(signal);
		} catch {
			// Only a message.
		}
		closing = true;
		void cleanUpAll().finally(() => {
			// What was still running while the clean-up waited (an emulator writing its config) may have made a
			// folder again; nothing runs between this pass and the exit.
			for (const folder of folders) {
				try {
					rmSync(folder, {recursive: true, force: true});
				} catch {
					// The exit comes first.
				}
			}
			process.exit(code);
		});
	};
	const signals = Object.keys(SIGNAL_NUMBERS) as NodeJS.Signals[];
	for (const signal of signals) {
		process.on(signal, handler);
	}
	return () => {
		for (const signal of signals) {
			process.off(signal, handler);
		}
	};
}

/**
 * Removes what an earlier run left in the temp dir when it was killed outright: folders named `prefix*` whose owner
 * process is gone, and any qbittorrent-nox still running with its profile in one of them.
 */
export function sweepLeftovers(prefixes: string[]): void {
	const base = tmpdir();
	let names: string[];
	try {
		names = readdirSync(base);
	} catch {
		return;
	}
	for (const name of names) {
		if (!prefixes.some(prefix => name.startsWith(prefix))) {
			continue;
		}
		const folder = path.join(base, name);
		let owner: string;
		try {
			owner = readFileSync(path.join(folder, OWNER_FILE), 'utf8').trim();
		} catch {
			// No note of its owner: not ours to judge (it may be one being made right now).
			continue;
		}
		const pid = Number(owner.split(' ')[0]);
		if (!Number.isInteger(pid) || pid <= 0 || processTag(pid) === owner || (!owner.includes(' ') && existsSync(`/proc/${pid}`))) {
			continue;
		}
		for (const leftover of processesUnder(folder)) {
			try {
				process.kill(leftover, 'SIGKILL');
			} catch {
				// Gone already.
			}
		}
		rmSync(folder, {recursive: true, force: true});
	}
}

/** Processes whose command line names a path inside `folder` (a qbittorrent-nox --profile=…). */
export function processesUnder(folder: string): number[] {
	const found: number[] = [];
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter(name => /^\d+$/.test(name));
	} catch {
		return found;
	}
	for (const pid of pids) {
		try {
			const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			if (args.some(arg => arg.includes(`${folder}${path.sep}`) || arg.endsWith(folder))) {
				found.push(Number(pid));
			}
		} catch {
			// It ended while we looked.
		}
	}
	return found;
}
