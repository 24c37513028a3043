// The wizard: one step at a time, discovery -> credentials -> checks -> plan -> apply -> summary. Holds what the
// steps hand each other; esc goes back a step, q asks before quitting. All side effects sit in the controller.
import {Box, Text} from 'ink';
import {useState} from 'react';
import {SERVICES} from '../discovery/catalogue.js';
import {ApplyScreen} from './apply-screen.js';
import {ChecksScreen} from './checks-screen.js';
import type {DiscoverySummary, LinkPlanView, LinkVerifyResult, WizardController} from './controller.js';
import {CredentialsScreen} from './credentials-screen.js';
import {DiscoverScreen} from './discover-screen.js';
import type {StepName} from './frame.js';
import {PlanScreen, type ApplyMode} from './plan-screen.js';
import {emptyOutcome, linkStates, type RunOutcome} from './stack-map.js';
import {SummaryScreen, type ServiceMark} from './summary-screen.js';
import {color} from './theme.js';
import {PausedContext, TypingContext, useKeys} from './typing.js';
import {EXIT_CODES} from '../present/verdict.js';

/** Exit codes, the same as the commands' (present/verdict.ts): 0 wired, 1 a link failed, 3 nothing found, 130 the user quit. */
export const EXIT = {ok: EXIT_CODES.ok, failed: EXIT_CODES.faults, nothingFound: EXIT_CODES.incomplete, quit: EXIT_CODES.interrupted} as const;

export interface AppProps {
	controller: WizardController;
	journalFile?: string;
	onExit(code: number): void;
}

interface Choice {
	links: string[];
	skipped: string[];
	mode: ApplyMode;
}

const BACK: Partial<Record<StepName, StepName>> = {Credentials: 'Discover', Checks: 'Credentials', Plan: 'Checks', Summary: 'Plan'};

export function App({controller, journalFile, onExit}: AppProps) {
	const [step, setStep] = useState<StepName>('Discover');
	const [discovery, setDiscovery] = useState<DiscoverySummary>();
	const [plans, setPlans] = useState<LinkPlanView[]>([]);
	const [choice, setChoice] = useState<Choice>();
	const [outcome, setOutcome] = useState<RunOutcome>(emptyOutcome());
	const [typing, setTyping] = useState(false);
	const [quitting, setQuitting] = useState(false);

	useKeys((input, key) => {
		if (quitting) {
			if (input === 'y' || input === 'Y') {
				onExit(EXIT.quit);
			} else if (input === 'n' || input === 'N' || key.escape) {
				setQuitting(false);
			}
			return;
		}
		if (input === 'q' && !typing) {
			setQuitting(true);
		} else if (key.escape && BACK[step]) {
			// Going back to the plan re-plans: the summary's stack may have changed.
			setStep(BACK[step]!);
		}
	});

	const services = (): ServiceMark[] => {
		const credentials = controller.credentials();
		return SERVICES.map(info => {
			const found = discovery?.services.find(service => service.kind === info.kind);
			const accepted = credentials.find(item => item.kind === info.kind)?.check?.ok === true;
			return {name: info.name, state: !found ? 'missing' : accepted ? 'ready' : 'no-credential'};
		});
	};

	const finish = (finalPlans: LinkPlanView[], doctor?: LinkVerifyResult[]) => {
		setPlans(finalPlans);
		setChoice(undefined);
		setOutcome({...emptyOutcome(), verified: Object.fromEntries((doctor ?? []).map(result => [result.id, result.findings]))});
		setStep('Summary');
	};

	let screen;
	switch (step) {
		case 'Discover':
			screen = (
				<DiscoverScreen
					controller={controller}
					result={discovery}
					onDone={result => {
						setDiscovery(result);
						setStep('Credentials');
					}}
					onQuit={() => onExit(EXIT.nothingFound)}
				/>
			);
			break;
		case 'Credentials':
			screen = <CredentialsScreen controller={controller} onDone={() => setStep('Checks')} />;
			break;
		case 'Checks':
			screen = <ChecksScreen controller={controller} onDone={() => setStep('Plan')} />;
			break;
		case 'Plan':
			screen = (
				<PlanScreen
					controller={controller}
					onApply={next => {
						setPlans(next.plans);
						setChoice({links: next.links, skipped: next.skipped, mode: next.mode});
						setStep('Apply');
					}}
					onFinish={finish}
				/>
			);
			break;
		case 'Apply':
			screen = (
				<ApplyScreen
					controller={controller}
					links={choice?.links ?? []}
					mode={choice?.mode ?? 'all'}
					planned={plans.filter(plan => choice?.links.includes(plan.id)).reduce((sum, plan) => sum + plan.changes.length, 0)}
					titles={Object.fromEntries(plans.map(plan => [plan.id, plan.title]))}
					onDone={result => {
						setOutcome(result);
						setStep('Summary');
					}}
				/>
			);
			break;
		case 'Summary': {
			const skipped = new Set(choice?.skipped ?? []);
			screen = (
				<SummaryScreen
					services={services()}
					plans={plans}
					outcome={outcome}
					userSkipped={skipped}
					journalFile={journalFile}
					onExit={() => onExit(Object.values(linkStates(plans, outcome, skipped)).includes('failed') ? EXIT.failed : EXIT.ok)}
				/>
			);
			break;
		}
	}

	return (
		<TypingContext.Provider value={setTyping}>
			<PausedContext.Provider value={quitting}>
				<Box flexDirection="column">
					{screen}
					{quitting && (
						<Text bold color={color('warning')}>
							Quit arrwire? Changes made so far stay made (and journalled). y quit · n stay
						</Text>
					)}
				</Box>
			</PausedContext.Provider>
		</TypingContext.Provider>
	);
}
