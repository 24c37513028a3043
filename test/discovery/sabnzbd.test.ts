// Discovery of SABnzbd: told apart from qBittorrent by its answers, never by port (both default to 8080, and either
// is moved to 8085 or 8090); its API key read from sabnzbd.ini and given only to the SABnzbd that file describes.
import assert from 'node:assert/strict';
import http from 'node:http';
import {writeFileSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {DEFAULT_PORTS, serviceForImage} from '../../source/discovery/catalogue.js';
import {folderCandidates, parseSabnzbdIni, readConfigFile, type ConfigFileFound} from '../../source/discovery/config-files.js';
import {checkCredential} from '../../source/discovery/credentials.js';
import {checkKnownCredentials} from '../../source/discovery/collect.js';
import {discover} from '../../source/discovery/discover.js';
import {clientsFor} from '../../source/discovery/stack.js';
import {fingerprint, type FoundService} from '../../source/discovery/fingerprint.js';
import {filePort, whyNotOwner} from '../../source/discovery/key-owner.js';
import {makeTempFolder, type TempFolder} from '../../source/lab/cleanup.js';
import {findLabHost} from '../../source/lab/lab.js';
import {freePort, startQbittorrent, type RunningQbittorrent} from '../../source/lab/qbittorrent.js';
import {SAB_MESSAGES, SabnzbdEmulator} from '../../source/lab/sabnzbd.js';

/** Other work shares this machine: a slow answer is still an answer. */
const PATIENT = {timeoutMs: 8000};

function service(found: Awaited<ReturnType<typeof fingerprint>>): FoundService {
	assert.equal(found?.found, 'service', JSON.stringify(found));
	return found;
}

describe('discovery: SABnzbd beside qBittorrent', () => {
	let folder: TempFolder;
	/** qBittorrent on 8080 and SABnzbd moved to 8085, on one address. */
	let shared: string;
	/** SABnzbd alone on its default 8080, on another address. */
	let alone: string;
	let qbittorrent: RunningQbittorrent;
	let moved: SabnzbdEmulator;
	let onDefault: SabnzbdEmulator;

	before(async () => {
		folder = makeTempFolder('arrwire-lab-');
		shared = (await findLabHost([8080, 8085])) ?? assert.fail('no free loopback address with 8080 and 8085 free');
		do {
			alone = (await findLabHost([8080])) ?? assert.fail('no free loopback address with 8080 free');
		} while (alone === shared);
		qbittorrent = await startQbittorrent({host: shared, port: 8080, savePath: path.join(folder.path, 'torrents'), profileDir: path.join(folder.path, 'qbittorrent')});
		moved = new SabnzbdEmulator({host: shared, port: 8085, configDir: path.join(folder.path, 'config', 'sabnzbd'), completeDir: '/data/usenet/complete', hasServers: true});
		onDefault = new SabnzbdEmulator({host: alone, port: 8080});
		await moved.start();
		await onDefault.start();
	});
	after(async () => {
		await moved?.stop();
		await onDefault?.stop();
		await qbittorrent?.stop();
		await folder?.remove();
	});

	it('8080 is probed once for two services, and the ports SABnzbd is usually moved to are probed too', () => {
		assert.equal(DEFAULT_PORTS.filter(port => port === 8080).length, 1);
		assert.ok(DEFAULT_PORTS.includes(8085) && DEFAULT_PORTS.includes(8090));
		assert.equal(serviceForImage('lscr.io/linuxserver/sabnzbd:latest'), 'sabnzbd');
	});

	it('on port 8080 each is named by what it answers: qBittorrent on one address, SABnzbd on the other', async () => {
		const qbt = service(await fingerprint(shared, 8080, PATIENT));
		assert.equal(qbt.kind, 'qbittorrent');
		const sab = service(await fingerprint(alone, 8080, PATIENT));
		assert.equal(sab.kind, 'sabnzbd');
		assert.equal(sab.version, onDefault.version);
		assert.equal(sab.url, `http://${alone}:8080`);
		assert.match(sab.identifiedBy, /mode=version/);
		// A new SABnzbd (no news server) sends its web root to the wizard: said, not hidden.
		assert.equal(sab.setupComplete, false);
		assert.ok(sab.notes.some(note => /wizard/.test(note)));
	});

	it('SABnzbd moved to 8085 is still SABnzbd', async () => {
		const sab = service(await fingerprint(shared, 8085, PATIENT));
		assert.equal(sab.kind, 'sabnzbd');
		assert.equal(sab.setupComplete, undefined);
	});

	it('a SABnzbd that refuses the name it is reached by is still recognised, with the fix', async () => {
		moved.inject({path: '/api', status: 403, body: SAB_MESSAGES.hostname, times: 1});
		const sab = service(await fingerprint(shared, 8085, PATIENT));
		assert.equal(sab.kind, 'sabnzbd');
		assert.ok(sab.notes.some(note => /host_whitelist/.test(note)));
		moved.clearFaults();
	});

	it('a program that only answers {"version": …} at /api is not taken for SABnzbd', async () => {
		const host = '127.0.0.1';
		const port = await freePort(host);
		const server = http.createServer((request, response) => {
			if (request.url?.startsWith('/api?mode=version')) {
				response.writeHead(200, {'content-type': 'application/json'}).end('{"version":"1.2.3"}');
			} else {
				response.writeHead(404).end('Not Found');
			}
		});
		await new Promise<void>(resolve => server.listen(port, host, resolve));
		try {
			assert.equal((await fingerprint(host, port, PATIENT))?.found, 'unknown');
		} finally {
			server.close();
		}
	});

	it('discover finds both SABnzbds and the qBittorrent, each by its answers', async () => {
		const found = await discover({localhost: false, hosts: [shared, alone], docker: false, nativeConfigFiles: false, configFolders: [], requestTimeoutMs: PATIENT.timeoutMs});
		const at = (host: string, port: number) => found.services.find(entry => entry.host === host && entry.port === port)?.kind;
		assert.equal(at(shared, 8080), 'qbittorrent', JSON.stringify({services: found.services.map(entry => [entry.kind, entry.host, entry.port]), unknown: found.unknown}));
		assert.equal(at(shared, 8085), 'sabnzbd');
		assert.equal(at(alone, 8080), 'sabnzbd');
	});

	it("the key in sabnzbd.ini is accepted live; a wrong one is refused and said where the right one is", async () => {
		const target = {kind: 'sabnzbd' as const, url: moved.url};
		const good = await checkCredential(target, {apiKey: moved.apiKey});
		assert.equal(good.ok, true);
		assert.equal(good.ok && good.version, moved.version);
		const bad = await checkCredential(target, {apiKey: '0'.repeat(32)});
		assert.equal(bad.ok, false);
		assert.equal(!bad.ok && bad.reason, 'refused');
		assert.match(!bad.ok ? bad.fix : '', /sabnzbd\.ini/);
	});

	it('sabnzbd.ini is read from a config folder; its key belongs to the SABnzbd at the port it names only', async () => {
		const candidate = folderCandidates([path.join(folder.path, 'config')]).find(entry => entry.kind === 'sabnzbd')!;
		const read = (await readConfigFile(candidate)) as ConfigFileFound;
		assert.equal(read.sabnzbd?.apiKey, moved.apiKey);
		assert.equal(read.sabnzbd?.port, 8085);
		assert.equal(read.sabnzbd?.address, shared);
		const address = (host: string, port: number) => ({kind: 'sabnzbd' as const, name: 'SABnzbd', host, port, tls: false, urlBase: ''});
		const local = () => true;
		assert.equal(whyNotOwner(address(shared, 8085), read, local), undefined);
		assert.match(whyNotOwner(address(alone, 8080), read, local) ?? '', /belongs to the SABnzbd at .*:8085/);
	});
	it('discover reads the key of sabnzbd.ini for its own SABnzbd only, lists it after qBittorrent, and the stack gets a SABnzbd client', async () => {
		const found = await discover({localhost: false, hosts: [shared, alone], docker: false, nativeConfigFiles: false, configFolders: [path.join(folder.path, 'config')], requestTimeoutMs: PATIENT.timeoutMs});
		const own = found.services.find(entry => entry.kind === 'sabnzbd' && entry.host === shared && entry.port === 8085);
		const other = found.services.find(entry => entry.kind === 'sabnzbd' && entry.host === alone);
		assert.ok(own && other, JSON.stringify(found.services.map(entry => [entry.kind, entry.host, entry.port])));
		assert.equal(own.key?.value, moved.apiKey);
		assert.match(own.key?.from ?? '', /sabnzbd\.ini/);
		assert.equal(other.key, undefined);
		assert.match(other.keyWithheld?.join(' ') ?? '', /belongs to the SABnzbd at .*:8085/);
		const kinds = found.services.map(entry => entry.kind);
		assert.ok(kinds.indexOf('qbittorrent') < kinds.indexOf('sabnzbd'), kinds.join(', '));
		const states = await checkKnownCredentials([own]);
		assert.equal(states[0]!.check?.ok, true, JSON.stringify(states[0]!.check));
		const {clients} = clientsFor(states);
		assert.equal(clients.sabnzbd?.url, own.url);
		assert.equal((await clients.sabnzbd.categories()).some(category => category.name === 'tv'), true);
	});
});

describe('discovery: sabnzbd.ini', () => {
	it('reads [misc] only (not a [[misc]] subsection), unquotes values, skips comments', () => {
		const ini = [
			'__version__ = 19',
			'# a comment: api_key = not-this',
			'[misc]',
			'host = 0.0.0.0',
			'port = 8090',
			'https_port = ""',
			'enable_https = 0',
			'url_base = /sabnzbd/',
			'api_key = "0123456789abcdef0123456789abcdef"',
			'[categories]',
			'[[misc]]',
			'api_key = wrong',
			'dir = misc',
		].join('\n');
		assert.deepEqual(parseSabnzbdIni(ini), {apiKey: '0123456789abcdef0123456789abcdef', address: '0.0.0.0', port: 8090, httpsPort: undefined, enableHttps: false, urlBase: '/sabnzbd'});
	});

	it('with enable_https and no https_port, the one port is HTTPS; with an https_port, both are served', () => {
		const file = (more: string): ConfigFileFound => ({kind: 'sabnzbd', file: 'sabnzbd.ini', origin: 'test', sabnzbd: parseSabnzbdIni(`[misc]\napi_key = k\nport = 9090\n${more}`)});
		const only = file('enable_https = 1');
		assert.equal(filePort(only, true), 9090);
		assert.equal(filePort(only, false), undefined);
		const both = file('enable_https = 1\nhttps_port = 9443');
		assert.equal(filePort(both, true), 9443);
		assert.equal(filePort(both, false), 9090);
	});

	it('a file that is not a sabnzbd.ini is said as such, never quoted', async () => {
		const folder = makeTempFolder('arrwire-lab-');
		try {
			mkdirSync(path.join(folder.path, 'sabnzbd'));
			writeFileSync(path.join(folder.path, 'sabnzbd', 'sabnzbd.ini'), '[General]\nsecret = s3cr3t-value\n');
			const candidate = folderCandidates([folder.path]).find(entry => entry.kind === 'sabnzbd')!;
			const read = await readConfigFile(candidate);
			assert.ok(read && 'reason' in read);
			assert.ok(!JSON.stringify(read).includes('s3cr3t-value'));
		} finally {
			await folder.remove();
		}
	});
});
