// Low-level probes for discovery: a TCP connect with a short timeout, and a small anonymous HTTP(S) request
// that never follows redirects and reads at most a few kilobytes. Service clients (ky) come later, once a
// service is known; probing needs finer control over timeouts, TLS and redirects than they give.
import http from 'node:http';
import https from 'node:https';
import {Socket} from 'node:net';
import {errorMessage} from '../services/errors.js';

export interface ProbeAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface ProbeFailure {
	error: string;
}

const BODY_LIMIT = 64 * 1024;

/**
 * How a sweep connects: at most `concurrency` connects at once, each given up after `connectTimeoutMs` (an address
 * that drops the SYN); of them at most `fresh` younger than `slowAfterMs`. An answer, a refusal too, comes within a
 * round trip: the young connects are what moves a sweep on, and fewer of them at once cost less than many. One that
 * has waited longer is likely at an address that never answers; it steps aside and waits among the old ones.
 */
export const SWEEP = {concurrency: 1024, fresh: 64, slowAfterMs: 50, connectTimeoutMs: 400};

export interface SweepOptions {
	concurrency?: number;
	fresh?: number;
	slowAfterMs?: number;
	timeoutMs?: number;
	/** Told each open port the moment it is found. */
	onOpen?: (target: {host: string; port: number}) => void;
	/** How one port is tried (tcpOpen); the tests give their own. */
	connect?: (host: string, port: number, timeoutMs: number) => Promise<boolean>;
}

/** TCP connect sweep: which host:port pairs accept a connection, in the order given. */
export function sweep(hosts: readonly string[], ports: readonly number[], options: SweepOptions = {}): Promise<Array<{host: string; port: number}>> {
	const targets = hosts.flatMap(host => ports.map(port => ({host, port})));
	const most = Math.max(1, options.concurrency ?? SWEEP.concurrency);
	const mostFresh = Math.min(Math.max(1, options.fresh ?? SWEEP.fresh), most);
	const slowAfterMs = options.slowAfterMs ?? SWEEP.slowAfterMs;
	const timeoutMs = options.timeoutMs ?? SWEEP.connectTimeoutMs;
	const connect = options.connect ?? tcpOpen;
	const open = new Array<boolean>(targets.length).fill(false);
	return new Promise(resolve => {
		let next = 0;
		let running = 0;
		let fresh = 0;
		let settled = 0;
		const startMore = () => {
			while (fresh < mostFresh && running < most && next < targets.length) {
				const index = next++;
				const target = targets[index]!;
				running++;
				fresh++;
				let young = true;
				const age = () => {
					if (young) {
						young = false;
						fresh--;
					}
				};
				const timer = setTimeout(() => {
					age();
					startMore();
				}, slowAfterMs);
				void connect(target.host, target.port, timeoutMs)
					.catch(() => false)
					.then(accepted => {
						clearTimeout(timer);
						age();
						running--;
						if (accepted) {
							open[index] = true;
							options.onOpen?.(target);
						}
						if (++settled === targets.length) {
							resolve(targets.filter((_target, at) => open[at]));
						} else {
							startMore();
						}
					});
			}
		};
		if (targets.length === 0) {
			resolve([]);
		} else {
			startMore();
		}
	});
}

/** Is something listening? Resolves true on connect, false on refusal, timeout or any other error. */
export function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = new Socket();
		let settled = false;
		const finish = (open: boolean) => {
			if (!settled) {
				settled = true;
				socket.destroy();
				resolve(open);
			}
		};
		socket.setTimeout(timeoutMs);
		socket.once('connect', () => finish(true));
		socket.once('timeout', () => finish(false));
		socket.once('error', () => finish(false));
		socket.connect(port, host);
	});
}

export function httpProbe(url: string, options: {timeoutMs: number; method?: string; headers?: Record<string, string>}): Promise<ProbeAnswer | ProbeFailure> {
	return new Promise(resolve => {
		const target = new URL(url);
		const transport = target.protocol === 'https:' ? https : http;
		let settled = false;
		const finish = (result: ProbeAnswer | ProbeFailure) => {
			if (!settled) {
				settled = true;
				clearTimeout(timer);
				resolve(result);
			}
		};
		const request = transport.request(
			target,
			{
				method: options.method ?? 'GET',
				headers: {accept: 'application/json, text/html;q=0.9, */*;q=0.5', 'user-agent': 'arrwire', ...options.headers},
				agent: false,
				// Self-signed certificates are the rule at home; this probe only identifies, it sends no secret.
				rejectUnauthorized: false,
			},
			response => {
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					if (size < BODY_LIMIT) {
						chunks.push(chunk);
						size += chunk.length;
					} else {
						response.destroy();
						finish({status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8')});
					}
				});
				response.on('end', () => finish({status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8')}));
				response.on('error', error => finish({error: errorCode(error)}));
			},
		);
		const timer = setTimeout(() => {
			request.destroy();
			finish({error: 'ETIMEDOUT'});
		}, options.timeoutMs);
		request.on('error', error => finish({error: errorCode(error)}));
		request.end();
	});
}

export function isAnswer(result: ProbeAnswer | ProbeFailure): result is ProbeAnswer {
	return 'status' in result;
}

export function jsonBody(answer: ProbeAnswer | ProbeFailure): unknown {
	if (!isAnswer(answer) || answer.status !== 200) {
		return undefined;
	}
	try {
		return JSON.parse(answer.body) as unknown;
	} catch {
		return undefined;
	}
}

export function htmlTitle(body: string): string | undefined {
	return /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
}

function errorCode(error: unknown): string {
	const code = (error as {code?: string}).code;
	return code ?? errorMessage(error);
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order of results. */
export function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const slot = limiter(limit);
	return Promise.all(items.map((item, index) => slot(() => work(item, index))));
}

/** Runs the tasks given to it with at most `limit` at once, in the order given; each call resolves with its task. */
export function limiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
	const most = Math.max(1, limit);
	let running = 0;
	const waiting: Array<() => void> = [];
	return async task => {
		if (running < most) {
			running++;
		} else {
			// A task that ends hands its place to the first one waiting.
			await new Promise<void>(resolve => waiting.push(resolve));
		}
		try {
			return await task();
		} finally {
			const next = waiting.shift();
			if (next) {
				next();
			} else {
				running--;
			}
		}
	};
}
