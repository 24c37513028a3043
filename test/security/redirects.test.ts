// A service that redirects elsewhere must not receive arrwire's key there: a redirect to another origin (scheme,
// host or port) is never followed with credentials; it becomes an error that names both addresses.
import assert from 'node:assert/strict';
import {afterEach, describe, it} from 'node:test';
import {fingerprint} from '../../source/discovery/fingerprint.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {assertNoSecret, rejection} from '../helpers.js';
import {hostileServer, received, type HostileServer} from './hostile.js';

const KEY = '0123456789abcdef0123456789abcdef';
const STATUS = JSON.stringify({appName: 'Sonarr', version: '4.0.14.2939'});

describe('redirects never carry credentials to another origin', () => {
	const servers: HostileServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(server => server.stop()));
	});

	async function elsewhere(host = '127.0.0.3'): Promise<HostileServer> {
		const server = await hostileServer(host, (_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'}).end(STATUS);
		});
		servers.push(server);
		return server;
	}

	it('a Sonarr that answers 301 to another host: the other host receives nothing and the error names both', async () => {
		const target = await elsewhere();
		const sonarr = await hostileServer('127.0.0.2', (request, response) => {
			response.writeHead(301, {location: `${target.url}${request.url}`}).end();
		});
		servers.push(sonarr);
		const client = new ServarrClient({kind: 'sonarr', url: sonarr.url, apiKey: KEY});
		const error = await rejection(client.systemStatus());
		assert.equal(error.kind, 'redirect');
		assert.equal(error.status, 301);
		assert.equal(target.requests.length, 0, `the other origin was asked: ${received(target)}`);
		assert.ok(received(sonarr).includes(KEY), 'the key did go to the service arrwire was pointed at');
		assert.match(error.message, new RegExp(`Sonarr at ${sonarr.url} redirects to ${target.url}/api/v3/system/status`));
		assert.match(error.fix, new RegExp(`point arrwire at ${target.url}(?!/api)`));
		assertNoSecret(error, KEY);
	});

	it('a redirect to another port or scheme of the same host is another origin too', async () => {
		const target = await elsewhere('127.0.0.2');
		const sonarr = await hostileServer('127.0.0.2', (request, response) => {
			const location = request.url!.includes('status') ? `${target.url}${request.url}` : `https://127.0.0.2:${target.port}/`;
			response.writeHead(307, {location}).end();
		});
		servers.push(sonarr);
		const client = new ServarrClient({kind: 'sonarr', url: sonarr.url, apiKey: KEY});
		assert.equal((await rejection(client.systemStatus())).kind, 'redirect');
		assert.equal((await rejection(client.health())).kind, 'redirect');
		assert.equal(target.requests.length, 0);
	});

	it('a POST with a password (a qBittorrent login) redirected elsewhere is not re-sent', async () => {
		const target = await elsewhere();
		const qbittorrent = await hostileServer('127.0.0.2', (_request, response) => {
			response.writeHead(308, {location: `${target.url}/api/v2/auth/login`}).end();
		});
		servers.push(qbittorrent);
		const password = 'correct-horse-battery';
		const client = new QbittorrentClient({url: qbittorrent.url, username: 'admin', password});
		const error = await rejection(client.login());
		assert.equal(error.kind, 'redirect');
		assert.equal(target.requests.length, 0);
		assertNoSecret(error, password);
	});

	it('the address it redirects to is shown without the credentials it may carry', async () => {
		const target = await elsewhere();
		const sonarr = await hostileServer('127.0.0.2', (_request, response) => {
			response.writeHead(302, {location: `http://admin:hunter2-secret@127.0.0.3:${target.port}/api/v3/system/status?apikey=${KEY}`}).end();
		});
		servers.push(sonarr);
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: sonarr.url, apiKey: KEY}).systemStatus());
		assert.equal(error.kind, 'redirect');
		assertNoSecret(error, KEY, 'hunter2-secret');
		assert.match(error.message, /redirects to http:\/\/127\.0\.0\.3:\d+\/api\/v3\/system\/status\?apikey=\*{8}/);
		assert.equal(target.requests.length, 0);
	});

	it('a redirect within the same origin is followed (a URL base), a loop is not followed for ever', async () => {
		const sonarr = await hostileServer('127.0.0.2', (request, response) => {
			if (request.url!.startsWith('/sonarr/')) {
				assert.equal(request.headers['x-api-key'], KEY);
				response.writeHead(200, {'content-type': 'application/json'}).end(STATUS);
			} else if (request.url === '/api/v3/health') {
				response.writeHead(302, {location: '/api/v3/health'}).end();
			} else {
				response.writeHead(307, {location: `/sonarr${request.url}`}).end();
			}
		});
		servers.push(sonarr);
		const client = new ServarrClient({kind: 'sonarr', url: sonarr.url, apiKey: KEY});
		assert.equal((await client.systemStatus()).appName, 'Sonarr');
		const before = sonarr.requests.length;
		const loop = await rejection(client.health());
		assert.equal(loop.kind, 'redirect');
		assert.match(loop.message, /redirected more than \d+ times/);
		assert.ok(sonarr.requests.length - before <= 6, `followed ${sonarr.requests.length - before} redirects`);
	});
});

describe('discovery stays on the origin it probes', () => {
	it('an initialize.json whose apiRoot points elsewhere does not take the handed-out key there', async () => {
		const target = await hostileServer('127.0.0.3', (_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'}).end(STATUS);
		});
		const sonarr = await hostileServer('127.0.0.2', (request, response) => {
			if (request.url === '/ping') {
				response.writeHead(200, {'content-type': 'application/json'}).end('{"status":"OK"}');
			} else if (request.url === '/initialize.json') {
				response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({apiRoot: `@127.0.0.3:${target.port}/api/v3`, apiKey: KEY, version: '4.0.14.2939'}));
			} else {
				response.writeHead(404).end();
			}
		});
		try {
			const found = await fingerprint('127.0.0.2', sonarr.port, {timeoutMs: 1000});
			assert.equal(found?.found, 'service');
			assert.equal(target.requests.length, 0, `the other origin was asked: ${received(target)}`);
		} finally {
			await Promise.all([target.stop(), sonarr.stop()]);
		}
	});
});
