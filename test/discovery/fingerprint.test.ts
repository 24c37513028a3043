// Fingerprints by the services' own anonymous answers, never by port alone.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import {connect, createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {fingerprint} from '../../source/discovery/fingerprint.js';
import {freePort, startQbittorrent, type RunningQbittorrent} from '../../source/lab/qbittorrent.js';

function listen(server: http.Server | https.Server | Server, port: number, host = '127.0.0.1'): Promise<void> {
	return new Promise(resolve => server.listen(port, host, () => resolve()));
}

describe('fingerprinting what answers on a port', () => {
	let qbt: RunningQbittorrent;
	before(async () => {
		qbt = await startQbittorrent();
	});
	after(async () => {
		await qbt?.stop();
	});

	it('the real qBittorrent: by its WebUI login page, needing a login', async () => {
		const found = await fingerprint(qbt.host, qbt.port);
		assert.equal(found?.found, 'service');
		assert.ok(found?.found === 'service');
		assert.equal(found.kind, 'qbittorrent');
		assert.equal(found.url, qbt.url);
		assert.equal(found.tls, false);
		assert.equal(found.authRequired, true);
		assert.match(found.identifiedBy, /login page/);
	});

	it('qBittorrent behind a port mapping: recognised by its Host-header refusal, with the reason', async () => {
		const port = await freePort();
		const forwarder = createServer(socket => {
			const upstream = connect(qbt.port, qbt.host);
			socket.pipe(upstream).pipe(socket);
			upstream.on('error', () => socket.destroy());
			socket.on('error', () => upstream.destroy());
		});
		await listen(forwarder, port);
		try {
			const found = await fingerprint('127.0.0.1', port);
			assert.ok(found?.found === 'service');
			assert.equal(found.kind, 'qbittorrent');
			assert.match(found.notes.join(' '), /different port than its WebUI port/);
		} finally {
			forwarder.close();
		}
	});

	it('another web server on a default port is reported as unknown, not as the service of that port', async () => {
		const server = http.createServer((_request, response) => {
			response.writeHead(200, {server: 'nginx/1.27.0', 'content-type': 'text/html'});
			response.end('<html><head><title>Welcome to nginx!</title></head></html>');
		});
		const port = await freePort();
		await listen(server, port);
		try {
			const found = await fingerprint('127.0.0.1', port);
			assert.equal(found?.found, 'unknown');
			assert.match(found?.found === 'unknown' ? found.description : '', /Server: nginx\/1\.27\.0, title "Welcome to nginx!"/);
		} finally {
			server.close();
		}
	});

	it('something that is not HTTP at all: unknown, "answers TCP but not HTTP"', async () => {
		const server = createServer(socket => {
			socket.on('error', () => undefined);
			socket.end('SSH-2.0-OpenSSH_9.2\r\n');
		});
		const port = await freePort();
		await listen(server, port);
		try {
			const found = await fingerprint('127.0.0.1', port, {timeoutMs: 500});
			assert.equal(found?.found, 'unknown');
			assert.match(found?.found === 'unknown' ? found.description : '', /not HTTP/);
		} finally {
			server.close();
		}
	});

	it('nothing listening: nothing found', async () => {
		assert.equal(await fingerprint('127.0.0.1', await freePort(), {timeoutMs: 300}), undefined);
	});

	it('a service behind TLS with a self-signed certificate is found over https', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'arrwire-tls-'));
		try {
			const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(directory, 'key.pem'), '-out', path.join(directory, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], {encoding: 'utf8'});
			assert.equal(made.status, 0, `openssl could not make a test certificate: ${made.stderr}`);
			const server = https.createServer({key: readFileSync(path.join(directory, 'key.pem')), cert: readFileSync(path.join(directory, 'cert.pem'))}, (request, response) => {
				if (request.url === '/System/Info/Public') {
					response.writeHead(200, {'content-type': 'application/json'});
					response.end(JSON.stringify({LocalAddress: 'https://127.0.0.1', ServerName: 'tls', Version: '10.11.11', ProductName: 'Jellyfin Server', OperatingSystem: '', Id: 'f00d', StartupWizardCompleted: true}));
					return;
				}
				response.writeHead(404);
				response.end();
			});
			const port = await freePort();
			await listen(server, port);
			try {
				const found = await fingerprint('127.0.0.1', port);
				assert.ok(found?.found === 'service');
				assert.equal(found.kind, 'jellyfin');
				assert.equal(found.tls, true);
				assert.equal(found.url, `https://127.0.0.1:${port}`);
			} finally {
				server.close();
			}
		} finally {
			rmSync(directory, {recursive: true, force: true});
		}
	});
});
