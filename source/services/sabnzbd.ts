// SABnzbd: GET {url}/api?mode=…&apikey=…&output=json (sabnzbd/api.py, behind the checks of sabnzbd/interface.py).
// `version` answers anyone; every other mode needs the API key, and a missing or wrong key is a 403 whose body is
// the plain text "API Key Required" / "API Key Incorrect" (interface.check_apikey). A call SABnzbd refuses in itself
// still answers 200, with {"status": false, "error": "…"} (api.report). The API answers at / and at the URL base.
import * as z from './schema.js';
import {ServiceError, withFix} from './errors.js';
import {HttpClient, type FixAdvisor, type Query} from './http.js';

export interface SabnzbdClientOptions {
	/** Origin (plus URL base, optional: SABnzbd answers at both), e.g. http://127.0.0.1:8080. */
	url: string;
	apiKey: string;
	timeoutMs?: number;
}

/** A category as config.ConfigCat.get_dict() gives it. `dir` is relative to complete_dir unless absolute. */
export interface SabnzbdCategory {
	name: string;
	order: number;
	pp: string;
	script: string;
	dir: string;
	priority: number;
}

/** What arrwire uses from [misc]; the API key (which get_config shows) is dropped while parsing, never kept. */
export interface SabnzbdMisc {
	completeDir: string;
	downloadDir: string;
	urlBase: string;
	host?: string;
	port?: string;
}

/** The fields set_config takes for a category (api.handle_cat_api → ConfigCat.set_dict). */
export interface SabnzbdCategoryChange {
	name: string;
	dir?: string;
	pp?: string;
	script?: string;
	priority?: number;
	order?: number;
}

const text = z.pipe(z.union([z.string(), z.number()]), z.transform(String));
const categorySchema = z.object({
	name: z.string(),
	order: z.catch(z.coerce.number(), 0),
	pp: z.catch(text, ''),
	script: z.catch(text, ''),
	dir: z.catch(text, ''),
	priority: z.catch(z.coerce.number(), 0),
});
// z.object (not looseObject): every other key of [misc], api_key and nzb_key among them, is left behind.
const miscSchema = z.object({
	complete_dir: z.optional(text),
	download_dir: z.optional(text),
	url_base: z.optional(text),
	host: z.optional(text),
	port: z.optional(text),
});
/** The modes arrwire calls that only read (sabnzbd/api.py); any other mode may change something. */
const READ_MODES = new Set(['version', 'auth', 'get_config', 'get_cats', 'fullstatus', 'queue', 'history']);
const LOCKED_FIX = "SABnzbd's configuration is locked (config_lock in sabnzbd.ini): unlock it to let arrwire change it.";
const failureSchema = z.looseObject({status: z.literal(false), error: z.optional(z.string())});

export class SabnzbdClient {
	readonly service = 'SABnzbd' as const;
	readonly http: HttpClient;
	private readonly apiKey: string;

	constructor(options: SabnzbdClientOptions) {
		this.apiKey = options.apiKey;
		this.http = new HttpClient({
			service: 'SABnzbd',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			secrets: () => [options.apiKey],
			advise: this.advise,
		});
	}

	get url(): string {
		return this.http.baseUrl;
	}

	/**
	 * One API call. A 403 is told apart by its text (a key refused, a Host name refused, an outside address refused);
	 * a 200 {"status": false} is SABnzbd refusing the call itself. Every mode is a GET: those outside READ_MODES
	 * (set_config, del_config, …) change SABnzbd's settings, and the command's memo must know it.
	 */
	async call<S extends z.ZodMiniType>(mode: string, schema: S, query: Query = {}, withKey = true): Promise<z.infer<S>> {
		const fullQuery: Query = {mode, ...query, ...(withKey ? {apikey: this.apiKey} : {}), output: 'json'};
		let response;
		try {
			response = await this.http.request('GET', '/api', {query: fullQuery, ...(READ_MODES.has(mode) ? {} : {effect: 'change' as const})});
		} catch (error) {
			throw error instanceof ServiceError ? refined(error) : error;
		}
		const failed = safeJson(response.text);
		const refusal = failureSchema.safeParse(failed);
		if (refusal.success) {
			const locked = /locked/i.test(refusal.data.error ?? '');
			throw this.http.error(locked ? 'forbidden' : 'validation', 'GET', this.http.url('/api', fullQuery), response.status, `${mode}: ${refusal.data.error ?? 'refused'}`, undefined, {
				fix: locked ? LOCKED_FIX : `SABnzbd refused ${mode}; is it SABnzbd 3.0 or newer (Help → About)?`,
			});
		}
		return this.http.parse(response, schema, 'GET', '/api');
	}

	/** "4.5.5". Answers without the key: it proves SABnzbd is there, not that the key is right (see checkKey). */
	async version(): Promise<string> {
		return (await this.call('version', z.object({version: z.string()}), {}, false)).version;
	}

	/** Is the key SABnzbd's API key? A cheap call that needs it (what Sonarr's own test sends after `version`). */
	async checkKey(): Promise<void> {
		await this.call('get_config', z.object({config: z.unknown()}), {section: 'misc', keyword: 'complete_dir'});
	}

	/** The [misc] folders and address, without any key. */
	async misc(): Promise<SabnzbdMisc> {
		const answer = await this.call('get_config', z.object({config: z.object({misc: miscSchema})}), {section: 'misc'});
		const misc = answer.config.misc;
		return {completeDir: misc.complete_dir ?? '', downloadDir: misc.download_dir ?? '', urlBase: misc.url_base ?? '', host: misc.host, port: misc.port};
	}

	/** complete_dir as an absolute path (SABnzbd resolves a relative one against its home folder: fullstatus.completedir). */
	async completeFolder(): Promise<string> {
		const answer = await this.call('fullstatus', z.object({status: z.looseObject({completedir: z.string()})}), {skip_dashboard: '1'});
		return answer.status.completedir;
	}

	/** The categories, '*' (the default) first, then by order. */
	async categories(): Promise<SabnzbdCategory[]> {
		const answer = await this.call('get_config', z.object({config: z.object({categories: z.optional(z.array(categorySchema))})}), {section: 'categories'});
		return answer.config.categories ?? [];
	}

	/** Creates the category or changes the fields given (SABnzbd lower-cases the name); returns it as stored. */
	async saveCategory(change: SabnzbdCategoryChange): Promise<SabnzbdCategory> {
		const {name, ...fields} = change;
		const query: Query = {section: 'categories', name};
		for (const [key, value] of Object.entries(fields)) {
			if (value !== undefined) {
				query[key] = value;
			}
		}
		const answer = await this.call('set_config', z.object({config: z.object({categories: z.optional(z.array(categorySchema))})}), query);
		const saved = answer.config.categories?.find(category => category.name === name.toLowerCase());
		if (!saved) {
			throw this.http.error('bad-response', 'GET', this.http.url('/api', {mode: 'set_config', section: 'categories', name}), 200, `set_config did not return the category ${name}`);
		}
		return saved;
	}

	/** Removes a category; removing one that is not there is not an error (api.del_from_section). */
	async deleteCategory(name: string): Promise<void> {
		await this.call('del_config', z.object({status: z.literal(true)}), {section: 'categories', keyword: name});
	}

	private readonly advise: FixAdvisor = kind => {
		if (kind === 'unauthorized') {
			return "SABnzbd refused the API key: it is api_key under [misc] in sabnzbd.ini (SABnzbd → Config → General → Security → API Key).";
		}
		return undefined;
	};
}

/** SABnzbd's 403s say why in their text (sabnzbd/interface.py); each gets its own cause and fix. */
function refined(error: ServiceError): ServiceError {
	if (error.status !== 403) {
		return error;
	}
	const said = error.serviceMessage ?? '';
	if (/API Key (Incorrect|Required)/i.test(said)) {
		return new ServiceError({
			service: 'SABnzbd',
			kind: 'unauthorized',
			method: error.method,
			url: error.url,
			status: 403,
			serviceMessage: said,
			fix: /Required/i.test(said)
				? 'SABnzbd needs its API key for this: api_key under [misc] in sabnzbd.ini (SABnzbd → Config → General → Security → API Key).'
				: 'SABnzbd refused the API key: it is api_key under [misc] in sabnzbd.ini (SABnzbd → Config → General → Security → API Key).',
		});
	}
	if (/Hostname verification failed/i.test(said)) {
		return withFix(error, "SABnzbd refuses requests that name it by a host name it does not know (a guard against DNS rebinding): use its IP address, or add the name to host_whitelist (SABnzbd → Config → Special → host_whitelist).");
	}
	if (/External internet access denied/i.test(said)) {
		return withFix(error, 'SABnzbd refuses this address as external: allow it in SABnzbd → Config → General → External internet access (inet_exposure), or add its network to local_ranges in sabnzbd.ini.');
	}
	if (/Configuration locked/i.test(said)) {
		return withFix(error, LOCKED_FIX);
	}
	return error;
}

function safeJson(body: string): unknown {
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}
