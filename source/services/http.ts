// The one place arrwire talks HTTP: a deadline for the whole exchange, a size cap on every answer, no credential
// sent across origins, retry on idempotent reads, typed errors, secret redaction.
import type * as z from './schema.js';
import {errorMessage, ServiceError, type FailureKind, type ServiceName, type ValidationFailure} from './errors.js';
import {valueText} from './provider.js';
import {redact, redactUrl, rememberSecrets, rememberSentSecrets} from './redact.js';
import {isCertificateError, peerCertificate, PIN_MISMATCH, trustedFingerprint} from './tls.js';
import {serviceFetch} from './transport.js';

/**
 * ky, loaded by the first request: as it loads it builds a Request, and Node loads undici for that (tens of
 * milliseconds), so a command starts looking for its services before, not after.
 */
let kyLoading: Promise<typeof import('ky').default> | undefined;
function loadKy(): Promise<typeof import('ky').default> {
	kyLoading ??= import('ky').then(module => module.default);
	return kyLoading;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
	query?: Query;
	json?: unknown;
	/** Sent as application/x-www-form-urlencoded (qBittorrent). */
	form?: Record<string, string>;
	headers?: Record<string, string>;
	/**
	 * 'follow' (the default) follows redirects within the same origin only; 'manual' lets the caller see a redirect
	 * (URL-base detection) instead of following it.
	 */
	redirect?: 'follow' | 'manual';
	/** The deadline of the whole exchange: headers and body, every redirect and retry. */
	timeoutMs?: number;
	/** The largest answer taken; more is an error. */
	maxBytes?: number;
	/** Statuses the caller handles itself instead of getting a ServiceError. */
	accept?: number[];
	/**
	 * What a request other than a read does, for the command's memo (RequestMemo): 'test' is a service's own test
	 * (asked once per command, its verdict shared), 'login' changes nothing arrwire reads, 'change' is a GET that
	 * changes something (SABnzbd's API changes its settings through GET). Any other request but a GET is a change.
	 */
	effect?: 'test' | 'login' | 'change';
	/** A read asked afresh every time (a poll): never answered from the memo. */
	fresh?: boolean;
}

/** A request as the memo sees it: which service it went to, and the path under that service's address. */
export interface MemoTarget {
	service: ServiceName;
	path: string;
}

/** A remembered answer: a read, or a service's own test. */
export interface Remembered extends MemoTarget {
	test: boolean;
}

const SERVARR: ServiceName[] = ['Sonarr', 'Radarr', 'Prowlarr'];
const SEERR_TESTS = /\/settings\/(sonarr|radarr)\/test\/?$/i;

/**
 * The resource a path names, for the memo: what a write to it can change of what that service answers; undefined:
 * the whole service. Servarr: the segment after /api/vN (an indexer write changes indexerstatus too); Jellyfin: the
 * first segment (a library option or path change shows in /Library/VirtualFolders); every other service is one
 * resource: qBittorrent's categories show in its preferences and torrents, Jellyseerr's settings show in its public
 * settings, NZBGet and SABnzbd answer every call at one address.
 */
export function resourceOf({service, path}: MemoTarget): string | undefined {
	const segments = path.split('?')[0]!.split('/').filter(Boolean).map(segment => segment.toLowerCase());
	if (SERVARR.includes(service)) {
		const resource = segments[0] === 'api' && /^v\d+$/.test(segments[1] ?? '') ? segments[2] : undefined;
		// Sonarr's and Radarr's commands may change anything they hold; Prowlarr's change what it pushes to its
		// applications (ApplicationIndexerSync), not its own indexers or applications.
		if (resource === undefined || (resource === 'command' && service !== 'Prowlarr')) {
			return undefined;
		}
		return resource.replace(/(?<=.)status$/, '');
	}
	if (service === 'Jellyfin') {
		// The startup wizard's writes change what the server says of itself and its users.
		return segments[0] === undefined || segments[0] === 'startup' ? undefined : segments[0];
	}
	return undefined;
}

/**
 * Whether `change` (a write through one of the command's clients) may have made `remembered` stale. On its own
 * service, a write makes stale what it writes to (resourceOf), and a health check; a schema never changes. Across
 * services, writes reach further:
 * - every service's own test, after any write (the test runs again: a new qBittorrent password fails Sonarr's),
 *   but Jellyseerr's of a Sonarr or Radarr, which depends on that service alone; and every Servarr's health (it
 *   reports on its download clients, indexers and applications);
 * - Prowlarr syncs its indexers into the applications it knows (Prowlarr ApplicationService): any Prowlarr write
 *   changes Sonarr's and Radarr's indexers (and the tags they carry);
 * - Sonarr and Radarr test a download client when it is saved, and their qBittorrent test adds a category that is
 *   missing (Sonarr src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrent.cs, TestCategory): a write to them
 *   changes what a download client answers;
 * - Jellyseerr reads Jellyfin live (its users, its libraries: /settings/jellyfin/…): a write to Jellyfin changes
 *   what those answer; Jellyseerr's sign-in makes itself a Jellyfin API key (createApiToken, Jellyseerr
 *   server/api/jellyfin.ts) and a session.
 */
export function staleAfter(change: MemoTarget, remembered: Remembered): boolean {
	if (remembered.test) {
		const servarr = remembered.service === 'Jellyseerr' ? SEERR_TESTS.exec(remembered.path)?.[1] : undefined;
		// Jellyseerr tests a Sonarr or Radarr with what it is sent, nothing it keeps (Jellyseerr
		// server/routes/settings/sonarr.ts, radarr.ts): only a write to that service (or Prowlarr's sync into it) counts.
		return servarr === undefined || [servarr, 'prowlarr'].includes(change.service.toLowerCase());
	}
	const resource = resourceOf(remembered);
	if (SERVARR.includes(remembered.service) && resource === 'health') {
		return true;
	}
	if (remembered.service === change.service) {
		if (SERVARR.includes(remembered.service) && /\/schema\/?$/i.test(remembered.path.split('?')[0]!)) {
			return false;
		}
		const written = resourceOf(change);
		return written === undefined || resource === undefined || written === resource;
	}
	if ((change.service === 'Sonarr' || change.service === 'Radarr') && ['qBittorrent', 'NZBGet', 'SABnzbd'].includes(remembered.service)) {
		return true;
	}
	if (change.service === 'Prowlarr' && (remembered.service === 'Sonarr' || remembered.service === 'Radarr')) {
		return resource === 'indexer' || resource === 'tag';
	}
	if (change.service === 'Jellyfin') {
		return remembered.service === 'Jellyseerr' && /\/settings\/jellyfin\//i.test(remembered.path);
	}
	if (change.service === 'Jellyseerr' && remembered.service === 'Jellyfin') {
		return resource === undefined || ['auth', 'sessions', 'devices', 'users'].includes(resource);
	}
	return false;
}

/**
 * One command's memory of what it asked: the same read, or the same service test, asked again is answered from here
 * instead of on the wire. A change forgets what it may have made stale (staleAfter), no more: a read of Jellyfin's
 * libraries survives a write to Sonarr's download clients, a read of the download clients does not.
 */
export class RequestMemo {
	/** Requests answered from the memo instead of the wire. */
	saved = 0;
	private readonly answers = new Map<string, {asked: Promise<HttpResponse>; what: Remembered}>();

	/** Services a write went to that ended without an answer: it may still land, so their reads are not kept. */
	private readonly unsettled = new Set<ServiceName>();

	async answer(key: string, what: Remembered, ask: () => Promise<HttpResponse>): Promise<HttpResponse> {
		if (this.unsettled.has(what.service)) {
			return ask();
		}
		const known = this.answers.get(key);
		if (known) {
			this.saved++;
			return known.asked;
		}
		const asked = ask();
		this.answers.set(key, {asked, what});
		// A failed read is asked again next time; a failed test is the test's verdict, kept like a passed one.
		const drop = () => {
			if (!what.test && this.answers.get(key)?.asked === asked) {
				this.answers.delete(key);
			}
		};
		asked.then(response => {
			if (response.status < 200 || response.status >= 300) {
				drop();
			}
		}, drop);
		return asked;
	}

	/** A write to this service ended without an answer (a deadline, a dropped connection): it may land at any time. */
	unsettle(change: MemoTarget): void {
		this.unsettled.add(change.service);
		this.forget(change);
	}

	/** Forgets what `change` may make stale; with no change named, everything. */
	forget(change?: MemoTarget): void {
		for (const [key, {what}] of this.answers) {
			if (!change || staleAfter(change, what)) {
				this.answers.delete(key);
			}
		}
	}
}

export interface HttpResponse {
	status: number;
	headers: Headers;
	text: string;
	url: string;
}

/** What a service client adds: how to explain a failure of that service to the user. */
export type FixAdvisor = (kind: FailureKind, context: {status?: number; method: string; path: string}) => string | undefined;

export interface HttpClientOptions {
	service: ServiceName;
	/** Origin plus URL base, e.g. http://127.0.0.1:8989/sonarr; no trailing slash needed. */
	baseUrl: string;
	timeoutMs?: number;
	maxBytes?: number;
	headers?: () => Record<string, string>;
	/** Every secret this client knows, so that none of them can leak into an error. */
	secrets?: () => Array<string | undefined>;
	advise?: FixAdvisor;
}

export const USER_AGENT = 'arrwire';
const DEFAULT_TIMEOUT_MS = 10_000;
/** No answer of these APIs comes near this (the largest are Prowlarr's indexer schema, ~2 MB). */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const RETRIED_STATUSES = [408, 429, 502, 503, 504];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export class HttpClient {
	readonly service: ServiceName;
	readonly baseUrl: string;
	/** Requests sent on the wire (answers from the memo not counted). */
	requestCount = 0;
	/** The command's memo, shared by every client of one command (see RequestMemo); none: every request is sent. */
	memo?: RequestMemo;
	private readonly options: HttpClientOptions;

	constructor(options: HttpClientOptions) {
		this.options = options;
		this.service = options.service;
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
		rememberSecrets(this.secrets());
	}

	url(path: string, query?: Query): URL {
		const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
		for (const [key, value] of Object.entries(query ?? {})) {
			if (value !== undefined) {
				url.searchParams.set(key, String(value));
			}
		}
		return url;
	}

	secrets(): string[] {
		return (this.options.secrets?.() ?? []).filter((value): value is string => Boolean(value));
	}

	/** Sends a request; any status outside 2xx (and outside `accept`) becomes a ServiceError. */
	async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
		const memo = this.memo;
		if (!memo) {
			return this.send(method, path, options);
		}
		const isRead = (method === 'GET' || method === 'HEAD') && options.effect !== 'change';
		if ((isRead && !options.fresh && options.redirect !== 'manual') || options.effect === 'test') {
			const key = JSON.stringify([method, this.url(path, options.query).toString(), options.json, options.form, options.accept, {...this.options.headers?.(), ...options.headers}]);
			return memo.answer(key, {service: this.service, path, test: options.effect === 'test'}, async () => this.send(method, path, options));
		}
		if (isRead || options.effect === 'login') {
			return this.send(method, path, options);
		}
		// A change: what it may change, read before it, may be stale during it and after it.
		const change = {service: this.service, path};
		memo.forget(change);
		try {
			return await this.send(method, path, options);
		} catch (error) {
			if (error instanceof ServiceError && (error.kind === 'timeout' || error.kind === 'unreachable')) {
				memo.unsettle(change);
			}
			throw error;
		} finally {
			memo.forget(change);
		}
	}

	private async send(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
		const url = this.url(path, options.query);
		const isRead = method === 'GET' || method === 'HEAD';
		// Named, so that a service's log (and the lab's count of requests) tells arrwire's requests from others'.
		const headers: Record<string, string> = {'user-agent': USER_AGENT, ...this.options.headers?.(), ...options.headers};
		// Whatever this request carries is a secret of the run from now on, whichever service later quotes it.
		rememberSecrets(this.secrets());
		rememberSentSecrets(options.form);
		rememberSentSecrets(options.json);
		let body: string | URLSearchParams | undefined;
		if (options.form) {
			body = new URLSearchParams(options.form);
		} else if (options.json !== undefined) {
			body = JSON.stringify(options.json);
			headers['content-type'] = 'application/json';
		}

		this.requestCount++;
		const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const maxBytes = options.maxBytes ?? this.options.maxBytes ?? DEFAULT_MAX_BYTES;
		const ky = await loadKy();
		// One deadline for the whole exchange: ky's own timeout stops at the headers, a trickled body would not.
		const deadline = new AbortController();
		const timer = setTimeout(() => deadline.abort(), timeoutMs);
		const expired = () => this.error('timeout', method, url, undefined, `no complete answer within ${seconds(timeoutMs)}`);
		try {
			let target = url;
			let currentMethod = method;
			for (let redirects = 0; ; redirects++) {
				// An address with a trusted certificate is reached by a connection that checks it before sending anything.
				const pin = target.protocol === 'https:' ? trustedFingerprint(target) : undefined;
				let response: Response;
				try {
					response = await ky(target, {
						fetch: serviceFetch(pin),
						method: currentMethod,
						headers,
						body,
						// Redirects are followed here, by hand: fetch would re-send the key to whatever origin it is sent to.
						redirect: 'manual',
						signal: deadline.signal,
						timeout: false,
						throwHttpErrors: false,
						// A certificate does not change between two tries: no retry for that.
						retry: isRead ? {limit: 2, methods: ['get', 'head'], statusCodes: RETRIED_STATUSES, backoffLimit: 1000, shouldRetry: ({error}) => (isCertificateError(errorCode(error)) ? false : undefined)} : 0,
					});
				} catch (error) {
					throw deadline.signal.aborted ? expired() : await this.networkError(error, method, target);
				}

				const location = response.headers.get('location');
				if (options.redirect !== 'manual' && REDIRECT_STATUSES.includes(response.status) && location !== null) {
					void response.body?.cancel().catch(() => undefined);
					let next: URL;
					try {
						next = new URL(location, target);
					} catch {
						throw this.error('bad-response', method, url, response.status, `redirected to an invalid address: ${location}`);
					}
					if (next.origin !== url.origin) {
						throw this.crossOriginRedirect(method, url, path, next, response.status);
					}
					if (redirects >= MAX_REDIRECTS) {
						throw this.error('redirect', method, url, response.status, `redirected more than ${MAX_REDIRECTS} times (last to ${location})`);
					}
					// As fetch does: a 303, or a 301/302 after a POST, is followed with a GET and no body.
					if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
						currentMethod = 'GET';
						body = undefined;
						delete headers['content-type'];
					}
					target = next;
					continue;
				}

				const text = currentMethod === 'HEAD' ? '' : await this.readBody(response, maxBytes, method, url, expired, deadline);
				const result: HttpResponse = {status: response.status, headers: response.headers, text, url: target.toString()};
				const accepted = options.accept?.includes(response.status) ?? false;
				if (!accepted && (response.status < 200 || response.status >= 300)) {
					throw this.statusError(result, method, url);
				}
				return result;
			}
		} finally {
			clearTimeout(timer);
		}
	}

	/** Reads the body as a stream, counting bytes: more than `maxBytes` or past the deadline cancels it. */
	private async readBody(response: Response, maxBytes: number, method: string, url: URL, expired: () => ServiceError, deadline: AbortController): Promise<string> {
		if (!response.body) {
			return '';
		}
		const tooLarge = () => {
			deadline.abort();
			return this.error('too-large', method, url, response.status, `${this.service} at ${this.baseUrl} sent more than ${size(maxBytes)}; that is not an answer ${this.service} gives`);
		};
		const declared = Number(response.headers.get('content-length') ?? '');
		if (Number.isFinite(declared) && declared > maxBytes) {
			throw tooLarge();
		}
		const reader = (response.body as ReadableStream<Uint8Array>).getReader();
		const chunks: Uint8Array[] = [];
		let received = 0;
		try {
			for (;;) {
				const {done, value} = await reader.read();
				if (done) {
					break;
				}
				received += value.byteLength;
				if (received > maxBytes) {
					void reader.cancel().catch(() => undefined);
					throw tooLarge();
				}
				chunks.push(value);
			}
		} catch (error) {
			if (error instanceof ServiceError) {
				throw error;
			}
			throw deadline.signal.aborted ? expired() : await this.networkError(error, method, url);
		}
		return Buffer.concat(chunks).toString('utf8');
	}

	private crossOriginRedirect(method: string, url: URL, path: string, next: URL, status: number): ServiceError {
		const secrets = this.secrets();
		const to = redactUrl(next, secrets);
		// Where the same API lives over there: the new address minus the path that was asked for.
		const asked = path.startsWith('/') ? path : `/${path}`;
		const base = next.pathname.endsWith(asked) ? next.pathname.slice(0, -asked.length) : '';
		const pointAt = redactUrl(next.origin + base, secrets);
		const said = `${this.service} at ${this.baseUrl} redirects to ${to}; point arrwire at ${pointAt}`;
		return this.error('redirect', method, url, status, said, undefined, {fix: `${said} (arrwire does not follow a redirect to another address: it would hand over the credentials).`});
	}

	/** Sends a request and parses the JSON answer with `schema`. */
	async json<S extends z.ZodMiniType>(method: string, path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
		const response = await this.request(method, path, options);
		return this.parse(response, schema, method, path);
	}

	parse<S extends z.ZodMiniType>(response: HttpResponse, schema: S, method: string, path: string): z.infer<S> {
		let data: unknown;
		try {
			data = response.text === '' ? undefined : JSON.parse(response.text);
		} catch {
			throw this.error('bad-response', method, this.url(path), response.status, `expected JSON, got: ${snippet(response.text)}`);
		}
		const parsed = schema.safeParse(data);
		if (!parsed.success) {
			const problem = parsed.error.issues
				.slice(0, 3)
				.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
				.join('; ');
			throw this.error('bad-response', method, this.url(path), response.status, `unexpected answer (${problem})`);
		}
		return parsed.data;
	}

	get<S extends z.ZodMiniType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('GET', path, schema, options);
	}

	post<S extends z.ZodMiniType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('POST', path, schema, options);
	}

	put<S extends z.ZodMiniType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('PUT', path, schema, options);
	}

	async delete(path: string, options?: RequestOptions): Promise<void> {
		await this.request('DELETE', path, options);
	}

	/** `more.fix` replaces the advice for this kind; `more.fingerprint256` names the certificate of a 'certificate' error. */
	error(kind: FailureKind, method: string, url: URL | string, status?: number, serviceMessage?: string, validation?: ValidationFailure[], more: {fix?: string; fingerprint256?: string} = {}): ServiceError {
		const secrets = this.secrets();
		const path = new URL(String(url)).pathname;
		const fix = more.fix ?? this.options.advise?.(kind, {status, method, path}) ?? defaultFix(this.service, kind, this.baseUrl);
		return new ServiceError({
			service: this.service,
			kind,
			method,
			url: redactUrl(url, secrets),
			status,
			serviceMessage: serviceMessage === undefined ? undefined : redact(serviceMessage, secrets),
			validation: validation?.map(failure => ({
				...failure,
				errorMessage: redact(failure.errorMessage, secrets),
				detailedDescription: failure.detailedDescription ? redact(failure.detailedDescription, secrets) : failure.detailedDescription,
			})),
			fix: redact(fix, secrets),
			fingerprint256: more.fingerprint256,
		});
	}

	private async networkError(error: unknown, method: string, url: URL): Promise<ServiceError> {
		const cause = (error as {cause?: {code?: string; message?: string}})?.cause;
		const code = errorCode(error);
		if (isCertificateError(code)) {
			return this.certificateError(error, code!, method, url);
		}
		const reason = code ?? cause?.message ?? errorMessage(error);
		return this.error('unreachable', method, url, undefined, reason);
	}

	/** What a certificate problem is, in words, with the fingerprint the user can compare and trust. */
	private async certificateError(error: unknown, code: string, method: string, url: URL): Promise<ServiceError> {
		const at = `${this.service} at ${url.origin}`;
		if (code === PIN_MISMATCH) {
			const seen = (error as {fingerprint256?: string}).fingerprint256 ?? '(none)';
			return this.error('certificate', method, url, undefined, `${at} presented a certificate other than the one trusted for it (its SHA-256 fingerprint is ${seen}, the trusted one is ${trustedFingerprint(url)}); nothing was sent`, undefined, {
				fix: `If ${this.service}'s certificate was renewed, run arrwire discover in a terminal to trust the new one; if not, something else answers at ${url.origin}: find out what before trusting it.`,
				fingerprint256: seen,
			});
		}
		const peer = await peerCertificate(url, 2000);
		const what =
			code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || peer?.selfSigned
				? 'self-signed'
				: code === 'ERR_TLS_CERT_ALTNAME_INVALID'
					? `made out for another name than ${url.hostname}`
					: code === 'CERT_HAS_EXPIRED'
						? 'expired'
						: 'issued by an authority this machine does not know';
		const fingerprint = peer?.fingerprint256 ?? '(could not be read)';
		return this.error('certificate', method, url, undefined, `${at} uses a certificate this machine does not trust (${what}, ${code}); its SHA-256 fingerprint is ${fingerprint}`, undefined, {
			fix: `If that is your ${this.service}'s certificate (compare the fingerprint with the one it shows), trust this exact certificate: run arrwire discover in a terminal and answer yes to "Trust this certificate?". Or give this machine the authority that issued it (NODE_EXTRA_CA_CERTS=/path/to/ca.pem). arrwire never turns certificate checks off.`,
			fingerprint256: peer?.fingerprint256,
		});
	}

	private statusError(response: HttpResponse, method: string, url: URL): ServiceError {
		const {status} = response;
		const {message, validation} = readServiceMessage(response.text);
		let kind: FailureKind;
		if (status >= 300 && status < 400) {
			kind = 'redirect';
			const location = response.headers.get('location');
			return this.error(kind, method, url, status, location ? `redirected to ${location}` : message);
		} else if (status === 400 || status === 422) {
			kind = 'validation';
		} else if (status === 401) {
			kind = 'unauthorized';
		} else if (status === 403) {
			kind = 'forbidden';
		} else if (status === 404) {
			kind = 'not-found';
		} else if (status === 409) {
			kind = 'conflict';
		} else if (status >= 500) {
			kind = 'server-error';
		} else {
			kind = 'bad-response';
		}
		return this.error(kind, method, url, status, message, validation);
	}
}

/** Reads what a service said in an error body: a Servarr validation array, {message}, {error}, or text. */
export function readServiceMessage(text: string): {message?: string; validation?: ValidationFailure[]} {
	if (!text) {
		return {};
	}
	try {
		const data: unknown = JSON.parse(text);
		if (Array.isArray(data)) {
			const validation = data
				.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && 'errorMessage' in item)
				.map(item => ({
					propertyName: valueText(item.propertyName),
					errorMessage: String(item.errorMessage),
					isWarning: item.isWarning === true,
					detailedDescription: typeof item.detailedDescription === 'string' ? item.detailedDescription : undefined,
					infoLink: typeof item.infoLink === 'string' ? item.infoLink : undefined,
				}));
			return {validation, message: validation.map(failure => failure.errorMessage).join('; ') || undefined};
		}
		if (typeof data === 'object' && data !== null) {
			const record = data as Record<string, unknown>;
			for (const key of ['message', 'error', 'ErrorMessage', 'title']) {
				if (typeof record[key] === 'string') {
					const description = typeof record.description === 'string' ? ` (${record.description})` : '';
					return {message: record[key] + description};
				}
			}
		}
		if (typeof data === 'string') {
			return {message: data};
		}
	} catch {
		// Plain text (qBittorrent, Jellyfin) or HTML.
	}
	return {message: snippet(text)};
}

/** The system error code of a failed request: on the error itself (serviceFetch), or on its cause. */
function errorCode(error: unknown): string | undefined {
	return (error as {cause?: {code?: string}})?.cause?.code ?? (error as {code?: string})?.code;
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function size(bytes: number): string {
	return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

function snippet(text: string): string {
	const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

function defaultFix(service: ServiceName, kind: FailureKind, baseUrl: string): string {
	switch (kind) {
		case 'unreachable':
			return `Check that ${service} is running and listening at ${baseUrl}, and that nothing (a firewall, a wrong host or port) is in the way.`;
		case 'timeout':
			return `${service} at ${baseUrl} is slow or stuck; check its logs and load, then try again.`;
		case 'unauthorized':
			return `Check the ${service} credentials that arrwire uses.`;
		case 'redirect':
			return `${service} redirected the request; its URL base is probably missing from ${baseUrl}.`;
		case 'too-large':
			return `Check that ${baseUrl} is ${service} and not another program or a proxy in front of it.`;
		case 'server-error':
			return `${service} failed on its side; its log (System → Logs) says why.`;
		default:
			return `See the message from ${service} above.`;
	}
}
