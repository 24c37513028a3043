// What every link reads: the logged-in clients, the desired state (built once from discovery, the credentials and
// the path checks), and the journal. Each link declares the part it uses; this is the whole.
import type {ServiceKind} from '../discovery/catalogue.js';
import type {DiscoveredService} from '../discovery/discover.js';
import type {StackClients} from '../discovery/stack.js';
import type {Journal} from '../state/journal.js';
import type {ServiceAddress} from './addresses.js';

/** "Who reaches whom": the address the first service uses for the second, from inside the first. */
export type AddressKey =
	| 'sonarr->qbittorrent'
	| 'radarr->qbittorrent'
	| 'prowlarr->sonarr'
	| 'prowlarr->radarr'
	| 'sonarr->prowlarr'
	| 'radarr->prowlarr'
	| 'jellyseerr->sonarr'
	| 'jellyseerr->radarr'
	| 'jellyseerr->jellyfin'
	| 'sonarr->jellyfin'
	| 'radarr->jellyfin'
	| 'sonarr->nzbget'
	| 'radarr->nzbget'
	| 'sonarr->sabnzbd'
	| 'radarr->sabnzbd';

export interface Login {
	username: string;
	password: string;
}

export interface Desired {
	categories: {tv: string; movies: string};
	/** qBittorrent's save path per category, as qBittorrent sees it. */
	downloads: {tv: string; movies: string};
	/** The root folder of Sonarr and of Radarr, as each sees it. */
	rootFolders: {sonarr: string; radarr: string};
	/** The Jellyfin library folders, as Jellyfin sees them. */
	libraries: {tv: string; movies: string};
	/** The remote path mapping the path checks ask for, per *arr (absent when none is needed). */
	remotePathMappings: {sonarr?: {host: string; remotePath: string; localPath: string}; radarr?: {host: string; remotePath: string; localPath: string}};
	addresses: Partial<Record<AddressKey, ServiceAddress>>;
	/** API keys of the services (for the links that give one service another's key). */
	keys: {sonarr?: string; radarr?: string; prowlarr?: string; jellyseerr?: string; jellyfin?: string; nzbgeek?: string; sabnzbd?: string};
	qbittorrent?: Login;
	jellyfinAdmin?: Login;
	/** NZBGet's ControlUsername/ControlPassword, when NZBGet was found and its login accepted. */
	nzbget?: Login;
	/**
	 * Why the data tree is not known (qBittorrent not found or not logged in, and no --data-root): the folders above
	 * are then placeholders, and the links that would create folders are not planned. arrwire never writes a guess.
	 */
	pathsUnknown?: string;
}

export interface LinkContext {
	clients: StackClients;
	services: StackServices;
	desired: Desired;
	journal: Journal;
	/** Each service's version, as its accepted credential told it: the compatibility rules weigh them without asking again. */
	versions?: Partial<Record<ServiceKind, string>>;
	/**
	 * Plan reads and nothing more: no service's own test, which can cost the user's indexer quota (Prowlarr's indexer
	 * test queries NZBgeek) or change state (Sonarr's download-client test creates a missing qBittorrent category).
	 * Those tests belong to doctor and to apply.
	 */
	readOnly?: boolean;
	/**
	 * No service test that reaches beyond the stack (doctor --offline): Prowlarr's test of NZBgeek queries NZBgeek and
	 * costs a query of the user's daily API limit. What Prowlarr recorded of its own searches is read instead.
	 */
	offline?: boolean;
}

export type StackServices = Partial<Record<'prowlarr' | 'sonarr' | 'radarr' | 'qbittorrent' | 'jellyfin' | 'jellyseerr' | 'nzbget' | 'sabnzbd', DiscoveredService>>;
