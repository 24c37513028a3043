// Driving an Ink app through ink-testing-library: keys as the terminal sends them, and waiting for what they are
// expected to do (a frame that shows something, a callback that was called), never for time. Each screen listens
// from the moment it is drawn (source/app/typing.ts), so a test may type as soon as it sees the frame.

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

/** Sends one chunk, as a terminal would: one key, or several at once (a paste, type-ahead). */
export function send(stdin: Stdin, chunk: string): void {
	stdin.write(chunk);
}

const tick = () => new Promise<void>(resolve => setTimeout(resolve, 10));

/** Waits until the condition holds (a callback was called, a request made); fails with what it says when it does not in time. */
export async function until(condition: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`never happened: ${what()}`);
		}
		await tick();
	}
}

/** Waits until the last frame matches, and returns it; fails with the frame when it does not in time. */
export async function waitForFrame(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
	await until(() => pattern.test(lastFrame() ?? ''), () => `the wizard never showed ${pattern}; it shows:\n${lastFrame() ?? ''}`, timeoutMs);
	return lastFrame() ?? '';
}

/** The frames' text without colour. */
export function plain(frame: string): string {
	return frame.replace(/\u001B\[[0-9;]*m/g, '');
}

/** Every line of every frame fits 80 columns. */
export function widest(frames: string[]): number {
	return Math.max(0, ...frames.flatMap(frame => plain(frame).split('\n')).map(line => [...line].length));
}
