// Jellyfin's real-time monitoring watches every folder of a monitored library with inotify: one watch per folder
// (.NET's FileSystemWatcher with IncludeSubdirectories on Linux, behind Emby.Server.Implementations/IO/LibraryMonitor.cs).
// The kernel allows each user fs.inotify.max_user_watches of them, whatever container the user runs in; past it, new
// folders are not watched, and their imports show up only at the next scheduled scan.
import {opendirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Finding} from './findings.js';

export const WATCH_LIMIT_FILE = '/proc/sys/fs/inotify/max_user_watches';
/** What the fix sets: the value most distributions now ship (systemd 247+) and Jellyfin's documentation suggests. */
const SUGGESTED_LIMIT = 524_288;
/** Other programs of the same user watch folders too: a library that needs more than this share is reported. */
const SHARE = 0.9;

/** The limit on this machine, or undefined where it cannot be read (not Linux, /proc not mounted). */
export function watchLimit(file = WATCH_LIMIT_FILE): number | undefined {
	try {
		const value = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
		return Number.isFinite(value) && value > 0 ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The folders under `roots` (the roots too), counted up to `cap`: the walk stops there, so a huge library costs no
 * more than the limit it is held against. Links are not followed (inotify watches what it is given, not their targets).
 */
export function countFolders(roots: string[], cap: number): {count: number; unreadable: string[]} {
	let count = 0;
	const unreadable: string[] = [];
	const pending = [...roots];
	while (pending.length > 0 && count < cap) {
		const folder = pending.pop()!;
		let directory;
		try {
			directory = opendirSync(folder);
		} catch {
			unreadable.push(folder);
			continue;
		}
		count++;
		try {
			for (let entry = directory.readSync(); entry; entry = directory.readSync()) {
				if (entry.isDirectory()) {
					pending.push(path.join(folder, entry.name));
				}
			}
		} finally {
			directory.closeSync();
		}
	}
	return {count: Math.min(count, cap), unreadable};
}

/**
 * A warning when the monitored libraries (host paths) hold more folders than this machine lets one user watch, with
 * the sysctl that raises the limit; nothing when they fit or when the limit cannot be read.
 */
export function watchLimitFinding(libraries: Array<{name: string; hostPaths: string[]}>, limit = watchLimit()): Finding | undefined {
	if (limit === undefined || libraries.length === 0) {
		return undefined;
	}
	const needed = countFolders(libraries.flatMap(library => library.hostPaths), limit + 1).count;
	if (needed <= limit * SHARE) {
		return undefined;
	}
	const names = libraries.map(library => `"${library.name}"`).join(', ');
	return {
		id: 'link.jellyfin-watch-limit',
		severity: 'warning',
		subject: 'Jellyfin',
		cause: `Jellyfin watches each folder of its libraries ${names} in real time, one inotify watch per folder: they hold ${needed > limit ? `more than ${limit}` : needed} folders, and this machine allows ${limit} watches per user (fs.inotify.max_user_watches). Folders past the limit are not watched: what is imported there shows up only at the next scheduled scan.`,
		evidence: [`${WATCH_LIMIT_FILE}: ${limit}`],
		fix: `Raise the limit on this machine (containers share it): echo fs.inotify.max_user_watches=${SUGGESTED_LIMIT} | sudo tee /etc/sysctl.d/60-inotify-watches.conf && sudo sysctl --system; then restart Jellyfin.`,
	};
}
