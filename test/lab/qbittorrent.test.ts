// The lab's qBittorrent is the real program, started with a throwaway profile that talks to nobody.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {startQbittorrent} from '../../source/lab/qbittorrent.js';

async function login(url: string, username: string, password: string): Promise<{status: number; text: string; cookie: string}> {
	const response = await fetch(`${url}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password})});
	return {status: response.status, text: await response.text(), cookie: response.headers.get('set-cookie')?.split(';')[0] ?? ''};
}

describe('the lab qBittorrent', () => {
	it('runs the real qbittorrent-nox on loopback with the known password, legal notice accepted, nothing public', async () => {
		const qbt = await startQbittorrent({username: 'labadmin', password: 'lab-password-1'});
		try {
			assert.match(qbt.url, /^http:\/\/127\.0\.0\.1:\d+$/);
			assert.match(qbt.version, /^v\d+\.\d+\.\d+$/);
			const page = await fetch(`${qbt.url}/`);
			assert.match(await page.text(), /<title>qBittorrent Web ?UI<\/title>/i, 'the anonymous login page is the real one');
			const refused = await login(qbt.url, 'labadmin', 'wrong');
			assert.equal(refused.text, 'Fails.');
			const ok = await login(qbt.url, 'labadmin', 'lab-password-1');
			assert.equal(ok.text, 'Ok.');
			assert.match(ok.cookie, /^SID=/);
			const preferences = (await (await fetch(`${qbt.url}/api/v2/app/preferences`, {headers: {cookie: ok.cookie}})).json()) as Record<string, unknown>;
			assert.equal(preferences.dht, false);
			assert.equal(preferences.pex, false);
			assert.equal(preferences.lsd, false);
			assert.equal(preferences.upnp, false);
			assert.equal(preferences.current_interface_address, '127.0.0.1');
			assert.equal(preferences.web_ui_address, '127.0.0.1');
			const conf = readFileSync(qbt.configFile, 'utf8');
			assert.match(conf, /WebUI\\Username=labadmin/);
			assert.ok(!conf.includes('lab-password-1'), 'only the PBKDF2 hash is stored');
		} finally {
			await qbt.stop();
		}
		assert.equal(existsSync(qbt.profileDir), false, 'the throwaway profile is removed on stop');
		await assert.rejects(fetch(`${qbt.url}/`), 'the process is gone after stop');
	});

	it('fails loudly, with the install command, when qbittorrent-nox is missing', async () => {
		await assert.rejects(startQbittorrent({binary: 'qbittorrent-nox-that-does-not-exist'}), /apt-get install -y qbittorrent-nox/);
	});
});
