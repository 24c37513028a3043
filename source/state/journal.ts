// The journal of applied changes: what each run changed (before and after), so `arrwire undo` can reverse the
// last run in reverse order. One JSON file in the config dir, mode 0600, written after every change so a run
// killed half-way is still recorded. Secrets are not kept: a secret field is stored as "changed", never its value.
import {constants, unlinkSync} from 'node:fs';
import {mkdir, open, unlink} from 'node:fs/promises';
import path from 'node:path';
import * as z from '../services/schema.js';
import {displayPath, explained, OwnFileError, readOwnFile, writeOwnFile} from './own-file.js';
import {configDirectory} from './profile.js';
import {MiB} from './regular-file.js';

/** Every run's before and after: far below this; more is not a journal arrwire wrote. */
const JOURNAL_CAP = 32 * MiB;

const entrySchema = z.object({
	at: z.string(),
	link: z.string(),
	service: z.string(),
	action: z.enum(['create', 'update', 'delete']),
	target: z.string(),
	/** The service's own id of the entry, when it has one. */
	entryId: z.optional(z.union([z.string(), z.number()])),
	/** The entry before and after, with secret fields removed. */
	before: z.optional(z.unknown()),
	after: z.optional(z.unknown()),
	undone: z.optional(z.boolean()),
});
export type JournalEntry = z.infer<typeof entrySchema>;

const runSchema = z.object({id: z.string(), startedAt: z.string(), command: z.string(), entries: z.array(entrySchema)});
export type JournalRun = z.infer<typeof runSchema>;

const journalSchema = z.object({version: z.literal(1), runs: z.array(runSchema)});
export type JournalFile = z.infer<typeof journalSchema>;

export function journalPath(env?: NodeJS.ProcessEnv): string {
	return path.join(configDirectory(env), 'journal.json');
}

export class Journal {
	readonly file: string;
	private data: JournalFile = {version: 1, runs: []};

	private constructor(file: string) {
		this.file = file;
	}

	static async open(file = journalPath()): Promise<Journal> {
		const journal = new Journal(file);
		const text = await readOwnFile(file, JOURNAL_CAP);
		if (text === undefined) {
			return journal;
		}
		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			// Not the parser's message: it quotes the file's content.
			throw new Error(`The journal ${displayPath(file)} is not valid JSON; move it away to start a new one.`);
		}
		const parsed = journalSchema.safeParse(data);
		if (!parsed.success) {
			throw new Error(`The journal ${displayPath(file)} is not one arrwire can read; move it away to start a new one.`);
		}
		journal.data = parsed.data;
		return journal;
	}

	get runs(): readonly JournalRun[] {
		return this.data.runs;
	}

	/** The last run that changed something and is not undone yet. */
	lastRun(): JournalRun | undefined {
		return [...this.data.runs].reverse().find(run => run.entries.some(entry => !entry.undone));
	}

	/**
	 * Entries that arrwire created (and did not undo): the rule for "made by arrwire, not by hand". The target must
	 * match, and with the entry's id the id too: a user's own entry that took the name of one arrwire made and the
	 * user deleted is still the user's. (SQLite may give a new row a deleted row's id, hence both.) `evenUndone`: for
	 * what undo cannot take back (Jellyseerr's sign-in), an undone entry still made it.
	 */
	createdByArrwire(service: string, target: string, entryId?: string | number, options: {evenUndone?: boolean} = {}): boolean {
		return this.data.runs.some(run =>
			run.entries.some(
				entry =>
					entry.service === service &&
					entry.action === 'create' &&
					(options.evenUndone === true || !entry.undone) &&
					entry.target === target &&
					(entryId === undefined || (entry.entryId !== undefined && String(entry.entryId) === String(entryId))),
			),
		);
	}

	/**
	 * Starts a run that may change the stack: takes the journal's lock (two runs at once would each overwrite the
	 * other's entries), reads the journal again (another run may have written since it was opened), and writes the
	 * new run at once, so that a journal that cannot be written stops the run before its first change.
	 */
	async startRun(command: string): Promise<JournalRun> {
		await this.lock(command);
		try {
			const fresh = await Journal.open(this.file);
			// A run that changed nothing says nothing (one left by a killed arrwire, say): it is not kept.
			this.data = {...fresh.data, runs: fresh.data.runs.filter(earlier => earlier.entries.length > 0)};
			const run: JournalRun = {id: new Date().toISOString().replace(/[:.]/g, '-'), startedAt: new Date().toISOString(), command, entries: []};
			this.data.runs.push(run);
			await this.save().catch((error: unknown) => {
				this.data.runs.pop();
				const why = error instanceof OwnFileError ? error.problem : String(error);
				const fix = error instanceof OwnFileError ? error.fix : 'Make the file and its folder writable by this user (or remove the file), then run again.';
				throw new Error(
					`The journal ${displayPath(this.file)} cannot be written (${why}), so nothing was changed: arrwire records every change before it reports it.\n  fix: ${fix}`,
				);
			});
			return run;
		} catch (error) {
			await this.unlock();
			throw error;
		}
	}

	/** Ends a run: a run that changed nothing is dropped from the file, and the lock is released. */
	async endRun(run: JournalRun): Promise<void> {
		try {
			if (run.entries.length === 0 && this.data.runs.includes(run)) {
				this.data.runs.splice(this.data.runs.indexOf(run), 1);
				await this.save();
			}
		} finally {
			await this.unlock();
		}
	}

	private get lockFile(): string {
		return `${this.file}.lock`;
	}

	private held = false;
	private readonly releaseOnExit = () => {
		try {
			unlinkSync(this.lockFile);
		} catch {
			// Already gone.
		}
	};

	/** One run at a time per journal: a lock file naming who holds it; one left by a process that is gone is taken over. */
	private async lock(command: string): Promise<void> {
		if (this.held) {
			return;
		}
		for (let attempt = 0; ; attempt++) {
			try {
				const handle = await open(this.lockFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
				await handle.writeFile(JSON.stringify({pid: process.pid, command, startedAt: new Date().toISOString()}));
				await handle.close();
				this.held = true;
				process.once('exit', this.releaseOnExit);
				return;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'ENOENT' && attempt < 2) {
					const made = await mkdir(path.dirname(this.file), {recursive: true, mode: 0o700}).then(
						() => true,
						() => false,
					);
					if (made) {
						continue;
					}
				}
				if (code !== 'EEXIST' || attempt >= 2) {
					const why = await explained(this.lockFile, error as NodeJS.ErrnoException);
					throw new Error(`The journal's lock ${displayPath(this.lockFile)} could not be taken (${why.problem}), so nothing was changed.\n  fix: ${why.fix}`);
				}
			}
			const holder = await readOwnFile(this.lockFile, 4096)
				.then(text => (text ? (JSON.parse(text) as {pid?: number; command?: string; startedAt?: string}) : undefined))
				.catch(() => undefined);
			if (holder?.pid && isAlive(holder.pid)) {
				throw new Error(
					`Another arrwire (process ${holder.pid}, "${holder.command ?? '?'}", started ${holder.startedAt ?? '?'}) is changing this stack now. ` +
						`Wait for it to finish; if no arrwire is running, remove ${displayPath(this.lockFile)}.`,
				);
			}
			// Left by a process that is gone (killed, say): take it over.
			await unlink(this.lockFile).catch(() => undefined);
		}
	}

	private async unlock(): Promise<void> {
		if (!this.held) {
			return;
		}
		this.held = false;
		process.removeListener('exit', this.releaseOnExit);
		await unlink(this.lockFile).catch(() => undefined);
	}

	async record(run: JournalRun, entry: Omit<JournalEntry, 'at'>): Promise<void> {
		run.entries.push({at: new Date().toISOString(), ...entry});
		await this.save();
	}

	async markUndone(entry: JournalEntry): Promise<void> {
		entry.undone = true;
		await this.save();
	}

	private async save(): Promise<void> {
		await writeOwnFile(this.file, JSON.stringify(this.data, null, '\t') + '\n');
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
