// The wizard's steps as plain async functions (no Ink): discover, credentials, checks, plan, apply, verify.
// Screens only render what these return and call them as intents, so tests can hand the screens a fake.
import {checkSecurity} from '../checks/security.js';
import {securityFacts} from '../checks/security-facts.js';
import {sortFindings, type Finding} from '../checks/findings.js';
import {serviceInfo, type ServiceKind} from '../discovery/catalogue.js';
import {checkKnownCredentials, correctKind, profileServices, type CredentialState} from '../discovery/collect.js';
import {checkCredential, credentialNeeded, type Credential, type CredentialCheck} from '../discovery/credentials.js';
import {discover, type DiscoverOptions, type DiscoveredService, type Discovery} from '../discovery/discover.js';
import type {UnknownService} from '../discovery/fingerprint.js';
import type {Stack} from '../discovery/stack.js';
import {selectLinks} from '../links/all.js';
import type {Change} from '../links/change.js';
import type {LinkContext} from '../links/context.js';
import {applyLinks, planLinks, type AnyLink, type ApplyEvent, type ApplyResult} from '../links/engine.js';
import {wiringFromStack, type Wiring} from '../links/wiring.js';
import {loadProfile, saveProfile, type Profile} from '../state/profile.js';

export type GivenLogins = Partial<Record<'qbittorrent' | 'jellyfin', {username: string; password: string}>>;

export interface WizardOptions extends Pick<DiscoverOptions, 'hosts' | 'configFolders' | 'docker' | 'localhost' | 'nativeConfigFiles' | 'scan'> {
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

export interface LinkVerifyResult {
	id: string;
	title: string;
	findings: Finding[];
}

export interface ApplyRequest {
	/** The links the user kept (ids); the others are left alone. */
	links: string[];
	/** Asked before each change; answer true to make it. */
	confirm(change: Change): Promise<boolean>;
}

export interface WizardController {
	discover(onFound: (found: FoundItem) => void): Promise<DiscoverySummary>;
	credentials(): CredentialItem[];
	submit(kind: CredentialItem['kind'], credential: Credential): Promise<CredentialCheck>;
	skip(kind: CredentialItem['kind']): void;
	checks(): Promise<Finding[]>;
	plan(): Promise<LinkPlanView[]>;
	apply(request: ApplyRequest, onEvent: (event: ApplyEvent) => void): Promise<ApplyResult>;
	/** Runs every link's verify (doctor): each link's findings. */
	verify(): Promise<LinkVerifyResult[]>;
	/** Short notes about the desired state ("the data tree is …"). */
	notes(): string[];
}

const NZBGEEK_WHERE = 'nzbgeek.info → My Account → API (optional: without it, Prowlarr gets no NZBgeek indexer)';

export function createController(options: WizardOptions): WizardController {
	let stack: Stack | undefined;
	let profile: Profile | undefined;
	let wiring: Wiring | undefined;
	let nzbgeek: CredentialItem | undefined = options.nzbgeekApiKey
		? undefined
		: {kind: 'nzbgeek', name: 'NZBgeek', need: 'api-key', where: NZBGEEK_WHERE, optional: true};
	let nzbgeekApiKey = options.nzbgeekApiKey;
	const skippedKinds = new Set<string>();
	let links: Array<AnyLink<LinkContext>> = selectLinks();

	const requireStack = (): Stack => {
		if (!stack) {
			throw new Error('discover first');
		}
		return stack;
	};

	// Credentials changed: the wiring built from them is stale.
	const invalidate = () => {
		wiring = undefined;
	};

	const openWiring = async (): Promise<Wiring> => {
		wiring ??= await wiringFromStack(requireStack(), {checks: true, journalFile: options.journalFile, nzbgeekApiKey});
		return wiring;
	};

	const itemOf = (state: CredentialState): CredentialItem => {
		const info = serviceInfo(state.service.kind);
		const given = state.service.kind === 'qbittorrent' || state.service.kind === 'jellyfin' ? options.given?.[state.service.kind] : undefined;
		return {
			kind: state.service.kind,
			name: state.service.name,
			url: state.service.url,
			need: credentialNeeded(state.service.kind),
			where: info.credential.where,
			from: state.from,
			username: state.credential?.username,
			check: state.check,
			given: state.check?.ok ? undefined : given,
			skipped: skippedKinds.has(state.service.kind),
		};
	};

	const saveStack = async () => {
		const current = requireStack();
		// Secrets only where the user agreed before (a profile that keeps them); else the wizard asks again next time.
		const storeSecrets = profile?.storeSecrets ?? false;
		await saveProfile(
			{
				storeSecrets,
				hosts: [...new Set([...(options.hosts ?? []), ...(profile?.hosts ?? [])])],
				services: profileServices(current.credentials, storeSecrets, profile),
			},
			options.profileFile,
		);
	};

	return {
		async discover(onFound) {
			profile = await loadProfile(options.profileFile);
			const hosts = [...new Set([...(options.hosts ?? []), ...(profile?.hosts ?? [])])];
			const discovery: Discovery = await discover({
				localhost: options.localhost,
				hosts,
				scan: options.scan,
				docker: options.docker,
				configFolders: options.configFolders,
				nativeConfigFiles: options.nativeConfigFiles,
				onFound,
			});
			const credentials = await checkKnownCredentials(discovery.services, profile);
			stack = {discovery, credentials, services: {}, clients: {}, profile};
			for (const state of credentials) {
				stack.services[state.service.kind] ??= state.service;
			}
			invalidate();
			const containers = discovery.containers.runtime
				? `${discovery.containers.containers.length} container(s) seen through ${discovery.containers.runtime}`
				: `no containers looked at (${discovery.containers.reason})`;
			return {services: discovery.services, unknown: discovery.unknown, elapsedMs: discovery.elapsedMs, containers};
		},

		credentials() {
			const items = (stack?.credentials ?? []).map(itemOf);
			return nzbgeek ? [...items, {...nzbgeek, skipped: skippedKinds.has('nzbgeek')}] : items;
		},

		async submit(kind, credential) {
			if (kind === 'nzbgeek') {
				// NZBgeek is reached only by Prowlarr; Prowlarr's own test checks the key when the indexer is saved.
				nzbgeekApiKey = credential.apiKey || undefined;
				skippedKinds.delete('nzbgeek');
				const check: CredentialCheck = {ok: true, kind: 'prowlarr', detail: 'NZBgeek API key noted; Prowlarr tests it when it saves the indexer'};
				nzbgeek = {...nzbgeek!, from: 'typed in', check};
				invalidate();
				return check;
			}
			const current = requireStack();
			const state = current.credentials.find(candidate => candidate.service.kind === kind);
			if (!state) {
				throw new Error(`${kind} was not found`);
			}
			const given = (kind === 'qbittorrent' || kind === 'jellyfin') && options.given?.[kind];
			const fromGiven = given && given.username === credential.username && given.password === credential.password;
			const check = await checkCredential(state.service, credential);
			state.credential = credential;
			state.from = fromGiven ? 'given' : 'typed in';
			state.check = check;
			if (check.ok && check.kind !== state.service.kind) {
				correctKind(state.service, check.kind);
			}
			skippedKinds.delete(kind);
			invalidate();
			if (check.ok) {
				await saveStack().catch(() => undefined);
			}
			return check;
		},

		skip(kind) {
			skippedKinds.add(kind);
			if (kind === 'nzbgeek') {
				nzbgeekApiKey = options.nzbgeekApiKey;
				invalidate();
			}
		},

		async checks() {
			const current = await openWiring();
			const findings = [...(current.report?.findings ?? [])];
			try {
				findings.push(...checkSecurity(await securityFacts(current.stack, current.context.desired)));
			} catch (error) {
				findings.push({
					id: 'wizard.security-not-checked',
					severity: 'info',
					subject: 'arrwire',
					cause: `The security checks could not run: ${error instanceof Error ? error.message : String(error)}`,
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
			const current = await openWiring();
			links = selectLinks();
			const plans = await planLinks(links, current.context);
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
			const current = await openWiring();
			const chosen = links.filter(link => request.links.includes(link.id));
			return applyLinks(chosen, current.context, {confirm: request.confirm, onEvent, command: 'wizard'});
		},

		async verify() {
			const current = await openWiring();
			const results: LinkVerifyResult[] = [];
			for (const link of selectLinks()) {
				if (link.applicable(current.context) !== true) {
					continue;
				}
				try {
					results.push({id: link.id, title: link.title, findings: await link.verify(current.context)});
				} catch (error) {
					results.push({
						id: link.id,
						title: link.title,
						findings: [{id: 'link.verify-failed', severity: 'error', subject: link.title, cause: error instanceof Error ? error.message : String(error), fix: 'Run arrwire doctor again once the service answers.'}],
					});
				}
			}
			return results;
		},

		notes() {
			return wiring?.notes ?? [];
		},
	};
}
