// Colours in one place; the tones and marks they colour are the ones every text uses (present/text.ts).
// NO_COLOR (https://no-color.org) turns colours off: Ink's chalk does not read it, so every colour prop goes through
// color(), which gives none when it is set.
import {defaultTheme, extendTheme, type Theme} from '@inkjs/ui';
import type {Tone} from '../present/text.js';

export {MARK, type Tone} from '../present/text.js';

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

/**
 * @inkjs/ui's widgets in these tones (Frame hands it to them through its ThemeProvider): the spinner as the accent,
 * the progress bar as done (ok) over to do (dim). Its styles are functions called at each render, so they go through
 * color() and NO_COLOR turns them off too; the bar's "to do" part is coloured dim instead of @inkjs/ui's dimColor,
 * an escape code NO_COLOR would not remove.
 */
export const widgetTheme: Theme = extendTheme(defaultTheme, {
	components: {
		Spinner: {styles: {frame: () => ({color: color('accent')})}},
		ProgressBar: {styles: {completed: () => ({color: color('ok')}), remaining: () => ({color: color('dim')})}},
	},
});
