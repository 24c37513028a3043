// The root-folder and remote-path-mapping links against the lab's Sonarr and Radarr.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {radarrRemotePathMappingLink, sonarrRemotePathMappingLink, type RemotePathMappingContext} from '../../source/links/remote-path-mapping.js';
import {radarrRootFolderLink, sonarrRootFolderLink, type RootFolderContext} from '../../source/links/root-folder.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('links: root folders and remote path mappings', () => {
	let lab: Lab;
	let scratch: string;
	let context: RootFolderContext & RemotePathMappingContext;
	const yes = {confirm: async () => true};

	before(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-rf-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	beforeEach(async () => {
		for (const emulator of [lab.sonarr, lab.radarr]) {
			emulator.rootFolders.splice(0);
			emulator.remotePathMappings.splice(0);
			emulator.clearFaults();
		}
		context = {
			clients: {
				sonarr: new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}),
				radarr: new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}),
			},
			desired: {rootFolders: {sonarr: lab.paths.tv, radarr: lab.paths.movies}, remotePathMappings: {}},
			journal: await Journal.open(path.join(scratch, `journal-${Date.now()}-${Math.random()}.json`)),
		};
	});
	afterEach(() => {
		assertNoSpecViolations(...lab.emulators());
	});

	it('adds the media folders as root folders once, keeps the user\'s other root folders, and undoes only its own', async () => {
		const other = path.join(lab.paths.media, 'anime');
		mkdirSync(other, {recursive: true});
		await context.clients.sonarr!.addRootFolder(other);
		const links = [sonarrRootFolderLink, radarrRootFolderLink];
		const plans = await planLinks(links, context);
		assert.deepEqual(
			plans.map(plan => plan.changes.map(change => `${change.service}: ${change.action} ${change.target}`)),
			[[`Sonarr: create root folder ${lab.paths.tv}`], [`Radarr: create root folder ${lab.paths.movies}`]],
		);
		assert.match(plans[0]!.changes[0]!.reason ?? '', /anime; those stay as they are/);
		const result = await applyLinks(links, context, yes);
		assert.equal(result.applied.length, 2);
		assert.deepEqual(result.findings, []);
		const writes = lab.sonarr.writes().length + lab.radarr.writes().length;
		assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);
		await applyLinks(links, context, yes);
		assert.equal(lab.sonarr.writes().length + lab.radarr.writes().length, writes, 'no write on a second apply');
		await undoLastRun(links, context);
		assert.deepEqual((await context.clients.sonarr!.rootFolders()).map(folder => folder.path), [other]);
	});

	it('a folder that does not exist: Sonarr refuses it, and the failure says what to do', async () => {
		context.desired.rootFolders.sonarr = path.join(lab.paths.media, 'not-created');
		const result = await applyLinks([sonarrRootFolderLink], context, yes);
		assert.ok(result.failed);
		assert.match(result.failed.error.message, /does not exist/);
		assert.match((result.failed.error as {fix?: string}).fix ?? '', /must exist and be writable inside Sonarr/);
	});

	for (const fault of [{status: 500}, {reset: true}] as const) {
		it(`a failure on the root-folder write (${Object.keys(fault)[0]}): the next run adds it once`, async () => {
			lab.radarr.inject({method: 'POST', path: '/api/v3/rootfolder', times: 1, ...fault});
			const first = await applyLinks([radarrRootFolderLink], context, yes);
			assert.equal(first.failed?.change.service, 'Radarr');
			await applyLinks([radarrRootFolderLink], context, yes);
			assert.deepEqual((await context.clients.radarr!.rootFolders()).map(folder => folder.path), [lab.paths.movies]);
		});
	}

	it("one /data tree and a user's stale mapping for qBittorrent's host: plan shows its deletion (hand-made), apply removes it, undo puts it back", async () => {
		// Made when the downloads lived elsewhere (Sonarr checks that a mapping's local folder exists when it is saved).
		const old = path.join(scratch, 'old-torrents');
		const other = path.join(scratch, 'other');
		mkdirSync(old, {recursive: true});
		mkdirSync(other, {recursive: true});
		const stale = await context.clients.sonarr!.addRemotePathMapping({host: lab.qbittorrent.host.toUpperCase(), remotePath: `${lab.paths.torrents}/`, localPath: `${old}/`});
		// A mapping for another host is Sonarr's business elsewhere and stays.
		await context.clients.sonarr!.addRemotePathMapping({host: 'other-box', remotePath: `${lab.paths.torrents}/`, localPath: `${other}/`});
		context.desired.downloads = {tv: lab.paths.torrentsTv, movies: lab.paths.torrentsMovies};
		context.desired.addresses = {'sonarr->qbittorrent': {host: lab.qbittorrent.host, port: lab.qbittorrent.port, useSsl: false, urlBase: '', reason: 'lab'}};
		assert.equal(sonarrRemotePathMappingLink.applicable(context), true, 'no mapping is needed, but a stale one must be looked for');
		const [plan] = await planLinks([sonarrRemotePathMappingLink], context);
		assert.deepEqual(
			plan!.changes.map(change => `${change.service}: ${change.action} ${change.target} hand-made=${change.handMade}`),
			[`Sonarr: delete remote path mapping ${lab.qbittorrent.host.toUpperCase()}:${lab.paths.torrents}/ hand-made=true`],
		);
		assert.match(plan!.changes[0]!.reason ?? '', new RegExp(`imports look in ${old}/`));
		const verified = await sonarrRemotePathMappingLink.verify(context);
		assert.deepEqual(verified.map(finding => finding.id), ['link.remote-path-mapping-wrong']);
		const result = await applyLinks([sonarrRemotePathMappingLink], context, yes);
		assert.equal(result.applied.length, 1);
		assert.deepEqual(result.findings, []);
		assert.deepEqual((await context.clients.sonarr!.remotePathMappings()).map(mapping => mapping.host), ['other-box']);
		assert.deepEqual((await planLinks([sonarrRemotePathMappingLink], context)).flatMap(each => each.changes), []);
		await undoLastRun([sonarrRemotePathMappingLink], context);
		assert.deepEqual(
			(await context.clients.sonarr!.remotePathMappings()).map(mapping => [mapping.host, mapping.localPath]).sort(),
			[['other-box', `${other}/`], [stale.host, `${old}/`]].sort(),
		);
	});

	it('a remote path mapping only when one is needed; an injected reset converges to one mapping', async () => {
		assert.equal(sonarrRemotePathMappingLink.applicable(context), 'not needed: qBittorrent and Sonarr see the downloads at the same path');
		context.desired.remotePathMappings = {radarr: {host: lab.qbittorrent.host, remotePath: '/downloads/', localPath: lab.paths.torrents}};
		lab.radarr.inject({method: 'POST', path: '/api/v3/remotepathmapping', reset: true, times: 1});
		const links = [sonarrRemotePathMappingLink, radarrRemotePathMappingLink];
		const first = await applyLinks(links, context, yes);
		assert.equal(first.failed?.change.service, 'Radarr');
		const second = await applyLinks(links, context, yes);
		assert.equal(second.applied.length, 1);
		assert.deepEqual(second.findings, []);
		assert.deepEqual(
			(await context.clients.radarr!.remotePathMappings()).map(mapping => [mapping.host, mapping.remotePath, mapping.localPath]),
			[[lab.qbittorrent.host, '/downloads/', `${lab.paths.torrents}/`]],
		);
		assert.deepEqual((await planLinks(links, context)).flatMap(plan => plan.changes), []);
	});
});
