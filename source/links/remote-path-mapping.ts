// Link: a remote path mapping in Sonarr/Radarr, only where the path checks say one is needed (qBittorrent saves to
// a path that the *arr sees under another name). Where the layout is one shared /data tree, this link plans nothing.
import type {Finding} from '../checks/findings.js';
import type {RemotePathMapping, ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {Desired} from './context.js';
import type {Link} from './link.js';
import {NOT_NEEDED} from '../present/verdict.js';

export interface RemotePathMappingContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	desired: Pick<Desired, 'remotePathMappings' | 'pathsUnknown'>;
	journal: Journal;
}

type Mapping = {host: string; remotePath: string; localPath: string};

interface Payload {
	mapping: Mapping;
	id?: number;
}

const withSlash = (value: string) => (value.endsWith('/') ? value : `${value}/`);

export function remotePathMappingLink(kind: ServarrKind): Link<RemotePathMappingContext, RemotePathMapping[], Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const target = (mapping: Mapping) => `remote path mapping ${mapping.host}:${withSlash(mapping.remotePath)}`;
	return {
		id: `${kind}-remote-path-mapping`,
		title: `${service} remote path mapping (only where the paths differ)`,
		services: [service],

		applicable(context) {
			if (!context.clients[kind]) {
				return `${service} was not found or its API key is missing`;
			}
			if (context.desired.pathsUnknown) {
				return context.desired.pathsUnknown;
			}
			return context.desired.remotePathMappings[kind] ? true : `${NOT_NEEDED}qBittorrent and ${service} see the downloads at the same path`;
		},

		read: context => context.clients[kind]!.remotePathMappings(),

		plan(current, context) {
			const wanted = context.desired.remotePathMappings[kind]!;
			const sameKey = current.find(existing => existing.host === wanted.host && withSlash(existing.remotePath) === withSlash(wanted.remotePath));
			if (!sameKey) {
				return [
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
				return [];
			}
			return [
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
			const present = (await client.remotePathMappings()).find(existing => existing.host === mapping.host && withSlash(existing.remotePath) === withSlash(mapping.remotePath));
			if (!present) {
				const created = await client.addRemotePathMapping({host: mapping.host, remotePath: withSlash(mapping.remotePath), localPath: withSlash(mapping.localPath)});
				return {entryId: created.id, after: created};
			}
			const updated = await client.updateRemotePathMapping({...present, localPath: withSlash(mapping.localPath)});
			return {entryId: updated.id, before: present, after: updated};
		},

		async verify(context) {
			const wanted = context.desired.remotePathMappings[kind];
			if (!wanted) {
				return [];
			}
			const present = (await context.clients[kind]!.remotePathMappings()).some(
				existing => existing.host === wanted.host && withSlash(existing.remotePath) === withSlash(wanted.remotePath) && withSlash(existing.localPath) === withSlash(wanted.localPath),
			);
			const findings: Finding[] = [];
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
