// Step 5: the changes made one by one, with progress; step by step asks before each, and entries made by hand are
// always asked about. After each link, its own verify result. The run and its state are use-apply.ts's.
import {ProgressBar, Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {describeChange} from '../links/change.js';
import type {RunOutcome} from '../present/stack-map.js';
import {wrapText} from '../present/wrap.js';
import type {WizardController} from './controller.js';
import type {ApplyMode} from './flow.js';
import {Frame} from './frame.js';
import {LIST_ROWS, WIDTH} from './layout.js';
import {lineRows} from './lines.js';
import {ScrollList} from './scroll-list.js';
import {color} from './theme.js';
import {useApply} from './use-apply.js';

export interface ApplyScreenProps {
	controller: WizardController;
	links: string[];
	mode: ApplyMode;
	/** How many changes the plan showed (for the progress count). */
	planned: number;
	titles?: Record<string, string>;
	onDone: (outcome: RunOutcome) => void;
}

/** The bar's width: @inkjs/ui's ProgressBar fills the box it is given. */
const BAR = 30;
// The spinner's label is wrapped here, after its two columns: @inkjs/ui's Spinner sets it beside the frame, and a
// word wider than the row (a long path in a change) would squeeze the frame out of its column.

export function ApplyScreen({controller, links, mode, planned, titles, onDone}: ApplyScreenProps) {
	const {lines, made, working, question, outcome} = useApply({controller, links, mode, titles, onDone});
	const total = Math.max(planned, made);
	// Nothing to make is all made: a full bar.
	const percent = total === 0 ? 100 : (made / total) * 100;
	const keys = question ? `y yes · n no · enter = ${question.byDefault ? 'yes' : 'no'}` : outcome ? 'enter next: summary · ↑↓ scroll · q quit' : 'working… · q quit';

	return (
		<Frame step="Apply" keys={keys}>
			<Box gap={1}>
				<Box width={BAR}>
					<ProgressBar value={percent} />
				</Box>
				<Text>
					{made} of {total} change(s) made{mode === 'step' ? ' (step by step)' : ''}
				</Text>
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<ScrollList
					rows={lineRows(lines)}
					height={question ? LIST_ROWS.applyLogAsking : LIST_ROWS.applyLog}
					focusRow={outcome ? undefined : Math.max(0, lines.length - 1)}
					active={outcome !== undefined}
				/>
			</Box>
			{question && (
				<Box flexDirection="column" marginTop={1}>
					{describeChange(question.change)
						.slice(0, LIST_ROWS.question)
						.map((line, index) => (
							<Text key={index} wrap="truncate-end" color={index === 0 ? color('changed') : undefined}>
								{line}
							</Text>
						))}
					<Text bold color={question.change.handMade ? color('warning') : undefined}>
						{question.question} {question.byDefault ? '(Y/n)' : '(y/N)'}
					</Text>
				</Box>
			)}
			{working && !question && <Spinner label={wrapText(working, WIDTH - 2).join('\n')} />}
			{outcome && (
				<Text wrap="wrap">
					{outcome.applied.length} change(s) made, {outcome.declined.length} left alone
					{outcome.failed ? '; stopped at a failure (run arrwire again once it is fixed: it picks up from there)' : ''}. Next: the stack map.
				</Text>
			)}
		</Frame>
	);
}
