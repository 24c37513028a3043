// Prowlarr (Prowlarr src/NzbDrone.Core/Applications/, src/NzbDrone.Core/Indexers/): indexers (the NZBgeek preset, tested against the Newznab stand-in), applications
// (tested both ways: Prowlarr calls Sonarr, Sonarr calls Prowlarr back), the sync that writes indexers into
// Sonarr/Radarr, app profiles, commands, and the Newznab endpoint /{id}/api that Sonarr/Radarr search through.
import type {LabRequest, LabResponse} from './emulator.js';
import {capsXml, rss} from './newznab.js';
import type {SpecChecker} from './spec-check.js';
import {
	bodyText,
	call,
	clone,
	failure,
	fieldOf,
	ServarrCore,
	setField,
	templateField,
	textOf,
	type AuthenticationMethod,
	type AuthenticationRequired,
	type ProviderResource,
	type ValidationFailure,
	compareVersions,
	describeError,
} from './servarr-core.js';

export interface ProwlarrEmulatorOptions {
	apiKey: string;
	host?: string;
	port?: number;
	urlBase?: string;
	version?: string;
	authenticationMethod?: AuthenticationMethod;
	authenticationRequired?: AuthenticationRequired;
	configDir?: string;
	/** Where indexer hosts really are: {'api.nzbgeek.info': 'http://127.0.0.1:1234'}. Other non-loopback hosts fail. */
	upstreams?: Record<string, string>;
	spec?: SpecChecker | false;
	/** See ServarrCore.echoSecrets. */
	echoSecrets?: boolean;
}

const SONARR_SYNC = [5000, 5010, 5020, 5030, 5040, 5045, 5050, 5090];
const RADARR_SYNC = [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060, 2070, 2080, 2090];
const MIN_VERSION = {Sonarr: '3.0.5', Radarr: '4.0.4'};

export class ProwlarrEmulator extends ServarrCore {
	readonly upstreams: Record<string, string>;
	readonly appProfiles = [{id: 1, name: 'Standard', enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true, minimumSeeders: 1}];
	/** What the background sync could not do (Prowlarr logs these; it does not answer them). */
	readonly syncErrors: string[] = [];
	/**
	 * What Prowlarr records of each indexer's failures in its searches (ThingiProvider/Status/ProviderStatusServiceBase:
	 * a failure raises the escalation level and disables the indexer for EscalationBackOff.Periods[level] seconds; a
	 * success removes the record). GET /api/v1/indexerstatus lists them.
	 */
	readonly indexerStatus = new Map<number, {indexerId: number; initialFailure: string; mostRecentFailure: string; disabledTill: string; escalationLevel: number}>();
	/** Remote indexer ids per application id and Prowlarr indexer id (AppIndexerMap). */
	readonly indexerMaps = new Map<number, Map<number, number>>();
	private readonly commandsById = new Map<number, Record<string, unknown>>();
	private pending: Promise<void> = Promise.resolve();

	constructor(options: ProwlarrEmulatorOptions) {
		super({
			appName: 'Prowlarr',
			apiVersion: 'v1',
			apiKey: options.apiKey,
			version: options.version ?? '2.3.5.5327',
			host: options.host,
			port: options.port,
			urlBase: options.urlBase,
			authenticationMethod: options.authenticationMethod,
			authenticationRequired: options.authenticationRequired,
			configDir: options.configDir,
			spec: options.spec,
			echoSecrets: options.echoSecrets,
		});
		this.upstreams = options.upstreams ?? {};

		this.api('GET', '/api/v1/appprofile', () => ({status: 200, body: this.appProfiles}));
		this.api('GET', '/api/v1/appprofile/{id}', request => {
			const profile = this.appProfiles.find(candidate => candidate.id === Number(request.params.id));
			return profile ? {status: 200, body: profile} : {status: 404, body: {message: 'NotFound'}};
		});
		this.api('POST', '/api/v1/command', request => this.command(request));
		this.api('GET', '/api/v1/command/{id}', request => {
			const command = this.commandsById.get(Number(request.params.id));
			return command ? {status: 200, body: command} : {status: 404, body: {message: 'NotFound'}};
		});
		this.api('GET', '/{id}/api', request => this.newznab(request));
		this.api('GET', '/api/v1/indexerstatus', () => ({status: 200, body: [...this.indexerStatus.values()].map(({escalationLevel: _level, ...status}, index) => ({id: index + 1, ...status}))}));

		this.provider({
			resource: 'indexer',
			templates: () => indexerPresets(),
			enabled: resource => resource.enable === true,
			retestUnchanged: true,
			validate: resource => this.validateIndexer(resource),
			test: async resource => this.echoIndexer(resource, await this.testIndexer(resource)),
			changed: () => this.queueSync(),
		});
		this.provider({
			resource: 'applications',
			templates: () => [applicationTemplate('Sonarr'), applicationTemplate('Radarr')],
			enabled: resource => resource.syncLevel === 'addOnly' || resource.syncLevel === 'fullSync',
			retestUnchanged: true,
			test: async resource => this.echoApplication(resource, await this.testApplication(resource)),
			changed: (event, resource) => {
				if (event === 'deleted') {
					this.indexerMaps.delete(resource.id!);
				} else {
					this.queueSync(resource.id);
				}
			},
		});
	}

	/** Resolves when every sync started so far has finished (Prowlarr syncs in the background). */
	async idle(): Promise<void> {
		let current: Promise<void>;
		do {
			current = this.pending;
			await current;
		} while (current !== this.pending);
	}

	private queueSync(applicationId?: number): void {
		this.pending = this.pending.then(() => this.syncAll(applicationId)).catch(error => {
			this.syncErrors.push(describeError(error));
		});
	}

	private validateIndexer(resource: ProviderResource): ValidationFailure[] {
		const failures: ValidationFailure[] = [];
		const profileId = Number(resource.appProfileId ?? 0);
		if (!(profileId > 0)) {
			failures.push(failure('AppProfileId', "'App Profile Id' must be greater than '0'.", {attemptedValue: resource.appProfileId}));
		} else if (!this.appProfiles.some(profile => profile.id === profileId)) {
			failures.push(failure('AppProfileId', 'App Profile does not exist', {attemptedValue: profileId}));
		}
		const priority = Number(resource.priority ?? 25);
		if (priority < 1 || priority > 50) {
			failures.push(failure('Priority', "'Priority' must be between 1 and 50.", {attemptedValue: priority}));
		}
		if (resource.protocol === 'usenet' && resource.supportsRedirect === true && resource.redirect !== true) {
			failures.push(failure('Redirect', 'Redirect must be enabled for Usenet indexers'));
		}
		const additional = fieldOf(resource, 'additionalParameters');
		if (typeof additional === 'string' && additional && !/^(&.+?=.+?)+$/.test(additional)) {
			failures.push(failure('AdditionalParameters', 'Additional Parameters are invalid'));
		}
		return failures;
	}

	/** Rewrites an indexer URL to where the lab really serves it; undefined for hosts the lab must not call. */
	private resolveUpstream(url: string): string | undefined {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return undefined;
		}
		const upstream = this.upstreams[parsed.hostname];
		if (upstream) {
			return upstream.replace(/\/+$/, '') + parsed.pathname.replace(/\/+$/, '') + parsed.search;
		}
		return /^(127\.|localhost$|\[::1\]$)/.test(parsed.hostname) ? url : undefined;
	}

	/** With echoSecrets on, an indexer test failure carries the request URL, apikey= included, as Prowlarr's HttpException message does. */
	private echoIndexer(resource: ProviderResource, failures: ValidationFailure[]): ValidationFailure[] {
		if (!this.echoSecrets) {
			return failures;
		}
		const url = `${textOf(resource, 'baseUrl').replace(/\/+$/, '')}${textOf(resource, 'apiPath', '/api')}?t=search&extended=1&apikey=${textOf(resource, 'apiKey')}&offset=0&limit=100`;
		return failures.map(item => (item.isWarning ? item : {...item, errorMessage: `${item.errorMessage} (HTTP request failed: [GET] ${url})`}));
	}

	/** With echoSecrets on, an application test failure quotes the key it tried with, as it was typed. */
	private echoApplication(resource: ProviderResource, failures: ValidationFailure[]): ValidationFailure[] {
		if (!this.echoSecrets) {
			return failures;
		}
		const tried = `${resource.implementation} at ${textOf(resource, 'baseUrl')} with API key ${textOf(resource, 'apiKey')}`;
		return failures.map(item => (item.isWarning ? item : {...item, errorMessage: `${item.errorMessage} (tried ${tried})`}));
	}

	/** HttpIndexerBase.TestConnection + Newznab caps: a real request to the indexer (through `upstreams`). */
	private async testIndexer(resource: ProviderResource): Promise<ValidationFailure[]> {
		const baseUrl = textOf(resource, 'baseUrl').replace(/\/+$/, '');
		const apiPath = textOf(resource, 'apiPath', '/api');
		const apiKey = textOf(resource, 'apiKey');
		const target = this.resolveUpstream(`${baseUrl}${apiPath}`);
		if (!target) {
			return [failure('', `Unable to connect to indexer, check the log above the ValidationFailure for more details. Name or service not known (${new URL(baseUrl || 'http://invalid').hostname}:443)`)];
		}
		try {
			const search = await call(`${target}?${new URLSearchParams({t: 'search', extended: '1', apikey: apiKey, offset: '0', limit: '100'}).toString()}`);
			const text = await search.text();
			if (/<error code="10[01]"/.test(text) || search.status === 401) {
				return [failure('ApiKey', 'Invalid API Key')];
			}
			if (!search.ok) {
				return [failure('', `Unable to connect to indexer: HTTP ${search.status}`)];
			}
			const caps = await call(`${target}?${new URLSearchParams({t: 'caps', apikey: apiKey}).toString()}`);
			if (!(await caps.text()).includes('<caps')) {
				return [failure('', 'Unable to connect to indexer: the capabilities could not be read')];
			}
			return [];
		} catch (error) {
			return [failure('', `Unable to connect to indexer, check the log above the ValidationFailure for more details (${describeError(error)})`)];
		}
	}

	/** Sonarr.Test() / Radarr.Test() (Prowlarr src/NzbDrone.Core/Applications/Sonarr/Sonarr.cs): both directions must work. */
	private async testApplication(resource: ProviderResource): Promise<ValidationFailure[]> {
		const app = resource.implementation as 'Sonarr' | 'Radarr';
		const baseUrl = textOf(resource, 'baseUrl').replace(/\/+$/, '');
		const prowlarrUrl = textOf(resource, 'prowlarrUrl').replace(/\/+$/, '');
		const apiKey = textOf(resource, 'apiKey');
		const failures: ValidationFailure[] = [];
		if (!validUrl(baseUrl)) {
			failures.push(failure('BaseUrl', `'${app} Server' is not a valid URL`, {attemptedValue: baseUrl}));
		}
		if (!validUrl(prowlarrUrl)) {
			failures.push(failure('ProwlarrUrl', "'Prowlarr Server' is not a valid URL", {attemptedValue: prowlarrUrl}));
		}
		if (!apiKey) {
			failures.push(failure('ApiKey', "'API Key' must not be empty."));
		}
		if (failures.length > 0) {
			return failures;
		}
		const headers = {'X-Api-Key': apiKey, 'content-type': 'application/json'};
		const mapStatus = (status: number): ValidationFailure[] => {
			if (status === 401) {
				return [failure('ApiKey', 'API Key is invalid')];
			}
			if (status === 400) {
				return [failure('ProwlarrUrl', `Prowlarr URL is invalid, ${app} cannot connect to Prowlarr`)];
			}
			if (status === 303 || status === 307 || status === 302 || status === 301) {
				return [failure('BaseUrl', `${app} returned redirect and is invalid. Check ${app} URL (missing a URL base?)`)];
			}
			if (status === 404) {
				return [failure('BaseUrl', `${app} URL is invalid, Prowlarr cannot connect to ${app}. Is ${app} v2 (not supported)?`)];
			}
			return [failure('BaseUrl', `Unable to complete application test, cannot connect to ${app}. (HTTP ${status})`)];
		};
		try {
			const schemaResponse = await call(`${baseUrl}/api/v3/indexer/schema`, {headers, redirect: 'manual'});
			if (!schemaResponse.ok) {
				await schemaResponse.text();
				return mapStatus(schemaResponse.status);
			}
			const version = schemaResponse.headers.get('x-application-version');
			if (!version || compareVersions(version, MIN_VERSION[app]) < 0) {
				return [failure('BaseUrl', `${app} version ${version ?? '(unknown)'} is not supported; ${MIN_VERSION[app]} or newer is required`)];
			}
			const schema = (await schemaResponse.json()) as ProviderResource[];
			const template = schema.find(entry => entry.implementation === 'Newznab');
			if (!template) {
				return [failure('BaseUrl', `${app} did not offer a Newznab indexer`)];
			}
			const testIndexer = this.remoteIndexer(template, resource, 0, 'Test', {enable: true, priority: 25});
			const testResponse = await call(`${baseUrl}/api/v3/indexer/test`, {method: 'POST', headers, body: JSON.stringify(testIndexer), redirect: 'manual'});
			await testResponse.text();
			return testResponse.ok ? [] : mapStatus(testResponse.status);
		} catch (error) {
			return [failure('BaseUrl', `Unable to complete application test, cannot connect to ${app}. ${describeError(error)}`)];
		}
	}

	/** The indexer Prowlarr writes into an app (Prowlarr src/NzbDrone.Core/Applications/Sonarr/Sonarr.cs): name "<name> (Prowlarr)", baseUrl {prowlarrUrl}/{id}/. */
	private remoteIndexer(template: ProviderResource, application: ProviderResource, indexerId: number, name: string, indexer: {enable: boolean; priority: number}): ProviderResource {
		const app = application.implementation as 'Sonarr' | 'Radarr';
		const prowlarrUrl = textOf(application, 'prowlarrUrl').replace(/\/+$/, '');
		const profile = this.appProfiles[0]!;
		const remote = clone(template);
		delete remote.id;
		remote.name = name;
		remote.enableRss = indexer.enable && profile.enableRss;
		remote.enableAutomaticSearch = indexer.enable && profile.enableAutomaticSearch;
		remote.enableInteractiveSearch = indexer.enable && profile.enableInteractiveSearch;
		remote.priority = indexer.priority;
		remote.presets = [];
		const keep =
			app === 'Sonarr'
				? ['baseUrl', 'apiPath', 'apiKey', 'categories', 'animeCategories', 'animeStandardFormatSearch', 'additionalParameters']
				: ['baseUrl', 'apiPath', 'apiKey', 'categories', 'additionalParameters', 'multiLanguages'];
		remote.fields = remote.fields.filter(field => keep.includes(field.name));
		setField(remote, 'baseUrl', `${prowlarrUrl}/${indexerId}/`);
		setField(remote, 'apiPath', '/api');
		setField(remote, 'apiKey', this.apiKey);
		setField(remote, 'categories', clone(fieldOf(application, 'syncCategories') ?? (app === 'Sonarr' ? SONARR_SYNC : RADARR_SYNC)));
		if (app === 'Sonarr') {
			setField(remote, 'animeCategories', clone(fieldOf(application, 'animeSyncCategories') ?? [5070]));
			setField(remote, 'animeStandardFormatSearch', fieldOf(application, 'syncAnimeStandardFormatSearch') ?? true);
		}
		return remote;
	}

	private async syncAll(onlyApplication?: number): Promise<void> {
		const applications = (this.providers.get('applications') ?? []).filter(
			application => (application.syncLevel === 'addOnly' || application.syncLevel === 'fullSync') && (onlyApplication === undefined || application.id === onlyApplication),
		);
		for (const application of applications) {
			try {
				await this.syncApplication(application);
			} catch (error) {
				this.syncErrors.push(`${application.name}: ${describeError(error)}`);
			}
		}
	}

	/** ApplicationService sync for one app: adopt, add (400 → retry with forceSave), update, remove. */
	private async syncApplication(application: ProviderResource): Promise<void> {
		const baseUrl = textOf(application, 'baseUrl').replace(/\/+$/, '');
		const prowlarrUrl = textOf(application, 'prowlarrUrl').replace(/\/+$/, '');
		const headers = {'X-Api-Key': textOf(application, 'apiKey'), 'content-type': 'application/json'};
		const map = this.indexerMaps.get(application.id!) ?? new Map<number, number>();
		this.indexerMaps.set(application.id!, map);

		const remoteList = await call(`${baseUrl}/api/v3/indexer`, {headers});
		if (!remoteList.ok) {
			throw new Error(`GET /api/v3/indexer answered ${remoteList.status}`);
		}
		const remotes = (await remoteList.json()) as ProviderResource[];
		const pattern = new RegExp(`^${escapeRegex(prowlarrUrl)}/(\\d+)/?(api)?/?$`);
		for (const remote of remotes) {
			const match = pattern.exec(textOf(remote, 'baseUrl'));
			if (match && remote.id !== undefined) {
				map.set(Number(match[1]), remote.id);
			}
		}
		const schemaResponse = await call(`${baseUrl}/api/v3/indexer/schema`, {headers});
		const schema = (await schemaResponse.json()) as ProviderResource[];
		const template = schema.find(entry => entry.implementation === 'Newznab');
		if (!template) {
			throw new Error('no Newznab template');
		}

		const indexers = this.providers.get('indexer') ?? [];
		for (const indexer of indexers) {
			const desired = this.remoteIndexer(template, application, indexer.id!, `${indexer.name} (Prowlarr)`, {enable: indexer.enable === true, priority: Number(indexer.priority ?? 25)});
			const remoteId = map.get(indexer.id!);
			const remote = remoteId === undefined ? undefined : remotes.find(candidate => candidate.id === remoteId);
			if (!remote) {
				const body = JSON.stringify(desired);
				let response = await call(`${baseUrl}/api/v3/indexer`, {method: 'POST', headers, body});
				if (response.status === 400) {
					await response.text();
					response = await call(`${baseUrl}/api/v3/indexer?forceSave=true`, {method: 'POST', headers, body});
				}
				if (!response.ok) {
					throw new Error(`adding ${desired.name} answered ${response.status}: ${await response.text()}`);
				}
				map.set(indexer.id!, ((await response.json()) as ProviderResource).id!);
				continue;
			}
			if (application.syncLevel === 'fullSync' && differs(remote, desired)) {
				const body = JSON.stringify({...desired, id: remote.id});
				let response = await call(`${baseUrl}/api/v3/indexer/${remote.id}`, {method: 'PUT', headers, body});
				if (response.status === 400) {
					await response.text();
					response = await call(`${baseUrl}/api/v3/indexer/${remote.id}?forceSave=true`, {method: 'PUT', headers, body});
				}
				await response.text();
			}
		}
		if (application.syncLevel === 'fullSync') {
			for (const [indexerId, remoteId] of [...map]) {
				if (!indexers.some(indexer => indexer.id === indexerId)) {
					const response = await call(`${baseUrl}/api/v3/indexer/${remoteId}`, {method: 'DELETE', headers});
					await response.text();
					map.delete(indexerId);
				}
			}
		}
	}

	private command(request: LabRequest): LabResponse {
		const name = bodyText(request.body, 'name');
		const known = ['ApplicationIndexerSync', 'ApplicationUpdateCheck', 'CheckHealth'];
		const commandName = known.find(candidate => candidate.toLowerCase() === name.toLowerCase());
		if (!commandName) {
			return {status: 400, body: {message: `Unknown command: ${name}`}};
		}
		const id = this.nextId('command');
		const now = new Date().toISOString();
		const command: Record<string, unknown> = {id, name: commandName, commandName: commandName.replace(/([a-z])([A-Z])/g, '$1 $2'), body: {}, priority: 'normal', status: 'queued', queued: now, trigger: 'manual'};
		this.commandsById.set(id, command);
		if (commandName === 'ApplicationIndexerSync') {
			command.status = 'started';
			command.started = now;
			this.queueSync();
			void this.pending.then(() => {
				command.status = 'completed';
				command.ended = new Date().toISOString();
			});
		} else {
			command.status = 'completed';
			command.ended = now;
		}
		return {status: 201, body: {...command}};
	}

	/** A search through an indexer: a failure is recorded with its back-off, a success clears the record. */
	private recordSearch(indexerId: number, succeeded: boolean): void {
		if (succeeded) {
			this.indexerStatus.delete(indexerId);
			return;
		}
		const now = new Date();
		const known = this.indexerStatus.get(indexerId);
		const escalationLevel = Math.min((known?.escalationLevel ?? 0) + 1, BACK_OFF_SECONDS.length - 1);
		this.indexerStatus.set(indexerId, {
			indexerId,
			initialFailure: known?.initialFailure ?? now.toISOString(),
			mostRecentFailure: now.toISOString(),
			disabledTill: new Date(now.getTime() + BACK_OFF_SECONDS[escalationLevel]! * 1000).toISOString(),
			escalationLevel,
		});
	}

	/** /{id}/api: id 0 is the built-in test indexer; others are forwarded to the real indexer with its own key. */
	private async newznab(request: LabRequest): Promise<LabResponse> {
		const id = Number(request.params.id);
		const type = request.query.get('t') ?? '';
		const xml = {'content-type': 'application/rss+xml; charset=utf-8'};
		if (id === 0) {
			if (type === 'caps') {
				return {status: 200, body: capsXml(), headers: xml};
			}
			return {status: 200, body: rss('Test Release', 'https://prowlarr.com'), headers: xml};
		}
		const indexer = (this.providers.get('indexer') ?? []).find(candidate => candidate.id === id);
		if (!indexer) {
			return {status: 404, body: '<?xml version="1.0" encoding="UTF-8"?>\n<error code="201" description="Indexer is not found"/>', headers: xml};
		}
		if (indexer.enable !== true) {
			return {status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<error code="910" description="Indexer is disabled"/>', headers: xml};
		}
		const target = this.resolveUpstream(`${textOf(indexer, 'baseUrl').replace(/\/+$/, '')}${textOf(indexer, 'apiPath', '/api')}`);
		if (!target) {
			return {status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<error code="900" description="Unable to reach the indexer"/>', headers: xml};
		}
		const query = new URLSearchParams(request.query);
		query.set('apikey', textOf(indexer, 'apiKey'));
		const response = await call(`${target}?${query.toString()}`);
		const body = await response.text();
		this.recordSearch(id, response.ok && !/<error code="\d+"/.test(body));
		return {status: response.status, body, headers: xml};
	}
}

/** ThingiProvider/Status/EscalationBackOff.cs: seconds an indexer is left out after its n-th failure in a row. */
const BACK_OFF_SECONDS = [0, 60, 5 * 60, 15 * 60, 30 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60, 24 * 60 * 60];

function differs(remote: ProviderResource, desired: ProviderResource): boolean {
	if (remote.name !== desired.name || remote.enableRss !== desired.enableRss || remote.enableAutomaticSearch !== desired.enableAutomaticSearch || remote.priority !== desired.priority) {
		return true;
	}
	return desired.fields.some(field => field.name !== 'apiKey' && JSON.stringify(fieldOf(remote, field.name) ?? null) !== JSON.stringify(field.value ?? null));
}

function indexerPresets(): ProviderResource[] {
	const preset = (name: string, url: string, description: string): ProviderResource => ({
		indexerUrls: [url],
		legacyUrls: [],
		definitionName: 'Newznab',
		description,
		language: 'en-US',
		encoding: 'Unicode (UTF-8)',
		enable: true,
		redirect: true,
		supportsRss: true,
		supportsSearch: true,
		supportsRedirect: true,
		supportsPagination: false,
		appProfileId: 1,
		protocol: 'usenet',
		privacy: 'private',
		priority: 25,
		downloadClientId: 0,
		added: '0001-01-01T00:00:00Z',
		sortName: name.toLowerCase(),
		name,
		fields: [
			templateField(0, 'baseUrl', 'URL', url, {type: 'select'}),
			templateField(1, 'apiPath', 'API Path', '/api', {advanced: true}),
			templateField(2, 'apiKey', 'API Key', undefined, {privacy: 'apiKey'}),
			templateField(3, 'additionalParameters', 'Additional Parameters', undefined, {advanced: true}),
			templateField(4, 'vipExpiration', 'VIP Expiration', '', {type: 'textbox'}),
			templateField(5, 'baseSettings.queryLimit', 'Query Limit', undefined, {type: 'number', advanced: true}),
			templateField(6, 'baseSettings.grabLimit', 'Grab Limit', undefined, {type: 'number', advanced: true}),
			templateField(7, 'baseSettings.limitsUnit', 'Limits Unit', 0, {type: 'select', advanced: true}),
		],
		implementationName: 'Newznab',
		implementation: 'Newznab',
		configContract: 'NewznabSettings',
		infoLink: 'https://wiki.servarr.com/prowlarr/supported-indexers#newznab',
		tags: [],
		presets: [],
	});
	return [
		preset('NZBgeek', 'https://api.nzbgeek.info', 'NZBgeek is a Newznab based indexer'),
		preset('DrunkenSlug', 'https://drunkenslug.com', 'DrunkenSlug is a Newznab based indexer'),
		preset('NZBFinder', 'https://nzbfinder.ws', 'NZBFinder is a Newznab based indexer'),
	];
}

function applicationTemplate(app: 'Sonarr' | 'Radarr'): ProviderResource {
	const sonarr = app === 'Sonarr';
	return {
		syncLevel: 'fullSync',
		name: '',
		fields: [
			templateField(0, 'prowlarrUrl', 'Prowlarr Server', 'http://localhost:9696'),
			templateField(1, 'baseUrl', `${app} Server`, sonarr ? 'http://localhost:8989' : 'http://localhost:7878'),
			templateField(2, 'apiKey', 'API Key', undefined, {privacy: 'apiKey'}),
			templateField(3, 'syncCategories', 'Sync Categories', sonarr ? SONARR_SYNC : RADARR_SYNC, {type: 'select', advanced: true}),
			...(sonarr
				? [templateField(4, 'animeSyncCategories', 'Anime Sync Categories', [5070], {type: 'select', advanced: true}), templateField(5, 'syncAnimeStandardFormatSearch', 'Sync Anime Standard Format Search', true, {advanced: true})]
				: []),
			templateField(6, 'syncRejectBlocklistedTorrentHashesWhileGrabbing', 'Sync Reject Blocklisted Torrent Hashes While Grabbing', false, {advanced: true}),
		],
		implementationName: app,
		implementation: app,
		configContract: `${app}Settings`,
		infoLink: `https://wiki.servarr.com/prowlarr/supported#${app.toLowerCase()}`,
		tags: [],
		presets: [],
	};
}

function validUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

