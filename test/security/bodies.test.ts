// A peer that sends headers and then trickles, or streams without end, must not hang arrwire nor fill its memory:
// every response has a total deadline (headers and body) and a size cap.
import assert from 'node:assert/strict';
import type http from 'node:http';
import {afterEach, describe, it} from 'node:test';
import {fingerprint} from '../../source/discovery/fingerprint.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {rejection} from '../helpers.js';
import {hostileServer, type HostileServer} from './hostile.js';

const KEY = '0123456789abcdef0123456789abcdef';

/** Headers at once, then one byte every 200 ms for as long as the connection lasts. */
function trickle(_request: http.IncomingMessage, response: http.ServerResponse): void {
	response.writeHead(200, {'content-type': 'application/json'});
	response.write('{');
	const timer = setInterval(() => response.write(' '), 200);
	response.on('close', () => clearInterval(timer));
}

/** As fast as the socket takes it, without end. */
function endless(_request: http.IncomingMessage, response: http.ServerResponse): void {
	response.writeHead(200, {'content-type': 'application/json'});
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	let open = true;
	response.on('close', () => {
		open = false;
	});
	const pump = () => {
		while (open && response.write(chunk)) {
			// Keep writing until the socket pushes back.
		}
	};
	response.on('drain', pump);
	pump();
}

describe('bodies without end', () => {
	const servers: HostileServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(server => server.stop()));
	});

	it('a Sonarr that trickles its body: the request ends at its deadline with a timeout error', async () => {
		const server = await hostileServer('127.0.0.2', trickle);
		servers.push(server);
		const client = new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 800});
		const started = Date.now();
		const error = await rejection(client.systemStatus());
		const elapsed = Date.now() - started;
		assert.equal(error.kind, 'timeout');
		assert.match(error.message, /Sonarr did not answer in time/);
		assert.ok(elapsed < 4000, `took ${elapsed} ms for a deadline of 800 ms`);
	});

	it('a Sonarr that never finishes its headers: the same deadline', async () => {
		const server = await hostileServer('127.0.0.2', () => {
			// Never answers.
		});
		servers.push(server);
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 500}).health());
		assert.equal(error.kind, 'timeout');
	});

	it('a Sonarr that streams without end: a size error, and memory stays bounded', async () => {
		const server = await hostileServer('127.0.0.2', endless);
		servers.push(server);
		const client = new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 30_000});
		const before = process.memoryUsage().rss;
		const error = await rejection(client.systemStatus());
		const growth = process.memoryUsage().rss - before;
		assert.equal(error.kind, 'too-large');
		assert.match(error.message, new RegExp(`Sonarr at ${server.url} sent more than 8 MiB; that is not an answer Sonarr gives`));
		assert.ok(growth < 100 * 1024 * 1024, `memory grew by ${Math.round(growth / 1024 / 1024)} MB`);
	});

	it('a declared Content-Length over the cap is refused before the body is read', async () => {
		const server = await hostileServer('127.0.0.2', (_request, response) => {
			response.writeHead(200, {'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024)});
			response.write('{');
		});
		servers.push(server);
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 5000}).systemStatus());
		assert.equal(error.kind, 'too-large');
	});

	it('discovery probes a trickling or endless port and moves on within its deadline', async () => {
		for (const handler of [trickle, endless]) {
			const server = await hostileServer('127.0.0.2', handler);
			servers.push(server);
			const started = Date.now();
			const found = await fingerprint('127.0.0.2', server.port, {timeoutMs: 600});
			const elapsed = Date.now() - started;
			assert.ok(found, 'something answers there');
			assert.equal(found.found, 'unknown');
			assert.ok(elapsed < 6000, `${handler.name}: fingerprint took ${elapsed} ms`);
		}
	});
});
