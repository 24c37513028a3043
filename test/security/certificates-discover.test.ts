// arrwire discover meets a Sonarr behind TLS with a self-signed certificate: in a terminal it shows the fingerprint
// and asks; trusted, the key is checked and the profile keeps the fingerprint for the next run. Without a terminal it
// says what the certificate is and how to trust it, instead of "check that it is running".
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {X509Certificate} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {Terminal} from '../tty.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');
const KEY = 'fedcba9876543210fedcba9876543210';

describe('arrwire discover and a self-signed certificate', () => {
	let directory: string;
	let fingerprint: string;
	let server: https.Server;
	let origin: string;

	before(async () => {
		directory = mkdtempSync(path.join(tmpdir(), 'arrwire-tls-discover-'));
		const keyFile = path.join(directory, 'key.pem');
		const certFile = path.join(directory, 'cert.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=sonarr.home', '-addext', 'subjectAltName=IP:127.0.0.2'], {stdio: 'ignore'});
		const cert = readFileSync(certFile);
		fingerprint = new X509Certificate(cert).fingerprint256;
		// A Sonarr whose UI has no authentication (initialize.json hands out the key), as discovery meets it.
		server = https.createServer({key: readFileSync(keyFile), cert}, (request, response) => {
			const json = (status: number, body: unknown) => response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
			if (request.url === '/ping') {
				json(200, {status: 'OK'});
			} else if (request.url === '/initialize.json') {
				json(200, {apiRoot: '/api/v3', apiKey: KEY, version: '4.0.14.2939', instanceName: 'Sonarr'});
			} else if (request.url === '/api/v3/system/status' && request.headers['x-api-key'] === KEY) {
				json(200, {appName: 'Sonarr', version: '4.0.14.2939'});
			} else {
				json(404, {message: 'NotFound'});
			}
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.2', () => resolve()));
		origin = `https://127.0.0.2:${(server.address() as AddressInfo).port}`;
	});
	after(async () => {
		server.closeAllConnections();
		await new Promise<void>(resolve => server.close(() => resolve()));
		rmSync(directory, {recursive: true, force: true});
	});

	it('without a terminal: the credential check names the certificate, its fingerprint and how to trust it', async () => {
		const home = mkdtempSync(path.join(directory, 'home-'));
		const {stdout} = await run(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', origin.replace('https://', '')], {env: {...process.env, XDG_CONFIG_HOME: home}}).catch((error: {stdout: string}) => error);
		const result = JSON.parse(stdout) as {services: Array<{kind: string; url: string}>};
		assert.ok(result.services.some(service => service.kind === 'sonarr' && service.url === origin), stdout);
		assert.ok(stdout.includes('uses a certificate this machine does not trust (self-signed'), stdout);
		assert.ok(stdout.includes(fingerprint), stdout);
		assert.match(stdout, /arrwire discover in a terminal/);
		assert.ok(!stdout.includes(KEY));
	});

	it('in a terminal: shows the fingerprint, asks, and once trusted checks the key and keeps the fingerprint', async () => {
		const home = mkdtempSync(path.join(directory, 'home-'));
		const terminal = new Terminal([process.execPath, cli, 'discover', '--no-docker', '--host', origin.replace('https://', '')], {env: {XDG_CONFIG_HOME: home}});
		try {
			let screen = await terminal.waitFor(/Trust this certificate \(fingerprint [0-9A-F:]+…\)\? \[y\/N\]/);
			assert.ok(screen.includes(`Its SHA-256 fingerprint is ${fingerprint}`), screen);
			assert.match(screen, /Sonarr at https:\/\/127\.0\.0\.2:\d+ uses a certificate this machine does not trust \(self-signed, for "sonarr\.home"\)/);
			terminal.type('y');
			screen = await terminal.waitFor(/\[exit \d+\]/);
			assert.match(screen, /✔ Sonarr\s+Sonarr 4\.0\.14\.2939 accepted the API key/);
			const profile = JSON.parse(readFileSync(path.join(home, 'arrwire', 'profile.json'), 'utf8')) as {certificates?: Record<string, string>};
			assert.equal(profile.certificates?.[origin], fingerprint);
		} finally {
			terminal.close();
		}
		// The next run trusts it from the profile, without asking.
		const {stdout} = await run(process.execPath, [cli, 'discover', '--no-docker', '--host', origin.replace('https://', '')], {env: {...process.env, XDG_CONFIG_HOME: home}}).catch((error: {stdout: string}) => error);
		assert.match(stdout, /✔ Sonarr\s+4\.0\.14\.2939/);
		assert.doesNotMatch(stdout, /Trust this certificate/);
	});
});
