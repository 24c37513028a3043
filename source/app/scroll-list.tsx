// A window over lines that do not fit: up/down (and page up/down) scroll it; the rows above and below are counted.
import {Box, Text} from 'ink';
import {useEffect, useState, type ReactNode} from 'react';
import {color} from './theme.js';
import {useKeys} from './typing.js';

export interface ScrollListProps {
	rows: ReactNode[];
	height: number;
	/** Keep this row in view (a cursor); without it, the arrows scroll. */
	focusRow?: number;
	active?: boolean;
}

export function ScrollList({rows, height, focusRow, active = true}: ScrollListProps) {
	const [top, setTop] = useState(0);
	const fits = rows.length <= height;
	// Two rows are kept for "↑ n more" / "↓ n more" when the list does not fit.
	const window = fits ? height : Math.max(1, height - 2);
	const maxTop = Math.max(0, rows.length - window);

	useEffect(() => {
		if (focusRow === undefined) {
			return;
		}
		// Scrolls to a row the screen moved the focus to; the keys scroll this list too, so top is state of its own.
		// eslint-disable-next-line react-hooks/set-state-in-effect
		setTop(previous => (focusRow < previous ? focusRow : focusRow >= previous + window ? focusRow - window + 1 : previous));
	}, [focusRow, window]);

	useKeys(
		(_input, key) => {
			if (focusRow !== undefined) {
				return;
			}
			if (key.downArrow) {
				setTop(previous => Math.min(maxTop, previous + 1));
			} else if (key.upArrow) {
				setTop(previous => Math.max(0, previous - 1));
			} else if (key.pageDown) {
				setTop(previous => Math.min(maxTop, previous + window));
			} else if (key.pageUp) {
				setTop(previous => Math.max(0, previous - window));
			}
		},
		{isActive: active && !fits},
	);

	const start = Math.min(top, maxTop);
	const visible = rows.slice(start, start + window);
	return (
		<Box flexDirection="column">
			{!fits && <Text color={color('dim')}>{start > 0 ? `↑ ${start} more` : ' '}</Text>}
			{visible.map((row, index) => (
				<Box key={start + index}>{typeof row === 'string' ? <Text wrap="truncate-end">{row}</Text> : row}</Box>
			))}
			{!fits && <Text color={color('dim')}>{start + window < rows.length ? `↓ ${rows.length - start - window} more (↑↓ to scroll)` : ' '}</Text>}
		</Box>
	);
}
