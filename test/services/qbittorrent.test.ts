// The qBittorrent client against the real qbittorrent-nox.
import assert from 'node:assert/strict';
import {createServer, connect, type Server} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {freePort, startQbittorrent, type RunningQbittorrent} from '../../source/lab/qbittorrent.js';
import {rejection} from '../helpers.js';

/** A TCP forwarder: what a Docker port mapping does to the Host header. */
async function portMapping(targetPort: number): Promise<{port: number; server: Server}> {
	const port = await freePort();
	const server = createServer(socket => {
		const upstream = connect(targetPort, '127.0.0.1');
		socket.pipe(upstream).pipe(socket);
		upstream.on('error', () => socket.destroy());
		socket.on('error', () => upstream.destroy());
	});
	await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
	return {port, server};
}

describe('qBittorrent client against the real qbittorrent-nox', () => {
	let qbt: RunningQbittorrent;
	before(async () => {
		qbt = await startQbittorrent();
	});
	after(async () => {
		await qbt?.stop();
	});

	it('logs in, reads the version, the WebAPI version and the preferences', async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		assert.match(await client.version(), /^v\d+\.\d+\.\d+/);
		assert.match(await client.webapiVersion(), /^2\.\d+/);
		const preferences = await client.preferences();
		assert.equal(preferences.web_ui_port, qbt.port);
		assert.equal(preferences.web_ui_username, qbt.username);
		assert.equal(preferences.dht, false, 'the lab keeps DHT off');
		assert.equal(preferences.upnp, false, 'the lab keeps UPnP off');
		assert.equal(preferences.lsd, false, 'the lab keeps local peer discovery off');
		assert.equal(preferences.pex, false, 'the lab keeps peer exchange off');
		assert.equal('web_ui_password' in preferences, false, 'the password is never returned');
	});

	it('changes only the preferences it sends', async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		const before = await client.preferences();
		await client.setPreferences({queueing_enabled: !before.queueing_enabled, web_ui_session_timeout: 1234});
		const changed = await client.preferences();
		assert.equal(changed.queueing_enabled, !before.queueing_enabled);
		assert.equal(changed.web_ui_session_timeout, 1234);
		assert.equal(changed.save_path, before.save_path);
		assert.equal(changed.web_ui_port, before.web_ui_port);
		await client.setPreferences({queueing_enabled: before.queueing_enabled});
	});

	it('creates categories, answers 409 for an existing one, edits and removes them', async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		await client.createCategory('tv', '/data/torrents/tv');
		const categories = await client.categories();
		assert.equal(categories.tv?.savePath, '/data/torrents/tv');
		const duplicate = await rejection(client.createCategory('tv', '/elsewhere'));
		assert.equal(duplicate.status, 409);
		assert.equal(duplicate.kind, 'conflict');
		assert.match(duplicate.fix, /exists already/);
		assert.equal((await client.categories()).tv?.savePath, '/data/torrents/tv', 'the 409 changed nothing');
		await client.editCategory('tv', '/data/torrents/series');
		assert.equal((await client.categories()).tv?.savePath, '/data/torrents/series');
		await client.removeCategories(['tv']);
		assert.equal((await client.categories()).tv, undefined);
	});

	it('lists torrents (none in a fresh profile)', async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		assert.deepEqual(await client.torrents(), []);
	});

	it('logs in once for requests that start together, and a later client for the same login goes on with that session', async () => {
		// qBittorrent's own count of logins ("WebAPI login success", src/webui/api/authcontroller.cpp).
		const reader = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		await reader.login();
		const log = async () => (JSON.parse((await reader.http.request('GET', '/api/v2/log/main')).text) as Array<{id: number; message: string}>);
		const last = Math.max(...(await log()).map(entry => entry.id));
		// A password of its own, so that no session of the tests before is shared.
		await reader.setPreferences({web_ui_password: 'one-login-password'});
		reader.setPassword('one-login-password');
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: 'one-login-password'});
		const [version, categories, preferences] = await Promise.all([client.version(), client.categories(), client.preferences()]);
		assert.match(version, /^v/);
		assert.equal(typeof categories, 'object');
		assert.equal(typeof preferences.save_path, 'string');
		const later = new QbittorrentClient({url: qbt.url, username: qbt.username, password: 'one-login-password'});
		assert.match(await later.version(), /^v/);
		try {
			const logins = (await log()).filter(entry => entry.id > last && entry.message.startsWith('WebAPI login success'));
			assert.equal(logins.length, 1, JSON.stringify(logins));
		} finally {
			await reader.setPreferences({web_ui_password: qbt.password});
		}
	});

	it('logs in again by itself when its session ends', async () => {
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		await client.login();
		const other = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
		await other.login();
		await client.logout();
		assert.equal(client.loggedIn, false);
		assert.match(await client.version(), /^v/);
	});

	it('explains a Host-header refusal behind a port mapping (8081 -> 8080)', async () => {
		const mapping = await portMapping(qbt.port);
		try {
			const client = new QbittorrentClient({url: `http://127.0.0.1:${mapping.port}`, username: qbt.username, password: qbt.password});
			const error = await rejection(client.login());
			assert.equal(error.service, 'qBittorrent');
			assert.equal(error.status, 401);
			assert.match(error.fix, /Host header/);
			assert.match(error.fix, /same port/);
			assert.ok(!error.message.includes(qbt.password));
			// It is not a wrong password: the client may try again once the mapping is fixed.
			const direct = new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password});
			await direct.login();
		} finally {
			mapping.server.close();
		}
	});

	it('a service that is not running: names qBittorrent, the URL and what to check', async () => {
		const port = await freePort();
		const client = new QbittorrentClient({url: `http://127.0.0.1:${port}`, username: 'admin', password: 'x'});
		const error = await rejection(client.login());
		assert.equal(error.kind, 'unreachable');
		assert.match(error.message, /^qBittorrent could not be reached/);
		assert.match(error.message, new RegExp(String(port)));
	});
});

describe('qBittorrent wrong password and ban (a fresh qbittorrent-nox)', () => {
	let qbt: RunningQbittorrent;
	before(async () => {
		// Two failures ban, so the test reaches the ban without five tries.
		qbt = await startQbittorrent({preferences: {'WebUI\\MaxAuthenticationFailCount': 2, 'WebUI\\BanDuration': 30}});
	});
	after(async () => {
		await qbt?.stop();
	});

	it('stops after one refused login, explains the ban rule and the temporary password, never shows the password', async () => {
		const wrongPassword = 'not-the-password-7c1d';
		const client = new QbittorrentClient({url: qbt.url, username: qbt.username, password: wrongPassword});
		const first = await rejection(client.login());
		assert.equal(first.kind, 'unauthorized');
		assert.match(first.fix, /5 failed logins/);
		assert.match(first.fix, /temporary password/);
		assert.ok(!first.message.includes(wrongPassword) && !first.fix.includes(wrongPassword));
		const sent = client.http.requestCount;
		const second = await rejection(client.version());
		assert.equal(second, first, 'the same refusal, without asking again');
		assert.equal(client.http.requestCount, sent, 'no second login was sent');
		// The right password still works: one failure does not ban.
		await new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password}).login();
	});

	it('a banned address: says so, and how long it lasts', async () => {
		for (let attempt = 0; attempt < 2; attempt++) {
			await rejection(new QbittorrentClient({url: qbt.url, username: qbt.username, password: `wrong-${attempt}`}).login());
		}
		const error = await rejection(new QbittorrentClient({url: qbt.url, username: qbt.username, password: qbt.password}).login());
		assert.equal(error.kind, 'forbidden');
		assert.equal(error.status, 403);
		assert.match(error.serviceMessage ?? '', /banned/);
		assert.match(error.fix, /banned this address/);
	});
});
