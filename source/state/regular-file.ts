// Reading a file someone else may control (a service's config in any user's home, the profile, the journal): only a
// regular file, never through a link, never more than a cap. The checks are made on the open descriptor, so nothing
// can swap the file between the check and the read. A FIFO or a device would never end; a huge file would exhaust memory.
import {constants, type Stats} from 'node:fs';
import {open} from 'node:fs/promises';

export const MiB = 1024 * 1024;

export type ReadOutcome =
	| {ok: true; text: string}
	/** `absent`: missing or not readable by this user (a normal case: another place may have it); else `reason` says why it was refused. */
	| {ok: false; absent: true; denied?: boolean}
	| {ok: false; absent: false; reason: string; link?: boolean};

function whatItIs(stats: Stats): string {
	if (stats.isFIFO()) {
		return 'a FIFO';
	}
	if (stats.isCharacterDevice()) {
		return 'a character device';
	}
	if (stats.isBlockDevice()) {
		return 'a block device';
	}
	if (stats.isSocket()) {
		return 'a socket';
	}
	if (stats.isDirectory()) {
		return 'a folder';
	}
	return 'not a regular file';
}

export function formatSize(bytes: number): string {
	return bytes >= MiB ? `${Math.round(bytes / MiB)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** Reads `file` as UTF-8 when it is a regular file (not a link) of at most `maxBytes`. */
export async function readRegularFile(file: string, maxBytes: number): Promise<ReadOutcome> {
	let handle;
	try {
		// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; O_NOFOLLOW: a link is refused.
		handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ELOOP') {
			return {ok: false, absent: false, reason: 'it is a symbolic link, and arrwire does not follow links', link: true};
		}
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			return {ok: false, absent: true};
		}
		if (code === 'EACCES' || code === 'EPERM') {
			return {ok: false, absent: true, denied: true};
		}
		return {ok: false, absent: false, reason: `it could not be opened (${code ?? 'error'})`};
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) {
			return {ok: false, absent: false, reason: `it is ${whatItIs(stats)}, not a regular file`};
		}
		if (stats.size > maxBytes) {
			return {ok: false, absent: false, reason: `it is ${formatSize(stats.size)}, more than the ${formatSize(maxBytes)} arrwire reads`};
		}
		// The size may grow while it is read: never more than the cap.
		let buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 1));
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				if (buffer.length > maxBytes) {
					return {ok: false, absent: false, reason: `it grew past the ${formatSize(maxBytes)} arrwire reads`};
				}
				const bigger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
				buffer.copy(bigger, 0, 0, length);
				buffer = bigger;
			}
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length, length);
			if (bytesRead === 0) {
				break;
			}
			length += bytesRead;
		}
		return {ok: true, text: buffer.subarray(0, length).toString('utf8')};
	} catch (error) {
		return {ok: false, absent: false, reason: `it could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`};
	} finally {
		await handle.close();
	}
}
