// The shape of a link: read the current state, plan the changes to the desired one, apply one change at a time,
// verify the result, and undo a journalled change. The engine (engine.ts) drives every link the same way.
import type {Finding} from '../checks/findings.js';
import type {ServiceName} from '../services/errors.js';
import type {JournalEntry} from '../state/journal.js';
import type {Change} from './change.js';

export interface Applied {
	/** The service's id of the entry created or changed. */
	entryId?: string | number;
	/** The entry before and after (secrets removed), for the journal and undo. */
	before?: unknown;
	after?: unknown;
}

export interface Link<Context, Current = unknown, Payload = unknown> {
	id: string;
	/** What the link is, to the user: "qBittorrent categories tv and movies". */
	title: string;
	services: ServiceName[];
	/** Offered, not applied by default. */
	optional?: boolean;
	/** Only when asked for by id (--only) or accepted in doctor: a change the user should choose (a new password). */
	onRequest?: boolean;
	/** true when the link can be planned, else why not ("Sonarr was not found"). */
	applicable(context: Context): true | string;
	/**
	 * Doctor only, when the link is not applicable: true when verify can still test what exists (the NZBgeek indexer
	 * without its key), else why not. Repairs then wait for what `applicable` asks for.
	 */
	verifiable?(context: Context): true | string;
	read(context: Context): Promise<Current>;
	plan(current: Current, context: Context): Change<Payload>[];
	apply(change: Change<Payload>, context: Context): Promise<Applied>;
	verify(context: Context): Promise<Finding[]>;
	/** Doctor only: an end-to-end test that costs more than verify (it makes one service call another). */
	probe?(context: Context): Promise<Finding[]>;
	undo(entry: JournalEntry, context: Context): Promise<void>;
}
