// Link: Sonarr -> NZBGet and Radarr -> NZBGet download clients (category tv, movies): the Usenet client that
// NZBgeek's releases need. The service tests the client itself on save (Sonarr
// src/NzbDrone.Core/Download/Clients/Nzbget/Nzbget.cs: JSON-RPC version with the login, then the category), so a
// plan that applies is a link that works. The stored password is masked on read: whether it is still right is learnt
// from the service's own test, and a refused one is planned as a password update.
import type {Finding} from '../checks/findings.js';
import {isServiceError, testFailure} from '../services/errors.js';
import {fieldValue, withFields, type ProviderResource} from '../services/provider.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import {sameValue} from './compare.js';
import type {Desired} from './context.js';
import type {Link} from './link.js';

export interface UsenetDownloadClientContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient};
	/** How Sonarr/Radarr reach NZBGet (addresses.ts), its login, and the categories. */
	desired: Pick<Desired, 'addresses' | 'nzbget' | 'categories'>;
	journal: Journal;
}

interface Current {
	existing?: ProviderResource;
	testFailure?: {field: string; message: string};
}

interface Payload {
	values: Record<string, unknown>;
	id?: number;
}

const NAME = 'NZBGet';
const IMPLEMENTATION = 'Nzbget';
const targetOf = (name: string) => `download client "${name}"`;

const categoryField = (kind: ServarrKind) => (kind === 'sonarr' ? 'tvCategory' : 'movieCategory');
const categoryOf = (kind: ServarrKind, context: UsenetDownloadClientContext) => (kind === 'sonarr' ? context.desired.categories.tv : context.desired.categories.movies);

function wantedValues(kind: ServarrKind, context: UsenetDownloadClientContext): Record<string, unknown> {
	const address = context.desired.addresses[`${kind}->nzbget`]!;
	const login = context.desired.nzbget!;
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

export function usenetDownloadClientLink(kind: ServarrKind): Link<UsenetDownloadClientContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const client = (context: UsenetDownloadClientContext) => context.clients[kind]!;
	return {
		id: `${kind}-usenet-download-client`,
		title: `${service} -> NZBGet download client (category ${kind === 'sonarr' ? 'tv' : 'movies'})`,
		services: [service, 'NZBGet'],
		// A stack may take SABnzbd or torrent indexers instead: the protocol coverage check is what insists on a client.
		optional: true,

		applicable(context) {
			if (!context.clients[kind]) {
				return `${service} was not found or its API key is missing`;
			}
			if (!context.desired.addresses[`${kind}->nzbget`]) {
				return 'NZBGet was not found';
			}
			return context.desired.nzbget ? true : 'the NZBGet login is not known (run arrwire discover in a terminal)';
		},

		async read(context) {
			const clients = (await client(context).downloadClients()).filter(candidate => candidate.implementation === IMPLEMENTATION);
			// arrwire's own client, else one it created under another name, else a user's NZBGet client for the same category.
			const existing =
				clients.find(candidate => candidate.name === NAME) ??
				clients.find(candidate => context.journal.createdByArrwire(service, targetOf(candidate.name ?? ''), candidate.id)) ??
				clients.find(candidate => sameValue(fieldValue(candidate, categoryField(kind)), categoryOf(kind, context)));
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

		plan(current, context) {
			const wanted = wantedValues(kind, context);
			const reason = context.desired.addresses[`${kind}->nzbget`]!.reason;
			if (!current.existing) {
				const fields: FieldChange[] = Object.entries(wanted).map(([name, to]) => ({name, to, secret: name === 'password'}));
				return [{link: this.id, service, action: 'create', target: targetOf(NAME), fields, handMade: false, reason, payload: {values: wanted}}];
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
			if (current.testFailure && /^(username|password)$/i.test(current.testFailure.field)) {
				values.password = wanted.password;
				fields.push({name: 'password', from: '********', to: wanted.password, secret: true});
			}
			if (existing.enable === false) {
				fields.push({name: 'enable', from: false, to: true});
			}
			if (fields.length === 0) {
				return [];
			}
			const target = targetOf(existing.name ?? NAME);
			const handMade = !context.journal.createdByArrwire(service, target, existing.id);
			const why = current.testFailure ? `${service}'s own test fails: ${current.testFailure.message}` : reason;
			return [{link: this.id, service, action: 'update', target, fields, handMade, reason: why, payload: {values, id: existing.id}}];
		},

		async apply(change, context) {
			const servarr = client(context);
			if (change.action === 'create') {
				// Converge: a client may have appeared since the plan (a re-run after an interrupted one).
				const present = (await servarr.downloadClients()).find(candidate => candidate.implementation === IMPLEMENTATION && candidate.name === NAME);
				if (present) {
					const updated = await servarr.update('downloadclient', {...withFields(present, change.payload.values), enable: true});
					return {entryId: updated.id, before: present, after: updated};
				}
				const template = (await servarr.downloadClientSchema()).find(entry => entry.implementation === IMPLEMENTATION);
				if (!template) {
					throw new Error(`${service} offers no NZBGet download client; is it Sonarr v4 / Radarr v5?`);
				}
				const created = await servarr.create('downloadclient', {...withFields(template, change.payload.values), name: NAME, enable: true});
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
			const subject = `${service} -> NZBGet`;
			if (!current.existing) {
				return [{id: 'link.usenet-download-client-missing', severity: 'error', subject, cause: `${service} has no NZBGet download client.`, fix: 'Run arrwire apply to add it.'}];
			}
			const findings: Finding[] = [];
			if (current.testFailure) {
				findings.push({
					id: 'link.usenet-download-client-test-failed',
					severity: 'error',
					subject,
					cause: `${service}'s test of its NZBGet client fails${current.testFailure.field ? ` on ${current.testFailure.field}` : ''}: ${current.testFailure.message}`,
					fix: /username|password/i.test(current.testFailure.field)
						? "NZBGet's password changed: run arrwire apply to update it in the download client."
						: /category/i.test(current.testFailure.field)
							? 'Run arrwire apply: it adds the category to NZBGet first.'
							: `${service} cannot reach NZBGet at ${String(fieldValue(current.existing, 'host'))}:${String(fieldValue(current.existing, 'port'))}; use an address ${service} itself can reach (run arrwire apply to set it).`,
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
				const values = Object.fromEntries(before.fields.filter(field => field.name !== 'password').map(field => [field.name, field.value]));
				await servarr.update('downloadclient', {...withFields(now, values), enable: (before as {enable?: boolean}).enable ?? true});
			}
		},
	};
}

export const sonarrUsenetDownloadClientLink = usenetDownloadClientLink('sonarr');
export const radarrUsenetDownloadClientLink = usenetDownloadClientLink('radarr');
