// Link: the download clients of Sonarr and Radarr, each with its own category (tv, movies): qBittorrent for torrents,
// and NZBGet or SABnzbd for Usenet (the clients NZBgeek's releases need). One implementation for all three; what
// differs is the table CLIENTS below. The service tests the client itself on save (Sonarr
// src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrent.cs: logs in, then creates the category;
// .../Clients/Nzbget/Nzbget.cs: JSON-RPC version with the login, then the category; .../Clients/Sabnzbd/Sabnzbd.cs:
// version, get_config with the API key, then the category), so a plan that applies is a link that works. The stored
// password or API key is masked on read: whether it is still right is learnt from the service's own test, and a
// refused one is planned as an update.
import type {Finding} from '../checks/findings.js';
import {howToGive} from '../discovery/given-credentials.js';
import {isServiceError, testFailure} from '../services/errors.js';
import {fieldValue, valueText, withFields, type ProviderResource} from '../services/provider.js';
import type {QbittorrentClient} from '../services/qbittorrent.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {HandedOn, Link} from './link.js';
import {sameValue} from './compare.js';
import {unusable} from './unusable.js';

export interface DownloadClientContext {
	/** qBittorrent's own client, to see whether the category is there before Sonarr's test would make it. */
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient; qbittorrent?: QbittorrentClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	/** How Sonarr/Radarr reach the download client (addresses.ts), its login or key, and the categories. */
	desired: Pick<Desired, 'addresses' | 'qbittorrent' | 'nzbget' | 'categories'> & {keys?: Pick<Desired['keys'], 'sabnzbd'>};
	journal: Journal;
	/** Plan: read only, no service's own test (see LinkContext.readOnly). */
	readOnly?: boolean;
}

export type DownloadClientKind = 'qbittorrent' | 'nzbget' | 'sabnzbd';

interface ClientKind {
	/** The link id after "sonarr-" (ids are kept: the journal names them). */
	idSuffix: string;
	/** The program, to the user and in the journal. */
	program: 'qBittorrent' | 'NZBGet' | 'SABnzbd';
	/** The name arrwire gives its entry in Sonarr/Radarr. */
	name: string;
	/** Sonarr's implementation name of the client. */
	implementation: string;
	/** The start of the finding ids. */
	findingId: string;
	/** The field that holds the secret Sonarr masks on read. */
	secret: 'password' | 'apiKey';
	/** A stack may take the other Usenet client or torrent indexers instead: the protocol coverage check insists on a client. */
	optional: boolean;
	/** Links that must run before: a new password, and the categories the service's own test asks for. */
	after: string[];
	/**
	 * Does the service's own test say the stored login or key is refused? SABnzbd refuses a wrong key with a 403, on
	 * which Sonarr's HTTP client throws before reading the answer (SabnzbdProxy.cs), so its test says "[403:Forbidden]".
	 */
	refused: (failure: {field: string; message: string}) => boolean;
}

const loginRefused = (failure: {field: string}) => /^(username|password)$/i.test(failure.field);

const CLIENTS: Record<DownloadClientKind, ClientKind> = {
	qbittorrent: {
		idSuffix: 'download-client',
		program: 'qBittorrent',
		name: 'qBittorrent',
		implementation: 'QBittorrent',
		findingId: 'link.download-client',
		secret: 'password',
		optional: false,
		after: ['qbittorrent-password', 'qbittorrent-categories'],
		refused: loginRefused,
	},
	nzbget: {
		idSuffix: 'usenet-download-client',
		program: 'NZBGet',
		name: 'NZBGet',
		implementation: 'Nzbget',
		findingId: 'link.usenet-download-client',
		secret: 'password',
		optional: true,
		after: ['nzbget-categories'],
		refused: loginRefused,
	},
	sabnzbd: {
		idSuffix: 'sabnzbd-download-client',
		program: 'SABnzbd',
		name: 'SABnzbd',
		implementation: 'Sabnzbd',
		findingId: 'link.sabnzbd-download-client',
		secret: 'apiKey',
		optional: true,
		after: ['sabnzbd-categories'],
		refused: failure => /^api ?key$/i.test(failure.field) || /\[403:Forbidden\]|API Key (Incorrect|Required)/i.test(failure.message),
	},
};

interface Current {
	existing?: ProviderResource;
	/** The service's own test of the existing client: undefined when it passed. */
	testFailure?: {field: string; message: string};
	/** The service's own test was not run, and why (it would have changed something). */
	untested?: string;
}

interface Payload {
	/** The field values to write (the password only when it must change). */
	values: Record<string, unknown>;
	id?: number;
}

const targetOf = (name: string) => `download client "${name}"`;
const categoryField = (kind: ServarrKind) => (kind === 'sonarr' ? 'tvCategory' : 'movieCategory');
const categoryOf = (kind: ServarrKind, context: DownloadClientContext) => (kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies);

/**
 * What arrwire logs Sonarr/Radarr in with: the qBittorrent password set earlier in this run wins over the one arrwire
 * logged in with; SABnzbd takes its API key.
 */
function credentialOf(client: DownloadClientKind, context: DownloadClientContext, handed: Readonly<HandedOn>): Record<string, unknown> | undefined {
	if (client === 'sabnzbd') {
		const apiKey = context.desired.keys?.sabnzbd;
		return apiKey ? {apiKey} : undefined;
	}
	const login = client === 'qbittorrent' ? (handed.qbittorrentLogin ?? context.desired.qbittorrent) : context.desired.nzbget;
	return login ? {username: login.username, password: login.password} : undefined;
}

function wantedValues(kind: ServarrKind, client: DownloadClientKind, context: DownloadClientContext, handed: Readonly<HandedOn>): Record<string, unknown> {
	const address = context.desired.addresses[`${kind}->${client}`]!;
	return {
		host: address.host,
		port: address.port,
		useSsl: address.useSsl,
		urlBase: address.urlBase,
		...credentialOf(client, context, handed),
		[categoryField(kind)]: categoryOf(kind, context),
	};
}

export function downloadClientLink(kind: ServarrKind, client: DownloadClientKind = 'qbittorrent'): Link<DownloadClientContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const spec = CLIENTS[client];
	const {program, name, implementation} = spec;
	const subject = `${service} -> ${program}`;
	const servarrOf = (context: DownloadClientContext) => context.clients[kind]!;
	return {
		id: `${kind}-${spec.idSuffix}`,
		title: `${service} -> ${program} download client (category ${kind === 'sonarr' ? 'tv' : 'movies'})`,
		services: [service, program],
		needs: {clients: [kind], after: spec.after, takes: client === 'qbittorrent' ? ['qbittorrentLogin'] : []},
		optional: spec.optional,

		applicable(context) {
			if (!context.clients[kind]) {
				return unusable(kind, context);
			}
			if (!context.desired.addresses[`${kind}->${client}`]) {
				return `${program} was not found`;
			}
			return credentialOf(client, context, {}) ? true : `the ${program} ${spec.secret === 'apiKey' ? 'API key' : 'login'} is not known (${howToGive(client)})`;
		},

		async read(context) {
			const clients = (await servarrOf(context).downloadClients()).filter(candidate => candidate.implementation === implementation);
			// arrwire's own client, else one arrwire created under another name, else a user's client for the same
			// category. A client the user keeps for something else (a "qBit-4K" on category tv-4k) is theirs.
			const existing =
				clients.find(candidate => candidate.name === name) ??
				clients.find(candidate => context.journal.createdByArrwire(service, targetOf(candidate.name ?? ''), candidate.id)) ??
				clients.find(candidate => sameValue(fieldValue(candidate, categoryField(kind)), categoryOf(kind, context)));
			if (!existing || context.readOnly) {
				return {existing};
			}
			// Sonarr's test of a qBittorrent client creates the category when qBittorrent lacks it (QBittorrent.cs,
			// TestCategory): a test must not change the stack, so a missing category is told, not made.
			const category = valueText(fieldValue(existing, categoryField(kind)));
			if (client === 'qbittorrent' && category && context.clients.qbittorrent && !Object.hasOwn(await context.clients.qbittorrent.categories(), category)) {
				return {existing, untested: `qBittorrent has no category "${category}", and ${service}'s own test would create it`};
			}
			try {
				await servarrOf(context).test('downloadclient', existing);
				return {existing};
			} catch (error) {
				if (isServiceError(error) && error.kind === 'validation') {
					return {existing, testFailure: testFailure(error)};
				}
				throw error;
			}
		},

		plan(current, context, handed = {}) {
			const wanted = wantedValues(kind, client, context, handed);
			const reason = context.desired.addresses[`${kind}->${client}`]!.reason;
			if (!current.existing) {
				const fields: FieldChange[] = Object.entries(wanted).map(([field, to]) => ({name: field, to, secret: field === spec.secret}));
				return [{link: this.id, service, action: 'create', target: targetOf(name), fields, handMade: false, reason, payload: {values: wanted}}];
			}
			const existing = current.existing;
			const values: Record<string, unknown> = {};
			const fields: FieldChange[] = [];
			for (const [field, to] of Object.entries(wanted)) {
				if (field === spec.secret) {
					continue;
				}
				const from = fieldValue(existing, field);
				if (!sameValue(from, to)) {
					values[field] = to;
					fields.push({name: field, from, to});
				}
			}
			// The password or key is masked on read; a refusal in the service's own test says it is wrong, and a password
			// changed in this run is passed on before the service's old session runs out.
			const passwordChanged = client === 'qbittorrent' && handed.qbittorrentLogin !== undefined;
			if ((current.testFailure && spec.refused(current.testFailure)) || passwordChanged) {
				values[spec.secret] = wanted[spec.secret];
				fields.push({name: spec.secret, from: '********', to: wanted[spec.secret], secret: true});
			}
			if (existing.enable === false) {
				fields.push({name: 'enable', from: false, to: true});
			}
			if (fields.length === 0) {
				return [];
			}
			const target = targetOf(existing.name ?? name);
			const handMade = !context.journal.createdByArrwire(service, target, existing.id);
			const why = current.testFailure ? `${service}'s own test fails: ${current.testFailure.message}` : passwordChanged ? `${program} has a new password (set in this run)` : reason;
			return [{link: this.id, service, action: 'update', target, fields, handMade, reason: why, payload: {values, id: existing.id}}];
		},

		async apply(change, context) {
			const servarr = servarrOf(context);
			if (change.action === 'create') {
				// Converge: a client may have appeared since the plan (a re-run after an interrupted one).
				const present = (await servarr.downloadClients()).find(candidate => candidate.implementation === implementation && candidate.name === name);
				if (present) {
					const updated = await servarr.update('downloadclient', {...withFields(present, change.payload.values), enable: true});
					return {entryId: updated.id, before: present, after: updated};
				}
				const template = (await servarr.downloadClientSchema()).find(entry => entry.implementation === implementation);
				if (!template) {
					throw new Error(`${service} offers no ${program} download client; is it Sonarr v4 / Radarr v5?`);
				}
				const created = await servarr.create('downloadclient', {...withFields(template, change.payload.values), name, enable: true});
				return {entryId: created.id, after: created};
			}
			const before = (await servarr.downloadClients()).find(candidate => candidate.id === change.payload.id);
			if (!before) {
				throw new Error(`${service}'s ${change.target} was deleted since the plan; run arrwire again`);
			}
			const updated = await servarr.update('downloadclient', {...withFields(before, change.payload.values), enable: true});
			return {entryId: updated.id, before, after: updated};
		},

		async verify(context) {
			const current = await this.read(context);
			if (!current.existing) {
				return [{id: `${spec.findingId}-missing`, severity: 'error', subject, cause: `${service} has no ${program} download client.`, fix: 'Run arrwire apply to add it.'}];
			}
			const findings: Finding[] = [];
			if (current.untested) {
				findings.push({
					id: `${spec.findingId}-not-tested`,
					severity: 'warning',
					subject,
					cause: `${service}'s test of its ${program} client was not run: ${current.untested}.`,
					fix: `Run arrwire apply: it adds the category to ${program} first.`,
				});
			}
			if (current.testFailure) {
				const {field, message} = current.testFailure;
				findings.push({
					id: `${spec.findingId}-test-failed`,
					severity: 'error',
					subject,
					cause: `${service}'s test of its ${program} client fails${field ? ` on ${field}` : ''}: ${message}`,
					fix: spec.refused(current.testFailure)
						? `${program}'s ${spec.secret === 'apiKey' ? 'API key' : 'password'} changed: run arrwire apply to update it in the download client.`
						: /category/i.test(field)
							? `Run arrwire apply: it adds the category to ${program} first.`
							: `${service} cannot reach ${program} at ${String(fieldValue(current.existing, 'host'))}:${String(fieldValue(current.existing, 'port'))}; use an address ${service} itself can reach (run arrwire apply to set it).`,
				});
			}
			const category = fieldValue(current.existing, categoryField(kind));
			const wanted = categoryOf(kind, context);
			if (!sameValue(category, wanted)) {
				findings.push({
					id: `${spec.findingId}-category`,
					severity: 'warning',
					subject,
					cause: `${service} files its downloads under category "${typeof category === 'string' ? category : ''}", not "${wanted}".`,
					fix: `Run arrwire apply to set it to "${wanted}".`,
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const servarr = servarrOf(context);
			const id = Number(entry.entryId);
			if (entry.action === 'create' && !entry.before) {
				await servarr.remove('downloadclient', id);
				return;
			}
			const before = entry.before as ProviderResource | undefined;
			const now = (await servarr.downloadClients()).find(candidate => candidate.id === id);
			if (before && now) {
				// The masked password stays as it is now: the old one was never known to arrwire.
				const values = Object.fromEntries(before.fields.filter(field => field.name !== 'password' && field.name !== 'apiKey').map(field => [field.name, field.value]));
				await servarr.update('downloadclient', {...withFields(now, values), enable: (before as {enable?: boolean}).enable ?? true});
			}
		},
	};
}

export const sonarrDownloadClientLink = downloadClientLink('sonarr');
export const radarrDownloadClientLink = downloadClientLink('radarr');
export const sonarrUsenetDownloadClientLink = downloadClientLink('sonarr', 'nzbget');
export const radarrUsenetDownloadClientLink = downloadClientLink('radarr', 'nzbget');
export const sonarrSabnzbdDownloadClientLink = downloadClientLink('sonarr', 'sabnzbd');
export const radarrSabnzbdDownloadClientLink = downloadClientLink('radarr', 'sabnzbd');
