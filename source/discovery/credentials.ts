// Each credential is checked against the live service the moment it is known (read from disk or typed in).
import {errorMessage, isServiceError} from '../services/errors.js';
import type {HttpClient, RequestMemo} from '../services/http.js';
import {JellyfinClient} from '../services/jellyfin.js';
import {NzbgetClient} from '../services/nzbget.js';
import {ProwlarrClient} from '../services/prowlarr.js';
import {QbittorrentClient} from '../services/qbittorrent.js';
import {SabnzbdClient} from '../services/sabnzbd.js';
import {SeerrClient} from '../services/seerr.js';
import {ServarrClient} from '../services/servarr.js';
import {serviceInfo, type ServiceKind} from './catalogue.js';

export interface Credential {
	/** API key (Sonarr, Radarr, Prowlarr, Jellyseerr) or Jellyfin API key. */
	apiKey?: string;
	/** qBittorrent WebUI user or Jellyfin administrator. */
	username?: string;
	password?: string;
}

export interface CredentialTarget {
	kind: ServiceKind;
	url: string;
}

export type CredentialCheck =
	| {ok: true; kind: ServiceKind; version?: string; detail: string; /** Jellyfin: the session the check opened, reused by the client (one sign-in). */ token?: string}
	| {ok: false; kind: ServiceKind; reason: 'refused' | 'unreachable' | 'other'; message: string; fix: string; stopAsking?: boolean};

/** What the user must type for this service. */
export function credentialNeeded(kind: ServiceKind): 'api-key' | 'username-password' {
	return serviceInfo(kind).credential.kind === 'api-key' ? 'api-key' : 'username-password';
}

/**
 * Checks a credential against its live service. With `memo` (the command's, begun here), what the check reads is
 * not read again by the command's links (RequestMemo).
 */
export async function checkCredential(target: CredentialTarget, credential: Credential, options: {timeoutMs?: number; memo?: RequestMemo} = {}): Promise<CredentialCheck> {
	const info = serviceInfo(target.kind);
	const timeoutMs = options.timeoutMs ?? 8000;
	const remembered = <C extends {http: HttpClient}>(client: C): C => {
		client.http.memo = options.memo;
		return client;
	};
	try {
		switch (target.kind) {
			case 'sonarr':
			case 'radarr': {
				const status = await remembered(new ServarrClient({kind: target.kind, url: target.url, apiKey: credential.apiKey ?? '', timeoutMs})).systemStatus();
				// The port only guessed which *arr this is; the key's answer settles it.
				const actual = status.appName.toLowerCase();
				const kind: ServiceKind = actual === 'radarr' ? 'radarr' : actual === 'prowlarr' ? 'prowlarr' : 'sonarr';
				return {ok: true, kind, version: status.version, detail: `${status.appName} ${status.version} accepted the API key`};
			}
			case 'prowlarr': {
				const status = await remembered(new ProwlarrClient({url: target.url, apiKey: credential.apiKey ?? '', timeoutMs})).systemStatus();
				return {ok: true, kind: 'prowlarr', version: status.version, detail: `Prowlarr ${status.version} accepted the API key`};
			}
			case 'qbittorrent': {
				const client = remembered(new QbittorrentClient({url: target.url, username: credential.username ?? 'admin', password: credential.password ?? '', timeoutMs}));
				await client.login();
				const version = await client.version();
				return {ok: true, kind: 'qbittorrent', version, detail: `qBittorrent ${version} accepted the login of ${credential.username ?? 'admin'}`};
			}
			case 'jellyfin': {
				const client = remembered(new JellyfinClient({url: target.url, token: credential.apiKey, timeoutMs}));
				let token: string | undefined;
				if (!credential.apiKey) {
					const session = await client.authenticateByName(credential.username ?? '', credential.password ?? '');
					if (!session.User.Policy?.IsAdministrator) {
						return {
							ok: false,
							kind: 'jellyfin',
							reason: 'refused',
							message: `Jellyfin accepted ${credential.username}, but that user is not an administrator.`,
							fix: 'Give an administrator account (Dashboard → Users → the user → "Allow this user to manage the server").',
						};
					}
					token = session.AccessToken;
				}
				const system = await client.systemInfo();
				return {ok: true, kind: 'jellyfin', version: system.Version, token, detail: `Jellyfin ${system.Version} accepted ${credential.apiKey ? 'the API key' : `the administrator ${credential.username}`}`};
			}
			case 'jellyseerr': {
				const client = remembered(new SeerrClient({url: target.url, apiKey: credential.apiKey, timeoutMs}));
				const publicSettings = await client.publicSettings();
				if (!publicSettings.initialized && publicSettings.mediaServerType === 4) {
					// Before its first sign-in the key belongs to nobody (Jellyseerr server/middleware/auth.ts): nothing can check it yet.
					return {ok: true, kind: 'jellyseerr', detail: 'Jellyseerr is not set up yet; its key can be checked once arrwire has signed it in to Jellyfin'};
				}
				await client.mainSettings();
				return {ok: true, kind: 'jellyseerr', detail: 'Jellyseerr accepted the API key'};
			}
			case 'nzbget': {
				const username = credential.username ?? 'nzbget';
				const version = await remembered(new NzbgetClient({url: target.url, username, password: credential.password ?? '', timeoutMs})).version();
				return {ok: true, kind: 'nzbget', version, detail: `NZBGet ${version} accepted the login of ${username}`};
			}
			case 'sabnzbd': {
				// mode=version answers anyone: the key is proven by a call that needs it.
				const client = remembered(new SabnzbdClient({url: target.url, apiKey: credential.apiKey ?? '', timeoutMs}));
				const version = await client.version();
				await client.checkKey();
				return {ok: true, kind: 'sabnzbd', version, detail: `SABnzbd ${version} accepted the API key`};
			}
		}
	} catch (error) {
		if (isServiceError(error)) {
			const refused = error.kind === 'unauthorized' || (error.kind === 'forbidden' && target.kind !== 'qbittorrent');
			const what = credentialNeeded(target.kind) === 'api-key' || credential.apiKey ? 'API key' : 'username or password';
			if (refused) {
				return {
					ok: false,
					kind: target.kind,
					reason: 'refused',
					message: `${info.name} at ${target.url} refused the ${what} (HTTP ${error.status ?? '?'}).`,
					fix: target.kind === 'qbittorrent' ? error.fix : `Find it in ${info.credential.where}.`,
					stopAsking: target.kind === 'qbittorrent',
				};
			}
			return {
				ok: false,
				kind: target.kind,
				reason: error.kind === 'unreachable' || error.kind === 'timeout' ? 'unreachable' : 'other',
				message: error.message,
				fix: error.fix,
				// A ban or a Host-header refusal is not fixed by typing again.
				stopAsking: target.kind === 'qbittorrent',
			};
		}
		return {ok: false, kind: target.kind, reason: 'other', message: `${info.name}: ${errorMessage(error)}`, fix: 'Check the service and try again.'};
	}
}
