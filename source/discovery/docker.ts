// Running containers, through the docker CLI (or podman's) when one answers: image -> service, published ports,
// bind mounts, and the PUID/PGID/UMASK that the path checks need. arrwire only reads; it never starts or stops one.
import {serviceForImage, type ServiceKind} from './catalogue.js';

export interface ContainerPort {
	containerPort: number;
	protocol: string;
	hostIp: string;
	hostPort: number;
}

export interface ContainerMount {
	type: string;
	/** Path on the host. */
	source: string;
	/** Path inside the container. */
	destination: string;
	rw: boolean;
}

export interface Container {
	id: string;
	name: string;
	image: string;
	service?: ServiceKind;
	running: boolean;
	ports: ContainerPort[];
	mounts: ContainerMount[];
	/** The environment that matters to arrwire (never secrets): PUID, PGID, UMASK, WEBUI_PORT, TZ. */
	env: Record<string, string>;
	/** Config.User, when the image runs as a fixed user instead of PUID/PGID. */
	user?: string;
	/** HostConfig.GroupAdd: supplementary groups given to the container's processes (--group-add). */
	groupAdd?: string[];
	/** State.Pid: the container's main process on this machine (0 or absent when not running or not visible). */
	pid?: number;
	networkMode: string;
	networks: Array<{name: string; ip?: string; gateway?: string; aliases: string[]}>;
	/** Jellyseerr's API_KEY variable overrides settings.json (Jellyseerr server/lib/settings/index.ts); kept apart, never printed. */
	apiKeyFromEnv?: string;
}

export interface ContainerListing {
	runtime: 'docker' | 'podman';
	containers: Container[];
}

export interface ContainerUnavailable {
	runtime?: undefined;
	reason: string;
}

const KEPT_ENV = ['PUID', 'PGID', 'UMASK', 'UMASK_SET', 'WEBUI_PORT', 'TZ', 'PORT', 'CONFIG_DIRECTORY', 'DOCKER_MODS'];

/** Lists running containers with the first CLI that answers (docker, then podman). */
export async function listContainers(options: {clis?: Array<'docker' | 'podman'>; timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<ContainerListing | ContainerUnavailable> {
	const reasons: string[] = [];
	// Loaded here, not at the top: execa is a hundred modules, and most commands never look at containers.
	const {execa} = await import('execa');
	for (const cli of options.clis ?? ['docker', 'podman']) {
		try {
			const ids = await execa(cli, ['ps', '-q', '--no-trunc'], {timeout: options.timeoutMs ?? 5000, env: options.env, reject: true});
			const list = ids.stdout.split('\n').map(line => line.trim()).filter(Boolean);
			if (list.length === 0) {
				return {runtime: cli, containers: []};
			}
			const inspected = await execa(cli, ['inspect', ...list], {timeout: options.timeoutMs ?? 5000, env: options.env});
			const data = JSON.parse(inspected.stdout) as unknown[];
			return {runtime: cli, containers: data.map(parseInspect)};
		} catch (error) {
			reasons.push(`${cli}: ${describeFailure(error)}`);
		}
	}
	return {reason: reasons.join('; ')};
}

function describeFailure(error: unknown): string {
	const failure = error as {code?: string; stderr?: string; shortMessage?: string; timedOut?: boolean};
	if (failure.code === 'ENOENT') {
		return 'not installed';
	}
	if (failure.timedOut) {
		return 'did not answer in time';
	}
	const stderr = failure.stderr?.trim().split('\n')[0];
	return stderr || failure.shortMessage || String(error);
}

interface InspectJson {
	Id?: string;
	Name?: string;
	Config?: {Image?: string; Env?: string[] | null; User?: string};
	ImageName?: string;
	State?: {Running?: boolean; Pid?: number};
	Mounts?: Array<{Type?: string; Source?: string; Destination?: string; RW?: boolean}> | null;
	HostConfig?: {NetworkMode?: string; GroupAdd?: string[] | null; PortBindings?: Record<string, Array<{HostIp?: string; HostPort?: string}> | null> | null};
	NetworkSettings?: {
		Ports?: Record<string, Array<{HostIp?: string; HostPort?: string}> | null> | null;
		Networks?: Record<string, {IPAddress?: string; Gateway?: string; Aliases?: string[] | null}> | null;
	};
}

/** One `docker inspect` entry (Docker and podman's Docker-compatible output). */
export function parseInspect(raw: unknown): Container {
	const data = raw as InspectJson;
	const image = data.Config?.Image ?? data.ImageName ?? '';
	const envList = data.Config?.Env ?? [];
	const env: Record<string, string> = {};
	let apiKeyFromEnv: string | undefined;
	for (const entry of envList) {
		const equals = entry.indexOf('=');
		const key = entry.slice(0, equals);
		const value = entry.slice(equals + 1);
		if (KEPT_ENV.includes(key)) {
			env[key] = value;
		} else if (key === 'API_KEY' && value) {
			apiKeyFromEnv = value;
		}
	}
	const ports: ContainerPort[] = [];
	const portMap = data.NetworkSettings?.Ports ?? data.HostConfig?.PortBindings ?? {};
	for (const [spec, bindings] of Object.entries(portMap ?? {})) {
		const [port, protocol = 'tcp'] = spec.split('/');
		for (const binding of bindings ?? []) {
			if (binding.HostPort) {
				ports.push({containerPort: Number(port), protocol, hostIp: binding.HostIp || '0.0.0.0', hostPort: Number(binding.HostPort)});
			}
		}
	}
	const service = serviceForImage(image);
	return {
		id: data.Id ?? '',
		name: (data.Name ?? '').replace(/^\//, ''),
		image,
		service,
		running: data.State?.Running ?? true,
		ports,
		mounts: (data.Mounts ?? []).map(mount => ({
			type: mount.Type ?? 'bind',
			source: mount.Source ?? '',
			destination: mount.Destination ?? '',
			rw: mount.RW ?? true,
		})),
		env,
		user: data.Config?.User || undefined,
		groupAdd: data.HostConfig?.GroupAdd ?? [],
		pid: data.State?.Pid || undefined,
		networkMode: data.HostConfig?.NetworkMode ?? 'default',
		networks: Object.entries(data.NetworkSettings?.Networks ?? {}).map(([name, network]) => ({
			name,
			ip: network.IPAddress || undefined,
			gateway: network.Gateway || undefined,
			aliases: network.Aliases ?? [],
		})),
		apiKeyFromEnv: service === 'jellyseerr' ? apiKeyFromEnv : undefined,
	};
}

/** Where the wizard reaches a container's service from the host: its published port for the service's port. */
export function publishedAddress(container: Container, containerPort: number): {host: string; port: number} | undefined {
	const binding = container.ports.find(port => port.containerPort === containerPort && port.protocol === 'tcp');
	if (!binding) {
		return undefined;
	}
	const host = binding.hostIp === '0.0.0.0' || binding.hostIp === '::' || binding.hostIp === '' ? '127.0.0.1' : binding.hostIp;
	return {host, port: binding.hostPort};
}
