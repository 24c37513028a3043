// A Sonarr behind TLS with a self-signed certificate: without trust, a clear error that names the fingerprint and
// sends nothing; with its exact fingerprint trusted, it works; with another fingerprint trusted, the connection
// ends after the handshake, before a single byte of the request (and so the key) is written.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {after, afterEach, before, describe, it} from 'node:test';
import {ServarrClient} from '../../source/services/servarr.js';
import {forgetTrustedCertificates, peerCertificate, trustCertificate} from '../../source/services/tls.js';
import {assertNoSecret, rejection} from '../helpers.js';

const KEY = '0123456789abcdef0123456789abcdef';
const STATUS = JSON.stringify({appName: 'Sonarr', version: '4.0.14.2939'});

/** A TLS server that logs every byte it receives and answers any full request like Sonarr's /system/status. */
async function tlsSonarr(key: Buffer, cert: Buffer): Promise<{url: string; received: () => string; connections: () => number; stop: () => Promise<void>}> {
	let received = '';
	let connections = 0;
	const server = tls.createServer({key, cert}, socket => {
		let request = '';
		socket.on('data', (chunk: Buffer) => {
			received += chunk.toString('latin1');
			request += chunk.toString('latin1');
			if (request.includes('\r\n\r\n')) {
				socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${STATUS.length}\r\nconnection: close\r\n\r\n${STATUS}`);
			}
		});
		socket.on('error', () => undefined);
	});
	server.on('connection', () => {
		connections++;
	});
	server.on('tlsClientError', () => undefined);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.2', () => resolve()));
	const {port} = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.2:${port}`,
		received: () => received,
		connections: () => connections,
		stop: () => new Promise<void>(resolve => server.close(() => resolve())),
	};
}

describe('a service behind TLS with a self-signed certificate', () => {
	let directory: string;
	let key: Buffer;
	let cert: Buffer;
	let fingerprint: string;
	let server: Awaited<ReturnType<typeof tlsSonarr>>;

	before(async () => {
		directory = mkdtempSync(path.join(tmpdir(), 'arrwire-tls-'));
		const keyFile = path.join(directory, 'key.pem');
		const certFile = path.join(directory, 'cert.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=sonarr.home', '-addext', 'subjectAltName=IP:127.0.0.2'], {stdio: 'ignore'});
		key = readFileSync(keyFile);
		cert = readFileSync(certFile);
		fingerprint = new X509Certificate(cert).fingerprint256;
		server = await tlsSonarr(key, cert);
	});
	after(async () => {
		await server?.stop();
		rmSync(directory, {recursive: true, force: true});
	});
	afterEach(() => {
		forgetTrustedCertificates();
	});

	it('untrusted: a clear error that names the certificate and its fingerprint, and nothing was sent', async () => {
		const before = server.received().length;
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 5000}).systemStatus());
		assert.equal(error.kind, 'certificate');
		assert.equal(error.fingerprint256, fingerprint);
		assert.ok(error.message.includes(`Sonarr at ${server.url} uses a certificate this machine does not trust (self-signed`), error.message);
		assert.ok(error.message.includes(`its SHA-256 fingerprint is ${fingerprint}`), error.message);
		assert.match(error.fix, /arrwire discover in a terminal/);
		assert.doesNotMatch(error.fix, /check that it is running/i);
		assert.equal(server.received().length, before, 'bytes of a request reached the server');
		assertNoSecret(error, KEY);
	});

	it('its exact fingerprint trusted: it works, and the key goes to it', async () => {
		trustCertificate(server.url, fingerprint);
		const status = await new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 5000}).systemStatus();
		assert.equal(status.appName, 'Sonarr');
		assert.ok(server.received().includes(KEY));
	});

	it('another fingerprint trusted: refused after the handshake, before any byte of the request', async () => {
		const before = server.received().length;
		const connections = server.connections();
		const other = fingerprint.replace(/^[0-9A-F]{2}/, fingerprint.startsWith('00') ? '11' : '00');
		trustCertificate(server.url, other);
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: server.url, apiKey: KEY, timeoutMs: 5000}).systemStatus());
		assert.equal(error.kind, 'certificate');
		assert.match(error.message, /presented a certificate other than the one trusted for it/);
		assert.ok(error.message.includes(fingerprint) && error.message.includes(other), error.message);
		assert.ok(server.connections() > connections, 'arrwire did connect');
		assert.equal(server.received().length, before, `the server received: ${server.received().slice(before)}`);
	});

	it('the certificate can be read (to show it and ask) without sending anything', async () => {
		const before = server.received().length;
		const peer = await peerCertificate(server.url);
		assert.equal(peer?.fingerprint256, fingerprint);
		assert.equal(peer?.selfSigned, true);
		assert.equal(peer?.problem, 'DEPTH_ZERO_SELF_SIGNED_CERT');
		assert.equal(server.received().length, before);
	});
});
