// Link: Sonarr -> qBittorrent and Radarr -> qBittorrent download clients, each with its own category (tv, movies).
// The service tests the client itself on save (it logs into qBittorrent and creates the category, API-FACTS §1.6),
// so a plan that applies is a link that works. The stored password is masked on read: whether it is still right is
// learnt from the service's own test, and a refused one is planned as a password update.
import type {Finding} from '../checks/findings.js';
import {isServiceError, testFailure} from '../services/errors.js';
import {fieldValue, withFields, type ProviderResource} from '../services/provider.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import type {Desired} from './context.js';
import type {HandedOn, Link} from './link.js';
import {sameValue} from './compare.js';

export interface DownloadClientContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	/** How Sonarr/Radarr reach qBittorrent (addresses.ts), its login, and the categories. */
	desired: Pick<Desired, 'addresses' | 'qbittorrent' | 'categories'>;
	journal: Journal;
}

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

const NAME = 'qBittorrent';
const targetOf = (name: string) => `download client "${name}"`;
const target = targetOf(NAME);

function categoryField(kind: ServarrKind): string {
	return kind === 'sonarr' ? 'tvCategory' : 'movieCategory';
}

function wantedValues(kind: ServarrKind, context: DownloadClientContext, handed: Readonly<HandedOn>): Record<string, unknown> {
	const address = context.desired.addresses[`${kind}->qbittorrent`]!;
	// A password the qbittorrent-password link set earlier in this run wins over the one arrwire logged in with.
	const login = handed.qbittorrentLogin ?? context.desired.qbittorrent!;
	return {
		host: address.host,
		port: address.port,
		useSsl: address.useSsl,
		urlBase: address.urlBase,
		username: login.username,
		password: login.password,
		[categoryField(kind)]: kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies,
	};
}

export function downloadClientLink(kind: ServarrKind): Link<DownloadClientContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const client = (context: DownloadClientContext) => context.clients[kind]!;
	return {
		id: `${kind}-download-client`,
		title: `${service} -> qBittorrent download client (category ${kind === 'sonarr' ? 'tv' : 'movies'})`,
		services: [service, 'qBittorrent'],
		// qBittorrent's new password (if this run sets one) and its categories before the client that uses them.
		needs: {clients: [kind], after: ['qbittorrent-password', 'qbittorrent-categories'], takes: ['qbittorrentLogin']},

		applicable(context) {
			if (!context.clients[kind]) {
				return `${service} was not found or its API key is missing`;
			}
			if (!context.desired.addresses[`${kind}->qbittorrent`]) {
				return 'qBittorrent was not found';
			}
			return context.desired.qbittorrent ? true : 'the qBittorrent login is not known (run arrwire discover in a terminal)';
		},

		async read(context) {
			const clients = (await client(context).downloadClients()).filter(candidate => candidate.implementation === 'QBittorrent');
			const wantedCategory = kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies;
			// arrwire's own client, else one arrwire created under another name, else a user's client for the same
			// category. A qBittorrent client the user keeps for something else (a "qBit-4K" on category tv-4k) is theirs.
			const existing =
				clients.find(candidate => candidate.name === NAME) ??
				clients.find(candidate => context.journal.createdByArrwire(service, targetOf(candidate.name ?? ''), candidate.id)) ??
				clients.find(candidate => sameValue(fieldValue(candidate, categoryField(kind)), wantedCategory));
			if (!existing) {
				return {};
			}
			try {
				await client(context).test('downloadclient', existing);
				return {existing};
			} catch (error) {
				if (isServiceError(error) && error.kind === 'validation') {
					return {existing, testFailure: testFailure(error)};
				}
				throw error;
			}
		},

		plan(current, context, handed = {}) {
			const wanted = wantedValues(kind, context, handed);
			const passwordChanged = handed.qbittorrentLogin !== undefined;
			const reason = context.desired.addresses[`${kind}->qbittorrent`]!.reason;
			if (!current.existing) {
				const fields: FieldChange[] = Object.entries(wanted).map(([name, to]) => ({name, to, secret: name === 'password'}));
				return [{link: this.id, service, action: 'create', target, fields, handMade: false, reason, payload: {values: wanted}}];
			}
			const existing = current.existing;
			const values: Record<string, unknown> = {};
			const fields: FieldChange[] = [];
			for (const [name, to] of Object.entries(wanted)) {
				if (name === 'password') {
					continue;
				}
				const from = fieldValue(existing, name);
				if (!sameValue(from, to)) {
					values[name] = to;
					fields.push({name, from, to});
				}
			}
			// The password is masked on read; a refused login in the service's own test says it is wrong, and a password
			// changed in this run is passed on before the service's old session runs out.
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
			const existingTarget = targetOf(existing.name ?? NAME);
			const handMade = !context.journal.createdByArrwire(service, existingTarget, existing.id);
			const why = current.testFailure
				? `${service}'s own test fails: ${current.testFailure.message}`
				: passwordChanged
					? 'qBittorrent has a new password (set in this run)'
					: reason;
			return [{link: this.id, service, action: 'update', target: existingTarget, fields, handMade, reason: why, payload: {values, id: existing.id}}];
		},

		async apply(change, context) {
			const servarr = client(context);
			if (change.action === 'create') {
				// Converge: a client may have appeared since the plan (a re-run after an interrupted one).
				const present = (await servarr.downloadClients()).find(candidate => candidate.implementation === 'QBittorrent' && candidate.name === NAME);
				if (present) {
					const updated = await servarr.update('downloadclient', {...withFields(present, change.payload.values), enable: true});
					return {entryId: updated.id, before: present, after: updated};
				}
				const template = (await servarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent');
				if (!template) {
					throw new Error(`${service} offers no qBittorrent download client; is it Sonarr v4 / Radarr v5?`);
				}
				const created = await servarr.create('downloadclient', {...withFields(template, change.payload.values), name: NAME, enable: true});
				return {entryId: created.id, after: created};
			}
			const before = (await servarr.downloadClients()).find(candidate => candidate.id === change.payload.id);
			if (!before) {
				throw new Error(`${service}'s ${target} was deleted since the plan; run arrwire again`);
			}
			const updated = await servarr.update('downloadclient', {...withFields(before, change.payload.values), enable: true});
			return {entryId: updated.id, before, after: updated};
		},

		async verify(context) {
			const findings: Finding[] = [];
			const current = await this.read(context);
			if (!current.existing) {
				findings.push({id: 'link.download-client-missing', severity: 'error', subject: `${service} -> qBittorrent`, cause: `${service} has no qBittorrent download client.`, fix: 'Run arrwire apply to add it.'});
				return findings;
			}
			if (current.testFailure) {
				findings.push({
					id: 'link.download-client-test-failed',
					severity: 'error',
					subject: `${service} -> qBittorrent`,
					cause: `${service}'s test of its qBittorrent client fails on ${current.testFailure.field}: ${current.testFailure.message}`,
					fix: /username|password/i.test(current.testFailure.field)
						? 'The qBittorrent password changed: run arrwire apply to update it in the download client.'
						: `${service} cannot reach qBittorrent at ${String(fieldValue(current.existing, 'host'))}:${String(fieldValue(current.existing, 'port'))}; use an address ${service} itself can reach (run arrwire apply to set it).`,
				});
			}
			const category = fieldValue(current.existing, categoryField(kind));
			const wanted = kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies;
			if (!sameValue(category, wanted)) {
				findings.push({
					id: 'link.download-client-category',
					severity: 'warning',
					subject: `${service} -> qBittorrent`,
					cause: `${service} files its downloads under category "${String(category ?? '')}", not "${wanted}".`,
					fix: `Run arrwire apply to set it to "${wanted}".`,
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const servarr = client(context);
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
