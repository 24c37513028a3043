// Link: the download clients of Sonarr and Radarr, each with its own category (tv, movies): qBittorrent for torrents,
// and NZBGet for Usenet (the client NZBgeek's releases need). One implementation for both; what differs is the
// table CLIENTS below. The service tests the client itself on save (Sonarr
// src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrent.cs: logs in, then creates the category;
// .../Clients/Nzbget/Nzbget.cs: JSON-RPC version with the login, then the category), so a plan that applies is a
// link that works. The stored password is masked on read: whether it is
// still right is learnt from the service's own test, and a refused one is planned as a password update.
import type {Finding} from '../checks/findings.js';
import {isServiceError, testFailure} from '../services/errors.js';
import {fieldValue, withFields, type ProviderResource} from '../services/provider.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import type {Desired, Login} from './context.js';
import type {HandedOn, Link} from './link.js';
import {sameValue} from './compare.js';

export interface DownloadClientContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	/** How Sonarr/Radarr reach the download client (addresses.ts), its login, and the categories. */
	desired: Pick<Desired, 'addresses' | 'qbittorrent' | 'nzbget' | 'categories'>;
	journal: Journal;
	/** Plan: read only, no service's own test (see LinkContext.readOnly). */
	readOnly?: boolean;
}

export type DownloadProtocol = 'torrent' | 'usenet';

interface ClientKind {
	/** The link id after "sonarr-" (ids are kept: the journal names them). */
	idSuffix: string;
	/** The program, to the user and in the journal. */
	program: 'qBittorrent' | 'NZBGet';
	/** The name arrwire gives its entry in Sonarr/Radarr. */
	name: string;
	/** Sonarr's implementation name of the client. */
	implementation: string;
	/** The login and the address key in the desired state. */
	key: 'qbittorrent' | 'nzbget';
	/** The start of the finding ids. */
	findingId: string;
	/** A stack may take SABnzbd or torrent indexers instead: the protocol coverage check insists on a client. */
	optional: boolean;
	/** Links that must run before: a new password, and the categories the service's own test asks for. */
	after: string[];
}

const CLIENTS: Record<DownloadProtocol, ClientKind> = {
	torrent: {
		idSuffix: 'download-client',
		program: 'qBittorrent',
		name: 'qBittorrent',
		implementation: 'QBittorrent',
		key: 'qbittorrent',
		findingId: 'link.download-client',
		optional: false,
		after: ['qbittorrent-password', 'qbittorrent-categories'],
	},
	usenet: {
		idSuffix: 'usenet-download-client',
		program: 'NZBGet',
		name: 'NZBGet',
		implementation: 'Nzbget',
		key: 'nzbget',
		findingId: 'link.usenet-download-client',
		optional: true,
		after: ['nzbget-categories'],
	},
};

interface Current {
	existing?: ProviderResource;
	/** The service's own test of the existing client: undefined when it passed. */
	testFailure?: {field: string; message: string};
}

interface Payload {
	/** The field values to write (the password only when it must change). */
	values: Record<string, unknown>;
	id?: number;
}

const targetOf = (name: string) => `download client "${name}"`;
const categoryField = (kind: ServarrKind) => (kind === 'sonarr' ? 'tvCategory' : 'movieCategory');
const categoryOf = (kind: ServarrKind, context: DownloadClientContext) => (kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies);

/** The login as it stands in this run: a qBittorrent password set earlier in it wins over the one arrwire logged in with. */
function loginOf(client: ClientKind, context: DownloadClientContext, handed: Readonly<HandedOn>): Login | undefined {
	return client.key === 'qbittorrent' ? (handed.qbittorrentLogin ?? context.desired.qbittorrent) : context.desired.nzbget;
}

function wantedValues(kind: ServarrKind, client: ClientKind, context: DownloadClientContext, handed: Readonly<HandedOn>): Record<string, unknown> {
	const address = context.desired.addresses[`${kind}->${client.key}`]!;
	const login = loginOf(client, context, handed)!;
	return {
		host: address.host,
		port: address.port,
		useSsl: address.useSsl,
		urlBase: address.urlBase,
		username: login.username,
		password: login.password,
		[categoryField(kind)]: categoryOf(kind, context),
	};
}

export function downloadClientLink(kind: ServarrKind, protocol: DownloadProtocol = 'torrent'): Link<DownloadClientContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const spec = CLIENTS[protocol];
	const {program, name, implementation} = spec;
	const subject = `${service} -> ${program}`;
	const servarrOf = (context: DownloadClientContext) => context.clients[kind]!;
	return {
		id: `${kind}-${spec.idSuffix}`,
		title: `${service} -> ${program} download client (category ${kind === 'sonarr' ? 'tv' : 'movies'})`,
		services: [service, program],
		needs: {clients: [kind], after: spec.after, takes: spec.key === 'qbittorrent' ? ['qbittorrentLogin'] : []},
		optional: spec.optional,

		applicable(context) {
			if (!context.clients[kind]) {
				return `${service} was not found or its API key is missing`;
			}
			if (!context.desired.addresses[`${kind}->${spec.key}`]) {
				return `${program} was not found`;
			}
			return context.desired[spec.key] ? true : `the ${program} login is not known (run arrwire discover in a terminal)`;
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
			const wanted = wantedValues(kind, spec, context, handed);
			const reason = context.desired.addresses[`${kind}->${spec.key}`]!.reason;
			if (!current.existing) {
				const fields: FieldChange[] = Object.entries(wanted).map(([field, to]) => ({name: field, to, secret: field === 'password'}));
				return [{link: this.id, service, action: 'create', target: targetOf(name), fields, handMade: false, reason, payload: {values: wanted}}];
			}
			const existing = current.existing;
			const values: Record<string, unknown> = {};
			const fields: FieldChange[] = [];
			for (const [field, to] of Object.entries(wanted)) {
				if (field === 'password') {
					continue;
				}
				const from = fieldValue(existing, field);
				if (!sameValue(from, to)) {
					values[field] = to;
					fields.push({name: field, from, to});
				}
			}
			// The password is masked on read; a refused login in the service's own test says it is wrong, and a password
			// changed in this run is passed on before the service's old session runs out.
			const passwordChanged = spec.key === 'qbittorrent' && handed.qbittorrentLogin !== undefined;
			if ((current.testFailure && /^(username|password)$/i.test(current.testFailure.field)) || passwordChanged) {
				values.password = wanted.password;
				fields.push({name: 'password', from: '********', to: wanted.password, secret: true});
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
			if (current.testFailure) {
				const {field, message} = current.testFailure;
				findings.push({
					id: `${spec.findingId}-test-failed`,
					severity: 'error',
					subject,
					cause: `${service}'s test of its ${program} client fails${field ? ` on ${field}` : ''}: ${message}`,
					fix: /username|password/i.test(field)
						? `${program}'s password changed: run arrwire apply to update it in the download client.`
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
					cause: `${service} files its downloads under category "${String(category ?? '')}", not "${wanted}".`,
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
export const sonarrUsenetDownloadClientLink = downloadClientLink('sonarr', 'usenet');
export const radarrUsenetDownloadClientLink = downloadClientLink('radarr', 'usenet');
