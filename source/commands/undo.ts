// `arrwire undo [--yes]`: reverses the last run's changes, newest first.
import type {WiringOptions} from '../links/wiring.js';
import {openSession} from '../session/session.js';
import {askYesNo, canAsk} from './ask.js';
import {MARK} from '../present/text.js';
import {EXIT_CODES} from '../present/verdict.js';

export interface UndoCommandOptions extends WiringOptions {
	yes?: boolean;
}

export async function runUndo(options: UndoCommandOptions, out: NodeJS.WritableStream = process.stdout, hints: NodeJS.WritableStream = process.stderr): Promise<number> {
	const session = openSession(options);
	const run = await session.lastRun();
	if (!run) {
		out.write('Nothing to undo: the journal holds no change that is not undone yet.\n');
		return 0;
	}
	const entries = run.entries.filter(entry => !entry.undone);
	out.write(`The last run (${run.command}, ${run.startedAt}) made ${entries.length} change(s):\n`);
	for (const entry of [...entries].reverse()) {
		out.write(`  ${entry.service}: ${entry.action} ${entry.target}\n`);
	}
	if (!options.yes) {
		if (!canAsk()) {
			hints.write('Run arrwire undo --yes to reverse them.\n');
			return 2;
		}
		if (!(await askYesNo('Reverse them?'))) {
			return 0;
		}
	}
	const {undone, notUndone} = await session.undo(entry => out.write(`  ${MARK.ok} reversed: ${entry.service}: ${entry.action} ${entry.target}\n`));
	for (const {entry, reason, fix} of notUndone) {
		out.write(`  ${MARK.failed} not reversed: ${entry.service}: ${entry.action} ${entry.target}\n    why: ${reason}\n    fix: ${fix}\n`);
	}
	out.write(`${undone.length} change(s) reversed${notUndone.length ? `, ${notUndone.length} not (they stay in the journal: arrwire undo tries them again)` : ''}.\n`);
	return notUndone.length > 0 ? EXIT_CODES.faults : EXIT_CODES.ok;
}
