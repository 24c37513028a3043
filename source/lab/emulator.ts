// The base every emulator stands on: an HTTP server on loopback with routes, a request log,
// spec checking of every request, and fault injection per endpoint.
import {createHash} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import type {SpecChecker} from './spec-check.js';
import {errorMessage} from '../services/errors.js';

export interface LabRequest {
	method: string;
	/** Path without the emulator's URL base and without the query string. */
	path: string;
	/** Path as received (with the URL base). */
	rawPath: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	/** Parsed JSON, or the form fields of a urlencoded body, or undefined. */
	body: unknown;
	rawBody: string;
	/** Path parameters of the matched route, e.g. {id: '3'}. */
	params: Record<string, string>;
	remoteAddress: string;
}

export interface LabResponse {
	status: number;
	/** An object or array is sent as JSON; a string as text/plain unless content-type says otherwise. */
	body?: unknown;
	headers?: Record<string, string | string[]>;
}

export type Handler = (request: LabRequest) => LabResponse | Promise<LabResponse>;

export interface RouteOptions {
	/** Anonymous routes skip the emulator's authenticate hook. */
	anonymous?: boolean;
	/** A page outside the API (the web UI, /initialize.json) that the OpenAPI file does not describe. */
	outsideApi?: boolean;
	/** A POST that changes nothing (a connection test): not counted as a write. */
	changesNothing?: boolean;
}

export interface Fault {
	method?: string;
	/** A route pattern as registered ('/api/v3/downloadclient/{id}') or a literal path. */
	path: string;
	/** Answer with this status and body instead of running the handler. */
	status?: number;
	body?: unknown;
	/** Destroy the connection without answering. */
	reset?: boolean;
	/** Wait this long before answering (or resetting). */
	delayMs?: number;
	/** How many matching requests it applies to; unlimited when absent. */
	times?: number;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: string;
	status: number;
	/** True when the handler ran a write (anything but GET/HEAD) and answered 2xx. */
	wrote: boolean;
	/** Who sent it, by its User-Agent: arrwire names itself; a service calling another does not. */
	agent?: string;
	/** A digest of the body and the credential sent (never the values): two requests alike differ in none of them. */
	sent: string;
	/** Whether it carried a credential (a header, a cookie or an apikey in the query): one without is a probe. */
	credential: boolean;
}

export interface EmulatorOptions {
	name: string;
	host?: string;
	port?: number;
	/** URL base, e.g. '/sonarr'; requests without it are answered by `onMissingUrlBase`. */
	urlBase?: string;
	spec?: SpecChecker;
}

interface Route {
	method: string;
	pattern: string;
	regex: RegExp;
	names: string[];
	handler: Handler;
	options: RouteOptions;
}

export abstract class Emulator {
	readonly name: string;
	readonly host: string;
	urlBase: string;
	readonly log: LoggedRequest[] = [];
	readonly violations: string[] = [];
	protected spec?: SpecChecker;
	private readonly routes: Route[] = [];
	private faults: Array<Fault & {remaining: number}> = [];
	private server?: http.Server;
	private readonly sockets = new Set<Socket>();
	private requestedPort: number;
	private boundPort = 0;

	constructor(options: EmulatorOptions) {
		this.name = options.name;
		this.host = options.host ?? '127.0.0.1';
		this.requestedPort = options.port ?? 0;
		this.urlBase = normalizeUrlBase(options.urlBase ?? '');
		this.spec = options.spec;
	}

	get port(): number {
		return this.boundPort;
	}

	/** The URL a client uses, with the URL base. */
	get url(): string {
		return `http://${this.host}:${this.port}${this.urlBase}`;
	}

	/** Decides whether a non-anonymous request may pass; return a response to refuse it. */
	protected abstract authenticate(request: LabRequest): LabResponse | undefined;

	/** What the service does with a request that lacks its URL base; undefined means 404. */
	protected onMissingUrlBase(_request: LabRequest): LabResponse | undefined {
		return undefined;
	}

	/** How the service answers a request that fits no route. */
	protected notFound(_request: LabRequest): LabResponse {
		return {status: 404, body: ''};
	}

	route(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): void {
		const names: string[] = [];
		const source = pattern
			.split(/(\{[^}]+\})/)
			.map(part => {
				const match = /^\{([^}]+)\}$/.exec(part);
				if (match) {
					names.push(match[1]!);
					return '([^/]+)';
				}
				return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
			})
			.join('');
		this.routes.push({method: method.toUpperCase(), pattern, regex: new RegExp(`^${source}$`, 'i'), names, handler, options});
	}

	inject(fault: Fault): void {
		this.faults.push({...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY});
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** Requests that changed state (2xx writes), for idempotency checks. */
	writes(): LoggedRequest[] {
		return this.log.filter(entry => entry.wrote);
	}

	async start(): Promise<void> {
		this.server = http.createServer((incoming, outgoing) => {
			void this.handle(incoming, outgoing);
		});
		this.server.on('connection', socket => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.requestedPort, this.host, () => resolve());
		});
		this.boundPort = (this.server.address() as AddressInfo).port;
		this.requestedPort = this.boundPort;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) {
			return;
		}
		this.server = undefined;
		for (const socket of this.sockets) {
			socket.destroy();
		}
		await new Promise<void>(resolve => server.close(() => resolve()));
	}

	/** Stops and starts again on the same port, keeping all state (a service restart). */
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	private async handle(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
		const rawBody = await readBody(incoming);
		const url = new URL(incoming.url ?? '/', 'http://emulator');
		const request: LabRequest = {
			method: (incoming.method ?? 'GET').toUpperCase(),
			path: url.pathname,
			rawPath: url.pathname,
			query: url.searchParams,
			headers: incoming.headers,
			body: parseBody(rawBody, incoming.headers['content-type']),
			rawBody,
			params: {},
			remoteAddress: incoming.socket.remoteAddress ?? '',
		};

		let response: LabResponse | undefined;
		let wrote = false;
		let matched: Route | undefined;
		try {
			if (this.urlBase) {
				if (request.path.toLowerCase().startsWith(this.urlBase.toLowerCase() + '/') || request.path.toLowerCase() === this.urlBase.toLowerCase()) {
					request.path = request.path.slice(this.urlBase.length) || '/';
				} else {
					response = this.onMissingUrlBase(request) ?? this.notFound(request);
				}
			}
			if (!response) {
				matched = this.match(request);
				const fault = this.takeFault(request, matched);
				if (fault) {
					if (fault.delayMs) {
						await sleep(fault.delayMs);
					}
					if (fault.reset) {
						this.record(request, 0, false);
						incoming.socket.destroy();
						return;
					}
					if (fault.status !== undefined) {
						response = {status: fault.status, body: fault.body ?? ''};
					}
				}
			}
			if (!response) {
				if (!matched) {
					response = this.notFound(request);
				} else {
					if (!matched.options.anonymous) {
						response = this.authenticate(request);
					}
					if (!response && this.spec && !matched.options.outsideApi) {
						const problems = this.spec.check(request.method, request.path, request.query, request.body, request.headers['content-type']);
						if (problems.length > 0) {
							const text = `${this.name}: ${request.method} ${request.path}${url.search ? '?' + redactQuery(url.searchParams) : ''} does not fit the OpenAPI spec: ${problems.join('; ')}`;
							this.violations.push(text);
							response = this.specRejection(problems);
						}
					}
					if (!response) {
						response = await matched.handler(request);
						wrote = request.method !== 'GET' && request.method !== 'HEAD' && !matched.options.changesNothing && response.status >= 200 && response.status < 300;
					}
				}
			}
		} catch (error) {
			response = {status: 500, body: {message: errorMessage(error)}};
		}
		this.record(request, response.status, wrote);
		send(outgoing, response, request.method === 'HEAD');
	}

	/** How a request that does not fit the spec is refused (Jellyseerr's validator shape by default). */
	protected specRejection(problems: string[]): LabResponse {
		return {status: 400, body: {message: `request does not fit the OpenAPI spec: ${problems.join('; ')}`, errors: problems.map(message => ({message}))}};
	}

	private match(request: LabRequest): Route | undefined {
		for (const route of this.routes) {
			if (route.method !== request.method && !(request.method === 'HEAD' && route.method === 'GET')) {
				continue;
			}
			const match = route.regex.exec(request.path);
			if (match) {
				request.params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
				return route;
			}
		}
		return undefined;
	}

	private takeFault(request: LabRequest, route: Route | undefined): Fault | undefined {
		const fault = this.faults.find(
			candidate =>
				candidate.remaining > 0 &&
				(!candidate.method || candidate.method.toUpperCase() === request.method) &&
				(candidate.path.toLowerCase() === request.path.toLowerCase() || candidate.path === route?.pattern),
		);
		if (fault) {
			fault.remaining--;
		}
		return fault;
	}

	private record(request: LabRequest, status: number, wrote: boolean): void {
		const agent = request.headers['user-agent'];
		const {authorization, cookie} = request.headers;
		const sent = createHash('sha256')
			.update(JSON.stringify([request.rawBody, authorization, cookie, request.headers['x-api-key'], request.headers['x-emby-token'], request.headers['x-mediabrowser-token']]))
			.digest('hex')
			.slice(0, 12);
		const credential = [authorization, cookie, request.headers['x-api-key'], request.headers['x-emby-token'], request.headers['x-mediabrowser-token'], request.query.get('apikey')].some(Boolean);
		this.log.push({method: request.method, path: request.path, query: redactQuery(request.query), status, wrote, agent, sent, credential});
	}
}

export function normalizeUrlBase(urlBase: string): string {
	const trimmed = urlBase.trim().replace(/^\/+|\/+$/g, '');
	return trimmed ? `/${trimmed}` : '';
}

function redactQuery(query: URLSearchParams): string {
	const copy = new URLSearchParams(query);
	for (const key of [...copy.keys()]) {
		if (/^(apikey|api_key|token|access_token)$/i.test(key)) {
			copy.set(key, '********');
		}
	}
	return copy.toString();
}

function readBody(incoming: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		incoming.on('error', reject);
	});
}

function parseBody(raw: string, contentType: string | undefined): unknown {
	if (!raw) {
		return undefined;
	}
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(raw));
	}
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function send(outgoing: http.ServerResponse, response: LabResponse, head: boolean): void {
	const headers: Record<string, string | string[]> = {...response.headers};
	let payload = '';
	const hasType = Object.keys(headers).some(key => key.toLowerCase() === 'content-type');
	if (typeof response.body === 'string') {
		payload = response.body;
		if (!hasType && payload) {
			headers['content-type'] = 'text/plain; charset=utf-8';
		}
	} else if (response.body !== undefined) {
		payload = JSON.stringify(response.body);
		if (!hasType) {
			headers['content-type'] = 'application/json; charset=utf-8';
		}
	}
	headers['content-length'] = String(Buffer.byteLength(payload));
	outgoing.writeHead(response.status, headers);
	outgoing.end(head ? undefined : payload);
}

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}

/** Reads a header case-insensitively (node lower-cases them already; arrays are joined). */
export function header(request: LabRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}
