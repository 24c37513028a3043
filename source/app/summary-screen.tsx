// Step 6: the stack map: the six services and the links between them, coloured by state
// (linked / changed / failed / skipped), and what to do next.
import {Box, Text} from 'ink';
import type {LinkPlanView} from './controller.js';
import {Frame} from './frame.js';
import {ScrollList} from './scroll-list.js';
import {EDGES, edgeState, linkStates, type LinkState, type RunOutcome} from './stack-map.js';
import {color, MARK, type Tone} from './theme.js';
import {useKeys} from './typing.js';

export interface ServiceMark {
	name: string;
	state: 'ready' | 'no-credential' | 'missing';
}

export interface SummaryScreenProps {
	services: ServiceMark[];
	plans: LinkPlanView[];
	outcome: RunOutcome;
	userSkipped: ReadonlySet<string>;
	journalFile?: string;
	onExit(): void;
}

const STATE_TONE: Record<LinkState, Tone> = {linked: 'ok', changed: 'changed', failed: 'failed', skipped: 'skipped'};
const STATE_MARK: Record<LinkState, string> = {linked: '●', changed: '◆', failed: MARK.failed, skipped: '○'};
const SERVICE_TONE: Record<ServiceMark['state'], Tone> = {ready: 'ok', 'no-credential': 'warning', missing: 'skipped'};

export function SummaryScreen({services, plans, outcome, userSkipped, journalFile, onExit}: SummaryScreenProps) {
	useKeys((_input, key) => {
		if (key.return) {
			onExit();
		}
	});
	const states = linkStates(plans, outcome, userSkipped);
	const edges = EDGES.filter(edge => plans.some(plan => plan.id === edge.links[0]));
	const counts = {linked: 0, changed: 0, failed: 0, skipped: 0};
	for (const state of Object.values(states)) {
		counts[state]++;
	}
	const rows = edges.map(edge => {
		const state = edgeState(edge, states);
		const arrow = `──${edge.label}──▶`;
		return (
			<Text key={`${edge.from}-${edge.to}-${edge.label}`} wrap="truncate-end">
				{'  '}
				{edge.from.padStart(11)} <Text color={color(STATE_TONE[state])}>{arrow.padEnd(24, ' ')}</Text> {edge.to.padEnd(13)}
				<Text color={color(STATE_TONE[state])}>
					{STATE_MARK[state]} {state}
				</Text>
			</Text>
		);
	});
	const verdict = counts.failed > 0 ? 'Some links failed: the messages in the apply step say why; run arrwire again once fixed.' : counts.skipped > 0 ? 'Wired, except the skipped links.' : 'The stack is wired.';
	return (
		<Frame step="Summary" keys="enter exit · esc back to the plan · q quit">
			<Text wrap="truncate-end">
				{services.map((service, index) => (
					<Text key={service.name}>
						{index > 0 ? '  ' : ''}
						<Text color={color(SERVICE_TONE[service.state])}>
							{service.state === 'ready' ? MARK.ok : service.state === 'missing' ? '○' : '!'} {service.name}
						</Text>
					</Text>
				))}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				<ScrollList rows={rows} height={14} />
			</Box>
			<Text>
				<Text color={color('ok')}>● linked {counts.linked}</Text>
				{'  '}
				<Text color={color('changed')}>◆ changed {counts.changed}</Text>
				{'  '}
				<Text color={color('failed')}>
					{MARK.failed} failed {counts.failed}
				</Text>
				{'  '}
				<Text color={color('skipped')}>○ skipped {counts.skipped}</Text>
			</Text>
			<Text wrap="wrap">
				{verdict}
				{outcome.applied.length > 0 && journalFile ? ` Journal: ${journalFile} (arrwire undo reverses this run).` : ''}
			</Text>
		</Frame>
	);
}
