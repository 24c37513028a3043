// saveProfile's own secret rule, whatever its caller did first: without the user's consent (storeSecrets false) no
// secret reaches the file, except a password arrwire set itself (nobody else knows it); with consent, all are kept.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {loadProfile, saveProfile, SET_BY_ARRWIRE, type ProfileService} from '../../source/state/profile.js';

const services: ProfileService[] = [
	{kind: 'qbittorrent', url: 'http://127.0.0.1:8080', source: 'host', username: 'admin', credentialFrom: 'typed in', secret: 'typed-qbittorrent-password'},
	{kind: 'jellyfin', url: 'http://127.0.0.1:8096', source: 'host', username: 'root', credentialFrom: 'typed in', secret: 'typed-jellyfin-password'},
	{kind: 'sonarr', url: 'http://127.0.0.1:8989', source: 'localhost', credentialFrom: '/config/sonarr/config.xml', secret: '0123456789abcdef0123456789abcdef'},
];

describe('saveProfile keeps secrets only with consent', () => {
	let folder: string;
	let file: string;
	beforeEach(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'arrwire-profile-secrets-'));
		file = path.join(folder, 'arrwire', 'profile.json');
	});
	afterEach(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	it('storeSecrets false: every secret is dropped from the file and from what it returns; the rest is kept', async () => {
		const saved = await saveProfile({storeSecrets: false, hosts: ['127.0.0.1'], services}, file);
		const text = readFileSync(file, 'utf8');
		for (const service of services) {
			assert.ok(!text.includes(service.secret!), `${service.kind}'s secret reached the file`);
		}
		assert.deepEqual(saved.services.map(service => service.secret), [undefined, undefined, undefined]);
		const loaded = await loadProfile(file);
		assert.deepEqual(loaded?.services, services.map(({secret: _secret, ...rest}) => rest));
		assert.equal(loaded?.storeSecrets, false);
	});

	it('storeSecrets false: a password arrwire set is kept, and only that one', async () => {
		const set = {...services[0]!, credentialFrom: SET_BY_ARRWIRE, secret: 'set-by-arrwire-password'};
		await saveProfile({storeSecrets: false, hosts: [], services: [set, services[1]!]}, file);
		const loaded = await loadProfile(file);
		assert.deepEqual(loaded?.services.map(service => [service.kind, service.secret]), [
			['qbittorrent', 'set-by-arrwire-password'],
			['jellyfin', undefined],
		]);
	});

	it('storeSecrets true: every secret is kept', async () => {
		await saveProfile({storeSecrets: true, hosts: [], services}, file);
		const loaded = await loadProfile(file);
		assert.deepEqual(loaded?.services, services);
		assert.equal(loaded?.storeSecrets, true);
	});
});
