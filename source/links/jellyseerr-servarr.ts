// Link: Jellyseerr -> Sonarr and Jellyseerr -> Radarr servers, so approved requests land in Sonarr/Radarr. Jellyseerr
// tests the connection itself (POST /settings/{kind}/test, Jellyseerr server/routes/settings/sonarr.ts, radarr.ts) and answers with the quality profiles
// and root folders it can use; that test is what read() runs, so a plan that applies is a connection that works.
// Jellyseerr's POST adds a server every time: apply re-reads and updates the one on the same host and port instead.
// A POST that lands after arrwire stopped waiting (a timeout, a kill) is found on the next run: one that is exactly what
// arrwire sends is recorded in the journal as arrwire's, and a second one beside arrwire's on the same address is removed.
import type {Finding} from '../checks/findings.js';
import {errorMessage, isServiceError} from '../services/errors.js';
import {MASK} from '../services/redact.js';
import {
	SEERR_MEDIA_SERVER,
	type SeerrClient,
	type SeerrRadarrServer,
	type SeerrRadarrSettings,
	type SeerrServarrTest,
	type SeerrServarrTestResult,
	type SeerrSonarrServer,
	type SeerrSonarrSettings,
} from '../services/seerr.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import {addressUrl} from './addresses.js';
import type {Change, FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {normalPath, sameValue} from './compare.js';
import {unusable} from './unusable.js';

export interface JellyseerrServarrContext {
	clients: {seerr?: SeerrClient; sonarr?: ServarrClient; radarr?: ServarrClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	/**
	 * How Jellyseerr reaches Sonarr/Radarr, their API keys and root folders; qualityProfile is the user's choice of
	 * quality profile by name (not in Desired yet; default "HD-1080p" when offered, else the first).
	 */
	desired: Pick<Desired, 'addresses' | 'keys' | 'rootFolders' | 'pathsUnknown'> & {qualityProfile?: {sonarr?: string; radarr?: string}};
	journal: Journal;
	/** Plan: read only, no service's own test (see LinkContext.readOnly). */
	readOnly?: boolean;
}

type Server = SeerrSonarrServer | SeerrRadarrServer;
type Settings = SeerrSonarrSettings | SeerrRadarrSettings;

interface Current {
	servers: Server[];
	/** The stored server arrwire manages: same host and port (arrwire's first), else the default (non-4K) one. */
	existing?: Server;
	/** Other non-4K servers on the same host and port as `existing` when one of them is arrwire's: one too many. */
	extras: Server[];
	/** Jellyseerr's own test with the wanted address and key. */
	offered?: SeerrServarrTestResult;
	/** Jellyseerr has no administrator yet (its first sign-in to Jellyfin comes earlier in the same run). */
	waitingForSignIn?: boolean;
}

interface Payload {
	/** The whole server to store (apiKey in clear: only apply() sees it); absent while Jellyseerr waits for its sign-in. */
	settings?: Settings;
	id?: number;
	/** A server an earlier run made whose answer never came: recorded in the journal, nothing written. */
	adopt?: number;
	/** A second server on the same address: removed, and `keep` made the default if none is left. */
	remove?: number;
	keep?: number;
}

/** What the journal keeps: the server without its API key. */
export type ServerSnapshot = Omit<Server, 'apiKey'>;

const DEFAULT_PROFILE = 'HD-1080p';

function snapshot(server: Server | undefined): ServerSnapshot | undefined {
	if (!server) {
		return undefined;
	}
	const {apiKey: _secret, ...rest} = server;
	return rest;
}

/** The stored server on the same host and port (what a second POST would duplicate). */
function onSameAddress(servers: Server[], hostname: string, port: number): Server | undefined {
	return allOnSameAddress(servers, hostname, port)[0];
}

function allOnSameAddress(servers: Server[], hostname: string, port: number): Server[] {
	return servers.filter(server => !server.is4k && server.hostname.toLowerCase() === hostname.toLowerCase() && server.port === port);
}

/**
 * The keys arrwire sends when it adds a server, and the id Jellyseerr adds (server/routes/settings/radarr.ts stores the
 * body as it came). Jellyseerr's own form always sends more (tags, externalUrl, syncEnabled, preventSearch, tagRequests:
 * src/components/Settings/RadarrModal/index.tsx, SonarrModal/index.tsx), so a server with only these keys and arrwire's
 * name was posted by arrwire.
 */
const ARRWIRE_KEYS = new Set([
	'id',
	'name',
	'hostname',
	'port',
	'apiKey',
	'useSsl',
	'baseUrl',
	'activeProfileId',
	'activeProfileName',
	'activeDirectory',
	'is4k',
	'isDefault',
	'enableSeasonFolders',
	'minimumAvailability',
]);

export function jellyseerrServarrLink(kind: ServarrKind): Link<JellyseerrServarrContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const addressKey = kind === 'sonarr' ? 'jellyseerr->sonarr' : 'jellyseerr->radarr';
	const target = (name: string) => `${service} server "${name}"`;

	const api = (context: JellyseerrServarrContext) => {
		const seerr = context.clients.seerr!;
		return kind === 'sonarr'
			? {
					servers: (): Promise<Server[]> => seerr.sonarrServers(),
					test: (connection: SeerrServarrTest) => seerr.testSonarr(connection),
					add: (settings: Settings): Promise<Server> => seerr.addSonarr(settings as SeerrSonarrSettings),
					update: (id: number, settings: Settings): Promise<Server> => seerr.updateSonarr(id, settings as SeerrSonarrSettings),
					remove: (id: number) => seerr.deleteSonarr(id),
				}
			: {
					servers: (): Promise<Server[]> => seerr.radarrServers(),
					test: (connection: SeerrServarrTest) => seerr.testRadarr(connection),
					add: (settings: Settings): Promise<Server> => seerr.addRadarr(settings as SeerrRadarrSettings),
					update: (id: number, settings: Settings): Promise<Server> => seerr.updateRadarr(id, settings as SeerrRadarrSettings),
					remove: (id: number) => seerr.deleteRadarr(id),
				};
	};

	const connection = (context: JellyseerrServarrContext): SeerrServarrTest => {
		const address = context.desired.addresses[addressKey]!;
		return {hostname: address.host, port: address.port, apiKey: context.desired.keys[kind]!, useSsl: address.useSsl, baseUrl: address.urlBase};
	};

	/** The quality profile: the user's choice when offered, else HD-1080p when offered, else the first. */
	const chooseProfile = (offered: SeerrServarrTestResult, context: JellyseerrServarrContext) => {
		const byName = (name: string | undefined) => (name ? offered.profiles.find(profile => profile.name.toLowerCase() === name.toLowerCase()) : undefined);
		return byName(context.desired.qualityProfile?.[kind]) ?? byName(DEFAULT_PROFILE) ?? offered.profiles[0];
	};

	/** The root folder: the desired one when Sonarr/Radarr has it, else the first it has. */
	const chooseRootFolder = (offered: SeerrServarrTestResult, context: JellyseerrServarrContext) => {
		const wanted = context.desired.rootFolders[kind];
		return offered.rootFolders.find(folder => normalPath(folder.path) === normalPath(wanted)) ?? offered.rootFolders[0];
	};

	/** Journalled as created by arrwire. */
	const journalled = (server: Server, context: JellyseerrServarrContext) => context.journal.createdByArrwire('Jellyseerr', target(server.name), server.id);
	/** Exactly what arrwire posts: made by arrwire even when its answer never came back, so never journalled. */
	const postedByArrwire = (server: Server) => server.name === service && Object.keys(server).every(key => ARRWIRE_KEYS.has(key));
	const arrwires = (server: Server, context: JellyseerrServarrContext) => journalled(server, context) || postedByArrwire(server);

	const offeredText = (offered: SeerrServarrTestResult) =>
		`${service} offers the quality profiles ${offered.profiles.map(profile => `"${profile.name}"`).join(', ') || '(none)'} and the root folders ${offered.rootFolders.map(folder => folder.path).join(', ') || '(none)'}`;

	return {
		id: `jellyseerr-${kind}`,
		title: `Jellyseerr -> ${service} (where approved requests go)`,
		services: ['Jellyseerr', service],

		applicable(context) {
			if (!context.clients.seerr) {
				return unusable('jellyseerr', context);
			}
			if (!context.clients[kind] || !context.desired.keys[kind]) {
				return unusable(kind, context);
			}
			if (context.desired.pathsUnknown) {
				// Jellyseerr's server needs the root folder new requests go to: never a guessed one.
				return context.desired.pathsUnknown;
			}
			return context.desired.addresses[addressKey] ? true : `the address Jellyseerr uses for ${service} is not known`;
		},

		async read(context) {
			const calls = api(context);
			const wanted = connection(context);
			// Jellyseerr's own test first: it fails (with a fix) when Jellyseerr cannot reach the address or the key is refused.
			let offered: SeerrServarrTestResult;
			try {
				// Read only (plan): what the test would answer, read from Sonarr/Radarr itself, which is all the test asks of it.
				offered = context.readOnly ? await offeredBy(context.clients[kind]!, calls.servers) : await calls.test(wanted);
			} catch (error) {
				// Before its first sign-in Jellyseerr has no administrator, and its key opens nothing (Jellyseerr server/middleware/auth.ts).
				const settings = isServiceError(error) && error.status === 403 ? await context.clients.seerr!.publicSettings() : undefined;
				if (settings && settings.mediaServerType === SEERR_MEDIA_SERVER.none) {
					return {servers: [], extras: [], waitingForSignIn: true};
				}
				throw error;
			}
			const servers = await calls.servers();
			// On one address, the one to keep: journalled by arrwire, then posted by arrwire, then the default, then the first.
			const rank = (server: Server) => (journalled(server, context) ? 0 : postedByArrwire(server) ? 2 : 4) + (server.isDefault ? 0 : 1);
			const same = allOnSameAddress(servers, wanted.hostname, wanted.port).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
			const existing = same[0] ?? servers.find(server => !server.is4k && server.isDefault) ?? servers.find(server => !server.is4k);
			const extras = same.some(server => arrwires(server, context)) ? same.slice(1) : [];
			return {servers, existing, extras, offered};
		},

		plan(current, context) {
			const wanted = connection(context);
			const address = context.desired.addresses[addressKey]!;
			if (current.waitingForSignIn || !current.offered) {
				// Shown now, worked out when it runs: the engine plans each link again just before applying it.
				return [
					{
						link: this.id,
						service: 'Jellyseerr',
						action: 'create',
						target: target(service),
						fields: [
							{name: 'address', to: addressUrl(address)},
							{name: 'apiKey', to: wanted.apiKey, secret: true},
							{name: 'quality profile', to: `${context.desired.qualityProfile?.[kind] ?? DEFAULT_PROFILE} when ${service} offers it`},
							{name: 'root folder', to: context.desired.rootFolders[kind]},
						],
						handMade: false,
						reason: `${address.reason}; Jellyseerr can test ${service} once it is signed in to Jellyfin (the link above), so the profile and root folder are read from ${service} then`,
						payload: {},
					},
				];
			}
			const offered = current.offered;
			const profile = chooseProfile(offered, context);
			const rootFolder = chooseRootFolder(offered, context);
			const profileNote = context.desired.qualityProfile?.[kind] && profile?.name.toLowerCase() !== context.desired.qualityProfile[kind].toLowerCase() ? ` ("${context.desired.qualityProfile[kind]}" is not among them)` : '';
			const reason = `${address.reason}; ${offeredText(offered)}${profileNote}`;

			if (!current.existing) {
				if (!profile || !rootFolder) {
					// Nothing to choose from: verify says what is missing (a root folder comes from the root-folder link).
					return [];
				}
				const settings: Settings = {
					name: service,
					hostname: wanted.hostname,
					port: wanted.port,
					apiKey: wanted.apiKey,
					useSsl: wanted.useSsl,
					baseUrl: wanted.baseUrl,
					activeProfileId: profile.id,
					activeProfileName: profile.name,
					activeDirectory: rootFolder.path,
					is4k: false,
					isDefault: true,
					...(kind === 'sonarr' ? {enableSeasonFolders: true} : {minimumAvailability: 'released' as const}),
				};
				const fields: FieldChange[] = [
					{name: 'address', to: addressUrl(address)},
					{name: 'apiKey', to: wanted.apiKey, secret: true},
					{name: 'quality profile', to: profile.name},
					{name: 'root folder', to: rootFolder.path},
					{name: 'default server', to: true},
					kind === 'sonarr' ? {name: 'season folders', to: true} : {name: 'minimum availability', to: 'released'},
				];
				return [{link: this.id, service: 'Jellyseerr', action: 'create', target: target(service), fields, handMade: false, reason, payload: {settings}}];
			}

			const existing = current.existing;
			const changes: Change<Payload>[] = [];
			if (!journalled(existing, context) && postedByArrwire(existing)) {
				// A create is journalled so that undo removes it and later updates are arrwire's own, not hand-made.
				changes.push({
					link: this.id,
					service: 'Jellyseerr',
					action: 'create',
					target: target(existing.name),
					fields: [{name: 'recorded in the journal', to: `id ${existing.id}, at ${existing.hostname}:${existing.port}`}],
					handMade: false,
					reason: `it is already in Jellyseerr, exactly as arrwire adds it: an earlier run's write landed after arrwire stopped waiting, so it was never recorded; nothing is written to Jellyseerr`,
					payload: {adopt: existing.id},
				});
			}
			for (const extra of current.extras) {
				changes.push({
					link: this.id,
					service: 'Jellyseerr',
					action: 'delete',
					target: `${target(extra.name)} (id ${extra.id})`,
					fields: [{name: 'address', from: `${extra.hostname}:${extra.port}`}],
					handMade: !arrwires(extra, context),
					reason: `a second ${service} server on the address of ${target(existing.name)} (id ${existing.id}): ${postedByArrwire(extra) ? "arrwire's write that landed after it stopped waiting" : 'one is enough'}`,
					payload: {remove: extra.id, keep: existing.id},
				});
			}
			const values: Partial<Settings> = {};
			const fields: FieldChange[] = [];
			for (const name of ['hostname', 'port', 'useSsl', 'baseUrl'] as const) {
				if (!sameValue(existing[name], wanted[name])) {
					(values as Record<string, unknown>)[name] = wanted[name];
					fields.push({name, from: existing[name], to: wanted[name]});
				}
			}
			// Jellyseerr returns the stored key in clear: compared, but never shown.
			if (existing.apiKey !== wanted.apiKey) {
				values.apiKey = wanted.apiKey;
				fields.push({name: 'apiKey', from: MASK, to: wanted.apiKey, secret: true});
			}
			// A profile or folder that is gone makes every request fail; a chosen one replaces it, and so does the user's explicit choice.
			const chosen = context.desired.qualityProfile?.[kind];
			const profileGone = !offered.profiles.some(candidate => candidate.id === existing.activeProfileId);
			const profileChosen = chosen !== undefined && profile !== undefined && profile.name.toLowerCase() === chosen.toLowerCase() && profile.id !== existing.activeProfileId;
			if (profile && (profileGone || profileChosen)) {
				values.activeProfileId = profile.id;
				values.activeProfileName = profile.name;
				fields.push({name: 'quality profile', from: existing.activeProfileName, to: profile.name});
			}
			if (rootFolder && !offered.rootFolders.some(folder => normalPath(folder.path) === normalPath(existing.activeDirectory))) {
				values.activeDirectory = rootFolder.path;
				fields.push({name: 'root folder', from: existing.activeDirectory, to: rootFolder.path});
			}
			if (fields.length > 0) {
				const name = target(existing.name);
				const handMade = !context.journal.createdByArrwire('Jellyseerr', name) && !postedByArrwire(existing);
				changes.push({link: this.id, service: 'Jellyseerr', action: 'update', target: name, fields, handMade, reason, payload: {settings: {...existing, ...values} as Settings, id: existing.id}});
			}
			return changes;
		},

		async apply(change, context) {
			const calls = api(context);
			const {adopt, remove, keep} = change.payload;
			if (adopt !== undefined) {
				const found = (await calls.servers()).find(server => server.id === adopt);
				if (!found) {
					throw new Error(`Jellyseerr's ${change.target} was deleted since the plan; run arrwire again`);
				}
				return {entryId: found.id, after: snapshot(found)};
			}
			if (remove !== undefined) {
				const servers = await calls.servers();
				const extra = servers.find(server => server.id === remove);
				if (extra) {
					await calls.remove(extra.id);
				}
				// Jellyseerr keeps one default per kind (4K or not): the extra one, posted last, may have taken it.
				const kept = servers.find(server => server.id === keep);
				if (kept && !servers.some(server => server.id !== remove && !server.is4k && server.isDefault)) {
					await calls.update(kept.id, {...kept, isDefault: true} as Settings);
				}
				return {entryId: remove, before: snapshot(extra)};
			}
			const settings = change.payload.settings;
			if (!settings) {
				throw new Error(`Jellyseerr has no administrator yet: the Jellyseerr -> Jellyfin sign-in must be made before ${service} can be added.`);
			}
			// Re-read: a server on this address that appeared since the plan (an interrupted run) is updated, not added twice.
			const servers = await calls.servers();
			const present = (change.payload.id !== undefined ? servers.find(server => server.id === change.payload.id) : undefined) ?? onSameAddress(servers, settings.hostname, settings.port);
			if (present) {
				const merged = change.action === 'create' ? {...present, ...settings, name: present.name} : {...present, ...settings};
				const updated = await calls.update(present.id, merged);
				return {entryId: updated.id, before: snapshot(present), after: snapshot(updated)};
			}
			if (change.action === 'update') {
				throw new Error(`Jellyseerr's ${change.target} was deleted since the plan; run arrwire again`);
			}
			const created = await calls.add(settings);
			return {entryId: created.id, after: snapshot(created)};
		},

		async verify(context) {
			const findings: Finding[] = [];
			const subject = `Jellyseerr -> ${service}`;
			const wanted = connection(context);
			let offered: SeerrServarrTestResult;
			try {
				offered = await api(context).test(wanted);
			} catch (error) {
				findings.push({
					id: 'link.jellyseerr-servarr-test-failed',
					severity: 'error',
					subject,
					cause: `Jellyseerr's test of ${service} at ${addressUrl(context.desired.addresses[addressKey]!)} fails: ${errorMessage(error)}`,
					fix: `Use an address Jellyseerr itself can reach and ${service}'s API key (Settings → General), then run arrwire apply.`,
				});
				return findings;
			}
			const servers = await api(context).servers();
			const stored = onSameAddress(servers, wanted.hostname, wanted.port);
			if (!stored) {
				findings.push({
					id: 'link.jellyseerr-servarr-missing',
					severity: 'error',
					subject,
					cause: `Jellyseerr has no ${service} server at ${wanted.hostname}:${wanted.port}: requests cannot be sent to ${service}.`,
					evidence: servers.map(server => `${server.name}: ${server.hostname}:${server.port}${server.is4k ? ' (4K)' : ''}`),
					fix: offered.rootFolders.length === 0 ? `Add a root folder in ${service} (Settings → Media Management), then run arrwire apply.` : 'Run arrwire apply to add it.',
				});
				return findings;
			}
			const same = allOnSameAddress(servers, wanted.hostname, wanted.port);
			if (same.length > 1 && same.some(server => arrwires(server, context))) {
				findings.push({
					id: 'link.jellyseerr-servarr-duplicate',
					severity: 'error',
					subject,
					cause: `Jellyseerr holds ${same.length} ${service} servers on ${wanted.hostname}:${wanted.port} where one is meant: requests go to whichever is the default, and the others are kept in step by no one (a write that landed after arrwire stopped waiting makes this).`,
					evidence: same.map(server => `${target(server.name)} (id ${server.id})${server.isDefault ? ', the default' : ''}${arrwires(server, context) ? ', made by arrwire' : ', made by hand'}`),
					fix: `Run arrwire apply to remove the extra one arrwire made, or delete it in Jellyseerr (Settings → Services → ${service}).`,
				});
			}
			const wrong = [
				...(['useSsl', 'baseUrl'] as const).filter(name => !sameValue(stored[name], wanted[name])),
				...(stored.apiKey !== wanted.apiKey ? ['apiKey'] : []),
				...(offered.profiles.some(profile => profile.id === stored.activeProfileId) ? [] : ['quality profile']),
				...(offered.rootFolders.some(folder => normalPath(folder.path) === normalPath(stored.activeDirectory)) ? [] : ['root folder']),
			];
			if (wrong.length > 0) {
				findings.push({
					id: 'link.jellyseerr-servarr-settings',
					severity: 'error',
					subject,
					cause: `Jellyseerr's ${target(stored.name)} has a wrong ${wrong.join(', ')}: its requests to ${service} fail.`,
					fix: 'Run arrwire apply to correct it.',
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const calls = api(context);
			if (entry.action === 'delete') {
				// A removed duplicate is not put back: it was one server too many.
				return;
			}
			const id = Number(entry.entryId);
			const now = (await calls.servers()).find(server => server.id === id);
			if (!now) {
				return;
			}
			const before = entry.before as ServerSnapshot | undefined;
			if (entry.action === 'create' && !before) {
				await calls.remove(id);
				return;
			}
			if (before) {
				// The API key stays as it is now: the journal never kept the old one.
				const {id: _id, ...restored} = before as ServerSnapshot & {id?: number};
				await calls.update(id, {...restored, apiKey: now.apiKey} as Settings);
			}
		},
	};
}

export const jellyseerrSonarrLink = jellyseerrServarrLink('sonarr');
export const jellyseerrRadarrLink = jellyseerrServarrLink('radarr');

/**
 * The quality profiles, root folders and tags Jellyseerr's test would offer, read from Sonarr/Radarr with arrwire's own
 * key; Jellyseerr's server list is read first, so a Jellyseerr without an administrator refuses it (403) as its test would.
 */
async function offeredBy(servarr: ServarrClient, servers: () => Promise<unknown>): Promise<SeerrServarrTestResult> {
	await servers();
	const [profiles, rootFolders, tags] = await Promise.all([servarr.qualityProfiles(), servarr.rootFolders(), servarr.tags()]);
	return {profiles: profiles.map(({id, name}) => ({id, name})), rootFolders: rootFolders.map(({id, path}) => ({id, path})), tags: tags.map(({id, label}) => ({id, label}))};
}
