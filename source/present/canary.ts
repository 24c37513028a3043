// The canary proof as text and JSON, for check and doctor alike: it wrote to the user's disk, so it says so.
import type {CanaryReport} from '../checks/canary.js';
import {MARK, type Line} from './text.js';

export function canaryLines(canary: CanaryReport | undefined): Line[] {
	if (!canary) {
		return [];
	}
	if (canary.written.length === 0) {
		return [{text: `${MARK.info} The canary proof wrote nothing: no folder of the stack could be written from here (see the findings).`, tone: 'info'}];
	}
	const removed = canary.written.length - canary.left.length;
	return [
		{
			text: `${MARK.info} To prove what each service sees, arrwire wrote ${canary.written.length} test file(s) named ${canary.name} into the stack's folders and removed ${canary.left.length === 0 ? 'them all' : `${removed} of them (see the findings)`}; --no-canary skips this.`,
			tone: 'info',
		},
		...canary.proven.map((proven): Line => ({text: `  ${MARK.ok} ${proven}`, tone: 'ok'})),
	];
}

/** The --json form: what was written, what is left (nothing, normally) and what was proven. */
export function canaryJson(canary: CanaryReport | undefined) {
	return canary ? {name: canary.name, written: canary.written, left: canary.left, proven: canary.proven} : null;
}
