// How arrwire's requests reach a service: ky's `fetch`, done with Node's own http and https modules. Node's global
// fetch (undici) is not used. On first use it loads undici and compiles its WebAssembly HTTP parser, and a short
// command paid more for that than for all its own work: +300 ms over bare `node -e 0` on a two-core machine, against
// +60 ms for http.request (Node 20, 22 and 24 alike). Redirects are never followed here (http.ts decides), nothing
// asks for compression, and a trusted self-signed certificate is checked before a byte of the request is written.
import http from 'node:http';
import https from 'node:https';
import {Readable} from 'node:stream';
import tls from 'node:tls';
import {normalizeFingerprint, PIN_MISMATCH, serverName} from './tls.js';

/** A fetch over http.request; with `fingerprint`, an https address must present exactly that certificate. */
export function serviceFetch(fingerprint?: string): typeof fetch {
	const expected = fingerprint === undefined ? undefined : normalizeFingerprint(fingerprint);
	return async (input, init) => {
		const request = input instanceof Request ? input : new Request(input, init);
		const url = new URL(request.url);
		const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
		const signal = request.signal;
		signal.throwIfAborted();
		const socket = expected !== undefined && url.protocol === 'https:' ? await pinnedConnection(url, expected, signal) : undefined;
		return new Promise<Response>((resolve, reject) => {
			const headers: Record<string, string> = {};
			request.headers.forEach((value, key) => {
				headers[key] = value;
			});
			if (body) {
				headers['content-length'] = String(body.length);
			}
			const options: https.RequestOptions = {
				method: request.method,
				host: url.hostname.replace(/^\[|\]$/g, ''),
				port: url.port || (url.protocol === 'https:' ? 443 : 80),
				path: url.pathname + url.search,
				headers,
				servername: serverName(url),
				// Given a connection and no agent, http.request writes on that connection (an agent would open its own).
				...(socket ? {createConnection: () => socket} : {}),
			};
			const outgoing = url.protocol === 'https:' && !socket ? https.request(options) : http.request(options);
			const onAbort = () => {
				outgoing.destroy(abortReason(signal));
				socket?.destroy();
			};
			signal.addEventListener('abort', onAbort, {once: true});
			outgoing.once('error', error => {
				signal.removeEventListener('abort', onAbort);
				reject(signal.aborted ? abortReason(signal) : error);
			});
			outgoing.once('response', incoming => {
				const status = incoming.statusCode ?? 0;
				incoming.once('close', () => signal.removeEventListener('abort', onAbort));
				try {
					const responseHeaders = new Headers();
					for (const [name, value] of Object.entries(incoming.headers)) {
						for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
							responseHeaders.append(name, item);
						}
					}
					const empty = request.method === 'HEAD' || [204, 205, 304].includes(status);
					if (empty) {
						incoming.resume();
					}
					resolve(new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream), {status, statusText: incoming.statusMessage, headers: responseHeaders}));
				} catch (error) {
					// A status outside 200–599, or a header no Headers takes: not an HTTP answer a service gives.
					incoming.destroy();
					reject(Object.assign(new Error(`the answer is not valid HTTP (status ${status}): ${error instanceof Error ? error.message : String(error)}`), {code: 'ARRWIRE_BAD_ANSWER'}));
				}
			});
			outgoing.end(body);
		});
	};
}

/** A TLS connection to `url` whose certificate has the trusted fingerprint; another one ends it with nothing sent. */
function pinnedConnection(url: URL, expected: string, signal: AbortSignal): Promise<tls.TLSSocket> {
	return new Promise<tls.TLSSocket>((resolve, reject) => {
		const connection = tls.connect({host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), servername: serverName(url), rejectUnauthorized: false});
		const onAbort = () => {
			connection.destroy();
			reject(abortReason(signal));
		};
		signal.addEventListener('abort', onAbort, {once: true});
		connection.once('secureConnect', () => {
			signal.removeEventListener('abort', onAbort);
			const seen = connection.getPeerCertificate()?.fingerprint256 ?? '';
			if (normalizeFingerprint(seen) !== expected) {
				connection.destroy();
				reject(Object.assign(new Error(`the certificate's SHA-256 fingerprint is ${seen || '(none)'}, not the trusted ${expected}`), {code: PIN_MISMATCH, fingerprint256: seen}));
				return;
			}
			resolve(connection);
		});
		connection.once('error', (error: Error) => {
			signal.removeEventListener('abort', onAbort);
			reject(error);
		});
	});
}

/** What an aborted signal carries, as an Error (a reason given as anything else is named plainly). */
function abortReason(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('The request was stopped before it ended.');
}
