// Link: a remote path mapping in Sonarr/Radarr, only where the path checks say one is needed (qBittorrent saves to
// a path that the *arr sees under another name). Sonarr applies the first matching mapping to every path qBittorrent
// reports, needed or not, so a mapping that would send the downloads elsewhere (a stale one on a shared /data tree)
// is proposed for deletion.
import type {Finding} from '../checks/findings.js';
import type {RemotePathMapping, ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {Desired, StackServices} from './context.js';
import type {Change} from './change.js';
import type {Link} from './link.js';
import {NOT_NEEDED} from '../present/verdict.js';
import {remapAsSonarr} from '../checks/mounts.js';
import {unusable} from './unusable.js';

export interface RemotePathMappingContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	/** downloads and addresses: where qBittorrent saves and the host the *arr names it by, to find mappings that break imports. */
	desired: Pick<Desired, 'remotePathMappings' | 'pathsUnknown'> & Partial<Pick<Desired, 'downloads' | 'addresses'>>;
	journal: Journal;
}

type Mapping = {host: string; remotePath: string; localPath: string};

interface Payload {
	mapping: Mapping;
	id?: number;
}

const withSlash = (value: string) => (value.endsWith('/') ? value : `${value}/`);

/**
 * The mappings that Sonarr would apply to qBittorrent's download folder before the wanted one (or instead of none),
 * each sending it somewhere else: removed one by one in the order Sonarr tries them, until the folder lands where the
 * *arr sees it.
 */
function breakingMappings(kind: ServarrKind, current: RemotePathMapping[], desired: RemotePathMappingContext['desired']): RemotePathMapping[] {
	const downloads = desired.downloads?.[kind === 'sonarr' ? 'tv' : 'movies'];
	const host = desired.addresses?.[`${kind}->qbittorrent`]?.host;
	if (!downloads || !host) {
		return [];
	}
	const wanted = desired.remotePathMappings[kind];
	const expected = wanted ? remapAsSonarr([wanted], wanted.host, downloads).path : remapAsSonarr([], host, downloads).path;
	// The wanted mapping as apply leaves it: an existing entry of the same key is updated in place, a new one is last.
	let list: Mapping[] = current.map(existing => (wanted && sameKey(existing, wanted) ? {...existing, localPath: wanted.localPath} : existing));
	if (wanted && !current.some(existing => sameKey(existing, wanted))) {
		list = [...list, wanted];
	}
	const breaking: RemotePathMapping[] = [];
	while (true) {
		const remapped = remapAsSonarr(list, host, downloads);
		const entry = remapped.mapping && current.find(existing => existing.host === remapped.mapping!.host && existing.remotePath === remapped.mapping!.remotePath && existing.localPath === remapped.mapping!.localPath);
		if (!remapped.mapping || remapped.path === expected || !entry || (wanted && sameKey(entry, wanted))) {
			return breaking;
		}
		breaking.push(entry);
		list = list.filter(candidate => candidate !== remapped.mapping);
	}
}

function sameKey(a: Mapping, b: Mapping): boolean {
	return a.host === b.host && withSlash(a.remotePath) === withSlash(b.remotePath);
}

export function remotePathMappingLink(kind: ServarrKind): Link<RemotePathMappingContext, RemotePathMapping[], Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const target = (mapping: Mapping) => `remote path mapping ${mapping.host}:${withSlash(mapping.remotePath)}`;
	return {
		id: `${kind}-remote-path-mapping`,
		title: `${service} remote path mapping (only where the paths differ)`,
		services: [service],

		applicable(context) {
			if (!context.clients[kind]) {
				return unusable(kind, context);
			}
			if (context.desired.pathsUnknown) {
				return context.desired.pathsUnknown;
			}
			if (context.desired.remotePathMappings[kind]) {
				return true;
			}
			// No mapping is needed, but a stale one may still be there and must be looked for.
			return context.desired.downloads && context.desired.addresses?.[`${kind}->qbittorrent`] ? true : `${NOT_NEEDED}qBittorrent and ${service} see the downloads at the same path`;
		},

		read: context => context.clients[kind]!.remotePathMappings(),

		plan(current, context) {
			const removals: Change<Payload>[] = breakingMappings(kind, current, context.desired).map(entry => ({
				link: this.id,
				service,
				action: 'delete',
				target: target(entry),
				fields: [
					{name: 'remote path', from: entry.remotePath},
					{name: 'local path', from: entry.localPath},
				],
				handMade: !context.journal.createdByArrwire(service, target(entry), entry.id),
				reason: `${service} applies it to every path qBittorrent reports under ${withSlash(entry.remotePath)} (first matching mapping wins), so imports look in ${withSlash(entry.localPath)}, where ${service} does not see the downloads`,
				payload: {mapping: {host: entry.host, remotePath: entry.remotePath, localPath: entry.localPath}, id: entry.id},
			}));
			const wanted = context.desired.remotePathMappings[kind];
			if (!wanted) {
				return removals;
			}
			const sameKey = current.find(existing => existing.host === wanted.host && withSlash(existing.remotePath) === withSlash(wanted.remotePath));
			if (!sameKey) {
				return [
					...removals,
					{
						link: this.id,
						service,
						action: 'create',
						target: target(wanted),
						fields: [
							{name: 'host', to: wanted.host},
							{name: 'remote path', to: withSlash(wanted.remotePath)},
							{name: 'local path', to: withSlash(wanted.localPath)},
						],
						handMade: false,
						reason: `qBittorrent saves downloads under ${withSlash(wanted.remotePath)}, which ${service} sees as ${withSlash(wanted.localPath)}`,
						payload: {mapping: wanted},
					},
				];
			}
			if (withSlash(sameKey.localPath) === withSlash(wanted.localPath)) {
				return removals;
			}
			return [
				...removals,
				{
					link: this.id,
					service,
					action: 'update',
					target: target(wanted),
					fields: [{name: 'local path', from: sameKey.localPath, to: withSlash(wanted.localPath)}],
					handMade: !context.journal.createdByArrwire(service, target(wanted)),
					payload: {mapping: wanted, id: sameKey.id},
				},
			];
		},

		async apply(change, context) {
			const client = context.clients[kind]!;
			const {mapping} = change.payload;
			if (change.action === 'delete') {
				const existing = (await client.remotePathMappings()).find(candidate => candidate.id === change.payload.id);
				if (existing) {
					await client.deleteRemotePathMapping(existing.id);
				}
				return {entryId: change.payload.id, before: existing ?? {...mapping, id: change.payload.id}};
			}
			const present = (await client.remotePathMappings()).find(existing => existing.host === mapping.host && withSlash(existing.remotePath) === withSlash(mapping.remotePath));
			if (!present) {
				const created = await client.addRemotePathMapping({host: mapping.host, remotePath: withSlash(mapping.remotePath), localPath: withSlash(mapping.localPath)});
				return {entryId: created.id, after: created};
			}
			const updated = await client.updateRemotePathMapping({...present, localPath: withSlash(mapping.localPath)});
			return {entryId: updated.id, before: present, after: updated};
		},

		async verify(context) {
			const current = await context.clients[kind]!.remotePathMappings();
			const findings: Finding[] = breakingMappings(kind, current, context.desired).map(entry => ({
				id: 'link.remote-path-mapping-wrong',
				severity: 'error',
				subject: `${service} -> qBittorrent`,
				cause: `${service}'s remote path mapping ${entry.remotePath} -> ${entry.localPath} (host ${entry.host}) sends every import of qBittorrent's downloads to a folder ${service} does not see: imports fail with "path does not exist or is not accessible".`,
				fix: `Delete it (Settings → Download Clients → Remote Path Mappings), or let arrwire apply do it.`,
			}));
			const wanted = context.desired.remotePathMappings[kind];
			if (!wanted) {
				return findings;
			}
			const present = current.some(
				existing => existing.host === wanted.host && withSlash(existing.remotePath) === withSlash(wanted.remotePath) && withSlash(existing.localPath) === withSlash(wanted.localPath),
			);
			if (!present) {
				findings.push({
					id: 'link.remote-path-mapping-missing',
					severity: 'error',
					subject: `${service} -> qBittorrent`,
					cause: `${service} has no remote path mapping from ${wanted.remotePath} to ${wanted.localPath}: imports of finished downloads will fail.`,
					fix: 'Run arrwire apply to add it, or mount the downloads at the same path in both containers (the one /data tree).',
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const client = context.clients[kind]!;
			if (entry.action === 'delete') {
				// Sonarr gives the entry a new id, so it comes back last in the list.
				const before = entry.before as RemotePathMapping;
				await client.addRemotePathMapping({host: before.host, remotePath: before.remotePath, localPath: before.localPath});
				return;
			}
			if (entry.action === 'create' && !entry.before) {
				await client.deleteRemotePathMapping(Number(entry.entryId));
				return;
			}
			const before = entry.before as RemotePathMapping | undefined;
			if (before) {
				await client.updateRemotePathMapping(before);
			}
		},
	};
}

export const sonarrRemotePathMappingLink = remotePathMappingLink('sonarr');
export const radarrRemotePathMappingLink = remotePathMappingLink('radarr');
