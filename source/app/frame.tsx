// Every step's frame: where the user is (step n of 6), the screen, and the keys that work here. It gives the screen's
// @inkjs/ui widgets the app's theme, so every screen, drawn in the app or on its own, shows them in its tones.
import {ThemeProvider} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {STEPS, type StepName} from './flow.js';
import {COLUMNS} from './layout.js';
import {color, widgetTheme} from './theme.js';

export function Frame({step, keys, children}: {step: StepName; keys: string; children: ReactNode}) {
	const index = STEPS.indexOf(step);
	return (
		<Box flexDirection="column" width={COLUMNS}>
			<Box>
				<Text bold color={color('accent')}>
					arrwire
				</Text>
				<Text>
					{'  '}
					{STEPS.map((name, position) => (position === index ? `[${position + 1} ${name}]` : `${position + 1} ${name}`)).join(' · ')}
				</Text>
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<ThemeProvider theme={widgetTheme}>{children}</ThemeProvider>
			</Box>
			<Box marginTop={1} flexDirection="column">
				{keyLines(keys).map((line, index) => (
					<Text key={index} color={color('dim')} wrap="truncate-end">
						{line}
					</Text>
				))}
			</Box>
		</Box>
	);
}

/** The key hints on as many lines as they need at 80 columns, broken between hints, never inside one. */
export function keyLines(keys: string, width = COLUMNS): string[] {
	const lines: string[] = [];
	for (const hint of keys.split(' · ')) {
		const last = lines.at(-1);
		if (last !== undefined && [...`${last} · ${hint}`].length <= width) {
			lines[lines.length - 1] = `${last} · ${hint}`;
		} else {
			lines.push(hint);
		}
	}
	return lines;
}
