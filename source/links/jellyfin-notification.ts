// Link (optional): Sonarr/Radarr -> Jellyfin, the "Emby / Jellyfin" connection that asks Jellyfin to rescan a show
// or movie when it is imported (Sonarr src/NzbDrone.Core/Notifications/MediaBrowser/MediaBrowserProxy.cs). Its API key is one arrwire keeps in Jellyfin under
// the name "arrwire" (created once, reused after). Sonarr 4's own test cannot tell a wrong key: Jellyfin has no
// /Notifications/Admin, answers 404 before authentication, and Sonarr swallows the 404. Sonarr sends the key as
// X-MediaBrowser-Token, which Jellyfin 12 refuses by default. arrwire cannot read the key back (Sonarr masks it), so
// verify calls Jellyfin itself with the key it keeps, in the modern header, and weighs the versions (checks/compatibility.ts).
import {jellyfinConnectionFindings, type CompatibilityFacts, type OwnKeyCall} from '../checks/compatibility.js';
import type {Finding} from '../checks/findings.js';
import {isServiceError} from '../services/errors.js';
import {JellyfinClient} from '../services/jellyfin.js';
import {fieldValue, valueText, withFields, type ProviderResource} from '../services/provider.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {unusable} from './unusable.js';

export interface JellyfinNotificationContext {
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient; jellyfin?: JellyfinClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	desired: Pick<Desired, 'addresses' | 'keys'>;
	journal: Journal;
	/** The versions already known (LinkContext.versions); the ones missing are read. */
	versions?: Partial<Record<ServarrKind | 'jellyfin', string>>;
}

interface Current {
	existing?: ProviderResource;
	/** The Jellyfin key arrwire keeps for this link, when there is one. */
	arrwireKey?: string;
}

interface Payload {
	values: Record<string, unknown>;
	id?: number;
}

export const JELLYFIN_KEY_APP = 'arrwire';
const NAME = 'Jellyfin';
const target = `connection "${NAME}" (Emby / Jellyfin)`;

function triggers(kind: ServarrKind): Record<string, boolean> {
	return kind === 'sonarr' ? {onDownload: true, onUpgrade: true, onRename: true, onSeriesDelete: true, onEpisodeFileDelete: true} : {onDownload: true, onUpgrade: true, onRename: true, onMovieDelete: true, onMovieFileDelete: true};
}

export function jellyfinNotificationLink(kind: ServarrKind): Link<JellyfinNotificationContext, Current, Payload> {
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const address = (context: JellyfinNotificationContext) => context.desired.addresses[`${kind}->jellyfin`]!;
	return {
		id: `${kind}-jellyfin-refresh`,
		title: `${service} -> Jellyfin library refresh on import`,
		services: [service, 'Jellyfin'],
		needs: {clients: [kind, 'jellyfin'], keys: ['jellyfin']},
		optional: true,

		applicable(context) {
			if (!context.clients[kind]) {
				return unusable(kind, context);
			}
			if (!context.clients.jellyfin) {
				return unusable('jellyfin', context);
			}
			if (!context.desired.addresses[`${kind}->jellyfin`]) {
				return `no address of Jellyfin that ${service} can reach is known`;
			}
			return true;
		},

		async read(context) {
			const existing = (await context.clients[kind]!.notifications()).find(candidate => candidate.implementation === 'MediaBrowser');
			const keys = await context.clients.jellyfin!.apiKeys();
			const arrwireKey = context.desired.keys.jellyfin ?? keys.filter(key => key.AppName === JELLYFIN_KEY_APP).at(-1)?.AccessToken;
			return {existing, arrwireKey};
		},

		plan(current, context) {
			const to = address(context);
			const wanted: Record<string, unknown> = {host: to.host, port: to.port, useSsl: to.useSsl, urlBase: to.urlBase, updateLibrary: true};
			if (!current.existing) {
				const fields: FieldChange[] = [
					...Object.entries(wanted).map(([name, value]) => ({name, to: value})),
					// A description of the key, not the key: it is fetched or made when the change runs.
					{name: 'apiKey', to: current.arrwireKey ? 'the Jellyfin API key "arrwire"' : 'a new Jellyfin API key "arrwire"'},
				];
				return [{link: this.id, service, action: 'create', target, fields, handMade: false, reason: to.reason, payload: {values: wanted}}];
			}
			const fields: FieldChange[] = [];
			const values: Record<string, unknown> = {};
			for (const [name, value] of Object.entries(wanted)) {
				const from = fieldValue(current.existing, name);
				if (valueText(from) !== valueText(value)) {
					fields.push({name, from, to: value});
					values[name] = value;
				}
			}
			if (fields.length === 0) {
				return [];
			}
			return [
				{
					link: this.id,
					service,
					action: 'update',
					target,
					fields,
					handMade: !context.journal.createdByArrwire(service, target, current.existing.id),
					reason: to.reason,
					payload: {values, id: current.existing.id},
				},
			];
		},

		async apply(change, context) {
			const servarr = context.clients[kind]!;
			const jellyfin = context.clients.jellyfin!;
			const present = (await servarr.notifications()).find(candidate => candidate.implementation === 'MediaBrowser');
			if (present) {
				const updated = await servarr.update('notification', withFields(present, change.payload.values));
				return {entryId: updated.id, before: present, after: updated};
			}
			const existingKey = context.desired.keys.jellyfin ?? (await jellyfin.apiKeys()).filter(key => key.AppName === JELLYFIN_KEY_APP).at(-1)?.AccessToken;
			const apiKey = existingKey ?? (await jellyfin.createApiKey(JELLYFIN_KEY_APP));
			const template = (await servarr.notificationSchema()).find(entry => entry.implementation === 'MediaBrowser');
			if (!template) {
				throw new Error(`${service} offers no Emby / Jellyfin connection`);
			}
			const created = await servarr.create('notification', {...withFields(template, {...change.payload.values, apiKey, notify: false}), ...triggers(kind), name: NAME});
			return {entryId: created.id, after: created};
		},

		async verify(context) {
			const findings: Finding[] = [];
			const {existing, arrwireKey} = await this.read(context);
			const subject = `${service} -> Jellyfin`;
			if (!existing) {
				findings.push({id: 'link.jellyfin-refresh-missing', severity: 'warning', subject, cause: `${service} does not tell Jellyfin about imports; new episodes appear only at Jellyfin's next scheduled scan.`, fix: 'Run arrwire apply to add the connection.'});
				return findings;
			}
			let ownTest: {field: string; message: string} | undefined;
			try {
				await context.clients[kind]!.test('notification', existing);
			} catch (error) {
				if (!isServiceError(error)) {
					throw error;
				}
				ownTest = {field: error.validation[0]?.propertyName ?? '', message: error.validation[0]?.errorMessage ?? error.message};
			}
			// The test alone cannot tell a wrong key from a header Jellyfin refuses: arrwire's own call with the key, in
			// the modern header, and the versions and setting on both sides can.
			const facts = await connectionFacts(kind, context);
			const ownCall = arrwireKey ? await ownKeyCall(context.clients.jellyfin!, arrwireKey) : 'not-made';
			findings.push(...jellyfinConnectionFindings({kind, facts, ownCall, ownTest}));
			if (!arrwireKey) {
				findings.push({
					id: 'link.jellyfin-refresh-key-unknown',
					severity: 'info',
					subject,
					cause: `Jellyfin has no API key named "${JELLYFIN_KEY_APP}"; the key ${service} holds cannot be checked (Jellyfin's answer to ${service}'s test does not depend on it).`,
					fix: `If imports do not show up in Jellyfin, create a key in Jellyfin (Dashboard → API Keys) and paste it into ${service} → Settings → Connect → Jellyfin.`,
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const servarr = context.clients[kind]!;
			if (entry.action === 'create' && !entry.before) {
				await servarr.remove('notification', Number(entry.entryId));
				return;
			}
			const before = entry.before as ProviderResource | undefined;
			const now = (await servarr.notifications()).find(candidate => candidate.id === Number(entry.entryId));
			if (before && now) {
				const values = Object.fromEntries(before.fields.filter(field => field.name !== 'apiKey').map(field => [field.name, field.value]));
				await servarr.update('notification', withFields(now, values));
			}
		},
	};
}

/** The versions of both sides and Jellyfin's EnableLegacyAuthorization, each left unknown when it cannot be read. */
async function connectionFacts(kind: ServarrKind, context: JellyfinNotificationContext): Promise<CompatibilityFacts> {
	const jellyfin = context.clients.jellyfin!;
	const known = context.versions ?? {};
	const [servarrVersion, jellyfinVersion, configuration] = await Promise.all([
		known[kind] ?? context.clients[kind]!.systemStatus().then(status => status.version, () => undefined),
		known.jellyfin ?? jellyfin.systemInfo().then(info => info.Version, () => undefined),
		jellyfin.systemConfiguration().catch(() => undefined),
	]);
	return {versions: {[kind]: servarrVersion, jellyfin: jellyfinVersion}, jellyfinLegacyAuthorization: configuration?.EnableLegacyAuthorization};
}

/** One authenticated call to Jellyfin with the key, in the Authorization header every Jellyfin accepts. */
async function ownKeyCall(jellyfin: JellyfinClient, key: string): Promise<OwnKeyCall> {
	try {
		const withKey = new JellyfinClient({url: jellyfin.http.baseUrl, token: key});
		// The command's memo (its key holds the header, so the key's answer is its own): Sonarr's and Radarr's links ask once.
		withKey.http.memo = jellyfin.http.memo;
		await withKey.systemConfiguration();
		return 'accepted';
	} catch (error) {
		return isServiceError(error) && error.status === 401 ? 'refused' : 'not-made';
	}
}

export const sonarrJellyfinLink = jellyfinNotificationLink('sonarr');
export const radarrJellyfinLink = jellyfinNotificationLink('radarr');
