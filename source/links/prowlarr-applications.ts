// Link: Prowlarr -> Sonarr and Prowlarr -> Radarr applications (Prowlarr src/NzbDrone.Core/Applications/). Prowlarr tests an application
// both ways on save (it calls Sonarr at baseUrl, and Sonarr calls Prowlarr back at prowlarrUrl), then syncs its
// indexers into Sonarr/Radarr. The stored API key is masked on read: Prowlarr's own test says whether it works.
import type {Finding} from '../checks/findings.js';
import {isServiceError, testFailure, withFix} from '../services/errors.js';
import {fieldValue, valueText, withFields, type ProviderResource} from '../services/provider.js';
import type {ProwlarrApplication, ProwlarrClient} from '../services/prowlarr.js';
import type {ServarrClient, ServarrKind} from '../services/servarr.js';
import type {Journal} from '../state/journal.js';
import {addressUrl} from './addresses.js';
import type {Change, FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {unusable} from './unusable.js';

export interface ProwlarrApplicationContext {
	clients: {prowlarr?: ProwlarrClient; sonarr?: ServarrClient; radarr?: ServarrClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	/** addresses: how Sonarr/Radarr reach Prowlarr and back; keys.sonarr/radarr: the key Prowlarr uses. */
	desired: Pick<Desired, 'addresses' | 'keys'>;
	journal: Journal;
	/** Plan: read only, no service's own test (see LinkContext.readOnly). */
	readOnly?: boolean;
}

interface Current {
	existing?: ProwlarrApplication;
	/** Prowlarr's own test of the existing application: undefined when it passed. */
	testFailure?: {field: string; message: string};
}

interface Payload {
	/** The field values to write (the key only when it must change). */
	values: Record<string, unknown>;
	id?: number;
	prowlarrUrl: string;
	baseUrl: string;
}

const SYNC_LEVEL = 'fullSync';

/** The sync level an update writes: the user's "addOnly" stays, anything else becomes Full Sync. */
function keptSyncLevel(application: {syncLevel?: string}): string {
	return application.syncLevel === 'addOnly' ? 'addOnly' : SYNC_LEVEL;
}
const SYNC_COMMAND = 'ApplicationIndexerSync';

function trimmed(url: unknown): string {
	return typeof url === 'string' ? url.replace(/\/+$/, '') : '';
}


function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The Prowlarr indexer id an app's indexer points at, when Prowlarr put it there (AppIndexerRegex, Prowlarr src/NzbDrone.Core/Applications/ApplicationBase.cs). */
function prowlarrIndexerId(indexer: ProviderResource, prowlarrUrl: string): number | undefined {
	const match = new RegExp(`^${escapeRegex(trimmed(prowlarrUrl))}/(\\d+)/?(api)?/?$`, 'i').exec(valueText(fieldValue(indexer, 'baseUrl')));
	return match ? Number(match[1]) : undefined;
}

export function prowlarrApplicationLink(kind: ServarrKind): Link<ProwlarrApplicationContext, Current, Payload> {
	const app = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const targetOf = (name?: string | null) => `application "${name || app}"`;
	const servarr = (context: ProwlarrApplicationContext) => context.clients[kind]!;
	const wanted = (context: ProwlarrApplicationContext) => {
		const toProwlarr = context.desired.addresses[`${kind}->prowlarr`]!;
		const toApp = context.desired.addresses[`prowlarr->${kind}`]!;
		return {
			prowlarrUrl: addressUrl(toProwlarr),
			baseUrl: addressUrl(toApp),
			apiKey: context.desired.keys[kind]!,
			reason: `${app} reaches Prowlarr at ${addressUrl(toProwlarr)} (${toProwlarr.reason}); Prowlarr reaches ${app} at ${addressUrl(toApp)} (${toApp.reason})`,
		};
	};
	const findExisting = (applications: ProwlarrApplication[]) => applications.find(candidate => candidate.implementation === app);

	/** A failed write, with a fix that names the address or key the failing direction used. */
	const explained = (error: unknown, payload: Payload): unknown => {
		const failure = testFailure(error);
		if (!failure || !isServiceError(error)) {
			return error;
		}
		let fix: string | undefined;
		if (/^prowlarrurl$/i.test(failure.field)) {
			fix = `${app} could not reach Prowlarr at ${payload.prowlarrUrl}. Use an address ${app} itself can reach (from inside its container, if it runs in one: a container name or the host's IP, not localhost), and check that nothing blocks that port.`;
		} else if (/^baseurl$/i.test(failure.field)) {
			fix = `Prowlarr could not reach ${app} at ${payload.baseUrl}. Use an address Prowlarr itself can reach, with ${app}'s URL base if it has one.`;
		} else if (/^apikey$/i.test(failure.field)) {
			fix = `${app} refused the API key Prowlarr sent. Copy it from ${app} → Settings → General → Security → API Key and run arrwire again.`;
		}
		return fix ? withFix(error, fix) : error;
	};

	/** Asks Prowlarr to push its indexers now, so they are in Sonarr/Radarr when apply returns. */
	const sync = async (prowlarr: ProwlarrClient) => {
		const command = await prowlarr.runCommand(SYNC_COMMAND);
		if (command.status === 'failed') {
			throw new Error(`Prowlarr's ${SYNC_COMMAND} failed${command.message ? `: ${command.message}` : ''}; Prowlarr → System → Logs says why.`);
		}
	};

	return {
		id: `prowlarr-${kind}`,
		title: `Prowlarr -> ${app} application (indexer sync)`,
		services: ['Prowlarr', app],
		// Prowlarr's indexer before the apps that sync it.
		needs: {clients: ['prowlarr', kind], keys: [kind], after: ['nzbgeek-indexer']},

		applicable(context) {
			if (!context.clients.prowlarr) {
				return unusable('prowlarr', context);
			}
			if (!context.clients[kind] || !context.desired.keys[kind]) {
				return unusable(kind, context);
			}
			if (!context.desired.addresses[`${kind}->prowlarr`] || !context.desired.addresses[`prowlarr->${kind}`]) {
				return `the addresses between Prowlarr and ${app} are not known`;
			}
			return true;
		},

		async read(context) {
			const prowlarr = context.clients.prowlarr!;
			const existing = findExisting(await prowlarr.applications());
			if (!existing || context.readOnly) {
				return {existing};
			}
			try {
				await prowlarr.test('applications', existing);
				return {existing};
			} catch (error) {
				if (isServiceError(error) && error.kind === 'validation') {
					// Warnings only: the test passed.
					const refused = testFailure(error);
					return refused ? {existing, testFailure: refused} : {existing};
				}
				throw error;
			}
		},

		plan(current, context) {
			const {prowlarrUrl, baseUrl, apiKey, reason} = wanted(context);
			if (!current.existing) {
				const fields: FieldChange[] = [
					{name: 'prowlarrUrl', to: prowlarrUrl},
					{name: 'baseUrl', to: baseUrl},
					{name: 'apiKey', to: apiKey, secret: true},
					{name: 'syncLevel', to: SYNC_LEVEL},
				];
				return [{link: this.id, service: 'Prowlarr', action: 'create', target: targetOf(app), fields, handMade: false, reason, payload: {values: {prowlarrUrl, baseUrl, apiKey}, prowlarrUrl, baseUrl}}];
			}
			const existing = current.existing;
			const values: Record<string, unknown> = {};
			const fields: FieldChange[] = [];
			for (const [name, to] of Object.entries({prowlarrUrl, baseUrl})) {
				const from = fieldValue(existing, name);
				if (trimmed(from) !== trimmed(to)) {
					values[name] = to;
					fields.push({name, from, to});
				}
			}
			// The key is masked on read; a refusal in Prowlarr's own test says it is wrong.
			if (current.testFailure && /^apikey$/i.test(current.testFailure.field)) {
				values.apiKey = apiKey;
				fields.push({name: 'apiKey', from: fieldValue(existing, 'apiKey'), to: apiKey, secret: true});
			}
			// "Add and Remove Only" is a choice the user may have made; only a disabled sync is a fault.
			if (existing.syncLevel !== SYNC_LEVEL && existing.syncLevel !== 'addOnly') {
				fields.push({name: 'syncLevel', from: existing.syncLevel, to: SYNC_LEVEL});
			}
			if (fields.length === 0) {
				return [];
			}
			const target = targetOf(existing.name);
			const why = current.testFailure ? `Prowlarr's own test fails: ${current.testFailure.message}. ${reason}` : reason;
			const change: Change<Payload> = {
				link: this.id,
				service: 'Prowlarr',
				action: 'update',
				target,
				fields,
				handMade: !context.journal.createdByArrwire('Prowlarr', target, existing.id),
				reason: why,
				payload: {values, id: existing.id, prowlarrUrl, baseUrl},
			};
			return [change];
		},

		async apply(change, context) {
			const prowlarr = context.clients.prowlarr!;
			const {values} = change.payload;
			let applied: {id?: number; before?: ProwlarrApplication};
			try {
				if (change.action === 'create') {
					// Converge: the application may have appeared since the plan (a re-run after a write that timed out).
					const present = findExisting(await prowlarr.applications());
					if (present) {
						const updated = await prowlarr.update('applications', {...withFields(present, values), syncLevel: keptSyncLevel(present)});
						applied = {id: updated.id, before: present};
					} else {
						const template = (await prowlarr.applicationSchema()).find(entry => entry.implementation === app);
						if (!template) {
							throw new Error(`Prowlarr offers no ${app} application; is it Prowlarr v1 or newer?`);
						}
						const created = await prowlarr.create('applications', {...withFields(template, values), name: app, syncLevel: SYNC_LEVEL});
						applied = {id: created.id};
					}
				} else {
					const before = (await prowlarr.applications()).find(candidate => candidate.id === change.payload.id);
					if (!before) {
						throw new Error(`Prowlarr's ${change.target} was deleted since the plan; run arrwire again`);
					}
					const updated = await prowlarr.update('applications', {...withFields(before, values), syncLevel: keptSyncLevel(before)});
					applied = {id: updated.id, before};
				}
			} catch (error) {
				throw explained(error, change.payload);
			}
			// The application is saved: it is journalled whatever the sync does (a failed sync shows in verify, which
			// checks that the indexers arrived).
			await sync(prowlarr).catch(() => undefined);
			// Prowlarr's GET answer masks the key: that is what the journal keeps.
			const after = (await prowlarr.applications().catch(() => [])).find(candidate => candidate.id === applied.id);
			return {entryId: applied.id, before: applied.before, after};
		},

		async verify(context) {
			const findings: Finding[] = [];
			const subject = `Prowlarr -> ${app}`;
			const current = await this.read(context);
			if (!current.existing) {
				findings.push({id: 'link.prowlarr-application-missing', severity: 'error', subject, cause: `Prowlarr has no ${app} application, so it sends ${app} no indexers.`, fix: 'Run arrwire apply to add it.'});
				return findings;
			}
			const existing = current.existing;
			const prowlarrUrl = trimmed(fieldValue(existing, 'prowlarrUrl'));
			const baseUrl = trimmed(fieldValue(existing, 'baseUrl'));
			if (current.testFailure) {
				const field = current.testFailure.field;
				findings.push({
					id: 'link.prowlarr-application-test-failed',
					severity: 'error',
					subject,
					cause: `Prowlarr's test of the ${app} application fails${field ? ` on ${field}` : ''}: ${current.testFailure.message}`,
					evidence: [`${app} reaches Prowlarr at ${prowlarrUrl}`, `Prowlarr reaches ${app} at ${baseUrl}`],
					fix: /^prowlarrurl$/i.test(field)
						? `${app} cannot reach Prowlarr at ${prowlarrUrl}: use an address ${app} itself can reach (run arrwire apply to set it).`
						: /^apikey$/i.test(field)
							? `${app}'s API key changed: run arrwire apply to give Prowlarr the new one.`
							: `Prowlarr cannot reach ${app} at ${baseUrl}: use an address Prowlarr itself can reach (run arrwire apply to set it).`,
				});
				// Without a working connection the indexer check below would only repeat this.
				return findings;
			}
			if (existing.syncLevel !== 'fullSync' && existing.syncLevel !== 'addOnly') {
				findings.push({id: 'link.prowlarr-application-disabled', severity: 'warning', subject, cause: `The ${app} application's sync level is "${existing.syncLevel ?? ''}", so Prowlarr sends ${app} no indexers.`, fix: 'Run arrwire apply to set it to Full Sync.'});
				return findings;
			}
			// Tagged applications receive only indexers that share a tag (ShouldHandleIndexer, Prowlarr src/NzbDrone.Core/Applications/ApplicationService.cs).
			const tags = existing.tags ?? [];
			const expected = (await context.clients.prowlarr!.indexers()).filter(indexer => indexer.enable === true && (tags.length === 0 || (indexer.tags ?? []).some(tag => tags.includes(tag))));
			const arrived = new Set((await servarr(context).indexers()).map(indexer => prowlarrIndexerId(indexer, prowlarrUrl)).filter(id => id !== undefined));
			const missing = expected.filter(indexer => !arrived.has(indexer.id!));
			if (missing.length > 0) {
				findings.push({
					id: 'link.prowlarr-indexers-missing',
					severity: 'warning',
					subject,
					cause: `${missing.length === 1 ? 'An indexer' : `${missing.length} indexers`} of Prowlarr ${missing.length === 1 ? 'has' : 'have'} not arrived in ${app}: ${missing.map(indexer => `"${indexer.name ?? indexer.id}"`).join(', ')}.`,
					evidence: [`${app}'s indexers that point at ${prowlarrUrl}: ${arrived.size}`],
					fix: `In Prowlarr → System → Tasks, run Application Indexer Sync; if they still do not arrive, Prowlarr → System → Logs says why (${app} may refuse an indexer its test fails, or one without ${app === 'Sonarr' ? 'TV' : 'movie'} categories).`,
				});
			}
			return findings;
		},

		async undo(entry, context) {
			const prowlarr = context.clients.prowlarr!;
			const id = Number(entry.entryId);
			if (entry.action === 'create' && !entry.before) {
				const removed = (await prowlarr.applications()).find(candidate => candidate.id === id);
				await prowlarr.remove('applications', id);
				// Prowlarr leaves the indexers it synced in place when an application is deleted; they came with it.
				const prowlarrUrl = removed ? trimmed(fieldValue(removed, 'prowlarrUrl')) : '';
				if (prowlarrUrl && context.clients[kind]) {
					for (const indexer of await servarr(context).indexers()) {
						if (prowlarrIndexerId(indexer, prowlarrUrl) !== undefined && / \(Prowlarr\)$/.test(indexer.name ?? '') && indexer.id !== undefined) {
							await servarr(context).remove('indexer', indexer.id);
						}
					}
				}
				return;
			}
			const before = entry.before as ProwlarrApplication | undefined;
			const now = (await prowlarr.applications()).find(candidate => candidate.id === id);
			if (before && now) {
				// The key stays as it is now (masked, so sent back unchanged): the old one was never known to arrwire.
				const restored = {...withFields(now, {prowlarrUrl: fieldValue(before, 'prowlarrUrl'), baseUrl: fieldValue(before, 'baseUrl')}), syncLevel: before.syncLevel ?? now.syncLevel};
				// forceSave: the state before may be one Prowlarr's test refuses (that is often why it was changed).
				await prowlarr.update('applications', restored, {forceSave: true});
			}
		},
	};
}

export const prowlarrSonarrLink = prowlarrApplicationLink('sonarr');
export const prowlarrRadarrLink = prowlarrApplicationLink('radarr');
