// The stack as the later steps use it: what discovery found, with a logged-in client for every service whose
// credential was accepted. check, plan, apply and doctor all start here.
import type {ServiceKind} from './catalogue.js';
import {checkKnownCredentials, type CredentialState} from './collect.js';
import {discover, type DiscoverOptions, type DiscoveredService, type Discovery} from './discover.js';
import {JellyfinClient} from '../services/jellyfin.js';
import {NzbgetClient} from '../services/nzbget.js';
import {ProwlarrClient} from '../services/prowlarr.js';
import {QbittorrentClient} from '../services/qbittorrent.js';
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
}

export interface Stack {
	discovery: Discovery;
	credentials: CredentialState[];
	services: Partial<Record<ServiceKind, DiscoveredService>>;
	clients: StackClients;
	profile?: Profile;
	/** The file the profile is kept in (its mode is a security finding). */
	profileFile?: string;
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
		}
	}
	return {services, clients};
}

export async function openStack(options: DiscoverOptions & {profileFile?: string} = {}): Promise<Stack> {
	const profileFile = options.profileFile ?? profilePath();
	const profile = await loadProfile(profileFile);
	const hosts = [...new Set([...(options.hosts ?? []), ...(profile?.hosts ?? [])])];
	const discovery = await discover({...options, hosts});
	const credentials = await checkKnownCredentials(discovery.services, profile);
	return {discovery, credentials, profile, profileFile, ...clientsFor(credentials)};
}
