// The one core of arrwire: discover, credentials, checks, plan, apply, diagnose, undo. The wizard's controller and
// every plain command drive a session and only show what it returns, so the two cannot drift apart. The checks, the
// links and the doctor load when first used: `discover` starts without them.
import type {CheckReport} from '../checks/collect.js';
import type {Finding} from '../checks/findings.js';
import {serviceInfo, type ServiceKind} from '../discovery/catalogue.js';
import {acceptCredential, profileServices, type CheckedState, type CredentialState} from '../discovery/collect.js';
import type {Credential} from '../discovery/credentials.js';
import {scriptVariables} from '../discovery/given-credentials.js';
import type {DiscoveredService, Discovery} from '../discovery/discover.js';
import type {UnknownService} from '../discovery/fingerprint.js';
import {openStack, stackOf, type Stack} from '../discovery/stack.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import type {LinkContext} from '../links/context.js';
import type {RequestMemo} from '../services/http.js';
import type {AnyLink, ApplyEvent, ApplyOptions, ApplyResult, LinkPlan, UndoResult} from '../links/engine.js';
import type {Wiring, WiringOptions} from '../links/wiring.js';
import type {JournalEntry, JournalRun} from '../state/journal.js';
import {profilePath, saveProfile, SET_BY_ARRWIRE} from '../state/profile.js';

export type SessionOptions = WiringOptions;

/** What a session reports as it goes, for a live view or a log. */
export type SessionEvent =
	| {type: 'found'; found: DiscoveredService | UnknownService}
	| {type: 'credential'; state: CredentialState}
	| ApplyEvent
	/** A password arrwire set (qBittorrent's) is kept in this profile file: nothing else knows it now. */
	| {type: 'password-kept'; file: string}
	| {type: 'undone'; entry: JournalEntry};

export interface DiscoverHooks {
	onFound?: (found: DiscoveredService | UnknownService) => void;
	/** Called once the services are found, before any credential is sent to them (to trust a certificate first). */
	beforeCredentials?: (discovery: Discovery) => Promise<void>;
}

export interface ChecksResult {
	report: CheckReport;
	/** What could not be checked (a service not found, a credential missing), as findings. */
	notChecked: Finding[];
	/** The report's findings and the ones above, most serious first. */
	findings: Finding[];
}

export interface SessionApplyResult extends ApplyResult {
	/** The profile file a password arrwire set was kept in, when it set one. */
	passwordKeptIn?: string;
}

export interface Session {
	/** Finds the services and checks every credential arrwire has without asking. */
	discover(hooks?: DiscoverHooks): Promise<Stack>;
	/** The stack as it stands (after discover), with every credential given since. */
	stack(): Stack | undefined;
	/** Checks a credential for the service at this URL, whoever gave it; the service's new credential state. */
	submitCredential(url: string, credential: Credential, from?: string): Promise<CheckedState>;
	/** The NZBgeek API key Prowlarr gets (undefined: none). */
	useNzbgeekApiKey(key: string | undefined): void;
	/** Saves where each service is and where its credential came from; the secrets only with storeSecrets. */
	saveProfile(options?: {storeSecrets?: boolean; certificates?: Record<string, string>}): Promise<{file: string; storeSecrets: boolean}>;
	/** The link context built from the stack (clients, paths, desired state, journal); with the path checks if asked (default: the session's option). */
	wiring(options?: {checks?: boolean}): Promise<Wiring>;
	/** The wiring last built, if any (its notes say how the desired state was chosen). */
	current(): Wiring | undefined;
	checks(): Promise<ChecksResult>;
	plan(links?: Array<AnyLink<LinkContext>>): Promise<Array<LinkPlan<LinkContext>>>;
	/** Makes the changes; a password arrwire set is kept in the profile whatever stops the run. */
	apply(links: Array<AnyLink<LinkContext>>, options: ApplyOptions): Promise<SessionApplyResult>;
	/** `arrwire doctor`'s diagnosis: probes, the services' checks, every link, paths, security; checked afresh. */
	diagnose(links?: Array<AnyLink<LinkContext>>): Promise<DoctorReport>;
	/** The last run in the journal not undone yet. */
	lastRun(): Promise<JournalRun | undefined>;
	undo(onUndone?: (entry: JournalEntry) => void): Promise<UndoResult>;
}

export function openSession(options: SessionOptions = {}, onEvent: (event: SessionEvent) => void = () => undefined): Session {
	const profileFile = options.profileFile ?? profilePath();
	let stack: Stack | undefined;
	let nzbgeekApiKey = options.nzbgeekApiKey;
	let wiring: {value: Promise<Wiring>; checks: boolean} | undefined;
	let built: Wiring | undefined;

	// Credentials changed: the wiring built from them is stale.
	const invalidate = () => {
		wiring = undefined;
	};

	const build = (checks: boolean): Promise<Wiring> => {
		const entry = {checks} as {value: Promise<Wiring>; checks: boolean};
		const value = (async () => {
			// A stack opened for this wiring goes on with what its credential checks read; one opened earlier (the
			// wizard's, before its screens) may be stale by now.
			let memo: RequestMemo | undefined;
			if (!stack) {
				memo = (await session.discover()).memo;
				// Discovering drops the wiring built before it; this one is built from what it found, so it stays.
				wiring ??= entry;
			}
			const {wiringFromStack} = await import('../links/wiring.js');
			built = await wiringFromStack(stack!, {...options, nzbgeekApiKey, checks, memo});
			return built;
		})();
		entry.value = value;
		wiring = entry;
		// A failed build is not kept: the next call tries again.
		value.catch(() => {
			if (wiring?.value === value) {
				wiring = undefined;
			}
		});
		return value;
	};

	// A credential's new state replaces the old one, and its service the old one wherever it is listed.
	const replaceState = (state: CredentialState, next: CredentialState, stale = true) => {
		const current = stack!;
		const services = current.discovery.services.map(service => (service === state.service ? next.service : service));
		const credentials = current.credentials.map(candidate => (candidate === state ? next : candidate));
		stack = stackOf({...current.discovery, services}, credentials, current.profile, profileFile);
		if (stale) {
			invalidate();
		}
		onEvent({type: 'credential', state: next});
	};

	const session: Session = {
		async discover(hooks = {}) {
			const found = await openStack({
				...options,
				profileFile,
				onFound: item => {
					hooks.onFound?.(item);
					onEvent({type: 'found', found: item});
				},
				beforeCredentials: hooks.beforeCredentials,
			});
			stack = found;
			invalidate();
			return found;
		},

		stack: () => stack,

		async submitCredential(url, credential, from = 'typed in') {
			const state = stack?.credentials.find(candidate => candidate.service.url === url);
			if (!state) {
				throw new Error(`no service was found at ${url}`);
			}
			const next = await acceptCredential(state, credential, from);
			replaceState(state, next);
			return next;
		},

		useNzbgeekApiKey(key) {
			nzbgeekApiKey = key;
			invalidate();
		},

		async saveProfile(save = {}) {
			const current = stack ?? (await session.discover());
			// A profile that already keeps secrets (the user agreed before) goes on keeping them.
			const storeSecrets = save.storeSecrets ?? current.profile?.storeSecrets ?? false;
			await saveProfile(
				{
					storeSecrets,
					hosts: [...new Set([...(options.hosts ?? []), ...(current.profile?.hosts ?? [])])],
					services: profileServices(current.credentials, storeSecrets, current.profile),
					certificates: save.certificates ? {...current.profile?.certificates, ...save.certificates} : undefined,
				},
				profileFile,
			);
			return {file: profileFile, storeSecrets};
		},

		async wiring(asked = {}) {
			const checks = asked.checks ?? options.checks === true;
			if (wiring && (wiring.checks || !checks)) {
				return wiring.value;
			}
			return build(checks);
		},

		current: () => built,

		async checks() {
			// Read-only, and without the journal: the checks run even where the journal cannot be read.
			const current = stack ?? (await session.discover());
			const [{runChecks}, {sortFindings}] = await Promise.all([import('../checks/collect.js'), import('../checks/findings.js')]);
			const report = await runChecks({services: current.services, clients: current.clients, canary: options.canary});
			const notChecked = notCheckedFindings(current);
			return {report, notChecked, findings: sortFindings([...report.findings, ...notChecked])};
		},

		async plan(links) {
			const {planLinks} = await import('../links/engine.js');
			return planLinks(links ?? (await import('../links/all.js')).selectLinks(), (await session.wiring({checks: true})).context);
		},

		async apply(links, applyOptions) {
			const current = await session.wiring();
			const [{runLinks}, {keepValues}] = await Promise.all([import('../links/engine.js'), import('../links/kept.js')]);
			const result = await runLinks(links, current.context, {
				...applyOptions,
				onEvent: event => {
					applyOptions.onEvent?.(event);
					onEvent(event);
				},
			});
			// Whatever stopped the run, a password arrwire set must not be lost: runLinks returns it in every case.
			const passwordKeptIn = await keepValues(result.kept, current.stack.services, profileFile);
			const login = result.kept.qbittorrentLogin;
			const state = stack?.credentials.find(candidate => candidate.service.kind === 'qbittorrent');
			if (passwordKeptIn && login && state) {
				onEvent({type: 'password-kept', file: passwordKeptIn});
				// The session goes on with the password qBittorrent has now: the next wiring is built with it.
				replaceState(state, {...state, credential: {username: login.username, password: login.password}, from: SET_BY_ARRWIRE});
			}
			if (result.interrupted) {
				throw result.interrupted;
			}
			return {...result, passwordKeptIn};
		},

		async diagnose(links) {
			// Checked afresh: an apply since the last wiring changed what the paths and links look like.
			invalidate();
			const [{diagnose}, {ALL_LINKS}] = await Promise.all([import('../doctor/diagnose.js'), import('../links/all.js')]);
			return diagnose(await session.wiring({checks: true}), links ?? ALL_LINKS);
		},

		async lastRun() {
			return (await session.wiring()).context.journal.lastRun();
		},

		async undo(onUndone) {
			const {context} = await session.wiring();
			const [{undoLastRun}, {ALL_LINKS}] = await Promise.all([import('../links/engine.js'), import('../links/all.js')]);
			return undoLastRun(ALL_LINKS, context, entry => {
				onUndone?.(entry);
				onEvent({type: 'undone', entry});
			});
		},
	};
	return session;
}

/** Kinds whose paths the checks read: a missing one, or one without a credential, leaves them unchecked. */
const PATH_KINDS: ServiceKind[] = ['qbittorrent', 'sonarr', 'radarr', 'jellyfin'];

/** What could not be checked because a service was not found or its credential is missing. */
export function notCheckedFindings(stack: Stack): Finding[] {
	const findings: Finding[] = [];
	for (const kind of PATH_KINDS) {
		const service = stack.services[kind];
		const client = kind === 'jellyfin' ? stack.clients.jellyfin : kind === 'qbittorrent' ? stack.clients.qbittorrent : stack.clients[kind as 'sonarr' | 'radarr'];
		const {name} = serviceInfo(kind);
		if (!service) {
			findings.push({id: 'check.service-not-found', severity: 'info', subject: name, cause: `${name} was not found, so its paths were not checked.`, fix: `Run arrwire discover --host NAME[:PORT] to point arrwire at ${name}.`});
		} else if (!client) {
			findings.push({
				id: 'check.no-credential',
				severity: 'warning',
				subject: name,
				cause: `${name} at ${service.url} was found, but arrwire has no accepted credential for it, so its paths were not read.`,
				fix: `Run arrwire discover in a terminal to give it (and --store-secrets to keep it); in a script, give it in ${scriptVariables(kind)} or with --credentials-from FILE.`,
			});
		}
	}
	return findings;
}
