// Step 6: the stack map: the six services and the links between them, coloured by state
// (linked / changed / failed / skipped), and what to do next.
import {Box, Text} from 'ink';
import type {LinkPlanView} from './controller.js';
import {Frame} from './frame.js';
import {LIST_ROWS, WIDTH} from './layout.js';
import {LineText, lineRows} from './lines.js';
import {ScrollList} from './scroll-list.js';
import {protocolFlowLines} from '../present/protocols.js';
import {countStates, edgeLines, legendLine, linkStates, servicesLine, type RunOutcome, type ServiceState} from '../present/stack-map.js';
import {useKeys} from './typing.js';

export interface ServiceMark {
	name: string;
	state: ServiceState;
}

export interface SummaryScreenProps {
	services: ServiceMark[];
	plans: LinkPlanView[];
	outcome: RunOutcome;
	userSkipped: ReadonlySet<string>;
	journalFile?: string;
	onExit: () => void;
}

export function SummaryScreen({services, plans, outcome, userSkipped, journalFile, onExit}: SummaryScreenProps) {
	useKeys((_input, key) => {
		if (key.return) {
			onExit();
		}
	});
	const states = linkStates(plans, outcome, userSkipped);
	const counts = countStates(states);
	const verdict = counts.failed > 0 ? 'Some links failed: the messages in the apply step say why; run arrwire again once fixed.' : counts.skipped > 0 ? 'Wired, except the skipped links.' : 'The stack is wired.';
	return (
		<Frame step="Summary" keys="enter exit · esc back to the plan · q quit">
			<LineText line={servicesLine(services, WIDTH)} />
			<Box flexDirection="column" marginTop={1}>
				<ScrollList rows={lineRows(edgeLines(states))} height={LIST_ROWS.summary} />
			</Box>
			<LineText line={legendLine(states)} />
			{protocolFlowLines(states).map((line, index) => (
				<LineText key={index} line={line} />
			))}
			<Text wrap="wrap">
				{verdict}
				{outcome.applied.length > 0 && journalFile ? ` Journal: ${journalFile} (arrwire undo reverses this run).` : ''}
			</Text>
		</Frame>
	);
}
