// The desired state, worked out once from what discovery found, the accepted credentials and the paths each service
// sees: the one /data tree (downloads in <data>/torrents/{tv,movies}, media in <data>/media/{tv,movies}), each path
// in the view of the service that uses it, and each address from inside the service that uses it.
import {statSync} from 'node:fs';
import path from 'node:path';
import {downloadPath, keptCategoryPath, type StackPaths} from '../checks/paths.js';
import {mountFor, remotePathMappingFor, toHostPath, toServicePath, type PathView} from '../checks/mounts.js';
import type {CredentialState} from '../discovery/collect.js';
import type {DiscoveredService} from '../discovery/discover.js';
import {rememberSecrets} from '../services/redact.js';
import {addressFrom} from './addresses.js';
import type {AddressKey, Desired, Login, StackServices} from './context.js';

export interface DesiredOptions {
	/** The folder that holds torrents/ and media/ on the host (default: the parent of qBittorrent's save path). */
	dataRoot?: string;
	categories?: {tv: string; movies: string};
	nzbgeekApiKey?: string;
	jellyfinApiKey?: string;
}

export interface DesiredResult {
	desired: Desired;
	/** Why each path was chosen, in words (shown with the plan). */
	notes: string[];
}

const ADDRESS_PAIRS: Array<[AddressKey, keyof StackServices, keyof StackServices]> = [
	['sonarr->qbittorrent', 'sonarr', 'qbittorrent'],
	['radarr->qbittorrent', 'radarr', 'qbittorrent'],
	['prowlarr->sonarr', 'prowlarr', 'sonarr'],
	['prowlarr->radarr', 'prowlarr', 'radarr'],
	['sonarr->prowlarr', 'sonarr', 'prowlarr'],
	['radarr->prowlarr', 'radarr', 'prowlarr'],
	['jellyseerr->sonarr', 'jellyseerr', 'sonarr'],
	['jellyseerr->radarr', 'jellyseerr', 'radarr'],
	['jellyseerr->jellyfin', 'jellyseerr', 'jellyfin'],
	['sonarr->jellyfin', 'sonarr', 'jellyfin'],
	['radarr->jellyfin', 'radarr', 'jellyfin'],
	['sonarr->nzbget', 'sonarr', 'nzbget'],
	['radarr->nzbget', 'radarr', 'nzbget'],
	['sonarr->sabnzbd', 'sonarr', 'sabnzbd'],
	['radarr->sabnzbd', 'radarr', 'sabnzbd'],
];

/** A service's view of the paths: its container's mounts, or this machine's own paths. */
export function viewOf(service: DiscoveredService | undefined): PathView {
	return {service: service?.name ?? '', mounts: service?.container?.mounts.map(mount => ({source: mount.source, destination: mount.destination, rw: mount.rw}))};
}

function loginOf(states: CredentialState[], kind: 'qbittorrent' | 'jellyfin' | 'nzbget'): Login | undefined {
	const state = states.find(candidate => candidate.service.kind === kind && candidate.check?.ok);
	const credential = state?.credential;
	return credential?.password ? {username: credential.username ?? 'admin', password: credential.password} : undefined;
}

function keyOf(states: CredentialState[], kind: 'sonarr' | 'radarr' | 'prowlarr' | 'jellyseerr' | 'sabnzbd'): string | undefined {
	return states.find(candidate => candidate.service.kind === kind && candidate.check?.ok)?.credential?.apiKey;
}

/** An existing root folder that ends in /tv (or /movies) is the user's choice and is kept. */
function chosenRootFolder(paths: StackPaths, service: 'Sonarr' | 'Radarr', leaf: string): string | undefined {
	const arr = paths.arrs.find(candidate => candidate.service === service);
	return arr?.rootFolders.find(folder => path.posix.basename(folder.replace(/\/+$/, '')) === leaf);
}

export function desiredState(services: StackServices, states: CredentialState[], paths: StackPaths, options: DesiredOptions = {}): DesiredResult {
	const notes: string[] = [];
	const categories = options.categories ?? {tv: 'tv', movies: 'movies'};
	const qbView = viewOf(services.qbittorrent);
	const saveHost = paths.qbittorrent ? toHostPath(qbView, paths.qbittorrent.defaultSavePath) : undefined;
	let dataRoot = options.dataRoot;
	if (!dataRoot && saveHost) {
		const leaf = path.posix.basename(saveHost);
		// A save folder below the root of qBittorrent's mount: the host folder behind that mount is the tree the user
		// shares (whatever the save folder is called); a mount of the save folder itself leaves only its name to go by.
		const saveMount = qbView.mounts ? mountFor(paths.qbittorrent!.defaultSavePath, qbView.mounts) : undefined;
		const belowMount = saveMount && path.posix.normalize(`${saveMount.destination}/`) !== path.posix.normalize(`${paths.qbittorrent!.defaultSavePath}/`);
		dataRoot = belowMount ? path.posix.normalize(saveMount.source).replace(/(.)\/+$/, '$1') : ['torrents', 'downloads', 'usenet', 'complete'].includes(leaf) ? path.posix.dirname(saveHost) : saveHost;
		notes.push(`The data tree is ${dataRoot}: qBittorrent saves to ${paths.qbittorrent!.defaultSavePath}${saveHost !== paths.qbittorrent!.defaultSavePath ? ` (${saveHost} on the host)` : ''}.`);
	}
	const pathsUnknown = dataRoot
		? undefined
		: `the data folder is not known (${services.qbittorrent ? "qBittorrent's save path could not be read: its login is not known or was refused" : 'qBittorrent was not found'}); give it with --data-root DIR, the host folder that holds torrents/ and media/`;
	// Only a stand-in from here on: with pathsUnknown set, no link writes a folder worked out from it.
	dataRoot ??= '/data';
	const torrents = saveHost && path.posix.basename(saveHost) !== path.posix.basename(dataRoot) ? saveHost : path.posix.join(dataRoot, 'torrents');
	const host = {
		downloadsTv: path.posix.join(torrents, categories.tv),
		downloadsMovies: path.posix.join(torrents, categories.movies),
		tv: path.posix.join(dataRoot, 'media', 'tv'),
		movies: path.posix.join(dataRoot, 'media', 'movies'),
	};

	const sonarrView = viewOf(services.sonarr);
	const radarrView = viewOf(services.radarr);
	const jellyfinView = viewOf(services.jellyfin);
	const inView = (view: PathView, hostPath: string, fallback: string) => toServicePath(view, hostPath) ?? fallback;

	const sonarrRoot = chosenRootFolder(paths, 'Sonarr', 'tv') ?? inView(sonarrView, host.tv, '/data/media/tv');
	const radarrRoot = chosenRootFolder(paths, 'Radarr', 'movies') ?? inView(radarrView, host.movies, '/data/media/movies');
	const libraries = {
		tv: inView(jellyfinView, toHostPath(sonarrView, sonarrRoot) ?? host.tv, '/data/media/tv'),
		movies: inView(jellyfinView, toHostPath(radarrView, radarrRoot) ?? host.movies, '/data/media/movies'),
	};

	const addresses: Desired['addresses'] = {};
	for (const [key, from, to] of ADDRESS_PAIRS) {
		const source = services[from];
		const target = services[to];
		if (source && target) {
			addresses[key] = addressFrom(source, target);
		}
	}

	// qBittorrent's real folder for each category: a category the user made, which the *arr already sees, is kept.
	const arrOf = (service: 'Sonarr' | 'Radarr') => paths.arrs.find(candidate => candidate.service === service);
	const downloads = {
		tv: keptCategoryPath(paths.qbittorrent, arrOf('Sonarr'), categories.tv) ?? inView(qbView, host.downloadsTv, `/data/torrents/${categories.tv}`),
		movies: keptCategoryPath(paths.qbittorrent, arrOf('Radarr'), categories.movies) ?? inView(qbView, host.downloadsMovies, `/data/torrents/${categories.movies}`),
	};

	// A remote path mapping only where the *arr sees the folder qBittorrent will report (once the categories are
	// planned) under another name; the same rule as check's (remotePathMappingFor).
	const remotePathMappings: Desired['remotePathMappings'] = {};
	for (const [kind, view, category] of [
		['sonarr', sonarrView, categories.tv],
		['radarr', radarrView, categories.movies],
	] as const) {
		if (!services[kind] || !services.qbittorrent) {
			continue;
		}
		const wanted = kind === 'sonarr' ? downloads.tv : downloads.movies;
		const reported = paths.qbittorrent ? downloadPath({...paths.qbittorrent, categories: {...paths.qbittorrent.categories, [category]: {savePath: wanted}}}, category) : wanted;
		const mapping = remotePathMappingFor(qbView, view, reported);
		if (mapping) {
			remotePathMappings[kind] = {host: addresses[`${kind}->qbittorrent`]?.host ?? services.qbittorrent.host, ...mapping};
			notes.push(`${services[kind].name} sees qBittorrent's ${mapping.remotePath.replace(/(.)\/$/, '$1')} as ${mapping.localPath.replace(/(.)\/$/, '$1')}: a remote path mapping is planned.`);
		}
	}

	const desired: Desired = {
		categories,
		downloads,
		rootFolders: {sonarr: sonarrRoot, radarr: radarrRoot},
		libraries,
		remotePathMappings,
		addresses,
		keys: {
			sonarr: keyOf(states, 'sonarr'),
			radarr: keyOf(states, 'radarr'),
			prowlarr: keyOf(states, 'prowlarr'),
			jellyseerr: keyOf(states, 'jellyseerr'),
			nzbgeek: options.nzbgeekApiKey,
			jellyfin: options.jellyfinApiKey,
			sabnzbd: keyOf(states, 'sabnzbd'),
		},
		qbittorrent: loginOf(states, 'qbittorrent'),
		jellyfinAdmin: loginOf(states, 'jellyfin'),
		nzbget: loginOf(states, 'nzbget'),
		pathsUnknown,
	};
	// Every credential of the run, including the NZBgeek key no client of arrwire holds: redacted from every message.
	rememberSecrets([...Object.values(desired.keys), desired.qbittorrent?.password, desired.jellyfinAdmin?.password]);
	return {desired, notes};
}

/** A --data-root the user gave: an absolute folder that exists on this machine, else why not (a usage error). */
export function dataRootProblem(dataRoot: string): string | undefined {
	if (!path.isAbsolute(dataRoot)) {
		return `--data-root ${dataRoot}: give the data folder as an absolute path, as this machine sees it (for example /srv/data).`;
	}
	let isFolder = false;
	try {
		isFolder = statSync(dataRoot).isDirectory();
	} catch {
		return `--data-root ${dataRoot}: there is no such folder on this machine. Give the host folder that holds torrents/ and media/ (create it first if the stack is new).`;
	}
	return isFolder ? undefined : `--data-root ${dataRoot} is a file, not a folder. Give the host folder that holds torrents/ and media/.`;
}
