// Link: the Sonarr and Radarr root folders on the media paths (/data/media/tv, /data/media/movies or the user's
// choice). Sonarr/Radarr check on save that the folder exists and that their user can write it (Sonarr src/Sonarr.Api.V3/RootFolders/RootFolderController.cs), so
// a refusal here is the path check's finding seen from inside the service.
import type {Finding} from '../checks/findings.js';
import type {RootFolder, ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {samePath} from './compare.js';
import {unusable} from './unusable.js';

export interface RootFolderContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	desired: Pick<Desired, 'rootFolders' | 'pathsUnknown'>;
	journal: Journal;
}

interface Payload {
	path: string;
}

export function rootFolderLink(kind: ServarrKind): Link<RootFolderContext, RootFolder[], Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const target = (folder: string) => `root folder ${folder}`;
	const wanted = (context: RootFolderContext) => context.desired.rootFolders[kind];
	return {
		id: `${kind}-root-folder`,
		title: `${service} root folder`,
		services: [service],
		needs: {clients: [kind]},

		applicable: context => (!context.clients[kind] ? unusable(kind, context) : (context.desired.pathsUnknown ?? true)),

		read: context => context.clients[kind]!.rootFolders(),

		plan(current, context) {
			const folder = wanted(context);
			if (current.some(existing => samePath(existing.path, folder))) {
				// Other root folders are the user's: arrwire adds, it never removes them.
				return [];
			}
			const others = current.map(existing => existing.path).join(', ');
			return [
				{
					link: this.id,
					service,
					action: 'create',
					target: target(folder),
					fields: [{name: 'path', to: folder}],
					handMade: false,
					reason: others ? `${service} already has ${others}; those stay as they are` : undefined,
					payload: {path: folder},
				},
			];
		},

		async apply(change, context) {
			const client = context.clients[kind]!;
			const present = (await client.rootFolders()).find(existing => samePath(existing.path, change.payload.path));
			if (present) {
				// Someone (or an interrupted run) added it since the plan: adopted, and left in place by undo.
				return {entryId: present.id, before: present, after: present};
			}
			const created = await client.addRootFolder(change.payload.path);
			return {entryId: created.id, after: created};
		},

		async verify(context) {
			const findings: Finding[] = [];
			const folder = wanted(context);
			const found = (await context.clients[kind]!.rootFolders()).find(existing => samePath(existing.path, folder));
			if (!found) {
				findings.push({id: 'link.root-folder-missing', severity: 'error', subject: service, cause: `${service} has no root folder ${folder}.`, fix: 'Run arrwire apply to add it.'});
			} else if (found.accessible === false) {
				findings.push({
					id: 'link.root-folder-inaccessible',
					severity: 'error',
					subject: service,
					cause: `${service} cannot reach its root folder ${folder} (it says the folder is not accessible).`,
					fix: `Create the folder and give ${service}'s user write access to it (arrwire check shows the exact commands).`,
				});
			}
			return findings;
		},

		async undo(entry, context) {
			if (entry.action === 'create' && !entry.before && entry.entryId !== undefined) {
				await context.clients[kind]!.deleteRootFolder(Number(entry.entryId));
			}
		},
	};
}

export const sonarrRootFolderLink = rootFolderLink('sonarr');
export const radarrRootFolderLink = rootFolderLink('radarr');
