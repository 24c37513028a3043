// qBittorrent WebUI API v2 (qBittorrent src/webui/api/): cookie session, preferences, categories.
import * as z from './schema.js';
import {HttpClient, type FixAdvisor} from './http.js';
import {ServiceError} from './errors.js';

export interface QbittorrentClientOptions {
	url: string;
	username: string;
	password?: string;
	/** qBittorrent ≥ 5.2 API key, sent as a Bearer token instead of a session (qBittorrent 5.2 src/webui/webapplication.cpp). */
	apiKey?: string;
	timeoutMs?: number;
}

export const qbittorrentPreferencesSchema = z.looseObject({
	save_path: z.optional(z.string()),
	temp_path_enabled: z.optional(z.boolean()),
	temp_path: z.optional(z.string()),
	auto_tmm_enabled: z.optional(z.boolean()),
	web_ui_address: z.optional(z.string()),
	web_ui_port: z.optional(z.number()),
	web_ui_username: z.optional(z.string()),
	bypass_local_auth: z.optional(z.boolean()),
	bypass_auth_subnet_whitelist_enabled: z.optional(z.boolean()),
	bypass_auth_subnet_whitelist: z.optional(z.string()),
	web_ui_max_auth_fail_count: z.optional(z.number()),
	web_ui_ban_duration: z.optional(z.number()),
	web_ui_session_timeout: z.optional(z.number()),
	web_ui_host_header_validation_enabled: z.optional(z.boolean()),
	web_ui_csrf_protection_enabled: z.optional(z.boolean()),
	use_https: z.optional(z.boolean()),
	max_ratio_enabled: z.optional(z.boolean()),
	max_ratio: z.optional(z.number()),
	max_ratio_act: z.optional(z.number()),
	max_seeding_time_enabled: z.optional(z.boolean()),
	max_seeding_time: z.optional(z.number()),
	queueing_enabled: z.optional(z.boolean()),
	dht: z.optional(z.boolean()),
	listen_port: z.optional(z.number()),
});
export type QbittorrentPreferences = z.infer<typeof qbittorrentPreferencesSchema>;

/** What `setPreferences` may send: known keys, plus the write-only password. */
export type QbittorrentPreferenceChanges = Partial<QbittorrentPreferences> & {web_ui_password?: string};

const categorySchema = z.looseObject({
	name: z.string(),
	savePath: z.string(),
	// Absent when unset, false when disabled, a path when set; 5.2 answers null (src/webui/api/appcontroller.cpp).
	download_path: z.optional(z.union([z.string(), z.boolean(), z.null()])),
});
export type QbittorrentCategory = z.infer<typeof categorySchema>;
const categoriesSchema = z.record(z.string(), categorySchema);

const torrentSchema = z.looseObject({
	hash: z.string(),
	name: z.string(),
	category: z.optional(z.string()),
	save_path: z.optional(z.string()),
	state: z.optional(z.string()),
});
export type QbittorrentTorrent = z.infer<typeof torrentSchema>;

export const QBITTORRENT_BAN_RULE =
	'qBittorrent bans an address for an hour (WebUI\\BanDuration, 3600 s) after 5 failed logins (WebUI\\MaxAuthenticationFailCount), so arrwire stops after one.';
export const QBITTORRENT_TEMPORARY_PASSWORD =
	'qBittorrent 4.6.1 and later have no default password: at each start without one, qbittorrent-nox prints a temporary password to its log ("A temporary password is provided for this session"); for a container, run `docker logs <container> | grep -i password`. Log in with it and set a real password under Tools → Options → WebUI.';

/**
 * The sessions of this process by address and login: a client made later for the same qBittorrent and login (the
 * wiring's, after the credential check's) goes on with the session instead of logging in again.
 */
const sessions = new Map<string, string>();

export class QbittorrentClient {
	readonly http: HttpClient;
	private readonly options: QbittorrentClientOptions;
	private cookie: string | undefined;
	/** Set after a refused login: arrwire never tries the same password twice (the ban rule). */
	private refusedLogin: ServiceError | undefined;
	/** The login under way: requests that start together wait for one login instead of each sending its own. */
	private loggingIn: Promise<void> | undefined;

	constructor(options: QbittorrentClientOptions) {
		this.options = options;
		this.http = new HttpClient({
			service: 'qBittorrent',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: (): Record<string, string> => {
				if (options.apiKey) {
					return {authorization: `Bearer ${options.apiKey}`};
				}
				return this.cookie ? {cookie: this.cookie} : {};
			},
			secrets: () => [options.password, options.apiKey, this.cookie?.split('=')[1]],
			advise: this.advise,
		});
	}

	/** After arrwire changed the WebUI password: later logins (and redaction) use the new one. */
	setPassword(password: string): void {
		this.options.password = password;
		this.refusedLogin = undefined;
	}

	get loggedIn(): boolean {
		return this.cookie !== undefined || this.options.apiKey !== undefined;
	}

	private sessionKey(): string {
		return JSON.stringify([this.http.baseUrl, this.options.username, this.options.password ?? '']);
	}

	/**
	 * Logs in once. A refused password is not tried again by this client: qBittorrent bans the address after a few
	 * failures, so the user must give a new one (a new client).
	 */
	async login(): Promise<void> {
		if (this.options.apiKey) {
			return;
		}
		if (this.refusedLogin) {
			throw this.refusedLogin;
		}
		this.loggingIn ??= this.sendLogin().finally(() => {
			this.loggingIn = undefined;
		});
		return this.loggingIn;
	}

	private async sendLogin(): Promise<void> {
		const path = '/api/v2/auth/login';
		const response = await this.http.request('POST', path, {
			form: {username: this.options.username, password: this.options.password ?? ''},
			accept: [401, 403],
			effect: 'login',
		});
		const body = response.text.trim();
		if (response.status === 403) {
			// Banned: every login answers 403 until the ban ends (qBittorrent src/webui/api/authcontroller.cpp).
			this.refusedLogin = this.http.error('forbidden', 'POST', this.http.url(path), 403, body || 'banned');
			throw this.refusedLogin;
		}
		if (response.status === 401 && (await this.rejectsEveryRequest())) {
			// Before login, a 401 from the request filter means the Host header or Origin did not pass (qBittorrent src/webui/webapplication.cpp).
			throw this.http.error('unauthorized', 'POST', this.http.url(path), 401, body, undefined);
		}
		if (response.status === 401 || body === 'Fails.') {
			this.refusedLogin = new ServiceError({
				service: 'qBittorrent',
				kind: 'unauthorized',
				method: 'POST',
				url: this.http.url(path).toString(),
				status: response.status,
				serviceMessage: `the username or password was refused (${body || response.status})`,
				fix: `Check the qBittorrent WebUI username and password (Tools → Options → WebUI → Authentication). ${QBITTORRENT_BAN_RULE} ${QBITTORRENT_TEMPORARY_PASSWORD}`,
			});
			throw this.refusedLogin;
		}
		// Success: "Ok." with a session cookie (≤ 5.1), or 204 (5.2).
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const session = setCookie.map(line => line.split(';')[0]?.trim()).find(Boolean);
		if (session) {
			this.cookie = session;
			sessions.set(this.sessionKey(), session);
		} else if (body !== 'Ok.') {
			throw this.http.error('bad-response', 'POST', this.http.url(path), response.status, `unexpected login answer: ${body.slice(0, 80)}`);
		}
	}

	async logout(): Promise<void> {
		if (this.cookie) {
			await this.http.request('POST', '/api/v2/auth/logout', {accept: [403], effect: 'login'});
			this.forgetSession();
		}
	}

	/** `v4.5.2`, `v5.1.4`… */
	async version(): Promise<string> {
		return (await this.authed('GET', '/api/v2/app/version')).trim();
	}

	/** `2.8.19`… */
	async webapiVersion(): Promise<string> {
		return (await this.authed('GET', '/api/v2/app/webapiVersion')).trim();
	}

	async preferences(): Promise<QbittorrentPreferences> {
		const text = await this.authed('GET', '/api/v2/app/preferences');
		return this.http.parse({status: 200, headers: new Headers(), text, url: ''}, qbittorrentPreferencesSchema, 'GET', '/api/v2/app/preferences');
	}

	/** Sends only the keys to change, as the form field `json` (qBittorrent src/webui/api/appcontroller.cpp). */
	async setPreferences(changes: QbittorrentPreferenceChanges): Promise<void> {
		await this.authed('POST', '/api/v2/app/setPreferences', {json: JSON.stringify(changes)});
	}

	async categories(): Promise<Record<string, QbittorrentCategory>> {
		const text = await this.authed('GET', '/api/v2/torrents/categories');
		return this.http.parse({status: 200, headers: new Headers(), text, url: ''}, categoriesSchema, 'GET', '/api/v2/torrents/categories');
	}

	/** Creates a category; a 409 means it exists or the name is invalid (the caller re-reads the list). */
	async createCategory(name: string, savePath = ''): Promise<void> {
		await this.authed('POST', '/api/v2/torrents/createCategory', {category: name, savePath});
	}

	async editCategory(name: string, savePath: string): Promise<void> {
		await this.authed('POST', '/api/v2/torrents/editCategory', {category: name, savePath});
	}

	async removeCategories(names: string[]): Promise<void> {
		await this.authed('POST', '/api/v2/torrents/removeCategories', {categories: names.join('\n')});
	}

	async torrents(filter: {category?: string} = {}): Promise<QbittorrentTorrent[]> {
		const query = filter.category === undefined ? '' : `?category=${encodeURIComponent(filter.category)}`;
		const text = await this.authed('GET', `/api/v2/torrents/info${query}`);
		return this.http.parse({status: 200, headers: new Headers(), text, url: ''}, z.array(torrentSchema), 'GET', '/api/v2/torrents/info');
	}

	/** Calls an action with a session, logging in first and once more if the session expired (403). */
	private async authed(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<string> {
		this.cookie ??= sessions.get(this.sessionKey());
		if (!this.loggedIn) {
			await this.login();
		}
		const send = () => this.http.request(method, path, {form, accept: this.options.apiKey ? [] : [403]});
		const cookie = this.cookie;
		let response = await send();
		if (response.status === 403) {
			// Expired: log in again, unless a request beside this one did already (its session is the new one).
			if (this.cookie === cookie) {
				this.forgetSession();
			}
			if (!this.loggedIn) {
				await this.login();
			}
			response = await send();
			if (response.status === 403) {
				throw this.http.error('forbidden', method, this.http.url(path), 403, response.text);
			}
		}
		return response.text;
	}

	private forgetSession(): void {
		if (sessions.get(this.sessionKey()) === this.cookie) {
			sessions.delete(this.sessionKey());
		}
		this.cookie = undefined;
	}

	/** The public login page answers anyone, unless the Host/Origin filter refuses the request. */
	private async rejectsEveryRequest(): Promise<boolean> {
		const page = await this.http.request('GET', '/', {accept: [401, 403, 404]});
		return page.status === 401;
	}

	private readonly advise: FixAdvisor = (kind, {status, path}) => {
		const where = this.options.url;
		if (kind === 'unauthorized' && path.endsWith('/auth/login')) {
			return (
				`qBittorrent at ${where} refused the request before checking the password: the Host header did not pass its ` +
				'Host-header validation. That happens when the port you reach it on differs from its WebUI port (a Docker ' +
				'mapping such as 8081:8080). Publish the same port on both sides (and set WEBUI_PORT to it), or turn off ' +
				'Tools → Options → WebUI → "Enable Host header validation".'
			);
		}
		if (kind === 'forbidden' && path.endsWith('/auth/login')) {
			return `qBittorrent has banned this address after too many failed logins. Wait for the ban to end (an hour by default) or restart qBittorrent, then run arrwire again with the right password. ${QBITTORRENT_BAN_RULE}`;
		}
		if (kind === 'conflict' && path.endsWith('/createCategory')) {
			return 'The category exists already, or its name is not allowed (no leading/trailing slashes, no "//").';
		}
		if (kind === 'conflict' && path.endsWith('/editCategory')) {
			return 'qBittorrent could not change the category: it may not exist, or the save path is invalid.';
		}
		if (kind === 'forbidden') {
			return 'The qBittorrent session was refused; log in again with the WebUI username and password.';
		}
		if (status === 405) {
			return 'qBittorrent refused the method; this is a bug in arrwire.';
		}
		return undefined;
	};
}
