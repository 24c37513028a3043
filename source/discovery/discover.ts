// Discovery: localhost's default ports, the hosts and networks the user names, and Docker containers; each answer
// fingerprinted, each container's ports and mounts recorded, each service's key looked up on disk.
import {DEFAULT_PORTS, type ServiceKind, serviceInfo} from './catalogue.js';
import {scanConfigFiles, type ConfigFileFound, type SkippedFile} from './config-files.js';
import {listContainers, publishedAddress, type Container, type ContainerListing, type ContainerUnavailable} from './docker.js';
import {fingerprint, type FoundService, type UnknownService} from './fingerprint.js';
import {localHosts, reachesContainer, whyNotOwner, type IsLocal} from './key-owner.js';
import {limiter, mapLimit, sweep} from './probe.js';

export type Source = 'localhost' | 'host' | 'scan' | 'docker';

export interface KeyFound {
	/** The API key or password; never printed. */
	value: string;
	/** Where it came from, in words ("/srv/sonarr/config/config.xml (the /config mount of container sonarr)"). */
	from: string;
	username?: string;
}

export interface DiscoveredService extends FoundService {
	source: Source;
	/** The container that runs it, when one was matched. */
	container?: Container;
	/** The service's own file that arrwire read. */
	configFile?: ConfigFileFound;
	/** A credential found without asking (file, /initialize.json, container env). */
	key?: KeyFound;
	/** Keys found on disk that were not sent to it, each with why ("the key in … belongs to …"): it is asked instead. */
	keyWithheld?: string[];
}

export interface Discovery {
	services: DiscoveredService[];
	unknown: UnknownService[];
	containers: ContainerListing | ContainerUnavailable;
	configFiles: ConfigFileFound[];
	/** Files at a service's config place that were not read, with why (a FIFO, a device, a link, too big, not parseable). */
	skippedFiles: SkippedFile[];
	/** Addresses that were probed (for "nothing found at …" messages). */
	probed: number;
	elapsedMs: number;
}

export interface DiscoverOptions {
	/** Probe the six default ports on 127.0.0.1 (default true). */
	localhost?: boolean;
	/** `NAME[:PORT]` entries; without a port, the six default ports. */
	hosts?: string[];
	/** IPv4 CIDRs to sweep on the default ports. */
	scan?: string[];
	/** Look for containers (default true); a listing can be passed in. */
	docker?: boolean | ContainerListing | ContainerUnavailable;
	/** Folders that hold the services' config dirs (`--config-dir`). */
	configFolders?: string[];
	/** Look in the native install places for config files (default true). */
	nativeConfigFiles?: boolean;
	connectTimeoutMs?: number;
	requestTimeoutMs?: number;
	concurrency?: number;
	/** Called as each service or unknown answer is found (the wizard's live list). */
	onFound?: (found: DiscoveredService | UnknownService) => void;
}

export const MAX_SCAN_ADDRESSES = 4096;

/** The argument as it may be shown: a user name and password in it (`http://user:pass@nas:8989`) are never echoed. */
export function withoutCredentials(argument: string): string {
	return argument.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^@\s/]*@/i, (_match, scheme: string | undefined) => `${scheme ?? ''}…@`);
}

/** `10.0.0.0/24` → its addresses (network and broadcast included for /31 and /32 only). */
export function expandCidr(argument: string): string[] {
	const cidr = withoutCredentials(argument);
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
	if (!match) {
		throw new Error(`"${cidr}" is not an IPv4 network; write it like 192.168.1.0/24.`);
	}
	const octets = match.slice(1, 5).map(Number);
	if (octets.some(octet => octet > 255)) {
		throw new Error(`"${cidr}" is not an IPv4 network: each part must be 0-255.`);
	}
	const bits = match[5] === undefined ? 32 : Number(match[5]);
	if (bits > 32) {
		throw new Error(`"${cidr}": the prefix length must be 0-32.`);
	}
	const size = 2 ** (32 - bits);
	if (size > MAX_SCAN_ADDRESSES) {
		throw new Error(`"${cidr}" has ${size} addresses; arrwire sweeps at most ${MAX_SCAN_ADDRESSES} (a /20). Name a smaller network.`);
	}
	const start = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
	const network = Math.floor(start / size) * size;
	const first = size > 2 ? network + 1 : network;
	const last = size > 2 ? network + size - 2 : network + size - 1;
	const addresses: string[] = [];
	for (let address = first; address <= last; address++) {
		addresses.push([address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.'));
	}
	return addresses;
}

export function parseHostArgument(given: string): {host: string; port?: number} {
	const argument = withoutCredentials(given);
	if (argument !== given) {
		throw new Error(
			`"${argument}": --host takes NAME or NAME:PORT, without a user name or password (they are not shown here, and are never sent anywhere). arrwire asks for each service's credentials itself.`,
		);
	}
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(argument);
	if (bracketed) {
		return {host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined};
	}
	const parts = argument.split(':');
	if (parts.length === 2 && /^\d+$/.test(parts[1]!)) {
		const port = Number(parts[1]);
		if (port < 1 || port > 65535) {
			throw new Error(`"${argument}": the port must be 1-65535.`);
		}
		return {host: parts[0]!, port};
	}
	if (!argument || /[\s/]/.test(argument)) {
		throw new Error(`"${argument}" is not a host; write NAME or NAME:PORT (e.g. nas.local:8989).`);
	}
	return {host: argument};
}

interface Target {
	host: string;
	port: number;
	source: Source;
	container?: Container;
}

export async function discover(options: DiscoverOptions = {}): Promise<Discovery> {
	const started = performance.now();
	const requestTimeoutMs = options.requestTimeoutMs ?? 1500;

	const containersPromise: Promise<ContainerListing | ContainerUnavailable> =
		typeof options.docker === 'object' ? Promise.resolve(options.docker) : options.docker === false ? Promise.resolve({reason: 'not asked'}) : listContainers();

	const direct: Target[] = [];
	if (options.localhost !== false) {
		direct.push(...DEFAULT_PORTS.map(port => ({host: '127.0.0.1', port, source: 'localhost' as const})));
	}
	for (const argument of options.hosts ?? []) {
		const {host, port} = parseHostArgument(argument);
		direct.push(...(port ? [port] : DEFAULT_PORTS).map(p => ({host, port: p, source: 'host' as const})));
	}
	const scanHosts = (options.scan ?? []).flatMap(expandCidr);

	const services: DiscoveredService[] = [];
	const unknown: UnknownService[] = [];
	const seen = new Set<string>();
	const identify = async (target: Target) => {
		const key = `${target.host}:${target.port}`;
		if (seen.has(key)) {
			return;
		}
		seen.add(key);
		const result = await fingerprint(target.host, target.port, {timeoutMs: requestTimeoutMs});
		if (!result) {
			return;
		}
		if (result.found === 'unknown') {
			unknown.push(result);
			options.onFound?.(result);
			return;
		}
		const service: DiscoveredService = {...result, source: target.source, container: target.container};
		services.push(service);
		options.onFound?.(service);
	};

	// Direct targets are probed at once; a sweep identifies only the ports that accept a connection, each as soon as it
	// does (while the sweep goes on), at most 32 at once.
	const identifying: Array<Promise<void>> = [];
	const identifySlots = limiter(32);
	const sweepPromise = scanHosts.length
		? sweep(scanHosts, DEFAULT_PORTS, {
				concurrency: options.concurrency,
				timeoutMs: options.connectTimeoutMs,
				onOpen: target => identifying.push(identifySlots(() => identify({...target, source: 'scan'}))),
			}).then(() => Promise.all(identifying))
		: Promise.resolve([]);
	await mapLimit(direct, options.concurrency ?? 64, identify);

	const containers = await containersPromise;
	const isLocal = await localHosts([...direct.map(target => target.host), ...scanHosts, ...(containers.runtime ? containers.containers.flatMap(container => container.ports.map(port => port.hostIp)) : [])]);
	if (containers.runtime) {
		// A container's published port is where the wizard reaches it; match services already found, probe the rest.
		const fromContainers: Target[] = [];
		for (const container of containers.containers) {
			if (!container.service || !container.running) {
				continue;
			}
			const address = publishedAddress(container, containerPortOf(container));
			if (address) {
				fromContainers.push({...address, source: 'docker', container});
			}
		}
		await mapLimit(fromContainers, 16, async target => {
			// Only the service at that very address is this container's (another loopback address is another program).
			const existing = services.find(service => reachesContainer(service, target.container!, containerPortOf(target.container!), isLocal));
			if (existing) {
				existing.container ??= target.container;
				return;
			}
			await identify(target);
		});
		// Host-network containers publish nothing: they are the service found on their port.
		for (const container of containers.containers) {
			if (container.service && container.networkMode === 'host') {
				const match = services.find(service => service.kind === container.service && !service.container && isLocal(service.host) && service.port === containerPortOf(container));
				if (match) {
					match.container = container;
				}
			}
		}
	}
	await sweepPromise;

	const {files: configFiles, skipped: skippedFiles} = await scanConfigFiles({
		containers: containers.runtime ? containers.containers : [],
		folders: options.configFolders,
		native: options.nativeConfigFiles,
	});
	const isLocalToo = await localHosts(services.map(service => service.host));
	const local = (host: string) => isLocal(host) || isLocalToo(host);
	const withKeys = services
		.map(service => ({...service, ...keyOf(service, configFiles, services, containers.runtime ? containers.containers : [], local)}))
		.sort((a, b) => order(a.kind) - order(b.kind) || a.url.localeCompare(b.url));
	return {services: withKeys, unknown, containers, configFiles, skippedFiles, probed: seen.size + scanHosts.length * DEFAULT_PORTS.length, elapsedMs: performance.now() - started};
}

const ORDER: ServiceKind[] = ['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'nzbget', 'sabnzbd', 'jellyfin', 'jellyseerr'];
function order(kind: ServiceKind): number {
	return ORDER.indexOf(kind);
}

/** The port a service listens on inside its container: WEBUI_PORT for qBittorrent images, else the default. */
function containerPortOf(container: Container): number {
	const info = serviceInfo(container.service!);
	if (container.service === 'qbittorrent' && container.env.WEBUI_PORT && /^\d+$/.test(container.env.WEBUI_PORT)) {
		return Number(container.env.WEBUI_PORT);
	}
	if (container.service === 'jellyseerr' && container.env.PORT && /^\d+$/.test(container.env.PORT)) {
		return Number(container.env.PORT);
	}
	const published = container.ports.find(port => port.containerPort === info.defaultPort);
	return published ? info.defaultPort : (container.ports[0]?.containerPort ?? info.defaultPort);
}

/**
 * The key of the file that belongs to the service (its container's, or the native file whose address, port and URL
 * base are its own); the keys of files that belong to another are withheld, and why is said.
 */
function keyOf(service: DiscoveredService, files: ConfigFileFound[], all: DiscoveredService[], containers: Container[], isLocal: IsLocal): Pick<DiscoveredService, 'configFile' | 'key' | 'keyWithheld'> {
	const found: Pick<DiscoveredService, 'configFile' | 'key' | 'keyWithheld'> = {};
	const sameKind = files.filter(file => file.kind === service.kind);
	const reasons: string[] = [];
	const holdsKey = (file: ConfigFileFound) => Boolean(file.servarr?.apiKey || file.seerr?.apiKey || file.sabnzbd?.apiKey || file.nzbget?.password);
	const owned = sameKind.filter(file => {
		const why = whyNotOwner(service, file, isLocal, containers);
		if (why) {
			if (holdsKey(file)) {
				reasons.push(why);
			}
			return false;
		}
		// Jellyseerr's settings.json names no port: with two Jellyseerrs on this machine, nothing tells whose it is.
		const rivals = file.container || file.kind !== 'jellyseerr' ? [] : all.filter(other => other !== service && !whyNotOwner(other, file, isLocal, containers));
		if (rivals.length > 0) {
			if (holdsKey(file)) {
				reasons.push(`the key in ${file.file} could belong to the ${service.name} at ${rivals.map(other => `${other.host}:${other.port}`).join(', ')} as well as this one; the file does not say which`);
			}
			return false;
		}
		return true;
	});
	const file = owned.find(candidate => service.container && candidate.container === service.container.name) ?? owned[0];
	if (file) {
		found.configFile = file;
		const where = `${file.file} (${file.origin})`;
		if (file.servarr?.apiKey) {
			found.key = {value: file.servarr.apiKey, from: where};
		} else if (file.seerr?.apiKey) {
			found.key = {value: file.seerr.apiKey, from: where};
		} else if (file.sabnzbd?.apiKey) {
			found.key = {value: file.sabnzbd.apiKey, from: where};
		} else if (file.nzbget?.password !== undefined) {
			found.key = {value: file.nzbget.password, username: file.nzbget.username, from: where};
		}
	}
	if (service.kind === 'jellyseerr' && service.container?.apiKeyFromEnv) {
		// API_KEY overrides settings.json on every start; it belongs to that container at its own address only.
		if (reachesContainer(service, service.container, containerPortOf(service.container), isLocal)) {
			found.key = {value: service.container.apiKeyFromEnv, from: `the API_KEY variable of container ${service.container.name}`};
		} else {
			reasons.push(`the API_KEY of container ${service.container.name} belongs to that container, not to the ${service.name} at ${service.host}:${service.port}`);
		}
	}
	if (!found.key && service.exposedApiKey) {
		// The key this very URL handed out: it belongs to that URL.
		found.key = {value: service.exposedApiKey, from: `${service.url}/initialize.json (its web UI has no authentication)`};
	}
	if (!found.key && reasons.length > 0) {
		found.keyWithheld = [...new Set(reasons)];
	}
	return found;
}
