// The wizard: one step at a time, discovery -> credentials -> checks -> plan -> apply -> summary. The flow (flow.ts)
// holds what the steps hand each other and where esc goes back to; this file gives each step its screen. q asks
// before quitting. All side effects sit in the controller.
import {Box, Text} from 'ink';
import {useReducer, useState, type ReactNode} from 'react';
import {ApplyScreen} from './apply-screen.js';
import {ChecksScreen} from './checks-screen.js';
import type {WizardController} from './controller.js';
import {CredentialsScreen} from './credentials-screen.js';
import {DiscoverScreen} from './discover-screen.js';
import {chosenChanges, EXIT, flowReducer, initialFlow, serviceMarks, summaryExitCode, userSkipped, type FlowEvent, type FlowState, type StepName} from './flow.js';
import {PlanScreen} from './plan-screen.js';
import {SummaryScreen} from './summary-screen.js';
import {color} from './theme.js';
import {PausedContext, TypingContext, useKeys} from './typing.js';

export {EXIT} from './flow.js';

export interface AppProps {
	controller: WizardController;
	journalFile?: string;
	onExit: (code: number) => void;
}

interface StepProps {
	flow: FlowState;
	dispatch: (event: FlowEvent) => void;
	controller: WizardController;
	journalFile?: string;
	onExit: (code: number) => void;
}

/** Each step's screen, given the flow's state; the order and the way back are in flow.ts's table. */
const SCREENS: Record<StepName, (props: StepProps) => ReactNode> = {
	Discover: ({flow, dispatch, controller, onExit}) => (
		<DiscoverScreen controller={controller} result={flow.discovery} onDone={discovery => dispatch({type: 'discovered', discovery})} onQuit={() => onExit(EXIT.nothingFound)} />
	),
	Credentials: ({dispatch, controller}) => <CredentialsScreen controller={controller} onDone={() => dispatch({type: 'credentials-done'})} />,
	Checks: ({dispatch, controller}) => <ChecksScreen controller={controller} onDone={() => dispatch({type: 'checks-done'})} />,
	Plan: ({dispatch, controller}) => (
		<PlanScreen controller={controller} onApply={choice => dispatch({type: 'apply-chosen', ...choice})} onFinish={(plans, doctor) => dispatch({type: 'finished', plans, doctor})} />
	),
	Apply: ({flow, dispatch, controller}) => (
		<ApplyScreen
			controller={controller}
			links={flow.choice?.links ?? []}
			mode={flow.choice?.mode ?? 'all'}
			planned={chosenChanges(flow)}
			titles={Object.fromEntries(flow.plans.map(plan => [plan.id, plan.title]))}
			onDone={outcome => dispatch({type: 'applied', outcome})}
		/>
	),
	Summary: ({flow, controller, journalFile, onExit}) => (
		<SummaryScreen
			services={serviceMarks(flow.discovery, controller.credentials())}
			plans={flow.plans}
			outcome={flow.outcome}
			userSkipped={userSkipped(flow)}
			journalFile={journalFile}
			onExit={() => onExit(summaryExitCode(flow))}
		/>
	),
};

export function App({controller, journalFile, onExit}: AppProps) {
	const [flow, dispatch] = useReducer(flowReducer, initialFlow);
	const [typing, setTyping] = useState(false);

	useKeys((input, key) => {
		if (flow.quitting) {
			if (input === 'y' || input === 'Y') {
				onExit(EXIT.quit);
			} else if (input === 'n' || input === 'N' || key.escape) {
				dispatch({type: 'quit-cancelled'});
			}
			return;
		}
		if (input === 'q' && !typing) {
			dispatch({type: 'quit-asked'});
		} else if (key.escape) {
			dispatch({type: 'back'});
		}
	});

	const Screen = SCREENS[flow.step];
	return (
		<TypingContext.Provider value={setTyping}>
			<PausedContext.Provider value={flow.quitting}>
				<Box flexDirection="column">
					<Screen flow={flow} dispatch={dispatch} controller={controller} journalFile={journalFile} onExit={onExit} />
					{flow.quitting && (
						<Text bold color={color('warning')}>
							Quit arrwire? Changes made so far stay made (and journalled). y quit · n stay
						</Text>
					)}
				</Box>
			</PausedContext.Provider>
		</TypingContext.Provider>
	);
}
