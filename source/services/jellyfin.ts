// Jellyfin 10.11 (Jellyfin Jellyfin.Api/Controllers/): first-run wizard, sign-in, API keys, libraries. JSON is PascalCase.
import {createHash} from 'node:crypto';
import * as z from './schema.js';
import {HttpClient, type FixAdvisor} from './http.js';

export interface JellyfinClientOptions {
	url: string;
	/** An API key or a session token. */
	token?: string;
	/** Default: 'arrwire-' + a hash of the URL, stable so that a new sign-in replaces arrwire's old session only. */
	deviceId?: string;
	timeoutMs?: number;
}

export const JELLYFIN_CLIENT_VERSION = '0.1.0';

export const jellyfinCollectionTypes = ['movies', 'tvshows', 'music', 'musicvideos', 'homevideos', 'boxsets', 'books', 'mixed'] as const;
export type JellyfinCollectionType = (typeof jellyfinCollectionTypes)[number];

export const jellyfinPublicInfoSchema = z.looseObject({
	ServerName: z.string(),
	Version: z.string(),
	Id: z.string(),
	StartupWizardCompleted: z.optional(z.boolean()),
	ProductName: z.optional(z.string()),
	LocalAddress: z.nullish(z.string()),
	OperatingSystem: z.nullish(z.string()),
});
export type JellyfinPublicInfo = z.infer<typeof jellyfinPublicInfoSchema>;

export const jellyfinSystemInfoSchema = z.looseObject({
	Id: z.string(),
	ServerName: z.optional(z.string()),
	Version: z.optional(z.string()),
	StartupWizardCompleted: z.optional(z.boolean()),
	OperatingSystemDisplayName: z.nullish(z.string()),
	HasPendingRestart: z.optional(z.boolean()),
});
export type JellyfinSystemInfo = z.infer<typeof jellyfinSystemInfoSchema>;

/** The part of ServerConfiguration (MediaBrowser.Model/Configuration/ServerConfiguration.cs) arrwire reads. */
export const jellyfinServerConfigurationSchema = z.looseObject({
	/** X-Emby-Token, X-MediaBrowser-Token, X-Emby-Authorization, ?api_key=: off by default from Jellyfin 12. */
	EnableLegacyAuthorization: z.optional(z.boolean()),
});
export type JellyfinServerConfiguration = z.infer<typeof jellyfinServerConfigurationSchema>;

export const jellyfinStartupConfigurationSchema = z.looseObject({
	ServerName: z.nullish(z.string()),
	UICulture: z.nullish(z.string()),
	MetadataCountryCode: z.nullish(z.string()),
	PreferredMetadataLanguage: z.nullish(z.string()),
});
export type JellyfinStartupConfiguration = z.infer<typeof jellyfinStartupConfigurationSchema>;

const startupUserSchema = z.looseObject({Name: z.nullish(z.string()), Password: z.nullish(z.string())});

export const jellyfinUserSchema = z.looseObject({
	Name: z.string(),
	Id: z.string(),
	ServerId: z.nullish(z.string()),
	HasPassword: z.optional(z.boolean()),
	Policy: z.optional(z.looseObject({IsAdministrator: z.boolean()})),
});

export const jellyfinAuthenticationResultSchema = z.looseObject({
	User: jellyfinUserSchema,
	SessionInfo: z.nullish(z.looseObject({})),
	AccessToken: z.string(),
	ServerId: z.string(),
});
export type JellyfinAuthenticationResult = z.infer<typeof jellyfinAuthenticationResultSchema>;

export const jellyfinApiKeySchema = z.looseObject({
	AccessToken: z.string(),
	AppName: z.nullish(z.string()),
	DateCreated: z.nullish(z.string()),
});
export type JellyfinApiKey = z.infer<typeof jellyfinApiKeySchema>;
const apiKeysSchema = z.looseObject({Items: z.array(jellyfinApiKeySchema), TotalRecordCount: z.optional(z.number()), StartIndex: z.optional(z.number())});

export const jellyfinVirtualFolderSchema = z.looseObject({
	Name: z.string(),
	CollectionType: z.nullish(z.string()),
	Locations: z.nullish(z.array(z.string())),
	ItemId: z.nullish(z.string()),
	LibraryOptions: z.nullish(z.looseObject({PathInfos: z.nullish(z.array(z.looseObject({Path: z.nullish(z.string())}))), EnableRealtimeMonitor: z.optional(z.boolean())})),
	RefreshStatus: z.nullish(z.string()),
});
export type JellyfinVirtualFolder = z.infer<typeof jellyfinVirtualFolderSchema>;

export const jellyfinMediaFolderSchema = z.looseObject({
	Name: z.string(),
	Id: z.string(),
	CollectionType: z.nullish(z.string()),
	Type: z.nullish(z.string()),
});
export type JellyfinMediaFolder = z.infer<typeof jellyfinMediaFolderSchema>;
// FileSystemEntryInfo (Jellyfin.Api/Models/EnvironmentDtos/FileSystemEntryInfo.cs): Type is File or Directory here.
const fileSystemEntryInfoSchema = z.looseObject({Name: z.optional(z.string()), Path: z.optional(z.string()), Type: z.optional(z.string())});
const mediaFoldersSchema = z.looseObject({Items: z.array(jellyfinMediaFolderSchema), TotalRecordCount: z.optional(z.number())});

export interface AddVirtualFolderRequest {
	name: string;
	collectionType: JellyfinCollectionType;
	paths: string[];
	refreshLibrary?: boolean;
	/** LibraryOptions besides PathInfos; Jellyfin's own defaults (LibraryOptions.cs) fill what is left out. */
	options?: Record<string, unknown>;
}

/**
 * What Jellyfin's dashboard sends for a new library whose form is left as it opens (jellyfin-web
 * src/components/libraryoptionseditor/libraryoptionseditor.js getLibraryOptions, and the boxes its template checks).
 * Real-time monitoring matters most: without it, Jellyfin sees an import only at the next scheduled scan.
 */
export const dashboardLibraryOptions: Readonly<Record<string, unknown>> = {
	Enabled: true,
	EnablePhotos: true,
	EnableRealtimeMonitor: true,
	EnableLUFSScan: true,
	EnableInternetProviders: true,
	SaveLocalMetadata: false,
	EnableAutomaticSeriesGrouping: false,
	SeasonZeroDisplayName: 'Specials',
	AutomaticRefreshIntervalDays: 0,
	AllowEmbeddedSubtitles: 'AllowAll',
	SkipSubtitlesIfAudioTrackMatches: false,
	RequirePerfectSubtitleMatch: true,
	SaveSubtitlesWithMedia: true,
};

/** 'arrwire-' + a short hash of the URL: the same Jellyfin always sees the same device. */
export function jellyfinDeviceId(url: string): string {
	return `arrwire-${createHash('sha256').update(url.replace(/\/+$/, '').toLowerCase()).digest('hex').slice(0, 16)}`;
}

function headerValue(value: string): string {
	// Jellyfin URL-decodes each value; encoding keeps quotes and commas from breaking the header.
	return `"${encodeURIComponent(value)}"`;
}

export class JellyfinClient {
	readonly http: HttpClient;
	readonly deviceId: string;
	private accessToken: string | undefined;
	/** Passwords and keys this client has seen: none may reach an error text. */
	private readonly known = new Set<string>();

	constructor(options: JellyfinClientOptions) {
		this.accessToken = options.token;
		this.deviceId = options.deviceId ?? jellyfinDeviceId(options.url);
		this.http = new HttpClient({
			service: 'Jellyfin',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: () => ({authorization: this.authorization(this.accessToken), accept: 'application/json'}),
			secrets: () => [this.accessToken, ...this.known],
			advise: this.advise,
		});
	}

	/** The token sent with every request (an API key, or the session from authenticateByName). */
	get token(): string | undefined {
		return this.accessToken;
	}

	/** `MediaBrowser Client=..., Device=..., DeviceId=..., Version=...[, Token=...]` (Jellyfin.Server.Implementations/Security/AuthorizationContext.cs). */
	authorization(token?: string): string {
		const parts = [
			`Client=${headerValue('arrwire')}`,
			`Device=${headerValue('arrwire')}`,
			`DeviceId=${headerValue(this.deviceId)}`,
			`Version=${headerValue(JELLYFIN_CLIENT_VERSION)}`,
		];
		if (token) {
			parts.push(`Token=${headerValue(token)}`);
		}
		return `MediaBrowser ${parts.join(', ')}`;
	}

	publicInfo(): Promise<JellyfinPublicInfo> {
		return this.http.get('/System/Info/Public', jellyfinPublicInfoSchema);
	}

	systemInfo(): Promise<JellyfinSystemInfo> {
		return this.http.get('/System/Info', jellyfinSystemInfoSchema);
	}

	/** GET /System/Configuration (SystemConfigurationController): any signed-in user or API key may read it. */
	systemConfiguration(): Promise<JellyfinServerConfiguration> {
		return this.http.get('/System/Configuration', jellyfinServerConfigurationSchema);
	}

	// ---- first-run wizard (Jellyfin.Api/Controllers/StartupController.cs) ----

	startupConfiguration(): Promise<JellyfinStartupConfiguration> {
		return this.http.get('/Startup/Configuration', jellyfinStartupConfigurationSchema);
	}

	async setStartupConfiguration(configuration: JellyfinStartupConfiguration): Promise<void> {
		await this.http.request('POST', '/Startup/Configuration', {json: configuration});
	}

	/** The first user's name; this call also creates that user when none exists yet, so call it before setStartupUser. */
	async startupUser(): Promise<{Name: string | undefined}> {
		const user = await this.http.get('/Startup/User', startupUserSchema);
		return {Name: user.Name ?? undefined};
	}

	async setStartupUser(name: string, password: string): Promise<void> {
		this.known.add(password);
		await this.http.request('POST', '/Startup/User', {json: {Name: name, Password: password}});
	}

	async setRemoteAccess(enable: boolean): Promise<void> {
		await this.http.request('POST', '/Startup/RemoteAccess', {json: {EnableRemoteAccess: enable, EnableAutomaticPortMapping: false}});
	}

	async completeStartup(): Promise<void> {
		await this.http.request('POST', '/Startup/Complete');
	}

	// ---- sign-in and API keys (Jellyfin.Api/Controllers/UserController.cs, ApiKeyController.cs) ----

	/** Signs in; later calls use the session token. A new sign-in from this DeviceId ends this client's previous session. */
	async authenticateByName(username: string, password: string): Promise<JellyfinAuthenticationResult> {
		this.known.add(password);
		const result = await this.http.post('/Users/AuthenticateByName', jellyfinAuthenticationResultSchema, {
			json: {Username: username, Pw: password},
			headers: {authorization: this.authorization()},
			effect: 'login',
		});
		this.known.add(result.AccessToken);
		this.accessToken = result.AccessToken;
		return result;
	}

	async apiKeys(): Promise<JellyfinApiKey[]> {
		const keys = await this.http.get('/Auth/Keys', apiKeysSchema);
		for (const key of keys.Items) {
			this.known.add(key.AccessToken);
		}
		return keys.Items;
	}

	/** POST answers 204 without the key, so it is read back: the newest key with that AppName (what Jellyseerr does). */
	async createApiKey(app: string): Promise<string> {
		await this.http.request('POST', '/Auth/Keys', {query: {app}});
		const matching = (await this.apiKeys()).filter(key => key.AppName === app);
		const newest = matching.reduce<JellyfinApiKey | undefined>((best, key) => {
			if (!best) {
				return key;
			}
			const a = Date.parse(best.DateCreated ?? '');
			const b = Date.parse(key.DateCreated ?? '');
			// Equal or unknown dates: the later item in the list is the newer one.
			return Number.isNaN(a) || Number.isNaN(b) || b >= a ? key : best;
		}, undefined);
		if (!newest) {
			throw this.http.error('bad-response', 'GET', this.http.url('/Auth/Keys'), 200, `the new API key for "${app}" is not in the list`);
		}
		return newest.AccessToken;
	}

	async deleteApiKey(key: string): Promise<void> {
		this.known.add(key);
		await this.http.delete(`/Auth/Keys/${encodeURIComponent(key)}`);
	}

	// ---- libraries (Jellyfin.Api/Controllers/LibraryStructureController.cs) ----

	virtualFolders(): Promise<JellyfinVirtualFolder[]> {
		return this.http.get('/Library/VirtualFolders', z.array(jellyfinVirtualFolderSchema));
	}

	/**
	 * Creates a library. Jellyfin does not refuse an existing name (it makes "<name>2"), so callers check
	 * virtualFolders() first. Paths go in the body: a comma inside a path would split the query form.
	 */
	async addVirtualFolder(request: AddVirtualFolderRequest): Promise<void> {
		await this.http.request('POST', '/Library/VirtualFolders', {
			query: {name: request.name, collectionType: request.collectionType, refreshLibrary: request.refreshLibrary ?? false},
			json: {LibraryOptions: {...request.options, PathInfos: request.paths.map(path => ({Path: path}))}},
		});
	}

	/**
	 * Replaces a library's LibraryOptions (LibraryStructureController.UpdateLibraryOptions): send the options as read,
	 * with the fields to change, or every option left out falls back to its default.
	 */
	async updateLibraryOptions(itemId: string, options: Record<string, unknown>): Promise<void> {
		await this.http.request('POST', '/Library/VirtualFolders/LibraryOptions', {json: {Id: itemId, LibraryOptions: options}});
	}

	async removeVirtualFolder(name: string): Promise<void> {
		await this.http.delete('/Library/VirtualFolders', {query: {name, refreshLibrary: false}});
	}

	/** Adds a folder to a library; `refresh`: and scans (what the dashboard does when a folder is added). */
	async addPathToVirtualFolder(name: string, path: string, refresh = false): Promise<void> {
		await this.http.request('POST', '/Library/VirtualFolders/Paths', {query: {refreshLibrary: refresh}, json: {Name: name, PathInfo: {Path: path}}});
	}

	async removePathFromVirtualFolder(name: string, path: string): Promise<void> {
		await this.http.delete('/Library/VirtualFolders/Paths', {query: {name, path, refreshLibrary: false}});
	}

	async refreshLibrary(): Promise<void> {
		await this.http.request('POST', '/Library/Refresh');
	}

	/**
	 * A folder's files and subfolders as Jellyfin itself sees it (administrators only): Jellyfin.Api/Controllers/
	 * EnvironmentController.cs (GetDirectoryContents). A missing folder is a DirectoryNotFoundException, which
	 * Jellyfin.Api/Middleware/ExceptionMiddleware.cs answers with 404: undefined here. Asked afresh every time.
	 */
	async directoryContents(folder: string): Promise<Array<{Name?: string; Path?: string; Type?: string}> | undefined> {
		const response = await this.http.request('GET', '/Environment/DirectoryContents', {query: {path: folder, includeFiles: true, includeDirectories: true}, accept: [404], fresh: true});
		return response.status === 404 ? undefined : this.http.parse(response, z.array(fileSystemEntryInfoSchema), 'GET', '/Environment/DirectoryContents');
	}

	async mediaFolders(): Promise<JellyfinMediaFolder[]> {
		return (await this.http.get('/Library/MediaFolders', mediaFoldersSchema)).Items;
	}

	private readonly advise: FixAdvisor = (kind, {path}) => {
		const lower = path.toLowerCase();
		if (kind === 'unauthorized' && lower.endsWith('/users/authenticatebyname')) {
			return 'Jellyfin refused the username or password; check them (the user must exist in Dashboard → Users).';
		}
		if (kind === 'unauthorized') {
			return 'the token was refused: create an API key in Dashboard → API Keys, or sign in with an administrator';
		}
		if (kind === 'forbidden') {
			return 'The Jellyfin user is not an administrator: sign in with one, or allow this user to manage the server (Dashboard → Users → the user → "Allow this user to manage the server").';
		}
		if (kind === 'validation' && lower.includes('/library/virtualfolders')) {
			return 'The library path must exist inside Jellyfin (inside its container when it runs in Docker): mount the media folder into the Jellyfin container and give the path as Jellyfin sees it.';
		}
		if (kind === 'validation' && lower.endsWith('/startup/user')) {
			return 'Jellyfin needs a non-empty password for its first administrator.';
		}
		if (kind === 'not-found' && lower.endsWith('/startup/user')) {
			return 'Jellyfin has no first user yet: read /Startup/User first (it creates that user), then set the name and password.';
		}
		return undefined;
	};
}
