// `arrwire doctor [--json]`: every link tested, each fault explained with its evidence and fix, the repairs offered
// (they go through plan/apply like any change). Exit 0 when all is well, 1 on any fault.
import type {Finding} from '../checks/findings.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import {ALL_LINKS} from '../links/all.js';
import {describeChange} from '../links/change.js';
import type {WiringOptions} from '../links/wiring.js';
import {beforeChange} from '../present/apply-rules.js';
import {openSession} from '../session/session.js';
import {canaryJson} from '../present/canary.js';
import {reportLines} from '../present/doctor-report.js';
import type {LinkState, ServiceState} from '../present/stack-map.js';
import {outWidth, writeLines} from '../present/text.js';
import {applyEventWriter} from './apply.js';
import {askYesNo, canAsk} from './ask.js';
import {exitCodeOf} from '../present/verdict.js';

export interface DoctorCommandOptions extends WiringOptions {
	json?: boolean;
	/** Offer to apply the repairs (default: when in a terminal and not --json). */
	offerRepairs?: boolean;
}

export async function runDoctor(options: DoctorCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
	// Every link, the ones applied only on request too: their repairs are offered here (a new password, say).
	const links = ALL_LINKS;
	const events = applyEventWriter(links, out);
	const session = openSession({...options, checks: true, canary: options.canary !== false}, event => {
		if (event.type === 'password-kept') {
			out.write(`The new qBittorrent password is kept in ${event.file} (readable only by you).\n`);
		} else if (event.type !== 'found' && event.type !== 'credential' && event.type !== 'undone') {
			events.write(event);
		}
	});
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
		out.write(`${result.applied.length} repair(s) made${result.failed ? ', then stopped at the failure above' : ''}. Run arrwire doctor again to check.\n`);
	}
	return exitCodeOf(report.outcome);
}

/**
 * The states as the published --json names them (README, schemas/doctor.schema.json): the shape is stable, so the
 * screens' words (failed, ready) are translated here, in this one place.
 */
const JSON_LINK_STATE: Record<LinkState, 'linked' | 'drift' | 'fault' | 'skipped'> = {linked: 'linked', changed: 'linked', drift: 'drift', failed: 'fault', skipped: 'skipped'};
const JSON_SERVICE_STATE: Record<ServiceState, 'ok' | 'fault' | 'missing'> = {ready: 'ok', 'no-credential': 'fault', fault: 'fault', missing: 'missing'};

/** The documented --json shape (stable: new keys may be added, none removed). */
export function doctorJson(report: DoctorReport) {
	const plain = (finding: Finding) => ({id: finding.id, severity: finding.severity, subject: finding.subject, cause: finding.cause, evidence: finding.evidence ?? [], fix: finding.fix, impact: finding.impact ?? null});
	return {
		ok: report.ok,
		outcome: report.outcome,
		notChecked: report.notChecked,
		reachedOutside: report.reachedOutside ?? [],
		services: report.services.map(service => ({kind: service.kind, name: service.name, url: service.url ?? null, version: service.version ?? null, state: JSON_SERVICE_STATE[service.state]})),
		links: report.links.map(link => ({
			id: link.id,
			title: link.title,
			optional: link.optional,
			state: JSON_LINK_STATE[link.state],
			skipped: link.skipped ?? null,
			findings: link.findings.map(plain),
			repairs: link.repairs.map(change => ({service: change.service, action: change.action, target: change.target, handMade: change.handMade, lines: describeChange(change)})),
		})),
		findings: {
			services: report.serviceFindings.map(plain),
			paths: report.pathFindings.map(plain),
			security: report.securityFindings.map(plain),
		},
		canary: canaryJson(report.canary),
	};
}

/** The report as text: the same lines the wizard's "Run doctor" shows. */
export function printReport(report: DoctorReport, out: NodeJS.WritableStream): void {
	writeLines(out, reportLines(report, outWidth(out)));
}
