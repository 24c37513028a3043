// The saved profile: 0600, secrets only when the user agreed, and a re-run that keeps what was agreed.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {profileServices, type CredentialState} from '../../source/discovery/collect.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import {loadProfile, saveProfile} from '../../source/state/profile.js';

function state(kind: 'sonarr' | 'qbittorrent', from: string, ok = true): CredentialState {
	const service = {kind, name: kind, url: `http://nas:${kind === 'sonarr' ? 8989 : 8080}`, source: 'host', notes: []} as unknown as DiscoveredService;
	const credential = kind === 'sonarr' ? {apiKey: 'sonarr-key-0123456789'} : {username: 'admin', password: 'qbt-password-0123'};
	return {service, credential, from, check: ok ? {ok: true, kind, detail: 'accepted'} : {ok: false, kind, reason: 'refused', message: 'refused', fix: 'fix'}};
}

describe('the saved profile', () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'arrwire-profile-'));
	const file = path.join(folder, 'arrwire', 'profile.json');
	after(() => rmSync(folder, {recursive: true, force: true}));

	it('keeps where each credential came from, and no secret unless the user agreed', async () => {
		const states = [state('sonarr', '/srv/sonarr/config.xml (a folder you named)'), state('qbittorrent', 'typed in')];
		await saveProfile({storeSecrets: false, hosts: ['nas'], services: profileServices(states, false)}, file);
		assert.equal(statSync(file).mode & 0o777, 0o600);
		assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
		const text = readFileSync(file, 'utf8');
		assert.ok(!text.includes('sonarr-key') && !text.includes('qbt-password'));
		assert.match(text, /typed in/);
	});

	it('with the user\'s agreement: the typed-in password is kept, a key read from a file is not (it is read again)', async () => {
		await saveProfile({storeSecrets: true, hosts: ['nas'], services: profileServices([state('sonarr', '/srv/sonarr/config.xml'), state('qbittorrent', 'typed in')], true)}, file);
		const profile = await loadProfile(file);
		assert.equal(profile?.services.find(service => service.kind === 'qbittorrent')?.secret, 'qbt-password-0123');
		assert.equal(profile?.services.find(service => service.kind === 'sonarr')?.secret, undefined);
	});

	it('a re-run that used the saved password keeps it; a refused one is dropped', async () => {
		const kept = profileServices([state('qbittorrent', 'the saved profile (typed in)')], true);
		assert.equal(kept[0]?.secret, 'qbt-password-0123');
		const refused = profileServices([state('qbittorrent', 'the saved profile (typed in)', false)], true);
		assert.equal(refused[0]?.secret, undefined);
	});

	it('an unreadable profile is named, with what to do', async () => {
		const broken = path.join(folder, 'broken.json');
		const {writeFileSync} = await import('node:fs');
		writeFileSync(broken, JSON.stringify({version: 9}));
		await assert.rejects(loadProfile(broken), /The saved profile .*broken\.json is not one arrwire can read.*Move it away/);
		writeFileSync(broken, '{half');
		await assert.rejects(loadProfile(broken), /The saved profile .*broken\.json is not valid JSON\. Move it away/);
	});
});
