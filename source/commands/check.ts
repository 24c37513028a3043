// `arrwire check [--json]`: the paths, hardlinks, owners and download protocols of the stack, read-only; every finding with its fix.
import type {CheckReport} from '../checks/collect.js';
import type {Finding} from '../checks/findings.js';
import type {DiscoverOptions} from '../discovery/discover.js';
import {openSession} from '../session/session.js';
import {canaryJson, canaryLines} from '../present/canary.js';
import {findingsLines, MARK, outWidth, writeLines} from '../present/text.js';
import {exitCodeOf, nothingFoundText, outcomeOf, type Outcome} from '../present/verdict.js';

export interface CheckCommandOptions extends DiscoverOptions {
	json?: boolean;
	profileFile?: string;
	/** The canary proof (default on): it writes a test file into the stack's folders and removes it. */
	canary?: boolean;
}

export async function runCheck(options: CheckCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
	const session = openSession({...options, canary: options.canary !== false});
	const {report, notChecked, findings} = await session.checks();
	const outcome = outcomeOf({
		faults: findings.filter(finding => finding.severity === 'error').length,
		servicesFound: Object.keys(session.stack()!.services).length,
		notChecked: notChecked.length,
	});
	if (options.json) {
		out.write(JSON.stringify(checkJson(report, findings, outcome), null, 2) + '\n');
	} else {
		printFindings(report, findings, out, outcome);
	}
	return exitCodeOf(outcome);
}

/** The documented --json shape. */
export function checkJson(report: CheckReport, findings: Finding[], outcome: Outcome) {
	return {
		ok: outcome === 'ok',
		outcome,
		counts: {
			error: findings.filter(finding => finding.severity === 'error').length,
			warning: findings.filter(finding => finding.severity === 'warning').length,
			info: findings.filter(finding => finding.severity === 'info').length,
		},
		findings: findings.map(finding => ({...finding, evidence: finding.evidence ?? [], impact: finding.impact ?? null})),
		identities: report.identities,
		paths: report.stack,
		canary: canaryJson(report.canary),
	};
}

export function printFindings(report: CheckReport, findings: Finding[], out: NodeJS.WritableStream, outcome: Outcome): void {
	if (outcome === 'nothing-found') {
		out.write(`${MARK.warning} ${nothingFoundText('check')}\n`);
		return;
	}
	const who = Object.entries(report.identities)
		.map(([service, identity]) => `${service} runs as ${identity ? `${identity.uid}:${identity.gid} (${identity.from})` : 'an unknown user'}`)
		.join('; ');
	if (who) {
		out.write(`${who}.\n\n`);
	}
	const proof = canaryLines(report.canary);
	if (proof.length > 0) {
		writeLines(out, proof);
		out.write('\n');
	}
	if (findings.length === 0) {
		out.write(`${MARK.ok} Paths, hardlinks, permissions and download protocols: nothing to fix.\n`);
		return;
	}
	writeLines(out, findingsLines(findings, outWidth(out), '', {evidence: true, impact: true}));
	const errors = findings.filter(finding => finding.severity === 'error').length;
	out.write(`\n${errors} error(s), ${findings.length - errors} other finding(s). Nothing was changed.\n`);
	if (outcome === 'incomplete') {
		out.write('Not everything could be checked (see above): no error among what was checked.\n');
	}
}
