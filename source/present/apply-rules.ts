// The rules of a run that both `arrwire apply` and the wizard follow, as plain functions: when to ask before a change,
// and which links a run takes from a plan.

/** How a run was started: what it may do without asking, and whether a person can be asked at all. */
export interface AskPolicy {
	/** Make the changes arrwire proposes without asking (`apply --yes`, the wizard's "apply all"). */
	yes: boolean;
	/** Change entries made by hand without asking too (`--yes-hand-made`). */
	yesHandMade?: boolean;
	/** A person is there to answer (a terminal, the wizard). */
	canAsk: boolean;
}

export type BeforeChange =
	| {do: 'make'}
	/** Ask; `byDefault` is the answer that Enter alone gives. */
	| {do: 'ask'; question: string; byDefault: boolean}
	| {do: 'leave'; reason: string};

const HAND_MADE_QUESTION = 'This entry was made by hand, not by arrwire. Change it?';
const CHANGE_QUESTION = 'Make this change?';

/**
 * What to do before one change. An entry made by hand is never changed without a yes of its own (or
 * `--yes-hand-made`), and its default answer is no; other changes are made at once when the run says yes.
 */
export function beforeChange(change: {handMade: boolean}, policy: AskPolicy): BeforeChange {
	if (change.handMade && !policy.yesHandMade) {
		return policy.canAsk
			? {do: 'ask', question: HAND_MADE_QUESTION, byDefault: false}
			: {do: 'leave', reason: 'this entry was made by hand (use --yes-hand-made to change it anyway)'};
	}
	if (policy.yes) {
		return {do: 'make'};
	}
	return policy.canAsk ? {do: 'ask', question: CHANGE_QUESTION, byDefault: true} : {do: 'leave', reason: 'nobody to ask (use --yes to make it)'};
}

/** What a run needs of each link's plan. */
export interface PlannedLink {
	id: string;
	changes: readonly unknown[];
	/** The link could not be read when the plan was made. */
	error?: string;
}

/**
 * The links a run takes: those with changes that the user kept, and those that could not be read. A link is often
 * unreadable only because an earlier link has not run yet (no client, no key): it is read again just before it runs,
 * after the links before it. Empty when there is nothing to apply.
 */
export function linksToApply(plans: readonly PlannedLink[], userSkipped: ReadonlySet<string>): string[] {
	const kept = plans.filter(plan => plan.changes.length > 0 && !userSkipped.has(plan.id)).map(plan => plan.id);
	if (kept.length === 0) {
		return [];
	}
	return [...kept, ...plans.filter(plan => plan.error !== undefined && !kept.includes(plan.id)).map(plan => plan.id)];
}
