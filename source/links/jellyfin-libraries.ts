// Link: Jellyfin libraries "Shows" (tvshows) and "Movies" (movies) on the folders Sonarr and Radarr fill, watched in
// real time (EnableRealtimeMonitor) so that an import shows up at once, not at the next scheduled scan.
// Jellyfin does not refuse a name that exists (it makes "Movies2", Jellyfin Emby.Server.Implementations/Library/LibraryManager.cs), so every write re-reads first;
// a library of the right type that already holds the folder is enough, whatever its name.
import type {Finding} from '../checks/findings.js';
import {watchLimitFinding} from '../checks/inotify.js';
import {isLocalHost, toHostPath} from '../checks/mounts.js';
import {dashboardLibraryOptions, type JellyfinClient, type JellyfinVirtualFolder} from '../services/jellyfin.js';
import type {Journal} from '../state/journal.js';
import type {Change} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {normalPath} from './compare.js';
import {viewOf} from './desired.js';
import {unusable} from './unusable.js';

export interface JellyfinLibrariesContext {
	clients: {jellyfin?: JellyfinClient};
	/** Where Jellyfin runs: on this machine (or in a container here), its watch limit is this machine's. */
	services?: Pick<StackServices, 'jellyfin'>;
	/** The library folders, as Jellyfin sees them. */
	desired: Pick<Desired, 'libraries' | 'pathsUnknown'>;
	journal: Journal;
}

type LibraryType = 'tvshows' | 'movies';

interface WantedLibrary {
	name: string;
	collectionType: LibraryType;
	path: string;
}

/** `monitor`: real-time monitoring is to be turned on in that library. */
type Payload = WantedLibrary & {monitor?: boolean};

/** What is journalled as before/after: the library as Jellyfin lists it (no secrets in it). */
export interface LibrarySnapshot {
	name: string;
	collectionType?: string;
	locations: string[];
	realtimeMonitor?: boolean;
}

export const libraryTarget = (name: string) => `library "${name}"`;

function wanted(context: JellyfinLibrariesContext): WantedLibrary[] {
	return [
		{name: 'Shows', collectionType: 'tvshows', path: context.desired.libraries.tv},
		{name: 'Movies', collectionType: 'movies', path: context.desired.libraries.movies},
	];
}

function holds(folder: JellyfinVirtualFolder, path: string): boolean {
	return (folder.Locations ?? []).some(location => normalPath(location) === normalPath(path));
}

/** A library of the wanted type that holds the folder: enough, whatever it is called. */
function serving(folders: JellyfinVirtualFolder[], library: WantedLibrary): JellyfinVirtualFolder | undefined {
	return folders.find(folder => folder.CollectionType === library.collectionType && holds(folder, library.path));
}

/**
 * The name to create under: the wanted one, unless a library of another type has it (a library's type cannot be
 * changed, and a second one of the same name would become "<name>2").
 */
function freeName(folders: JellyfinVirtualFolder[], library: WantedLibrary): string {
	const taken = (name: string) => folders.some(folder => folder.Name === name);
	if (!taken(library.name)) {
		return library.name;
	}
	for (let attempt = 1; ; attempt++) {
		const name = attempt === 1 ? `${library.name} (arrwire)` : `${library.name} (arrwire ${attempt})`;
		if (!taken(name)) {
			return name;
		}
	}
}

function snapshot(folder: JellyfinVirtualFolder): LibrarySnapshot {
	return {
		name: folder.Name,
		collectionType: folder.CollectionType ?? undefined,
		locations: [...(folder.Locations ?? [])],
		realtimeMonitor: folder.LibraryOptions?.EnableRealtimeMonitor,
	};
}

/** Real-time monitoring is known to be off (a library listed without its options is not judged). */
function unmonitored(folder: JellyfinVirtualFolder): boolean {
	return folder.LibraryOptions?.EnableRealtimeMonitor === false;
}

const monitorField = {name: 'real-time monitoring', from: false, to: true};

/** Turns real-time monitoring on or off, keeping every other option as Jellyfin lists it (the update replaces them all). */
async function setRealtimeMonitor(jellyfin: JellyfinClient, folder: JellyfinVirtualFolder, on: boolean): Promise<void> {
	if (!folder.ItemId) {
		throw new Error(`Jellyfin lists ${libraryTarget(folder.Name)} without its id, so its options cannot be changed`);
	}
	await jellyfin.updateLibraryOptions(folder.ItemId, {...folder.LibraryOptions, EnableRealtimeMonitor: on});
}

/**
 * The libraries Jellyfin watches in real time, with their folders as this machine sees them; undefined when Jellyfin
 * runs elsewhere (its watch limit is another machine's). A folder outside Jellyfin's mounts is left out.
 */
function watchedOnThisMachine(folders: JellyfinVirtualFolder[], context: JellyfinLibrariesContext): Array<{name: string; hostPaths: string[]}> | undefined {
	const service = context.services?.jellyfin;
	if (!service || (!service.container && !isLocalHost(service.host))) {
		return undefined;
	}
	const view = viewOf(service);
	return folders
		.filter(folder => folder.LibraryOptions?.EnableRealtimeMonitor === true)
		.map(folder => ({name: folder.Name ?? '', hostPaths: (folder.Locations ?? []).flatMap(location => toHostPath(view, location) ?? [])}));
}

export const jellyfinLibrariesLink: Link<JellyfinLibrariesContext, JellyfinVirtualFolder[], Payload> = {
	id: 'jellyfin-libraries',
	title: 'Jellyfin libraries for TV shows and movies',
	services: ['Jellyfin'],
	needs: {clients: ['jellyfin']},

	applicable: context => (!context.clients.jellyfin ? unusable('jellyfin', context) : (context.desired.pathsUnknown ?? true)),

	read: context => context.clients.jellyfin!.virtualFolders(),

	plan(current, context) {
		const changes: Change<Payload>[] = [];
		for (const library of wanted(context)) {
			const found = serving(current, library);
			if (found) {
				if (unmonitored(found)) {
					const target = libraryTarget(found.Name);
					changes.push({
						link: this.id,
						service: 'Jellyfin',
						action: 'update',
						target,
						fields: [monitorField],
						handMade: !context.journal.createdByArrwire('Jellyfin', target),
						reason: `without real-time monitoring, what Sonarr/Radarr import into ${library.path} shows up only after the next scheduled library scan`,
						payload: {...library, name: found.Name, monitor: true},
					});
				}
				continue;
			}
			const named = current.find(folder => folder.Name === library.name && folder.CollectionType === library.collectionType);
			if (named) {
				const target = libraryTarget(named.Name);
				const monitor = unmonitored(named);
				changes.push({
					link: this.id,
					service: 'Jellyfin',
					action: 'update',
					target,
					fields: [{name: 'folders', from: named.Locations ?? [], to: [...(named.Locations ?? []), library.path]}, ...(monitor ? [monitorField] : [])],
					handMade: !context.journal.createdByArrwire('Jellyfin', target),
					reason: `Jellyfin shows what is in ${library.path} only when a ${library.collectionType} library holds that folder`,
					payload: {...library, name: named.Name, monitor},
				});
				continue;
			}
			const name = freeName(current, library);
			const sameName = current.find(folder => folder.Name === library.name);
			changes.push({
				link: this.id,
				service: 'Jellyfin',
				action: 'create',
				target: libraryTarget(name),
				fields: [
					{name: 'content type', to: library.collectionType},
					{name: 'folder', to: library.path},
					{name: 'real-time monitoring', to: true},
				],
				handMade: false,
				reason:
					sameName && name !== library.name
						? `the library "${library.name}" holds ${sameName.CollectionType ?? 'mixed'} content, and a library's content type cannot be changed`
						: undefined,
				payload: {...library, name},
			});
		}
		return changes;
	},

	async apply(change, context) {
		const jellyfin = context.clients.jellyfin!;
		const library = change.payload;
		// Re-read: a library made since the plan (a re-run, the user) is adopted, never duplicated as "<name>2".
		const folders = await jellyfin.virtualFolders();
		const reread = async (name: string) => (await jellyfin.virtualFolders()).find(folder => folder.Name === name);
		const already = serving(folders, library);
		if (already) {
			if (!library.monitor || !unmonitored(already)) {
				return {entryId: already.Name, before: snapshot(already), after: snapshot(already)};
			}
			await setRealtimeMonitor(jellyfin, already, true);
			// What was imported while nobody watched shows up now, not at the next scheduled scan.
			await jellyfin.refreshLibrary();
			const after = await reread(already.Name);
			return {entryId: already.Name, before: snapshot(already), after: after ? snapshot(after) : undefined};
		}
		const named = folders.find(folder => folder.Name === library.name);
		if (named && named.CollectionType === library.collectionType) {
			// With a scan, as the dashboard adds a folder: what is already in it shows up at once.
			await jellyfin.addPathToVirtualFolder(named.Name, library.path, true);
			if (library.monitor && unmonitored(named)) {
				const withPath = await reread(named.Name);
				if (withPath) {
					await setRealtimeMonitor(jellyfin, withPath, true);
				}
			}
			const after = await reread(named.Name);
			return {entryId: named.Name, before: snapshot(named), after: after ? snapshot(after) : undefined};
		}
		if (change.action === 'update') {
			throw new Error(`Jellyfin's ${libraryTarget(library.name)} was deleted or changed since the plan; run arrwire again`);
		}
		if (named) {
			throw new Error(`Jellyfin has a library "${library.name}" of another content type since the plan; run arrwire again`);
		}
		// As the dashboard does it: its default options (real-time monitoring on) and a first scan started at once.
		await jellyfin.addVirtualFolder({
			name: library.name,
			collectionType: library.collectionType,
			paths: [library.path],
			refreshLibrary: true,
			options: dashboardLibraryOptions,
		});
		const created = (await jellyfin.virtualFolders()).find(folder => folder.Name === library.name);
		if (!created) {
			throw new Error(`Jellyfin accepted ${libraryTarget(library.name)} but does not list it`);
		}
		return {entryId: created.Name, after: snapshot(created)};
	},

	async verify(context) {
		const findings: Finding[] = [];
		const folders = await context.clients.jellyfin!.virtualFolders();
		for (const library of wanted(context)) {
			const found = serving(folders, library);
			if (found) {
				if (unmonitored(found)) {
					findings.push({
						id: 'link.jellyfin-library-not-monitored',
						severity: 'warning',
						subject: 'Jellyfin',
						cause: `Jellyfin's library "${found.Name}" does not watch ${library.path} in real time: imports show up only after the next scheduled scan.`,
						fix: `Run arrwire apply, or in Jellyfin: Dashboard → Libraries → "${found.Name}" → Manage library → tick "Enable real time monitoring".`,
					});
				}
				continue;
			}
			const elsewhere = folders.find(folder => holds(folder, library.path));
			findings.push({
				id: 'link.jellyfin-library-missing',
				severity: 'error',
				subject: 'Jellyfin',
				cause: elsewhere
					? `${library.path} is in Jellyfin's library "${elsewhere.Name}", which holds ${elsewhere.CollectionType ?? 'mixed'} content, not ${library.collectionType}.`
					: `No Jellyfin ${library.collectionType} library holds ${library.path}: what Sonarr/Radarr import there does not show up.`,
				evidence: folders.map(folder => `${folder.Name} (${folder.CollectionType ?? 'mixed'}): ${(folder.Locations ?? []).join(', ') || '(no folders)'}`),
				fix: 'Run arrwire apply to add the library, or add the folder in Jellyfin (Dashboard → Libraries).',
			});
		}
		const watched = watchedOnThisMachine(folders, context);
		const overLimit = watched && watchLimitFinding(watched);
		if (overLimit) {
			findings.push(overLimit);
		}
		return findings;
	},

	async undo(entry, context) {
		const jellyfin = context.clients.jellyfin!;
		const name = String(entry.entryId);
		const before = entry.before as LibrarySnapshot | undefined;
		if (entry.action === 'create' && !before) {
			const present = (await jellyfin.virtualFolders()).some(folder => folder.Name === name);
			if (present) {
				await jellyfin.removeVirtualFolder(name);
			}
			return;
		}
		if (!before) {
			return;
		}
		// An added folder is taken out again, real-time monitoring turned off again if it was off; a library that was
		// only adopted is left as it was.
		const now = (await jellyfin.virtualFolders()).find(folder => folder.Name === name);
		if (now && before.realtimeMonitor === false && now.LibraryOptions?.EnableRealtimeMonitor === true) {
			await setRealtimeMonitor(jellyfin, now, false);
		}
		const kept = new Set(before.locations.map(normalPath));
		for (const location of now?.Locations ?? []) {
			if (!kept.has(normalPath(location))) {
				await jellyfin.removePathFromVirtualFolder(name, location);
			}
		}
	},
};
