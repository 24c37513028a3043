// Do the paths line up? qBittorrent writes a download at X; Sonarr/Radarr must find it at X (or through a remote
// path mapping), move it into a root folder by hardlink, and Jellyfin must see that root folder. Nothing here
// changes anything: it reads the disk (stat) and the services' settings, and returns findings.
import {statSync} from 'node:fs';
import path from 'node:path';
import type {Finding} from './findings.js';
import {mountFor, remapAsSonarr, remotePathMappingFor, sameMount, toHostPath, toServicePath, type PathView} from './mounts.js';

export interface QbittorrentPaths {
	view: PathView;
	defaultSavePath: string;
	/** Automatic torrent management: only then does a category's save path apply. */
	autoTmm: boolean;
	categories: Record<string, {savePath: string}>;
	/** The container (for compose advice), if any. */
	container?: string;
}

export interface ArrPaths {
	service: 'Sonarr' | 'Radarr';
	view: PathView;
	container?: string;
	category: string;
	rootFolders: string[];
	remotePathMappings: Array<{host: string; remotePath: string; localPath: string}>;
	/** The host name the *arr's download client uses for qBittorrent (remote path mappings are per host). */
	downloadClientHost: string;
}

export interface JellyfinPaths {
	view: PathView;
	container?: string;
	libraries: Array<{name: string; collectionType?: string; paths: string[]}>;
}

export interface StackPaths {
	qbittorrent?: QbittorrentPaths;
	arrs: ArrPaths[];
	jellyfin?: JellyfinPaths;
	/** Services whose paths could not be read (each a finding): the checks go on without them. */
	unread?: Finding[];
}

/** Where qBittorrent saves a torrent of this category (as qBittorrent itself sees the path). */
export function downloadPath(qbittorrent: QbittorrentPaths, category: string): string {
	const savePath = qbittorrent.categories[category]?.savePath ?? '';
	if (!qbittorrent.autoTmm) {
		// Manual mode (qBittorrent's default): every torrent goes to the default save path.
		return path.posix.normalize(qbittorrent.defaultSavePath);
	}
	if (!savePath) {
		return path.posix.join(qbittorrent.defaultSavePath, category);
	}
	return path.posix.isAbsolute(savePath) ? path.posix.normalize(savePath) : path.posix.join(qbittorrent.defaultSavePath, savePath);
}

/**
 * The save path of a category the user already has, kept by the plan: it is qBittorrent's real download folder
 * for that category, it exists, and the *arr sees it (directly or through a remote path mapping arrwire can add).
 * Moving it would strand what is there; undefined when there is no such category or the *arr cannot see it.
 */
export function keptCategoryPath(qbittorrent: QbittorrentPaths | undefined, arr: ArrPaths | undefined, category: string): string | undefined {
	const savePath = qbittorrent?.categories[category]?.savePath;
	if (!qbittorrent || !arr || !savePath) {
		return undefined;
	}
	const reported = downloadPath({...qbittorrent, autoTmm: true}, category);
	const host = toHostPath(qbittorrent.view, reported);
	return host !== undefined && exists(host) && toServicePath(arr.view, host) !== undefined ? reported : undefined;
}

function device(hostPath: string): number | undefined {
	// The nearest existing ancestor decides the filesystem of a path not created yet.
	let current = hostPath;
	while (true) {
		try {
			return statSync(current).dev;
		} catch {
			const parent = path.dirname(current);
			if (parent === current) {
				return undefined;
			}
			current = parent;
		}
	}
}

function exists(hostPath: string): boolean {
	try {
		return statSync(hostPath).isDirectory();
	} catch {
		return false;
	}
}

/**
 * The one data tree a service should mount to see qBittorrent's downloads and its own library, at the path where
 * qBittorrent sees it, so that every container uses the same paths: qBittorrent's mount that holds the downloads
 * when the library is in it too; else the host folder that holds both (never `/`). A category saved outside the
 * tree that holds the media (qBittorrent mounts both) gets its own mount, with the warning that imports from it
 * are copies. `outside`: that tree, as qBittorrent sees it.
 */
function dataTreeMount(qbittorrent: QbittorrentPaths, reported: string, hostDownloads: string, hostLibraries: string[]): {source: string; destination: string; outside?: string} {
	const inside = (child: string, parent: string) => child === parent || child.startsWith(`${parent === '/' ? '' : parent}/`);
	const trim = (value: string) => path.posix.normalize(value).replace(/(.)\/+$/, '$1');
	const mounts = qbittorrent.view.mounts?.length ? qbittorrent.view.mounts : undefined;
	const holding = mounts ? mountFor(reported, mounts) : undefined;
	if (holding && hostLibraries.every(library => inside(library, trim(holding.source)))) {
		return {source: trim(holding.source), destination: trim(holding.destination)};
	}
	const media = mounts?.find(mount => hostLibraries.length > 0 && hostLibraries.every(library => inside(library, trim(mount.source))));
	if (holding && media) {
		return {source: trim(holding.source), destination: trim(holding.destination), outside: trim(media.destination)};
	}
	const common = commonParent(hostDownloads, ...hostLibraries);
	const source = common !== '/' && hostLibraries.length ? common : holding ? trim(holding.source) : path.posix.dirname(hostDownloads);
	return {source, destination: toServicePath(qbittorrent.view, source) ?? '/data'};
}

function separateMountsFix(tree: {source: string; destination: string; outside?: string}, category: string): string {
	if (tree.outside) {
		// A second mount cannot fix it: the category itself lies outside the tree that holds the media.
		return `Save the "${category}" category inside the tree that holds the media (in qBittorrent: right-click the category → Edit, e.g. ${path.posix.join(tree.outside, 'torrents', category)}), so that one mount holds downloads and media.`;
	}
	return `Mount their common parent once instead: compose \`volumes: ["${tree.source}:${tree.destination}"]\`, docker run -v ${tree.source}:${tree.destination}; then use ${tree.destination}/... paths everywhere.`;
}

function mountAdvice(service: string, container: string | undefined, tree: {source: string; destination: string; outside?: string}, libraries: Array<{now: string; host: string}>): string {
	const where = container ? `the ${container} container` : service;
	if (tree.outside) {
		return (
			`mount qBittorrent's download folder into ${where} at the same place as in qBittorrent: compose \`volumes: ["${tree.source}:${tree.destination}"]\`, docker run -v ${tree.source}:${tree.destination}. ` +
			`It lies outside the tree that holds the media (${tree.outside} in qBittorrent), so imports from it are copies, not hardlinks: better, save the category inside that tree (arrwire plan proposes it)`
		);
	}
	const moved = libraries
		.map(library => ({...library, then: path.posix.join(tree.destination, path.posix.relative(tree.source, library.host))}))
		.filter(library => !library.then.startsWith('..') && library.then !== library.now);
	return (
		`mount the data tree (one folder holding downloads and media) into ${where}, at the same place as in qBittorrent: compose \`volumes: ["${tree.source}:${tree.destination}"]\`, docker run -v ${tree.source}:${tree.destination}` +
		(moved.length ? `; then use it in ${service}: root folder ${moved.map(library => `${library.now} -> ${library.then}`).join(', ')}` : '')
	);
}

export function checkPaths(stack: StackPaths): Finding[] {
	const findings: Finding[] = [];
	const qbittorrent = stack.qbittorrent;
	const seenHostDirs = new Set<string>();
	const missingDirectory = (subject: string, hostPath: string, role: string) => {
		if (seenHostDirs.has(hostPath) || exists(hostPath)) {
			return;
		}
		seenHostDirs.add(hostPath);
		findings.push({
			id: 'paths.missing-directory',
			severity: 'error',
			subject,
			cause: `The ${role} ${hostPath} does not exist on this machine.`,
			fix: `mkdir -p ${hostPath}  (then give it to the service's user, see the ownership findings)`,
		});
	};

	for (const arr of stack.arrs) {
		const link = `${arr.service} -> qBittorrent`;
		if (qbittorrent) {
			const reported = downloadPath(qbittorrent, arr.category);
			const hostDownloads = toHostPath(qbittorrent.view, reported);
			if (hostDownloads === undefined) {
				findings.push({
					id: 'paths.download-not-mounted',
					severity: 'error',
					subject: 'qBittorrent',
					cause: `qBittorrent saves "${arr.category}" downloads to ${reported}, which is inside its container, not on a mount: nothing else can see them, and they vanish with the container.`,
					evidence: qbittorrent.view.mounts?.map(mount => `${mount.source} -> ${mount.destination}`),
					fix: `Mount a host folder there (compose: \`volumes: ["/data/torrents:${reported}"]\`), or point the save path into an existing mount.`,
				});
				continue;
			}
			missingDirectory('qBittorrent', hostDownloads, `download folder for "${arr.category}"`);
			const seenByArr = toServicePath(arr.view, hostDownloads);
			if (seenByArr === undefined) {
				const libraries = arr.rootFolders.flatMap(rootFolder => {
					const host = toHostPath(arr.view, rootFolder);
					return host === undefined ? [] : [{now: rootFolder, host}];
				});
				findings.push({
					id: 'paths.download-not-visible',
					severity: 'error',
					subject: link,
					cause: `qBittorrent writes "${arr.category}" downloads to ${reported} (${hostDownloads} on the host), and ${arr.service} cannot see that folder: imports will fail with "path does not exist".`,
					evidence: [`qBittorrent: ${reported} = host ${hostDownloads}`, ...(arr.view.mounts ?? []).map(mount => `${arr.service}: ${mount.source} -> ${mount.destination}`)],
					fix: `${upperFirst(mountAdvice(arr.service, arr.container, dataTreeMount(qbittorrent, reported, hostDownloads, libraries.map(library => library.host)), libraries))}.`,
				});
			} else {
				// Sonarr applies its mappings to every path qBittorrent reports, needed or not: a stale one sends every
				// import to a folder that is not there.
				const remapped = remapAsSonarr(arr.remotePathMappings, arr.downloadClientHost, reported);
				if (remapped.mapping && remapped.path !== seenByArr) {
					const {mapping} = remapped;
					findings.push({
						id: 'paths.remote-path-mapping-wrong',
						severity: 'error',
						subject: link,
						cause: `${arr.service}'s remote path mapping ${mapping.remotePath} -> ${mapping.localPath} (host ${mapping.host}) turns qBittorrent's ${reported} into ${remapped.path}, but ${arr.service} sees that folder as ${seenByArr}: every import fails with "path does not exist or is not accessible".`,
						evidence: [`host folder ${hostDownloads}`, ...arr.remotePathMappings.map(entry => `mapping: host ${entry.host}, remote ${entry.remotePath}, local ${entry.localPath}`)],
						fix:
							seenByArr === reported
								? `Delete that remote path mapping in ${arr.service} (Settings → Download Clients → Remote Path Mappings): qBittorrent and ${arr.service} see the downloads at the same path, so none is needed. arrwire plan proposes it.`
								: `Replace that mapping in ${arr.service} (Settings → Download Clients → Remote Path Mappings) with one that gives ${seenByArr}: ${describeMapping(arr.downloadClientHost, remotePathMappingFor(qbittorrent.view, arr.view, reported))}.`,
					});
				} else if (!remapped.mapping && seenByArr !== reported) {
					const mapping = remotePathMappingFor(qbittorrent.view, arr.view, reported)!;
					findings.push({
						id: 'paths.remote-path-mapping-needed',
						severity: 'error',
						subject: link,
						cause: `qBittorrent reports ${reported}, but ${arr.service} sees that folder as ${seenByArr}: without a remote path mapping, imports fail with "path does not exist".`,
						evidence: [`host folder ${hostDownloads}`],
						fix: `Add a remote path mapping in ${arr.service} (Settings → Download Clients → Remote Path Mappings): host ${arr.downloadClientHost}, remote ${mapping.remotePath}, local ${mapping.localPath}. arrwire can add it. Better still, mount the data tree at the same path in both containers.`,
					});
				}
			}

			for (const rootFolder of arr.rootFolders) {
				const hostRoot = toHostPath(arr.view, rootFolder);
				if (hostRoot === undefined) {
					findings.push({
						id: 'paths.root-folder-not-mounted',
						severity: 'error',
						subject: arr.service,
						cause: `${arr.service}'s root folder ${rootFolder} is inside its container, not on a mount: the library would vanish with the container.`,
						fix: `Mount the media folder there (compose: \`volumes: ["/data/media:${path.posix.dirname(rootFolder)}"]\`).`,
					});
					continue;
				}
				missingDirectory(arr.service, hostRoot, 'root folder');
				const downloadsDevice = device(hostDownloads);
				const rootDevice = device(hostRoot);
				if (downloadsDevice !== undefined && rootDevice !== undefined && downloadsDevice !== rootDevice) {
					findings.push({
						id: 'paths.different-filesystems',
						severity: 'warning',
						subject: link,
						cause: `Downloads (${hostDownloads}) and the library (${hostRoot}) are on different filesystems: ${arr.service} cannot hardlink or move instantly, so every import is a full copy.`,
						impact: 'Each file takes twice the disk while it seeds, and imports take as long as a copy.',
						fix: 'Put torrents and media in one folder tree on one filesystem (e.g. /data/torrents and /data/media on the same disk).',
					});
				} else if (seenByArr !== undefined && !sameMount(arr.view, seenByArr, rootFolder)) {
					findings.push({
						id: 'paths.separate-mounts',
						severity: 'warning',
						subject: arr.service,
						cause: `${arr.service} sees downloads (${seenByArr}) and the library (${rootFolder}) through two different mounts: hardlinks and instant moves fail across mounts, even on one disk, so imports are copies.`,
						impact: 'Each file takes twice the disk while it seeds.',
						fix: separateMountsFix(dataTreeMount(qbittorrent, reported, hostDownloads, [hostRoot]), arr.category),
					});
				}
				const jellyfin = stack.jellyfin;
				if (jellyfin) {
					const seenByJellyfin = toServicePath(jellyfin.view, hostRoot);
					if (seenByJellyfin === undefined) {
						findings.push({
							id: 'paths.library-not-visible',
							severity: 'error',
							subject: 'Jellyfin',
							cause: `Jellyfin cannot see ${arr.service}'s root folder (${hostRoot} on the host): what ${arr.service} imports never shows up in Jellyfin.`,
							fix: `Mount it into ${jellyfin.container ? `the ${jellyfin.container} container` : 'Jellyfin'} (compose: \`volumes: ["${hostRoot}:${rootFolder}"]\`).`,
						});
					} else if (!jellyfin.libraries.some(library => library.paths.some(libraryPath => seenByJellyfin === libraryPath || seenByJellyfin.startsWith(`${libraryPath.replace(/\/$/, '')}/`)))) {
						findings.push({
							id: 'paths.library-missing',
							severity: 'warning',
							subject: 'Jellyfin',
							cause: `No Jellyfin library holds ${seenByJellyfin} (${arr.service}'s root folder): it is not scanned.`,
							fix: `Add a library for ${seenByJellyfin}; arrwire's Jellyfin libraries link does it.`,
						});
					}
				}
			}
		}
	}
	return findings;
}

function describeMapping(host: string, mapping: {remotePath: string; localPath: string} | null | undefined): string {
	if (!mapping) {
		return 'none is needed';
	}
	return `host ${host}, remote ${mapping.remotePath}, local ${mapping.localPath}`;
}

function commonParent(first: string, ...others: string[]): string {
	let common = first.split('/');
	for (const other of others) {
		const parts = other.split('/');
		let index = 0;
		while (index < Math.min(common.length, parts.length) && common[index] === parts[index]) {
			index++;
		}
		common = common.slice(0, index);
	}
	return common.join('/') || '/';
}

function upperFirst(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
