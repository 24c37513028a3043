// The Servarr and Prowlarr clients against the lab: every endpoint the links use, and errors that name the service,
// the URL and the status, say how to fix it, and never show the key.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {fieldValue, withFields} from '../../source/services/provider.js';
import {ProwlarrClient} from '../../source/services/prowlarr.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {ServarrEmulator} from '../../source/lab/servarr.js';
import {rejection} from '../helpers.js';

describe('Servarr and Prowlarr clients against the lab', () => {
	let lab: Lab;
	let sonarr: ServarrClient;
	let radarr: ServarrClient;
	let prowlarr: ProwlarrClient;
	before(async () => {
		lab = await startLab({defaultPorts: false});
		sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		radarr = new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr});
		prowlarr = new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr});
	});
	after(async () => {
		await lab?.stop();
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('reads status, health, host config, quality profiles and tags', async () => {
		const status = await sonarr.systemStatus();
		assert.equal(status.appName, 'Sonarr');
		assert.equal((await radarr.systemStatus()).appName, 'Radarr');
		assert.equal((await prowlarr.systemStatus()).appName, 'Prowlarr');
		assert.ok((await sonarr.health()).some(check => check.source === 'RootFolderCheck'));
		assert.equal((await sonarr.hostConfig()).authenticationMethod, 'forms');
		assert.ok((await radarr.qualityProfiles()).some(profile => profile.name === 'HD-1080p'));
		const tag = await sonarr.addTag('Arrwire');
		assert.equal(tag.label, 'arrwire');
		assert.ok((await sonarr.tags()).some(candidate => candidate.id === tag.id));
	});

	it('adds and removes root folders and remote path mappings', async () => {
		const folder = await radarr.addRootFolder(lab.paths.movies);
		assert.deepEqual((await radarr.rootFolders()).map(candidate => candidate.path), [lab.paths.movies]);
		const error = await rejection(radarr.addRootFolder(path.join(lab.paths.media, 'missing')));
		assert.equal(error.kind, 'validation');
		assert.equal(error.status, 400);
		assert.match(error.message, /Radarr rejected the request \(HTTP 400\).*Path: Path '.*missing' does not exist/);
		assert.match(error.fix, /must exist and be writable inside Radarr/);
		await radarr.deleteRootFolder(folder.id);

		const mapping = await sonarr.addRemotePathMapping({host: 'qbittorrent', remotePath: '/downloads/', localPath: lab.paths.torrents});
		const moved = await sonarr.updateRemotePathMapping({...mapping, remotePath: '/data/torrents/'});
		assert.equal(moved.remotePath, '/data/torrents/');
		assert.equal((await sonarr.remotePathMappings()).length, 1);
		await sonarr.deleteRemotePathMapping(mapping.id);
	});

	it('creates a qBittorrent download client from the schema, reads it back masked, tests and updates it', async () => {
		const template = (await sonarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		const body = withFields(
			{...template, name: 'qBittorrent'},
			{host: lab.qbittorrent.host, port: lab.qbittorrent.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'tv'},
		);
		const created = await sonarr.create('downloadclient', body);
		const [stored] = await sonarr.downloadClients();
		assert.equal(stored!.id, created.id);
		assert.equal(fieldValue(stored!, 'password'), '********');
		await sonarr.test('downloadclient', stored!);
		const updated = await sonarr.update('downloadclient', withFields(stored!, {tvCategory: 'tv-renamed'}));
		assert.equal(fieldValue(updated, 'tvCategory'), 'tv-renamed');

		const refused = await rejection(sonarr.test('downloadclient', withFields(stored!, {password: 'wrong-password'})));
		assert.equal(refused.kind, 'validation');
		assert.equal(refused.validation[0]!.propertyName, 'Username');
		assert.doesNotMatch(JSON.stringify(refused.toJSON()), /wrong-password/);
		await sonarr.remove('downloadclient', created.id!);
	});

	it('adds NZBgeek to Prowlarr, links Radarr, runs a sync command and sees the indexer arrive in Radarr', async () => {
		const preset = (await prowlarr.indexerSchema()).find(entry => entry.name === 'NZBgeek')!;
		const indexer = await prowlarr.create('indexer', withFields(preset, {apiKey: lab.keys.nzbgeek}));
		assert.equal((await prowlarr.indexers())[0]!.id, indexer.id);
		assert.deepEqual((await prowlarr.appProfiles()).map(profile => profile.name), ['Standard']);

		const template = (await prowlarr.applicationSchema()).find(entry => entry.implementation === 'Radarr')!;
		const application = await prowlarr.create('applications', withFields({...template, name: 'Radarr'}, {prowlarrUrl: lab.prowlarr.url, baseUrl: lab.radarr.url, apiKey: lab.keys.radarr}));
		const command = await prowlarr.runCommand('ApplicationIndexerSync');
		assert.equal(command.status, 'completed');
		await lab.prowlarr.idle();
		const indexers = await radarr.indexers();
		assert.deepEqual(
			indexers.map(candidate => candidate.name),
			['NZBgeek (Prowlarr)'],
		);
		await prowlarr.remove('applications', application.id!);
		await prowlarr.remove('indexer', indexer.id!);
	});

	it('a wrong key: names the service and where to find the key, never shows it', async () => {
		const wrongKey = 'f'.repeat(32);
		const error = await rejection(new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: wrongKey}).systemStatus());
		assert.equal(error.kind, 'unauthorized');
		assert.equal(error.status, 401);
		assert.equal(error.service, 'Sonarr');
		assert.match(error.fix, /Settings → General → Security → API Key/);
		assert.doesNotMatch(`${error.message} ${error.fix} ${JSON.stringify(error)}`, new RegExp(wrongKey));
		const prowlarrError = await rejection(new ProwlarrClient({url: lab.prowlarr.url, apiKey: wrongKey}).systemStatus());
		assert.equal(prowlarrError.service, 'Prowlarr');
		assert.equal(prowlarrError.kind, 'unauthorized');
	});

	it('a URL base left out: says the URL base is missing', async () => {
		const behindBase = new ServarrEmulator({kind: 'radarr', apiKey: lab.keys.radarr, urlBase: '/radarr'});
		await behindBase.start();
		try {
			const origin = `http://${behindBase.host}:${behindBase.port}`;
			// Following the 307 works, as the real service's redirect does for a GET.
			assert.equal((await new ServarrClient({kind: 'radarr', url: origin, apiKey: lab.keys.radarr}).systemStatus()).urlBase, '/radarr');
			const error = await rejection(new ServarrClient({kind: 'radarr', url: origin, apiKey: lab.keys.radarr}).http.request('GET', '/api/v3/system/status', {redirect: 'manual'}));
			assert.equal(error.kind, 'redirect');
			assert.match(error.fix, /URL base/);
		} finally {
			await behindBase.stop();
		}
	});

	it('a service that stopped, and one that answers too slowly', async () => {
		lab.radarr.inject({path: '/api/v3/system/status', delayMs: 500, times: 1});
		const slow = await rejection(new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr, timeoutMs: 100}).systemStatus());
		assert.equal(slow.kind, 'timeout');
		const stopped = new ServarrClient({kind: 'sonarr', url: 'http://127.0.0.1:1', apiKey: lab.keys.sonarr});
		const error = await rejection(stopped.systemStatus());
		assert.equal(error.kind, 'unreachable');
		assert.match(error.message, /Sonarr could not be reached/);
		assert.match(error.fix, /running and listening at http:\/\/127\.0\.0\.1:1/);
	});
});
