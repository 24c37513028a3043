// `arrwire doctor [--json]`: every link tested, each fault explained with its evidence and fix, the repairs offered
// (they go through plan/apply like any change). Exit 0 when all is well, 1 on any fault.
import type {Finding} from '../checks/findings.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import {stackMap} from '../doctor/stack-map.js';
import {ALL_LINKS} from '../links/all.js';
import {describeChange} from '../links/change.js';
import type {WiringOptions} from '../links/wiring.js';
import {beforeChange} from '../present/apply-rules.js';
import {openSession} from '../session/session.js';
import {askYesNo, canAsk} from './ask.js';
import {exitCodeOf, nothingFoundText, notCheckedText} from '../present/verdict.js';

export interface DoctorCommandOptions extends WiringOptions {
	json?: boolean;
	/** Offer to apply the repairs (default: when in a terminal and not --json). */
	offerRepairs?: boolean;
}

export async function runDoctor(options: DoctorCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
	const session = openSession({...options, checks: true}, event => {
		if (event.type === 'password-kept') {
			out.write(`The new qBittorrent password is kept in ${event.file} (readable only by you).\n`);
		}
	});
	// Every link, the ones applied only on request too: their repairs are offered here (a new password, say).
	const links = ALL_LINKS;
	const report = await session.diagnose(links);
	if (options.json) {
		out.write(JSON.stringify(doctorJson(report), null, 2) + '\n');
		return exitCodeOf(report.outcome);
	}
	printReport(report, out);
	const repairs = report.links.flatMap(link => link.repairs);
	if (repairs.length > 0 && (options.offerRepairs ?? canAsk()) && (await askYesNo(`Make the ${repairs.length} repair(s) now (each is shown first)?`))) {
		const result = await session.apply(links, {
			confirm: async change => {
				out.write(describeChange(change).join('\n') + '\n');
				// The user said yes to the repairs: only an entry made by hand is asked about again.
				const next = beforeChange(change, {yes: true, canAsk: true});
				return next.do === 'ask' ? askYesNo(`  ${next.question}`, next.byDefault) : next.do === 'make';
			},
			command: 'doctor',
		});
		out.write(`${result.applied.length} repair(s) made${result.failed ? `; stopped at: ${result.failed.error.message}` : ''}. Run arrwire doctor again to check.\n`);
	}
	return exitCodeOf(report.outcome);
}

/** The documented --json shape (stable: new keys may be added, none removed). */
export function doctorJson(report: DoctorReport) {
	const plain = (finding: Finding) => ({id: finding.id, severity: finding.severity, subject: finding.subject, cause: finding.cause, evidence: finding.evidence ?? [], fix: finding.fix, impact: finding.impact ?? null});
	return {
		ok: report.ok,
		outcome: report.outcome,
		notChecked: report.notChecked,
		services: report.services.map(service => ({kind: service.kind, name: service.name, url: service.url ?? null, version: service.version ?? null, state: service.state})),
		links: report.links.map(link => ({
			id: link.id,
			title: link.title,
			optional: link.optional,
			state: link.state,
			skipped: link.skipped ?? null,
			findings: link.findings.map(plain),
			repairs: link.repairs.map(change => ({service: change.service, action: change.action, target: change.target, handMade: change.handMade, lines: describeChange(change)})),
		})),
		findings: {
			services: report.serviceFindings.map(plain),
			paths: report.pathFindings.map(plain),
			security: report.securityFindings.map(plain),
		},
	};
}

function printFinding(finding: Finding, out: NodeJS.WritableStream): void {
	const mark = finding.severity === 'error' ? '✖' : finding.severity === 'warning' ? '!' : 'i';
	out.write(`  ${mark} ${finding.subject}: ${finding.cause}\n`);
	for (const line of finding.evidence ?? []) {
		out.write(`      seen: ${line}\n`);
	}
	out.write(`      fix:  ${finding.fix}\n`);
}

export function printReport(report: DoctorReport, out: NodeJS.WritableStream): void {
	out.write(stackMap(report).join('\n') + '\n\n');
	const sections: Array<[string, Finding[]]> = [
		['Services', report.serviceFindings],
		...report.links.filter(link => link.findings.length > 0).map((link): [string, Finding[]] => [`Link: ${link.title}`, link.findings]),
		['Paths and permissions', report.pathFindings],
		['Security', report.securityFindings],
	];
	for (const [title, findings] of sections) {
		if (findings.length === 0) {
			continue;
		}
		out.write(`${title}\n`);
		for (const finding of findings) {
			printFinding(finding, out);
		}
		out.write('\n');
	}
	const repairs = report.links.filter(link => link.repairs.length > 0);
	if (repairs.length > 0) {
		out.write('Repairs arrwire can make (arrwire apply, or answer yes below):\n');
		for (const link of repairs) {
			for (const change of link.repairs) {
				out.write(describeChange(change).map(line => `  ${line}`).join('\n') + '\n');
			}
		}
		out.write('\n');
	}
	out.write(verdictText(report) + '\n');
}

/** The last line(s) of doctor: all is well only when everything was checked and nothing is at fault. */
export function verdictText(report: DoctorReport): string {
	switch (report.outcome) {
		case 'ok':
			return '✔ All is well: every link was tested and works.';
		case 'faults': {
			const faults = report.links.filter(link => link.state === 'fault').length;
			const missed = report.notChecked.length > 0 ? `\n${notCheckedText('tested', report.notChecked)}` : '';
			return `✖ Not all is well: ${faults} link(s) at fault; the fixes are above.${missed}`;
		}
		case 'nothing-found':
			return `! ${nothingFoundText('test')}`;
		case 'incomplete': {
			const missing = report.services.filter(service => service.state === 'missing').map(service => service.name);
			const lines = ['! No fault in what was tested, but not everything could be tested.'];
			if (missing.length > 0) {
				lines.push(`  Not found: ${missing.join(', ')} (start them, or point arrwire at them with --host NAME[:PORT]).`);
			}
			if (report.notChecked.length > 0) {
				lines.push(notCheckedText('tested', report.notChecked));
			}
			return lines.join('\n');
		}
	}
}
