// A verdict counts only what was checked. "Nothing was found" and "part could not be checked (or was left undone)"
// are outcomes of their own, with an exit code of their own, so that neither reads as "all is well".
import type {LinkPlan} from '../links/engine.js';

export type Outcome = 'ok' | 'faults' | 'incomplete' | 'nothing-found';

/** The exit codes of every command (README, "Exit codes"). */
export const EXIT_CODES = {
	ok: 0,
	faults: 1,
	usage: 2,
	/** Nothing was found, or part of the stack could not be checked, planned or changed. */
	incomplete: 3,
	/** The wizard quit by the user, or a command stopped by Ctrl-C (128 + SIGINT). */
	interrupted: 130,
} as const;

export function exitCodeOf(outcome: Outcome): number {
	switch (outcome) {
		case 'ok':
			return EXIT_CODES.ok;
		case 'faults':
			return EXIT_CODES.faults;
		default:
			return EXIT_CODES.incomplete;
	}
}

/** Why a link was not looked at, when the reason is a missing service, credential or value (not "not needed"). */
export interface NotChecked {
	title: string;
	reason: string;
}

/** A link that is skipped because it is not needed is checked and fine; any other skip means "not checked". */
export const NOT_NEEDED = 'not needed: ';

export function isNotNeeded(skip: string): boolean {
	return skip.startsWith(NOT_NEEDED);
}

/** The links a plan could not look at, optional ones left out (they are offered, not promised). */
export function notPlanned<Context>(plans: Array<Pick<LinkPlan<Context>, 'link' | 'skipped'>>): NotChecked[] {
	return plans
		.filter(plan => plan.skipped !== undefined && !isNotNeeded(plan.skipped) && plan.link.optional !== true)
		.map(plan => ({title: plan.link.title, reason: plan.skipped!}));
}

/**
 * The outcome of a run over the stack: faults first (a fault is a fault whatever else was missed), then nothing
 * found, then anything not checked; only what remains is "ok".
 */
export function outcomeOf(facts: {faults: number; servicesFound: number; notChecked: number}): Outcome {
	if (facts.faults > 0) {
		return 'faults';
	}
	if (facts.servicesFound === 0) {
		return 'nothing-found';
	}
	return facts.notChecked > 0 ? 'incomplete' : 'ok';
}

/** What to tell a user whose run found no service at all. */
export function nothingFoundText(what: string): string {
	return (
		`Nothing to ${what}: none of Prowlarr, Sonarr, Radarr, qBittorrent, Jellyfin or Jellyseerr was found. ` +
		'Start them, or point arrwire at them with --host NAME[:PORT] (another machine), --scan CIDR (a network) or --config-dir DIR (their config folders).'
	);
}

/** "3 link(s) could not be checked: A (why); B (why)". */
export function notCheckedText(verb: string, items: NotChecked[]): string {
	return `${items.length} link(s) could not be ${verb}:\n${items.map(item => `  - ${item.title}: ${item.reason}`).join('\n')}`;
}
