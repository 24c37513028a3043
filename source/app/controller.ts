// The wizard's steps as plain async functions (no Ink), each the session's step of the same name: the wizard does
// what the commands do. Screens only render what these return and call them as intents, so tests can hand them a fake.
import {sortFindings, type Finding} from '../checks/findings.js';
import {serviceInfo, type ServiceKind} from '../discovery/catalogue.js';
import type {CredentialState} from '../discovery/collect.js';
import {credentialNeeded, type Credential, type CredentialCheck} from '../discovery/credentials.js';
import type {DiscoverOptions, DiscoveredService} from '../discovery/discover.js';
import type {UnknownService} from '../discovery/fingerprint.js';
import type {Stack} from '../discovery/stack.js';
import {securityFindingsOf, type DoctorReport} from '../doctor/diagnose.js';
import {selectLinks} from '../links/all.js';
import type {Change} from '../links/change.js';
import type {LinkContext} from '../links/context.js';
import type {AnyLink, ApplyEvent, ApplyResult} from '../links/engine.js';
import {openSession} from '../session/session.js';
import {errorMessage} from '../services/errors.js';

export type GivenLogins = Partial<Record<'qbittorrent' | 'jellyfin', {username: string; password: string}>>;

export interface WizardOptions extends Pick<DiscoverOptions, 'hosts' | 'configFolders' | 'docker' | 'localhost' | 'nativeConfigFiles' | 'scan'> {
	/** The host folder that holds torrents/ and media/ (`--data-root`); default: beside qBittorrent's save path. */
	dataRoot?: string;
	profileFile?: string;
	journalFile?: string;
	/** Given up front: the wizard does not ask for it. */
	nzbgeekApiKey?: string;
	/** Pre-filled answers (the demo's): shown as "given", the user only confirms. */
	given?: GivenLogins;
}

/** One service found, as the Discover screen lists it. */
export type FoundItem = DiscoveredService | UnknownService;

export interface DiscoverySummary {
	services: DiscoveredService[];
	unknown: UnknownService[];
	elapsedMs: number;
	/** Why no containers were looked at, or how many were seen. */
	containers: string;
}

/** A credential the wizard has, or still needs, for one service (or NZBgeek). */
export interface CredentialItem {
	/** The service kind, or 'nzbgeek' for the optional NZBgeek API key. */
	kind: ServiceKind | 'nzbgeek';
	name: string;
	url?: string;
	need: 'api-key' | 'username-password';
	/** Where the user finds it. */
	where: string;
	/** Where the accepted or tried credential came from ("typed in", a file, "given"). */
	from?: string;
	username?: string;
	check?: CredentialCheck;
	/** Pre-filled answer the user only confirms (the password itself is never shown). */
	given?: {username: string; password: string};
	optional?: boolean;
	/** The user chose not to give it. */
	skipped?: boolean;
}

export interface LinkPlanView {
	id: string;
	title: string;
	services: string[];
	optional: boolean;
	skipped?: string;
	error?: string;
	changes: Change[];
}

export interface ApplyRequest {
	/** The links the user kept (ids); the others are left alone. */
	links: string[];
	/** Asked before each change; answer true to make it. */
	confirm: (change: Change) => Promise<boolean>;
}

export interface WizardController {
	discover(onFound: (found: FoundItem) => void): Promise<DiscoverySummary>;
	credentials(): CredentialItem[];
	submit(kind: CredentialItem['kind'], credential: Credential): Promise<CredentialCheck>;
	skip(kind: CredentialItem['kind']): void;
	checks(): Promise<Finding[]>;
	plan(): Promise<LinkPlanView[]>;
	apply(request: ApplyRequest, onEvent: (event: ApplyEvent) => void): Promise<ApplyResult>;
	/** The diagnosis `arrwire doctor` makes (probes, the services' own checks, every link, paths, security). */
	diagnose(): Promise<DoctorReport>;
	/** Short notes about the desired state ("the data tree is …"). */
	notes(): string[];
}

const NZBGEEK_WHERE = 'nzbgeek.info → My Account → API (optional: without it, Prowlarr gets no NZBgeek indexer)';

export function createController(options: WizardOptions): WizardController {
	const session = openSession({...options, checks: true});
	let nzbgeek: CredentialItem | undefined = options.nzbgeekApiKey
		? undefined
		: {kind: 'nzbgeek', name: 'NZBgeek', need: 'api-key', where: NZBGEEK_WHERE, optional: true};
	const skippedKinds = new Set<string>();
	let links: Array<AnyLink<LinkContext>> = selectLinks();

	const requireStack = (): Stack => {
		const stack = session.stack();
		if (!stack) {
			throw new Error('discover first');
		}
		return stack;
	};

	const givenFor = (kind: CredentialItem['kind']) => (kind === 'qbittorrent' || kind === 'jellyfin' ? options.given?.[kind] : undefined);

	const itemOf = (state: CredentialState): CredentialItem => {
		const info = serviceInfo(state.service.kind);
		return {
			kind: state.service.kind,
			name: state.service.name,
			url: state.service.url,
			need: credentialNeeded(state.service.kind),
			where: info.credential.where,
			from: state.from,
			username: state.credential?.username,
			check: state.check,
			given: state.check?.ok ? undefined : givenFor(state.service.kind),
			skipped: skippedKinds.has(state.service.kind),
		};
	};

	return {
		async discover(onFound) {
			const {discovery} = await session.discover({onFound});
			const containers = discovery.containers.runtime
				? `${discovery.containers.containers.length} container(s) seen through ${discovery.containers.runtime}`
				: `no containers looked at (${discovery.containers.reason})`;
			return {services: discovery.services, unknown: discovery.unknown, elapsedMs: discovery.elapsedMs, containers};
		},

		credentials() {
			const items = (session.stack()?.credentials ?? []).map(itemOf);
			return nzbgeek ? [...items, {...nzbgeek, skipped: skippedKinds.has('nzbgeek')}] : items;
		},

		async submit(kind, credential) {
			if (kind === 'nzbgeek') {
				// NZBgeek is reached only by Prowlarr; Prowlarr's own test checks the key when the indexer is saved.
				session.useNzbgeekApiKey(credential.apiKey || undefined);
				skippedKinds.delete('nzbgeek');
				const check: CredentialCheck = {ok: true, kind: 'prowlarr', detail: 'NZBgeek API key noted; Prowlarr tests it when it saves the indexer'};
				nzbgeek = {...nzbgeek!, from: 'typed in', check};
				return check;
			}
			const state = requireStack().credentials.find(candidate => candidate.service.kind === kind);
			if (!state) {
				throw new Error(`${kind} was not found`);
			}
			const given = givenFor(kind);
			const fromGiven = given && given.username === credential.username && given.password === credential.password;
			const {check} = await session.submitCredential(state.service.url, credential, fromGiven ? 'given' : 'typed in');
			skippedKinds.delete(kind);
			if (check.ok) {
				// Secrets only where the user agreed before (a profile that keeps them); else the wizard asks again next time.
				await session.saveProfile().catch(() => undefined);
			}
			return check;
		},

		skip(kind) {
			skippedKinds.add(kind);
			if (kind === 'nzbgeek') {
				session.useNzbgeekApiKey(options.nzbgeekApiKey);
			}
		},

		async checks() {
			const current = await session.wiring({checks: true});
			const findings = [...(current.report?.findings ?? [])];
			try {
				findings.push(...(await securityFindingsOf(current)));
			} catch (error) {
				findings.push({
					id: 'wizard.security-not-checked',
					severity: 'info',
					subject: 'arrwire',
					cause: `The security checks could not run: ${errorMessage(error)}`,
					fix: 'Run arrwire check for the details.',
				});
			}
			for (const state of current.stack.credentials) {
				if (!state.check?.ok) {
					findings.push({
						id: 'wizard.no-credential',
						severity: 'warning',
						subject: state.service.name,
						cause: `${state.service.name} has no accepted credential, so the links that need it are skipped.`,
						fix: `Give it in the credentials step (esc goes back): ${serviceInfo(state.service.kind).credential.where}.`,
					});
				}
			}
			return sortFindings(findings);
		},

		async plan() {
			links = selectLinks();
			const plans = await session.plan(links);
			return plans.map(plan => ({
				id: plan.link.id,
				title: plan.link.title,
				services: plan.link.services.map(String),
				optional: plan.link.optional === true,
				skipped: plan.skipped,
				error: plan.error?.message,
				changes: plan.changes,
			}));
		},

		async apply(request, onEvent) {
			const chosen = links.filter(link => request.links.includes(link.id));
			return session.apply(chosen, {confirm: request.confirm, onEvent, command: 'wizard'});
		},

		diagnose: () => session.diagnose(),

		notes() {
			return session.current()?.notes ?? [];
		},
	};
}
