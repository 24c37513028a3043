// `arrwire apply [--yes]`: makes the planned changes one by one, each shown first, each journalled; then verifies.
// With --yes, every change arrwire proposes is made, except on entries made by hand: those still need a yes typed in
// a terminal (or --yes-hand-made).
import {selectLinks} from '../links/all.js';
import type {ApplyEvent} from '../links/engine.js';
import {describeChange, type Change} from '../links/change.js';
import type {WiringOptions} from '../links/wiring.js';
import {beforeChange} from '../present/apply-rules.js';
import {openSession, type SessionEvent} from '../session/session.js';
import {applyEventLines, outWidth, writeLines} from '../present/text.js';
import {askYesNo, canAsk} from './ask.js';
import {EXIT_CODES, nothingFoundText, notCheckedText, notPlanned} from '../present/verdict.js';

export interface ApplyCommandOptions extends WiringOptions {
	yes?: boolean;
	yesHandMade?: boolean;
	only?: string[];
}

export async function runApply(options: ApplyCommandOptions, out: NodeJS.WritableStream = process.stdout, hints: NodeJS.WritableStream = process.stderr): Promise<number> {
	const interactive = canAsk();
	if (!options.yes && !interactive) {
		hints.write('arrwire apply needs a terminal to ask before each change. Run arrwire plan to see them, then arrwire apply --yes to make them.\n');
		return 2;
	}
	const links = selectLinks(options.only);
	const events = applyEventWriter(links, out);
	const onEvent = (event: SessionEvent) => {
		if (event.type === 'password-kept') {
			// Said whatever stops the run: the password is kept even then.
			out.write(`The new qBittorrent password is kept in ${event.file} (readable only by you); Sonarr and Radarr get it from arrwire apply.\n`);
		} else if (event.type !== 'found' && event.type !== 'credential' && event.type !== 'undone') {
			events.write(event);
		}
	};
	const session = openSession(options, onEvent);
	const wiring = await session.wiring();
	if (Object.keys(wiring.stack.services).length === 0) {
		out.write(`${nothingFoundText('link')}\nNothing was changed.\n`);
		return EXIT_CODES.incomplete;
	}
	const confirm = async (change: Change): Promise<boolean> => {
		out.write(describeChange(change).join('\n') + '\n');
		const next = beforeChange(change, {yes: options.yes === true, yesHandMade: options.yesHandMade, canAsk: interactive});
		if (next.do === 'make') {
			return true;
		}
		if (next.do === 'leave') {
			events.leftAlone(change, next.reason);
			return false;
		}
		return askYesNo(`  ${next.question}`, next.byDefault);
	};
	const result = await session.apply(links, {confirm, command: 'apply'});
	const errors = result.findings.filter(finding => finding.severity === 'error');
	out.write(
		`\n${result.applied.length} change(s) made, ${result.declined.length} left alone${result.failed ? ', stopped at a failure (run arrwire apply again once it is fixed: it picks up from there)' : ''}. ` +
			`The journal is ${wiring.context.journal.file}; arrwire undo reverses this run.\n`,
	);
	// What was not done is said, with the exact way to do it; only a run that left nothing undone is "linked".
	if (result.declined.length > 0) {
		const handMade = result.declined.filter(change => change.handMade);
		out.write(`\nLeft as they are (${result.declined.length}):\n`);
		for (const change of result.declined) {
			out.write(`  - ${change.service}: ${change.action} ${change.target}${change.handMade ? ' (made by hand, not by arrwire)' : ''}\n`);
		}
		const ids = [...new Set(result.declined.map(change => change.link))];
		out.write(
			handMade.length > 0
				? `To change them too: arrwire apply --yes --yes-hand-made ${ids.map(id => `--only ${id}`).join(' ')}\n  (or arrwire apply in a terminal, answering yes to each).\n`
				: `To make them: arrwire apply ${ids.map(id => `--only ${id}`).join(' ')}\n`,
		);
	}
	const missed = notPlanned(links.map(link => ({link, skipped: skipReason(link.applicable(wiring.context))})));
	if (missed.length > 0) {
		out.write(`\n${notCheckedText('applied', missed)}\n`);
	}
	if (result.failed || errors.length > 0) {
		return EXIT_CODES.faults;
	}
	if (result.declined.length > 0 || missed.length > 0) {
		out.write('Not everything is linked yet: see above.\n');
		return EXIT_CODES.incomplete;
	}
	if (result.applied.length === 0) {
		out.write('Everything was already linked.\n');
	}
	return EXIT_CODES.ok;
}

/**
 * Writes each apply event as the wizard shows it (present/text's applyEventLines); a change left alone without asking
 * is followed by why.
 */
export function applyEventWriter(links: ReadonlyArray<{id: string; title: string}>, out: NodeJS.WritableStream) {
	const declined = new Set<string>();
	const why = new Map<Change, string>();
	const context = {title: (id: string) => links.find(link => link.id === id)?.title ?? id, declined: (id: string) => declined.has(id)};
	return {
		leftAlone(change: Change, reason: string) {
			why.set(change, reason);
		},
		write(event: ApplyEvent) {
			if (event.type === 'declined') {
				declined.add(event.change.link);
			}
			writeLines(out, applyEventLines(event, context, outWidth(out)));
			const reason = event.type === 'declined' ? why.get(event.change) : undefined;
			if (reason) {
				out.write(`  why: ${reason}\n`);
			}
		},
	};
}

function skipReason(applicable: true | string): string | undefined {
	return applicable === true ? undefined : applicable;
}
