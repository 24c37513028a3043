// Keys go only where they belong. A look-alike that answers like Sonarr or Jellyseerr on another loopback address
// (what a program on another machine, or another local user, could run) is found with --host; arrwire reads the real
// service's files from --config-dir. The look-alike logs everything it receives: no key may be in it.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {checkKnownCredentials, credentialFromProfile} from '../../source/discovery/collect.js';
import type {ConfigFileFound} from '../../source/discovery/config-files.js';
import {discover} from '../../source/discovery/discover.js';
import {whyNotOwner, type ServiceAddress} from '../../source/discovery/key-owner.js';
import {randomKey} from '../../source/lab/harness.js';
import {JellyseerrEmulator} from '../../source/lab/jellyseerr.js';
import {findLabHost} from '../../source/lab/lab.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

interface Received {
	method: string;
	url: string;
	headers: string;
	body: string;
}

/**
 * A look-alike: listens on host:port and answers exactly as the emulator behind it does (so discovery takes it for the
 * real thing), but first writes down every request in full (request line, every header, the body).
 */
async function startLookAlike(host: string, port: number, behind: string): Promise<{log: Received[]; stop: () => Promise<void>}> {
	const log: Received[] = [];
	const target = new URL(behind);
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', chunk => chunks.push(chunk as Buffer));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			log.push({method: request.method ?? '', url: request.url ?? '', headers: request.rawHeaders.join('\n'), body: body.toString('utf8')});
			const forwarded = http.request(
				{host: target.hostname, port: target.port, method: request.method, path: request.url, headers: {...request.headers, host: target.host}},
				answer => {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			forwarded.on('error', () => response.destroy());
			forwarded.end(body);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	return {log, stop: () => new Promise(resolve => server.close(() => resolve()))};
}

function assertNoKey(log: Received[], ...keys: string[]): void {
	assert.ok(log.length > 0, 'the look-alike was probed (else this test proves nothing)');
	for (const entry of log) {
		const text = `${entry.method} ${entry.url}\n${entry.headers}\n${entry.body}`;
		for (const key of keys) {
			assert.ok(!text.includes(key), `a key reached the look-alike: ${entry.method} ${entry.url}`);
		}
	}
}

describe('a look-alike Sonarr on another loopback address, found with --host', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-hostile-'));
	const sonarrKey = randomKey();
	let owner: ServarrEmulator;
	let stand: ServarrEmulator;
	let lookAlike: Awaited<ReturnType<typeof startLookAlike>>;
	let ownerHost: string;
	let hostileHost: string;

	before(async () => {
		ownerHost = (await findLabHost([8989]))!;
		assert.ok(ownerHost, 'a free loopback address for the real Sonarr');
		// The real Sonarr: bound to its own address (config.xml BindAddress), port 8989.
		owner = new ServarrEmulator({kind: 'sonarr', apiKey: sonarrKey, host: ownerHost, port: 8989, configDir: path.join(folder, 'config', 'sonarr')});
		await owner.start();
		hostileHost = (await findLabHost([8989]))!;
		assert.ok(hostileHost && hostileHost !== ownerHost, 'a second free loopback address for the look-alike');
		// Its answers are a Sonarr's (another one, with a key of its own), so discovery takes it for one.
		stand = new ServarrEmulator({kind: 'sonarr', apiKey: randomKey(), host: '127.0.0.1', port: 0});
		await stand.start();
		lookAlike = await startLookAlike(hostileHost, 8989, stand.url);
	});
	after(async () => {
		await lookAlike?.stop();
		await stand?.stop();
		await owner?.stop();
		rmSync(folder, {recursive: true, force: true});
	});

	it('the look-alike gets no key; discover says whose key it is and asks instead', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		try {
			const env = {...process.env, XDG_CONFIG_HOME: home, HOME: home};
			const {stdout} = await run(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', `${hostileHost}:8989`, '--config-dir', path.join(folder, 'config')], {env});
			assertNoKey(lookAlike.log, sonarrKey);
			const json = JSON.parse(stdout) as {services: Array<{url: string; kind: string; keyWithheld: string[]; credential: {from: string | null}}>};
			const hostile = json.services.find(service => service.url === `http://${hostileHost}:8989`);
			assert.ok(hostile, `the look-alike is listed (got ${json.services.map(service => service.url).join(', ')})`);
			assert.equal(hostile.credential.from, null);
			assert.equal(hostile.keyWithheld.length, 1);
			assert.equal(
				hostile.keyWithheld[0],
				`the key in ${path.join(folder, 'config', 'sonarr', 'config.xml')} belongs to the Sonarr at ${ownerHost}:8989, not to the Sonarr at ${hostileHost}:8989`,
			);
			assert.ok(!stdout.includes(sonarrKey));
			const plain = await run(process.execPath, [cli, 'discover', '--no-docker', '--host', `${hostileHost}:8989`, '--config-dir', path.join(folder, 'config')], {env}).then(
				result => result.stdout,
				(failure: {stdout: string}) => failure.stdout,
			);
			assert.match(plain, new RegExp(`key not sent: the key in .*config\\.xml belongs to the Sonarr at ${ownerHost.replace(/\./g, '\\.')}:8989`));
			assertNoKey(lookAlike.log, sonarrKey);
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('the real Sonarr, found beside it, still gets its key and accepts it', async () => {
		const found = await discover({localhost: false, hosts: [`${hostileHost}:8989`, `${ownerHost}:8989`], docker: false, configFolders: [path.join(folder, 'config')], nativeConfigFiles: false});
		const real = found.services.find(service => service.host === ownerHost)!;
		assert.equal(real.key?.value, sonarrKey);
		assert.equal(real.keyWithheld, undefined);
		const [state] = await checkKnownCredentials([real]);
		assert.equal(state!.check?.ok, true, JSON.stringify(state!.check));
		const hostile = found.services.find(service => service.host === hostileHost)!;
		assert.equal(hostile.key, undefined);
		await checkKnownCredentials(found.services);
		assertNoKey(lookAlike.log, sonarrKey);
	});

	it('a key kept in the profile goes only to the exact URL it was saved for', async () => {
		const profile = {version: 1 as const, savedAt: '', storeSecrets: true, hosts: [], services: [{kind: 'sonarr' as const, url: `http://${ownerHost}:8989`, source: 'host' as const, secret: sonarrKey}]};
		const found = await discover({localhost: false, hosts: [`${hostileHost}:8989`, `${ownerHost}:8989`], docker: false, nativeConfigFiles: false});
		const states = await checkKnownCredentials(found.services, profile);
		assert.equal(states.find(state => state.service.host === ownerHost)?.check?.ok, true);
		const hostile = found.services.find(service => service.host === hostileHost)!;
		assert.equal(credentialFromProfile(hostile, profile), undefined);
		assertNoKey(lookAlike.log, sonarrKey);
	});
});

describe('a look-alike Jellyseerr beside the real one (settings.json names no port)', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-hostile-seerr-'));
	const seerrKey = Buffer.from(randomKey()).toString('base64');
	let owner: JellyseerrEmulator;
	let stand: JellyseerrEmulator;
	let lookAlike: Awaited<ReturnType<typeof startLookAlike>>;
	let hostileHost: string;

	before(async () => {
		owner = new JellyseerrEmulator({apiKey: seerrKey, host: '127.0.0.1', port: 0, configDir: path.join(folder, 'config', 'jellyseerr')});
		await owner.start();
		hostileHost = (await findLabHost([5055]))!;
		stand = new JellyseerrEmulator({apiKey: Buffer.from(randomKey()).toString('base64'), host: '127.0.0.1', port: 0});
		await stand.start();
		lookAlike = await startLookAlike(hostileHost, 5055, stand.url);
	});
	after(async () => {
		await lookAlike?.stop();
		await stand?.stop();
		await owner?.stop();
		rmSync(folder, {recursive: true, force: true});
	});

	it('the one file is not given to either: nothing tells whose it is; both say why', async () => {
		const ownerAddress = new URL(owner.url);
		const found = await discover({localhost: false, hosts: [`${hostileHost}:5055`, ownerAddress.host], docker: false, configFolders: [path.join(folder, 'config')], nativeConfigFiles: false});
		await checkKnownCredentials(found.services);
		assertNoKey(lookAlike.log, seerrKey);
		const hostile = found.services.find(service => service.host === hostileHost)!;
		assert.equal(hostile.key, undefined);
		assert.match(hostile.keyWithheld?.[0] ?? '', /settings\.json could belong to the Jellyseerr at .* as well as this one; the file does not say which/);
	});

	it('alone on this machine, the real one gets it', async () => {
		const found = await discover({localhost: false, hosts: [new URL(owner.url).host], docker: false, configFolders: [path.join(folder, 'config')], nativeConfigFiles: false});
		assert.equal(found.services[0]?.key?.value, seerrKey);
	});
});

describe('whose key: the rule on its own', () => {
	const sonarrFile: ConfigFileFound = {kind: 'sonarr', file: '/srv/sonarr/config.xml', origin: 'a folder', servarr: {apiKey: 'k', port: 8989, urlBase: '', bindAddress: '*'}};
	const at = (host: string, port = 8989, urlBase = ''): ServiceAddress => ({kind: 'sonarr', name: 'Sonarr', host, port, tls: false, urlBase});
	const local = (host: string) => host.startsWith('127.') || host === 'localhost';

	it('a file on this machine: only to this machine, on its port and URL base', () => {
		assert.equal(whyNotOwner(at('127.0.0.1'), sonarrFile, local), undefined);
		assert.equal(whyNotOwner(at('localhost'), sonarrFile, local), undefined);
		assert.equal(
			whyNotOwner(at('10.0.0.7'), sonarrFile, local),
			'the key in /srv/sonarr/config.xml belongs to the Sonarr on this machine, port 8989, not to the Sonarr at 10.0.0.7:8989 (that is another machine)',
		);
		assert.match(whyNotOwner(at('127.0.0.1', 8990), sonarrFile, local) ?? '', /not to the Sonarr at 127\.0\.0\.1:8990$/);
		assert.match(whyNotOwner(at('127.0.0.1', 8989, '/sonarr'), sonarrFile, local) ?? '', /another URL base/);
	});

	it("a container's file: only at that container's published address", () => {
		const file: ConfigFileFound = {...sonarrFile, container: 'sonarr', origin: 'the /config mount of container sonarr'};
		const container = {
			id: 'x',
			name: 'sonarr',
			image: 'lscr.io/linuxserver/sonarr',
			service: 'sonarr' as const,
			running: true,
			ports: [{containerPort: 8989, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18989}],
			mounts: [],
			env: {},
			networkMode: 'bridge',
			networks: [{name: 'bridge', ip: '10.88.0.5', aliases: []}],
		};
		assert.equal(whyNotOwner(at('127.0.0.1', 18989), file, local, [container]), undefined);
		assert.equal(whyNotOwner(at('10.88.0.5', 8989), file, local, [container]), undefined);
		assert.match(whyNotOwner(at('127.0.0.2', 18989), file, local, [container]) ?? '', /belongs to the Sonarr of container sonarr, not to the Sonarr at 127\.0\.0\.2:18989/);
		assert.ok(whyNotOwner(at('127.0.0.1', 18989), file, local, []), 'no such container running: no key');
	});
});

describe('credentials in an argument are never echoed', () => {
	it('--host http://user:pass@host:8989 is refused without showing the user name or password', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		try {
			const env = {...process.env, XDG_CONFIG_HOME: home, HOME: home};
			for (const argument of ['http://media:hunter2-secret@127.0.0.1:8989', 'media:hunter2-secret@127.0.0.1:8989']) {
				for (const extra of [[], ['--json']]) {
					const failure = await run(process.execPath, [cli, 'discover', '--no-docker', ...extra, '--host', argument], {env}).then(
						() => assert.fail('a host with credentials must be refused'),
						(error: {code: number; stdout: string; stderr: string}) => error,
					);
					const output = failure.stdout + failure.stderr;
					assert.match(output, /--host takes NAME or NAME:PORT, without a user name or password/);
					assert.ok(!output.includes('hunter2') && !output.includes('media:'), output);
				}
			}
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});
});
