// NZBGet: JSON-RPC over HTTP (POST {url}/jsonrpc, basic auth with ControlUsername/ControlPassword). Method names and
// answers from the real NZBGet 21 (daemon/remote/XmlRpc.cpp of nzbget/nzbget): `version`; `config` (the running
// options); `loadconfig` (nzbget.conf as on disk); `saveconfig` (writes nzbget.conf from the whole list, as loadconfig
// gives it); `reload` (restarts with the saved file). A failed call still answers 200, with `error`.
import * as z from './schema.js';
import {ServiceError} from './errors.js';
import {HttpClient, type FixAdvisor} from './http.js';

export interface NzbgetClientOptions {
	/** Origin, e.g. http://127.0.0.1:6789. */
	url: string;
	username: string;
	password: string;
	timeoutMs?: number;
}

/** One option as NZBGet lists it. */
export interface NzbgetOption {
	Name: string;
	Value: string;
}

const optionsSchema = z.array(z.looseObject({Name: z.string(), Value: z.string()}));
const answerSchema = z.looseObject({result: z.optional(z.unknown()), error: z.nullable(z.optional(z.looseObject({name: z.optional(z.string()), code: z.optional(z.number()), message: z.optional(z.string())})))});

/** A category as NZBGet keeps it: Category<N>.Name and Category<N>.DestDir (empty: DestDir/<Name>). */
export interface NzbgetCategory {
	index: number;
	name: string;
	destDir: string;
}

/** The categories in a list of options, in their numbered order. */
export function categoriesOf(options: NzbgetOption[]): NzbgetCategory[] {
	const categories = new Map<number, NzbgetCategory>();
	for (const option of options) {
		const match = /^Category(\d+)\.(Name|DestDir)$/i.exec(option.Name);
		if (!match) {
			continue;
		}
		const index = Number(match[1]);
		const category = categories.get(index) ?? {index, name: '', destDir: ''};
		if (match[2]!.toLowerCase() === 'name') {
			category.name = option.Value;
		} else {
			category.destDir = option.Value;
		}
		categories.set(index, category);
	}
	return [...categories.values()].filter(category => category.name !== '').sort((a, b) => a.index - b.index);
}

export class NzbgetClient {
	readonly service = 'NZBGet' as const;
	readonly http: HttpClient;
	readonly username: string;

	constructor(options: NzbgetClientOptions) {
		this.username = options.username;
		this.http = new HttpClient({
			service: 'NZBGet',
			baseUrl: options.url,
			timeoutMs: options.timeoutMs,
			headers: () => ({authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`}),
			secrets: () => [options.password],
			advise: this.advise,
		});
	}

	get url(): string {
		return this.http.baseUrl;
	}

	async call<S extends z.ZodMiniType>(method: string, params: unknown[], schema: S): Promise<z.infer<S>> {
		const send = () => this.http.post('/jsonrpc', answerSchema, {json: {method, params, id: 1}});
		// NZBGet closes its connections after some answers without saying so; a pooled connection then fails on
		// reuse before NZBGet reads the request. One more try on a new connection is safe for every call but reload.
		const answer = await send().catch(async (error: unknown) => {
			if (method !== 'reload' && error instanceof ServiceError && error.kind === 'unreachable') {
				return send();
			}
			throw error;
		});
		if (answer.error) {
			throw new ServiceError({
				service: 'NZBGet',
				kind: 'bad-response',
				method: 'POST',
				url: this.http.url('/jsonrpc').toString(),
				status: 200,
				serviceMessage: `${method}: ${answer.error.message ?? answer.error.name ?? 'error'}`,
				fix: `NZBGet refused the call ${method}; is it NZBGet 21 or newer (Settings → System → about)?`,
			});
		}
		const parsed = schema.safeParse(answer.result);
		if (!parsed.success) {
			throw new ServiceError({service: 'NZBGet', kind: 'bad-response', method: 'POST', url: this.http.url('/jsonrpc').toString(), status: 200, serviceMessage: `${method}: unexpected answer`, fix: 'Is this NZBGet? Check the address.'});
		}
		return parsed.data;
	}

	/** "21.0"; the cheapest authenticated call (what Sonarr's own NZBGet test sends first). */
	version(): Promise<string> {
		return this.call('version', [], z.string());
	}

	/** The options NZBGet runs with now. */
	config(): Promise<NzbgetOption[]> {
		return this.call('config', [], optionsSchema);
	}

	/** nzbget.conf as saved (may differ from `config` until a reload). */
	loadConfig(): Promise<NzbgetOption[]> {
		return this.call('loadconfig', [], optionsSchema);
	}

	/** Writes nzbget.conf: `options` is the whole file, as loadConfig returned it with the changes made. */
	async saveConfig(options: NzbgetOption[]): Promise<void> {
		const saved = await this.call('saveconfig', [options], z.boolean());
		if (!saved) {
			throw new ServiceError({service: 'NZBGet', kind: 'server-error', method: 'POST', url: this.http.url('/jsonrpc').toString(), status: 200, serviceMessage: 'saveconfig: false', fix: 'NZBGet could not write nzbget.conf: check that its user can write the file.'});
		}
	}

	/** Restarts NZBGet with the saved configuration; its control port is away for a moment. */
	async reload(): Promise<void> {
		await this.call('reload', [], z.boolean());
	}

	/** The running categories. */
	async categories(): Promise<NzbgetCategory[]> {
		return categoriesOf(await this.config());
	}

	private readonly advise: FixAdvisor = kind => {
		if (kind === 'unauthorized') {
			return 'NZBGet refused the username or password: they are ControlUsername and ControlPassword in nzbget.conf (NZBGet → Settings → Security).';
		}
		return undefined;
	};
}
