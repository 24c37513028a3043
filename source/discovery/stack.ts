// The stack as the later steps use it: what discovery found, with a logged-in client for every service whose
// credential was accepted. check, plan, apply and doctor all start here.
import {DEFAULT_PORTS, type ServiceKind} from './catalogue.js';
import {beganFor, checkedOnFinding, checkKnownCredentials, withGiven, type CheckedState, type CredentialState} from './collect.js';
import type {Credential} from './credentials.js';
import {discover, type DiscoverOptions, type DiscoveredService, type Discovery} from './discover.js';
import {RequestMemo} from '../services/http.js';
import {JellyfinClient} from '../services/jellyfin.js';
import {NzbgetClient} from '../services/nzbget.js';
import {ProwlarrClient} from '../services/prowlarr.js';
import {QbittorrentClient} from '../services/qbittorrent.js';
import {SabnzbdClient} from '../services/sabnzbd.js';
import {SeerrClient} from '../services/seerr.js';
import {ServarrClient} from '../services/servarr.js';
import {loadProfile, profilePath, type Profile} from '../state/profile.js';

export interface StackClients {
	sonarr?: ServarrClient;
	radarr?: ServarrClient;
	prowlarr?: ProwlarrClient;
	qbittorrent?: QbittorrentClient;
	jellyfin?: JellyfinClient;
	seerr?: SeerrClient;
	nzbget?: NzbgetClient;
	sabnzbd?: SabnzbdClient;
}

export interface Stack {
	discovery: Discovery;
	credentials: CredentialState[];
	services: Partial<Record<ServiceKind, DiscoveredService>>;
	clients: StackClients;
	profile?: Profile;
	/** The file the profile is kept in (its mode is a security finding). */
	profileFile?: string;
	/** What the credential checks read (RequestMemo), for a command that goes on at once; not for a later one. */
	memo?: RequestMemo;
}

/** Builds clients from accepted credentials (first service of each kind). */
export function clientsFor(states: CredentialState[]): {services: Stack['services']; clients: StackClients} {
	const services: Stack['services'] = {};
	const clients: StackClients = {};
	for (const state of states) {
		const {service, credential} = state;
		if (services[service.kind]) {
			continue;
		}
		services[service.kind] = service;
		if (!state.check?.ok || !credential) {
			continue;
		}
		switch (service.kind) {
			case 'sonarr':
			case 'radarr':
				clients[service.kind] = new ServarrClient({kind: service.kind, url: service.url, apiKey: credential.apiKey ?? ''});
				break;
			case 'prowlarr':
				clients.prowlarr = new ProwlarrClient({url: service.url, apiKey: credential.apiKey ?? ''});
				break;
			case 'qbittorrent':
				clients.qbittorrent = new QbittorrentClient({url: service.url, username: credential.username ?? 'admin', password: credential.password ?? ''});
				break;
			case 'jellyfin':
				// The credential check signed in already: its session is reused (each sign-in is a new Jellyfin session).
				clients.jellyfin = new JellyfinClient({url: service.url, token: credential.apiKey ?? (state.check.ok ? state.check.token : undefined)});
				break;
			case 'jellyseerr':
				clients.seerr = new SeerrClient({url: service.url, apiKey: credential.apiKey});
				break;
			case 'nzbget':
				clients.nzbget = new NzbgetClient({url: service.url, username: credential.username ?? 'nzbget', password: credential.password ?? ''});
				break;
			case 'sabnzbd':
				clients.sabnzbd = new SabnzbdClient({url: service.url, apiKey: credential.apiKey ?? ''});
				break;
		}
	}
	return {services, clients};
}

/**
 * Where to look besides the default ports: the hosts given now, the ones the profile keeps, and every service the
 * profile saved at an address the default-port probe would miss (another machine, another port).
 */
export function hostsToProbe(given: readonly string[] = [], profile?: Profile): string[] {
	const saved = (profile?.services ?? [])
		.map(service => new URL(service.url))
		.filter(url => !(url.hostname === '127.0.0.1' && DEFAULT_PORTS.includes(Number(url.port))))
		.map(url => `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
	return [...new Set([...given, ...(profile?.hosts ?? []), ...saved])];
}

/** The stack of what was found and the credentials known for it: a client for each accepted one. */
export function stackOf(discovery: Discovery, credentials: CredentialState[], profile: Profile | undefined, profileFile: string): Stack {
	return {discovery, credentials, profile, profileFile, ...clientsFor(credentials)};
}

export interface OpenStackOptions extends DiscoverOptions {
	profileFile?: string;
	/** Credentials given for this run (the demo's, a test's), checked where the known one is not accepted. */
	credentials?: Partial<Record<ServiceKind, Credential>>;
	/** Called once the services are found, before any credential is sent to them (to trust a certificate first). */
	beforeCredentials?: (discovery: Discovery) => Promise<void>;
}

/** Discovery, then every credential arrwire has (files, containers, the profile, given): the stack. */
export async function openStack(options: OpenStackOptions = {}): Promise<Stack> {
	const profileFile = options.profileFile ?? profilePath();
	const profile = await loadProfile(profileFile);
	const memo = new RequestMemo();
	// A login no file holds (qBittorrent's, Jellyfin's) is checked the moment its service is found, while discovery goes
	// on; not when something must be settled first (a certificate to trust before any credential is sent).
	const begun = new Map<string, Promise<Omit<CheckedState, 'service'>>>();
	const discovery = await discover({
		...options,
		hosts: hostsToProbe(options.hosts, profile),
		onFound: found => {
			options.onFound?.(found);
			if (found.found === 'service' && !options.beforeCredentials) {
				const check = checkedOnFinding(found, profile, memo);
				if (check) {
					begun.set(beganFor(found), check);
				}
			}
		},
	});
	await options.beforeCredentials?.(discovery);
	const credentials = await withGiven(await checkKnownCredentials(discovery.services, profile, memo, begun), options.credentials);
	return {...stackOf(discovery, credentials, profile, profileFile), memo};
}
