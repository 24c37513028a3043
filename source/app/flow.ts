// The wizard's flow: the table of steps (name, and where esc goes back to) and a reducer over what each step hands
// on, so the order of the steps and what they carry can be tested without Ink. app.tsx gives each step its screen.
import {SERVICES} from '../discovery/catalogue.js';
import {emptyOutcome, linkStates, type RunOutcome, type ServiceState} from '../present/stack-map.js';
import {EXIT_CODES} from '../present/verdict.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import type {CredentialItem, DiscoverySummary, LinkPlanView} from './controller.js';

/** The steps in order; `back` is where esc goes (none: esc does nothing there). */
export const STEP_TABLE = [
	{name: 'Discover'},
	{name: 'Credentials', back: 'Discover'},
	{name: 'Checks', back: 'Credentials'},
	// Going back to the plan re-plans: the summary's stack may have changed.
	{name: 'Plan', back: 'Checks'},
	// Changes are being made: there is no going back in the middle.
	{name: 'Apply'},
	{name: 'Summary', back: 'Plan'},
] as const satisfies ReadonlyArray<{name: string; back?: string}>;

export type StepName = (typeof STEP_TABLE)[number]['name'];
export const STEPS: readonly StepName[] = STEP_TABLE.map(step => step.name);

/** Exit codes, the same as the commands' (present/verdict.ts): 0 wired, 1 a link failed, 3 nothing found, 130 the user quit. */
export const EXIT = {ok: EXIT_CODES.ok, failed: EXIT_CODES.faults, nothingFound: EXIT_CODES.incomplete, quit: EXIT_CODES.interrupted} as const;

export type ApplyMode = 'all' | 'step';

export interface ApplyChoice {
	/** The links the run takes (ids). */
	links: string[];
	/** The links the user chose to skip. */
	skipped: string[];
	mode: ApplyMode;
}

export interface FlowState {
	step: StepName;
	discovery?: DiscoverySummary;
	plans: LinkPlanView[];
	choice?: ApplyChoice;
	outcome: RunOutcome;
	/** `arrwire doctor`'s report, when the user ran doctor from the plan: its verdict is the wizard's. */
	doctor?: DoctorReport;
	/** The quit question is shown. */
	quitting: boolean;
}

export type FlowEvent =
	| {type: 'discovered'; discovery: DiscoverySummary}
	| {type: 'credentials-done'}
	| {type: 'checks-done'}
	| ({type: 'apply-chosen'; plans: LinkPlanView[]} & ApplyChoice)
	/** Nothing to apply: straight to the summary, with doctor's results when it ran. */
	| {type: 'finished'; plans: LinkPlanView[]; doctor?: DoctorReport}
	| {type: 'applied'; outcome: RunOutcome}
	| {type: 'back'}
	| {type: 'quit-asked'}
	| {type: 'quit-cancelled'};

export const initialFlow: FlowState = {step: 'Discover', plans: [], outcome: emptyOutcome(), quitting: false};

export function backOf(step: StepName): StepName | undefined {
	const entry = STEP_TABLE.find(candidate => candidate.name === step);
	return entry && 'back' in entry ? entry.back : undefined;
}

export function flowReducer(state: FlowState, event: FlowEvent): FlowState {
	switch (event.type) {
		case 'discovered':
			return {...state, discovery: event.discovery, step: 'Credentials'};
		case 'credentials-done':
			return {...state, step: 'Checks'};
		case 'checks-done':
			return {...state, step: 'Plan'};
		case 'apply-chosen':
			return {...state, plans: event.plans, choice: {links: event.links, skipped: event.skipped, mode: event.mode}, step: 'Apply'};
		case 'finished':
			return {
				...state,
				plans: event.plans,
				choice: undefined,
				doctor: event.doctor,
				// Each link doctor tested, with what it found: the summary's map then shows doctor's states.
				outcome: {...emptyOutcome(), verified: Object.fromEntries((event.doctor?.links ?? []).filter(link => link.state !== 'skipped').map(link => [link.id, link.findings]))},
				step: 'Summary',
			};
		case 'applied':
			return {...state, outcome: event.outcome, doctor: undefined, step: 'Summary'};
		case 'back': {
			const back = backOf(state.step);
			return back ? {...state, step: back} : state;
		}
		case 'quit-asked':
			return {...state, quitting: true};
		case 'quit-cancelled':
			return {...state, quitting: false};
	}
}

/** The links the user skipped in the plan. */
export function userSkipped(state: FlowState): ReadonlySet<string> {
	return new Set(state.choice?.skipped ?? []);
}

/** The plans of the links chosen to run, and how many changes they hold (the apply step's progress count). */
export function chosenChanges(state: FlowState): number {
	return state.plans.filter(plan => state.choice?.links.includes(plan.id)).reduce((sum, plan) => sum + plan.changes.length, 0);
}

/** The wizard's exit code once the summary is shown: 1 when any link failed (or doctor found any fault), else 0. */
export function summaryExitCode(state: FlowState): number {
	const failed = state.doctor?.outcome === 'faults' || Object.values(linkStates(state.plans, state.outcome, userSkipped(state))).includes('failed');
	return failed ? EXIT.failed : EXIT.ok;
}

/** Each of the six services, and the optional Usenet clients found: usable, without an accepted credential, or not found. */
export function serviceMarks(discovery: DiscoverySummary | undefined, credentials: readonly CredentialItem[]): Array<{name: string; state: ServiceState}> {
	return SERVICES.filter(info => !info.optional || discovery?.services.some(service => service.kind === info.kind)).map(info => {
		const found = discovery?.services.find(service => service.kind === info.kind);
		const accepted = credentials.find(item => item.kind === info.kind)?.check?.ok === true;
		return {name: info.name, state: !found ? 'missing' : accepted ? 'ready' : 'no-credential'};
	});
}
