// A doctor report as lines: the stack map, each fault with its evidence and fix, the repairs, and the verdict.
// `arrwire doctor` prints these lines, and the wizard's "Run doctor" shows the same ones.
import type {DoctorReport} from '../doctor/diagnose.js';
import {describeChange} from '../links/change.js';
import {canaryLines} from './canary.js';
import {edgeLines, legendLine, servicesLine} from './stack-map.js';
import {findingsLines, MARK, type Line} from './text.js';
import {nothingFoundText, notCheckedText} from './verdict.js';
import {wrapText} from './wrap.js';

/** The map: the services with their marks, one line per edge, the count of links per state. */
export function reportMapLines(report: DoctorReport, width = 78): Line[] {
	const states = Object.fromEntries(report.links.map(link => [link.id, link.state]));
	return [
		servicesLine(
			report.services.map(service => ({name: service.name, state: service.state})),
			width,
		),
		...edgeLines(states),
		legendLine(states, ['linked', 'drift', 'failed', 'skipped']),
		...versionLines(report, width),
	];
}

/** The versions found, the facts the compatibility rules weigh (checks/compatibility.ts). */
function versionLines(report: DoctorReport, width: number): Line[] {
	const known = report.services.filter(service => service.version);
	return known.length === 0 ? [] : wrapText(`Versions: ${known.map(service => `${service.name} ${service.version}`).join(', ')}`, width, '  ').map(text => ({text}));
}

/** Each group of findings under its title (services, each link at fault, paths, security), then the repairs offered. */
export function reportFindingLines(report: DoctorReport, width = 78): Line[] {
	const sections: Array<[string, DoctorReport['serviceFindings']]> = [
		['Services', report.serviceFindings],
		...report.links.filter(link => link.findings.length > 0).map((link): [string, DoctorReport['serviceFindings']] => [`Link: ${link.title}`, link.findings]),
		['Paths and permissions', report.pathFindings],
		['Security', report.securityFindings],
	];
	const lines: Line[] = [];
	for (const [title, findings] of sections.filter(([, findings]) => findings.length > 0)) {
		lines.push({text: title, bold: true}, ...findingsLines(findings, width, '  ', {evidence: true}), {text: ''});
	}
	const repairs = report.links.flatMap(link => link.repairs);
	if (repairs.length > 0) {
		lines.push({text: 'Repairs arrwire can make (arrwire apply, or answer yes below):', bold: true});
		lines.push(...repairs.flatMap(change => describeChange(change).map(text => ({text: `  ${text}`}))), {text: ''});
	}
	return lines;
}

/** The verdict: all is well only when everything was checked and nothing is at fault. */
export function verdictLines(report: DoctorReport): Line[] {
	switch (report.outcome) {
		case 'ok':
			return [{text: `${MARK.ok} All is well: every link was tested and works.`, tone: 'ok', bold: true}];
		case 'faults': {
			const faults = report.links.filter(link => link.state === 'failed').length;
			return [
				{text: `${MARK.failed} Not all is well: ${faults} link(s) at fault; the fixes are above.`, tone: 'failed', bold: true},
				...(report.notChecked.length > 0 ? textLines(notCheckedText('tested', report.notChecked)) : []),
			];
		}
		case 'nothing-found':
			return [{text: `${MARK.warning} ${nothingFoundText('test')}`, tone: 'warning'}];
		case 'incomplete': {
			const missing = report.services.filter(service => service.state === 'missing').map(service => service.name);
			return [
				{text: `${MARK.warning} No fault in what was tested, but not everything could be tested.`, tone: 'warning', bold: true},
				...(missing.length > 0 ? [{text: `  Not found: ${missing.join(', ')} (start them, or point arrwire at them with --host NAME[:PORT]).`}] : []),
				...(report.notChecked.length > 0 ? textLines(notCheckedText('tested', report.notChecked)) : []),
			];
		}
	}
}

/** The whole report, as `arrwire doctor` prints it. */
export function reportLines(report: DoctorReport, width = 78): Line[] {
	const outside = (report.reachedOutside ?? []).map(test => ({text: `${MARK.info} Beyond the stack: ${test}. arrwire doctor --offline leaves it out.`}));
	// What the canary proof showed comes before the verdict, which rests on it.
	const proof = canaryLines(report.canary);
	return [...reportMapLines(report, width), {text: ''}, ...reportFindingLines(report, width), ...proof, ...(proof.length > 0 ? [{text: ''}] : []), ...outside, ...verdictLines(report)];
}

function textLines(text: string): Line[] {
	return text.split('\n').map(line => ({text: line}));
}
