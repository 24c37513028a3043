// Container paths <-> host paths through bind mounts: the deepest mount that holds a path decides.
import path from 'node:path';

export interface Mount {
	/** Path on the host. */
	source: string;
	/** Path inside the container. */
	destination: string;
	rw: boolean;
}

/** A service's view of the filesystem: its mounts, or none (a native install sees the host as is). */
/** A loopback host: the service runs on this machine. */
export function isLocalHost(host: string): boolean {
	return host === 'localhost' || host.startsWith('127.') || ['::1', '[::1]'].includes(host);
}

export interface PathView {
	service: string;
	mounts?: Mount[];
}

function within(child: string, parent: string): boolean {
	const relative = path.posix.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.posix.isAbsolute(relative));
}

function clean(value: string): string {
	const normalised = path.posix.normalize(value);
	return normalised.length > 1 ? normalised.replace(/\/+$/, '') : normalised;
}

/** The mount that holds `containerPath` (deepest destination first). */
export function mountFor(containerPath: string, mounts: Mount[]): Mount | undefined {
	const target = clean(containerPath);
	return mounts
		.filter(mount => within(target, clean(mount.destination)))
		.sort((a, b) => clean(b.destination).length - clean(a.destination).length)[0];
}

/** Where a path inside the service lives on the host; undefined when no mount holds it (it is in the container's own layer). */
export function toHostPath(view: PathView, servicePath: string): string | undefined {
	if (!view.mounts) {
		return clean(servicePath);
	}
	const mount = mountFor(servicePath, view.mounts);
	if (!mount) {
		return undefined;
	}
	return clean(path.posix.join(mount.source, path.posix.relative(clean(mount.destination), clean(servicePath))));
}

/** Where a host path appears inside the service; undefined when the service cannot see it. */
export function toServicePath(view: PathView, hostPath: string): string | undefined {
	if (!view.mounts) {
		return clean(hostPath);
	}
	const target = clean(hostPath);
	const mount = view.mounts
		.filter(candidate => within(target, clean(candidate.source)))
		.sort((a, b) => clean(b.source).length - clean(a.source).length)[0];
	if (!mount) {
		return undefined;
	}
	return clean(path.posix.join(mount.destination, path.posix.relative(clean(mount.source), target)));
}

/** Two paths inside one service are in the same mount (a hardlink or rename between them can work). */
export function sameMount(view: PathView, a: string, b: string): boolean {
	if (!view.mounts) {
		return true;
	}
	const first = mountFor(a, view.mounts);
	const second = mountFor(b, view.mounts);
	return first !== undefined && first === second;
}

/**
 * The remote path mapping that makes a download folder qBittorrent reports (`reported`, in qBittorrent's view)
 * readable by the *arr (in its view): the widest folder, walking down from the download folder's parent (or the
 * root of qBittorrent's mount that holds it, when that is deeper), that the *arr sees and whose mapping gives the
 * download folder exactly where the *arr sees it. The parent serves the other category too; going no higher than
 * the mount never maps `/`, which would remap every path from that host.
 * `null`: no mapping is needed (both see the folder at the same path); undefined: none can help (the *arr does not
 * see the folder).
 */
export function remotePathMappingFor(qbittorrent: PathView, arr: PathView, reported: string): {remotePath: string; localPath: string} | null | undefined {
	const target = clean(reported);
	const host = toHostPath(qbittorrent, target);
	const wanted = host === undefined ? undefined : toServicePath(arr, host);
	if (wanted === undefined) {
		return undefined;
	}
	if (wanted === target) {
		return null;
	}
	const root = qbittorrent.mounts ? clean(mountFor(target, qbittorrent.mounts)!.destination) : '/';
	const parent = path.posix.dirname(target);
	const top = within(parent, root) ? parent : root;
	const below = path.posix.relative(top, target).split('/').filter(Boolean);
	for (let depth = 0; depth <= below.length; depth++) {
		const remote = path.posix.join(top, ...below.slice(0, depth));
		const remoteHost = toHostPath(qbittorrent, remote);
		const local = remoteHost === undefined ? undefined : toServicePath(arr, remoteHost);
		if (local !== undefined && remote !== '/' && local !== '/' && clean(path.posix.join(local, path.posix.relative(remote, target))) === wanted) {
			return {remotePath: asDirectory(remote), localPath: asDirectory(local)};
		}
	}
	return {remotePath: asDirectory(target), localPath: asDirectory(wanted)};
}

/** A path as Sonarr's OsPath holds it: forward slashes, no doubled ones; a folder ends in one separator. */
function asDirectory(value: string): string {
	const collapsed = value.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
	return collapsed.endsWith('/') ? collapsed : `${collapsed}/`;
}

/**
 * Where Sonarr/Radarr look for a path that the download client reported: the first mapping (in the order the API
 * lists them) whose host equals the download client's host, ignoring case, and whose remote path contains the path
 * (OsPath.Contains: both compared as folders, with a trailing separator, so a mapping of `/downloads/tv/` applies to
 * `/downloads/tv` itself) turns the remote prefix into the local one; no such mapping leaves the path as reported.
 * Sonarr: src/NzbDrone.Core/RemotePathMappings/RemotePathMappingService.cs (RemapRemoteToLocal),
 * src/NzbDrone.Common/Disk/OsPath.cs (Contains, operator -), applied by Download/Clients/QBittorrent/QBittorrent.cs
 * to each torrent's content path and to the category's save path.
 */
export function remapAsSonarr(mappings: ReadonlyArray<{host: string; remotePath: string; localPath: string}>, host: string, reported: string): {path: string; mapping?: {host: string; remotePath: string; localPath: string}} {
	if (!reported.startsWith('/')) {
		return {path: reported};
	}
	const target = asDirectory(reported);
	const mapping = mappings.find(candidate => candidate.host.toLowerCase() === host.toLowerCase() && candidate.remotePath.startsWith('/') && target.startsWith(asDirectory(candidate.remotePath)));
	if (!mapping) {
		return {path: reported};
	}
	const rest = target.slice(asDirectory(mapping.remotePath).length);
	return {path: clean(path.posix.join(mapping.localPath, rest)), mapping};
}
