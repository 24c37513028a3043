// `arrwire plan [--json]`: what apply would change, link by link, in words a person can check (secrets masked).
import type {Finding} from '../checks/findings.js';
import {selectLinks} from '../links/all.js';
import {describeChange, formatValue, type Change} from '../links/change.js';
import type {LinkContext} from '../links/context.js';
import type {LinkPlan} from '../links/engine.js';
import type {WiringOptions} from '../links/wiring.js';
import {openSession} from '../session/session.js';
import {isServiceError} from '../services/errors.js';
import {errorLines, findingsLines, MARK, outWidth, writeLines} from '../present/text.js';
import {exitCodeOf, nothingFoundText, notCheckedText, notPlanned, outcomeOf, type Outcome} from '../present/verdict.js';

export interface PlanCommandOptions extends WiringOptions {
	json?: boolean;
	only?: string[];
}

export async function runPlan(options: PlanCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
	const session = openSession({...options, checks: true});
	const plans = await session.plan(selectLinks(options.only));
	const wiring = await session.wiring({checks: true});
	const blocking = (wiring.report?.findings ?? []).filter(finding => finding.severity === 'error');
	const outcome = planOutcome(plans, Object.keys(wiring.stack.services).length);
	if (options.json) {
		out.write(JSON.stringify({outcome, ...planJson(plans, wiring.notes, blocking)}, null, 2) + '\n');
	} else {
		printPlan(plans, wiring.notes, blocking, out, outcome);
	}
	return exitCodeOf(outcome);
}

/** A plan is complete when every link could be read; a link that cannot be read is a fault. */
export function planOutcome<Context>(plans: Array<LinkPlan<Context>>, servicesFound: number): Outcome {
	return outcomeOf({faults: plans.filter(plan => plan.error).length, servicesFound, notChecked: notPlanned(plans).length});
}

function changeJson(change: Change) {
	return {
		service: change.service,
		action: change.action,
		target: change.target,
		handMade: change.handMade,
		reason: change.reason ?? null,
		fields: change.fields.map(field => ({
			name: field.name,
			from: field.secret ? (field.from === undefined ? null : formatValue(field.from, true)) : (field.from ?? null),
			to: field.secret ? formatValue(field.to, true) : (field.to ?? null),
			secret: field.secret === true,
		})),
	};
}

/** The documented --json shape: one entry per link; secrets appear only as ********. */
export function planJson(plans: Array<LinkPlan<LinkContext>>, notes: string[], blocking: Finding[]) {
	return {
		changes: plans.reduce((sum, plan) => sum + plan.changes.length, 0),
		notes,
		pathErrors: blocking,
		links: plans.map(plan => ({
			id: plan.link.id,
			title: plan.link.title,
			optional: plan.link.optional === true,
			state: plan.error ? 'error' : plan.skipped ? 'skipped' : plan.changes.length ? 'changes' : 'ok',
			skipped: plan.skipped ?? null,
			error: plan.error ? errorJson(plan.error) : null,
			changes: plan.changes.map(changeJson),
		})),
	};
}

function errorJson(error: Error) {
	return isServiceError(error) ? {message: error.message, fix: error.fix, service: error.service, status: error.status ?? null} : {message: error.message, fix: null};
}

export function printPlan(plans: Array<LinkPlan<LinkContext>>, notes: string[], blocking: Finding[], out: NodeJS.WritableStream, outcome: Outcome = planOutcome(plans, 1)): void {
	if (outcome === 'nothing-found') {
		out.write(`${MARK.warning} ${nothingFoundText('plan')}\n`);
		return;
	}
	for (const note of notes) {
		out.write(`${MARK.info} ${note}\n`);
	}
	if (notes.length) {
		out.write('\n');
	}
	writeLines(out, findingsLines(blocking, outWidth(out)));
	if (blocking.length) {
		out.write('  (arrwire check shows every path finding)\n\n');
	}
	let total = 0;
	for (const plan of plans) {
		const optional = plan.link.optional ? ' (optional)' : '';
		if (plan.error) {
			writeLines(out, [{text: `${MARK.failed} ${plan.link.title}${optional}: could not read the current state`}, ...errorLines(plan.error, outWidth(out), '    ')]);
			continue;
		}
		if (plan.skipped) {
			out.write(`- ${plan.link.title}${optional}: skipped (${plan.skipped})\n`);
			continue;
		}
		if (plan.changes.length === 0) {
			out.write(`${MARK.ok} ${plan.link.title}${optional}: linked, nothing to change\n`);
			continue;
		}
		out.write(`${MARK.bullet} ${plan.link.title}${optional}:\n`);
		for (const change of plan.changes) {
			total++;
			out.write(describeChange(change).map(line => `    ${line}`).join('\n') + '\n');
		}
	}
	const missed = notPlanned(plans);
	if (total > 0) {
		out.write(`\n${total} change(s). Run arrwire apply to make them (each is shown again first).\n`);
	} else if (outcome === 'ok') {
		out.write('\nEverything is linked: apply would change nothing.\n');
	} else {
		out.write(`\nNo change planned for the links that could be read${outcome === 'faults' ? ', but some could not be read (above)' : ''}.\n`);
	}
	if (missed.length > 0) {
		out.write(`${notCheckedText('planned', missed)}\n`);
	}
}
