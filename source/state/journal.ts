// The journal of applied changes: what each run changed (before and after), so `arrwire undo` can reverse the
// last run in reverse order. One JSON file in the config dir, mode 0600, written after every change so a run
// killed half-way is still recorded. Secrets are not kept: a secret field is stored as "changed", never its value.
import path from 'node:path';
import {z} from 'zod';
import {displayPath, readOwnFile, writeOwnFile} from './own-file.js';
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
	entryId: z.union([z.string(), z.number()]).optional(),
	/** The entry before and after, with secret fields removed. */
	before: z.unknown().optional(),
	after: z.unknown().optional(),
	undone: z.boolean().optional(),
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
	 * user deleted is still the user's. (SQLite may give a new row a deleted row's id, hence both.)
	 */
	createdByArrwire(service: string, target: string, entryId?: string | number): boolean {
		return this.data.runs.some(run =>
			run.entries.some(
				entry =>
					entry.service === service &&
					entry.action === 'create' &&
					!entry.undone &&
					entry.target === target &&
					(entryId === undefined || (entry.entryId !== undefined && String(entry.entryId) === String(entryId))),
			),
		);
	}

	async startRun(command: string): Promise<JournalRun> {
		const run: JournalRun = {id: new Date().toISOString().replace(/[:.]/g, '-'), startedAt: new Date().toISOString(), command, entries: []};
		this.data.runs.push(run);
		return run;
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
