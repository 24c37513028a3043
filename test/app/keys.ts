// Driving an Ink app through ink-testing-library: keys as the terminal sends them, small waits between them
// (Ink reads stdin asynchronously), and waiting for a frame to show something.
import {setTimeout as sleep} from 'node:timers/promises';

export const KEY = {
	enter: '\r',
	escape: '\u001B',
	up: '\u001B[A',
	down: '\u001B[B',
	space: ' ',
} as const;

interface Stdin {
	write(data: string): void;
}

/** Sends keys one by one with a pause after each (text is sent as one chunk). */
export async function press(stdin: Stdin, ...keys: string[]): Promise<void> {
	for (const key of keys) {
		stdin.write(key);
		await sleep(60);
	}
}

/** Types text as one chunk (a paste), then waits for the field to show it before the next key. */
export async function type(stdin: Stdin, text: string): Promise<void> {
	stdin.write(text);
	await sleep(120);
}

/** Waits until the last frame matches, and returns it; fails with the frame when it does not in time. */
export async function waitForFrame(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let frame = '';
	while (Date.now() < deadline) {
		frame = lastFrame() ?? '';
		if (pattern.test(frame)) {
			// Ink subscribes the new screen's key handlers just after it draws it.
			await sleep(40);
			return frame;
		}
		await sleep(25);
	}
	throw new Error(`the wizard never showed ${pattern}; it shows:\n${frame}`);
}

/** Every line of every frame fits 80 columns. */
export function widest(frames: string[]): number {
	// eslint-disable-next-line no-control-regex
	return Math.max(0, ...frames.flatMap(frame => frame.replace(/\u001B\[[0-9;]*m/g, '').split('\n')).map(line => [...line].length));
}
