// Lines of text (present/text.ts) drawn in their tones: the screens draw what the present module says.
import {Text} from 'ink';
import type {ReactNode} from 'react';
import type {Line} from '../present/text.js';
import {color} from './theme.js';

export function LineText({line}: {line: Line}) {
	return (
		<Text wrap="truncate-end" color={line.tone ? color(line.tone) : undefined} bold={line.bold}>
			{line.parts
				? line.parts.map((part, index) => (
						<Text key={index} color={part.tone ? color(part.tone) : undefined}>
							{part.text}
						</Text>
					))
				: line.text}
		</Text>
	);
}

/** Lines as rows for a ScrollList or a column. */
export function lineRows(lines: readonly Line[], key = ''): ReactNode[] {
	return lines.map((line, index) => <LineText key={`${key}${index}`} line={line} />);
}
