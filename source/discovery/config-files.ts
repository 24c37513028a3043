// Keys and settings read from the services' own files (Sonarr/Radarr/Prowlarr src/NzbDrone.Core/Configuration/ConfigFileProvider.cs,
// qBittorrent src/base/profile_p.cpp, Jellyseerr server/lib/settings/index.ts), and the usual places
// those files live: native installs, and the host side of a container's /config mount.
import {homedir} from 'node:os';
import path from 'node:path';
import {readdirSync} from 'node:fs';
import type {ServiceKind} from './catalogue.js';
import type {Container} from './docker.js';
import {MiB, readRegularFile} from '../state/regular-file.js';

/** A config file is a few KiB; anything past this is not one (and could exhaust memory). */
export const CONFIG_FILE_CAP = MiB;

/** A file arrwire found at a place a service keeps its config, but did not read (a FIFO, a device, a link, too big…). */
export interface SkippedFile {
	kind: ServiceKind;
	file: string;
	origin: string;
	/** Why, as a clause: "it is a FIFO, not a regular file". */
	reason: string;
}

export interface ServarrConfig {
	apiKey?: string;
	port?: number;
	sslPort?: number;
	enableSsl?: boolean;
	urlBase: string;
	bindAddress?: string;
	authenticationMethod?: string;
	authenticationRequired?: string;
	instanceName?: string;
}

export interface SeerrSettings {
	apiKey?: string;
	applicationUrl?: string;
	jellyfin?: {ip?: string; port?: number; urlBase?: string; useSsl?: boolean; apiKey?: string};
	initialized?: boolean;
}

export interface QbittorrentConf {
	port?: number;
	address?: string;
	username?: string;
	/** A password hash is stored (≥ 4.6.1 without one means a temporary password at each start). */
	hasPassword: boolean;
	savePath?: string;
	tempPath?: string;
	tempPathEnabled?: boolean;
	hostHeaderValidation?: boolean;
	localHostAuth?: boolean;
	subnetWhitelistEnabled?: boolean;
	subnetWhitelist?: string;
}

/** What arrwire uses from nzbget.conf (option names as in Debian's /etc/nzbget.conf). */
export interface NzbgetConf {
	/** ControlPort (default 6789). */
	port?: number;
	/** ControlIP (0.0.0.0: every address). */
	address?: string;
	username?: string;
	password?: string;
}

/** `Name=Value` lines; `#` starts a comment. */
export function parseNzbgetConf(text: string): NzbgetConf {
	const values = new Map<string, string>();
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		const equals = line.indexOf('=');
		if (line.startsWith('#') || equals <= 0) {
			continue;
		}
		values.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
	}
	if (!values.has('controlport') && !values.has('controlusername') && !values.has('maindir')) {
		throw new Error('not an nzbget.conf');
	}
	const port = values.get('controlport');
	return {port: port && /^\d+$/.test(port) ? Number(port) : undefined, address: values.get('controlip'), username: values.get('controlusername'), password: values.get('controlpassword')};
}

/** What arrwire uses from sabnzbd.ini's [misc] (option names from sabnzbd/cfg.py). */
export interface SabnzbdIni {
	apiKey?: string;
	/** host (SABnzbd's default 127.0.0.1: this machine only; 0.0.0.0 or ::: every address). */
	address?: string;
	/** port (default 8080): HTTP, or HTTPS when enable_https is on and https_port is empty. */
	port?: number;
	httpsPort?: number;
	enableHttps: boolean;
	urlBase: string;
}

/**
 * sabnzbd.ini as ConfigObj writes it (sabnzbd/config.py): `key = value` under `[misc]`; `[[name]]` subsections under
 * `[categories]`, `[servers]`…; `#` comments; values possibly quoted.
 */
export function parseSabnzbdIni(text: string): SabnzbdIni {
	const misc = new Map<string, string>();
	let section: string | undefined;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) {
			continue;
		}
		const header = /^(\[+)\s*([^\]]*?)\s*\]+$/.exec(line);
		if (header) {
			// Only the top-level [misc]; a [[misc]] subsection of another section is not it.
			section = header[1]!.length === 1 ? header[2]!.toLowerCase() : `${section ?? ''}/${header[2]}`;
			continue;
		}
		const equals = line.indexOf('=');
		if (section !== 'misc' || equals <= 0) {
			continue;
		}
		let value = line.slice(equals + 1).trim();
		if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
			value = value.slice(1, -1);
		}
		misc.set(line.slice(0, equals).trim().toLowerCase(), value);
	}
	if (section === undefined || (!misc.has('api_key') && !misc.has('port') && !misc.has('complete_dir'))) {
		throw new Error('not a sabnzbd.ini');
	}
	const number = (key: string) => {
		const value = misc.get(key);
		return value && /^\d+$/.test(value) ? Number(value) : undefined;
	};
	const urlBase = (misc.get('url_base') ?? '').replace(/^\/+|\/+$/g, '');
	return {
		apiKey: misc.get('api_key') || undefined,
		address: misc.get('host'),
		port: number('port'),
		httpsPort: number('https_port'),
		enableHttps: misc.get('enable_https') === '1',
		urlBase: urlBase ? `/${urlBase}` : '',
	};
}

export interface ConfigFileFound {
	kind: ServiceKind;
	/** Where the file is on this machine. */
	file: string;
	/** How arrwire came to look there (a native default, a container mount…). */
	origin: string;
	/** The container whose /config mount it is, if any. */
	container?: string;
	servarr?: ServarrConfig;
	seerr?: SeerrSettings;
	qbittorrent?: QbittorrentConf;
	nzbget?: NzbgetConf;
	sabnzbd?: SabnzbdIni;
}

/** `<Config><ApiKey>…</ApiKey>…</Config>`: one element per key, values trimmed. */
export function parseServarrConfig(xml: string): ServarrConfig {
	const value = (name: string) => {
		const match = new RegExp(`<${name}>([^<]*)</${name}>`, 'i').exec(xml);
		return match ? decodeXml(match[1]!.trim()) : undefined;
	};
	const number = (name: string) => {
		const text = value(name);
		return text && /^\d+$/.test(text) ? Number(text) : undefined;
	};
	if (!/<Config[\s>]/i.test(xml)) {
		throw new Error('not a config.xml (no <Config> element)');
	}
	const urlBase = (value('UrlBase') ?? '').replace(/^\/+|\/+$/g, '');
	return {
		apiKey: value('ApiKey') || undefined,
		port: number('Port'),
		sslPort: number('SslPort'),
		enableSsl: value('EnableSsl')?.toLowerCase() === 'true',
		urlBase: urlBase ? `/${urlBase}` : '',
		bindAddress: value('BindAddress'),
		authenticationMethod: value('AuthenticationMethod'),
		authenticationRequired: value('AuthenticationRequired'),
		instanceName: value('InstanceName'),
	};
}

function decodeXml(text: string): string {
	return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function parseSeerrSettings(json: string): SeerrSettings {
	const data = JSON.parse(json) as {
		main?: {apiKey?: unknown; applicationUrl?: unknown};
		jellyfin?: {ip?: unknown; port?: unknown; urlBase?: unknown; useSsl?: unknown; apiKey?: unknown};
		public?: {initialized?: unknown};
	};
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	return {
		apiKey: text(data.main?.apiKey),
		applicationUrl: text(data.main?.applicationUrl),
		jellyfin: data.jellyfin
			? {
					ip: text(data.jellyfin.ip),
					port: typeof data.jellyfin.port === 'number' ? data.jellyfin.port : undefined,
					urlBase: typeof data.jellyfin.urlBase === 'string' ? data.jellyfin.urlBase : undefined,
					useSsl: data.jellyfin.useSsl === true,
					apiKey: text(data.jellyfin.apiKey),
				}
			: undefined,
		initialized: typeof data.public?.initialized === 'boolean' ? data.public.initialized : undefined,
	};
}

/** Qt INI: `[Section]`, `Key\\Sub=value`, values optionally quoted. Returns `Section/Key\\Sub` → value. */
export function parseIni(text: string): Map<string, string> {
	const values = new Map<string, string>();
	let section = 'General';
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		if (!line || line.startsWith(';') || line.startsWith('#')) {
			continue;
		}
		const header = /^\[(.+)\]$/.exec(line);
		if (header) {
			section = header[1]!;
			continue;
		}
		const equals = line.indexOf('=');
		if (equals > 0) {
			let value = line.slice(equals + 1).trim();
			if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
				value = value.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
			}
			values.set(`${section}/${line.slice(0, equals).trim()}`, value);
		}
	}
	return values;
}

export function parseQbittorrentConf(text: string): QbittorrentConf {
	const ini = parseIni(text);
	const get = (key: string) => ini.get(key);
	const bool = (key: string) => {
		const value = get(key)?.toLowerCase();
		return value === undefined ? undefined : value === 'true';
	};
	const port = get('Preferences/WebUI\\Port');
	return {
		port: port && /^\d+$/.test(port) ? Number(port) : undefined,
		address: get('Preferences/WebUI\\Address'),
		username: get('Preferences/WebUI\\Username'),
		hasPassword: Boolean(get('Preferences/WebUI\\Password_PBKDF2') || get('Preferences/WebUI\\Password_ha1')),
		savePath: get('BitTorrent/Session\\DefaultSavePath') ?? get('Preferences/Downloads\\SavePath'),
		tempPath: get('BitTorrent/Session\\TempPath') ?? get('Preferences/Downloads\\TempPath'),
		tempPathEnabled: bool('BitTorrent/Session\\TempPathEnabled') ?? bool('Preferences/Downloads\\TempPathEnabled'),
		hostHeaderValidation: bool('Preferences/WebUI\\HostHeaderValidation'),
		localHostAuth: bool('Preferences/WebUI\\LocalHostAuth'),
		subnetWhitelistEnabled: bool('Preferences/WebUI\\AuthSubnetWhitelistEnabled'),
		subnetWhitelist: get('Preferences/WebUI\\AuthSubnetWhitelist'),
	};
}

interface Candidate {
	kind: ServiceKind;
	file: string;
	origin: string;
	container?: string;
}

const SERVARR_FOLDERS: Record<'sonarr' | 'radarr' | 'prowlarr', string> = {sonarr: 'Sonarr', radarr: 'Radarr', prowlarr: 'Prowlarr'};

function homes(): string[] {
	const list = new Set<string>([homedir(), '/root']);
	try {
		for (const name of readdirSync('/home')) {
			list.add(path.join('/home', name));
		}
	} catch {
		// No /home: fine.
	}
	return [...list];
}

/** Where native installs keep their files, for every user with a home here. */
export function nativeCandidates(): Candidate[] {
	const candidates: Candidate[] = [];
	for (const [kind, folder] of Object.entries(SERVARR_FOLDERS) as Array<['sonarr' | 'radarr' | 'prowlarr', string]>) {
		candidates.push({kind, file: `/var/lib/${kind}/config.xml`, origin: `the ${folder} system package (-data=/var/lib/${kind})`});
		for (const home of homes()) {
			candidates.push({kind, file: path.join(home, '.config', folder, 'config.xml'), origin: `${folder}'s default data folder`});
		}
	}
	for (const home of [...homes(), '/var/lib/qbittorrent', '/var/lib/qbittorrent-nox']) {
		candidates.push({kind: 'qbittorrent', file: path.join(home, '.config', 'qBittorrent', 'qBittorrent.conf'), origin: "qBittorrent's default profile"});
	}
	for (const home of homes()) {
		candidates.push({kind: 'nzbget', file: path.join(home, '.nzbget'), origin: "NZBGet's default configuration file"});
	}
	candidates.push({kind: 'nzbget', file: '/etc/nzbget.conf', origin: 'the NZBGet system package'});
	for (const home of homes()) {
		// SABnzbd.py get_user_profile_paths: ~/.sabnzbd on Linux (also where the sabnzbdplus package's user keeps it).
		candidates.push({kind: 'sabnzbd', file: path.join(home, '.sabnzbd', 'sabnzbd.ini'), origin: "SABnzbd's default configuration file"});
	}
	for (const directory of ['/opt/jellyseerr/config', '/var/lib/jellyseerr', '/app/config', ...(process.env.CONFIG_DIRECTORY ? [process.env.CONFIG_DIRECTORY] : [])]) {
		candidates.push({kind: 'jellyseerr', file: path.join(directory, 'settings.json'), origin: "Jellyseerr's config directory"});
	}
	return candidates;
}

/** The host side of each container's config mount: /config (linuxserver, hotio), /app/config (Jellyseerr). */
export function containerCandidates(containers: Container[]): Candidate[] {
	const candidates: Candidate[] = [];
	for (const container of containers) {
		if (!container.service) {
			continue;
		}
		for (const mount of container.mounts) {
			const origin = `the /config mount of container ${container.name}`;
			if (container.service === 'jellyseerr' && (mount.destination === '/app/config' || mount.destination === '/config')) {
				candidates.push({kind: 'jellyseerr', file: path.join(mount.source, 'settings.json'), origin: `the ${mount.destination} mount of container ${container.name}`, container: container.name});
			} else if (mount.destination === '/config' && (container.service === 'sonarr' || container.service === 'radarr' || container.service === 'prowlarr')) {
				candidates.push({kind: container.service, file: path.join(mount.source, 'config.xml'), origin, container: container.name});
			} else if (mount.destination === '/config' && container.service === 'sabnzbd') {
				candidates.push({kind: 'sabnzbd', file: path.join(mount.source, 'sabnzbd.ini'), origin, container: container.name});
			} else if (mount.destination === '/config' && container.service === 'nzbget') {
				candidates.push({kind: 'nzbget', file: path.join(mount.source, 'nzbget.conf'), origin, container: container.name});
			} else if (mount.destination === '/config' && container.service === 'qbittorrent') {
				for (const relative of ['qBittorrent/qBittorrent.conf', 'qBittorrent/config/qBittorrent.conf', 'config/qBittorrent.conf']) {
					candidates.push({kind: 'qbittorrent', file: path.join(mount.source, relative), origin, container: container.name});
				}
			}
		}
	}
	return candidates;
}

/** Files in folders the user names (`--config-dir`): each folder may hold any of the known files. */
export function folderCandidates(folders: string[]): Candidate[] {
	return folders.flatMap(folder => [
		...(['sonarr', 'radarr', 'prowlarr'] as const).map(kind => ({kind, file: path.join(folder, kind, 'config.xml'), origin: `${folder}`})),
		{kind: 'qbittorrent' as const, file: path.join(folder, 'qbittorrent', 'qBittorrent', 'config', 'qBittorrent.conf'), origin: folder},
		{kind: 'qbittorrent' as const, file: path.join(folder, 'qbittorrent', 'qBittorrent', 'qBittorrent.conf'), origin: folder},
		{kind: 'jellyseerr' as const, file: path.join(folder, 'jellyseerr', 'settings.json'), origin: folder},
		{kind: 'nzbget' as const, file: path.join(folder, 'nzbget', 'nzbget.conf'), origin: folder},
		{kind: 'sabnzbd' as const, file: path.join(folder, 'sabnzbd', 'sabnzbd.ini'), origin: folder},
	]);
}

/** Reads one candidate: its parsed content, why it was skipped, or undefined when it is not there (or not readable). */
export async function readConfigFile(candidate: Candidate): Promise<ConfigFileFound | SkippedFile | undefined> {
	const read = await readRegularFile(candidate.file, CONFIG_FILE_CAP);
	if (!read.ok) {
		// Missing or unreadable: another place may have it, or the user is asked.
		return read.absent ? undefined : {...candidate, reason: read.reason};
	}
	const text = read.text;
	try {
		switch (candidate.kind) {
			case 'sonarr':
			case 'radarr':
			case 'prowlarr':
				return {...candidate, servarr: parseServarrConfig(text)};
			case 'jellyseerr':
				return {...candidate, seerr: parseSeerrSettings(text)};
			case 'qbittorrent':
				return {...candidate, qbittorrent: parseQbittorrentConf(text)};
			case 'nzbget':
				return {...candidate, nzbget: parseNzbgetConf(text)};
			case 'sabnzbd':
				return {...candidate, sabnzbd: parseSabnzbdIni(text)};
			default:
				return undefined;
		}
	} catch (error) {
		// Never the parser's message: JSON.parse quotes the file's content.
		const what = candidate.kind === 'jellyseerr' ? 'it is not valid JSON' : error instanceof Error && /no <Config>/.test(error.message) ? 'it has no <Config> element' : 'it could not be parsed';
		return {...candidate, reason: what};
	}
}

function isSkipped(result: ConfigFileFound | SkippedFile): result is SkippedFile {
	return 'reason' in result;
}

/** The files found at every candidate place, and those skipped with why. */
export async function scanConfigFiles(options: {containers?: Container[]; folders?: string[]; native?: boolean} = {}): Promise<{files: ConfigFileFound[]; skipped: SkippedFile[]}> {
	const candidates = [
		...folderCandidates(options.folders ?? []),
		...containerCandidates(options.containers ?? []),
		...(options.native === false ? [] : nativeCandidates()),
	];
	const seen = new Set<string>();
	const unique = candidates.filter(candidate => !seen.has(candidate.file) && seen.add(candidate.file));
	const results = (await Promise.all(unique.map(readConfigFile))).filter(result => result !== undefined);
	return {files: results.filter(result => !isSkipped(result)), skipped: results.filter(isSkipped)};
}

export async function findConfigFiles(options: {containers?: Container[]; folders?: string[]; native?: boolean} = {}): Promise<ConfigFileFound[]> {
	return (await scanConfigFiles(options)).files;
}

/** "skipped /home/x/.config/Sonarr/config.xml: it is a FIFO, not a regular file" */
export function describeSkipped(skipped: SkippedFile): string {
	return `skipped ${skipped.file}: ${skipped.reason}`;
}
