// The canary proof writes only on this machine: with a qBittorrent on another machine, a folder of the same name
// here is not its download folder, so nothing is written, and the report says why the proof did not run.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {canaryProof} from '../../source/checks/canary.js';
import type {StackPaths} from '../../source/checks/paths.js';
import {ServarrClient} from '../../source/services/servarr.js';

describe('the canary proof with qBittorrent on another machine', () => {
	const root = mkdtempSync(path.join(tmpdir(), 'arrwire-canary-elsewhere-'));
	after(() => rmSync(root, {recursive: true, force: true}));

	it('writes nothing into the folder of the same name here, and says the proof did not run', async () => {
		const downloads = path.join(root, 'torrents');
		const tv = path.join(root, 'media', 'tv');
		mkdirSync(downloads, {recursive: true});
		mkdirSync(tv, {recursive: true});
		const stack: StackPaths = {
			qbittorrent: {view: {service: 'qBittorrent'}, defaultSavePath: downloads, autoTmm: false, categories: {}},
			arrs: [{service: 'Sonarr', view: {service: 'Sonarr'}, category: 'tv', rootFolders: [tv], remotePathMappings: [], downloadClientHost: 'nas.local'}],
		};
		// Never asked: the proof stops before any request (the address is a closed loopback port).
		const sonarr = new ServarrClient({kind: 'sonarr', url: 'http://127.0.0.1:9', apiKey: 'unused'});
		const report = await canaryProof(stack, {sonarr}, {qbittorrentElsewhere: 'nas.local'});
		assert.deepEqual(report.written, []);
		assert.deepEqual(
			report.findings.map(finding => [finding.id, finding.severity, finding.subject]),
			[['canary.not-run', 'info', 'qBittorrent']],
		);
		assert.match(report.findings[0]!.cause, /qBittorrent runs on another machine \(nas\.local\)/);
		assert.deepEqual(readdirSync(downloads), []);
		assert.deepEqual(readdirSync(tv), []);
	});
});
