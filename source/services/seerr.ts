// Jellyseerr / Seerr (Jellyseerr server/routes/auth.ts, server/routes/settings/): sign-in through Jellyfin, Jellyfin libraries, Sonarr/Radarr servers.
import * as z from './schema.js';
import {HttpClient, type FixAdvisor} from './http.js';
import {ServiceError, isServiceError, withFix} from './errors.js';
import {redact} from './redact.js';

export interface SeerrClientOptions {
	/** Origin (plus URL base if behind a proxy), e.g. http://127.0.0.1:5055. */
	url: string;
	/** settings.json main.apiKey (or the API_KEY variable), sent as X-Api-Key. */
	apiKey?: string;
	timeoutMs?: number;
}

/** MediaServerType (Jellyseerr server/constants/server.ts): 4 until a media server is set up. */
export const SEERR_MEDIA_SERVER = {plex: 1, jellyfin: 2, emby: 3, none: 4} as const;

export const seerrRootSchema = z.looseObject({api: z.string(), version: z.string()});
export type SeerrRoot = z.infer<typeof seerrRootSchema>;

export const seerrStatusSchema = z.looseObject({
	version: z.string(),
	commitTag: z.optional(z.string()),
	updateAvailable: z.optional(z.boolean()),
	commitsBehind: z.optional(z.number()),
	restartRequired: z.optional(z.boolean()),
});
export type SeerrStatus = z.infer<typeof seerrStatusSchema>;

export const seerrPublicSettingsSchema = z.looseObject({
	initialized: z.boolean(),
	mediaServerType: z.number(),
	applicationTitle: z.string(),
	applicationUrl: z.optional(z.string()),
	localLogin: z.optional(z.boolean()),
	mediaServerLogin: z.optional(z.boolean()),
	movie4kEnabled: z.optional(z.boolean()),
	series4kEnabled: z.optional(z.boolean()),
	jellyfinExternalHost: z.nullish(z.string()),
	jellyfinServerName: z.nullish(z.string()),
	locale: z.optional(z.string()),
});
export type SeerrPublicSettings = z.infer<typeof seerrPublicSettingsSchema>;

export const seerrMainSettingsSchema = z.looseObject({
	apiKey: z.string(),
	applicationTitle: z.optional(z.string()),
	applicationUrl: z.optional(z.string()),
	mediaServerType: z.optional(z.number()),
	localLogin: z.optional(z.boolean()),
	mediaServerLogin: z.optional(z.boolean()),
	locale: z.optional(z.string()),
	defaultPermissions: z.optional(z.number()),
});
export type SeerrMainSettings = z.infer<typeof seerrMainSettingsSchema>;

/** What may be posted to /settings/main: apiKey is read-only in the spec (regenerate it instead). */
export type SeerrMainSettingsChanges = Omit<Partial<SeerrMainSettings>, 'apiKey'> & Record<string, unknown>;

/**
 * The user as arrwire keeps it. A plain object on purpose: the first sign-in's answer also carries the live Jellyfin
 * admin token (jellyfinAuthToken, server/entity/User.ts), which must not travel further, so unknown keys are dropped.
 */
export const seerrUserSchema = z.object({
	id: z.number(),
	email: z.nullish(z.string()),
	username: z.nullish(z.string()),
	jellyfinUsername: z.nullish(z.string()),
	userType: z.optional(z.number()),
	permissions: z.number(),
});
export type SeerrUser = z.infer<typeof seerrUserSchema>;

export const seerrLibrarySchema = z.looseObject({
	id: z.string(),
	name: z.string(),
	enabled: z.boolean(),
	type: z.optional(z.enum(['movie', 'show'])),
});
export type SeerrLibrary = z.infer<typeof seerrLibrarySchema>;

/** The stored shape (not the spec's JellyfinSettings schema, which does not match it: Jellyseerr server/routes/settings/index.ts). */
export const seerrJellyfinSettingsSchema = z.looseObject({
	name: z.string(),
	ip: z.string(),
	port: z.nullish(z.number()),
	useSsl: z.nullish(z.boolean()),
	urlBase: z.nullish(z.string()),
	externalHostname: z.nullish(z.string()),
	jellyfinForgotPasswordUrl: z.nullish(z.string()),
	libraries: z.array(seerrLibrarySchema),
	serverId: z.nullish(z.string()),
	apiKey: z.nullish(z.string()),
});
export type SeerrJellyfinSettings = z.infer<typeof seerrJellyfinSettingsSchema>;

/** What the UI posts to /settings/jellyfin; name, libraries and serverId are read-only. */
export interface SeerrJellyfinSettingsChanges {
	ip?: string;
	port?: number;
	useSsl?: boolean;
	urlBase?: string;
	externalHostname?: string;
	jellyfinForgotPasswordUrl?: string;
	apiKey?: string;
}

export interface SeerrAuthJellyfin {
	username: string;
	password: string;
	/** Bare host or IP, reachable from Jellyseerr; only on the first sign-in. */
	hostname?: string;
	port?: number;
	urlBase?: string;
	useSsl?: boolean;
	email?: string;
	/** 2 = Jellyfin, 3 = Emby. */
	serverType?: 2 | 3;
}

const seriesType = z.enum(['standard', 'daily', 'anime']);

/** Sonarr server as Jellyseerr stores it (server/routes/settings/sonarr.ts); `id` is assigned by Jellyseerr and never sent. */
export const seerrSonarrSettingsSchema = z.object({
	name: z.string(),
	hostname: z.string(),
	port: z.number(),
	apiKey: z.string(),
	useSsl: z.boolean(),
	baseUrl: z.optional(z.string()),
	activeProfileId: z.number(),
	activeProfileName: z.string(),
	activeDirectory: z.string(),
	activeLanguageProfileId: z.optional(z.number()),
	seriesType: z.optional(seriesType),
	animeSeriesType: z.optional(seriesType),
	activeAnimeProfileId: z.nullish(z.number()),
	activeAnimeProfileName: z.nullish(z.string()),
	activeAnimeDirectory: z.nullish(z.string()),
	activeAnimeLanguageProfileId: z.nullish(z.number()),
	tags: z.optional(z.array(z.number())),
	animeTags: z.optional(z.array(z.number())),
	is4k: z.boolean(),
	isDefault: z.boolean(),
	enableSeasonFolders: z.boolean(),
	externalUrl: z.optional(z.string()),
	syncEnabled: z.optional(z.boolean()),
	preventSearch: z.optional(z.boolean()),
	tagRequests: z.optional(z.boolean()),
	overrideRule: z.optional(z.array(z.number())),
});
export type SeerrSonarrSettings = z.infer<typeof seerrSonarrSettingsSchema>;
export const seerrSonarrServerSchema = z.looseObject({...seerrSonarrSettingsSchema.shape, id: z.number()});
export type SeerrSonarrServer = z.infer<typeof seerrSonarrServerSchema>;

/** Radarr server (Jellyseerr server/routes/settings/radarr.ts); minimumAvailability takes the values the UI offers. */
export const seerrRadarrSettingsSchema = z.object({
	name: z.string(),
	hostname: z.string(),
	port: z.number(),
	apiKey: z.string(),
	useSsl: z.boolean(),
	baseUrl: z.optional(z.string()),
	activeProfileId: z.number(),
	activeProfileName: z.string(),
	activeDirectory: z.string(),
	minimumAvailability: z.enum(['announced', 'inCinemas', 'released']),
	tags: z.optional(z.array(z.number())),
	is4k: z.boolean(),
	isDefault: z.boolean(),
	externalUrl: z.optional(z.string()),
	syncEnabled: z.optional(z.boolean()),
	preventSearch: z.optional(z.boolean()),
	tagRequests: z.optional(z.boolean()),
	overrideRule: z.optional(z.array(z.number())),
});
export type SeerrRadarrSettings = z.infer<typeof seerrRadarrSettingsSchema>;
export const seerrRadarrServerSchema = z.looseObject({...seerrRadarrSettingsSchema.shape, minimumAvailability: z.string(), id: z.number()});
export type SeerrRadarrServer = z.infer<typeof seerrRadarrServerSchema>;

export interface SeerrServarrTest {
	hostname: string;
	port: number;
	apiKey: string;
	useSsl: boolean;
	/** Sonarr/Radarr URL base ('/sonarr' or ''). */
	baseUrl?: string;
}

export const seerrServarrTestResultSchema = z.looseObject({
	profiles: z.array(z.looseObject({id: z.number(), name: z.string()})),
	rootFolders: z.array(z.looseObject({id: z.number(), path: z.string()})),
	languageProfiles: z.nullish(z.array(z.looseObject({id: z.number(), name: z.string()}))),
	tags: z.array(z.looseObject({id: z.number(), label: z.string()})),
	urlBase: z.nullish(z.string()),
});
export type SeerrServarrTestResult = z.infer<typeof seerrServarrTestResultSchema>;

const NO_ADMIN_FIX = 'the API key was refused (Settings → General → API Key), or Jellyseerr has no admin yet (sign it in to Jellyfin first)';

export class SeerrClient {
	readonly http: HttpClient;
	private apiKey: string | undefined;
	private cookie: string | undefined;
	/** Secrets this client sent on to Jellyseerr (a Jellyfin password, Sonarr/Radarr keys): never shown in an error. */
	private readonly sent = new Set<string>();

	constructor(options: SeerrClientOptions) {
		this.apiKey = options.apiKey;
		this.http = new HttpClient({
			service: 'Jellyseerr',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: () => {
				const headers: Record<string, string> = {accept: 'application/json'};
				if (this.apiKey) {
					headers['x-api-key'] = this.apiKey;
				}
				if (this.cookie) {
					headers.cookie = this.cookie;
				}
				return headers;
			},
			secrets: () => [this.apiKey, this.cookie?.split('=').slice(1).join('='), options.apiKey, ...this.sent],
			advise: this.advise,
		});
	}

	private remember(secret: string | undefined): void {
		if (secret) {
			this.sent.add(secret);
		}
	}

	/** True once authJellyfin returned a session cookie. */
	get hasSession(): boolean {
		return this.cookie !== undefined;
	}

	/** GET /api/v1 → {api: 'Jellyseerr API' | 'Seerr API', version}. */
	root(): Promise<SeerrRoot> {
		return this.http.get('/api/v1', seerrRootSchema);
	}

	status(): Promise<SeerrStatus> {
		return this.http.get('/api/v1/status', seerrStatusSchema);
	}

	publicSettings(): Promise<SeerrPublicSettings> {
		return this.http.get('/api/v1/settings/public', seerrPublicSettingsSchema);
	}

	mainSettings(): Promise<SeerrMainSettings> {
		return this.http.get('/api/v1/settings/main', seerrMainSettingsSchema);
	}

	/** Merges the given keys into main settings (Jellyseerr keeps the others). */
	setMainSettings(changes: SeerrMainSettingsChanges): Promise<SeerrMainSettings> {
		const {apiKey: _readOnly, ...body} = changes as Record<string, unknown>;
		return this.http.post('/api/v1/settings/main', seerrMainSettingsSchema, {json: body});
	}

	/** Makes a new API key; this client uses it from then on. */
	async regenerateApiKey(): Promise<string> {
		const main = await this.http.post('/api/v1/settings/main/regenerate', seerrMainSettingsSchema);
		this.apiKey = main.apiKey;
		return main.apiKey;
	}

	/**
	 * Signs in with a Jellyfin account (Jellyseerr server/routes/auth.ts). The first sign-in (with hostname) connects Jellyseerr to Jellyfin and
	 * makes this account its admin. port and urlBase are always sent: Jellyseerr puts them in a template string.
	 */
	async authJellyfin(credentials: SeerrAuthJellyfin): Promise<SeerrUser> {
		this.remember(credentials.password);
		const body: Record<string, unknown> = {
			username: credentials.username,
			password: credentials.password,
			port: credentials.port ?? 8096,
			urlBase: credentials.urlBase ?? '',
			useSsl: credentials.useSsl ?? false,
			serverType: credentials.serverType ?? SEERR_MEDIA_SERVER.jellyfin,
		};
		if (credentials.hostname !== undefined) {
			body.hostname = credentials.hostname;
		}
		if (credentials.email) {
			body.email = credentials.email;
		}
		const path = '/api/v1/auth/jellyfin';
		try {
			const response = await this.http.request('POST', path, {json: body});
			const session = (response.headers.getSetCookie?.() ?? [])
				.map(line => line.split(';')[0]?.trim() ?? '')
				.find(pair => pair.startsWith('connect.sid='));
			if (session) {
				this.cookie = session;
			}
			this.remember(jellyfinTokenIn(response.text));
			return this.http.parse(response, seerrUserSchema, 'POST', path);
		} catch (error) {
			throw this.withFix(error, serviceError => authJellyfinFix(serviceError, credentials));
		}
	}

	/** The user this client acts as (the API key acts as user 1). */
	me(): Promise<SeerrUser> {
		return this.http.get('/api/v1/auth/me', seerrUserSchema);
	}

	jellyfinSettings(): Promise<SeerrJellyfinSettings> {
		return this.http.get('/api/v1/settings/jellyfin', seerrJellyfinSettingsSchema);
	}

	/** Merges and checks the connection (Jellyseerr calls Jellyfin's /System/Info with the key). */
	async setJellyfinSettings(changes: SeerrJellyfinSettingsChanges): Promise<SeerrJellyfinSettings> {
		this.remember((changes as {apiKey?: string}).apiKey);
		const {name: _name, libraries: _libraries, serverId: _serverId, ...body} = changes as Record<string, unknown>;
		try {
			return await this.http.post('/api/v1/settings/jellyfin', seerrJellyfinSettingsSchema, {json: body});
		} catch (error) {
			const fixed = this.withFix(error, jellyfinSettingsFix);
			// Jellyfin's 401 passed through is not Jellyseerr refusing arrwire's key: say Jellyseerr rejected the settings.
			if (isServiceError(fixed) && fixed.kind === 'unauthorized' && (fixed.serviceMessage ?? '').includes('INVALID_URL')) {
				throw new ServiceError({...fixed.toJSON(), kind: 'validation', serviceMessage: `${fixed.serviceMessage} (Jellyfin answered Jellyseerr with HTTP 401: it refuses the key)`});
			}
			throw fixed;
		}
	}

	/**
	 * Jellyfin's users, as Jellyseerr reads them from Jellyfin with its stored address and key
	 * (GET /settings/jellyfin/users, server/routes/settings/index.ts): proves Jellyseerr reaches Jellyfin and changes
	 * nothing, where a library sync rewrites Jellyseerr's library list. When Jellyfin refuses it, the route throws
	 * outside its try and never answers: the client's time limit ends the wait.
	 */
	async jellyfinUsers(): Promise<number> {
		try {
			return (await this.http.get('/api/v1/settings/jellyfin/users', z.array(z.looseObject({id: z.nullish(z.string())})))).length;
		} catch (error) {
			throw this.withFix(error, failure =>
				failure.kind === 'timeout'
					? "Jellyseerr never answers when Jellyfin refuses it: check the Jellyfin API key and address Jellyseerr has (Settings → Jellyfin); a key deleted in Jellyfin's Dashboard → API Keys, or a wrong URL base, does this."
					: undefined,
			);
		}
	}

	/**
	 * Reads (sync: re-reads from Jellyfin) the libraries. Every call sets `enabled` from `enable`: a library not listed
	 * is disabled, so pass every library to keep enabled.
	 */
	async jellyfinLibraries(options: {sync?: boolean; enable?: string[]} = {}): Promise<SeerrLibrary[]> {
		try {
			return await this.http.get('/api/v1/settings/jellyfin/library', z.array(seerrLibrarySchema), {
				// Every call writes `enabled` (and a sync the list): a change for the command's memo, never a read.
				effect: 'change',
				query: {
					sync: options.sync ? 'true' : undefined,
					// An empty `enable=` is refused by Jellyseerr's validator: no parameter is what disables every library.
					enable: options.enable && options.enable.length > 0 ? options.enable.join(',') : undefined,
				},
			});
		} catch (error) {
			// When Jellyfin refuses it, the sync route throws outside its try and never answers
			// (server/routes/settings/index.ts): the client's time limit is what ends the wait.
			throw this.withFix(error, failure =>
				options.sync && failure.kind === 'timeout'
					? "Jellyseerr never answers a library sync that Jellyfin refuses: check the Jellyfin API key and address Jellyseerr has (Settings → Jellyfin); a key deleted in Jellyfin's Dashboard → API Keys, or a wrong URL base, does this."
					: undefined,
			);
		}
	}

	/** Marks setup as finished (public.initialized). */
	async initialize(): Promise<{initialized: boolean}> {
		return this.http.post('/api/v1/settings/initialize', z.looseObject({initialized: z.boolean()}));
	}

	sonarrServers(): Promise<SeerrSonarrServer[]> {
		return this.http.get('/api/v1/settings/sonarr', z.array(seerrSonarrServerSchema));
	}

	/** Jellyseerr connects to Sonarr itself: the address must be one Jellyseerr can reach. */
	testSonarr(connection: SeerrServarrTest): Promise<SeerrServarrTestResult> {
		this.remember(connection.apiKey);
		return this.http.post('/api/v1/settings/sonarr/test', seerrServarrTestResultSchema, {json: testBody(connection), effect: 'test'});
	}

	/** Not idempotent: each call adds a server; look at sonarrServers() first. */
	addSonarr(settings: SeerrSonarrSettings): Promise<SeerrSonarrServer> {
		this.remember(settings.apiKey);
		return this.http.post('/api/v1/settings/sonarr', seerrSonarrServerSchema, {json: withoutId(settings)});
	}

	updateSonarr(id: number, settings: SeerrSonarrSettings): Promise<SeerrSonarrServer> {
		this.remember(settings.apiKey);
		return this.http.put(`/api/v1/settings/sonarr/${id}`, seerrSonarrServerSchema, {json: withoutId(settings)});
	}

	deleteSonarr(id: number): Promise<void> {
		return this.http.delete(`/api/v1/settings/sonarr/${id}`);
	}

	radarrServers(): Promise<SeerrRadarrServer[]> {
		return this.http.get('/api/v1/settings/radarr', z.array(seerrRadarrServerSchema));
	}

	testRadarr(connection: SeerrServarrTest): Promise<SeerrServarrTestResult> {
		this.remember(connection.apiKey);
		return this.http.post('/api/v1/settings/radarr/test', seerrServarrTestResultSchema, {json: testBody(connection), effect: 'test'});
	}

	/** Not idempotent: each call adds a server; look at radarrServers() first. */
	addRadarr(settings: SeerrRadarrSettings): Promise<SeerrRadarrServer> {
		this.remember(settings.apiKey);
		return this.http.post('/api/v1/settings/radarr', seerrRadarrServerSchema, {json: withoutId(settings)});
	}

	updateRadarr(id: number, settings: SeerrRadarrSettings): Promise<SeerrRadarrServer> {
		this.remember(settings.apiKey);
		return this.http.put(`/api/v1/settings/radarr/${id}`, seerrRadarrServerSchema, {json: withoutId(settings)});
	}

	deleteRadarr(id: number): Promise<void> {
		return this.http.delete(`/api/v1/settings/radarr/${id}`);
	}

	/** Replaces the fix of a ServiceError (what the service said decides it); other errors pass unchanged. */
	private withFix(error: unknown, fixFor: (error: ServiceError) => string | undefined): unknown {
		if (!isServiceError(error)) {
			return error;
		}
		const fix = fixFor(error);
		if (!fix) {
			return error;
		}
		return withFix(error, redact(fix, this.http.secrets()));
	}

	private readonly advise: FixAdvisor = (kind, {status, path}) => {
		const lower = path.toLowerCase();
		const servarr = /\/settings\/(sonarr|radarr)\/test$/.exec(lower);
		if (servarr && status === 500) {
			const name = servarr[1] === 'sonarr' ? 'Sonarr' : 'Radarr';
			return (
				`Jellyseerr cannot reach ${name} at the hostname/port given (or ${name} refused the API key): use an address ` +
				`Jellyseerr itself can reach (inside Docker, the ${name} container's name or the host's LAN address, not ` +
				`localhost), the ${name} URL base as baseUrl, and ${name}'s API key (Settings → General).`
			);
		}
		if (kind === 'forbidden') {
			return `Jellyseerr refused the request: ${NO_ADMIN_FIX}.`;
		}
		if (kind === 'unauthorized') {
			return 'Jellyseerr wants its API key (X-Api-Key, Settings → General → API Key, or main.apiKey in settings.json) or a signed-in session.';
		}
		if (kind === 'validation') {
			return 'Jellyseerr rejected the request as not fitting its API; this is a bug in arrwire.';
		}
		if (lower.endsWith('/settings/jellyfin') && status === 500) {
			return "Jellyseerr could not reach Jellyfin with these settings (no answer from its /System/Info): check the address (one Jellyseerr can reach), the port and the URL base.";
		}
		if (lower.endsWith('/settings/jellyfin/library') && status === 404) {
			return 'Jellyfin has no movie or show libraries for Jellyseerr to use; create one in Jellyfin (Dashboard → Libraries) first.';
		}
		return undefined;
	};
}

function testBody(connection: SeerrServarrTest): Record<string, unknown> {
	const body: Record<string, unknown> = {hostname: connection.hostname, port: connection.port, apiKey: connection.apiKey, useSsl: connection.useSsl};
	if (connection.baseUrl !== undefined) {
		body.baseUrl = connection.baseUrl;
	}
	return body;
}

/** `id` is read-only in the spec: a server read back and sent again must lose it. */
function withoutId<T extends object>(settings: T): Omit<T, 'id'> {
	const {id: _id, ...rest} = settings as T & {id?: unknown};
	return rest;
}

/**
 * POST /settings/jellyfin answers with Jellyfin's own status and INVALID_URL (server/routes/settings/index.ts): 401 is
 * Jellyfin refusing the key, 404 an address where Jellyfin's API is not (a wrong URL base). Jellyseerr's own refusals
 * (no key, no session) say something else and keep the general fix.
 */
function jellyfinSettingsFix(error: ServiceError): string | undefined {
	if (!(error.serviceMessage ?? '').includes('INVALID_URL')) {
		return undefined;
	}
	if (error.status === 401) {
		return "Jellyfin refused the API key given to Jellyseerr: create one in Jellyfin (Dashboard → API Keys → +) and give that one.";
	}
	if (error.status === 404) {
		return "Jellyfin's API is not at that address: check the URL base (Jellyfin's Dashboard → Networking → Base URL) and that it is Jellyfin that answers on that port.";
	}
	return undefined;
}

/** The live Jellyfin token in a first sign-in's answer, to be kept out of every message. */
function jellyfinTokenIn(text: string): string | undefined {
	try {
		const token = (JSON.parse(text) as {jellyfinAuthToken?: unknown}).jellyfinAuthToken;
		return typeof token === 'string' ? token : undefined;
	} catch {
		return undefined;
	}
}

function authJellyfinFix(error: ServiceError, credentials: SeerrAuthJellyfin): string | undefined {
	const said = error.serviceMessage ?? '';
	const where = credentials.hostname
		? `${credentials.useSsl ? 'https' : 'http'}://${credentials.hostname}:${credentials.port ?? 8096}${credentials.urlBase ?? ''}`
		: 'the Jellyfin address it has stored';
	if (said.includes('INVALID_URL')) {
		return `Jellyseerr could not reach Jellyfin at ${where}: give a hostname and port that Jellyseerr itself can reach (inside Docker, the Jellyfin container's name or the host's LAN address, not localhost), without http:// in the hostname.`;
	}
	if (said.includes('INVALID_CREDENTIALS')) {
		return `Jellyfin (at ${where}) refused the username or password; check them by signing in to Jellyfin's web page.`;
	}
	if (said.includes('NOT_ADMIN')) {
		return `The Jellyfin user ${credentials.username} is not an administrator; Jellyseerr's first sign-in must use a Jellyfin administrator (Dashboard → Users → "Allow this user to manage the server").`;
	}
	if (said.includes('NO_ADMIN_USER')) {
		return 'Jellyseerr could not create its admin: the first sign-in needs serverType 2 (Jellyfin) or 3 (Emby). This is a bug in arrwire.';
	}
	if (said.includes('already configured')) {
		return 'Jellyseerr is already connected to a Jellyfin server: sign in without a hostname, or change the server under Settings → Jellyfin.';
	}
	if (said.includes('No hostname provided')) {
		return "Jellyseerr is not connected to Jellyfin yet: the first sign-in must give Jellyfin's hostname and port.";
	}
	return undefined;
}
