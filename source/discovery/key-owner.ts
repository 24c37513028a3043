// Whose key is it? A key read from a file goes only to the service that file belongs to: a native file to the
// service on this machine at the address and port the file names, a container's /config file to that container at
// its published (or container) address. Anything else that merely answers like the service is asked, not given.
import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {networkInterfaces} from 'node:os';
import {serviceInfo} from './catalogue.js';
import type {ConfigFileFound} from './config-files.js';
import type {Container} from './docker.js';

/** Where a found service is reached. */
export interface ServiceAddress {
	kind: ConfigFileFound['kind'];
	name: string;
	host: string;
	port: number;
	tls: boolean;
	urlBase: string;
}

export type IsLocal = (host: string) => boolean;

function isLoopback(host: string): boolean {
	return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}

function isAllInterfaces(address: string | undefined): boolean {
	return address === undefined || address === '' || address === '*' || address === '0.0.0.0' || address === '::' || address === '[::]';
}

/** This machine's own addresses (loopback and every interface's). */
export function ownAddresses(): Set<string> {
	const addresses = new Set<string>();
	for (const list of Object.values(networkInterfaces())) {
		for (const entry of list ?? []) {
			addresses.add(entry.address);
		}
	}
	return addresses;
}

/**
 * Which of these hosts are this machine: loopback, an address of one of its interfaces, or a name that resolves only
 * to those. Names are resolved once each (the system resolver, a short deadline); a name that does not resolve is not local.
 */
export async function localHosts(hosts: string[], own: Set<string> = ownAddresses(), timeoutMs = 2000): Promise<IsLocal> {
	const local = new Set<string>();
	const isOwn = (address: string) => isLoopback(address) || own.has(address);
	await Promise.all(
		[...new Set(hosts)].map(async host => {
			const bare = host.replace(/^\[|\]$/g, '');
			if (isOwn(bare)) {
				local.add(host);
				return;
			}
			if (isIP(bare)) {
				return;
			}
			let timer: NodeJS.Timeout | undefined;
			const answer = await Promise.race([
				lookup(bare, {all: true}).catch(() => []),
				new Promise<[]>(resolve => {
					timer = setTimeout(() => resolve([]), timeoutMs);
				}),
			]);
			clearTimeout(timer);
			if (answer.length > 0 && answer.every(entry => isOwn(entry.address))) {
				local.add(host);
			}
		}),
	);
	return host => local.has(host);
}

function sameAddress(host: string, address: string): boolean {
	const bare = (text: string) => text.replace(/^\[|\]$/g, '');
	return bare(host) === bare(address) || (host === 'localhost' && isLoopback(address) && (address === '127.0.0.1' || bare(address) === '::1'));
}

function normalBase(base: string | undefined): string {
	const trimmed = (base ?? '').replace(/^\/+|\/+$/g, '');
	return trimmed ? `/${trimmed}` : '';
}

/** The port the file says its service listens on (inside its container, for a container's file). */
export function filePort(file: ConfigFileFound, tls: boolean): number | undefined {
	if (file.servarr) {
		if (tls) {
			return file.servarr.enableSsl ? (file.servarr.sslPort ?? undefined) : undefined;
		}
		return file.servarr.port ?? serviceInfo(file.kind).defaultPort;
	}
	if (file.qbittorrent) {
		return file.qbittorrent.port ?? 8080;
	}
	if (file.nzbget) {
		return tls ? undefined : (file.nzbget.port ?? 6789);
	}
	if (file.sabnzbd) {
		// sabnzbd/cfg.py: with enable_https, HTTPS on https_port; an empty https_port makes `port` the HTTPS one.
		const {port = 8080, httpsPort, enableHttps} = file.sabnzbd;
		if (tls) {
			return enableHttps ? (httpsPort ?? port) : undefined;
		}
		return enableHttps && httpsPort === undefined ? undefined : port;
	}
	return undefined; // Jellyseerr's settings.json names no port (it comes from the PORT variable).
}

function fileBindAddress(file: ConfigFileFound): string | undefined {
	return file.servarr?.bindAddress ?? file.qbittorrent?.address ?? file.nzbget?.address ?? file.sabnzbd?.address;
}

/** Does `service` answer at one of the addresses where `container` publishes `containerPort` (or its own address)? */
export function reachesContainer(service: {host: string; port: number}, container: Container, containerPort: number | undefined, isLocal: IsLocal): boolean {
	if (container.networkMode === 'host') {
		return isLocal(service.host) && (containerPort === undefined || service.port === containerPort);
	}
	for (const binding of container.ports) {
		if (binding.protocol !== 'tcp' || (containerPort !== undefined && binding.containerPort !== containerPort) || binding.hostPort !== service.port) {
			continue;
		}
		if (isAllInterfaces(binding.hostIp) ? isLocal(service.host) : sameAddress(service.host, binding.hostIp)) {
			return true;
		}
	}
	return container.networks.some(network => network.ip !== undefined && sameAddress(service.host, network.ip) && (containerPort === undefined || service.port === containerPort));
}

function describeAddress(service: ServiceAddress): string {
	const host = service.host.includes(':') && !service.host.startsWith('[') ? `[${service.host}]` : service.host;
	return `${host}:${service.port}${service.urlBase}`;
}

/** What the file says about where its service is, in words ("the Sonarr on this machine at 127.0.0.1:8989"). */
function ownerInWords(file: ConfigFileFound, service: ServiceAddress): string {
	const name = serviceInfo(file.kind).name;
	if (file.container) {
		return `the ${name} of container ${file.container}`;
	}
	const port = filePort(file, service.tls);
	const bind = fileBindAddress(file);
	const base = file.servarr ? normalBase(file.servarr.urlBase) : '';
	if (port === undefined) {
		return file.kind === 'jellyseerr' ? `the ${name} on this machine` : `the ${name} on this machine (${service.tls ? 'it does not enable HTTPS' : 'no port in it'})`;
	}
	return isAllInterfaces(bind) ? `the ${name} on this machine, port ${port}${base ? `, URL base ${base}` : ''}` : `the ${name} at ${bind}:${port}${base}`;
}

/**
 * Undefined when `file` belongs to the service at `service`; else why its key is not sent there, as a sentence
 * ("the key in /srv/sonarr/config.xml belongs to the Sonarr at 127.0.0.1:8989, not to the Sonarr at 127.0.0.2:8989").
 */
export function whyNotOwner(service: ServiceAddress, file: ConfigFileFound, isLocal: IsLocal, containers: Container[] = []): string | undefined {
	const refuse = (detail?: string) =>
		`the key in ${file.file} belongs to ${ownerInWords(file, service)}, not to the ${service.name} at ${describeAddress(service)}${detail ? ` (${detail})` : ''}`;
	if (file.kind !== service.kind) {
		return refuse();
	}
	if (file.servarr && normalBase(file.servarr.urlBase) !== normalBase(service.urlBase)) {
		return refuse('another URL base');
	}
	const insidePort = filePort(file, service.tls);
	if (file.container) {
		const container = containers.find(candidate => candidate.name === file.container);
		if (!container) {
			return refuse('that container is not running');
		}
		// Jellyseerr and qBittorrent images take their port from the environment; the file's port is a default.
		const fromEnv = (name: string) => (container.env[name] && /^\d+$/.test(container.env[name]) ? Number(container.env[name]) : undefined);
		const port = file.kind === 'jellyseerr' ? (fromEnv('PORT') ?? 5055) : file.kind === 'qbittorrent' ? (fromEnv('WEBUI_PORT') ?? insidePort) : insidePort;
		if (file.servarr && port === undefined) {
			return refuse();
		}
		return reachesContainer(service, container, port, isLocal) ? undefined : refuse();
	}
	if (!isLocal(service.host)) {
		return refuse('that is another machine');
	}
	const bind = fileBindAddress(file);
	if (!isAllInterfaces(bind) && !sameAddress(service.host, bind!)) {
		return refuse();
	}
	if (file.kind !== 'jellyseerr' && insidePort !== service.port) {
		return refuse();
	}
	return undefined;
}
