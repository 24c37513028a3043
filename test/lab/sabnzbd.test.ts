// The SABnzbd emulator answers as sabnzbd/interface.py and sabnzbd/api.py do: anonymous version, 403 texts for a
// missing or wrong key, categories created, updated and deleted through set_config/del_config, sabnzbd.ini kept.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {get as httpGet} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {makeTempFolder, type TempFolder} from '../../source/lab/cleanup.js';
import {discover} from '../../source/discovery/discover.js';
import {findLabHost, SABNZBD_LAB_PORT, startLab, type Lab} from '../../source/lab/lab.js';
import {SAB_MESSAGES, SabnzbdEmulator} from '../../source/lab/sabnzbd.js';

/** fetch sets Host itself; a request with another Host header (a container name) goes through node:http. */
function getWithHost(url: string, host: string): Promise<{status: number; text: string}> {
	return new Promise((resolve, reject) => {
		httpGet(url, {headers: {host}}, response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve({status: response.statusCode ?? 0, text}));
		}).on('error', reject);
	});
}

async function api(sab: SabnzbdEmulator, query: Record<string, string>): Promise<{status: number; type: string; text: string; json: any}> {
	const url = new URL(`${sab.url}/api`);
	for (const [key, value] of Object.entries({output: 'json', ...query})) {
		url.searchParams.set(key, value);
	}
	const response = await fetch(url, {redirect: 'manual'});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, type: response.headers.get('content-type') ?? '', text, json};
}

describe('lab: the SABnzbd emulator', () => {
	let sab: SabnzbdEmulator;
	let folder: TempFolder;
	before(async () => {
		folder = makeTempFolder('arrwire-lab-');
		// On its default port, on a loopback address of its own, as the lab places every service.
		const host = (await findLabHost([8080])) ?? '127.0.0.1';
		sab = new SabnzbdEmulator({host, port: host === '127.0.0.1' ? 0 : 8080, configDir: folder.path, completeDir: '/data/usenet/complete'});
		await sab.start();
	});
	after(async () => {
		await sab?.stop();
		await folder?.remove();
	});

	it('tells its version to anyone, and nothing else without the key (403, plain text, as check_apikey answers)', async () => {
		const version = await api(sab, {mode: 'version'});
		assert.equal(version.status, 200);
		assert.match(version.type, /^application\/json/);
		assert.deepEqual(version.json, {version: sab.version});

		const missing = await api(sab, {mode: 'get_config'});
		assert.equal(missing.status, 403);
		assert.equal(missing.text, SAB_MESSAGES.apiKeyRequired);
		const wrong = await api(sab, {mode: 'get_config', apikey: 'not-the-key'});
		assert.equal(wrong.status, 403);
		assert.equal(wrong.text, SAB_MESSAGES.apiKeyIncorrect);

		assert.deepEqual((await api(sab, {mode: 'auth'})).json, {auth: 'apikey'});
		assert.deepEqual((await api(sab, {mode: 'auth', key: 'nope'})).json, {auth: 'badkey'});
		assert.deepEqual((await api(sab, {mode: 'no_such_mode', apikey: sab.apiKey})).json, {status: false, error: 'not implemented'});
	});

	it('sends a new install to its wizard, and refuses a Host name it does not know (DNS-rebinding check)', async () => {
		const root = await fetch(`${sab.url}/`, {redirect: 'manual'});
		assert.equal(root.status, 303);
		assert.equal(root.headers.get('location'), '/wizard/');
		const renamed = await getWithHost(`${sab.url}/api?mode=version&output=json`, 'sabnzbd:8080');
		assert.equal(renamed.status, 403);
		assert.equal(renamed.text, SAB_MESSAGES.hostname);
		assert.equal((await getWithHost(`${sab.url}/api?mode=version&output=json`, 'nas.local:8080')).status, 200);
	});

	it('shows its settings to the key (api_key among them, as get_config does), and {} for what does not exist', async () => {
		const misc = await api(sab, {mode: 'get_config', section: 'misc', apikey: sab.apiKey});
		assert.equal(misc.json.config.misc.complete_dir, '/data/usenet/complete');
		assert.equal(misc.json.config.misc.api_key, sab.apiKey);
		const one = await api(sab, {mode: 'get_config', section: 'misc', keyword: 'download_dir', apikey: sab.apiKey});
		assert.deepEqual(one.json, {config: {misc: {download_dir: 'Downloads/incomplete'}}});
		assert.deepEqual((await api(sab, {mode: 'get_config', section: 'nothing', apikey: sab.apiKey})).json, {config: {}});
		const cats = await api(sab, {mode: 'get_cats', apikey: sab.apiKey});
		assert.deepEqual(cats.json, {categories: ['*', 'movies', 'tv', 'audio', 'software']});
	});

	it('creates and updates a category with set_config, deletes it with del_config, and keeps sabnzbd.ini', async () => {
		const created = await api(sab, {mode: 'set_config', section: 'categories', name: 'Anime', dir: 'anime', apikey: sab.apiKey});
		assert.deepEqual(created.json, {config: {categories: [{name: 'anime', order: 0, pp: '', script: 'Default', dir: 'anime', newzbin: '', priority: -100}]}});
		const updated = await api(sab, {mode: 'set_config', section: 'categories', keyword: 'tv', dir: 'tv', priority: '1', apikey: sab.apiKey});
		assert.equal(updated.json.config.categories[0].dir, 'tv');
		assert.equal(updated.json.config.categories[0].priority, 1);
		const ini = readFileSync(sab.configFile!, 'utf8');
		assert.match(ini, /^\[\[anime\]\]\nname = anime\n/m);
		assert.match(ini, new RegExp(`^api_key = ${sab.apiKey}$`, 'm'));

		assert.deepEqual((await api(sab, {mode: 'del_config', section: 'categories', keyword: 'anime', apikey: sab.apiKey})).json, {status: true});
		assert.deepEqual((await api(sab, {mode: 'del_config', section: 'categories', keyword: 'anime', apikey: sab.apiKey})).json, {status: true});
		assert.deepEqual((await api(sab, {mode: 'del_config', section: 'misc', keyword: 'port', apikey: sab.apiKey})).json, {status: false, error: 'not implemented'});
		assert.doesNotMatch(readFileSync(sab.configFile!, 'utf8'), /\[\[anime\]\]/);
		assert.deepEqual((await api(sab, {mode: 'set_config', section: 'misc', keyword: 'no_such_option', value: 'x', apikey: sab.apiKey})).json, {status: false, error: 'Config item does not exist'});
	});

	it('answers fullstatus with the resolved complete folder (what Sonarr reads when complete_dir is relative)', async () => {
		const status = await api(sab, {mode: 'fullstatus', skip_dashboard: '1', apikey: sab.apiKey});
		assert.equal(status.json.status.completedir, '/data/usenet/complete');
	});

	it('answers the API under its URL base and at / alike', async () => {
		const based = new SabnzbdEmulator({urlBase: '/sabnzbd', apiKey: 'k'.repeat(32)});
		await based.start();
		try {
			for (const prefix of ['', '/sabnzbd']) {
				const response = await fetch(`http://${based.host}:${based.port}${prefix}/api?mode=version&output=json`);
				assert.equal(response.status, 200, prefix);
			}
			const root = await fetch(`http://${based.host}:${based.port}/sabnzbd/`, {redirect: 'manual'});
			assert.equal(root.headers.get('location'), '/sabnzbd/wizard/');
		} finally {
			await based.stop();
		}
	});
});

describe('lab: SABnzbd beside the real qBittorrent', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab({sabnzbd: true});
	});
	after(async () => {
		await lab?.stop();
	});

	it('runs on the lab address, moved to 8085 (qBittorrent has 8080), downloads going to /data/usenet/complete', async () => {
		const sab = lab.sabnzbd!;
		assert.equal(sab.host, lab.host);
		if (lab.qbittorrent.port === 8080) {
			assert.equal(sab.port, SABNZBD_LAB_PORT);
		}
		assert.equal(sab.misc.complete_dir, `${lab.paths.usenet}/complete`);
		assert.match(readFileSync(lab.paths.config.sabnzbd! + '/sabnzbd.ini', 'utf8'), new RegExp(`^port = ${sab.port}$`, 'm'));
		assert.ok(lab.services().some(service => service.name.startsWith('SABnzbd') && service.url === sab.url));
	});

	it('discover finds qBittorrent and SABnzbd each by its answers, and reads sabnzbd.ini from the config folder', async () => {
		const options = lab.arrwireOptions(lab.paths.root);
		const found = await discover({localhost: false, hosts: options.hosts, docker: false, nativeConfigFiles: false, configFolders: options.configFolders, requestTimeoutMs: 8000});
		const kindAt = (port: number) => found.services.find(service => service.host === lab.host && service.port === port)?.kind;
		assert.equal(kindAt(lab.qbittorrent.port), 'qbittorrent');
		assert.equal(kindAt(lab.sabnzbd!.port), 'sabnzbd');
		const ini = found.configFiles.find(file => file.kind === 'sabnzbd');
		assert.equal(ini?.sabnzbd?.apiKey, lab.sabnzbd!.apiKey);
		assert.equal(ini?.sabnzbd?.port, lab.sabnzbd!.port);
	});
});
