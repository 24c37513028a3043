// The stack map of a doctor report, as text: the same map, marks and states as the wizard's summary (present/stack-map.ts).
import type {DoctorReport} from './diagnose.js';
import {edgeLines, legendLine, servicesLine, type LinkState, type ServiceState} from '../present/stack-map.js';

const LINK_STATE: Record<DoctorReport['links'][number]['state'], LinkState> = {linked: 'linked', drift: 'drift', fault: 'failed', skipped: 'skipped'};
const SERVICE_STATE: Record<DoctorReport['services'][number]['state'], ServiceState> = {ok: 'ready', fault: 'fault', missing: 'missing'};

/** The map in lines that fit an 80-column terminal. */
export function stackMap(report: DoctorReport, width = 78): string[] {
	const states = Object.fromEntries(report.links.map(link => [link.id, LINK_STATE[link.state]]));
	return [
		servicesLine(
			report.services.map(service => ({name: service.name, state: SERVICE_STATE[service.state]})),
			width,
		).text,
		...edgeLines(states).map(line => line.text),
		legendLine(states, ['linked', 'drift', 'failed', 'skipped']).text,
	];
}
