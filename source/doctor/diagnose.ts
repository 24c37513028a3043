// Doctor: every link tested end to end with the services' own tests and health, the path and permission checks, and
// the security findings; each fault with its cause, evidence and fix, and the repairs that plan/apply would make.
import {statSync} from 'node:fs';
import {COMPATIBILITY_RULES, compatibilityFindings, type CompatibilityFacts} from '../checks/compatibility.js';
import type {CanaryReport} from '../checks/canary.js';
import {checkSecurity} from '../checks/security.js';
import {securityFacts} from '../checks/security-facts.js';
import {sortFindings, type Finding} from '../checks/findings.js';
import {serviceInfo, SERVICES, type ServiceKind} from '../discovery/catalogue.js';
import type {Change} from '../links/change.js';
import type {LinkContext} from '../links/context.js';
import {failedStepFinding, runLinkStep, type AnyLink} from '../links/engine.js';
import type {Wiring} from '../links/wiring.js';
import {errorMessage} from '../services/errors.js';
import type {LinkState, ServiceState} from '../present/stack-map.js';
import {isNotNeeded, outcomeOf, type NotChecked, type Outcome} from '../present/verdict.js';

export interface LinkDiagnosis {
	id: string;
	title: string;
	optional: boolean;
	/** Never 'changed': doctor changes nothing. */
	state: LinkState;
	skipped?: string;
	findings: Finding[];
	/** What arrwire apply would change to repair it. */
	repairs: Change[];
}

export interface ServiceDiagnosis {
	kind: ServiceKind;
	name: string;
	url?: string;
	version?: string;
	state: ServiceState;
}

export interface DoctorReport {
	/** True only when everything was checked and nothing is at fault. */
	ok: boolean;
	outcome: Outcome;
	/** Links that could not be tested (a service not found, a credential not known), with why. */
	notChecked: NotChecked[];
	services: ServiceDiagnosis[];
	links: LinkDiagnosis[];
	/** Faults of the services themselves: credentials, reachability, their own health checks. */
	serviceFindings: Finding[];
	pathFindings: Finding[];
	securityFindings: Finding[];
	/** The tests doctor ran that reach beyond the stack (none with --offline), each in words; absent: none. */
	reachedOutside?: string[];
	/** The canary proof, when the checks ran it: what it wrote and removed, what it proved. */
	canary?: CanaryReport;
}

/** The services a whole stack has: a missing one leaves links untested (an optional one is offered, not required). */
const KINDS: ServiceKind[] = SERVICES.filter(info => !info.optional).map(info => info.kind);

async function serviceFindings(wiring: Wiring): Promise<{services: ServiceDiagnosis[]; findings: Finding[]}> {
	const {stack} = wiring;
	const findings: Finding[] = [];
	const services: ServiceDiagnosis[] = [];
	// The optional services (the Usenet clients) are checked when found; none found is said, as information: the
	// protocol coverage check is what makes it a fault, where an indexer needs one.
	const optional = SERVICES.filter(info => info.optional);
	const foundOptional = optional.filter(info => stack.services[info.kind]).map(info => info.kind);
	if (foundOptional.length === 0 && optional.length > 0) {
		const names = optional.map(info => info.name).join(' or ');
		findings.push({id: 'service.not-found', severity: 'info', subject: names, cause: `No Usenet download client (${names}) was found; it is optional where no indexer finds Usenet releases.`, fix: 'Start one, or point arrwire at it with --host NAME[:PORT].'});
	}
	for (const kind of [...KINDS, ...foundOptional]) {
		const service = stack.services[kind];
		const name = serviceInfo(kind).name;
		if (!service) {
			// A service arrwire wired before (journal) or saved (profile) that no longer answers is down, not absent.
			const known = stack.profile?.services.find(entry => entry.kind === kind);
			const wired = wiring.context.journal.runs.some(run => run.entries.some(entry => entry.service === name && !entry.undone));
			services.push({kind, name, url: known?.url, state: known || wired ? 'fault' : 'missing'});
			findings.push(
				known || wired
					? {
							id: 'service.down',
							severity: 'error',
							subject: name,
							cause: `${name} does not answer${known ? ` at ${known.url}` : ''}, though arrwire ${wired ? 'linked it before' : 'found it before'}.`,
							fix: `Start ${name} again (systemctl start, docker start …), or if it moved, run arrwire discover --host NAME[:PORT] and then arrwire apply.`,
						}
					: {id: 'service.not-found', severity: 'warning', subject: name, cause: `${name} was not found on the default port or the hosts arrwire knows.`, fix: `Start it, or point arrwire at it with --host NAME[:PORT].`},
			);
			continue;
		}
		const state = stack.credentials.find(candidate => candidate.service === service);
		let ok = true;
		let missingCredential = false;
		if (!state?.check) {
			ok = false;
			missingCredential = true;
			findings.push({
				id: 'service.no-credential',
				severity: kind === 'jellyfin' ? 'warning' : 'error',
				subject: name,
				cause: `arrwire has no credential for ${name} at ${service.url}, so its links cannot be tested.`,
				fix: `Run arrwire discover in a terminal and give it (${serviceInfo(kind).credential.where}).`,
			});
		} else if (!state.check.ok) {
			ok = false;
			findings.push({id: `service.${state.check.reason === 'refused' ? 'credential-refused' : 'unreachable'}`, severity: 'error', subject: name, cause: state.check.message, evidence: state.from ? [`credential from ${state.from}`] : undefined, fix: state.check.fix});
		}
		const client = kind === 'sonarr' || kind === 'radarr' ? stack.clients[kind] : kind === 'prowlarr' ? stack.clients.prowlarr : undefined;
		if (client && ok) {
			try {
				for (const check of await client.health()) {
					findings.push({
						id: `health.${check.source ?? 'check'}`,
						severity: check.type === 'error' ? 'error' : check.type === 'warning' ? 'warning' : 'info',
						subject: name,
						cause: `${name} reports: ${check.message}`,
						fix: `See ${name} → System → Status; arrwire's own links above fix the ones about download clients, indexers and root folders.`,
					});
				}
			} catch (error) {
				ok = false;
				// The shape of any step that could not run (id, evidence, the service's own fix), said of the service.
				findings.push({...failedStepFinding(name, error), cause: `arrwire could not read ${name}'s health checks: ${errorMessage(error)}`});
			}
		}
		services.push({kind, name, url: service.url, version: state?.check?.ok ? (state.check.version ?? service.version) : service.version, state: ok ? 'ready' : missingCredential ? 'no-credential' : 'fault'});
	}
	return {services, findings};
}

function linkOfRule(id: string): string | undefined {
	return COMPATIBILITY_RULES.find(rule => rule.id === id)?.link;
}

/**
 * What the version rules need: each service's version, Jellyfin's EnableLegacyAuthorization (read with arrwire's own
 * sign-in), and the owner of the folder Seerr keeps its config in, when its container's mounts show it.
 */
async function compatibilityFactsOf(wiring: Wiring, services: ServiceDiagnosis[]): Promise<CompatibilityFacts> {
	const versions = Object.fromEntries(services.filter(service => service.version).map(service => [service.kind, service.version]));
	const jellyfin = wiring.stack.clients.jellyfin;
	const configuration = jellyfin ? await jellyfin.systemConfiguration().catch(() => undefined) : undefined;
	const container = wiring.stack.services.jellyseerr?.container;
	const mount = container?.mounts.find(candidate => candidate.destination.replace(/\/+$/, '') === '/app/config');
	let seerrConfig: CompatibilityFacts['seerrConfig'];
	if (mount) {
		try {
			seerrConfig = {path: mount.source, uid: statSync(mount.source).uid, containerUser: container?.user};
		} catch {
			// A folder arrwire cannot see is not a finding: the rule stays quiet.
		}
	}
	return {versions, jellyfinLegacyAuthorization: configuration?.EnableLegacyAuthorization, seerrConfig};
}

/** The security checks of the stack as wired (the wizard's checks step and doctor alike), most serious first. */
export async function securityFindingsOf(wiring: Wiring): Promise<Finding[]> {
	return sortFindings(checkSecurity(await securityFacts(wiring.stack, wiring.context.desired, wiring.context.journal.file)));
}

export async function diagnose(wiring: Wiring, links: Array<AnyLink<LinkContext>>): Promise<DoctorReport> {
	const {services, findings: ofServices} = await serviceFindings(wiring);
	const diagnoses: LinkDiagnosis[] = [];
	const reachedOutside: string[] = [];
	// A test left out is not a test passed: the verdict says what --offline did not test.
	const leftOut: NotChecked[] = [];
	for (const link of links) {
		const base = {id: link.id, title: link.title, optional: link.optional === true};
		const applicable = link.applicable(wiring.context);
		const verifyOnly = applicable !== true && link.verifiable?.(wiring.context) === true;
		if (applicable !== true && !verifyOnly) {
			diagnoses.push({...base, state: 'skipped', skipped: applicable, findings: [], repairs: []});
			continue;
		}
		if (link.reachesOutside) {
			if (wiring.context.offline) {
				leftOut.push({title: link.title, reason: `left out by --offline (${link.reachesOutside})`});
			} else {
				reachedOutside.push(link.reachesOutside);
			}
		}
		let repairs: Change[] = [];
		// A link that cannot be read or verified is a finding of its own; a probe that throws keeps what verify found.
		const findings = await runLinkStep(link.title, async () => {
			if (!verifyOnly) {
				repairs = link.plan(await link.read(wiring.context), wiring.context);
			}
			const verified = await link.verify(wiring.context);
			return [...verified, ...(await runLinkStep(link.title, async () => (await link.probe?.(wiring.context)) ?? []))];
		});
		const state: LinkState = findings.some(finding => finding.severity === 'error') ? 'failed' : repairs.length > 0 || findings.some(finding => finding.severity === 'warning') ? 'drift' : 'linked';
		diagnoses.push({...base, state, findings, repairs});
	}
	// The version rules no link checks itself: each said under the link it breaks, or of the services when that link was
	// not tested.
	for (const finding of compatibilityFindings(await compatibilityFactsOf(wiring, services), rule => !rule.checkedByLink)) {
		const rule = finding.id;
		const diagnosis = diagnoses.find(candidate => candidate.state !== 'skipped' && linkOfRule(rule) === candidate.id);
		if (diagnosis) {
			diagnosis.findings.push(finding);
			diagnosis.state = finding.severity === 'error' ? 'failed' : diagnosis.state === 'linked' ? 'drift' : diagnosis.state;
		} else {
			ofServices.push(finding);
		}
	}
	// Protocol coverage is read with the checks but is a fault of the service's set-up, not of a path.
	const isCoverage = (finding: Finding) => finding.id.startsWith('protocol.');
	ofServices.push(...(wiring.report?.findings ?? []).filter(isCoverage));
	const pathFindings = sortFindings((wiring.report?.findings ?? []).filter(finding => !isCoverage(finding)));
	const securityFindings = await securityFindingsOf(wiring);
	const all = [...ofServices, ...diagnoses.flatMap(diagnosis => diagnosis.findings), ...pathFindings, ...securityFindings];
	const notChecked = [
		...diagnoses
			.filter(diagnosis => diagnosis.state === 'skipped' && !diagnosis.optional && !isNotNeeded(diagnosis.skipped ?? ''))
			.map(diagnosis => ({title: diagnosis.title, reason: diagnosis.skipped ?? ''})),
		...leftOut,
	];
	const outcome = outcomeOf({
		faults: all.filter(finding => finding.severity === 'error').length,
		servicesFound: services.filter(service => service.state !== 'missing').length,
		notChecked: notChecked.length + services.filter(service => service.state === 'missing').length,
	});
	return {
		ok: outcome === 'ok',
		outcome,
		notChecked,
		services,
		links: diagnoses,
		serviceFindings: sortFindings(ofServices),
		pathFindings,
		securityFindings,
		reachedOutside,
		canary: wiring.report?.canary,
	};
}
