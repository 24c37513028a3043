// The shape of a link: read the current state, plan the changes to the desired one, apply one change at a time,
// verify the result, and undo a journalled change. A link declares what it needs, and hands values on to the links
// after it only through what its apply returns. The engine (engine.ts) drives every link the same way.
import type {Finding} from '../checks/findings.js';
import type {ServiceName} from '../services/errors.js';
import type {JournalEntry} from '../state/journal.js';
import type {Change} from './change.js';
import type {Desired, LinkContext, Login} from './context.js';

export interface Applied {
	/** The service's id of the entry created or changed. */
	entryId?: string | number;
	/** The entry before and after (secrets removed), for the journal and undo. */
	before?: unknown;
	after?: unknown;
	/** Values for the links after it in the same run (the engine passes them on, and returns them to keep). */
	handsOn?: HandedOn;
}

/**
 * Values one link's apply hands on to the links after it in the same run. Each is one that only this run knows (a
 * password arrwire set): the engine returns them all, whatever stops the run, so the caller keeps them in one place.
 */
export interface HandedOn {
	/** qBittorrent's WebUI login with the password this run set. */
	qbittorrentLogin?: Login;
}

/** What a link needs before it can run: the engine checks the order, and the rest says what the link touches. */
export interface Needs {
	/** The clients it calls. */
	clients?: Array<keyof LinkContext['clients']>;
	/** The API keys it hands from one service to another. */
	keys?: Array<keyof Desired['keys']>;
	/** Links that must run before it when both are in one run, by id. */
	after?: string[];
	/** Values an earlier link of the run hands on, which it uses when there are any. */
	takes?: Array<keyof HandedOn>;
}

export interface Link<Context, Current = unknown, Payload = unknown> {
	id: string;
	/** What the link is, to the user: "qBittorrent categories tv and movies". */
	title: string;
	services: ServiceName[];
	needs?: Needs;
	/** The values its apply may hand on (see HandedOn). */
	gives?: Array<keyof HandedOn>;
	/** Offered, not applied by default. */
	optional?: boolean;
	/**
	 * What its verify sends beyond the stack, said by doctor each time it runs it ("one query to NZBgeek, which counts
	 * against your API limit"); doctor --offline leaves those tests out (LinkContext.offline).
	 */
	reachesOutside?: string;
	/** Only when asked for by id (--only) or accepted in doctor: a change the user should choose (a new password). */
	onRequest?: boolean;
	/** true when the link can be planned, else why not ("Sonarr was not found"). */
	applicable(context: Context): true | string;
	/**
	 * Doctor only, when the link is not applicable: true when verify can still test what exists (the NZBgeek indexer
	 * without its key), else why not. Repairs then wait for what `applicable` asks for.
	 */
	verifiable?(context: Context): true | string;
	// `handed`: what earlier links of the same run handed on (none outside a run: plan, doctor).
	read(context: Context, handed?: Readonly<HandedOn>): Promise<Current>;
	plan(current: Current, context: Context, handed?: Readonly<HandedOn>): Change<Payload>[];
	apply(change: Change<Payload>, context: Context, handed?: Readonly<HandedOn>): Promise<Applied>;
	verify(context: Context, handed?: Readonly<HandedOn>): Promise<Finding[]>;
	/** Doctor only: an end-to-end test that costs more than verify (it makes one service call another). */
	probe?(context: Context): Promise<Finding[]>;
	undo(entry: JournalEntry, context: Context): Promise<void>;
}
