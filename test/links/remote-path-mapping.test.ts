// The remote path mapping link: planned only where the desired state asks for one; a mapping arrwire made is its own
// to update, one made by hand is shown as such; apply, verify and undo against the lab's Sonarr.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {applyLinks, planLinks, undoLastRun} from '../../source/links/engine.js';
import {sonarrRemotePathMappingLink, type RemotePathMappingContext} from '../../source/links/remote-path-mapping.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {Journal} from '../../source/state/journal.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('link: Sonarr remote path mapping', () => {
	let lab: Lab;
	let scratch: string;
	let sonarr: ServarrClient;
	let context: RemotePathMappingContext;
	// Sonarr checks that the local path exists: the lab's folders.
	let wanted: {host: string; remotePath: string; localPath: string};
	const yes = {confirm: async () => true};

	beforeEach(async () => {
		lab = await startLab({defaultPorts: false});
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-link-rpm-'));
		wanted = {host: 'qbittorrent', remotePath: '/downloads/', localPath: `${lab.paths.torrents}/`};
		sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		context = {clients: {sonarr}, desired: {remotePathMappings: {sonarr: wanted}}, journal: await Journal.open(path.join(scratch, 'journal.json'))};
	});
	afterEach(async () => {
		assertNoSpecViolations(...lab.emulators());
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});

	it('not planned where qBittorrent and Sonarr see the downloads at the same path', async () => {
		context.desired.remotePathMappings = {};
		const [plan] = await planLinks([sonarrRemotePathMappingLink], context);
		assert.equal(plan!.skipped, 'not needed: qBittorrent and Sonarr see the downloads at the same path');
		assert.deepEqual(plan!.changes, []);
		const result = await applyLinks([sonarrRemotePathMappingLink], context, yes);
		assert.deepEqual(result.applied, []);
		assert.deepEqual(await sonarr.remotePathMappings(), []);
	});

	it('where they differ: created, verified, planned no more, and undone', async () => {
		const [plan] = await planLinks([sonarrRemotePathMappingLink], context);
		assert.deepEqual(
			plan!.changes.map(change => [change.action, change.target, change.handMade, change.fields.map(field => `${field.name}=${String(field.to)}`)]),
			[['create', 'remote path mapping qbittorrent:/downloads/', false, ['host=qbittorrent', 'remote path=/downloads/', `local path=${lab.paths.torrents}/`]]],
		);
		const result = await applyLinks([sonarrRemotePathMappingLink], context, yes);
		assert.equal(result.applied.length, 1);
		assert.deepEqual(result.findings, []);
		assert.deepEqual((await sonarr.remotePathMappings()).map(({host, remotePath, localPath}) => ({host, remotePath, localPath})), [wanted]);
		assert.deepEqual((await planLinks([sonarrRemotePathMappingLink], context))[0]!.changes, []);
		await undoLastRun([sonarrRemotePathMappingLink], context);
		assert.deepEqual(await sonarr.remotePathMappings(), []);
	});

	it('a mapping arrwire made, with another local path since: an update that is not shown as made by hand', async () => {
		await applyLinks([sonarrRemotePathMappingLink], context, yes);
		context.desired.remotePathMappings = {sonarr: {...wanted, localPath: `${lab.paths.data}/`}};
		const [plan] = await planLinks([sonarrRemotePathMappingLink], context);
		assert.deepEqual(plan!.changes.map(change => [change.action, change.handMade, change.fields.map(field => [field.name, field.from, field.to])]), [
			['update', false, [['local path', `${lab.paths.torrents}/`, `${lab.paths.data}/`]]],
		]);
	});

	it('a mapping made by hand for the same host and remote path: the update is shown as made by hand, and verify names the gap', async () => {
		await sonarr.addRemotePathMapping({host: 'qbittorrent', remotePath: '/downloads/', localPath: `${lab.paths.media}/`});
		const [plan] = await planLinks([sonarrRemotePathMappingLink], context);
		assert.deepEqual(plan!.changes.map(change => [change.action, change.handMade, change.fields.map(field => [field.name, field.from, field.to])]), [
			['update', true, [['local path', `${lab.paths.media}/`, `${lab.paths.torrents}/`]]],
		]);
		assert.deepEqual((await sonarrRemotePathMappingLink.verify(context)).map(finding => finding.id), ['link.remote-path-mapping-missing']);
		// Declined, it stays as the user made it.
		const result = await applyLinks([sonarrRemotePathMappingLink], context, {confirm: async change => !change.handMade});
		assert.equal(result.declined.length, 1);
		assert.deepEqual((await sonarr.remotePathMappings()).map(mapping => mapping.localPath), [`${lab.paths.media}/`]);
	});
});
