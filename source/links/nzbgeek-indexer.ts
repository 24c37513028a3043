// Link: NZBgeek as an indexer in Prowlarr, from the schema preset (Prowlarr src/NzbDrone.Core/Indexers/Definitions/Newznab/Newznab.cs). Prowlarr tests the indexer
// against NZBgeek itself on save, so a plan that applies is an indexer that answers. The stored API key is masked on
// read: whether it still works is learnt from Prowlarr's own test, and a refused key is planned as a key update.
import type {Finding} from '../checks/findings.js';
import {isServiceError, testFailure} from '../services/errors.js';
import {fieldValue, valueText, withFields, type ProviderResource} from '../services/provider.js';
import type {IndexerStatus, ProwlarrClient, ProwlarrIndexer} from '../services/prowlarr.js';
import type {Journal} from '../state/journal.js';
import type {FieldChange} from './change.js';
import type {Desired, StackServices} from './context.js';
import type {Link} from './link.js';
import {unusable} from './unusable.js';

export interface NzbgeekIndexerContext {
	clients: {prowlarr?: ProwlarrClient};
	/** keys.nzbgeek: the user's NZBgeek API key. */
	desired: Pick<Desired, 'keys'>;
	journal: Journal;
	/** The Usenet download clients found: without one, every grab from NZBgeek fails. */
	services?: Pick<StackServices, 'nzbget' | 'sabnzbd'>;
	/** Plan: read only, no service's own test (see LinkContext.readOnly). */
	readOnly?: boolean;
	/** doctor --offline: no test that queries NZBgeek (see LinkContext.offline). */
	offline?: boolean;
}

interface Current {
	existing?: ProwlarrIndexer;
	/** Prowlarr's own test of the existing indexer: undefined when it passed or was not run. */
	testFailure?: {field: string; message: string};
	/** Not tested (plan, doctor --offline): what Prowlarr recorded of its own searches through it instead. */
	untested?: {failing?: IndexerStatus};
	/** The app sync profile a new indexer gets (Prowlarr requires an existing one). */
	profile?: {id: number; name: string};
}

interface Payload {
	/** The field values to write (the key only when it must change). */
	values: Record<string, unknown>;
	enable?: boolean;
	appProfileId?: number;
	id?: number;
}

const NAME = 'NZBgeek';
const HOST = 'api.nzbgeek.info';
const SERVICE = 'Prowlarr';
const targetOf = (name: string | null | undefined) => `indexer "${name || NAME}"`;

/** Prowlarr's NZBgeek, whatever the user named it: a Newznab indexer whose URL is on api.nzbgeek.info. */
export function isNzbgeek(indexer: ProviderResource): boolean {
	if (indexer.implementation !== 'Newznab') {
		return false;
	}
	try {
		return new URL(valueText(fieldValue(indexer, 'baseUrl'))).hostname.toLowerCase() === HOST;
	} catch {
		return false;
	}
}

async function testIndexer(prowlarr: ProwlarrClient, indexer: ProwlarrIndexer): Promise<Current['testFailure']> {
	try {
		await prowlarr.test('indexer', indexer);
		return undefined;
	} catch (error) {
		if (isServiceError(error) && error.kind === 'validation') {
			return testFailure(error);
		}
		throw error;
	}
}

/** The indexer as Prowlarr shows it on GET (its key masked), for the journal. */
async function shown(prowlarr: ProwlarrClient, id: number | undefined): Promise<ProwlarrIndexer | undefined> {
	return id === undefined ? undefined : (await prowlarr.indexers()).find(candidate => candidate.id === id);
}

export const nzbgeekIndexerLink: Link<NzbgeekIndexerContext, Current, Payload> = {
	id: 'nzbgeek-indexer',
	title: 'NZBgeek indexer in Prowlarr',
	services: [SERVICE],
	needs: {clients: ['prowlarr'], keys: ['nzbgeek']},

	applicable(context) {
		if (!context.clients.prowlarr) {
			return unusable('prowlarr', context);
		}
		return context.desired.keys.nzbgeek ? true : 'the NZBgeek API key was not given (type it in the wizard; for the commands, give ARRWIRE_NZBGEEK_API_KEY or --credentials-from FILE)';
	},

	reachesOutside: "Prowlarr's test of NZBgeek sends NZBgeek one query, which counts against your NZBgeek API limit",

	// Prowlarr keeps the key and tests the indexer itself: doctor needs no key to test an indexer that exists.
	verifiable: context => (context.clients.prowlarr ? true : unusable('prowlarr', context)),

	async read(context) {
		const prowlarr = context.clients.prowlarr!;
		const [indexers, profiles] = await Promise.all([prowlarr.indexers(), prowlarr.appProfiles()]);
		const existing = indexers.find(isNzbgeek);
		const profile = profiles[0] ? {id: profiles[0].id, name: profiles[0].name} : undefined;
		if (!existing) {
			return {existing, profile};
		}
		// Prowlarr's test queries NZBgeek: a query of the user's daily API limit. Plan and doctor --offline read what
		// Prowlarr recorded of its own searches instead, which costs nothing.
		if (context.readOnly || context.offline) {
			const failing = (await prowlarr.indexerStatus()).find(status => status.indexerId === existing.id && Boolean(status.mostRecentFailure ?? status.disabledTill));
			return {existing, profile, untested: {failing}};
		}
		return {existing, profile, testFailure: await testIndexer(prowlarr, existing)};
	},

	plan(current, context) {
		const apiKey = context.desired.keys.nzbgeek!;
		if (!current.existing) {
			if (!current.profile) {
				throw new Error('Prowlarr has no app sync profile, and an indexer needs one: add one in Prowlarr → Settings → Apps → Sync Profiles, then run arrwire again.');
			}
			const fields: FieldChange[] = [
				{name: 'baseUrl', to: `https://${HOST}`},
				{name: 'apiKey', to: apiKey, secret: true},
				{name: 'app sync profile', to: current.profile.name},
				{name: 'enable', to: true},
				{name: 'redirect', to: true},
			];
			// NZBgeek serves Usenet releases only: Sonarr and Radarr refuse each grab until a Usenet client is wired.
			const usenet = context.services?.nzbget ?? context.services?.sabnzbd;
			const reason = usenet
				? undefined
				: 'NZBgeek finds Usenet releases, and no Usenet download client (NZBGet, SABnzbd) was found: every grab from it fails until one is wired (qBittorrent downloads torrents only).';
			return [{link: this.id, service: SERVICE, action: 'create', target: targetOf(NAME), fields, handMade: false, ...(reason ? {reason} : {}), payload: {values: {apiKey}, appProfileId: current.profile.id, enable: true}}];
		}
		const existing = current.existing;
		const target = targetOf(existing.name);
		const fields: FieldChange[] = [];
		const payload: Payload = {values: {}, id: existing.id};
		// The key is masked on read; only Prowlarr's test says whether NZBgeek still takes it.
		if (current.testFailure && /^apikey$/i.test(current.testFailure.field)) {
			payload.values.apiKey = apiKey;
			fields.push({name: 'apiKey', from: fieldValue(existing, 'apiKey'), to: apiKey, secret: true});
		}
		if (existing.enable === false) {
			payload.enable = true;
			fields.push({name: 'enable', from: false, to: true});
		}
		if (fields.length === 0) {
			return [];
		}
		const reason = current.testFailure ? `Prowlarr's own test of the indexer fails: ${current.testFailure.message}` : 'the indexer is disabled, so Prowlarr neither searches it nor syncs it to Sonarr and Radarr';
		return [{link: this.id, service: SERVICE, action: 'update', target, fields, handMade: !context.journal.createdByArrwire(SERVICE, target, existing.id), reason, payload}];
	},

	async apply(change, context) {
		const prowlarr = context.clients.prowlarr!;
		const {values, enable, appProfileId} = change.payload;
		if (change.action === 'create') {
			// Converge: the indexer may have appeared since the plan (a re-run after a write that timed out).
			const present = (await prowlarr.indexers()).find(isNzbgeek);
			if (present) {
				const updated = await prowlarr.update('indexer', {...withFields(present, values), enable: true});
				return {entryId: updated.id, before: present, after: await shown(prowlarr, updated.id)};
			}
			const template = (await prowlarr.indexerSchema()).find(entry => entry.name === NAME && entry.implementation === 'Newznab');
			if (!template) {
				throw new Error('Prowlarr offers no NZBgeek indexer preset; is it Prowlarr v1 or newer?');
			}
			// Usenet indexers must keep redirect on, or Prowlarr refuses them (IndexerController.Validate, Prowlarr src/Prowlarr.Api.V1/Indexers/IndexerController.cs).
			const created = await prowlarr.create('indexer', {...withFields(template, values), name: NAME, appProfileId, enable: enable ?? true, redirect: true});
			return {entryId: created.id, after: await shown(prowlarr, created.id)};
		}
		const before = await shown(prowlarr, change.payload.id);
		if (!before) {
			throw new Error(`Prowlarr's ${change.target} was deleted since the plan; run arrwire again`);
		}
		const updated = await prowlarr.update('indexer', {...withFields(before, values), ...(enable === undefined ? {} : {enable})});
		return {entryId: updated.id, before, after: await shown(prowlarr, updated.id)};
	},

	async verify(context) {
		const findings: Finding[] = [];
		const current = await this.read(context);
		const subject = 'Prowlarr -> NZBgeek';
		if (!current.existing) {
			findings.push({id: 'link.nzbgeek-missing', severity: 'error', subject, cause: 'Prowlarr has no NZBgeek indexer.', fix: 'Run arrwire apply to add it.'});
			return findings;
		}
		if (current.testFailure) {
			const keyRefused = /^apikey$/i.test(current.testFailure.field);
			findings.push({
				id: 'link.nzbgeek-test-failed',
				severity: 'error',
				subject,
				cause: `Prowlarr's test of the NZBgeek indexer fails${current.testFailure.field ? ` on ${current.testFailure.field}` : ''}: ${current.testFailure.message}`,
				fix: keyRefused
					? 'NZBgeek refused the API key: copy it from nzbgeek.info → My Account → API, then run arrwire apply with it.'
					: `Prowlarr cannot reach ${String(fieldValue(current.existing, 'baseUrl'))}: check this machine's DNS and internet access (Prowlarr → System → Logs says more).`,
			});
		}
		const failing = current.untested?.failing;
		if (failing) {
			const until = failing.disabledTill && Date.parse(failing.disabledTill) > Date.now() ? `; Prowlarr does not use it until ${failing.disabledTill}` : '';
			findings.push({
				id: 'link.nzbgeek-failing',
				severity: 'warning',
				subject,
				cause: `Prowlarr's searches through NZBgeek have failed since ${failing.initialFailure ?? failing.mostRecentFailure ?? 'recently'}${until}.`,
				fix: 'Run arrwire doctor without --offline to test it (one query to NZBgeek), or see Prowlarr → System → Logs.',
			});
		}
		if (current.untested) {
			findings.push({
				id: 'link.nzbgeek-not-tested',
				severity: 'info',
				subject,
				cause: "Not tested (--offline): Prowlarr's test of NZBgeek sends it a query, which counts against your NZBgeek API limit.",
				fix: 'Run arrwire doctor without --offline to test it.',
			});
		}
		if (current.existing.enable === false) {
			findings.push({id: 'link.nzbgeek-disabled', severity: 'warning', subject, cause: 'The NZBgeek indexer is disabled in Prowlarr.', fix: 'Run arrwire apply to enable it (or Prowlarr → Indexers → NZBgeek → Enable).'});
		}
		return findings;
	},

	async undo(entry, context) {
		const prowlarr = context.clients.prowlarr!;
		const id = Number(entry.entryId);
		if (entry.action === 'create' && !entry.before) {
			await prowlarr.remove('indexer', id);
			return;
		}
		const before = entry.before as ProwlarrIndexer | undefined;
		const now = await shown(prowlarr, id);
		if (before && now) {
			// The key stays as it is now (masked, so sent back unchanged): the old one was never known to arrwire.
			await prowlarr.update('indexer', {...now, enable: before.enable ?? now.enable});
		}
	},
};
