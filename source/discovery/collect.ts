// The credentials step as plain logic (the plain command and the wizard both drive it): try what was found
// without asking, say where it came from, and tell the caller what is still missing.
import {serviceInfo, type ServiceKind} from './catalogue.js';
import {checkCredential, credentialNeeded, type Credential, type CredentialCheck} from './credentials.js';
import type {DiscoveredService} from './discover.js';
import type {FoundService} from './fingerprint.js';
import type {GivenCredential} from './given-credentials.js';
import type {RequestMemo} from '../services/http.js';
import {SET_BY_ARRWIRE, type Profile, type ProfileService} from '../state/profile.js';

export interface CredentialState {
	service: DiscoveredService;
	credential?: Credential;
	/** Where the credential came from ("typed in", a file…). */
	from?: string;
	check?: CredentialCheck;
}

/** A credential state once its credential was tried. */
export type CheckedState = CredentialState & {credential: Credential; from: string; check: CredentialCheck};

export function credentialFromProfile(service: Pick<FoundService, 'kind' | 'url'>, profile: Profile | undefined): {credential: Credential; from: string} | undefined {
	const saved = profile?.services.find(entry => entry.kind === service.kind && entry.url === service.url && entry.secret);
	if (!saved?.secret) {
		return undefined;
	}
	const credential: Credential = credentialNeeded(service.kind) === 'api-key' ? {apiKey: saved.secret} : {username: saved.username, password: saved.secret};
	return {credential, from: `the saved profile (${saved.credentialFrom ?? 'typed in earlier'})`};
}

/**
 * The credential of a service that no file or container can hold (qBittorrent's login, Jellyfin's administrator),
 * known the moment the service is found: the profile's. Checked at once, while discovery goes on; `undefined` where
 * what discovery reads later may give another.
 */
export function checkedOnFinding(service: FoundService, profile: Profile | undefined, memo?: RequestMemo): Promise<Omit<CheckedState, 'service'>> | undefined {
	const known = serviceInfo(service.kind).credential.inFiles ? undefined : credentialFromProfile(service, profile);
	return known && checkCredential(service, known.credential, {memo}).then(check => ({...known, check}));
}

/** The key of a check begun on finding a service. */
export function beganFor(service: Pick<FoundService, 'kind' | 'url'>): string {
	return `${service.kind} ${service.url}`;
}

/**
 * Checks every credential arrwire has without asking: from the service's files, its container, or the profile. A check
 * begun when the service was found (`begun`, keyed by `beganFor`) is taken as it ends, for the service as discovery
 * left it.
 */
export async function checkKnownCredentials(services: DiscoveredService[], profile?: Profile, memo?: RequestMemo, begun: ReadonlyMap<string, Promise<Omit<CheckedState, 'service'>>> = new Map()): Promise<CredentialState[]> {
	return Promise.all(
		services.map(async service => {
			const early = begun.get(beganFor(service));
			if (early && !service.key) {
				return {...(await early), service};
			}
			const known = service.key
				? {credential: credentialNeeded(service.kind) === 'api-key' ? {apiKey: service.key.value} : {username: service.key.username, password: service.key.value}, from: service.key.from}
				: credentialFromProfile(service, profile);
			return known ? acceptCredential({service}, known.credential, known.from, memo) : {service};
		}),
	);
}

/**
 * Checks one credential against its live service, whoever gave it (a file, the profile, the user, the demo): the new
 * state of that service's credential. An accepted key settles which *arr a port-guessed service is.
 */
export async function acceptCredential(state: CredentialState, credential: Credential, from: string, memo?: RequestMemo): Promise<CheckedState> {
	const check = await checkCredential(state.service, credential, {memo});
	const service = check.ok && check.kind !== state.service.kind ? withKind(state.service, check.kind) : state.service;
	return {service, credential, from, check};
}

/** Where two URLs name the same service (scheme, host, port and path; a trailing slash aside). */
function sameService(a: string, b: string): boolean {
	const normal = (url: string) => {
		try {
			return new URL(url).href.replace(/\/+$/, '');
		} catch {
			return url;
		}
	};
	return normal(a) === normal(b);
}

/**
 * Credentials given for this run (a script's, the demo's, a test's), each for one kind of service: checked for the
 * service of that kind whose known credential was not accepted. A credential given by kind goes to the one service of
 * that kind found, or, when it names a URL, only to the service at that URL: never to each of several look-alikes.
 */
export async function withGiven(states: CredentialState[], given: Partial<Record<ServiceKind, Credential & Partial<Pick<GivenCredential, 'url' | 'from' | 'report'>>>> = {}): Promise<CredentialState[]> {
	const owners = new Map<ServiceKind, CredentialState>();
	for (const [kind, credential] of Object.entries(given) as Array<[ServiceKind, NonNullable<(typeof given)[ServiceKind]>]>) {
		const {name} = serviceInfo(kind);
		const candidates = states.filter(state => state.service.kind === kind);
		const owner = credential.url ? candidates.find(state => sameService(state.service.url, credential.url!)) : candidates.length === 1 ? candidates[0] : undefined;
		if (owner) {
			owners.set(kind, owner);
		} else if (credential.url) {
			credential.report?.({sent: false, why: `no ${name} was found at ${credential.url}${candidates.length > 0 ? ` (found at ${candidates.map(state => state.service.url).join(', ')})` : ''}`});
		} else if (candidates.length === 0) {
			credential.report?.({sent: false, why: `no ${name} was found`});
		} else {
			credential.report?.({sent: false, why: `${candidates.length} ${name} services were found (at ${candidates.map(state => state.service.url).join(', ')}), and it does not say which one it belongs to`});
		}
	}
	return Promise.all(
		states.map(async state => {
			const offered = given[state.service.kind];
			if (!offered || owners.get(state.service.kind) !== state) {
				return state;
			}
			if (state.check?.ok) {
				offered.report?.({sent: false, why: `${state.service.name} at ${state.service.url} took the credential ${state.from ? `from ${state.from}` : 'arrwire already had'}`});
				return state;
			}
			const {url: _url, from = 'given', report, ...credential} = offered;
			const next = await acceptCredential(state, credential, from);
			report?.({sent: true, url: state.service.url, check: next.check});
			return next;
		}),
	);
}

/** The service as the key's answer names it (the port only guessed which *arr it is). */
export function withKind(service: DiscoveredService, kind: ServiceKind): DiscoveredService {
	return {
		...service,
		kind,
		name: serviceInfo(kind).name,
		identifiedBy: 'its API key (system/status appName)',
		notes: service.notes.filter(note => !note.includes('will be confirmed')),
	};
}

/**
 * What the profile keeps of each service: where it is and where its credential came from. The credential itself only
 * with `storeSecrets` (the user agreed), and only one that was typed in or saved before and is still accepted — or
 * one the profile held that was not proven wrong: a service that did not answer this time (down, slow, not found)
 * keeps its entry and its secret as they were. Only a refusal proves a secret wrong.
 */
export function profileServices(states: CredentialState[], storeSecrets: boolean, previous?: Profile): ProfileService[] {
	const before = (kind: ServiceKind, url: string) => previous?.services.find(entry => entry.kind === kind && entry.url === url);
	const entries: ProfileService[] = states.map(state => {
		const accepted = state.check?.ok === true;
		// "the saved profile (typed in)" → "typed in": where it came from first.
		const origin = /^the saved profile \((.*)\)$/.exec(state.from ?? '')?.[1] ?? state.from;
		const setByArrwire = origin === SET_BY_ARRWIRE;
		const keep = accepted && (setByArrwire || (storeSecrets && (state.from === 'typed in' || state.from?.startsWith('the saved profile') === true)));
		const saved = before(state.service.kind, state.service.url);
		const unproven = !accepted && state.check?.ok !== true && !(state.check && !state.check.ok && state.check.reason === 'refused');
		if (unproven && saved?.secret) {
			return {...saved, source: state.service.source, container: state.service.container?.name ?? saved.container};
		}
		return {
			kind: state.service.kind,
			url: state.service.url,
			version: state.check?.ok ? (state.check.version ?? state.service.version) : state.service.version,
			source: state.service.source,
			container: state.service.container?.name,
			credentialFrom: accepted ? origin : undefined,
			username: state.credential?.username,
			secret: keep ? (state.credential?.apiKey ?? state.credential?.password) : undefined,
		};
	});
	for (const entry of previous?.services ?? []) {
		if (!entries.some(candidate => candidate.kind === entry.kind && candidate.url === entry.url)) {
			entries.push(entry);
		}
	}
	return entries;
}
