// Which service answers at host:port? Decided by the services' own anonymous endpoints (Sonarr
// src/Sonarr.Http/Ping/PingController.cs, qBittorrent src/webui/webapplication.cpp, Jellyfin
// Jellyfin.Api/Controllers/SystemController.cs, Jellyseerr server/routes/index.ts), never by the port alone.
import {rememberSecret} from '../services/redact.js';
import {SERVICES, serviceInfo, type ServiceKind} from './catalogue.js';
import {htmlTitle, httpProbe, isAnswer, jsonBody, tcpOpen, type ProbeAnswer, type ProbeFailure} from './probe.js';

export type ServarrAuthMethod = 'none' | 'basic' | 'forms' | 'external';

export interface FoundService {
	found: 'service';
	kind: ServiceKind;
	name: string;
	/** Origin plus URL base: where arrwire reaches it. */
	url: string;
	host: string;
	port: number;
	tls: boolean;
	urlBase: string;
	version?: string;
	/** Does the API need a key or a login from this address? */
	authRequired?: boolean;
	/** Sonarr/Radarr/Prowlarr UI authentication, when it shows. */
	authMethod?: ServarrAuthMethod;
	/** Jellyfin's first-run wizard done; Jellyseerr initialized. */
	setupComplete?: boolean;
	/** Which answer settled the identity. */
	identifiedBy: string;
	/** A key the service handed out without authentication (/initialize.json); never printed. */
	exposedApiKey?: string;
	notes: string[];
}

export interface UnknownService {
	found: 'unknown';
	host: string;
	port: number;
	url: string;
	/** What it looked like: status, Server header, page title. */
	description: string;
	/** The service usually on this port, which this is not. */
	expected?: string;
}

export type Fingerprint = FoundService | UnknownService;

export interface FingerprintOptions {
	timeoutMs?: number;
}

const SERVARR_NAMES: Record<string, ServiceKind> = {sonarr: 'sonarr', radarr: 'radarr', prowlarr: 'prowlarr'};

/** Identifies what answers HTTP at host:port, or undefined when nothing answers at all. */
export async function fingerprint(host: string, port: number, options: FingerprintOptions = {}): Promise<Fingerprint | undefined> {
	const timeoutMs = options.timeoutMs ?? 1500;
	// One connect first: a closed port costs that, not four HTTP and four HTTPS requests that each fail.
	if (!(await tcpOpen(host, port, timeoutMs))) {
		return undefined;
	}
	const plain = await identifyAt(`http://${formatHost(host)}:${port}`, host, port, false, timeoutMs);
	if (plain !== 'no-http') {
		return plain;
	}
	const secure = await identifyAt(`https://${formatHost(host)}:${port}`, host, port, true, timeoutMs);
	if (secure !== 'no-http') {
		return secure;
	}
	// Something listens but speaks neither HTTP nor HTTPS (SSH, a database…).
	const expected = SERVICES.find(service => service.defaultPort === port)?.name;
	return {found: 'unknown', host, port, url: `tcp://${formatHost(host)}:${port}`, description: 'answers TCP but not HTTP', expected};
}

export function formatHost(host: string): string {
	return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function identifyAt(origin: string, host: string, port: number, tls: boolean, timeoutMs: number): Promise<Fingerprint | 'no-http'> {
	const get = async (path: string, headers?: Record<string, string>): Promise<ProbeAnswer | ProbeFailure> => {
		// Paths come from the answers (a Location, initialize.json's apiRoot): "@other-host/…" would make another
		// origin of this one, and the probe sends the key a service handed out only to the origin that handed it.
		const url = new URL(origin + path);
		if (url.origin !== origin || url.username || url.password) {
			return {error: `refused to leave ${origin} for ${url.origin}`};
		}
		return httpProbe(url.toString(), {timeoutMs, headers});
	};
	const [ping, jellyfinInfo, seerrRoot, root, sabVersion] = await Promise.all([get('/ping'), get('/System/Info/Public'), get('/api/v1'), get('/'), get(SABNZBD_VERSION_PATH)]);
	const answers = [ping, jellyfinInfo, seerrRoot, root, sabVersion];
	if (!answers.some(isAnswer)) {
		return 'no-http';
	}
	if (!tls && answers.every(answer => !isAnswer(answer) || looksLikeHttpsPort(answer))) {
		// Plain HTTP to a TLS port: the caller tries https.
		return 'no-http';
	}
	const base = {host, port, tls};

	// Sonarr, Radarr, Prowlarr: anonymous /ping, or a 307 to {UrlBase}/ping when a URL base is set.
	const servarrBase = servarrUrlBase(ping);
	if (servarrBase !== undefined) {
		return identifyServarr(origin, servarrBase, base, get, timeoutMs);
	}

	const jellyfin = jellyfinPublicInfo(jellyfinInfo);
	if (jellyfin) {
		return jellyfinFound(origin, '', jellyfin, base);
	}
	// Jellyfin with a base URL redirects / to {base}/web/.
	const location = isAnswer(root) ? header(root, 'location') : undefined;
	const jellyfinBase = location ? /^(?:https?:\/\/[^/]+)?(\/[^/]+)\/web\/?/.exec(location)?.[1] : undefined;
	if (jellyfinBase) {
		const info = jellyfinPublicInfo(await get(`${jellyfinBase}/System/Info/Public`));
		if (info) {
			return jellyfinFound(origin, jellyfinBase, info, base);
		}
	}

	const seerr = jsonBody(seerrRoot) as {api?: unknown} | undefined;
	if (typeof seerr?.api === 'string' && /seerr api/i.test(seerr.api)) {
		return identifySeerr(origin, seerr.api, base, get, timeoutMs);
	}

	// Before qBittorrent: both default to port 8080, and only the answers tell them apart.
	const sabnzbd = await sabnzbdFound(origin, base, sabVersion, root, get);
	if (sabnzbd) {
		return sabnzbd;
	}

	if (isAnswer(root)) {
		const title = htmlTitle(root.body) ?? '';
		if (/qbittorrent/i.test(title)) {
			return qbittorrentFound(origin, base, 'the WebUI login page', get);
		}
		// qBittorrent's Host-header filter answers every request with a bare 401 "Unauthorized" before anything else
		// (qBittorrent src/webui/webapplication.cpp): what a port mapping 8081:8080 looks like from outside.
		if (root.status === 401 && root.body.trim() === 'Unauthorized' && !header(root, 'www-authenticate')) {
			const found = await qbittorrentFound(origin, base, 'its Host-header refusal (401 "Unauthorized" on every path)', get);
			found.notes.push(
				'qBittorrent refuses requests whose Host header carries a different port than its WebUI port: it is probably published on another port than it listens on (e.g. 8081:8080).',
			);
			return found;
		}
	}

	const nzbget = nzbgetFound(origin, base, root);
	if (nzbget) {
		return nzbget;
	}

	return unknownAt(origin, base, root);
}

/**
 * NZBGet asks for a login on every path, with its own realm and Server header (what the real NZBGet 21 answers an
 * anonymous request: 401, `WWW-Authenticate: Basic realm="NZBGet"`, `Server: nzbget-21.0`).
 */
function nzbgetFound(origin: string, base: {host: string; port: number; tls: boolean}, root: ProbeAnswer | ProbeFailure): FoundService | undefined {
	if (!isAnswer(root) || root.status !== 401 || !/realm="nzbget"/i.test(header(root, 'www-authenticate') ?? '')) {
		return undefined;
	}
	const version = /^nzbget-(\S+)/i.exec(header(root, 'server') ?? '')?.[1];
	return {found: 'service', kind: 'nzbget', name: 'NZBGet', url: origin, ...base, urlBase: '', version, authRequired: true, identifiedBy: 'its login realm "NZBGet"', notes: []};
}

const SABNZBD_VERSION_PATH = '/api?mode=version&output=json';

/**
 * SABnzbd tells anyone its version at /api?mode=version, and which key a `key` is at mode=auth: check_apikey in
 * sabnzbd/interface.py lets these two through without a key. It answers /api at / whatever its URL base (SABnzbd.py
 * mounts its pages at both). A Host name it does not know, or an address it counts as external, gets a 403 whose
 * text names sabnzbd.org (interface.py _MSG_ACCESS_DENIED_HOSTNAME, _MSG_ACCESS_DENIED).
 */
async function sabnzbdFound(origin: string, base: {host: string; port: number; tls: boolean}, answer: ProbeAnswer | ProbeFailure, root: ProbeAnswer | ProbeFailure, get: Getter): Promise<FoundService | undefined> {
	if (!isAnswer(answer)) {
		return undefined;
	}
	const notes: string[] = [];
	let version: string | undefined;
	let identifiedBy: string;
	const body = jsonBody(answer) as Record<string, unknown> | undefined;
	if (body && typeof body === 'object' && typeof body.version === 'string' && Object.keys(body).length === 1) {
		// A lone {"version": …} is not much: SABnzbd's mode=auth (also keyless) must answer too.
		const auth = jsonBody(await get('/api?mode=auth&output=json')) as Record<string, unknown> | undefined;
		if (typeof auth?.auth !== 'string') {
			return undefined;
		}
		version = body.version;
		identifiedBy = '/api?mode=version and mode=auth (answered without a key)';
	} else if (answer.status === 403 && /sabnzbd\.org\/hostname-check/.test(answer.body)) {
		identifiedBy = 'its refusal of the host name ("Hostname verification failed")';
		notes.push(`SABnzbd refuses to be reached by the name ${base.host}: use its IP address, or add the name to host_whitelist (SABnzbd → Config → Special).`);
	} else if (answer.status === 403 && /sabnzbd\.org\/access-denied/.test(answer.body)) {
		identifiedBy = 'its refusal of this address ("External internet access denied")';
		notes.push('SABnzbd counts this address as external and refuses it: allow it in SABnzbd → Config → General → External internet access.');
	} else {
		return undefined;
	}
	// A new SABnzbd sends its web root to the quick-start wizard until a news server is set (interface.MainPage.index).
	const location = isAnswer(root) ? (header(root, 'location') ?? '') : '';
	const wizard = /\/wizard\/?$/.test(location);
	if (wizard) {
		notes.push('Its quick-start wizard has not been completed: without a news server it downloads nothing.');
	}
	return {
		found: 'service',
		kind: 'sabnzbd',
		name: 'SABnzbd',
		url: origin,
		...base,
		urlBase: '',
		version,
		authRequired: true,
		...(wizard ? {setupComplete: false} : {}),
		identifiedBy,
		notes,
	};
}

function looksLikeHttpsPort(answer: ProbeAnswer): boolean {
	return answer.status === 400 && /https/i.test(answer.body);
}

function header(answer: ProbeAnswer, name: string): string | undefined {
	const value = answer.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function servarrUrlBase(ping: ProbeAnswer | ProbeFailure): string | undefined {
	if (!isAnswer(ping)) {
		return undefined;
	}
	if (ping.status === 200 || ping.status === 500) {
		try {
			const body = JSON.parse(ping.body) as {status?: unknown};
			if (body.status === 'OK' || body.status === 'Error') {
				return '';
			}
		} catch {
			return undefined;
		}
	}
	if (ping.status === 307 || ping.status === 301 || ping.status === 302) {
		const location = header(ping, 'location') ?? '';
		const path = location.replace(/^https?:\/\/[^/]+/, '');
		const match = /^(\/.+)\/ping$/.exec(path);
		return match?.[1];
	}
	return undefined;
}

type Getter = (path: string, headers?: Record<string, string>) => Promise<ProbeAnswer | ProbeFailure>;

async function identifyServarr(origin: string, urlBase: string, base: {host: string; port: number; tls: boolean}, get: Getter, _timeoutMs: number): Promise<FoundService> {
	const notes: string[] = [];
	let kind: ServiceKind | undefined;
	let identifiedBy = '';
	let version: string | undefined;
	let authMethod: ServarrAuthMethod | undefined;
	let authRequired = true;
	let exposedApiKey: string | undefined;

	const initialize = await get(`${urlBase}/initialize.json`);
	const settings = jsonBody(initialize) as {apiRoot?: unknown; apiKey?: unknown; version?: unknown; instanceName?: unknown} | undefined;
	if (settings && typeof settings.apiRoot === 'string') {
		// UI authentication is None/External (or disabled for local addresses): the key is handed to anyone here.
		authMethod = 'none';
		version = typeof settings.version === 'string' ? settings.version : undefined;
		if (typeof settings.apiKey === 'string' && settings.apiKey) {
			exposedApiKey = settings.apiKey;
			rememberSecret(settings.apiKey);
			const status = jsonBody(await get(`${settings.apiRoot}/system/status`, {'x-api-key': settings.apiKey})) as {appName?: unknown; version?: unknown} | undefined;
			if (typeof status?.appName === 'string') {
				kind = SERVARR_NAMES[status.appName.toLowerCase()];
				identifiedBy = `${settings.apiRoot}/system/status (appName)`;
				version = typeof status.version === 'string' ? status.version : version;
			}
		}
		if (!kind && settings.apiRoot.endsWith('/api/v1')) {
			kind = 'prowlarr';
			identifiedBy = '/initialize.json (API v1)';
		}
		if (!kind && typeof settings.instanceName === 'string') {
			kind = SERVARR_NAMES[settings.instanceName.toLowerCase()];
			identifiedBy = '/initialize.json (instance name)';
		}
	} else if (isAnswer(initialize) && initialize.status === 401) {
		authMethod = 'basic';
		const realm = /realm="([^"]*)"/i.exec(header(initialize, 'www-authenticate') ?? '')?.[1];
		if (realm) {
			kind = SERVARR_NAMES[realm.toLowerCase()];
			identifiedBy = `the Basic authentication realm "${realm}"`;
		}
	} else if (isAnswer(initialize) && initialize.status === 302) {
		authMethod = 'forms';
		const login = await get(`${urlBase}/login`);
		const title = isAnswer(login) ? htmlTitle(login.body) : undefined;
		const name = title ? /(sonarr|radarr|prowlarr)/i.exec(title)?.[1] : undefined;
		if (name) {
			kind = SERVARR_NAMES[name.toLowerCase()];
			identifiedBy = `its login page ("${title}")`;
		}
	}
	if (authMethod === 'none') {
		authRequired = true; // The API itself always needs the key; only the UI is open.
		notes.push('Its web UI has no authentication: anyone who can reach this port can read its API key.');
	}
	if (!kind) {
		// The family is certain (/ping), the member is not: the default port decides until the key settles it.
		kind = SERVICES.find(service => service.defaultPort === base.port && SERVARR_NAMES[service.kind])?.kind ?? 'sonarr';
		identifiedBy = `/ping (a Sonarr/Radarr/Prowlarr); ${serviceInfo(kind).name} by its port until its API key confirms it`;
		notes.push('Which of Sonarr, Radarr or Prowlarr this is will be confirmed with its API key.');
	}
	return {
		found: 'service',
		kind,
		name: serviceInfo(kind).name,
		url: origin + urlBase,
		...base,
		urlBase,
		version,
		authRequired,
		authMethod,
		identifiedBy,
		exposedApiKey,
		notes,
	};
}

interface JellyfinPublicInfo {
	Version?: string;
	ServerName?: string;
	ProductName?: string;
	Id?: string;
	StartupWizardCompleted?: boolean;
}

function jellyfinPublicInfo(answer: ProbeAnswer | ProbeFailure): JellyfinPublicInfo | undefined {
	const info = jsonBody(answer) as JellyfinPublicInfo | undefined;
	if (info && typeof info === 'object' && typeof info.Id === 'string' && typeof info.Version === 'string' && ('StartupWizardCompleted' in info || /jellyfin/i.test(info.ProductName ?? ''))) {
		return info;
	}
	return undefined;
}

function jellyfinFound(origin: string, urlBase: string, info: JellyfinPublicInfo, base: {host: string; port: number; tls: boolean}): FoundService {
	const notes: string[] = [];
	if (info.StartupWizardCompleted === false) {
		notes.push('Its first-run wizard has not been completed.');
	}
	return {
		found: 'service',
		kind: 'jellyfin',
		name: 'Jellyfin',
		url: origin + urlBase,
		...base,
		urlBase,
		version: info.Version,
		authRequired: true,
		setupComplete: info.StartupWizardCompleted,
		identifiedBy: `/System/Info/Public (server "${info.ServerName ?? '?'}")`,
		notes,
	};
}

async function identifySeerr(origin: string, api: string, base: {host: string; port: number; tls: boolean}, get: Getter, timeoutMs: number): Promise<FoundService> {
	const notes: string[] = [];
	const [publicSettings, status] = await Promise.all([
		get('/api/v1/settings/public'),
		// /status asks GitHub for releases; without internet it can be slow, so it gets a shorter leash.
		httpProbe(`${origin}/api/v1/status`, {timeoutMs: Math.min(timeoutMs, 1000)}),
	]);
	const settings = jsonBody(publicSettings) as {initialized?: unknown; mediaServerType?: unknown} | undefined;
	const version = (jsonBody(status) as {version?: unknown} | undefined)?.version;
	const initialized = typeof settings?.initialized === 'boolean' ? settings.initialized : undefined;
	if (initialized === false) {
		notes.push('Its setup has not been finished (not initialized).');
	}
	if (/overseerr/i.test(api)) {
		notes.push('This is Overseerr (the Plex edition); arrwire wires Jellyseerr/Seerr with Jellyfin.');
	}
	return {
		found: 'service',
		kind: 'jellyseerr',
		name: /^seerr/i.test(api) ? 'Seerr' : 'Jellyseerr',
		url: origin,
		...base,
		urlBase: '',
		version: typeof version === 'string' ? version : undefined,
		authRequired: true,
		setupComplete: initialized,
		identifiedBy: `/api/v1 ("${api}")`,
		notes,
	};
}

async function qbittorrentFound(origin: string, base: {host: string; port: number; tls: boolean}, identifiedBy: string, get: Getter): Promise<FoundService> {
	const notes: string[] = [];
	// Only auth/login is public; an API answer without a session means authentication is bypassed for this address.
	const webapi = await get('/api/v2/app/webapiVersion');
	const open = isAnswer(webapi) && webapi.status === 200 && /^\d+\.\d+/.test(webapi.body.trim());
	if (open) {
		notes.push('Its WebUI lets this address in without a password (localhost or subnet bypass).');
	}
	return {
		found: 'service',
		kind: 'qbittorrent',
		name: 'qBittorrent',
		url: origin,
		...base,
		urlBase: '',
		authRequired: !open,
		identifiedBy,
		notes,
	};
}

function unknownAt(origin: string, base: {host: string; port: number}, root: ProbeAnswer | ProbeFailure): UnknownService {
	const parts: string[] = [];
	if (isAnswer(root)) {
		parts.push(`HTTP ${root.status}`);
		const server = header(root, 'server');
		if (server) {
			parts.push(`Server: ${server}`);
		}
		const title = htmlTitle(root.body);
		if (title) {
			parts.push(`title "${title}"`);
		}
	} else {
		parts.push(`no HTTP answer on / (${root.error})`);
	}
	const expected = SERVICES.find(service => service.defaultPort === base.port)?.name;
	return {found: 'unknown', host: base.host, port: base.port, url: origin, description: parts.join(', '), expected};
}
