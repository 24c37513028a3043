// Prowlarr (Prowlarr src/Prowlarr.Api.V1/): API v1, key in X-Api-Key; indexers (the NZBgeek preset), applications (Sonarr/Radarr
// sync), app profiles and commands.
import * as z from './schema.js';
import {HttpClient, type FixAdvisor} from './http.js';
import {redact} from './redact.js';
import {ProviderEndpoints, providerSchema, type ProviderResource} from './provider.js';
import {systemStatusSchema, type SystemStatus} from './servarr.js';

export interface ProwlarrClientOptions {
	url: string;
	apiKey: string;
	timeoutMs?: number;
}

export const prowlarrIndexerSchema = z.extend(providerSchema, {
	enable: z.optional(z.boolean()),
	redirect: z.optional(z.boolean()),
	appProfileId: z.optional(z.number()),
	protocol: z.optional(z.string()),
	priority: z.optional(z.number()),
	definitionName: z.nullable(z.optional(z.string())),
});
export type ProwlarrIndexer = z.infer<typeof prowlarrIndexerSchema>;

const indexerStatusSchema = z.looseObject({
	indexerId: z.number(),
	disabledTill: z.nullish(z.string()),
	mostRecentFailure: z.nullish(z.string()),
	initialFailure: z.nullish(z.string()),
});
export type IndexerStatus = z.infer<typeof indexerStatusSchema>;

export const applicationSchema = z.extend(providerSchema, {syncLevel: z.optional(z.string())});
export type ProwlarrApplication = z.infer<typeof applicationSchema>;

const appProfileSchema = z.looseObject({id: z.number(), name: z.string()});
const commandSchema = z.looseObject({id: z.number(), name: z.string(), status: z.optional(z.string()), message: z.nullable(z.optional(z.string()))});
export type ProwlarrCommand = z.infer<typeof commandSchema>;
const healthSchema = z.array(z.looseObject({source: z.optional(z.string()), type: z.string(), message: z.string()}));

type ProviderPath = 'indexer' | 'applications';

export class ProwlarrClient {
	readonly http: HttpClient;
	private readonly providers: ProviderEndpoints<ProviderPath>;

	constructor(options: ProwlarrClientOptions) {
		this.http = new HttpClient({
			service: 'Prowlarr',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: () => ({'X-Api-Key': options.apiKey}),
			secrets: () => [options.apiKey],
			advise: this.advise,
		});
		this.providers = new ProviderEndpoints(this.http, '/api/v1');
	}

	get url(): string {
		return this.http.baseUrl;
	}

	systemStatus(): Promise<SystemStatus> {
		return this.http.get('/api/v1/system/status', systemStatusSchema);
	}

	/** Health messages quote what the service was given (an indexer URL with its key): redacted. */
	async health() {
		return (await this.http.get('/api/v1/health', healthSchema)).map(check => ({...check, message: redact(check.message, this.http.secrets())}));
	}

	indexers(): Promise<ProwlarrIndexer[]> {
		return this.http.get('/api/v1/indexer', z.array(prowlarrIndexerSchema));
	}

	/**
	 * What Prowlarr recorded of each indexer's failures in its own searches (IndexerStatusService): an indexer that
	 * never failed, or whose failures were cleared by a success, is not listed. Reading it queries no indexer.
	 */
	indexerStatus(): Promise<IndexerStatus[]> {
		return this.http.get('/api/v1/indexerstatus', z.array(indexerStatusSchema));
	}

	/** Every indexer template; Newznab presets such as NZBgeek are separate entries. */
	indexerSchema(): Promise<ProwlarrIndexer[]> {
		return this.http.get('/api/v1/indexer/schema', z.array(prowlarrIndexerSchema));
	}

	applications(): Promise<ProwlarrApplication[]> {
		return this.http.get('/api/v1/applications', z.array(applicationSchema));
	}

	applicationSchema(): Promise<ProwlarrApplication[]> {
		return this.http.get('/api/v1/applications/schema', z.array(applicationSchema));
	}

	appProfiles() {
		return this.http.get('/api/v1/appprofile', z.array(appProfileSchema));
	}

	/** Creates a provider resource; the service tests it live first when it is enabled (a 400 names the failures). */
	create(resource: ProviderPath, body: ProviderResource): Promise<ProviderResource> {
		return this.providers.create(resource, body);
	}

	update(resource: ProviderPath, body: ProviderResource, options: {forceSave?: boolean} = {}): Promise<ProviderResource> {
		return this.providers.update(resource, body, options);
	}

	remove(resource: ProviderPath, id: number): Promise<void> {
		return this.providers.remove(resource, id);
	}

	/** The service's own test of a saved or unsaved resource; throws a validation ServiceError when it fails. */
	test(resource: ProviderPath, body: ProviderResource): Promise<void> {
		return this.providers.test(resource, body);
	}

	command(name: string): Promise<ProwlarrCommand> {
		return this.http.post('/api/v1/command', commandSchema, {json: {name}});
	}

	commandStatus(id: number): Promise<ProwlarrCommand> {
		return this.http.get(`/api/v1/command/${id}`, commandSchema, {fresh: true});
	}

	/** Runs a command and waits for it to finish (or fail), polling its status. */
	async runCommand(name: string, options: {timeoutMs?: number; pollMs?: number} = {}): Promise<ProwlarrCommand> {
		const deadline = Date.now() + (options.timeoutMs ?? 30_000);
		let command = await this.command(name);
		while (command.status !== 'completed' && command.status !== 'failed' && Date.now() < deadline) {
			await new Promise(resolve => setTimeout(resolve, options.pollMs ?? 100));
			command = await this.commandStatus(command.id);
		}
		return command;
	}

	private readonly advise: FixAdvisor = (kind, {path}) => {
		if (kind === 'unauthorized') {
			return 'Prowlarr refused the API key. Copy it from Prowlarr → Settings → General → Security → API Key (or <ApiKey> in its config.xml).';
		}
		if (kind === 'redirect') {
			return `Prowlarr redirected the request: it has a URL base (Settings → General → URL Base) that is missing from ${this.http.baseUrl}.`;
		}
		if (kind === 'validation' && path.includes('/applications')) {
			return 'Prowlarr tested the application both ways and it failed: Prowlarr must reach Sonarr/Radarr at the Server URL, and Sonarr/Radarr must reach Prowlarr at the Prowlarr Server URL (in Docker, use container names or host IPs, not localhost).';
		}
		if (kind === 'validation' && path.includes('/indexer')) {
			return 'Prowlarr tested the indexer and it failed; check the indexer API key (on the indexer site, under your profile/API).';
		}
		return undefined;
	};
}
