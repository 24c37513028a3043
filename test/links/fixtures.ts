// Discovered services and container listings as discovery reports them, written by hand for the pure parts
// (addresses, the desired state): a native install, a container on a user-defined network, on the default bridge,
// or on the host's network.
import type {QbittorrentPaths, ArrPaths, StackPaths} from '../../source/checks/paths.js';
import type {CredentialState} from '../../source/discovery/collect.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import type {Container, ContainerMount} from '../../source/discovery/docker.js';
import type {ServiceKind} from '../../source/discovery/catalogue.js';

const NAMES: Record<string, string> = {prowlarr: 'Prowlarr', sonarr: 'Sonarr', radarr: 'Radarr', qbittorrent: 'qBittorrent', jellyfin: 'Jellyfin', jellyseerr: 'Jellyseerr'};

export function service(kind: ServiceKind, host: string, port: number, extra: Partial<DiscoveredService> = {}): DiscoveredService {
	const tls = extra.tls ?? false;
	const urlBase = extra.urlBase ?? '';
	return {
		found: 'service',
		kind,
		name: NAMES[kind]!,
		url: `${tls ? 'https' : 'http'}://${host}:${port}${urlBase}`,
		host,
		port,
		tls,
		urlBase,
		identifiedBy: 'a fixture',
		notes: [],
		source: 'host',
		...extra,
	};
}

export interface ContainerFixture {
	name: string;
	networkMode?: string;
	networks?: Container['networks'];
	/** Published ports: host port -> container port. */
	ports?: Array<[number, number]>;
	/** Bind mounts: host path -> container path. */
	mounts?: Array<[string, string]>;
}

export function container(fixture: ContainerFixture): Container {
	return {
		id: `id-${fixture.name}`,
		name: fixture.name,
		image: `lscr.io/linuxserver/${fixture.name}:latest`,
		running: true,
		ports: (fixture.ports ?? []).map(([hostPort, containerPort]) => ({hostPort, containerPort, protocol: 'tcp', hostIp: '0.0.0.0'})),
		mounts: (fixture.mounts ?? []).map(([source, destination]): ContainerMount => ({type: 'bind', source, destination, rw: true})),
		env: {PUID: '1000', PGID: '1000'},
		networkMode: fixture.networkMode ?? fixture.networks?.[0]?.name ?? 'bridge',
		networks: fixture.networks ?? [],
	};
}

/** A network a container is on: name, its address there, the network's gateway. */
export function network(name: string, ip: string, gateway: string): Container['networks'][number] {
	return {name, ip, gateway, aliases: []};
}

/** The paths as the checks read them: qBittorrent's save path, the *arrs' root folders (as each sees them). */
export function stackPaths(options: {savePath?: string; sonarrRoots?: string[]; radarrRoots?: string[]} = {}): StackPaths {
	const qbittorrent: QbittorrentPaths | undefined = options.savePath === undefined ? undefined : {view: {service: 'qBittorrent'}, defaultSavePath: options.savePath, autoTmm: true, categories: {}};
	const arr = (name: 'Sonarr' | 'Radarr', rootFolders: string[] = []): ArrPaths => ({service: name, view: {service: name}, category: name === 'Sonarr' ? 'tv' : 'movies', rootFolders, remotePathMappings: [], downloadClientHost: ''});
	return {qbittorrent, arrs: [arr('Sonarr', options.sonarrRoots), arr('Radarr', options.radarrRoots)]};
}

/** Credential states with each service's credential accepted. */
export function accepted(services: DiscoveredService[], credentials: Partial<Record<ServiceKind, CredentialState['credential']>>): CredentialState[] {
	return services.map(found => {
		const credential = credentials[found.kind];
		return credential ? {service: found, credential, from: 'a fixture', check: {ok: true, kind: found.kind, detail: 'accepted'}} : {service: found};
	});
}
