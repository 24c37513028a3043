// Jellyfin 10.11 as its source says (Jellyfin.Api/Controllers/): first-run wizard, MediaBrowser auth, API keys, libraries.
// PascalCase JSON; errors are plain text (ExceptionMiddleware) or ASP.NET problem details (model binding).
import {existsSync, readdirSync, statSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import nodePath from 'node:path';
import {Emulator, header, type LabRequest, type LabResponse} from './emulator.js';
import {jellyfinSpecName, SpecChecker} from './spec-check.js';

export interface JellyfinEmulatorOptions {
	host?: string;
	port?: number;
	serverName?: string;
	version?: string;
	wizardCompleted?: boolean;
	/** The administrator; when the wizard is completed and none is given, 'admin' with a random password. */
	admin?: {name: string; password: string};
	/**
	 * EnableLegacyAuthorization (MediaBrowser.Model/Configuration/ServerConfiguration.cs): X-Emby-Authorization,
	 * X-Emby-Token, X-MediaBrowser-Token, ?api_key= and the scheme Emby. Default: on for 10.x, off from 12 on (the
	 * DisableLegacyAuthorization migration).
	 */
	legacyAuthorization?: boolean;
	/** Default: the OpenAPI document of the claimed version; false: no checking. */
	spec?: SpecChecker | false;
	/** See JellyfinEmulator.mounts. */
	mounts?: JellyfinLabMount[];
}

/** A bind mount of a Jellyfin container: host folder `source` seen at `destination`. */
export interface JellyfinLabMount {
	source: string;
	destination: string;
}

export interface JellyfinLabUser {
	id: string;
	name: string;
	password: string;
	admin: boolean;
}

interface Session {
	token: string;
	userId: string;
	client: string;
	device: string;
	deviceId: string;
	version: string;
	created: string;
}

interface ApiKey {
	token: string;
	appName: string;
	dateCreated: string;
}

export interface JellyfinLabFolder {
	name: string;
	collectionType: string | undefined;
	locations: string[];
	itemId: string;
	/** LibraryOptions as stored (the defaults of the C# class, overlaid with what was sent), without PathInfos. */
	options: Record<string, unknown>;
}

/**
 * `new LibraryOptions()` as MediaBrowser.Model/Configuration/LibraryOptions.cs builds it: what a library gets for every
 * option the client did not send. EnableRealtimeMonitor has no initializer, so it is false unless sent. Null-valued
 * properties (PreferredMetadataLanguage, MetadataSavers, ...) are left out, as Jellyfin's JSON writer omits nulls.
 */
export function defaultLibraryOptions(): Record<string, unknown> {
	return {
		Enabled: true,
		EnablePhotos: true,
		EnableRealtimeMonitor: false,
		EnableLUFSScan: false,
		EnableChapterImageExtraction: false,
		ExtractChapterImagesDuringLibraryScan: false,
		EnableTrickplayImageExtraction: false,
		ExtractTrickplayImagesDuringLibraryScan: false,
		SaveLocalMetadata: false,
		EnableInternetProviders: false,
		EnableAutomaticSeriesGrouping: true,
		EnableEmbeddedTitles: false,
		EnableEmbeddedExtrasTitles: false,
		EnableEmbeddedEpisodeInfos: false,
		AutomaticRefreshIntervalDays: 0,
		SeasonZeroDisplayName: 'Specials',
		DisabledLocalMetadataReaders: [],
		DisabledSubtitleFetchers: [],
		SubtitleFetcherOrder: [],
		DisabledMediaSegmentProviders: [],
		MediaSegmentProviderOrder: [],
		SkipSubtitlesIfEmbeddedSubtitlesPresent: false,
		SkipSubtitlesIfAudioTrackMatches: true,
		RequirePerfectSubtitleMatch: true,
		SaveSubtitlesWithMedia: true,
		SaveLyricsWithMedia: false,
		SaveTrickplayWithMedia: false,
		DisabledLyricFetchers: [],
		LyricFetcherOrder: [],
		PreferNonstandardArtistsTag: false,
		UseCustomTagDelimiters: false,
		CustomTagDelimiters: ['/', '|', ';', '\\'],
		DelimiterWhitelist: [],
		AutomaticallyAddToCollection: false,
		AllowEmbeddedSubtitles: 'AllowAll',
		TypeOptions: [],
	};
}

/** The nullable LibraryOptions properties: stored when sent, absent otherwise. */
const NULLABLE_LIBRARY_OPTIONS = ['PreferredMetadataLanguage', 'MetadataCountryCode', 'MetadataSavers', 'LocalMetadataReaderOrder', 'SubtitleDownloadLanguages'];

/** Deserializes a LibraryOptions body as System.Text.Json does in Jellyfin: names case-insensitive, unknown ones dropped. */
function readLibraryOptions(sent: Record<string, unknown> | undefined): {options: Record<string, unknown>; paths: string[]} {
	const options = defaultLibraryOptions();
	const known = [...Object.keys(options), ...NULLABLE_LIBRARY_OPTIONS];
	let paths: string[] = [];
	for (const [key, value] of Object.entries(sent ?? {})) {
		if (key.toLowerCase() === 'pathinfos') {
			paths = Array.isArray(value)
				? value.map(info => prop(typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : undefined, 'Path')).filter((item): item is string => typeof item === 'string' && item !== '')
				: [];
			continue;
		}
		const name = known.find(candidate => candidate.toLowerCase() === key.toLowerCase());
		if (!name) {
			continue;
		}
		if (value === null || value === undefined) {
			delete options[name];
		} else {
			options[name] = value;
		}
	}
	return {options, paths};
}

interface Caller {
	admin: boolean;
	user?: JellyfinLabUser;
	apiKey?: ApiKey;
}

export const JELLYFIN_COLLECTION_TYPES = ['movies', 'tvshows', 'music', 'musicvideos', 'homevideos', 'boxsets', 'books', 'mixed'] as const;
const PRODUCT_NAME = 'Jellyfin Server';
/** The name Jellyfin gives the initial user (the OS user it runs as; 'jellyfin' in the official image's setup). */
export const JELLYFIN_INITIAL_USER = 'jellyfin';

function hex32(): string {
	return randomBytes(16).toString('hex');
}

/** The parts of a `MediaBrowser k="v", ...` header: quoted or not, URL-decoded (AuthorizationContext.GetParts). */
export function parseMediaBrowserHeader(value: string, allowEmbyScheme: boolean): Record<string, string> | undefined {
	const match = /^\s*(\S+)\s+(.*)$/s.exec(value);
	if (!match) {
		return undefined;
	}
	const scheme = match[1]!.toLowerCase();
	if (scheme !== 'mediabrowser' && !(allowEmbyScheme && scheme === 'emby')) {
		return undefined;
	}
	const parts: Record<string, string> = {};
	const rest = match[2]!;
	let index = 0;
	while (index < rest.length) {
		const equals = rest.indexOf('=', index);
		if (equals < 0) {
			break;
		}
		const key = rest.slice(index, equals).trim().replace(/^,/, '').trim();
		let cursor = equals + 1;
		while (rest[cursor] === ' ') {
			cursor++;
		}
		let raw: string;
		if (rest[cursor] === '"') {
			const close = rest.indexOf('"', cursor + 1);
			const end = close < 0 ? rest.length : close;
			raw = rest.slice(cursor + 1, end);
			const comma = rest.indexOf(',', end);
			index = comma < 0 ? rest.length : comma + 1;
		} else {
			const comma = rest.indexOf(',', cursor);
			const end = comma < 0 ? rest.length : comma;
			raw = rest.slice(cursor, end).trim();
			index = end + 1;
		}
		let decoded = raw;
		try {
			decoded = decodeURIComponent(raw);
		} catch {
			// Not URL-encoded after all: keep it as sent.
		}
		if (key) {
			parts[key.toLowerCase()] = decoded;
		}
	}
	return parts;
}

/** An ASP.NET model-binding failure, as Jellyfin answers it (problem details). */
function problem(errors: Record<string, string[]>): LabResponse {
	return {
		status: 400,
		headers: {'content-type': 'application/problem+json; charset=utf-8'},
		body: {type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'One or more validation errors occurred.', status: 400, errors},
	};
}

/** ExceptionMiddleware writes the exception message as plain text. */
function text(status: number, message: string): LabResponse {
	return {status, body: message, headers: {'content-type': 'text/plain; charset=utf-8'}};
}

const noContent: LabResponse = {status: 204};

/** ASP.NET binds query parameters case-insensitively. */
function queryValue(request: LabRequest, name: string): string | undefined {
	for (const [key, value] of request.query) {
		if (key.toLowerCase() === name.toLowerCase()) {
			return value;
		}
	}
	return undefined;
}

function bodyObject(request: LabRequest): Record<string, unknown> | undefined {
	const body = request.body;
	return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** Reads a body property the way System.Text.Json does in Jellyfin (case-insensitive names). */
function prop(body: Record<string, unknown> | undefined, name: string): unknown {
	if (!body) {
		return undefined;
	}
	const key = Object.keys(body).find(candidate => candidate.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : body[key];
}

export class JellyfinEmulator extends Emulator {
	readonly serverId = hex32();
	readonly version: string;
	/** Settable, as Dashboard → system.xml is (the DisableLegacyAuthorization migration turns it off on upgrade to 12). */
	legacyAuthorization: boolean;
	wizardCompleted: boolean;
	/** Paths reported through POST /Library/Media/Updated (Sonarr/Radarr's Emby/Jellyfin notification). */
	readonly mediaUpdates: string[] = [];
	/** The same reports with their UpdateType. */
	readonly mediaUpdateDetails: Array<{path: string; updateType: string | undefined}> = [];
	/** How often /Library/Refresh ran. */
	libraryRefreshes = 0;
	/** Libraries whose creation started a scan (POST /Library/VirtualFolders?refreshLibrary=true). */
	readonly scansStarted: string[] = [];
	remoteAccess = true;
	readonly configuration: {ServerName: string; UICulture: string; MetadataCountryCode: string; PreferredMetadataLanguage: string};
	private readonly users: JellyfinLabUser[] = [];
	private sessions: Session[] = [];
	private keys: ApiKey[] = [];
	private readonly libraries: JellyfinLabFolder[] = [];
	/**
	 * The disk as a Jellyfin container with these mounts sees it: a path outside them does not exist for it (it is
	 * in the container's own layer). Undefined: a native install, which sees the host as it is.
	 */
	mounts: JellyfinLabMount[] | undefined;

	constructor(options: JellyfinEmulatorOptions = {}) {
		const version = options.version ?? '10.11.11';
		super({name: 'Jellyfin', host: options.host, port: options.port, spec: options.spec === false ? undefined : (options.spec ?? SpecChecker.load(jellyfinSpecName(version)))});
		this.version = version;
		this.legacyAuthorization = options.legacyAuthorization ?? Number(version.split('.')[0]) < 12;
		this.wizardCompleted = options.wizardCompleted ?? true;
		this.mounts = options.mounts;
		this.configuration = {ServerName: options.serverName ?? 'arrwire-lab', UICulture: 'en-US', MetadataCountryCode: 'US', PreferredMetadataLanguage: 'en'};
		const admin = options.admin ?? (this.wizardCompleted ? {name: 'admin', password: hex32().slice(0, 16)} : undefined);
		if (admin) {
			this.addUser({name: admin.name, password: admin.password, admin: true});
		}
		this.registerRoutes();
	}

	// ---- helpers for tests ----

	addUser(user: {name: string; password?: string; admin?: boolean}): JellyfinLabUser {
		const created: JellyfinLabUser = {id: hex32(), name: user.name, password: user.password ?? '', admin: user.admin ?? false};
		this.users.push(created);
		return created;
	}

	userList(): JellyfinLabUser[] {
		return this.users.map(user => ({...user}));
	}

	/** Creates an API key directly (what Dashboard → API Keys does). */
	addApiKey(appName: string): string {
		const key: ApiKey = {token: hex32(), appName, dateCreated: new Date().toISOString()};
		this.keys.push(key);
		return key.token;
	}

	apiKeys(): Array<{token: string; appName: string}> {
		return this.keys.map(key => ({token: key.token, appName: key.appName}));
	}

	/** Session tokens from AuthenticateByName that are still valid. */
	sessionTokens(): Array<{token: string; userName: string; deviceId: string}> {
		return this.sessions.map(session => ({token: session.token, userName: this.users.find(user => user.id === session.userId)?.name ?? '', deviceId: session.deviceId}));
	}

	folders(): JellyfinLabFolder[] {
		return this.libraries.map(folder => ({...folder, locations: [...folder.locations], options: structuredClone(folder.options)}));
	}

	// ---- auth ----

	/** The auth dictionary and token as AuthorizationContext finds them (Jellyfin.Server.Implementations/Security/AuthorizationContext.cs). */
	private credentials(request: LabRequest): {parts: Record<string, string>; token: string | undefined} {
		let raw = header(request, 'authorization');
		let parts = raw ? parseMediaBrowserHeader(raw, this.legacyAuthorization) : undefined;
		if (!parts && this.legacyAuthorization) {
			raw = header(request, 'x-emby-authorization');
			parts = raw ? parseMediaBrowserHeader(raw, true) : undefined;
		}
		parts ??= {};
		let token = parts.token || undefined;
		if (!token && this.legacyAuthorization) {
			token = header(request, 'x-emby-token') || header(request, 'x-mediabrowser-token') || undefined;
		}
		if (!token) {
			token = queryValue(request, 'ApiKey') || undefined;
		}
		// ApiKey above matches any case, so api_key is a different parameter only through the underscore.
		if (!token && this.legacyAuthorization) {
			token = queryValue(request, 'api_key') || undefined;
		}
		return {parts, token};
	}

	private caller(request: LabRequest): Caller | undefined {
		const {token} = this.credentials(request);
		if (!token) {
			return undefined;
		}
		const apiKey = this.keys.find(key => key.token === token);
		if (apiKey) {
			return {admin: true, apiKey};
		}
		const session = this.sessions.find(candidate => candidate.token === token);
		const user = session && this.users.find(candidate => candidate.id === session.userId);
		return user ? {admin: user.admin, user} : undefined;
	}

	protected authenticate(request: LabRequest): LabResponse | undefined {
		return this.caller(request) ? undefined : {status: 401, body: ''};
	}

	/** A request off the spec: ASP.NET's model-binding answer (problem details), listing what did not fit. */
	protected override specRejection(problems: string[]): LabResponse {
		return problem({'': problems});
	}

	/** RequiresElevation: administrators and API keys. */
	private elevated(request: LabRequest): LabResponse | undefined {
		const caller = this.caller(request);
		if (!caller) {
			return {status: 401, body: ''};
		}
		return caller.admin ? undefined : {status: 403, body: ''};
	}

	/** FirstTimeSetupOrElevated: anyone while the wizard runs, then administrators only. */
	private firstTimeSetupOrElevated(request: LabRequest): LabResponse | undefined {
		return this.wizardCompleted ? this.elevated(request) : undefined;
	}

	private guarded(method: string, pattern: string, guard: (request: LabRequest) => LabResponse | undefined, handler: (request: LabRequest) => LabResponse): void {
		this.route(method, pattern, request => guard(request) ?? handler(request), {anonymous: true});
	}

	// ---- DTOs ----

	private publicInfo() {
		return {
			LocalAddress: this.url,
			ServerName: this.configuration.ServerName,
			Version: this.version,
			ProductName: PRODUCT_NAME,
			OperatingSystem: '',
			Id: this.serverId,
			StartupWizardCompleted: this.wizardCompleted,
		};
	}

	private userDto(user: JellyfinLabUser) {
		return {
			Name: user.name,
			ServerId: this.serverId,
			Id: user.id,
			HasPassword: user.password !== '',
			HasConfiguredPassword: user.password !== '',
			HasConfiguredEasyPassword: false,
			EnableAutoLogin: false,
			Configuration: {
				PlayDefaultAudioTrack: true,
				SubtitleLanguagePreference: '',
				DisplayMissingEpisodes: false,
				GroupedFolders: [],
				OrderedViews: [],
				MyMediaExcludes: [],
			},
			Policy: {
				IsAdministrator: user.admin,
				IsHidden: user.admin,
				IsDisabled: false,
				EnableRemoteAccess: true,
				EnableMediaPlayback: true,
				EnableContentDeletion: false,
				EnableAllFolders: true,
				EnabledFolders: [],
				EnableAllDevices: true,
				AuthenticationProviderId: 'Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider',
				PasswordResetProviderId: 'Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider',
			},
		};
	}

	private folderDto(folder: JellyfinLabFolder) {
		return {
			Name: folder.name,
			Locations: [...folder.locations],
			CollectionType: folder.collectionType,
			LibraryOptions: {...structuredClone(folder.options), PathInfos: folder.locations.map(location => ({Path: location}))},
			ItemId: folder.itemId,
			PrimaryImageItemId: '',
			RefreshStatus: 'Idle',
		};
	}

	private mediaFolderItems() {
		const items = this.libraries.map(folder => ({
			Name: folder.name,
			ServerId: this.serverId,
			Id: folder.itemId,
			IsFolder: true,
			Type: 'CollectionFolder',
			CollectionType: folder.collectionType,
			Path: `/config/root/default/${folder.name}`,
		}));
		return {Items: items, TotalRecordCount: items.length, StartIndex: 0};
	}

	// ---- routes ----

	private registerRoutes(): void {
		// Anonymous probes (Jellyfin.Api/Controllers/SystemController.cs).
		this.route('GET', '/System/Info/Public', () => ({status: 200, body: this.publicInfo()}), {anonymous: true});
		const ping = (): LabResponse => ({status: 200, body: JSON.stringify(PRODUCT_NAME), headers: {'content-type': 'application/json; charset=utf-8'}});
		this.route('GET', '/System/Ping', ping, {anonymous: true});
		this.route('POST', '/System/Ping', ping, {anonymous: true});
		// The health check and the web client are not API operations (no OpenAPI entry).
		const page = {anonymous: true, outsideApi: true};
		this.route('GET', '/health', () => text(200, 'Healthy'), page);
		this.route('GET', '/', () => ({status: 302, headers: {location: '/web/'}, body: ''}), page);
		const web = (): LabResponse => ({
			status: 200,
			headers: {'content-type': 'text/html; charset=utf-8'},
			body: '<!DOCTYPE html><html class="preload" dir="ltr"><head><meta charset="utf-8"><title>Jellyfin</title></head><body><div class="mainAnimatedPages"></div></body></html>',
		});
		this.route('GET', '/web', () => ({status: 302, headers: {location: '/web/'}, body: ''}), page);
		this.route('GET', '/web/', web, page);
		this.route('GET', '/web/index.html', web, page);

		this.route('GET', '/System/Info', () => ({
			status: 200,
			body: {
				...this.publicInfo(),
				OperatingSystemDisplayName: 'Linux',
				HasPendingRestart: false,
				IsShuttingDown: false,
				SupportsLibraryMonitor: true,
				WebSocketPortNumber: this.port,
				CompletedInstallations: [],
				CanSelfRestart: false,
				CanLaunchWebBrowser: false,
				ProgramDataPath: '/config',
				WebPath: '/jellyfin/jellyfin-web',
				ItemsByNamePath: '/config/metadata',
				CachePath: '/cache',
				LogPath: '/config/log',
				InternalMetadataPath: '/config/metadata',
				TranscodingTempPath: '/cache/transcodes',
				CastReceiverApplications: [],
				HasUpdateAvailable: false,
				EncoderLocation: 'Custom',
				SystemArchitecture: 'X64',
			},
		}));

		// ConfigurationController.GetConfiguration: [Authorize], any user or key; the part arrwire and Sonarr's v5 test read.
		this.route('GET', '/System/Configuration', () => ({
			status: 200,
			body: {...this.configuration, EnableLegacyAuthorization: this.legacyAuthorization, IsStartupWizardCompleted: this.wizardCompleted, EnableMetrics: false, EnableNormalizedItemByNameIds: true},
		}));

		this.startupRoutes();
		this.authRoutes();
		this.userRoutes();
		this.libraryRoutes();
		this.environmentRoutes();
	}

	private startupRoutes(): void {
		const guard = (request: LabRequest) => this.firstTimeSetupOrElevated(request);
		this.guarded('GET', '/Startup/Configuration', guard, () => ({status: 200, body: {...this.configuration}}));
		this.guarded('POST', '/Startup/Configuration', guard, request => {
			const body = bodyObject(request);
			if (!body) {
				return problem({'': ['A non-empty request body is required.']});
			}
			for (const key of ['ServerName', 'UICulture', 'MetadataCountryCode', 'PreferredMetadataLanguage'] as const) {
				const value = prop(body, key);
				if (typeof value === 'string') {
					this.configuration[key] = value;
				}
			}
			return noContent;
		});
		const firstUser = (): LabResponse => {
			// InitializeAsync: creates the initial administrator (no password) when there is no user yet.
			if (this.users.length === 0) {
				this.addUser({name: JELLYFIN_INITIAL_USER, password: '', admin: true});
			}
			return {status: 200, body: {Name: this.users[0]!.name}};
		};
		this.guarded('GET', '/Startup/User', guard, firstUser);
		this.guarded('GET', '/Startup/FirstUser', guard, firstUser);
		this.guarded('POST', '/Startup/User', guard, request => {
			const body = bodyObject(request);
			if (!body) {
				return problem({'': ['A non-empty request body is required.']});
			}
			const user = this.users[0];
			if (!user) {
				return {status: 404, body: ''};
			}
			const password = prop(body, 'Password');
			if (typeof password !== 'string' || password.trim() === '') {
				return text(400, 'Password must not be empty');
			}
			const name = prop(body, 'Name');
			if (typeof name === 'string' && name !== '') {
				user.name = name;
			}
			user.password = password;
			return noContent;
		});
		this.guarded('POST', '/Startup/RemoteAccess', guard, request => {
			const body = bodyObject(request);
			const enable = prop(body, 'EnableRemoteAccess');
			if (!body || typeof enable !== 'boolean') {
				return problem({EnableRemoteAccess: ['The EnableRemoteAccess field is required.']});
			}
			this.remoteAccess = enable;
			return noContent;
		});
		this.guarded('POST', '/Startup/Complete', guard, () => {
			this.wizardCompleted = true;
			return noContent;
		});
	}

	private authRoutes(): void {
		this.route(
			'POST',
			'/Users/AuthenticateByName',
			request => {
				const body = bodyObject(request);
				if (!body) {
					return problem({'': ['A non-empty request body is required.']});
				}
				const {parts} = this.credentials(request);
				// SessionManager.AuthenticateNewSessionInternal: ArgumentException → 400.
				for (const [key, parameter] of [
					['client', 'appName'],
					['device', 'deviceName'],
					['deviceid', 'deviceId'],
					['version', 'appVersion'],
				] as const) {
					if (!parts[key]) {
						return text(400, `The value cannot be an empty string. (Parameter '${parameter}')`);
					}
				}
				const username = prop(body, 'Username');
				const password = prop(body, 'Pw');
				const user = typeof username === 'string' ? this.users.find(candidate => candidate.name.toLowerCase() === username.toLowerCase()) : undefined;
				if (!user || (typeof password === 'string' ? password : '') !== user.password) {
					return text(401, 'Invalid username or password entered.');
				}
				// A new login from the same device logs out that device's earlier session for this user.
				this.sessions = this.sessions.filter(session => !(session.userId === user.id && session.deviceId === parts.deviceid));
				const session: Session = {
					token: hex32(),
					userId: user.id,
					client: parts.client!,
					device: parts.device!,
					deviceId: parts.deviceid!,
					version: parts.version!,
					created: new Date().toISOString(),
				};
				this.sessions.push(session);
				return {
					status: 200,
					body: {
						User: this.userDto(user),
						SessionInfo: {
							PlayState: {CanSeek: false, IsPaused: false, IsMuted: false, RepeatMode: 'RepeatNone', PlaybackOrder: 'Default'},
							AdditionalUsers: [],
							RemoteEndPoint: request.remoteAddress,
							PlayableMediaTypes: [],
							Id: hex32(),
							UserId: user.id,
							UserName: user.name,
							Client: session.client,
							LastActivityDate: session.created,
							LastPlaybackCheckIn: '0001-01-01T00:00:00.0000000Z',
							DeviceName: session.device,
							DeviceId: session.deviceId,
							ApplicationVersion: session.version,
							IsActive: true,
							SupportsMediaControl: false,
							SupportsRemoteControl: false,
							HasCustomDeviceName: false,
							ServerId: this.serverId,
							SupportedCommands: [],
						},
						AccessToken: session.token,
						ServerId: this.serverId,
					},
				};
			},
			{anonymous: true},
		);

		const elevated = (request: LabRequest) => this.elevated(request);
		this.guarded('GET', '/Auth/Keys', elevated, () => {
			const items = this.keys.map((key, index) => ({
				Id: index + 1,
				AccessToken: key.token,
				DeviceId: '',
				AppName: key.appName,
				AppVersion: '',
				DeviceName: '',
				UserId: '00000000000000000000000000000000',
				IsActive: true,
				DateCreated: key.dateCreated,
				DateLastActivity: key.dateCreated,
				UserName: '',
			}));
			return {status: 200, body: {Items: items, TotalRecordCount: items.length, StartIndex: 0}};
		});
		this.guarded('POST', '/Auth/Keys', elevated, request => {
			const app = queryValue(request, 'app');
			if (!app) {
				return problem({app: ['The app field is required.']});
			}
			this.addApiKey(app);
			return noContent;
		});
		this.guarded('DELETE', '/Auth/Keys/{key}', elevated, request => {
			const token = request.params.key!;
			this.keys = this.keys.filter(key => key.token !== token);
			// Sessions can be revoked by their token here as well.
			this.sessions = this.sessions.filter(session => session.token !== token);
			return noContent;
		});
	}

	/** Where a path Jellyfin is given lies on the host, through its mounts; undefined when it sees nothing there. */
	private onHost(servicePath: string): string | undefined {
		if (!this.mounts) {
			return servicePath;
		}
		const target = nodePath.posix.resolve(servicePath);
		const inside = (mount: JellyfinLabMount) => {
			const relative = nodePath.posix.relative(nodePath.posix.resolve(mount.destination), target);
			return relative === '' || (!relative.startsWith('..') && !nodePath.posix.isAbsolute(relative));
		};
		const mount = this.mounts.filter(inside).sort((a, b) => b.destination.length - a.destination.length)[0];
		return mount ? nodePath.posix.join(mount.source, nodePath.posix.relative(nodePath.posix.resolve(mount.destination), target)) : undefined;
	}

	private exists(servicePath: string): boolean {
		const host = this.onHost(servicePath);
		return host !== undefined && existsSync(host);
	}

	private environmentRoutes(): void {
		const setup = (request: LabRequest) => this.firstTimeSetupOrElevated(request);
		// EnvironmentController.GetDirectoryContents: IFileSystem.GetFileSystemEntries with AttributesToSkip = 0 and
		// IgnoreInaccessible (Emby.Server.Implementations/IO/ManagedFileSystem.cs), so hidden files are listed and an
		// unreadable folder is empty; a missing one throws DirectoryNotFoundException, a 404 in ExceptionMiddleware.
		this.guarded('GET', '/Environment/DirectoryContents', setup, request => {
			const asked = queryValue(request, 'path') ?? '';
			const flag = (name: string) => queryValue(request, name)?.toLowerCase() === 'true';
			const host = this.onHost(asked);
			let isDirectory = false;
			try {
				isDirectory = host !== undefined && statSync(host).isDirectory();
			} catch {
				isDirectory = false;
			}
			if (host === undefined || !isDirectory) {
				return text(404, 'Error processing request.');
			}
			let names: string[] = [];
			try {
				names = readdirSync(host);
			} catch {
				names = [];
			}
			const entries = names.flatMap(name => {
				try {
					return [{name, directory: statSync(nodePath.join(host, name)).isDirectory()}];
				} catch {
					return [];
				}
			});
			const body = entries
				.filter(entry => (entry.directory && flag('includeDirectories')) || (!entry.directory && flag('includeFiles')))
				.map(entry => ({Name: entry.name, Path: nodePath.posix.join(asked, entry.name), Type: entry.directory ? 'Directory' : 'File'}))
				.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
			return {status: 200, body};
		});
	}

	private libraryRoutes(): void {
		const setup = (request: LabRequest) => this.firstTimeSetupOrElevated(request);
		const elevated = (request: LabRequest) => this.elevated(request);

		this.guarded('GET', '/Library/VirtualFolders', setup, () => ({status: 200, body: this.libraries.map(folder => this.folderDto(folder))}));

		this.guarded('POST', '/Library/VirtualFolders', setup, request => {
			const name = queryValue(request, 'name');
			if (!name || name.trim() === '') {
				return problem({name: ['The name field is required.']});
			}
			const rawType = queryValue(request, 'collectionType');
			let collectionType: string | undefined;
			if (rawType) {
				collectionType = JELLYFIN_COLLECTION_TYPES.find(type => type === rawType.toLowerCase());
				if (!collectionType) {
					return problem({collectionType: [`The value '${rawType}' is not valid.`]});
				}
			}
			const refresh = queryValue(request, 'refreshLibrary');
			if (refresh !== undefined && !/^(true|false)$/i.test(refresh)) {
				return problem({refreshLibrary: [`The value '${refresh}' is not valid.`]});
			}
			// LibraryStructureController.AddVirtualFolder: the body's LibraryOptions (or `new LibraryOptions()`); query
			// `paths` (comma-delimited) overrides its PathInfos.
			const sent = prop(bodyObject(request), 'LibraryOptions');
			const {options, paths: bodyPaths} = readLibraryOptions(typeof sent === 'object' && sent !== null ? (sent as Record<string, unknown>) : undefined);
			const queryPaths = queryValue(request, 'paths');
			const paths = queryPaths ? queryPaths.split(',').map(item => item.trim()).filter(Boolean) : bodyPaths;
			for (const path of paths) {
				if (!this.exists(path)) {
					return text(400, `The specified path does not exist: ${path}`);
				}
			}
			// The quirk: an existing name does not fail, the new library gets a number appended.
			let finalName = name.trim();
			let counter = 1;
			while (this.libraries.some(folder => folder.name === finalName)) {
				counter++;
				finalName = `${name.trim()}${counter}`;
			}
			this.libraries.push({name: finalName, collectionType, locations: [...new Set(paths)], itemId: hex32(), options});
			if (refresh?.toLowerCase() === 'true') {
				this.libraryRefreshes++;
				this.scansStarted.push(finalName);
			}
			return noContent;
		});

		// LibraryStructureController.UpdateLibraryOptions: the whole LibraryOptions is replaced by what is sent.
		this.guarded('POST', '/Library/VirtualFolders/LibraryOptions', setup, request => {
			const body = bodyObject(request);
			const id = prop(body, 'Id');
			const folder = typeof id === 'string' ? this.libraries.find(candidate => candidate.itemId === id.replace(/-/g, '').toLowerCase()) : undefined;
			if (!folder) {
				return {status: 404, body: ''};
			}
			const sent = prop(body, 'LibraryOptions');
			if (typeof sent !== 'object' || sent === null) {
				// request.LibraryOptions! is dereferenced: a NullReferenceException, answered 500 by ExceptionMiddleware.
				return text(500, 'Object reference not set to an instance of an object.');
			}
			const {options, paths} = readLibraryOptions(sent as Record<string, unknown>);
			for (const path of paths) {
				if (!folder.locations.includes(path)) {
					folder.locations.push(path);
				}
			}
			folder.options = options;
			return noContent;
		});

		this.guarded('DELETE', '/Library/VirtualFolders', setup, request => {
			const name = queryValue(request, 'name');
			if (!name) {
				return problem({name: ['The name field is required.']});
			}
			const index = this.libraries.findIndex(folder => folder.name === name);
			if (index < 0) {
				return text(404, 'The media collection does not exist');
			}
			this.libraries.splice(index, 1);
			return noContent;
		});

		this.guarded('POST', '/Library/VirtualFolders/Paths', setup, request => {
			const body = bodyObject(request);
			if (!body) {
				return problem({'': ['A non-empty request body is required.']});
			}
			const name = prop(body, 'Name');
			if (typeof name !== 'string' || name === '') {
				return problem({Name: ['The Name field is required.']});
			}
			const pathInfo = prop(body, 'PathInfo');
			const infoPath = prop(typeof pathInfo === 'object' && pathInfo !== null ? (pathInfo as Record<string, unknown>) : undefined, 'Path');
			const path = typeof infoPath === 'string' && infoPath ? infoPath : prop(body, 'Path');
			if (typeof path !== 'string' || path === '') {
				return text(400, "Value cannot be null. (Parameter 'path')");
			}
			const folder = this.libraries.find(candidate => candidate.name === name);
			if (!folder) {
				return text(404, 'The media collection does not exist');
			}
			if (!this.exists(path)) {
				return text(400, `The specified path does not exist: ${path}`);
			}
			if (!folder.locations.includes(path)) {
				folder.locations.push(path);
			}
			// LibraryStructureController.AddMediaPath: refreshLibrary=true starts a scan of the libraries.
			if (queryValue(request, 'refreshLibrary')?.toLowerCase() === 'true') {
				this.libraryRefreshes++;
				this.scansStarted.push(folder.name);
			}
			return noContent;
		});

		this.guarded('DELETE', '/Library/VirtualFolders/Paths', setup, request => {
			const name = queryValue(request, 'name');
			const path = queryValue(request, 'path');
			if (!name) {
				return problem({name: ['The name field is required.']});
			}
			const folder = this.libraries.find(candidate => candidate.name === name);
			if (!folder || !path) {
				return text(404, 'The media collection does not exist');
			}
			const index = folder.locations.indexOf(path);
			if (index < 0) {
				return text(400, `The media folder does not contain ${path}`);
			}
			folder.locations.splice(index, 1);
			return noContent;
		});

		this.guarded('GET', '/Library/MediaFolders', elevated, () => ({status: 200, body: this.mediaFolderItems()}));
		// Jellyfin.Api/Controllers/UserViewsController.cs keeps this route "for backwards compatibility" and hides it
		// from the OpenAPI document (ApiExplorerSettings IgnoreApi); Jellyseerr falls back to it.
		this.route(
			'GET',
			'/Users/{id}/Views',
			request => {
				const user = this.users.find(candidate => candidate.id.toLowerCase() === request.params.id!.replace(/-/g, '').toLowerCase());
				if (!user) {
					return {status: 404, body: ''};
				}
				return {status: 200, body: this.mediaFolderItems()};
			},
			{outsideApi: true},
		);
		this.guarded('POST', '/Library/Refresh', elevated, () => {
			this.libraryRefreshes++;
			return noContent;
		});
		this.guarded('POST', '/Library/Media/Updated', elevated, request => {
			const updates = prop(bodyObject(request), 'Updates');
			if (!Array.isArray(updates)) {
				return problem({Updates: ['The Updates field is required.']});
			}
			for (const update of updates) {
				const record = typeof update === 'object' && update !== null ? (update as Record<string, unknown>) : undefined;
				const path = prop(record, 'Path');
				if (typeof path === 'string') {
					const updateType = prop(record, 'UpdateType');
					this.mediaUpdates.push(path);
					this.mediaUpdateDetails.push({path, updateType: typeof updateType === 'string' ? updateType : undefined});
				}
			}
			return noContent;
		});
		this.route('GET', '/Items', () => ({status: 200, body: {Items: [], TotalRecordCount: 0, StartIndex: 0}}));
		// Jellyfin.Api/Controllers/UserLibraryController.cs GetLatestMedia: the newest items of a library for a user
		// (the lab's libraries hold no items); an unknown user is 404.
		this.route('GET', '/Items/Latest', request => {
			const userId = queryValue(request, 'userId');
			if (userId && !this.userById(userId)) {
				return text(404, 'User not found');
			}
			return {status: 200, body: []};
		});
	}

	private userById(id: string): JellyfinLabUser | undefined {
		return this.users.find(candidate => candidate.id === id.replace(/-/g, '').toLowerCase());
	}

	/** Jellyfin.Api/Controllers/UserController.cs: the user list and a user by id, for any signed-in caller. */
	private userRoutes(): void {
		this.route('GET', '/Users', request => {
			const hidden = queryValue(request, 'isHidden');
			const disabled = queryValue(request, 'isDisabled');
			const users = this.users
				.map(user => this.userDto(user))
				.filter(user => hidden === undefined || String(user.Policy.IsHidden) === hidden.toLowerCase())
				.filter(user => disabled === undefined || String(user.Policy.IsDisabled) === disabled.toLowerCase());
			return {status: 200, body: users};
		});
		// GetCurrentUser: only a session has a user; an API key gets 400.
		this.route('GET', '/Users/Me', request => {
			const user = this.caller(request)?.user;
			return user ? {status: 200, body: this.userDto(user)} : {status: 400, body: ''};
		});
		this.route('GET', '/Users/{userId}', request => {
			const user = this.userById(request.params.userId!);
			return user ? {status: 200, body: this.userDto(user)} : text(404, 'User not found');
		});
	}
}
