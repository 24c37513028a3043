// The one place arrwire talks HTTP: timeouts, retry on idempotent reads, typed errors, secret redaction.
import ky, {TimeoutError} from 'ky';
import type {z} from 'zod';
import {ServiceError, type FailureKind, type ServiceName, type ValidationFailure} from './errors.js';
import {redact, redactUrl} from './redact.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
	query?: Query;
	json?: unknown;
	/** Sent as application/x-www-form-urlencoded (qBittorrent). */
	form?: Record<string, string>;
	headers?: Record<string, string>;
	/** 'manual' lets the caller see a redirect (URL-base detection) instead of following it. */
	redirect?: 'follow' | 'manual';
	timeoutMs?: number;
	/** Statuses the caller handles itself instead of getting a ServiceError. */
	accept?: number[];
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
	headers?: () => Record<string, string>;
	/** Every secret this client knows, so that none of them can leak into an error. */
	secrets?: () => Array<string | undefined>;
	advise?: FixAdvisor;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const RETRIED_STATUSES = [408, 429, 502, 503, 504];

export class HttpClient {
	readonly service: ServiceName;
	readonly baseUrl: string;
	requestCount = 0;
	private readonly options: HttpClientOptions;

	constructor(options: HttpClientOptions) {
		this.options = options;
		this.service = options.service;
		this.baseUrl = options.baseUrl.replace(/\/+$/, '');
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
		const url = this.url(path, options.query);
		const isRead = method === 'GET' || method === 'HEAD';
		const headers = {...this.options.headers?.(), ...options.headers};
		let body: string | URLSearchParams | undefined;
		if (options.form) {
			body = new URLSearchParams(options.form);
		} else if (options.json !== undefined) {
			body = JSON.stringify(options.json);
			headers['content-type'] = 'application/json';
		}

		this.requestCount++;
		let response: Response;
		try {
			response = await ky(url, {
				method,
				headers,
				body,
				redirect: options.redirect ?? 'follow',
				timeout: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				throwHttpErrors: false,
				retry: isRead ? {limit: 2, methods: ['get', 'head'], statusCodes: RETRIED_STATUSES, backoffLimit: 1000} : 0,
			});
		} catch (error) {
			throw this.networkError(error, method, url);
		}

		const text = method === 'HEAD' ? '' : await response.text();
		const result: HttpResponse = {status: response.status, headers: response.headers, text, url: response.url || url.toString()};
		const accepted = options.accept?.includes(response.status) ?? false;
		if (!accepted && (response.status < 200 || response.status >= 300)) {
			throw this.statusError(result, method, url);
		}
		return result;
	}

	/** Sends a request and parses the JSON answer with `schema`. */
	async json<S extends z.ZodType>(method: string, path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
		const response = await this.request(method, path, options);
		return this.parse(response, schema, method, path);
	}

	parse<S extends z.ZodType>(response: HttpResponse, schema: S, method: string, path: string): z.infer<S> {
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

	get<S extends z.ZodType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('GET', path, schema, options);
	}

	post<S extends z.ZodType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('POST', path, schema, options);
	}

	put<S extends z.ZodType>(path: string, schema: S, options?: RequestOptions) {
		return this.json('PUT', path, schema, options);
	}

	async delete(path: string, options?: RequestOptions): Promise<void> {
		await this.request('DELETE', path, options);
	}

	error(kind: FailureKind, method: string, url: URL | string, status?: number, serviceMessage?: string, validation?: ValidationFailure[]): ServiceError {
		const secrets = this.secrets();
		const path = new URL(String(url)).pathname;
		const fix = this.options.advise?.(kind, {status, method, path}) ?? defaultFix(this.service, kind, this.baseUrl);
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
		});
	}

	private networkError(error: unknown, method: string, url: URL): ServiceError {
		if (error instanceof TimeoutError) {
			return this.error('timeout', method, url, undefined, 'no answer before the time limit');
		}
		const cause = (error as {cause?: {code?: string; message?: string}})?.cause;
		const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
		return this.error('unreachable', method, url, undefined, reason);
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
					propertyName: String(item.propertyName ?? ''),
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
		case 'server-error':
			return `${service} failed on its side; its log (System → Logs) says why.`;
		default:
			return `See the message from ${service} above.`;
	}
}
