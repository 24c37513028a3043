// Waiting for what a test expects instead of for a fixed time: a write that an emulator answered late (after the
// client gave up) is in its request log once its handler has run, whatever the load on the machine.
import {setTimeout as sleep} from 'node:timers/promises';
import type {Emulator} from '../../source/lab/emulator.js';

/** Resolves once `condition` holds; fails with `what` if it never does (a deadline for a hang, not a wait). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			throw new Error(`never happened: ${what}`);
		}
		await sleep(20);
	}
}

/** The writes an emulator has carried out for this method and path (no id, no URL base). */
export function writesTo(emulator: Emulator, method: string, path: string): number {
	return emulator.writes().filter(entry => entry.method === method && entry.path.toLowerCase() === path.toLowerCase()).length;
}

/** Resolves once the emulator has carried out more than `before` writes to this method and path. */
export async function landed(emulator: Emulator, method: string, path: string, before: number): Promise<void> {
	await until(() => writesTo(emulator, method, path) > before, `${method} ${path} reached the emulator's state`);
}
