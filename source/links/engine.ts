// Drives the links: plan every link (read, then compare), apply the changes one by one with a journal entry
// after each, hand on what one link's apply gives to the links after it, verify, and undo the last run in reverse
// order. What a step of a link throws becomes a finding here, in one place.
import type {Finding} from '../checks/findings.js';
import {isServiceError} from '../services/errors.js';
import type {Journal, JournalEntry, JournalRun} from '../state/journal.js';
import type {Change} from './change.js';
import type {HandedOn, Link} from './link.js';

// Links of different context types share one engine; the caller guarantees the context fits all of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLink<Context> = Link<Context, any, any>;

export interface LinkPlan<Context> {
	link: AnyLink<Context>;
	/** Why the link is not planned, when it is not. */
	skipped?: string;
	/** A failure while reading the current state. */
	error?: Error;
	changes: Change[];
}

/**
 * Plans reading only (LinkContext.readOnly): no service's own test, so a plan costs no quota and changes nothing.
 * `tests: true` plans as doctor's repairs and apply do, after the services' own tests (a refused key is then planned).
 */
export async function planLinks<Context extends object>(links: AnyLink<Context>[], given: Context, options: {tests?: boolean} = {}): Promise<LinkPlan<Context>[]> {
	const context: Context = options.tests ? given : {...given, readOnly: true};
	const plans: LinkPlan<Context>[] = [];
	for (const link of links) {
		const applicable = link.applicable(context);
		if (applicable !== true) {
			plans.push({link, skipped: applicable, changes: []});
			continue;
		}
		try {
			const current: unknown = await link.read(context);
			plans.push({link, changes: link.plan(current, context)});
		} catch (error) {
			plans.push({link, error: asError(error), changes: []});
		}
	}
	return plans;
}

export type ApplyEvent =
	| {type: 'applying'; change: Change}
	| {type: 'applied'; change: Change}
	| {type: 'declined'; change: Change}
	| {type: 'failed'; change: Change; error: Error}
	| {type: 'verified'; link: string; findings: Finding[]};

export interface ApplyOptions {
	/** Asked for every change (hand-made entries included); `--yes` answers yes to all but hand-made ones. */
	confirm(change: Change): Promise<boolean>;
	onEvent?(event: ApplyEvent): void;
	command?: string;
	/** Stops the run before its next change (Ctrl-C, the wizard quit): what was done is journalled and kept. */
	signal?: AbortSignal;
}

export interface ApplyResult {
	applied: Change[];
	declined: Change[];
	failed?: {change: Change; error: Error};
	findings: Finding[];
	/**
	 * The values this run handed on (a password arrwire set): nothing else knows them, so the caller keeps them
	 * (keepValues in kept.ts), whatever stopped the run.
	 */
	kept: HandedOn;
	/** What stopped the run other than a failed change: the signal, a question that could not be asked, the journal. */
	interrupted?: Error;
}

/** Why these links cannot run in this order (one before a link it must follow), else undefined. */
export function linkOrderProblem<Context>(links: AnyLink<Context>[]): string | undefined {
	for (const [index, link] of links.entries()) {
		const later = links.slice(index + 1);
		const before = later.find(other => link.needs?.after?.includes(other.id));
		if (before) {
			return `the link ${link.id} must run after ${before.id}`;
		}
		for (const value of link.needs?.takes ?? []) {
			const giver = later.find(other => other.gives?.includes(value));
			if (giver) {
				return `the link ${link.id} takes ${value} from ${giver.id}, which must run before it`;
			}
		}
	}
	return undefined;
}

/**
 * Applies link by link, re-planning each link just before it runs (an earlier link may have changed what it
 * reads), and stops at the first failure: a re-run picks up from there. Values a link hands on reach the links after
 * it as an argument, and come back in `kept` however the run ends; only a wrong order of links throws (before
 * anything is done).
 */
export async function runLinks<Context extends {journal: Journal}>(links: AnyLink<Context>[], context: Context, options: ApplyOptions): Promise<ApplyResult> {
	const problem = linkOrderProblem(links);
	if (problem) {
		throw new Error(`arrwire cannot run these links in this order: ${problem}.`);
	}
	const result: ApplyResult = {applied: [], declined: [], findings: [], kept: {}};
	const run = await context.journal.startRun(options.command ?? 'apply');
	try {
		await applyEach(links, context, options, run, result);
	} catch (error) {
		result.interrupted = asError(error);
	}
	try {
		await context.journal.endRun(run);
	} catch (error) {
		result.interrupted ??= asError(error);
	}
	return result;
}

/** runLinks for callers that keep nothing (tests, the bench): what stopped the run is thrown. */
export async function applyLinks<Context extends {journal: Journal}>(links: AnyLink<Context>[], context: Context, options: ApplyOptions): Promise<ApplyResult> {
	const result = await runLinks(links, context, options);
	if (result.interrupted) {
		throw result.interrupted;
	}
	return result;
}

async function applyEach<Context extends {journal: Journal}>(links: AnyLink<Context>[], context: Context, options: ApplyOptions, run: JournalRun, result: ApplyResult): Promise<void> {
	const stopped = () => {
		if (options.signal?.aborted) {
			result.interrupted = options.signal.reason instanceof Error ? options.signal.reason : new Error('The run was interrupted.');
		}
		return result.interrupted !== undefined;
	};
	for (const link of links) {
		if (stopped()) {
			return;
		}
		if (link.applicable(context) !== true) {
			continue;
		}
		let changes: Change[];
		try {
			changes = link.plan(await link.read(context, {...result.kept}), context, {...result.kept});
		} catch (error) {
			// A link whose state cannot be read stops the run like a failed write: what was done so far is journalled.
			const change = readingOf(link);
			result.failed = {change, error: asError(error)};
			options.onEvent?.({type: 'failed', change, error: asError(error)});
			return;
		}
		for (const change of changes) {
			if (stopped()) {
				return;
			}
			if (!(await options.confirm(change))) {
				result.declined.push(change);
				options.onEvent?.({type: 'declined', change});
				continue;
			}
			if (stopped()) {
				return;
			}
			options.onEvent?.({type: 'applying', change});
			try {
				const applied = await link.apply(change, context, {...result.kept});
				// Kept before anything else can fail: the service already has the value.
				Object.assign(result.kept, applied.handsOn);
				await context.journal.record(run, {
					link: link.id,
					service: change.service,
					action: change.action,
					target: change.target,
					entryId: applied.entryId,
					before: applied.before,
					after: applied.after,
				});
				result.applied.push(change);
				options.onEvent?.({type: 'applied', change});
			} catch (error) {
				result.failed = {change, error: asError(error)};
				options.onEvent?.({type: 'failed', change, error: asError(error)});
				return;
			}
		}
		if (changes.length > 0) {
			const findings = await runLinkStep(link.title, async () => link.verify(context, {...result.kept}));
			result.findings.push(...findings);
			options.onEvent?.({type: 'verified', link: link.id, findings});
		}
	}
}

export interface UndoResult {
	undone: JournalEntry[];
	/** Changes that could not be reversed, with why and what to do; they stay in the journal for a later undo. */
	notUndone: Array<{entry: JournalEntry; reason: string; fix: string}>;
}

/** The client each service's changes are reversed through (LinkContext's clients). */
const CLIENT_OF: Record<string, string> = {Sonarr: 'sonarr', Radarr: 'radarr', Prowlarr: 'prowlarr', qBittorrent: 'qbittorrent', NZBGet: 'nzbget', Jellyfin: 'jellyfin', Jellyseerr: 'seerr'};

/**
 * Reverses the last run's changes, newest first. A change that cannot be reversed (its service is down, its login
 * refused, the service refuses) is reported with why, and the rest are still reversed.
 */
export async function undoLastRun<Context extends {journal: Journal; clients?: object}>(
	links: AnyLink<Context>[],
	context: Context,
	onUndone?: (entry: JournalEntry) => void,
): Promise<UndoResult> {
	const result: UndoResult = {undone: [], notUndone: []};
	const own = await context.journal.startRun('undo');
	try {
		const run = context.journal.lastRun();
		if (run) {
			await undoEach(run, links, context, result, onUndone);
		}
	} finally {
		await context.journal.endRun(own);
	}
	return result;
}

async function undoEach<Context extends {journal: Journal; clients?: object}>(
	run: JournalRun,
	links: AnyLink<Context>[],
	context: Context,
	result: UndoResult,
	onUndone?: (entry: JournalEntry) => void,
): Promise<void> {
	for (const entry of [...run.entries].reverse()) {
		if (entry.undone) {
			continue;
		}
		const link = links.find(candidate => candidate.id === entry.link);
		if (!link) {
			result.notUndone.push({entry, reason: `the journal names a link this version of arrwire does not know (${entry.link})`, fix: 'Reverse it by hand in the service, or use the arrwire version that made it.'});
			continue;
		}
		const clientKey = CLIENT_OF[entry.service];
		if (clientKey && context.clients && !(context.clients as Record<string, unknown>)[clientKey]) {
			result.notUndone.push({
				entry,
				reason: `${entry.service} was not found, or arrwire has no accepted credential for it`,
				fix: `Start ${entry.service} (or point arrwire at it with --host), give its credential with arrwire discover, then run arrwire undo again.`,
			});
			continue;
		}
		try {
			await link.undo(entry, context);
		} catch (error) {
			const failure = asError(error);
			result.notUndone.push({entry, reason: failure.message, fix: isServiceError(failure) ? failure.fix : 'Run arrwire undo again once the service answers; what was reversed stays reversed.'});
			continue;
		}
		await context.journal.markUndone(entry);
		result.undone.push(entry);
		onUndone?.(entry);
	}
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}

/** The stand-in change a failure to read a link's state is reported against. */
function readingOf<Context>(link: AnyLink<Context>): Change {
	return {link: link.id, service: link.services[0]!, action: 'update', target: `${link.title} (reading its current state)`, fields: [], handMade: false, payload: undefined};
}

/**
 * What a link step that could not run says: the link could not be checked, why, and the fix (the service's own when
 * the error is a service's). One shape for apply's verify, the wizard's check and doctor.
 */
export function failedStepFinding(subject: string, error: unknown): Finding {
	const failure = asError(error);
	if (isServiceError(failure)) {
		return {
			id: `service.${failure.kind}`,
			severity: 'error',
			subject,
			cause: `arrwire could not check this link: ${failure.message}`,
			evidence: failure.status ? [`HTTP ${failure.status}`] : undefined,
			fix: failure.fix,
		};
	}
	return {id: 'link.verify-failed', severity: 'error', subject, cause: `arrwire could not check this link: ${failure.message}`, fix: 'Run arrwire doctor once the service answers again.'};
}

/**
 * Runs one step of a link that gives findings (its verify, its probe, or doctor's whole check of it): a throw becomes
 * one finding naming the link, so a link that cannot be checked never stops the check of the others.
 */
export async function runLinkStep(subject: string, step: () => Promise<Finding[]>): Promise<Finding[]> {
	try {
		return await step();
	} catch (error) {
		return [failedStepFinding(subject, error)];
	}
}

/** A verify that fails to run is itself a finding, not the end of the run. */
export async function verifySafely<Context>(link: AnyLink<Context>, context: Context): Promise<Finding[]> {
	return runLinkStep(link.title, async () => link.verify(context));
}
