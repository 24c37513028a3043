// Colours and marks in one place. NO_COLOR (https://no-color.org) turns colours off: Ink's chalk does not read it,
// so every colour prop goes through color(), which gives none when it is set.

export type Tone = 'ok' | 'changed' | 'failed' | 'skipped' | 'warning' | 'info' | 'accent' | 'dim';

const COLORS: Record<Tone, string> = {
	ok: 'green',
	changed: 'cyan',
	failed: 'red',
	skipped: 'gray',
	warning: 'yellow',
	info: 'blue',
	accent: 'magenta',
	dim: 'gray',
};

export function colorsOff(env: NodeJS.ProcessEnv = process.env): boolean {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** The colour for a tone, or undefined when NO_COLOR is set (so no escape codes are written). */
export function color(tone: Tone): string | undefined {
	return colorsOff() ? undefined : COLORS[tone];
}

export const MARK = {
	ok: '✔',
	failed: '✖',
	warning: '!',
	info: 'i',
	pointer: '›',
	bullet: '•',
	arrow: '→',
} as const;

export const SEVERITY_MARK = {error: MARK.failed, warning: MARK.warning, info: MARK.info} as const;
export const SEVERITY_TONE: Record<'error' | 'warning' | 'info', Tone> = {error: 'failed', warning: 'warning', info: 'info'};

/** The wizard fits an 80x24 terminal: the header and the key help take 4 lines, the rest is the screen's. */
export const SCREEN_ROWS = 24;
export const BODY_ROWS = 16;
