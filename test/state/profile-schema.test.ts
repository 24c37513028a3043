// What loadProfile accepts from the file and how it says what it does not: the missing hosts list defaults to none,
// keys it does not know are dropped, and a wrong value is named in English in the message the user reads.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {loadProfile} from '../../source/state/profile.js';

const service = {kind: 'sonarr', url: 'http://127.0.0.1:8989', source: 'localhost'};

describe('loadProfile reads what it saved, and only that', () => {
	let folder: string;
	let file: string;
	beforeEach(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'arrwire-profile-schema-'));
		mkdirSync(path.join(folder, 'arrwire'), {mode: 0o700});
		file = path.join(folder, 'arrwire', 'profile.json');
	});
	afterEach(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	function write(content: unknown): void {
		writeFileSync(file, JSON.stringify(content), {mode: 0o600});
	}

	it('a profile without hosts has none, and keys it does not know are dropped', async () => {
		write({version: 1, savedAt: '2026-01-01T00:00:00.000Z', storeSecrets: false, services: [{...service, color: 'blue'}], extra: true});
		const loaded = await loadProfile(file);
		assert.deepEqual(loaded, {version: 1, savedAt: '2026-01-01T00:00:00.000Z', storeSecrets: false, hosts: [], services: [service]});
	});

	it('a value of the wrong type is refused with a message that says what was expected', async () => {
		write({version: 1, savedAt: '2026-01-01T00:00:00.000Z', storeSecrets: 'yes', services: []});
		await assert.rejects(loadProfile(file), {
			message: `The saved profile ${file} is not one arrwire can read (Invalid input: expected boolean, received string). Move it away and run arrwire again.`,
		});
	});

	it('a kind of service it does not know is refused with the kinds it knows', async () => {
		write({version: 1, savedAt: '2026-01-01T00:00:00.000Z', storeSecrets: false, services: [{...service, kind: 'lidarr'}]});
		await assert.rejects(loadProfile(file), {
			message: /\(Invalid option: expected one of "prowlarr"\|"sonarr"\|"radarr"\|"qbittorrent"\|"jellyfin"\|"jellyseerr"\|"nzbget"\|"sabnzbd"\)/,
		});
	});
});
