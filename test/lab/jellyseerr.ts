// Jellyseerr (v2.7.3) / Seerr (v3.1.0) as API-FACTS §5 and JELLYSEERR-OBSERVED.md describe it: the OpenAPI
// validator in front (401 without key or cookie, 400 for bodies off the spec), admin routes behind user 1, and real
// HTTP calls to Jellyfin and Sonarr/Radarr where the real server makes them.
import {mkdirSync, writeFileSync} from 'node:fs';
import {randomBytes, randomUUID} from 'node:crypto';
import path from 'node:path';
import {Emulator, header, type Handler, type LabRequest, type LabResponse} from './emulator.js';
import {SpecChecker} from './spec-check.js';

export type SeerrFlavor = 'jellyseerr' | 'seerr';

export interface JellyseerrEmulatorOptions {
	/** main.apiKey (as if forced by the API_KEY variable). */
	apiKey: string;
	host?: string;
	port?: number;
	flavor?: SeerrFlavor;
	version?: string;
	/** Where settings.json is written (what discovery reads). */
	configDir?: string;
	/** Default: the flavor's spec; false: no checking. */
	spec?: SpecChecker | false;
}

export interface SeerrLibrary {
	id: string;
	name: string;
	enabled: boolean;
	type: 'movie' | 'show';
}

export interface SeerrJellyfinSettings {
	name: string;
	ip: string;
	port: number;
	useSsl: boolean;
	urlBase: string;
	externalHostname: string;
	jellyfinForgotPasswordUrl: string;
	libraries: SeerrLibrary[];
	serverId: string;
	apiKey: string;
	[key: string]: unknown;
}

export interface SeerrServarr {
	id: number;
	isDefault?: boolean;
	is4k?: boolean;
	[key: string]: unknown;
}

export interface SeerrSettings {
	clientId: string;
	vapidPrivate: string;
	vapidPublic: string;
	main: Record<string, unknown> & {apiKey: string; applicationTitle: string; mediaServerType: number};
	plex: Record<string, unknown>;
	jellyfin: SeerrJellyfinSettings;
	tautulli: Record<string, unknown>;
	radarr: SeerrServarr[];
	sonarr: SeerrServarr[];
	public: {initialized: boolean};
	notifications: Record<string, unknown>;
	jobs: Record<string, unknown>;
	network: Record<string, unknown>;
	migrations: string[];
}

interface SeerrUser {
	id: number;
	email: string;
	username: string;
	jellyfinUsername: string;
	jellyfinUserId: string;
	jellyfinDeviceId: string;
	jellyfinAuthToken: string;
	userType: number;
	permissions: number;
	createdAt: string;
	updatedAt: string;
}

/** MediaServerType (server/constants/server.ts). */
const MEDIA_SERVER_NONE = 4;
const PERMISSION_ADMIN = 2;
const EXCLUDED_LIBRARY_TYPES = ['music', 'books', 'musicvideos', 'homevideos', 'boxsets'];
const CALL_TIMEOUT_MS = 5000;
const SERVARR_CACHE_MS = 60 * 60 * 1000;

interface Answer {
	status: number;
	data: unknown;
}

export class JellyseerrEmulator extends Emulator {
	readonly flavor: SeerrFlavor;
	readonly version: string;
	readonly configDir?: string;
	settings: SeerrSettings;
	private readonly forcedApiKey: string;
	private users: SeerrUser[] = [];
	private readonly sessions = new Map<string, number>();
	/** Servarr qualityProfile/rootfolder answers, cached per URL (the key is not part of the cache key). */
	private readonly servarrCache = new Map<string, {at: number; data: unknown}>();

	constructor(options: JellyseerrEmulatorOptions) {
		const flavor = options.flavor ?? 'jellyseerr';
		super({
			name: flavor === 'seerr' ? 'Seerr' : 'Jellyseerr',
			host: options.host,
			port: options.port,
			spec: options.spec === false ? undefined : (options.spec ?? SpecChecker.load(flavor)),
		});
		this.flavor = flavor;
		this.version = options.version ?? '2.7.3';
		this.configDir = options.configDir;
		this.forcedApiKey = options.apiKey;
		this.settings = this.freshSettings();
		this.registerRoutes();
	}

	/** The product name as it appears in titles, the root answer and Jellyfin headers. */
	get product(): string {
		return this.flavor === 'seerr' ? 'Seerr' : 'Jellyseerr';
	}

	/** Back to a fresh config directory: no users, no Jellyfin, no Sonarr/Radarr. */
	resetToFirstRun(): void {
		this.settings = this.freshSettings();
		this.users = [];
		this.sessions.clear();
		this.servarrCache.clear();
		this.save();
	}

	override async start(): Promise<void> {
		this.save();
		await super.start();
	}

	private freshSettings(): SeerrSettings {
		return {
			clientId: randomUUID(),
			vapidPrivate: randomBytes(32).toString('base64url'),
			vapidPublic: randomBytes(65).toString('base64url'),
			main: {
				apiKey: this.forcedApiKey || Buffer.from(`${Date.now()}${randomUUID()}`).toString('base64'),
				applicationTitle: this.product,
				applicationUrl: '',
				cacheImages: false,
				defaultPermissions: 32,
				defaultQuotas: {movie: {}, tv: {}},
				hideAvailable: false,
				[this.flavor === 'seerr' ? 'hideBlocklisted' : 'hideBlacklisted']: false,
				localLogin: true,
				mediaServerLogin: true,
				newPlexLogin: true,
				discoverRegion: '',
				streamingRegion: '',
				originalLanguage: '',
				blacklistedTags: '',
				blacklistedTagsLimit: 50,
				mediaServerType: MEDIA_SERVER_NONE,
				partialRequestsEnabled: true,
				enableSpecialEpisodes: false,
				locale: 'en',
				youtubeUrl: '',
			},
			plex: {name: '', ip: '', port: 32400, useSsl: false, libraries: []},
			jellyfin: {
				name: '',
				ip: '',
				port: 8096,
				useSsl: false,
				urlBase: '',
				externalHostname: '',
				jellyfinForgotPasswordUrl: '',
				libraries: [],
				serverId: '',
				apiKey: '',
			},
			tautulli: {},
			radarr: [],
			sonarr: [],
			public: {initialized: false},
			notifications: {agents: {email: {enabled: false, options: {}}, webpush: {enabled: false, options: {}}}},
			jobs: {},
			network: {csrfProtection: false, trustProxy: false, forceIpv4First: false, dnsCache: {enabled: false}},
			migrations: [],
		};
	}

	/** Writes settings.json as the real server does after every change. */
	private save(): void {
		if (!this.configDir) {
			return;
		}
		mkdirSync(this.configDir, {recursive: true});
		writeFileSync(path.join(this.configDir, 'settings.json'), JSON.stringify(this.settings, null, 1));
	}

	// --- auth -------------------------------------------------------------------------------------------------------

	/** The validator's security check: only that a key or a cookie is present (the key is checked later). */
	protected override authenticate(request: LabRequest): LabResponse | undefined {
		if (header(request, 'x-api-key') !== undefined || sessionCookie(request) !== undefined) {
			return undefined;
		}
		const message = "cookie 'connect.sid' required";
		return {status: 401, body: {message, errors: [{path: request.rawPath, message}]}};
	}

	/** Who the request acts as: the key maps to user 1 (once it exists), the cookie to its session's user. */
	private user(request: LabRequest): SeerrUser | undefined {
		const key = header(request, 'x-api-key');
		if (key !== undefined) {
			return key === this.settings.main.apiKey ? this.users.find(user => user.id === 1) : undefined;
		}
		const sid = sessionCookie(request);
		const id = sid === undefined ? undefined : this.sessions.get(sid);
		return id === undefined ? undefined : this.users.find(user => user.id === id);
	}

	/** isAuthenticated(Permission.ADMIN) in front of /settings. */
	private admin(handler: Handler): Handler {
		return request => {
			const user = this.user(request);
			if (!user || (user.permissions & PERMISSION_ADMIN) === 0) {
				return {status: 403, body: {status: 403, error: 'You do not have permission to access this endpoint'}};
			}
			return handler(request);
		};
	}

	/** express-openapi-validator's answer: {message, errors: [{path, message, errorCode}]}. */
	protected override specRejection(problems: string[]): LabResponse {
		if (problems.some(problem => / is not an operation of the /.test(problem))) {
			return {status: 404, body: {message: 'not found', errors: [{path: '', message: 'not found'}]}};
		}
		const errors = problems.map(validatorError);
		return {status: 400, body: {message: errors.map(error => `request${error.path.replace(/\./g, '/')} ${error.message}`).join(', '), errors}};
	}

	/** Paths that are not API operations: the root answer and the Next.js pages. */
	protected override notFound(request: LabRequest): LabResponse {
		const api = request.path.replace(/\/+$/, '');
		if (request.method === 'GET' && api.toLowerCase() === '/api/v1') {
			return {status: 200, body: {api: `${this.product} API`, version: '1.0'}};
		}
		if (api.toLowerCase().startsWith('/api/')) {
			return {status: 404, body: {message: 'not found', errors: [{path: request.path, message: 'not found'}]}};
		}
		if ((request.method === 'GET' || request.method === 'HEAD') && (request.path === '/' || request.path === '/setup' || request.path === '/login')) {
			const title = this.product;
			return {
				status: 200,
				headers: {'content-type': 'text/html; charset=utf-8'},
				body: `<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>${title}</title><link rel="manifest" href="/site.webmanifest"/></head><body><div id="__next"></div></body></html>`,
			};
		}
		return {status: 404, headers: {'content-type': 'text/html; charset=utf-8'}, body: `<!DOCTYPE html><html><head><title>404 - ${this.product}</title></head><body>404</body></html>`};
	}

	// --- routes -----------------------------------------------------------------------------------------------------

	private registerRoutes(): void {
		const anonymous = {anonymous: true};
		this.route(
			'GET',
			'/api/v1/status',
			() => ({status: 200, body: {version: this.version, commitTag: `v${this.version}`, updateAvailable: false, commitsBehind: 0, restartRequired: false}}),
			anonymous,
		);
		this.route('GET', '/api/v1/status/appdata', () => ({status: 200, body: {appData: true, appDataPath: this.configDir ?? '/app/config', appDataPermissions: true}}), anonymous);
		this.route('GET', '/api/v1/settings/public', () => ({status: 200, body: this.publicSettings()}), anonymous);
		this.route('POST', '/api/v1/auth/jellyfin', request => this.authJellyfin(request), anonymous);

		this.route('GET', '/api/v1/settings/main', this.admin(() => ({status: 200, body: this.settings.main})));
		this.route(
			'POST',
			'/api/v1/settings/main',
			this.admin(request => {
				this.settings.main = {...this.settings.main, ...asRecord(request.body)};
				this.save();
				return {status: 200, body: this.settings.main};
			}),
		);
		this.route(
			'POST',
			'/api/v1/settings/main/regenerate',
			this.admin(() => {
				this.settings.main.apiKey = Buffer.from(`${Date.now()}${randomUUID()}`).toString('base64');
				this.save();
				return {status: 200, body: this.settings.main};
			}),
		);
		this.route(
			'POST',
			'/api/v1/settings/initialize',
			this.admin(() => {
				this.settings.public.initialized = true;
				this.save();
				return {status: 200, body: this.settings.public};
			}),
		);

		this.route('GET', '/api/v1/settings/jellyfin', this.admin(() => ({status: 200, body: this.settings.jellyfin})));
		this.route('POST', '/api/v1/settings/jellyfin', this.admin(request => this.setJellyfin(request)));
		this.route('GET', '/api/v1/settings/jellyfin/library', this.admin(request => this.libraries(request)));
		this.route('GET', '/api/v1/settings/jellyfin/users', this.admin(() => ({status: 200, body: []})));

		for (const kind of ['sonarr', 'radarr'] as const) {
			const base = `/api/v1/settings/${kind}`;
			this.route('GET', base, this.admin(() => ({status: 200, body: this.settings[kind]})));
			this.route('POST', `${base}/test`, this.admin(request => this.testServarr(kind, request)), {changesNothing: true});
			this.route(
				'POST',
				base,
				this.admin(request => {
					const list = this.settings[kind];
					const last = list[list.length - 1];
					const created: SeerrServarr = {...asRecord(request.body), id: last ? last.id + 1 : 0};
					if (created.isDefault) {
						for (const other of list) {
							if (Boolean(other.is4k) === Boolean(created.is4k)) {
								other.isDefault = false;
							}
						}
					}
					list.push(created);
					this.save();
					return {status: 201, body: created};
				}),
			);
			this.route(
				'PUT',
				`${base}/{id}`,
				this.admin(request => {
					const list = this.settings[kind];
					const index = list.findIndex(item => item.id === Number(request.params.id));
					if (index < 0) {
						return {status: 404, body: {status: 404, message: 'Settings instance not found'}};
					}
					const updated: SeerrServarr = {...asRecord(request.body), id: Number(request.params.id)};
					if (updated.isDefault) {
						for (const other of list) {
							if (other.id !== updated.id && Boolean(other.is4k) === Boolean(updated.is4k)) {
								other.isDefault = false;
							}
						}
					}
					list[index] = updated;
					this.save();
					return {status: 200, body: updated};
				}),
			);
			this.route(
				'DELETE',
				`${base}/{id}`,
				this.admin(request => {
					const list = this.settings[kind];
					const index = list.findIndex(item => item.id === Number(request.params.id));
					if (index < 0) {
						return {status: 404, body: {status: 404, message: 'Settings instance not found'}};
					}
					const [removed] = list.splice(index, 1);
					this.save();
					return {status: 200, body: removed};
				}),
			);
		}
	}

	private publicSettings(): Record<string, unknown> {
		const main = this.settings.main;
		const blockKey = this.flavor === 'seerr' ? 'hideBlocklisted' : 'hideBlacklisted';
		return {
			initialized: this.settings.public.initialized,
			applicationTitle: main.applicationTitle,
			applicationUrl: main.applicationUrl,
			hideAvailable: main.hideAvailable,
			[blockKey]: main[blockKey],
			localLogin: main.localLogin,
			mediaServerLogin: main.mediaServerLogin,
			movie4kEnabled: this.settings.radarr.some(server => server.is4k),
			series4kEnabled: this.settings.sonarr.some(server => server.is4k),
			discoverRegion: main.discoverRegion,
			streamingRegion: main.streamingRegion,
			originalLanguage: main.originalLanguage,
			mediaServerType: main.mediaServerType,
			jellyfinExternalHost: this.settings.jellyfin.externalHostname,
			jellyfinForgotPasswordUrl: this.settings.jellyfin.jellyfinForgotPasswordUrl,
			jellyfinServerName: this.settings.jellyfin.name,
			partialRequestsEnabled: main.partialRequestsEnabled,
			enableSpecialEpisodes: main.enableSpecialEpisodes,
			cacheImages: main.cacheImages,
			vapidPublic: this.settings.vapidPublic,
			enablePushRegistration: false,
			locale: main.locale,
			emailEnabled: false,
			userEmailRequired: false,
			newPlexLogin: main.newPlexLogin,
			youtubeUrl: main.youtubeUrl,
		};
	}

	// --- Jellyfin ---------------------------------------------------------------------------------------------------

	/** The MediaBrowser header Jellyseerr (X-Emby-Authorization) or Seerr (Authorization) sends. */
	private jellyfinHeaders(token?: string): Record<string, string> {
		const product = this.product;
		let value = `MediaBrowser Client="${product}", Device="${product}", DeviceId="BOT_${product.toLowerCase()}", Version="${this.version}"`;
		if (token) {
			value += `, Token="${token}"`;
		}
		return {[this.flavor === 'seerr' ? 'Authorization' : 'X-Emby-Authorization']: value, accept: 'application/json'};
	}

	/** getHostname(): a template string, so a missing port really becomes 'undefined' in the URL. */
	private static jellyfinBase(settings: {ip?: unknown; port?: unknown; urlBase?: unknown; useSsl?: unknown}): string {
		return `${settings.useSsl ? 'https' : 'http'}://${String(settings.ip)}:${String(settings.port)}${String(settings.urlBase ?? '')}`;
	}

	/** One call to Jellyfin; undefined when nothing answered. */
	private async jellyfin(base: string, method: string, pathAndQuery: string, token?: string, body?: unknown): Promise<Answer | undefined> {
		return call(base + pathAndQuery, method, this.jellyfinHeaders(token), body);
	}

	private async authJellyfin(request: LabRequest): Promise<LabResponse> {
		const body = asRecord(request.body);
		const configured = this.settings.jellyfin.ip !== '';
		if (!body.username) {
			return {status: 500, body: {error: 'You must provide an username'}};
		}
		if (configured && body.hostname) {
			return {status: 500, body: {message: 'Jellyfin hostname already configured'}};
		}
		if (!configured && !body.hostname) {
			return {status: 500, body: {error: 'No hostname provided.'}};
		}
		const connection = configured
			? this.settings.jellyfin
			: {ip: body.hostname, port: body.port, urlBase: body.urlBase, useSsl: body.useSsl};
		const base = JellyseerrEmulator.jellyfinBase(connection);

		const login = await this.jellyfin(base, 'POST', '/Users/AuthenticateByName', undefined, {Username: body.username, Pw: body.password});
		if (!login) {
			return {status: 404, body: {message: 'INVALID_URL'}};
		}
		if (login.status === 401) {
			return {status: 401, body: {message: 'INVALID_CREDENTIALS'}};
		}
		if (login.status < 200 || login.status >= 300) {
			return {status: 500, body: {message: 'UNKNOWN'}};
		}
		const account = asRecord(login.data);
		const jellyfinUser = asRecord(account.User);
		const policy = asRecord(jellyfinUser.Policy);
		const jellyfinUserId = String(jellyfinUser.Id ?? '');
		const token = String(account.AccessToken ?? '');

		const existing = this.users.find(user => user.jellyfinUserId === jellyfinUserId);
		let user: SeerrUser;
		if (existing) {
			existing.jellyfinAuthToken = token;
			existing.updatedAt = new Date().toISOString();
			user = existing;
		} else if (this.users.length === 0) {
			if (policy.IsAdministrator !== true) {
				return {status: 403, body: {message: 'NOT_ADMIN'}};
			}
			if (body.serverType !== 2 && body.serverType !== 3) {
				return {status: 500, body: {message: 'NO_ADMIN_USER'}};
			}
			// The Jellyfin API key Jellyseerr keeps for itself.
			const app = this.product;
			const created = await this.jellyfin(base, 'POST', `/Auth/Keys?App=${app}`, token);
			const keys = await this.jellyfin(base, 'GET', '/Auth/Keys', token);
			if (!created || !keys || keys.status !== 200) {
				return {status: 500, body: {message: 'UNKNOWN'}};
			}
			const items = (asRecord(keys.data).Items as unknown[] | undefined) ?? [];
			const apiKey = items
				.map(asRecord)
				.filter(item => item.AppName === app)
				.map(item => String(item.AccessToken))
				.at(-1);
			if (!apiKey) {
				return {status: 500, body: {message: 'UNKNOWN'}};
			}
			const info = await this.jellyfin(base, 'GET', '/System/Info/Public');
			const serverName = String(asRecord(info?.data).ServerName ?? '');
			// The avatar probe; its errors are ignored.
			await this.jellyfin(base, 'HEAD', `/UserImage?UserId=${jellyfinUserId}`, token);
			this.settings.jellyfin = {
				...this.settings.jellyfin,
				name: serverName,
				serverId: String(account.ServerId ?? jellyfinUser.ServerId ?? ''),
				ip: String(body.hostname),
				port: body.port as number,
				urlBase: body.urlBase as string,
				useSsl: body.useSsl as boolean,
				apiKey,
				libraries: [],
				externalHostname: '',
				jellyfinForgotPasswordUrl: '',
			};
			this.settings.main.mediaServerType = body.serverType;
			user = this.newUser(jellyfinUser, token, String(body.email || body.username), PERMISSION_ADMIN);
			this.save();
		} else {
			// Any other Jellyfin user of the server gets an account with the default permissions.
			user = this.newUser(jellyfinUser, token, String(body.email || body.username), Number(this.settings.main.defaultPermissions ?? 32));
		}
		const sid = `s%3A${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
		this.sessions.set(sid, user.id);
		return {
			status: 200,
			headers: {'set-cookie': `connect.sid=${sid}; Path=/; Expires=${new Date(Date.now() + 30 * 86_400_000).toUTCString()}; HttpOnly; SameSite=Lax`},
			body: publicUser(user),
		};
	}

	private newUser(jellyfinUser: Record<string, unknown>, token: string, email: string, permissions: number): SeerrUser {
		const now = new Date().toISOString();
		const user: SeerrUser = {
			id: (this.users.at(-1)?.id ?? 0) + 1,
			email,
			username: String(jellyfinUser.Name ?? ''),
			jellyfinUsername: String(jellyfinUser.Name ?? ''),
			jellyfinUserId: String(jellyfinUser.Id ?? ''),
			jellyfinDeviceId: `BOT_${this.product.toLowerCase()}`,
			jellyfinAuthToken: token,
			userType: 3,
			permissions,
			createdAt: now,
			updatedAt: now,
		};
		this.users.push(user);
		return user;
	}

	private async setJellyfin(request: LabRequest): Promise<LabResponse> {
		if (!this.users.some(user => user.id === 1)) {
			return {status: 500, body: {message: 'NO_ADMIN_USER'}};
		}
		const merged: SeerrJellyfinSettings = {...this.settings.jellyfin, ...asRecord(request.body)};
		const info = await this.jellyfin(JellyseerrEmulator.jellyfinBase(merged), 'GET', '/System/Info', merged.apiKey);
		const data = asRecord(info?.data);
		if (!info || info.status !== 200 || !data.Id) {
			return {status: 500, body: {message: 'INVALID_URL'}};
		}
		merged.serverId = String(data.Id);
		merged.name = String(data.ServerName ?? merged.name);
		this.settings.jellyfin = merged;
		this.save();
		return {status: 200, body: this.settings.jellyfin};
	}

	private async libraries(request: LabRequest): Promise<LabResponse> {
		const jellyfin = this.settings.jellyfin;
		if (request.query.get('sync')) {
			const base = JellyseerrEmulator.jellyfinBase(jellyfin);
			let folders = await this.jellyfin(base, 'GET', '/Library/MediaFolders', jellyfin.apiKey);
			if (!folders || folders.status !== 200) {
				// Fallback the real server uses: the admin's views.
				const admin = this.users.find(user => user.id === 1);
				folders = admin ? await this.jellyfin(base, 'GET', `/Users/${admin.jellyfinUserId}/Views`, jellyfin.apiKey) : undefined;
			}
			if (!folders || folders.status !== 200) {
				return {status: 500, body: {message: 'UNKNOWN'}};
			}
			const items = ((asRecord(folders.data).Items as unknown[] | undefined) ?? []).map(asRecord);
			const libraries: SeerrLibrary[] = items
				.filter(item => item.Type === 'CollectionFolder' && !EXCLUDED_LIBRARY_TYPES.includes(String(item.CollectionType)))
				.map(item => ({
					id: String(item.Id),
					name: String(item.Name),
					enabled: jellyfin.libraries.find(known => known.id === String(item.Id))?.enabled ?? false,
					type: item.CollectionType === 'movies' ? 'movie' : 'show',
				}));
			if (libraries.length === 0) {
				return {status: 404, body: {message: 'SYNC_ERROR_NO_LIBRARIES'}};
			}
			jellyfin.libraries = libraries;
		}
		// Every call recomputes `enabled`: what is not listed is disabled.
		const enable = (request.query.get('enable') ?? '').split(',').filter(Boolean);
		jellyfin.libraries = jellyfin.libraries.map(library => ({...library, enabled: enable.includes(library.id)}));
		this.save();
		return {status: 200, body: jellyfin.libraries};
	}

	// --- Sonarr / Radarr --------------------------------------------------------------------------------------------

	/** server/api/servarr/base.ts: `?apikey=` in the query, base http(s)://host:port{baseUrl}/api/v3. */
	private async testServarr(kind: 'sonarr' | 'radarr', request: LabRequest): Promise<LabResponse> {
		const body = asRecord(request.body);
		const label = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
		const failed: LabResponse = {status: 500, body: {message: `Failed to connect to ${label}`}};
		const base = `${body.useSsl ? 'https' : 'http'}://${String(body.hostname)}:${String(body.port)}${String(body.baseUrl ?? '')}/api/v3`;
		const key = encodeURIComponent(String(body.apiKey));
		const get = async (endpoint: string, cached = false): Promise<unknown> => {
			const cacheKey = `${base}/${endpoint}`;
			const hit = cached ? this.servarrCache.get(cacheKey) : undefined;
			if (hit && Date.now() - hit.at < SERVARR_CACHE_MS) {
				return hit.data;
			}
			const answer = await call(`${base}/${endpoint}?apikey=${key}`, 'GET', {accept: 'application/json'});
			if (!answer || answer.status < 200 || answer.status >= 300) {
				throw new Error(`${endpoint} failed`);
			}
			if (cached) {
				this.servarrCache.set(cacheKey, {at: Date.now(), data: answer.data});
			}
			return answer.data;
		};
		try {
			let status: Record<string, unknown> = {};
			if (kind === 'sonarr') {
				status = asRecord(await get('system/status'));
			} else {
				try {
					status = asRecord(await get('system/status'));
				} catch {
					status = {urlBase: body.baseUrl};
				}
			}
			const profiles = await get('qualityProfile', true);
			const rootFolders = ((await get('rootfolder', true)) as unknown[]).map(asRecord).map(folder => ({id: folder.id, path: folder.path}));
			const major = Number(String(status.version ?? '0').split('.')[0]);
			const languageProfiles = kind === 'sonarr' && major <= 3 ? await get('languageprofile') : null;
			const tags = await get('tag');
			const result: Record<string, unknown> = {profiles, rootFolders, tags, urlBase: status.urlBase};
			if (kind === 'sonarr') {
				result.languageProfiles = languageProfiles;
			}
			return {status: 200, body: result};
		} catch {
			return failed;
		}
	}
}

function asRecord(value: unknown): Record<string, any> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : {};
}

function sessionCookie(request: LabRequest): string | undefined {
	const cookie = header(request, 'cookie');
	if (!cookie) {
		return undefined;
	}
	for (const part of cookie.split(';')) {
		const [name, ...rest] = part.trim().split('=');
		if (name === 'connect.sid') {
			return rest.join('=');
		}
	}
	return undefined;
}

function publicUser(user: SeerrUser): Record<string, unknown> {
	return {
		id: user.id,
		email: user.email,
		username: user.username,
		jellyfinUsername: user.jellyfinUsername,
		jellyfinUserId: user.jellyfinUserId,
		userType: user.userType,
		permissions: user.permissions,
		plexUsername: null,
		avatar: `/avatarproxy/${user.jellyfinUserId}`,
		movieQuotaLimit: null,
		movieQuotaDays: null,
		tvQuotaLimit: null,
		tvQuotaDays: null,
		createdAt: user.createdAt,
		updatedAt: user.updatedAt,
		requestCount: 0,
		displayName: user.username,
	};
}

/** A real HTTP call; undefined when nothing answered (refused, reset, timeout, a URL that cannot be built). */
async function call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Answer | undefined> {
	try {
		const response = await fetch(url, {
			method,
			headers: body === undefined ? headers : {...headers, 'content-type': 'application/json'},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
		});
		const text = await response.text();
		let data: unknown = text;
		try {
			data = text ? JSON.parse(text) : undefined;
		} catch {
			// Not JSON: keep the text.
		}
		return {status: response.status, data};
	} catch {
		return undefined;
	}
}

/** Turns a SpecChecker problem into one of express-openapi-validator's error items. */
function validatorError(problem: string): {path: string; message: string; errorCode: string} {
	let match = /^path parameter (\S+) (.*)$/.exec(problem);
	if (match) {
		return {path: `.params.${match[1]}`, message: match[2]!, errorCode: 'type.openapi.validation'};
	}
	match = /^required query parameter '([^']+)' is missing$/.exec(problem);
	if (match) {
		return {path: `.query.${match[1]}`, message: `must have required property '${match[1]}'`, errorCode: 'required.openapi.validation'};
	}
	match = /^query parameter '([^']+)' is not declared/.exec(problem);
	if (match) {
		return {path: `.query.${match[1]}`, message: `Unknown query parameter '${match[1]}'`, errorCode: 'unknown_query_parameter'};
	}
	match = /^query parameter '([^']+)' (.*)$/.exec(problem);
	if (match) {
		return {path: `.query.${match[1]}`, message: match[2]!, errorCode: 'type.openapi.validation'};
	}
	if (problem === 'the request body is required') {
		return {path: '.body', message: 'request.body is required', errorCode: 'required.openapi.validation'};
	}
	match = /^(\(body\)|\/\S*) (.*)$/.exec(problem);
	if (match) {
		const where = match[1] === '(body)' ? '.body' : `.body${match[1]!.replace(/\//g, '.')}`;
		const message = match[2]!;
		const required = /^must have required property '([^']+)'$/.exec(message);
		if (required) {
			return {path: `${where}.${required[1]}`, message, errorCode: 'required.openapi.validation'};
		}
		if (message.startsWith('is read-only')) {
			return {path: where, message: 'is read-only', errorCode: 'readOnly.openapi.validation'};
		}
		const keyword = /^must be (string|number|integer|boolean|object|array|null)/.test(message) ? 'type' : /additional/.test(message) ? 'additionalProperties' : 'format';
		return {path: where, message, errorCode: `${keyword}.openapi.validation`};
	}
	return {path: '.body', message: problem, errorCode: 'openapi.validation'};
}
