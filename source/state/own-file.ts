// arrwire's own files (the profile and the journal): read only as regular files, never through a link; written
// through a fresh temporary file in the same folder (created exclusively, so nothing planted there is written
// through), then renamed over the old one (a rename replaces a link, it never writes through it). The file is
// 0600 and arrwire's folder 0700 after every write, whatever they were before: the profile can hold secrets.
import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {chmod, lstat, mkdir, open, rename, stat, unlink} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {readRegularFile} from './regular-file.js';

/** `~/.config/arrwire/profile.json` for a file in the user's home: what the user recognises. */
export function displayPath(file: string): string {
	const home = homedir();
	return home && home !== '/' && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function linkRefused(file: string): Error {
	return new Error(
		`${displayPath(file)} is a symbolic link; arrwire does not follow links for its own files (a link could make it read or overwrite another file). Remove the link and run again.`,
	);
}

/**
 * Reads one of arrwire's own files: undefined when there is none; an Error that says why when it is a link, not a
 * regular file, too big or not readable. Its content never goes into a message.
 */
export async function readOwnFile(file: string, maxBytes: number): Promise<string | undefined> {
	const read = await readRegularFile(file, maxBytes);
	if (read.ok) {
		return read.text;
	}
	if (read.absent) {
		if (read.denied) {
			throw new Error(`${displayPath(file)} is not readable by this user; run arrwire as the user who owns it.`);
		}
		return undefined;
	}
	if (read.link) {
		throw linkRefused(file);
	}
	throw new Error(`${displayPath(file)} was not read: ${read.reason}. Move it away and run again.`);
}

/** Only arrwire's own folder is tightened (a profile kept elsewhere, e.g. in /tmp, must not change that folder). */
function isOwnFolder(folder: string): boolean {
	return path.basename(folder) === 'arrwire';
}

/** One of arrwire's own files that could not be written: which, why in words, and what to do. */
export class OwnFileError extends Error {
	readonly file: string;
	readonly problem: string;
	readonly fix: string;
	/** The system's code (EACCES…), for logs; never the whole message. */
	readonly code?: string;

	constructor(file: string, problem: string, fix: string, code?: string) {
		super(`${displayPath(file)} was not saved: ${problem}.\n  fix: ${fix}`);
		this.name = 'OwnFileError';
		this.file = file;
		this.problem = problem;
		this.fix = fix;
		this.code = code;
	}
}

const ELSEWHERE = 'or set XDG_CONFIG_HOME to a folder of yours (arrwire keeps its files in $XDG_CONFIG_HOME/arrwire)';

/** The first part of `folder` (itself or a parent) that exists and is not a folder. */
async function fileInTheWay(folder: string): Promise<string | undefined> {
	for (let at = folder; ; at = path.dirname(at)) {
		const stats = await stat(at).catch(() => undefined);
		if (stats) {
			return stats.isDirectory() ? undefined : at;
		}
		if (path.dirname(at) === at) {
			return undefined;
		}
	}
}

/** The system's failure to write `file`, in words: the problem and its fix. */
export async function explained(file: string, error: NodeJS.ErrnoException): Promise<OwnFileError> {
	const folder = path.dirname(file);
	const code = error.code;
	switch (code) {
		case 'ENOTDIR':
		case 'EEXIST': {
			const inTheWay = (await fileInTheWay(folder)) ?? folder;
			return new OwnFileError(file, `${displayPath(inTheWay)} is a file, not a folder`, `Move ${displayPath(inTheWay)} away, ${ELSEWHERE}.`, code);
		}
		case 'EACCES':
		case 'EPERM': {
			// The nearest folder that exists is the one that refused.
			let refusing = folder;
			while (!(await stat(refusing).catch(() => undefined)) && path.dirname(refusing) !== refusing) {
				refusing = path.dirname(refusing);
			}
			return new OwnFileError(
				file,
				`this user may not write in ${displayPath(refusing)}`,
				`Make ${displayPath(refusing)} writable by this user (after a run with sudo: sudo chown -R "$USER" ${displayPath(refusing)}), ${ELSEWHERE}.`,
				code,
			);
		}
		case 'EISDIR':
			return new OwnFileError(file, 'a folder has that name', `Move the folder ${displayPath(file)} away, then run again.`, code);
		case 'EROFS':
			return new OwnFileError(file, `${displayPath(folder)} is on a read-only file system`, `Run arrwire where its config folder can be written, ${ELSEWHERE}.`, code);
		case 'ENOSPC':
		case 'EDQUOT':
			return new OwnFileError(file, 'the disk (or this user\'s quota) is full', 'Free some space, then run again.', code);
		default:
			return new OwnFileError(file, `the system refused (${code ?? String(error)})`, `Check that ${displayPath(folder)} is a folder this user can write in, ${ELSEWHERE}.`, code);
	}
}

/** Writes `text` to `file` (mode 0600) atomically; its folder is created 0700, and tightened to 0700 if it is arrwire's own. */
export async function writeOwnFile(file: string, text: string): Promise<void> {
	try {
		await writeAtomically(file, text);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw typeof code === 'string' ? await explained(file, error as NodeJS.ErrnoException) : error;
	}
}

async function writeAtomically(file: string, text: string): Promise<void> {
	const folder = path.dirname(file);
	await mkdir(folder, {recursive: true, mode: 0o700});
	if (isOwnFolder(folder)) {
		const stats = await lstat(folder);
		if (stats.isSymbolicLink()) {
			throw linkRefused(folder);
		}
		if ((stats.mode & 0o777) !== 0o700) {
			await chmod(folder, 0o700);
		}
	}
	const existing = await lstat(file).catch(() => undefined);
	if (existing?.isSymbolicLink()) {
		throw linkRefused(file);
	}
	// A fresh random name, created exclusively and not through a link: whatever was planted at that name makes it fail.
	let temporary = '';
	let handle;
	for (let attempt = 0; !handle; attempt++) {
		temporary = path.join(folder, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
		try {
			handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) {
				throw error;
			}
		}
	}
	try {
		// The umask may have taken bits away, never added any; set exactly 0600 on the descriptor, not by name.
		await handle.chmod(0o600);
		await handle.writeFile(text, 'utf8');
		await handle.sync();
	} catch (error) {
		await handle.close();
		await unlink(temporary).catch(() => undefined);
		throw error;
	}
	await handle.close();
	try {
		await rename(temporary, file);
	} catch (error) {
		await unlink(temporary).catch(() => undefined);
		throw error;
	}
}
