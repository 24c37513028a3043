// Never drop a secret that was not proven wrong: the qBittorrent password arrwire set (nobody else knows it) stays in
// the profile when qBittorrent is briefly down or slow; only a refusal drops a saved secret.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {profileServices, type CredentialState} from '../../source/discovery/collect.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import {SET_BY_ARRWIRE, type Profile} from '../../source/state/profile.js';

const cli = path.resolve('dist/bin/arrwire.js');
const URL_QB = 'http://127.0.0.1:8080';

function qbittorrent(): DiscoveredService {
	return {found: 'service', kind: 'qbittorrent', name: 'qBittorrent', url: URL_QB, host: '127.0.0.1', port: 8080, tls: false, urlBase: '', identifiedBy: 'test fixture', notes: [], source: 'localhost'};
}

function profileWith(secret: string): Profile {
	return {
		version: 1,
		savedAt: new Date().toISOString(),
		storeSecrets: false,
		hosts: [],
		services: [{kind: 'qbittorrent', url: URL_QB, source: 'localhost', username: 'admin', credentialFrom: SET_BY_ARRWIRE, secret}],
	};
}

describe('the profile keeps every secret that was not proven wrong', () => {
	const secret = 'a-generated-password-nobody-else-knows';
	const credential = {username: 'admin', password: secret};

	it('qBittorrent did not answer the check (unreachable): the password arrwire set is kept', () => {
		const states: CredentialState[] = [
			{service: qbittorrent(), credential, from: `the saved profile (${SET_BY_ARRWIRE})`, check: {ok: false, kind: 'qbittorrent', reason: 'unreachable', message: 'no answer', fix: 'start it'}},
		];
		const [entry] = profileServices(states, false, profileWith(secret));
		assert.equal(entry?.secret, secret);
		assert.equal(entry?.credentialFrom, SET_BY_ARRWIRE);
	});

	it('qBittorrent was not found at all this time: its entry is kept as it was', () => {
		const entries = profileServices([], false, profileWith(secret));
		assert.deepEqual(entries.map(entry => [entry.kind, entry.secret]), [['qbittorrent', secret]]);
	});

	it('qBittorrent refused the password: the refused secret is dropped', () => {
		const states: CredentialState[] = [
			{service: qbittorrent(), credential, from: `the saved profile (${SET_BY_ARRWIRE})`, check: {ok: false, kind: 'qbittorrent', reason: 'refused', message: 'refused', fix: 'give the right one'}},
		];
		const [entry] = profileServices(states, false, profileWith(secret));
		assert.equal(entry?.secret, undefined);
	});

	it('a plain `arrwire discover` while qBittorrent is down leaves the generated password in the profile file', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-keep-'));
		try {
			const address = `127.66.${Math.floor(Math.random() * 250) + 1}.3`;
			const file = path.join(home, '.config', 'arrwire', 'profile.json');
			mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
			const saved = profileWith(secret);
			saved.services[0]!.url = `http://${address}:8080`;
			writeFileSync(file, JSON.stringify(saved), {mode: 0o600});
			const code = await new Promise<number>(resolve => {
				execFile(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', address], {env: {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')}}, error =>
					resolve(error ? Number((error as {code?: number}).code ?? 1) : 0),
				);
			});
			assert.notEqual(code, 2);
			const after = JSON.parse(readFileSync(file, 'utf8')) as Profile;
			assert.equal(after.services.find(entry => entry.kind === 'qbittorrent')?.secret, secret);
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});
});
