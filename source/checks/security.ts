// Security findings that the wizard and doctor share. Facts in, findings out: the facts come from discovery,
// the config files, qBittorrent's preferences and a login attempt with the old default password.
import {readFileSync} from 'node:fs';
import type {Finding} from './findings.js';

export interface ServiceExposure {
	name: string;
	url: string;
	/** The address it listens on: from config (BindAddress, WebUI\Address), /proc, or its container's published port. */
	bindAddress?: string;
	/** Its web UI handed out the API key without authentication (/initialize.json). */
	apiKeyExposed?: boolean;
	/** Sonarr/Radarr/Prowlarr: config.xml AuthenticationMethod and AuthenticationRequired. */
	authenticationMethod?: string;
	authenticationRequired?: string;
	/** qBittorrent: the old default password admin/adminadmin was accepted. */
	defaultPasswordAccepted?: boolean;
	/** qBittorrent: login bypassed for localhost or a subnet. */
	authBypass?: {localhost?: boolean; subnets?: string};
}

/** One of arrwire's own files (profile, journal) and who else can read it. */
export interface OwnFileExposure {
	/** "profile" or "journal". */
	what: string;
	file: string;
	mode: number;
	folder: string;
	folderMode: number;
	/** The profile keeps secrets (typed passwords, keys). */
	holdsSecrets: boolean;
}

export interface SecurityFacts {
	/** arrwire's own files, when they exist. */
	ownFiles?: OwnFileExposure[];
	services: ServiceExposure[];
	/** Addresses arrwire or one service uses to reach another over plain HTTP. */
	plainHttpLinks?: Array<{from: string; to: string; url: string}>;
	/** Jellyseerr signs in to Jellyfin with the same account that administers Jellyfin, and people sign in there too. */
	sharedAdmin?: {jellyfinAdmin: string};
}

export function isAllInterfaces(address: string | undefined): boolean {
	return address === undefined || address === '' || address === '*' || address === '0.0.0.0' || address === '::' || address === '[::]';
}

export function isPrivateAddress(host: string): boolean {
	if (host === 'localhost' || host.endsWith('.local') || host.endsWith('.lan') || host.endsWith('.home.arpa') || !host.includes('.')) {
		return true; // Single-label and mDNS names stay on the home network.
	}
	const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
	if (!match) {
		return host === '::1' || /^f[cd]/i.test(host) || /^fe80:/i.test(host);
	}
	const [a, b] = [Number(match[1]), Number(match[2])];
	return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

export function checkSecurity(facts: SecurityFacts): Finding[] {
	const findings: Finding[] = [];
	for (const service of facts.services) {
		const open = isAllInterfaces(service.bindAddress);
		if (service.defaultPasswordAccepted) {
			findings.push({
				id: 'security.qbittorrent-default-password',
				severity: 'error',
				subject: service.name,
				cause: `${service.name} still accepts the old default login admin/adminadmin.`,
				fix: 'Set a strong WebUI password (Tools → Options → WebUI → Authentication); arrwire can set one for you and store it where Sonarr and Radarr need it.',
			});
		}
		if (service.apiKeyExposed) {
			findings.push({
				id: 'security.initialize-json-exposes-key',
				severity: open ? 'error' : 'warning',
				subject: service.name,
				cause: `${service.name} gives its API key to anyone who asks ${service.url}/initialize.json: its web UI has no authentication${open ? ', and it listens on all interfaces' : ''}.`,
				fix: `Turn on authentication: ${service.name} → Settings → General → Security → Authentication "Forms (Login Page)", Required "Enabled"; arrwire can set it through plan/apply.`,
			});
		}
		const method = service.authenticationMethod?.toLowerCase();
		if (method !== undefined && (method === 'none' || method === 'external') && !service.apiKeyExposed) {
			findings.push({
				id: 'security.arr-authentication-disabled',
				severity: open ? 'error' : 'warning',
				subject: service.name,
				cause: `${service.name}'s web UI authentication is "${service.authenticationMethod}"${method === 'external' ? ' (left to a reverse proxy)' : ''}${open ? ' while it listens on all interfaces' : ''}.`,
				fix: `${service.name} → Settings → General → Security → Authentication "Forms (Login Page)"${method === 'external' ? ', unless a proxy in front really checks logins' : ''}.`,
			});
		}
		if (service.authenticationRequired?.toLowerCase() === 'disabledforlocaladdresses' && open) {
			findings.push({
				id: 'security.arr-auth-disabled-for-local',
				severity: 'warning',
				subject: service.name,
				cause: `${service.name} skips authentication for local addresses and listens on all interfaces: every device on the home network gets in without a password.`,
				fix: `${service.name} → Settings → General → Security → Authentication Required "Enabled".`,
			});
		}
		if (service.authBypass?.subnets) {
			findings.push({
				id: 'security.qbittorrent-auth-bypass',
				severity: 'warning',
				subject: service.name,
				cause: `${service.name} lets ${service.authBypass.subnets} in without a password.`,
				fix: 'Tools → Options → WebUI → untick "Bypass authentication for clients in whitelisted IP subnets", unless that network is yours alone.',
			});
		}
		if (open && service.bindAddress !== undefined) {
			findings.push({
				id: 'security.bound-to-all-interfaces',
				severity: 'info',
				subject: service.name,
				cause: `${service.name} listens on all interfaces (${service.bindAddress || '*'}): reachable from every network this machine is on.`,
				fix: `If only this machine (or a reverse proxy on it) needs it, bind it to 127.0.0.1 (or publish the container port as "127.0.0.1:PORT:PORT").`,
			});
		}
	}
	for (const link of facts.plainHttpLinks ?? []) {
		const host = new URL(link.url).hostname;
		if (!isPrivateAddress(host)) {
			findings.push({
				id: 'security.plain-http-public',
				severity: 'error',
				subject: `${link.from} -> ${link.to}`,
				cause: `${link.from} talks to ${link.to} over plain HTTP at a public address (${host}): its API key crosses the internet unencrypted.`,
				fix: `Use https:// for ${link.to} (a reverse proxy with a certificate), or a private address (VPN, LAN).`,
			});
		}
	}
	for (const own of facts.ownFiles ?? []) {
		const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;
		const fileOpen = (own.mode & 0o077) !== 0;
		// A folder others can write to lets them replace the file; one they can enter lets them read an open file.
		const folderWritable = (own.folderMode & 0o022) !== 0;
		if (!fileOpen && !folderWritable) {
			continue;
		}
		findings.push({
			id: `security.${own.what}-readable-by-others`,
			severity: own.holdsSecrets ? 'error' : 'warning',
			subject: 'arrwire',
			cause: `The ${own.what} ${own.file} ${fileOpen ? `can be read by other users (mode ${octal(own.mode)})` : `sits in a folder other users can write to (mode ${octal(own.folderMode)})`}${own.holdsSecrets ? ', and it holds credentials' : ''}.`,
			evidence: [`${own.file}: mode ${octal(own.mode)}`, `${own.folder}: mode ${octal(own.folderMode)}`],
			fix: `chmod 600 ${shellQuote(own.file)}; chmod 700 ${shellQuote(own.folder)}   (arrwire also sets these modes the next time it saves the ${own.what})`,
		});
	}
	if (facts.sharedAdmin) {
		findings.push({
			id: 'security.shared-admin',
			severity: 'info',
			subject: 'Jellyseerr -> Jellyfin',
			cause: `Jellyseerr was set up with Jellyfin's administrator "${facts.sharedAdmin.jellyfinAdmin}": whoever owns that Jellyseerr account administers both.`,
			fix: 'Keep that account for yourself; give others their own Jellyfin users and import them into Jellyseerr (Users → Import Jellyfin Users).',
		});
	}
	return findings;
}

function shellQuote(text: string): string {
	return /^[\w./~+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The address a process listens on for a port, from the kernel's table (native installs). */
export function listenAddress(port: number): string | undefined {
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			const [address, portHex] = (fields[1] ?? '').split(':');
			if (fields[3] === '0A' && portHex && Number.parseInt(portHex, 16) === port && address) {
				return decodeAddress(address);
			}
		}
	}
	return undefined;
}

function decodeAddress(hex: string): string {
	if (hex.length === 8) {
		const bytes = hex.match(/../g)!.map(byte => Number.parseInt(byte, 16)).reverse();
		return bytes.join('.');
	}
	return /^0+$/.test(hex) ? '::' : hex;
}
