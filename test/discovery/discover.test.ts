// Discovery of the whole lab as a user's machine would show it: six services by their own answers, keys from their
// own files, each key checked against the live service, and the profile saved without secrets.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, statSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, afterEach, before, describe, it} from 'node:test';
import {checkKnownCredentials} from '../../source/discovery/collect.js';
import {checkCredential} from '../../source/discovery/credentials.js';
import {discover, type Discovery} from '../../source/discovery/discover.js';
import {assertNoSpecViolations, randomKey} from '../../source/lab/harness.js';
import {findLabHost, startLab, type Lab} from '../../source/lab/lab.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

describe('discovery of the whole lab', () => {
	let lab: Lab;
	let found: Discovery;
	before(async () => {
		lab = await startLab();
		found = await discover({localhost: false, hosts: [lab.host], docker: false, configFolders: [path.join(lab.paths.root, 'config')], nativeConfigFiles: false});
	});
	after(async () => {
		await lab?.stop();
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('finds all six by their own answers, with version, URL and setup state', () => {
		const byKind = Object.fromEntries(found.services.map(service => [service.kind, service]));
		assert.deepEqual(Object.keys(byKind), ['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'jellyfin', 'jellyseerr']);
		assert.equal(byKind.sonarr!.url, lab.sonarr.url);
		assert.match(byKind.sonarr!.identifiedBy, /login page \("Login - Sonarr"\)/);
		assert.match(byKind.radarr!.identifiedBy, /Login - Radarr/);
		assert.match(byKind.prowlarr!.identifiedBy, /Login - Prowlarr/);
		assert.equal(byKind.sonarr!.authMethod, 'forms');
		assert.equal(byKind.jellyfin!.version, '10.11.11');
		assert.equal(byKind.jellyfin!.setupComplete, true);
		assert.equal(byKind.jellyseerr!.setupComplete, false, 'a fresh Jellyseerr is not initialized');
		assert.equal(byKind.qbittorrent!.authRequired, true);
		assert.deepEqual(found.unknown, []);
	});

	it('reads each key from its own file, says which file, and the live services accept them', async () => {
		const states = await checkKnownCredentials(found.services);
		for (const kind of ['sonarr', 'radarr', 'prowlarr'] as const) {
			const state = states.find(candidate => candidate.service.kind === kind)!;
			assert.equal(state.from, `${path.join(lab.paths.root, 'config', kind, 'config.xml')} (${path.join(lab.paths.root, 'config')})`);
			assert.equal(state.check?.ok, true, `${kind}: ${JSON.stringify(state.check)}`);
		}
		const seerr = states.find(candidate => candidate.service.kind === 'jellyseerr')!;
		assert.match(seerr.from ?? '', /settings\.json/);
		assert.equal(seerr.check?.ok, true);
		const qbittorrent = found.services.find(service => service.kind === 'qbittorrent')!;
		assert.equal(qbittorrent.configFile?.qbittorrent?.username, lab.qbittorrent.username);
		const jellyfin = states.find(candidate => candidate.service.kind === 'jellyfin')!;
		assert.equal(jellyfin.check, undefined, 'Jellyfin keeps no key on disk: arrwire must ask');
	});

	it('a key that was rotated after it was saved: names the service, says it was refused and where to find the new one', async () => {
		const sonarr = found.services.find(service => service.kind === 'sonarr')!;
		const check = await checkCredential(sonarr, {apiKey: randomKey()});
		assert.equal(check.ok, false);
		assert.ok(!check.ok);
		assert.equal(check.reason, 'refused');
		assert.match(check.message, /^Sonarr at http:\/\/.* refused the API key \(HTTP 401\)\.$/);
		assert.match(check.fix, /Sonarr → Settings → General → Security → API Key/);
	});

	it('checks a typed Jellyfin administrator, and refuses one that is not an administrator', async () => {
		const jellyfin = found.services.find(service => service.kind === 'jellyfin')!;
		const admin = await checkCredential(jellyfin, {username: lab.jellyfinAdmin.name, password: lab.jellyfinAdmin.password});
		assert.equal(admin.ok, true, JSON.stringify(admin));
		lab.jellyfin.addUser({name: 'viewer', password: 'viewer-password', admin: false});
		const viewer = await checkCredential(jellyfin, {username: 'viewer', password: 'viewer-password'});
		assert.equal(viewer.ok, false);
		assert.ok(!viewer.ok);
		assert.match(viewer.message, /not an administrator/);
		const wrong = await checkCredential(jellyfin, {username: lab.jellyfinAdmin.name, password: 'nope'});
		assert.ok(!wrong.ok && wrong.reason === 'refused');
	});

	it('a qBittorrent password that is refused: stops asking and explains the ban rule', async () => {
		const qbittorrent = found.services.find(service => service.kind === 'qbittorrent')!;
		const check = await checkCredential(qbittorrent, {username: lab.qbittorrent.username, password: 'wrong-password'});
		assert.ok(!check.ok);
		assert.equal(check.stopAsking, true);
		assert.match(check.fix, /bans an address/);
		assert.doesNotMatch(JSON.stringify(check), /wrong-password/);
	});

	it('arrwire discover --json: the documented shape, no secret in it, and a 0600 profile without secrets', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		try {
			const {stdout} = await run(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', lab.host, '--config-dir', path.join(lab.paths.root, 'config')], {
				env: {...process.env, XDG_CONFIG_HOME: home},
			});
			for (const secret of [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password]) {
				assert.ok(!stdout.includes(secret), 'no secret in the output');
			}
			const json = JSON.parse(stdout) as {services: Array<{kind: string; url: string; credential: {from: string | null; accepted: boolean | null}}>};
			const mine = json.services.filter(service => service.url.includes(lab.host));
			assert.deepEqual(
				mine.map(service => [service.kind, service.credential.accepted]),
				[
					['prowlarr', true],
					['sonarr', true],
					['radarr', true],
					['qbittorrent', null],
					['jellyfin', null],
					['jellyseerr', true],
				],
			);
			const profile = path.join(home, 'arrwire', 'profile.json');
			assert.equal(statSync(profile).mode & 0o777, 0o600);
			const saved = readFileSync(profile, 'utf8');
			for (const secret of Object.values(lab.keys)) {
				assert.ok(!saved.includes(secret), 'the profile holds no secret unless the user agreed');
			}
			assert.match(saved, new RegExp(lab.sonarr.url.replace(/[.]/g, '\\.')));
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('a re-run starts from the saved profile: a service on another host is found again without --host', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		try {
			const env = {...process.env, XDG_CONFIG_HOME: home};
			await run(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', lab.host], {env});
			const {stdout} = await run(process.execPath, [cli, 'discover', '--json', '--no-docker'], {env});
			const json = JSON.parse(stdout) as {services: Array<{url: string}>};
			assert.ok(json.services.some(service => service.url === lab.radarr.url));
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('bad input: an unknown option is named, with the usage', async () => {
		const error = await run(process.execPath, [cli, 'discover', '--hots', 'x']).then(
			() => undefined,
			(failure: {code: number; stderr: string}) => failure,
		);
		assert.equal(error?.code, 2);
		assert.match(error.stderr, /Unknown option '--hots'/);
		assert.match(error.stderr, /--host NAME\[:PORT\]/);
	});
});

describe('discovery beyond the defaults', () => {
	it('follows a URL-base redirect and reports the base; something else on a default port is unknown, not the service', async () => {
		const host = (await findLabHost([8989, 8080])) ?? '127.0.0.1';
		const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: randomKey(), host, port: 8989, urlBase: '/sonarr'});
		await sonarr.start();
		const other = http.createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end('<!doctype html><title>Welcome to nginx!</title>');
		});
		await new Promise<void>(resolve => other.listen(8080, host, resolve));
		try {
			const result = await discover({localhost: false, hosts: [host], docker: false, nativeConfigFiles: false});
			assert.deepEqual(
				result.services.map(service => [service.kind, service.url, service.urlBase]),
				[['sonarr', `http://${host}:8989/sonarr`, '/sonarr']],
			);
			assert.equal(result.unknown.length, 1);
			assert.equal(result.unknown[0]!.port, 8080);
			assert.match(result.unknown[0]!.description, /nginx/);
		} finally {
			await sonarr.stop();
			await new Promise(resolve => other.close(resolve));
		}
	});

	it('--scan sweeps a network with bounded concurrency and finds a service on a default port', async () => {
		const host = (await findLabHost([7878])) ?? '127.0.0.1';
		const radarr = new ServarrEmulator({kind: 'radarr', apiKey: randomKey(), host, port: 7878, authenticationMethod: 'none'});
		await radarr.start();
		try {
			const network = `${host.split('.').slice(0, 3).join('.')}.0/28`;
			const result = await discover({localhost: false, scan: [network], docker: false, nativeConfigFiles: false, concurrency: 32, connectTimeoutMs: 300});
			const service = result.services.find(candidate => candidate.url === radarr.url);
			assert.equal(service?.kind, 'radarr');
			assert.equal(service?.source, 'scan');
			assert.equal(service?.key?.value, radarr.apiKey, 'an *arr with no UI authentication hands its key to /initialize.json');
			assert.match(service?.key?.from ?? '', /initialize\.json/);
			assert.ok(service?.notes.some(note => /no authentication/.test(note)));
		} finally {
			await radarr.stop();
		}
	});

	it('a folder the user names that holds none of the files: nothing read, no error', async () => {
		const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-config-'));
		try {
			writeFileSync(path.join(folder, 'unrelated.txt'), 'x');
			const result = await discover({localhost: false, docker: false, configFolders: [folder], nativeConfigFiles: false});
			assert.deepEqual(result.configFiles, []);
		} finally {
			rmSync(folder, {recursive: true, force: true});
		}
	});
});
