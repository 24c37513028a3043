// The Plan step's state: which link has the cursor, which links the user skips, whether a link's changes are shown
// whole; and what the user's choice starts. A reducer, tested without Ink.
import {linksToApply} from '../present/apply-rules.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import type {LinkPlanView} from './controller.js';
import type {ApplyChoice, ApplyMode} from './flow.js';

export interface PlanState {
	cursor: number;
	/** The links (ids) the user chose to skip. */
	skipped: ReadonlySet<string>;
	/** The focused link's changes are shown whole. */
	details: boolean;
	/** Doctor, when the user ran it (a wired stack): running, or `arrwire doctor`'s report, or why it could not run. */
	doctor?: 'running' | {report: DoctorReport} | {error: string};
}

export type PlanAction =
	/** `count`: how many links the list holds. */
	| {type: 'down'; count: number}
	| {type: 'up'}
	| {type: 'toggle'; id: string}
	| {type: 'details'; shown: boolean}
	| {type: 'doctor-started'}
	| {type: 'doctor-done'; report: DoctorReport}
	| {type: 'doctor-failed'; error: string};

export const initialPlan: PlanState = {cursor: 0, skipped: new Set(), details: false};

export function planReducer(state: PlanState, action: PlanAction): PlanState {
	switch (action.type) {
		case 'down':
			return {...state, cursor: Math.max(0, Math.min(action.count - 1, state.cursor + 1))};
		case 'up':
			return {...state, cursor: Math.max(0, state.cursor - 1)};
		case 'toggle': {
			const skipped = new Set(state.skipped);
			if (skipped.has(action.id)) {
				skipped.delete(action.id);
			} else {
				skipped.add(action.id);
			}
			return {...state, skipped};
		}
		case 'details':
			return {...state, details: action.shown};
		case 'doctor-started':
			return {...state, doctor: 'running'};
		case 'doctor-done':
			return {...state, doctor: {report: action.report}};
		case 'doctor-failed':
			return {...state, doctor: {error: action.error}};
	}
}

/** The links that have something to change: the ones the list shows. */
export function withChanges(plans: readonly LinkPlanView[]): LinkPlanView[] {
	return plans.filter(plan => plan.changes.length > 0);
}

/** How the plan reads at a glance: links linked, to change (and how many changes), skipped, unreadable. */
export function planCounts(plans: readonly LinkPlanView[]): {links: number; linked: number; toChange: number; changes: number; skipped: number; unreadable: number} {
	const toChange = withChanges(plans);
	return {
		links: plans.length,
		linked: plans.filter(plan => !plan.skipped && !plan.error && plan.changes.length === 0).length,
		toChange: toChange.length,
		changes: toChange.reduce((sum, plan) => sum + plan.changes.length, 0),
		skipped: plans.filter(plan => plan.skipped).length,
		unreadable: plans.filter(plan => plan.error).length,
	};
}

/** What the user's choice starts: a run over the kept links (and the unreadable ones), or, with nothing kept, the summary. */
export function planChoice(plans: LinkPlanView[], state: PlanState, mode: ApplyMode): ({next: 'apply'; plans: LinkPlanView[]} & ApplyChoice) | {next: 'finish'} {
	const links = linksToApply(plans, state.skipped);
	return links.length === 0 ? {next: 'finish'} : {next: 'apply', plans, links, skipped: [...state.skipped], mode};
}
