// Sonarr v4 and Radarr v5 (Sonarr src/Sonarr.Api.V3/, Radarr src/Radarr.Api.V3/): one client for both, API v3, key in the X-Api-Key header.
import * as z from './schema.js';
import type {ServiceName} from './errors.js';
import {HttpClient, type FixAdvisor} from './http.js';
import {redact} from './redact.js';
import {ProviderEndpoints, providerSchema, type ProviderResource} from './provider.js';

export type ServarrKind = 'sonarr' | 'radarr';

export interface ServarrClientOptions {
	kind: ServarrKind;
	/** Origin plus URL base, e.g. http://127.0.0.1:8989 or http://host/sonarr. */
	url: string;
	apiKey: string;
	timeoutMs?: number;
}

export const systemStatusSchema = z.looseObject({
	appName: z.string(),
	version: z.string(),
	instanceName: z.optional(z.string()),
	urlBase: z.nullable(z.optional(z.string())),
	authentication: z.optional(z.string()),
	isDocker: z.optional(z.boolean()),
	appData: z.optional(z.string()),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

const healthSchema = z.array(z.looseObject({source: z.optional(z.string()), type: z.string(), message: z.string(), wikiUrl: z.optional(z.unknown())}));
export type HealthCheck = z.infer<typeof healthSchema>[number];

const rootFolderSchema = z.looseObject({id: z.number(), path: z.string(), accessible: z.optional(z.boolean()), freeSpace: z.nullable(z.optional(z.number()))});
export type RootFolder = z.infer<typeof rootFolderSchema>;

const qualityProfileSchema = z.looseObject({id: z.number(), name: z.string()});
export type QualityProfile = z.infer<typeof qualityProfileSchema>;

const tagSchema = z.looseObject({id: z.number(), label: z.string()});
export type Tag = z.infer<typeof tagSchema>;

const remotePathMappingSchema = z.looseObject({id: z.number(), host: z.string(), remotePath: z.string(), localPath: z.string()});
export type RemotePathMapping = z.infer<typeof remotePathMappingSchema>;

const hostConfigSchema = z.looseObject({
	bindAddress: z.nullable(z.optional(z.string())),
	port: z.optional(z.number()),
	authenticationMethod: z.optional(z.string()),
	authenticationRequired: z.optional(z.string()),
	urlBase: z.nullable(z.optional(z.string())),
});
export type HostConfig = z.infer<typeof hostConfigSchema>;

export const downloadClientSchema = z.extend(providerSchema, {
	enable: z.optional(z.boolean()),
	protocol: z.optional(z.string()),
	priority: z.optional(z.number()),
});
export type DownloadClient = z.infer<typeof downloadClientSchema>;

export const indexerSchema = z.extend(providerSchema, {
	enableRss: z.optional(z.boolean()),
	enableAutomaticSearch: z.optional(z.boolean()),
	enableInteractiveSearch: z.optional(z.boolean()),
	protocol: z.optional(z.string()),
	priority: z.optional(z.number()),
});
export type Indexer = z.infer<typeof indexerSchema>;

export const notificationSchema = z.extend(providerSchema, {onDownload: z.optional(z.boolean()), onUpgrade: z.optional(z.boolean())});
export type Notification = z.infer<typeof notificationSchema>;

// FileSystemResult of Sonarr src/NzbDrone.Common/Disk/FileSystemResult.cs (FileSystemModel entries, type in camelCase).
const fileSystemEntrySchema = z.looseObject({type: z.string(), name: z.string(), path: z.string()});
const fileSystemSchema = z.looseObject({
	parent: z.nullable(z.optional(z.string())),
	directories: z.nullable(z.optional(z.array(fileSystemEntrySchema))),
	files: z.nullable(z.optional(z.array(fileSystemEntrySchema))),
});
export type FileSystemListing = {parent?: string | null; directories: Array<{name: string; path: string}>; files: Array<{name: string; path: string}>};

const commandSchema = z.looseObject({id: z.number(), name: z.string(), status: z.optional(z.string())});

/** The three provider resources the links write, by path. */
type ProviderPath = 'downloadclient' | 'indexer' | 'notification';

export class ServarrClient {
	readonly kind: ServarrKind;
	readonly service: ServiceName;
	readonly http: HttpClient;
	private readonly providers: ProviderEndpoints<ProviderPath>;

	constructor(options: ServarrClientOptions) {
		this.kind = options.kind;
		this.service = options.kind === 'sonarr' ? 'Sonarr' : 'Radarr';
		this.http = new HttpClient({
			service: this.service,
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: () => ({'X-Api-Key': options.apiKey}),
			secrets: () => [options.apiKey],
			advise: this.advise,
		});
		this.providers = new ProviderEndpoints(this.http, '/api/v3');
	}

	get url(): string {
		return this.http.baseUrl;
	}

	systemStatus(): Promise<SystemStatus> {
		return this.http.get('/api/v3/system/status', systemStatusSchema);
	}

	/** Health messages quote what the service was given (a URL with a key): redacted like every other message. */
	async health(): Promise<HealthCheck[]> {
		return (await this.http.get('/api/v3/health', healthSchema)).map(check => ({...check, message: redact(check.message, this.http.secrets())}));
	}

	hostConfig(): Promise<HostConfig> {
		return this.http.get('/api/v3/config/host', hostConfigSchema);
	}

	rootFolders(): Promise<RootFolder[]> {
		return this.http.get('/api/v3/rootfolder', z.array(rootFolderSchema));
	}

	addRootFolder(path: string): Promise<RootFolder> {
		return this.http.post('/api/v3/rootfolder', rootFolderSchema, {json: {path}});
	}

	deleteRootFolder(id: number): Promise<void> {
		return this.http.delete(`/api/v3/rootfolder/${id}`);
	}

	qualityProfiles(): Promise<QualityProfile[]> {
		return this.http.get('/api/v3/qualityprofile', z.array(qualityProfileSchema));
	}

	tags(): Promise<Tag[]> {
		return this.http.get('/api/v3/tag', z.array(tagSchema));
	}

	/** Returns the existing tag of that label, or creates it (labels are stored lower-case). */
	addTag(label: string): Promise<Tag> {
		return this.http.post('/api/v3/tag', tagSchema, {json: {label: label.toLowerCase()}});
	}

	remotePathMappings(): Promise<RemotePathMapping[]> {
		return this.http.get('/api/v3/remotepathmapping', z.array(remotePathMappingSchema));
	}

	addRemotePathMapping(mapping: Omit<RemotePathMapping, 'id'>): Promise<RemotePathMapping> {
		return this.http.post('/api/v3/remotepathmapping', remotePathMappingSchema, {json: {host: mapping.host, remotePath: mapping.remotePath, localPath: mapping.localPath}});
	}

	updateRemotePathMapping(mapping: RemotePathMapping): Promise<RemotePathMapping> {
		return this.http.put(`/api/v3/remotepathmapping/${mapping.id}`, remotePathMappingSchema, {json: {id: mapping.id, host: mapping.host, remotePath: mapping.remotePath, localPath: mapping.localPath}});
	}

	deleteRemotePathMapping(id: number): Promise<void> {
		return this.http.delete(`/api/v3/remotepathmapping/${id}`);
	}

	/**
	 * A folder's contents as the service itself sees it (its container's mounts, its user's rights): Sonarr
	 * src/Sonarr.Api.V3/FileSystem/FileSystemController.cs and src/NzbDrone.Common/Disk/FileSystemLookupService.cs.
	 * A folder that is missing or unreadable answers with no entries (not an error); the trailing separator makes it
	 * list the folder itself rather than its parent. Asked afresh: what is on disk changes under the command.
	 */
	async fileSystem(folder: string): Promise<FileSystemListing> {
		const path = folder.endsWith('/') ? folder : `${folder}/`;
		const listing = await this.http.get('/api/v3/filesystem', fileSystemSchema, {query: {path, includeFiles: true}, fresh: true});
		return {parent: listing.parent, directories: listing.directories ?? [], files: listing.files ?? []};
	}

	downloadClients(): Promise<DownloadClient[]> {
		return this.http.get('/api/v3/downloadclient', z.array(downloadClientSchema));
	}

	downloadClientSchema(): Promise<DownloadClient[]> {
		return this.http.get('/api/v3/downloadclient/schema', z.array(downloadClientSchema));
	}

	indexers(): Promise<Indexer[]> {
		return this.http.get('/api/v3/indexer', z.array(indexerSchema));
	}

	notifications(): Promise<Notification[]> {
		return this.http.get('/api/v3/notification', z.array(notificationSchema));
	}

	notificationSchema(): Promise<Notification[]> {
		return this.http.get('/api/v3/notification/schema', z.array(notificationSchema));
	}

	/** Creates a provider resource; the service tests it live first when it is enabled (a 400 names the failures). */
	create(resource: ProviderPath, body: ProviderResource): Promise<ProviderResource> {
		return this.providers.create(resource, body);
	}

	update(resource: ProviderPath, body: ProviderResource): Promise<ProviderResource> {
		return this.providers.update(resource, body);
	}

	remove(resource: ProviderPath, id: number): Promise<void> {
		return this.providers.remove(resource, id);
	}

	/** The service's own test of a saved or unsaved resource; throws a validation ServiceError when it fails. */
	test(resource: ProviderPath, body: ProviderResource): Promise<void> {
		return this.providers.test(resource, body);
	}

	command(name: string): Promise<{id: number; name: string; status?: string}> {
		return this.http.post('/api/v3/command', commandSchema, {json: {name}});
	}

	private readonly advise: FixAdvisor = (kind, {path}) => {
		const name = this.service;
		if (kind === 'unauthorized') {
			return `${name} refused the API key. Copy it from ${name} → Settings → General → Security → API Key (or <ApiKey> in its config.xml).`;
		}
		if (kind === 'redirect') {
			return `${name} redirected the request: it has a URL base (Settings → General → URL Base) that is missing from ${this.http.baseUrl}.`;
		}
		if (kind === 'validation' && path.includes('/rootfolder')) {
			return `The folder must exist and be writable inside ${name} (in its container, if it runs in one). Create it, or fix its owner, then try again.`;
		}
		if (kind === 'validation' && path.includes('/downloadclient')) {
			return `${name} tested the download client and it failed; the message above says what ${name} could not do (reach qBittorrent, log in, create the category).`;
		}
		if (kind === 'validation' && path.includes('/notification')) {
			return `${name} could not reach Jellyfin with these settings; use an address ${name} itself can reach and a Jellyfin API key.`;
		}
		if (kind === 'server-error' && path.includes('/remotepathmapping')) {
			return 'A mapping for this host and remote path exists already; edit it instead (Settings → Download Clients → Remote Path Mappings).';
		}
		return undefined;
	};
}
