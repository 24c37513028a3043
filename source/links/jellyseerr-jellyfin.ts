// Link: Jellyseerr signed in to Jellyfin (its first admin is the Jellyfin administrator), with the TV and movie
// libraries enabled and setup marked as done. The first sign-in is the only way in (Jellyseerr server/routes/auth.ts, server/routes/settings/index.ts): it makes
// Jellyseerr's user 1, after which its API key works for the settings routes. Library enabling is a GET that rewrites
// every library's `enabled` from the `enable` list, so it is always sent with the full list to keep.
import type {Finding} from '../checks/findings.js';
import {howToGive} from '../discovery/given-credentials.js';
import {isServiceError} from '../services/errors.js';
import {JellyfinClient, type JellyfinVirtualFolder} from '../services/jellyfin.js';
import {SEERR_MEDIA_SERVER, type SeerrClient, type SeerrJellyfinSettings, type SeerrLibrary, type SeerrPublicSettings} from '../services/seerr.js';
import type {Journal} from '../state/journal.js';
import {addressUrl, type ServiceAddress} from './addresses.js';
import type {Change, FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {normalPath, sameValue} from './compare.js';
import {unusable} from './unusable.js';

export interface JellyseerrJellyfinContext {
	clients: {seerr?: SeerrClient; jellyfin?: JellyfinClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	/** How Jellyseerr reaches Jellyfin, the Jellyfin administrator's login, and the library folders. */
	desired: Pick<Desired, 'addresses' | 'jellyfinAdmin' | 'libraries' | 'pathsUnknown'>;
	journal: Journal;
}

/** A Jellyfin library that holds one of the wanted folders. */
interface WantedLibrary {
	id: string;
	name: string;
}

interface Current {
	public: SeerrPublicSettings;
	/** The stored Jellyfin settings, once Jellyseerr is signed in to a Jellyfin. */
	stored?: SeerrJellyfinSettings;
	/** Jellyfin's libraries that hold desired.libraries.tv / .movies. */
	wanted: WantedLibrary[];
	/** Wanted folders no Jellyfin library holds yet. */
	missingFolders: string[];
	/** What Jellyfin itself answers to the API key Jellyseerr holds. */
	key?: KeyVerdict;
	/** Signed in as arrwire signs it in, and not journalled: arrwire's sign-in that landed after it stopped waiting. */
	lateSignIn?: boolean;
}

type Payload =
	| {step: 'sign-in'}
	| {step: 'new-key'}
	| {step: 'address'; values: {ip: string; port: number; useSsl: boolean; urlBase: string}}
	| {step: 'libraries'; enable: string[]}
	| {step: 'initialize'};

/** What the journal keeps: the connection without Jellyfin's API key, and which libraries were enabled. */
export interface JellyseerrJellyfinSnapshot {
	ip?: string;
	port?: number | null;
	useSsl?: boolean | null;
	urlBase?: string | null;
	enabledLibraries?: string[];
	initialized?: boolean;
}

export const SIGN_IN_TARGET = 'sign-in to Jellyfin';
const ADDRESS_TARGET = 'Jellyfin address';
const LIBRARIES_TARGET = 'Jellyfin libraries';
const SETUP_TARGET = 'setup';

function address(context: JellyseerrJellyfinContext): ServiceAddress {
	return context.desired.addresses['jellyseerr->jellyfin']!;
}

/** Jellyfin ids are hex with or without dashes, in either case, depending on the endpoint. */
function sameId(a: string, b: string): boolean {
	const normal = (value: string) => value.replace(/-/g, '').toLowerCase();
	return normal(a) === normal(b);
}

function wantedLibraries(folders: JellyfinVirtualFolder[], context: JellyseerrJellyfinContext): {wanted: WantedLibrary[]; missingFolders: string[]} {
	const wanted: WantedLibrary[] = [];
	const missingFolders: string[] = [];
	for (const folderPath of [context.desired.libraries.tv, context.desired.libraries.movies]) {
		const holding = folders.filter(folder => folder.ItemId && (folder.Locations ?? []).some(location => normalPath(location) === normalPath(folderPath)));
		if (holding.length === 0) {
			missingFolders.push(folderPath);
		}
		for (const folder of holding) {
			if (!wanted.some(known => sameId(known.id, folder.ItemId!))) {
				wanted.push({id: folder.ItemId!, name: folder.Name});
			}
		}
	}
	return {wanted, missingFolders};
}

function enabledIds(libraries: SeerrLibrary[]): string[] {
	return libraries.filter(library => library.enabled).map(library => library.id);
}

function isEnabled(libraries: SeerrLibrary[], id: string): boolean {
	return libraries.some(library => library.enabled && sameId(library.id, id));
}

function snapshot(stored: SeerrJellyfinSettings | undefined, initialized: boolean): JellyseerrJellyfinSnapshot {
	if (!stored) {
		return {enabledLibraries: [], initialized};
	}
	return {ip: stored.ip, port: stored.port, useSsl: stored.useSsl, urlBase: stored.urlBase, enabledLibraries: enabledIds(stored.libraries), initialized};
}

type KeyVerdict = 'accepted' | 'refused' | 'unknown';

/**
 * What Jellyfin itself says of the API key Jellyseerr holds: accepted, refused (401), or unknown (no key, no answer,
 * another failure, or Jellyseerr is set up with another Jellyfin server than the one arrwire reaches, whose answer
 * would say nothing of it). The key is Jellyfin's own: it goes to Jellyfin only.
 */
async function jellyfinVerdictOnKey(jellyfin: JellyfinClient, stored: SeerrJellyfinSettings): Promise<KeyVerdict> {
	const key = stored.apiKey ?? '';
	if (!key) {
		return 'unknown';
	}
	try {
		if (stored.serverId && !sameId(stored.serverId, (await jellyfin.publicInfo()).Id)) {
			return 'unknown';
		}
		const asSeerr = new JellyfinClient({url: jellyfin.http.baseUrl, token: key});
		// The command's memo: read and verify ask this once.
		asSeerr.http.memo = jellyfin.http.memo;
		await asSeerr.systemInfo();
		return 'accepted';
	} catch (error) {
		return isServiceError(error) && error.status === 401 ? 'refused' : 'unknown';
	}
}

const KEY_REFUSED_CAUSE = 'Jellyfin refuses the key Jellyseerr holds (it was deleted or revoked in Jellyfin)';
const NEW_SIGN_IN =
	"a new sign-in of Jellyseerr to Jellyfin: run arrwire apply (it has Jellyfin make a new API key for Jellyseerr with the administrator's login and gives it to Jellyseerr), or in Jellyfin create an API key (Dashboard → API Keys → +) and put it in Jellyseerr (Settings → Jellyfin → API key)";

/** The finding for a refused key: said from Jellyfin's own answer, without waiting on Jellyseerr's sync. */
function keyRefusedFinding(): Finding {
	return {
		id: 'link.jellyseerr-jellyfin-key-refused',
		severity: 'error',
		subject: 'Jellyseerr -> Jellyfin',
		cause: `${KEY_REFUSED_CAUSE}: Jellyseerr cannot read Jellyfin's libraries or users, and its library sync never answers.`,
		evidence: ['Jellyfin answered 401 to that key'],
		fix: `The fix is ${NEW_SIGN_IN}.`,
	};
}

/**
 * Jellyseerr signed in exactly as arrwire's first sign-in leaves it, and nothing done since: user 1 is the Jellyfin
 * administrator with no email of its own (arrwire sends none, so Jellyseerr stores the user name; its setup page always
 * sends a valid email address, src/components/Setup/JellyfinSetup.tsx), at arrwire's address, no library synced and
 * setup not done. That is a sign-in arrwire sent whose answer never came (a timeout, a kill).
 */
async function looksLikeArrwiresSignIn(seerr: SeerrClient, stored: SeerrJellyfinSettings, publicSettings: SeerrPublicSettings, context: JellyseerrJellyfinContext): Promise<boolean> {
	const where = address(context);
	const login = context.desired.jellyfinAdmin;
	if (!login || publicSettings.initialized || stored.libraries.length > 0 || !sameValue(stored.ip, where.host) || !sameValue(stored.port, where.port) || !sameValue(stored.urlBase, where.urlBase)) {
		return false;
	}
	const me = await seerr.me().catch(() => undefined);
	const name = me?.jellyfinUsername ?? '';
	return me?.id === 1 && name.toLowerCase() === login.username.toLowerCase() && me.email === name;
}

/** Syncs from Jellyfin and enables `keep` (and only those): the one call that both learns new ids and keeps the rest on. */
async function syncAndEnable(seerr: SeerrClient, keep: string[]): Promise<SeerrLibrary[]> {
	const synced = await seerr.jellyfinLibraries({sync: true, enable: keep});
	// Jellyseerr wants its own spelling of the id: map each wanted Jellyfin id to what it now lists.
	const ids = synced.filter(library => keep.some(id => sameId(id, library.id))).map(library => library.id);
	const exact = ids.length === keep.length && ids.every(id => keep.includes(id));
	return exact ? synced : seerr.jellyfinLibraries({enable: ids});
}

/**
 * What Jellyseerr's first sign-in does for its key (createApiToken in server/api/jellyfin.ts, called from
 * server/routes/auth.ts), done again: Jellyfin makes an API key named after the app, signed for by the administrator
 * arrwire is signed in as, and Jellyseerr is given it (it checks it with Jellyfin's /System/Info before it keeps it).
 * Jellyseerr itself makes a new key only on a first sign-in, which needs its settings.json removed. With the stored
 * address also wrong, the one arrwire knows is sent with it: Jellyseerr checks the key at the merged address.
 */
async function signInAgain(seerr: SeerrClient, jellyfin: JellyfinClient, stored: SeerrJellyfinSettings, where: ServiceAddress): Promise<void> {
	const app = (await seerr.root()).api.replace(/ API$/, '') || 'Jellyseerr';
	const key = await jellyfin.createApiKey(app);
	const values = {ip: where.host, port: where.port, useSsl: where.useSsl, urlBase: where.urlBase};
	const moved = Object.entries(values).some(([name, value]) => !sameValue(stored[name as keyof typeof values], value));
	try {
		await seerr.setJellyfinSettings(moved ? {...values, apiKey: key} : {apiKey: key});
	} catch (error) {
		// A key Jellyseerr did not take is no one's: it is not left behind in Jellyfin.
		await jellyfin.deleteApiKey(key).catch(() => undefined);
		throw error;
	}
}

export const jellyseerrJellyfinLink: Link<JellyseerrJellyfinContext, Current, Payload> = {
	id: 'jellyseerr-jellyfin',
	title: 'Jellyseerr signed in to Jellyfin, with the TV and movie libraries',
	services: ['Jellyseerr', 'Jellyfin'],

	applicable(context) {
		if (!context.clients.seerr) {
			return unusable('jellyseerr', context);
		}
		if (!context.clients.jellyfin) {
			return unusable('jellyfin', context);
		}
		if (!context.desired.addresses['jellyseerr->jellyfin']) {
			return 'no address of Jellyfin that Jellyseerr can reach is known';
		}
		return context.desired.jellyfinAdmin ? true : `the Jellyfin administrator login is not known (${howToGive('jellyfin')})`;
	},

	async read(context) {
		const seerr = context.clients.seerr!;
		const publicSettings = await seerr.publicSettings();
		const {wanted, missingFolders} = wantedLibraries(await context.clients.jellyfin!.virtualFolders(), context);
		if (publicSettings.mediaServerType !== SEERR_MEDIA_SERVER.jellyfin) {
			return {public: publicSettings, wanted, missingFolders};
		}
		const stored = await seerr.jellyfinSettings();
		const journalled = context.journal.createdByArrwire('Jellyseerr', SIGN_IN_TARGET, undefined, {evenUndone: true});
		const lateSignIn = !journalled && (await looksLikeArrwiresSignIn(seerr, stored, publicSettings, context));
		return {public: publicSettings, stored, wanted, missingFolders, key: await jellyfinVerdictOnKey(context.clients.jellyfin!, stored), lateSignIn};
	},

	plan(current, context) {
		const where = address(context);
		// With the data folder unknown, the wanted folders are stand-ins: say so instead of naming them.
		const missing =
			current.missingFolders.length === 0 ? '' : context.desired.pathsUnknown ? '; the libraries are enabled once the data folder is known' : `; no Jellyfin library holds ${current.missingFolders.join(' or ')} yet`;
		if (current.public.mediaServerType === SEERR_MEDIA_SERVER.none) {
			const login = context.desired.jellyfinAdmin!;
			const fields: FieldChange[] = [
				{name: 'username', to: login.username},
				{name: 'password', to: login.password, secret: true},
				{name: 'address', to: addressUrl(where)},
				{name: 'libraries', to: current.wanted.map(library => library.name)},
			];
			return [
				{
					link: this.id,
					service: 'Jellyseerr',
					action: 'create',
					target: SIGN_IN_TARGET,
					fields,
					handMade: false,
					reason: `Jellyseerr's first sign-in makes the Jellyfin administrator its admin; ${where.reason}${missing}`,
					payload: {step: 'sign-in'},
				},
			];
		}
		// Plex or Emby: another media server is set up; changing that is not arrwire's call (verify says so).
		if (!current.stored) {
			return [];
		}
		const stored = current.stored;
		if (current.lateSignIn) {
			// Journalled now, and finished as a first sign-in is (libraries, setup): apply's sign-in step converges.
			return [
				{
					link: this.id,
					service: 'Jellyseerr',
					action: 'create',
					target: SIGN_IN_TARGET,
					fields: [
						{name: 'recorded in the journal', to: `the sign-in as ${context.desired.jellyfinAdmin!.username} already made`},
						{name: 'libraries', to: current.wanted.map(library => library.name)},
					],
					handMade: false,
					reason: `Jellyseerr is signed in to Jellyfin exactly as arrwire signs it in, with nothing done since: an earlier run's sign-in landed after arrwire stopped waiting, so it was never recorded; it is not made again${missing}`,
					payload: {step: 'sign-in'},
				},
			];
		}
		// Undo cannot sign Jellyseerr out (it has no API for that): a sign-in arrwire made stays arrwire's after an undo.
		const handMade = !context.journal.createdByArrwire('Jellyseerr', SIGN_IN_TARGET, undefined, {evenUndone: true});
		const changes: Change<Payload>[] = [];
		if (current.key === 'refused') {
			changes.push({
				link: this.id,
				service: 'Jellyseerr',
				action: 'update',
				target: SIGN_IN_TARGET,
				fields: [{name: 'Jellyfin API key', from: 'refused by Jellyfin', to: "a new one, made with the Jellyfin administrator's login"}],
				handMade,
				reason: `${KEY_REFUSED_CAUSE}: a new sign-in gives Jellyseerr a key Jellyfin accepts`,
				payload: {step: 'new-key'},
			});
		}
		const values = {ip: where.host, port: where.port, useSsl: where.useSsl, urlBase: where.urlBase};
		const addressFields: FieldChange[] = [];
		for (const [name, to] of Object.entries(values)) {
			const from = stored[name as keyof typeof values];
			if (!sameValue(from, to)) {
				addressFields.push({name, from, to});
			}
		}
		if (addressFields.length > 0) {
			changes.push({link: this.id, service: 'Jellyseerr', action: 'update', target: ADDRESS_TARGET, fields: addressFields, handMade, reason: where.reason, payload: {step: 'address', values}});
		}
		const notEnabled = current.wanted.filter(library => !isEnabled(stored.libraries, library.id));
		if (notEnabled.length > 0) {
			const enabledNow = stored.libraries.filter(library => library.enabled);
			const keep = [...enabledNow.map(library => library.id), ...notEnabled.map(library => library.id)];
			changes.push({
				link: this.id,
				service: 'Jellyseerr',
				action: 'update',
				target: LIBRARIES_TARGET,
				fields: [{name: 'enabled', from: enabledNow.map(library => library.name), to: [...enabledNow.map(library => library.name), ...notEnabled.map(library => library.name)]}],
				handMade,
				reason: `Jellyseerr sees what is available only in enabled libraries${missing}`,
				payload: {step: 'libraries', enable: keep},
			});
		}
		if (!current.public.initialized) {
			changes.push({
				link: this.id,
				service: 'Jellyseerr',
				action: 'update',
				target: SETUP_TARGET,
				fields: [{name: 'initialized', from: false, to: true}],
				handMade,
				reason: 'until setup is marked done, Jellyseerr shows its setup wizard instead of the request pages',
				payload: {step: 'initialize'},
			});
		}
		return changes;
	},

	async apply(change, context) {
		const seerr = context.clients.seerr!;
		const jellyfin = context.clients.jellyfin!;
		const publicBefore = await seerr.publicSettings();
		const configured = publicBefore.mediaServerType === SEERR_MEDIA_SERVER.jellyfin;
		const storedBefore = configured ? await seerr.jellyfinSettings() : undefined;
		const before = snapshot(storedBefore, publicBefore.initialized);
		const after = async (): Promise<JellyseerrJellyfinSnapshot> => snapshot(await seerr.jellyfinSettings(), (await seerr.publicSettings()).initialized);
		const step = change.payload;

		if (step.step === 'sign-in') {
			if (!configured) {
				if (publicBefore.mediaServerType !== SEERR_MEDIA_SERVER.none) {
					throw new Error('Jellyseerr was set up with another media server since the plan; run arrwire again');
				}
				const login = context.desired.jellyfinAdmin!;
				const where = address(context);
				await seerr.authJellyfin({
					username: login.username,
					password: login.password,
					hostname: where.host,
					port: where.port,
					urlBase: where.urlBase,
					useSsl: where.useSsl,
					serverType: SEERR_MEDIA_SERVER.jellyfin,
				});
			}
			// Converge: a sign-in that happened before (an interrupted run) is kept and the rest done now.
			try {
				const {wanted} = wantedLibraries(await jellyfin.virtualFolders(), context);
				const stored = await seerr.jellyfinSettings();
				const keep = [...enabledIds(stored.libraries), ...wanted.map(library => library.id).filter(id => !isEnabled(stored.libraries, id))];
				if (keep.length > 0) {
					await syncAndEnable(seerr, keep);
				}
				if (!(await seerr.publicSettings()).initialized) {
					await seerr.initialize();
				}
			} catch (error) {
				// The sign-in happened and cannot be taken back: it must reach the journal (so it is arrwire's, not
				// hand-made). What failed after it shows in verify's findings and is planned as an update next run.
				if (configured) {
					throw error;
				}
				return {entryId: 1, after: await after().catch(() => undefined)};
			}
			// A sign-in that was already there is journalled with its state before, so undo leaves it.
			return {entryId: 1, before: configured ? before : undefined, after: await after()};
		}
		if (!storedBefore) {
			throw new Error('Jellyseerr is no longer signed in to Jellyfin; run arrwire again');
		}
		if (step.step === 'new-key') {
			if ((await jellyfinVerdictOnKey(jellyfin, storedBefore)) === 'refused') {
				await signInAgain(seerr, jellyfin, storedBefore, address(context));
			}
		} else if (step.step === 'address') {
			const unchanged = Object.entries(step.values).every(([name, value]) => sameValue(storedBefore[name as keyof typeof step.values], value));
			if (!unchanged) {
				await seerr.setJellyfinSettings(step.values);
			}
		} else if (step.step === 'libraries') {
			const keep = [...new Set([...enabledIds(storedBefore.libraries), ...step.enable])];
			if (!step.enable.every(id => isEnabled(storedBefore.libraries, id))) {
				await syncAndEnable(seerr, keep);
			}
		} else if (!publicBefore.initialized) {
			await seerr.initialize();
		}
		return {entryId: 1, before, after: await after()};
	},

	async verify(context) {
		const findings: Finding[] = [];
		const subject = 'Jellyseerr -> Jellyfin';
		const seerr = context.clients.seerr!;
		const publicSettings = await seerr.publicSettings();
		if (publicSettings.mediaServerType === SEERR_MEDIA_SERVER.none) {
			findings.push({id: 'link.jellyseerr-jellyfin-missing', severity: 'error', subject, cause: 'Jellyseerr is not signed in to a media server yet.', fix: 'Run arrwire apply to sign it in to Jellyfin.'});
			return findings;
		}
		if (publicSettings.mediaServerType !== SEERR_MEDIA_SERVER.jellyfin) {
			findings.push({
				id: 'link.jellyseerr-other-media-server',
				severity: 'warning',
				subject,
				cause: `Jellyseerr is set up for ${publicSettings.mediaServerType === SEERR_MEDIA_SERVER.plex ? 'Plex' : 'Emby'}, not Jellyfin.`,
				fix: 'Leave it if that is intended; to use Jellyfin, reset Jellyseerr (remove its settings.json) and run arrwire apply.',
			});
			return findings;
		}
		// The stored settings, not a library sync: a sync without `enable` would disable every library.
		const stored = await seerr.jellyfinSettings();
		if ((await jellyfinVerdictOnKey(context.clients.jellyfin!, stored)) === 'refused') {
			findings.push(keyRefusedFinding());
		}
		const where = address(context);
		if (!sameValue(stored.ip, where.host) || !sameValue(stored.port, where.port) || !sameValue(stored.urlBase, where.urlBase) || !sameValue(stored.useSsl, where.useSsl)) {
			findings.push({
				id: 'link.jellyseerr-jellyfin-address',
				severity: 'warning',
				subject,
				cause: `Jellyseerr reaches Jellyfin at ${stored.useSsl ? 'https' : 'http'}://${stored.ip}:${stored.port ?? ''}${stored.urlBase ?? ''}, not ${addressUrl(where)}.`,
				evidence: [where.reason],
				fix: 'Run arrwire apply to change it, or set it in Jellyseerr (Settings → Jellyfin).',
			});
		}
		const {wanted, missingFolders} = wantedLibraries(await context.clients.jellyfin!.virtualFolders(), context);
		const off = wanted.filter(library => !isEnabled(stored.libraries, library.id));
		if (off.length > 0) {
			findings.push({
				id: 'link.jellyseerr-jellyfin-libraries',
				severity: 'error',
				subject,
				cause: `Jellyseerr does not use the Jellyfin ${off.length === 1 ? 'library' : 'libraries'} ${off.map(library => `"${library.name}"`).join(', ')}: it cannot tell what is already available.`,
				evidence: stored.libraries.map(library => `${library.name}: ${library.enabled ? 'enabled' : 'disabled'}`),
				fix: 'Run arrwire apply to enable them, or tick them in Jellyseerr (Settings → Jellyfin → Sync Libraries).',
			});
		}
		if (missingFolders.length > 0) {
			findings.push({
				id: 'link.jellyseerr-jellyfin-no-library',
				severity: 'warning',
				subject,
				cause: `No Jellyfin library holds ${missingFolders.join(' or ')}, so Jellyseerr has no library for it.`,
				fix: 'Run arrwire apply (the Jellyfin libraries link adds it), then apply again to enable it in Jellyseerr.',
			});
		}
		if (!publicSettings.initialized) {
			findings.push({
				id: 'link.jellyseerr-not-initialized',
				severity: 'warning',
				subject: 'Jellyseerr',
				cause: 'Jellyseerr setup is not marked as done: it still shows its setup wizard.',
				fix: 'Run arrwire apply, or finish the wizard in Jellyseerr.',
			});
		}
		return findings;
	},

	/**
	 * Jellyseerr reads Jellyfin's users with its stored address and key: it must reach Jellyfin, and nothing changes (a
	 * library sync would rewrite Jellyseerr's library list, and doctor changes nothing). When Jellyfin refuses the key, Jellyseerr never answers (server/routes/settings/index.ts: the user lookup after an
	 * empty library list throws outside the route's try): Jellyfin is asked about the key first, and a refused key (which
	 * verify names) is not sent through the sync at all. Other hangs (a wrong URL base) end at the client's time limit.
	 */
	async probe(context) {
		const seerr = context.clients.seerr!;
		if ((await seerr.publicSettings()).mediaServerType !== SEERR_MEDIA_SERVER.jellyfin) {
			return [];
		}
		const stored = await seerr.jellyfinSettings();
		const verdict = await jellyfinVerdictOnKey(context.clients.jellyfin!, stored);
		if (verdict === 'refused') {
			return [];
		}
		const storedUrl = `${stored.useSsl ? 'https' : 'http'}://${stored.ip}:${stored.port ?? ''}${stored.urlBase ?? ''}`;
		try {
			await seerr.jellyfinUsers();
			return [];
		} catch (error) {
			if (!isServiceError(error)) {
				throw error;
			}
			const finding: Finding = {
				id: 'link.jellyseerr-jellyfin-unreachable',
				severity: 'error',
				subject: 'Jellyseerr -> Jellyfin',
				cause: `Jellyseerr could not read Jellyfin's users from ${storedUrl}.`,
				evidence: [error.message],
				fix: `Check that Jellyfin runs and that Jellyseerr can reach it there (${address(context).reason}); run arrwire apply to correct the address.`,
			};
			if (error.kind === 'timeout' && verdict === 'accepted') {
				return [
					{
						...finding,
						cause: `Jellyseerr could not read Jellyfin's users from ${storedUrl}: it never answered, though Jellyfin accepts its API key, so Jellyfin is not there (a wrong address, port or URL base).`,
						fix: `Point Jellyseerr at ${addressUrl(address(context))} (${address(context).reason}): run arrwire apply, or set it in Jellyseerr (Settings → Jellyfin).`,
					},
				];
			}
			return [finding];
		}
	},

	async undo(entry, context) {
		const seerr = context.clients.seerr!;
		const before = entry.before as JellyseerrJellyfinSnapshot | undefined;
		if ((await seerr.publicSettings()).mediaServerType !== SEERR_MEDIA_SERVER.jellyfin) {
			return;
		}
		const stored = await seerr.jellyfinSettings();
		// Jellyseerr has no API to sign out of Jellyfin or to un-initialize: the first sign-in and "setup done" stay, and
		// so does a new key given after Jellyfin refused the old one (that one cannot work again). What can be restored
		// is the address and which libraries are enabled.
		const enabledBefore = before?.enabledLibraries ?? [];
		const now = enabledIds(stored.libraries);
		if (now.length !== enabledBefore.length || now.some(id => !enabledBefore.some(old => sameId(old, id)))) {
			// An empty list disables every library, which is how it was before the first sign-in.
			await seerr.jellyfinLibraries({enable: stored.libraries.filter(library => enabledBefore.some(old => sameId(old, library.id))).map(library => library.id)});
		}
		if (entry.target === ADDRESS_TARGET && before?.ip !== undefined) {
			const values = {ip: before.ip, port: before.port ?? undefined, useSsl: before.useSsl ?? undefined, urlBase: before.urlBase ?? undefined};
			if (!sameValue(stored.ip, values.ip) || !sameValue(stored.port, values.port) || !sameValue(stored.urlBase, values.urlBase) || !sameValue(stored.useSsl, values.useSsl)) {
				try {
					await seerr.setJellyfinSettings(values);
				} catch (error) {
					// Jellyseerr checks an address before storing it: an old one that reaches no Jellyfin cannot be put
					// back, and the working one is better kept than the undo stopped.
					if (!(isServiceError(error) && error.status === 500)) {
						throw error;
					}
				}
			}
		}
	},
};
