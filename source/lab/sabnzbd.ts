// SABnzbd as its source answers (sabnzbd/sabnzbd: sabnzbd/interface.py for the checks every page goes through,
// sabnzbd/api.py for /api, sabnzbd/config.py and sabnzbd/cfg.py for the settings). SABnzbd cannot run here; this
// stands in for it on loopback, for arrwire and for the Sonarr/Radarr emulators' SABnzbd test.
//
// What it keeps: the [misc] options arrwire and Sonarr read, and the categories, stored as sent; sabnzbd.ini is
// written after every change, as config.save_config() does. Every page is mounted at / and at the URL base
// (SABnzbd.py mounts MainPage at both).
import {mkdirSync, writeFileSync} from 'node:fs';
import {isIP} from 'node:net';
import path from 'node:path';
import {randomBytes} from 'node:crypto';
import {Emulator, header, normalizeUrlBase, type LabRequest, type LabResponse} from './emulator.js';

/** sabnzbd/constants.py: DEF_PORT. */
export const SABNZBD_PORT = 8080;

/** sabnzbd/interface.py: the texts of the 403 answers. */
export const SAB_MESSAGES = {
	apiKeyRequired: 'API Key Required',
	apiKeyIncorrect: 'API Key Incorrect',
	hostname: 'Access denied - Hostname verification failed: https://sabnzbd.org/hostname-check',
} as const;

/** One category as config.ConfigCat.get_dict() gives it. */
export interface SabCategory {
	name: string;
	order: number;
	pp: string;
	script: string;
	dir: string;
	newzbin: string;
	priority: number;
}

export interface SabnzbdEmulatorOptions {
	host?: string;
	port?: number;
	/** Default: a random 32-hex key, as misc.create_api_key() makes. */
	apiKey?: string;
	nzbKey?: string;
	version?: string;
	/** [misc] url_base: the pages answer there as well as at /. */
	urlBase?: string;
	/** [misc] username/password: with both set, the web UI asks for a login (the API still takes the key). */
	username?: string;
	password?: string;
	/** [misc] html_login (default true): a login form; false: HTTP basic authentication on the web UI. */
	htmlLogin?: boolean;
	/** A news server is configured: without one, the web root sends the visitor to the setup wizard. */
	hasServers?: boolean;
	/** [misc] host_whitelist: names besides IP addresses, localhost and *.local that may be used in the Host header. */
	hostWhitelist?: string[];
	/** [misc] download_dir and complete_dir (SABnzbd's defaults are Downloads/incomplete and Downloads/complete). */
	downloadDir?: string;
	completeDir?: string;
	/** What relative folders are relative to (SABnzbd: its home folder). Default: configDir, else the process's. */
	homeDir?: string;
	/** Where sabnzbd.ini is written; none when absent. */
	configDir?: string;
}

/** config.get_categories(): what a new SABnzbd has (api.py NORMAL_PRIORITY 0, DEFAULT_PRIORITY -100). */
function defaultCategories(): SabCategory[] {
	const category = (name: string, order: number, more: Partial<SabCategory> = {}): SabCategory => ({name, order, pp: '', script: 'Default', dir: '', newzbin: '', priority: -100, ...more});
	return [category('*', 0, {pp: '3', script: 'None', priority: 0}), category('movies', 1), category('tv', 2), category('audio', 3), category('software', 4)];
}

const CATEGORY_FIELDS = ['order', 'pp', 'script', 'dir', 'newzbin', 'priority'] as const;
const NUMBER_FIELDS = new Set(['order', 'priority', 'port', 'https_port', 'history_retention_number', 'inet_exposure']);
/** cfg.py: options set_dict ignores (protect=True). */
const PROTECTED = new Set(['inet_exposure', 'api_warnings', 'local_ranges']);
const PASSWORD_OPTIONS = new Set(['password']);

export class SabnzbdEmulator extends Emulator {
	readonly version: string;
	readonly misc: Record<string, string | number>;
	categories: SabCategory[] = defaultCategories();
	readonly servers: Array<Record<string, unknown>> = [];
	/** Where sabnzbd.ini is (when configDir was given). */
	readonly configFile?: string;
	private readonly sabUrlBase: string;
	private readonly homeDir: string;

	constructor(options: SabnzbdEmulatorOptions = {}) {
		// The base class has no URL base: SABnzbd answers at / too, and its handlers strip the base themselves.
		super({name: 'SABnzbd', host: options.host, port: options.port});
		this.version = options.version ?? '4.5.5';
		this.sabUrlBase = normalizeUrlBase(options.urlBase ?? '');
		this.homeDir = options.homeDir ?? options.configDir ?? process.cwd();
		this.configFile = options.configDir ? path.join(options.configDir, 'sabnzbd.ini') : undefined;
		if (options.hasServers) {
			this.servers.push({name: 'news.example', displayname: 'news.example', host: 'news.example', port: 563, enable: 1});
		}
		// cfg.py: the [misc] options arrwire and Sonarr's SabnzbdConfigMisc read, with SABnzbd's defaults.
		this.misc = {
			host: options.host ?? '127.0.0.1',
			port: String(options.port ?? SABNZBD_PORT),
			https_port: '',
			enable_https: 0,
			url_base: this.sabUrlBase,
			username: options.username ?? '',
			password: options.password ?? '',
			html_login: options.htmlLogin === false ? 0 : 1,
			inet_exposure: 0,
			api_warnings: 1,
			api_key: options.apiKey ?? randomBytes(16).toString('hex'),
			nzb_key: options.nzbKey ?? randomBytes(16).toString('hex'),
			host_whitelist: (options.hostWhitelist ?? []).join(', '),
			permissions: '',
			download_dir: options.downloadDir ?? 'Downloads/incomplete',
			complete_dir: options.completeDir ?? 'Downloads/complete',
			pre_check: 0,
			history_retention: '',
			history_retention_option: 'all',
			history_retention_number: 1,
		};

		for (const base of this.sabUrlBase ? ['', this.sabUrlBase] : ['']) {
			this.route('GET', `${base}/api`, request => this.api(request), {anonymous: true, outsideApi: true});
			this.route('POST', `${base}/api`, request => this.api(request), {anonymous: true, outsideApi: true});
			this.route('GET', `${base}/`, request => this.webRoot(request), {anonymous: true, outsideApi: true});
			this.route('GET', `${base}/wizard/`, request => this.page(request, 'SABnzbd Quick-Start Wizard'), {anonymous: true, outsideApi: true});
			this.route('GET', `${base}/login/`, request => this.page(request, 'SABnzbd Login'), {anonymous: true, outsideApi: true});
		}
		if (this.sabUrlBase) {
			this.route('GET', this.sabUrlBase, request => this.webRoot(request), {anonymous: true, outsideApi: true});
		}
	}

	get apiKey(): string {
		return String(this.misc.api_key);
	}

	override async start(): Promise<void> {
		await super.start();
		if (this.misc.port === String(SABNZBD_PORT) && this.port !== SABNZBD_PORT) {
			this.misc.port = String(this.port);
		}
		this.save();
	}

	/** Every request goes through these pages' checks (interface.secured_expose); the emulator has no other. */
	protected authenticate(_request: LabRequest): LabResponse | undefined {
		return undefined;
	}

	/** CherryPy's 404 page (SABnzbd sets error_page.404 to panic.error_page_404, an HTML page). */
	protected override notFound(_request: LabRequest): LabResponse {
		return {status: 404, body: '<html><head><title>SABnzbd - 404 Not Found</title></head><body><h1>Not found</h1></body></html>', headers: this.baseHeaders('text/html;charset=utf-8')};
	}

	/** The category folder as Sonarr and the link work it out: complete_dir joined with the category's dir. */
	resolve(folder: string): string {
		return path.isAbsolute(folder) ? folder : path.join(this.homeDir, folder);
	}

	private baseHeaders(contentType: string): Record<string, string> {
		return {'content-type': contentType, server: 'CherryPy/18.10.0'};
	}

	private text(status: number, body: string): LabResponse {
		return {status, body, headers: this.baseHeaders('text/html;charset=utf-8')};
	}

	/** interface.check_hostname: without a login, only IP addresses, localhost, *.local and the whitelist (DNS rebinding). */
	private hostnameRefused(request: LabRequest): boolean {
		if (this.misc.username && this.misc.password) {
			return false;
		}
		const hostHeader = header(request, 'host');
		if (!hostHeader) {
			return true;
		}
		const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
		const bare = host.replace(/^\[|\]$/g, '');
		if (host === 'localhost' || isIP(bare) !== 0 || host.endsWith('.local') || host.endsWith('.local.')) {
			return false;
		}
		return !String(this.misc.host_whitelist)
			.split(',')
			.map(name => name.trim().toLowerCase())
			.includes(host);
	}

	private loginRequired(): boolean {
		return Boolean(this.misc.username && this.misc.password);
	}

	/** MainPage.index: login first, then the wizard when no news server is set, else the main page. */
	private webRoot(request: LabRequest): LabResponse {
		if (this.loginRequired() && this.misc.html_login === 0) {
			// interface.set_auth: CherryPy's basic-auth tool, realm "SABnzbd", on every page but /api.
			return {status: 401, body: '<html><head><title>SABnzbd - 401 Unauthorized</title></head><body>Access denied</body></html>', headers: {...this.baseHeaders('text/html;charset=utf-8'), 'www-authenticate': 'Basic realm="SABnzbd", charset="UTF-8"'}};
		}
		if (this.loginRequired()) {
			return this.redirect(`${this.sabUrlBase}/login/`);
		}
		if (this.hostnameRefused(request)) {
			return this.text(403, SAB_MESSAGES.hostname);
		}
		if (this.servers.length === 0) {
			return this.redirect(`${this.sabUrlBase}/wizard/`);
		}
		return this.page(request, 'SABnzbd');
	}

	private page(_request: LabRequest, title: string): LabResponse {
		return {status: 200, body: `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body></body></html>`, headers: this.baseHeaders('text/html;charset=utf-8')};
	}

	/** CherryPy's HTTPRedirect: 303 for HTTP/1.1, a server-relative Location (Application.relative_urls = "server"). */
	private redirect(location: string): LabResponse {
		return {status: 303, body: `This resource can be found at <a href="${location}">${location}</a>.`, headers: {...this.baseHeaders('text/html;charset=utf-8'), location}};
	}

	/** api.report(): JSON (or an error object), with the headers SABnzbd adds. */
	private report(data: unknown): LabResponse {
		return {status: 200, body: data, headers: {...this.baseHeaders('application/json;charset=UTF-8'), pragma: 'no-cache', 'access-control-allow-origin': '*'}};
	}

	private failed(error: string): LabResponse {
		return this.report({status: false, error});
	}

	/** MainPage.api behind secured_expose(check_api_key=True): the host check, then interface.check_apikey. */
	private api(request: LabRequest): LabResponse {
		const params = new Map<string, string>(request.query);
		if (request.body && typeof request.body === 'object') {
			for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) {
				params.set(key, String(value));
			}
		}
		const mode = params.get('mode') ?? '';
		if (this.hostnameRefused(request)) {
			return this.text(403, SAB_MESSAGES.hostname);
		}
		if (mode !== 'version' && mode !== 'auth') {
			const key = params.get('apikey');
			if (!key) {
				return this.text(403, SAB_MESSAGES.apiKeyRequired);
			}
			// The NZB key only opens level-1 calls (adding NZBs); none of those are emulated.
			if (key !== this.misc.api_key) {
				return this.text(403, SAB_MESSAGES.apiKeyIncorrect);
			}
		}
		switch (mode) {
			case 'version':
				return this.report({version: this.version});
			case 'auth': {
				// api._api_auth: which key `key` is; no key at all reads as "apikey".
				const key = params.get('key') ?? '';
				return this.report({auth: !key || key === this.misc.api_key ? 'apikey' : key === this.misc.nzb_key ? 'nzbkey' : 'badkey'});
			}
			case 'get_config':
				return this.report({config: this.getConfig(params.get('section'), params.get('keyword'))});
			case 'set_config':
				return this.setConfig(params);
			case 'del_config':
				return this.delConfig(params);
			case 'get_cats':
				return this.report({categories: this.orderedCategories().map(category => category.name)});
			case 'fullstatus':
				return this.report({status: this.status()});
			case 'queue':
				return this.report({queue: {...this.header(), status: 'Idle', noofslots: 0, noofslots_total: 0, slots: [], start: 0, limit: 0, finish: 0}});
			case 'history':
				return this.report({history: {...this.header(), noofslots: 0, slots: []}});
			default:
				return this.failed('not implemented');
		}
	}

	/** api.build_header(for_template=False): what queue, history and fullstatus share. */
	private header(): Record<string, unknown> {
		return {version: this.version, paused: false, pause_int: '0', paused_all: false, diskspace1: '100.00', diskspace2: '100.00', speedlimit: '100', speedlimit_abs: '', have_warnings: '0', finishaction: null, quota: '0 ', have_quota: false, left_quota: '0 ', cache_art: '0', cache_size: '0 B'};
	}

	private status(): Record<string, unknown> {
		return {...this.header(), loglevel: '1', folders: [], warnings: [], loadavg: '', pystone: 0, downloaddir: this.resolve(String(this.misc.download_dir)), downloaddirspeed: 0, completedir: this.resolve(String(this.misc.complete_dir)), completedirspeed: 0, internetbandwidth: 0, servers: []};
	}

	/** config.get_ordered_categories(): '*' first, the rest by order; a missing '*' brings the defaults back. */
	orderedCategories(): SabCategory[] {
		if (!this.categories.some(category => category.name === '*')) {
			this.categories.push(...defaultCategories().filter(fresh => !this.categories.some(category => category.name === fresh.name)));
		}
		const rest = this.categories.filter(category => category.name !== '*').sort((a, b) => a.order - b.order);
		return [this.categories.find(category => category.name === '*')!, ...rest].map(category => ({...category}));
	}

	/** The [misc] options as the API shows them (OptionPassword.get_dict(for_public_api=True): stars). */
	private publicMisc(): Record<string, string | number> {
		return Object.fromEntries(Object.entries(this.misc).map(([key, value]) => [key, PASSWORD_OPTIONS.has(key) && value ? '**********' : value]));
	}

	/** config.get_dconfig: everything, a section, or one keyword of it; what is not there is {}. */
	private getConfig(section: string | undefined, keyword: string | undefined): Record<string, unknown> {
		const sections: Record<string, () => unknown> = {
			misc: () => this.publicMisc(),
			categories: () => this.orderedCategories(),
			...(this.servers.length ? {servers: () => this.servers.map(server => ({...server}))} : {}),
			sorters: () => [],
		};
		if (!section) {
			return Object.fromEntries(Object.entries(sections).map(([name, read]) => [name, read()]));
		}
		const read = sections[section];
		if (!read) {
			return {};
		}
		if (!keyword) {
			return {[section]: read()};
		}
		if (section === 'misc') {
			const misc = this.publicMisc();
			return keyword in misc ? {misc: {[keyword]: misc[keyword]}} : {};
		}
		const items = read() as Array<{name: string}>;
		const item = items.find(candidate => candidate.name === keyword);
		return item ? {[section]: [item]} : {};
	}

	/** api._api_set_config: categories through handle_cat_api (created or updated, name lower-cased); misc one keyword at a time. */
	private setConfig(params: Map<string, string>): LabResponse {
		const section = params.get('section');
		if (section === 'categories') {
			const given = params.get('keyword') || params.get('name');
			if (!given) {
				return this.report({config: this.getConfig('categories', undefined)});
			}
			const name = given.toLowerCase().replace(/^\[+|\]+$/g, '');
			let category = this.categories.find(candidate => candidate.name === name);
			if (!category) {
				category = {...defaultCategories()[1]!, name, order: 0};
				this.categories.push(category);
			}
			for (const field of CATEGORY_FIELDS) {
				const value = params.get(field);
				if (value !== undefined) {
					(category as unknown as Record<string, unknown>)[field] = NUMBER_FIELDS.has(field) ? numberOr(value, category[field] as number) : value.trim();
				}
			}
			this.save();
			return this.report({config: this.getConfig('categories', name)});
		}
		const keyword = params.get('keyword');
		if (section !== 'misc' || !keyword || !(keyword in this.misc)) {
			return this.failed('Config item does not exist');
		}
		const value = params.get('value');
		if (value !== undefined && !PROTECTED.has(keyword)) {
			this.misc[keyword] = NUMBER_FIELDS.has(keyword) || typeof this.misc[keyword] === 'number' ? numberOr(value, this.misc[keyword] as number) : value.trim();
		}
		this.save();
		return this.report({config: this.getConfig('misc', keyword)});
	}

	/** api.del_from_section: true for the four list sections whether or not the item was there. */
	private delConfig(params: Map<string, string>): LabResponse {
		const section = params.get('section') ?? '';
		if (!['sorters', 'servers', 'rss', 'categories'].includes(section)) {
			return this.failed('not implemented');
		}
		const keyword = params.get('keyword');
		if (section === 'categories' && keyword) {
			const before = this.categories.length;
			this.categories = this.categories.filter(category => category.name !== keyword);
			if (this.categories.length !== before) {
				this.save();
			}
		}
		return this.report({status: true});
	}

	/** sabnzbd.ini as ConfigObj writes it: [misc] keys, then [categories] with one [[name]] subsection each. */
	iniText(): string {
		const lines = ['__version__ = 19', '__encoding__ = utf-8', '[misc]'];
		for (const [key, value] of Object.entries(this.misc)) {
			lines.push(`${key} = ${value}`);
		}
		lines.push('[categories]');
		for (const category of this.orderedCategories()) {
			lines.push(`[[${category.name}]]`);
			for (const [key, value] of Object.entries(category)) {
				lines.push(`${key} = ${value}`);
			}
		}
		return lines.join('\n') + '\n';
	}

	private save(): void {
		if (this.configFile) {
			mkdirSync(path.dirname(this.configFile), {recursive: true});
			writeFileSync(this.configFile, this.iniText(), {mode: 0o600});
		}
	}
}

function numberOr(value: string, fallback: number): number {
	return /^-?\d+$/.test(value.trim()) ? Number(value) : fallback;
}
