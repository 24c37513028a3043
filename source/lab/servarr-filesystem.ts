// GET /api/v3/filesystem of Sonarr and Radarr, answered from the real disk as this process sees it (in a lab
// container: through its mounts), the way Sonarr src/NzbDrone.Common/Disk/FileSystemLookupService.cs does it.
import {readdirSync, statSync, type Stats} from 'node:fs';
import path from 'node:path';

interface FileSystemModel {
	type: 'folder' | 'file';
	name: string;
	path: string;
	extension?: string;
	size: number;
	lastModified?: string;
}

export interface FileSystemResult {
	parent?: string;
	directories: FileSystemModel[];
	files: FileSystemModel[];
}

// src/NzbDrone.Common/Disk/SpecialFolders.cs: folders the listing leaves out, compared lower-case.
const SPECIAL_FOLDERS = new Set([
	'boot',
	'bootmgr',
	'cache',
	'msocache',
	'recovery',
	'$recycle.bin',
	'recycler',
	'system volume information',
	'temporary internet files',
	'windows',
	'.fseventd',
	'.spotlight',
	'.trashes',
	'.vol',
	'cachedmessages',
	'caches',
	'trash',
	'.@__thumb',
	'@eadir',
	'#recycle',
]);

/**
 * LookupContents(query, includeFiles, allowFoldersWithoutTrailingSlashes): an empty query is `/`; without a trailing
 * separator the query is cut back to its last one (the UI types a path letter by letter), unless the flag is set and
 * the folder exists. A missing or unreadable folder gives only its parent; a query without a separator, nothing.
 */
export function lookupContents(query: string, includeFiles: boolean, allowFoldersWithoutTrailingSlashes: boolean): FileSystemResult {
	const asked = query.trim() === '' ? '/' : query;
	if (allowFoldersWithoutTrailingSlashes && path.isAbsolute(asked) && isFolder(asked)) {
		return result(asked, includeFiles);
	}
	const last = asked.lastIndexOf('/');
	return last === -1 ? {directories: [], files: []} : result(asked.slice(0, last + 1), includeFiles);
}

function isFolder(folder: string): boolean {
	try {
		return statSync(folder).isDirectory();
	} catch {
		return false;
	}
}

/** GetResult: DirectoryNotFound, IO and UnauthorizedAccess exceptions all leave only the parent. */
function result(folder: string, includeFiles: boolean): FileSystemResult {
	const parent = parentOf(folder);
	let entries: Array<{name: string; stats: Stats}>;
	try {
		// DirectoryInfo.GetDirectories()/GetFiles(): every entry, hidden ones too; a broken link is skipped here.
		entries = readdirSync(folder).flatMap(name => {
			try {
				return [{name, stats: statSync(path.join(folder, name))}];
			} catch {
				return [];
			}
		});
	} catch {
		return {...(parent === undefined ? {} : {parent}), directories: [], files: []};
	}
	const byName = (a: {name: string}, b: {name: string}) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
	const full = (name: string) => path.join(folder, name);
	const directories = entries
		.filter(entry => entry.stats.isDirectory() && !SPECIAL_FOLDERS.has(entry.name.toLowerCase()))
		.sort(byName)
		.map((entry): FileSystemModel => ({type: 'folder', name: entry.name, path: `${full(entry.name)}/`, size: 0, lastModified: entry.stats.mtime.toISOString()}));
	const files = includeFiles
		? entries
				.filter(entry => entry.stats.isFile())
				.sort(byName)
				.map((entry): FileSystemModel => ({type: 'file', name: entry.name, path: full(entry.name), extension: path.extname(entry.name), size: entry.stats.size, lastModified: entry.stats.mtime.toISOString()}))
		: [];
	return {...(parent === undefined ? {} : {parent}), directories, files};
}

/** GetParent: the parent folder with a trailing separator; '' for a root other than `/`; none (null, left out) for `/`. */
function parentOf(folder: string): string | undefined {
	const resolved = path.resolve(folder);
	if (resolved === '/') {
		return folder === '/' ? undefined : '';
	}
	const parent = path.dirname(resolved);
	return parent.endsWith('/') ? parent : `${parent}/`;
}
