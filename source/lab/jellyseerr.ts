// Jellyseerr (v2.7.3) / Seerr (v3.1.0) as their source and a real server on the wire show it: the OpenAPI validator
// in front (401 without key or cookie, 400 for requests off the spec, 405 for a method a path does not take), admin
// routes behind server/middleware/auth.ts, and real HTTP calls to Jellyfin and Sonarr/Radarr where the real server
// makes them (server/api/jellyfin.ts, server/api/servarr/base.ts).
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
}

interface SeerrUser {
	id: number;
	email: string;
	jellyfinUsername: string;
	jellyfinUserId: string;
	jellyfinDeviceId: string;
	jellyfinAuthToken: string | null;
	userType: number;
	permissions: number;
	createdAt: string;
	updatedAt: string;
}

/** server/lib/settings: main.apiKey is base64 of the time and a UUID (generateApiKey). */
export function seerrApiKey(): string {
	return Buffer.from(`${Date.now()}${randomUUID()}`).toString('base64');
}

/** MediaServerType (server/constants/server.ts). */
const MEDIA_SERVER_NONE = 4;
const PERMISSION_ADMIN = 2;
/** UserType (server/constants/user.ts). */
const USER_JELLYFIN = 3;
const USER_EMBY = 4;
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
	/** Every Jellyfin credential this Jellyseerr has held (its API key, the admin's live session token): secrets. */
	readonly jellyfinSecrets = new Set<string>();
	/** Requests the real server never answers (an unhandled rejection in an async route), as "METHOD path". */
	readonly unanswered: string[] = [];
	private readonly held: Partial<Record<'sonarr' | 'radarr', {arrive: () => void; released: Promise<void>}>> = {};

	constructor(options: JellyseerrEmulatorOptions) {
		const flavor = options.flavor ?? 'jellyseerr';
		super({
			name: flavor === 'seerr' ? 'Seerr' : 'Jellyseerr',
			host: options.host,
			port: options.port,
			spec: options.spec === false ? undefined : (options.spec ?? SpecChecker.load(flavor)),
		});
		this.flavor = flavor;
		this.version = options.version ?? (flavor === 'seerr' ? '3.1.0' : '2.7.3');
		this.configDir = options.configDir;
		this.forcedApiKey = options.apiKey;
		this.settings = this.freshSettings();
		this.registerRoutes();
	}

	/** The product name as it appears in titles, the root answer and Jellyfin headers. */
	get product(): string {
		return this.flavor === 'seerr' ? 'Seerr' : 'Jellyseerr';
	}

	/**
	 * Holds the next POST of a Sonarr/Radarr server until released: `arrived` resolves once it is in, and the server is
	 * stored when it is released, whether or not the client is still there (a write that lands after a kill or timeout).
	 */
	holdNextServerPost(kind: 'sonarr' | 'radarr'): {arrived: Promise<void>; release: () => void} {
		let arrive!: () => void;
		let release!: () => void;
		const arrived = new Promise<void>(resolve => (arrive = resolve));
		const released = new Promise<void>(resolve => (release = resolve));
		this.held[kind] = {arrive, released};
		return {arrived, release};
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
				apiKey: this.forcedApiKey || seerrApiKey(),
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

	/**
	 * Who the request acts as (checkUser in server/middleware/auth.ts): the right key acts as user 1, or as the user
	 * X-API-User names (none, when no such user exists); a wrong key is ignored and the session cookie decides.
	 */
	private user(request: LabRequest): SeerrUser | undefined {
		if (header(request, 'x-api-key') === this.settings.main.apiKey) {
			const actingAs = header(request, 'x-api-user');
			const id = actingAs ? Number(actingAs) : 1;
			return this.users.find(user => user.id === id);
		}
		const sid = sessionCookie(request);
		const id = sid === undefined ? undefined : this.sessions.get(sid);
		return id === undefined ? undefined : this.users.find(user => user.id === id);
	}

	/** isAuthenticated() with no permission: any signed-in user. */
	private signedIn(handler: (request: LabRequest, user: SeerrUser) => LabResponse | Promise<LabResponse>): Handler {
		return request => {
			const user = this.user(request);
			return user ? handler(request, user) : forbidden();
		};
	}

	/** isAuthenticated(Permission.ADMIN) in front of /settings. */
	private admin(handler: Handler): Handler {
		return request => {
			const user = this.user(request);
			if (!user || (user.permissions & PERMISSION_ADMIN) === 0) {
				return forbidden();
			}
			return handler(request);
		};
	}

	/**
	 * express-openapi-validator 4.13's answer, through the error handler in server/index.ts: {message, errors}. A path
	 * the document has with other methods is 405; ajv 6 words its messages "should ...", joined as "request.body ...".
	 */
	protected override specRejection(problems: string[]): LabResponse {
		const operation = /^(\S+) (\S+) is not an operation of the .*?(; the path takes .*)?$/.exec(problems[0] ?? '');
		if (operation?.[3]) {
			const message = `${operation[1]} method not allowed`;
			return {status: 405, body: {message, errors: [{path: operation[2], message}]}};
		}
		if (operation) {
			return {status: 404, body: {message: 'not found', errors: [{path: operation[2], message: 'not found'}]}};
		}
		const errors = problems.map(validatorError);
		return {status: 400, body: {message: errors.map(error => error.text).join(', '), errors: errors.map(error => error.item)}};
	}

	/** Paths that are not API operations: the root answer and the Next.js pages. */
	protected override notFound(request: LabRequest): LabResponse {
		const api = request.path.replace(/\/+$/, '');
		if (request.method === 'GET' && api.toLowerCase() === '/api/v1') {
			return {status: 200, body: {api: `${this.product} API`, version: '1.0'}};
		}
		if (api.toLowerCase().startsWith('/api/')) {
			// The validator runs before any route: a path the document has with other methods is its 405.
			const problems = this.spec?.check(request.method, request.path, request.query, request.body, header(request, 'content-type')) ?? [];
			if (problems.some(problem => problem.includes('; the path takes '))) {
				this.violations.push(`${this.name}: ${problems.join('; ')}`);
				return this.specRejection(problems);
			}
			return {status: 404, body: {message: 'not found', errors: [{path: request.path, message: 'not found'}]}};
		}
		if ((request.method === 'GET' || request.method === 'HEAD') && (request.path === '/' || request.path === '/setup' || request.path === '/login')) {
			// src/pages/_app.tsx: until setup is done, every page but /setup answers 307 to /setup.
			if (!this.settings.public.initialized && request.path !== '/setup') {
				return {status: 307, headers: {location: '/setup'}, body: ''};
			}
			const title = this.settings.public.initialized ? this.product : `Setup - ${this.product}`;
			return {
				status: 200,
				headers: {'content-type': 'text/html; charset=utf-8'},
				body: `<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>${title}</title><link rel="manifest" href="/site.webmanifest"/></head><body><div id="__next"></div></body></html>`,
			};
		}
		return {status: 404, headers: {'content-type': 'text/html; charset=utf-8'}, body: `<!DOCTYPE html><html><head><title>404 - ${this.product}</title></head><body>404</body></html>`};
	}

	// --- routes -----------------------------------------------------------------------------------------------------

	/** server/routes/settings/sonarr.ts answers a missing id itself, {status: '404'}; radarr.ts goes through next(). */
	private static missingServarr(kind: 'sonarr' | 'radarr'): LabResponse {
		const message = 'Settings instance not found';
		return {status: 404, body: kind === 'sonarr' ? {status: '404', message} : {message}};
	}

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
		// server/routes/auth.ts: the user as stored (email included; tokens and the device id are select: false).
		this.route('GET', '/api/v1/auth/me', this.signedIn((_request, user) => ({status: 200, body: {...storedUser(user, false), email: user.email}})));

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
		this.route('GET', '/api/v1/settings/jellyfin/users', this.admin(request => this.jellyfinUsers(request)));
		// server/lib/scanners/jellyfin/index.ts status(): no scan runs in the lab.
		const syncStatus = (): LabResponse => ({status: 200, body: {running: false, progress: 0, total: 0}});
		this.route('GET', '/api/v1/settings/jellyfin/sync', this.admin(syncStatus));
		this.route('POST', '/api/v1/settings/jellyfin/sync', this.admin(syncStatus), {changesNothing: true});

		for (const kind of ['sonarr', 'radarr'] as const) {
			const base = `/api/v1/settings/${kind}`;
			this.route('GET', base, this.admin(() => ({status: 200, body: this.settings[kind]})));
			this.route('POST', `${base}/test`, this.admin(request => this.testServarr(kind, request)), {changesNothing: true});
			this.route(
				'POST',
				base,
				this.admin(async request => {
					const held = this.held[kind];
					if (held) {
						this.held[kind] = undefined;
						held.arrive();
						await held.released;
					}
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
						return JellyseerrEmulator.missingServarr(kind);
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
						return JellyseerrEmulator.missingServarr(kind);
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

	/**
	 * The MediaBrowser header of server/api/jellyfin.ts: Jellyseerr sends it as X-Emby-Authorization (a legacy header
	 * Jellyfin 12 ignores), Seerr 3 as Authorization. Without a device id, base64 of "BOT_jellyseerr" ("BOT_seerr").
	 */
	private jellyfinHeaders(token?: string, deviceId?: string): Record<string, string> {
		const product = this.product;
		const device = deviceId || Buffer.from(`BOT_${product.toLowerCase()}`).toString('base64');
		let value = `MediaBrowser Client="${product}", Device="${product}", DeviceId="${device}", Version="${this.version}"`;
		if (token) {
			value += `, Token="${token}"`;
		}
		return {[this.flavor === 'seerr' ? 'Authorization' : 'X-Emby-Authorization']: value, accept: 'application/json'};
	}

	/** getHostname(): a template string, so a missing port really becomes 'undefined' in the URL. */
	private static jellyfinBase(settings: {ip?: unknown; port?: unknown; urlBase?: unknown; useSsl?: unknown}): string {
		return `${settings.useSsl ? 'https' : 'http'}://${jsText(settings.ip)}:${jsText(settings.port)}${jsText(settings.urlBase ?? '')}`;
	}

	/** One call to Jellyfin; undefined when nothing answered. */
	private async jellyfin(base: string, method: string, pathAndQuery: string, token?: string, body?: unknown, deviceId?: string): Promise<Answer | undefined> {
		return call(base + pathAndQuery, method, this.jellyfinHeaders(token, deviceId), body);
	}

	/** The admin's Jellyfin client for settings routes: the stored API key and the admin's device id. */
	private adminJellyfin(): {call: (method: string, pathAndQuery: string) => Promise<Answer | undefined>; userId: string} {
		const admin = this.users.find(user => user.id === 1);
		const base = JellyseerrEmulator.jellyfinBase(this.settings.jellyfin);
		return {
			call: (method, pathAndQuery) => this.jellyfin(base, method, pathAndQuery, this.settings.jellyfin.apiKey, undefined, admin?.jellyfinDeviceId),
			userId: admin?.jellyfinUserId ?? '',
		};
	}

	/** What the real server does when an async route throws outside its try: nothing; the request stays open. */
	private neverAnswer(request: LabRequest): Promise<LabResponse> {
		this.unanswered.push(`${request.method} ${request.path}`);
		return new Promise<LabResponse>(() => undefined);
	}

	/** POST /auth/jellyfin as server/routes/auth.ts runs it. */
	private async authJellyfin(request: LabRequest): Promise<LabResponse> {
		const body = asRecord(request.body);
		const configured = this.settings.jellyfin.ip !== '';
		if (!body.username) {
			return {status: 500, body: {error: 'You must provide an username'}};
		}
		if (configured && body.hostname) {
			return {status: 500, body: {error: 'Jellyfin hostname already configured'}};
		}
		if (!configured && !body.hostname) {
			return {status: 500, body: {error: 'No hostname provided.'}};
		}
		const connection = configured
			? this.settings.jellyfin
			: {ip: body.hostname, port: body.port, urlBase: body.urlBase, useSsl: body.useSsl};
		const base = JellyseerrEmulator.jellyfinBase(connection);

		// The device id: user 1 always signs in as plain "BOT_jellyseerr", a known user with the one stored, anyone
		// else (the first admin too) with base64 of "BOT_jellyseerr_<username>".
		const bot = `BOT_${this.product.toLowerCase()}`;
		const known = this.users.find(user => user.jellyfinUsername === body.username);
		const deviceId = known?.id === 1 ? bot : (known?.jellyfinDeviceId ?? Buffer.from(`${bot}_${jsText(body.username)}`).toString('base64'));

		const login = await this.jellyfin(base, 'POST', '/Users/AuthenticateByName', undefined, {Username: body.username, Pw: body.password}, deviceId);
		if (!login) {
			return {status: 404, body: {message: 'INVALID_URL'}};
		}
		if (login.status === 401) {
			return {status: 401, body: {message: 'INVALID_CREDENTIALS'}};
		}
		if (login.status < 200 || login.status >= 300) {
			return {status: 500, body: {message: 'Something went wrong.'}};
		}
		const account = asRecord(login.data);
		const jellyfinUser = asRecord(account.User);
		const policy = asRecord(jellyfinUser.Policy);
		const jellyfinUserId = jsText(jellyfinUser.Id ?? '');
		const token = jsText(account.AccessToken ?? '');

		const existing = this.users.find(user => user.jellyfinUserId === jellyfinUserId);
		let user: SeerrUser;
		let created = false;
		if (existing) {
			// Only the name and avatar are refreshed: the stored Jellyfin token stays the one of the first sign-in.
			existing.jellyfinUsername = jsText(jellyfinUser.Name ?? existing.jellyfinUsername);
			existing.updatedAt = new Date().toISOString();
			user = existing;
		} else if (this.users.length === 0) {
			if (policy.IsAdministrator !== true) {
				return {status: 403, body: {message: 'NOT_ADMIN'}};
			}
			if (body.serverType !== 2 && body.serverType !== 3) {
				return {status: 500, body: {message: 'NO_ADMIN_USER'}};
			}
			// The Jellyfin API key Jellyseerr keeps for itself (createApiToken in server/api/jellyfin.ts).
			const app = this.product;
			const made = await this.jellyfin(base, 'POST', `/Auth/Keys?App=${app}`, token, undefined, deviceId);
			const keys = await this.jellyfin(base, 'GET', '/Auth/Keys', token, undefined, deviceId);
			if (!made || !keys || keys.status !== 200) {
				return {status: 500, body: {message: 'Something went wrong.'}};
			}
			const items = (asRecord(keys.data).Items as unknown[] | undefined) ?? [];
			const apiKey = items
				.map(asRecord)
				.filter(item => item.AppName === app)
				.map(item => String(item.AccessToken))
				.at(-1);
			if (!apiKey) {
				return {status: 500, body: {message: 'Something went wrong.'}};
			}
			const info = await this.jellyfin(base, 'GET', '/System/Info/Public', undefined, undefined, deviceId);
			const serverName = jsText(asRecord(info?.data).ServerName ?? '');
			// The avatar probe; its errors are ignored.
			await this.jellyfin(base, 'HEAD', `/UserImage?UserId=${jellyfinUserId}`, token, undefined, deviceId);
			this.settings.jellyfin = {
				...this.settings.jellyfin,
				name: serverName,
				serverId: jsText(jellyfinUser.ServerId ?? account.ServerId ?? ''),
				ip: String(body.hostname),
				port: (body.port as number | undefined) ?? 8096,
				urlBase: (body.urlBase as string | undefined) ?? '',
				useSsl: (body.useSsl as boolean | undefined) ?? false,
				apiKey,
			};
			this.settings.main.mediaServerType = body.serverType;
			this.jellyfinSecrets.add(apiKey).add(token);
			user = this.newUser(jellyfinUser, token, deviceId, String(body.email || jellyfinUser.Name), PERMISSION_ADMIN, body.serverType === 3 ? USER_EMBY : USER_JELLYFIN);
			created = true;
			this.save();
		} else {
			// Any other Jellyfin user of the server gets an account with the default permissions (and no stored token).
			user = this.newUser(jellyfinUser, null, deviceId, jsText(body.email ?? ''), Number(this.settings.main.defaultPermissions ?? 32), this.settings.main.mediaServerType === 3 ? USER_EMBY : USER_JELLYFIN);
			created = true;
		}
		const sid = `s%3A${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
		this.sessions.set(sid, user.id);
		return {
			status: 200,
			headers: {'set-cookie': `connect.sid=${sid}; Path=/; Expires=${new Date(Date.now() + 30 * 86_400_000).toUTCString()}; HttpOnly; SameSite=Lax`},
			body: storedUser(user, created),
		};
	}

	private newUser(jellyfinUser: Record<string, unknown>, token: string | null, deviceId: string, email: string, permissions: number, userType: number): SeerrUser {
		const now = new Date().toISOString();
		const user: SeerrUser = {
			id: (this.users.at(-1)?.id ?? 0) + 1,
			email,
			jellyfinUsername: jsText(jellyfinUser.Name ?? ''),
			jellyfinUserId: jsText(jellyfinUser.Id ?? ''),
			jellyfinDeviceId: deviceId,
			jellyfinAuthToken: token,
			userType,
			permissions,
			createdAt: now,
			updatedAt: now,
		};
		this.users.push(user);
		return user;
	}

	/**
	 * POST /settings/jellyfin (server/routes/settings/index.ts): Jellyfin's GET /System/Info with the merged settings;
	 * a refusal is answered with Jellyfin's own status and INVALID_URL, no answer at all with 500.
	 */
	private async setJellyfin(request: LabRequest): Promise<LabResponse> {
		const admin = this.users.find(user => user.id === 1);
		if (!admin) {
			return {status: 500, body: {message: 'UNKNOWN'}};
		}
		const merged: SeerrJellyfinSettings = {...this.settings.jellyfin, ...asRecord(request.body)};
		const info = await this.jellyfin(JellyseerrEmulator.jellyfinBase(merged), 'GET', '/System/Info', merged.apiKey, undefined, admin.jellyfinDeviceId);
		if (!info || info.status < 200 || info.status >= 300) {
			return {status: info?.status ?? 500, body: {message: 'INVALID_URL'}};
		}
		const data = asRecord(info.data);
		if (!data.Id) {
			return {status: 500, body: {message: 'INVALID_URL'}};
		}
		merged.serverId = jsText(data.Id);
		merged.name = jsText(data.ServerName ?? merged.name);
		if (merged.apiKey) {
			this.jellyfinSecrets.add(merged.apiKey);
		}
		this.settings.jellyfin = merged;
		this.save();
		return {status: 200, body: this.settings.jellyfin};
	}

	/** GET /settings/jellyfin/library (server/routes/settings/index.ts). */
	private async libraries(request: LabRequest): Promise<LabResponse> {
		const jellyfin = this.settings.jellyfin;
		if (request.query.get('sync')) {
			const client = this.adminJellyfin();
			// getLibraries() in server/api/jellyfin.ts: MediaFolders, else the admin's views, else [] (errors swallowed).
			let folders = await client.call('GET', '/Library/MediaFolders');
			if (!folders || folders.status !== 200) {
				folders = await client.call('GET', `/Users/${client.userId || 'Me'}/Views`);
			}
			const items = folders?.status === 200 ? ((asRecord(folders.data).Items as unknown[] | undefined) ?? []).map(asRecord) : [];
			const libraries: SeerrLibrary[] = items
				.filter(item => item.Type === 'CollectionFolder' && !EXCLUDED_LIBRARY_TYPES.includes(String(item.CollectionType)))
				.map(item => ({
					id: String(item.Id),
					name: String(item.Name),
					enabled: jellyfin.libraries.find(known => known.id === String(item.Id) && known.name === String(item.Name))?.enabled ?? false,
					type: item.CollectionType === 'movies' ? 'movie' : 'show',
				}));
			if (libraries.length === 0) {
				// getUser() throws outside the route's try when Jellyfin refuses (a revoked key, a wrong URL base): the
				// rejection is unhandled and the request is never answered.
				const account = await client.call('GET', `/Users/${client.userId || 'Me'}`);
				if (!account || account.status !== 200) {
					return this.neverAnswer(request);
				}
				if (((asRecord(asRecord(account.data).Configuration).GroupedFolders as unknown[] | undefined) ?? []).length > 0) {
					return {status: 501, body: {message: 'SYNC_ERROR_GROUPED_FOLDERS'}};
				}
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

	/** GET /settings/jellyfin/users: Jellyfin's GET /Users; a refusal throws outside any try, so no answer. */
	private async jellyfinUsers(request: LabRequest): Promise<LabResponse> {
		const answer = await this.adminJellyfin().call('GET', '/Users');
		if (!answer || answer.status !== 200 || !Array.isArray(answer.data)) {
			return this.neverAnswer(request);
		}
		const users = answer.data.map(asRecord).map(user => ({username: user.Name, id: user.Id, thumb: `/avatarproxy/${String(user.Id)}`, email: user.Name}));
		return {status: 200, body: users};
	}

	// --- Sonarr / Radarr --------------------------------------------------------------------------------------------

	/** server/api/servarr/base.ts: `?apikey=` in the query, base http(s)://host:port{baseUrl}/api/v3. */
	private async testServarr(kind: 'sonarr' | 'radarr', request: LabRequest): Promise<LabResponse> {
		const body = asRecord(request.body);
		const label = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
		const failed: LabResponse = {status: 500, body: {message: `Failed to connect to ${label}`}};
		const base = `${body.useSsl ? 'https' : 'http'}://${jsText(body.hostname)}:${jsText(body.port)}${jsText(body.baseUrl ?? '')}/api/v3`;
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
			const major = Number(jsText(status.version ?? '0').split('.')[0]);
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

/**
 * A value as Jellyseerr's own code makes text of it (it is JavaScript: `${value}` and String()), so an object in a
 * request body reads as "[object Object]" here as it does there.
 */
function jsText(value: unknown): string {
	return String(value);
}

function asRecord(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
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

function forbidden(): LabResponse {
	return {status: 403, body: {status: 403, error: 'You do not have permission to access this endpoint'}};
}

/**
 * The user as server/entity/User.ts holds it (what POST /auth/jellyfin answers, through user.filter()): `email` and `plexId` are filtered out of sign-in answers. A user read
 * back from the database lacks the select: false columns (password, jellyfinDeviceId, jellyfinAuthToken, plexToken)
 * and has displayName, requestCount and settings; a user just created has those columns, null where unset.
 */
function storedUser(user: SeerrUser, justCreated: boolean): Record<string, unknown> {
	const common = {
		id: user.id,
		plexUsername: null,
		jellyfinUsername: user.jellyfinUsername,
		username: null,
		recoveryLinkExpirationDate: null,
		userType: user.userType,
		jellyfinUserId: user.jellyfinUserId,
		permissions: user.permissions,
		avatar: `/avatarproxy/${user.jellyfinUserId}`,
		avatarETag: null,
		avatarVersion: null,
		movieQuotaLimit: null,
		movieQuotaDays: null,
		tvQuotaLimit: null,
		tvQuotaDays: null,
		createdAt: user.createdAt,
		updatedAt: user.updatedAt,
		warnings: [],
	};
	if (justCreated) {
		return {...common, password: null, resetPasswordGuid: null, jellyfinDeviceId: user.jellyfinDeviceId, jellyfinAuthToken: user.jellyfinAuthToken, plexToken: null};
	}
	return {...common, settings: null, requestCount: 0, displayName: user.jellyfinUsername};
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

/** ajv 6 (under express-openapi-validator 4.13) says "should" where ajv 8 says "must". */
function ajv6(message: string): string {
	return message.replace(/^must\b/, 'should');
}

/**
 * Turns a SpecChecker problem into express-openapi-validator 4.13's error item and its part of the message: ajv's
 * errors carry an errorCode and read "request.body should ..."; the validator's own checks (unknown or empty query
 * parameters) are thrown as they are, without errorCode.
 */
function validatorError(problem: string): {item: {path: string; message: string; errorCode?: string}; text: string} {
	const ajv = (path: string, dataPath: string, message: string, keyword: string) => ({
		item: {path, message: ajv6(message), errorCode: `${keyword}.openapi.validation`},
		text: `request${dataPath} ${ajv6(message)}`,
	});
	const own = (path: string, message: string) => ({item: {path, message}, text: message});
	let match = /^path parameter (\S+) (.*)$/.exec(problem);
	if (match) {
		return ajv(`.params.${match[1]}`, `.params.${match[1]}`, match[2]!, 'type');
	}
	match = /^required query parameter '([^']+)' is missing$/.exec(problem);
	if (match) {
		return ajv(`.query.${match[1]}`, '.query', `must have required property '${match[1]}'`, 'required');
	}
	match = /^query parameter '([^']+)' is not declared/.exec(problem);
	if (match) {
		return own(`.query.${match[1]}`, `Unknown query parameter '${match[1]}'`);
	}
	match = /^query parameter '([^']+)' has an empty value$/.exec(problem);
	if (match) {
		return own(`.query.${match[1]}`, `Empty value found for query parameter '${match[1]}'`);
	}
	match = /^query parameter '([^']+)' (.*)$/.exec(problem);
	if (match) {
		return ajv(`.query.${match[1]}`, `.query.${match[1]}`, match[2]!, 'type');
	}
	if (problem === 'the request body is required') {
		return ajv('.body', '.body', 'request.body is required', 'required');
	}
	match = /^(\(body\)|\/\S*) (.*)$/.exec(problem);
	if (match) {
		const where = match[1] === '(body)' ? '.body' : `.body${match[1]!.replace(/\//g, '.')}`;
		const message = match[2]!;
		const required = /^must have required property '([^']+)'$/.exec(message);
		if (required) {
			return ajv(`${where}.${required[1]}`, where, message, 'required');
		}
		if (message.startsWith('is read-only')) {
			return ajv(where, where, 'is read-only', 'readOnly');
		}
		const additional = /^must NOT have additional properties '([^']+)'$/.exec(message);
		if (additional) {
			return ajv(`${where}.${additional[1]}`, where, 'must NOT have additional properties', 'additionalProperties');
		}
		const keyword = /^must be (string|number|integer|boolean|object|array|null)/.test(message) ? 'type' : 'format';
		return ajv(where, where, message, keyword);
	}
	return own('.body', problem);
}
