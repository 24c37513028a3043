// Verdicts count only what was checked: with nothing found, with unknown programs on every port, with a remembered
// stack gone down, and with a hand-made entry left alone, no command says "all is well" or exits 0.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {EXIT_CODES} from '../../source/present/verdict.js';
import {runArrwire} from './cli-lab.js';
import {startLab} from '../../source/lab/lab.js';
import {writeProfile} from '../helpers.js';

const SIX_PORTS = [9696, 8989, 7878, 8080, 8096, 5055];



/** A fresh HOME and config dir: no profile, no journal, no native config files. */
function freshHome(): {env: NodeJS.ProcessEnv; home: string} {
	const home = mkdtempSync(path.join(tmpdir(), 'arrwire-verdict-'));
	return {home, env: {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1'}};
}

/** A loopback address from 127.64.0.0/16 that nothing in this run listens on (the lab uses 127.x.y.1). */
function quietAddress(): string {
	return `127.64.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;
}

describe('verdicts that count only what was checked', () => {
	let home: string;
	let env: NodeJS.ProcessEnv;
	let host: string;
	before(() => {
		({home, env} = freshHome());
		host = quietAddress();
	});
	after(() => rmSync(home, {recursive: true, force: true}));

	it('nothing running: doctor, plan, apply --yes and check say nothing was found and exit 3, never "all is well"', async () => {
		const args = ['--host', host, '--no-docker'];
		const doctor = await runArrwire(['doctor', ...args], env);
		assert.equal(doctor.code, EXIT_CODES.incomplete, doctor.stdout + doctor.stderr);
		assert.match(doctor.stdout, /Nothing to test: none of Prowlarr, Sonarr, Radarr, qBittorrent, Jellyfin or Jellyseerr was found/);
		assert.doesNotMatch(doctor.stdout, /All is well/);

		const doctorJson = await runArrwire(['doctor', '--json', ...args], env);
		assert.equal(doctorJson.code, EXIT_CODES.incomplete);
		const report = JSON.parse(doctorJson.stdout) as {ok: boolean; outcome: string; services: Array<{url: unknown; version: unknown}>};
		assert.equal(report.ok, false);
		assert.equal(report.outcome, 'nothing-found');
		for (const service of report.services) {
			assert.ok('url' in service && 'version' in service, 'every documented key is present, null when unknown');
		}

		const plan = await runArrwire(['plan', ...args], env);
		assert.equal(plan.code, EXIT_CODES.incomplete);
		assert.match(plan.stdout, /Nothing to plan/);
		assert.doesNotMatch(plan.stdout, /Everything is linked/);

		const apply = await runArrwire(['apply', '--yes', ...args], env);
		assert.equal(apply.code, EXIT_CODES.incomplete);
		assert.match(apply.stdout, /Nothing to link.*\n.*Nothing was changed/);
		assert.doesNotMatch(apply.stdout, /already linked/);

		const check = await runArrwire(['check', '--json', ...args], env);
		assert.equal(check.code, EXIT_CODES.incomplete);
		const checked = JSON.parse(check.stdout) as {ok: boolean; outcome: string};
		assert.deepEqual([checked.ok, checked.outcome], [false, 'nothing-found']);
	});

	it('unknown programs (HTML) on every default port: still nothing found, exit 3', async t => {
		const address = quietAddress();
		const servers: Server[] = [];
		for (const port of SIX_PORTS) {
			const server = createServer((_request, response) => {
				response.writeHead(200, {'content-type': 'text/html'});
				response.end('<!doctype html><title>Router admin</title><p>Welcome</p>');
			});
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, address, resolve);
			});
			servers.push(server);
		}
		t.after(() => Promise.all(servers.map(server => new Promise(resolve => server.close(resolve)))));
		const args = ['--host', address, '--no-docker'];
		const doctor = await runArrwire(['doctor', '--json', ...args], env);
		assert.equal(doctor.code, EXIT_CODES.incomplete);
		assert.equal((JSON.parse(doctor.stdout) as {outcome: string}).outcome, 'nothing-found');
		const plan = await runArrwire(['plan', ...args], env);
		assert.equal(plan.code, EXIT_CODES.incomplete);
		assert.doesNotMatch(plan.stdout, /Everything is linked/);
	});

	it('a remembered stack that went down: plan and check do not call it linked', async () => {
		const gone = freshHome();
		try {
			const address = quietAddress();
			writeProfile(path.join(gone.home, '.config'), [address], [{kind: 'qbittorrent', url: `http://${address}:8080`, username: 'admin', secret: 'a-password-nobody-types'}]);
			const plan = await runArrwire(['plan', '--no-docker'], gone.env);
			assert.equal(plan.code, EXIT_CODES.incomplete);
			assert.doesNotMatch(plan.stdout, /Everything is linked/);
			const check = await runArrwire(['check', '--json', '--no-docker'], gone.env);
			assert.equal(check.code, EXIT_CODES.incomplete);
			assert.equal((JSON.parse(check.stdout) as {ok: boolean}).ok, false);
		} finally {
			rmSync(gone.home, {recursive: true, force: true});
		}
	});
});

describe('apply --yes that leaves a hand-made entry alone', () => {
	it('names what is left and the exact command that changes it, and does not exit 0', async t => {
		const lab = await startLab();
		const {home, env} = freshHome();
		t.after(async () => {
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		});
		writeProfile(path.join(home, '.config'), [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
		// The user's own category "tv", saving somewhere arrwire would not.
		const qbittorrent = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		await qbittorrent.createCategory('tv', path.join(lab.paths.root, 'by-hand'));
		const pointed = ['--no-docker', '--config-dir', path.join(lab.paths.root, 'config'), '--only', 'qbittorrent-categories'];
		const apply = await runArrwire(['apply', '--yes', ...pointed], env);
		assert.equal(apply.code, EXIT_CODES.incomplete, apply.stdout + apply.stderr);
		assert.match(apply.stdout, /Left as they are \(1\):\n {2}- qBittorrent: update category "tv" \(made by hand, not by arrwire\)/);
		assert.match(apply.stdout, /To change them too: arrwire apply --yes --yes-hand-made --only qbittorrent-categories/);
		assert.doesNotMatch(apply.stdout, /already linked/);
		assert.equal((await qbittorrent.categories()).tv?.savePath, path.join(lab.paths.root, 'by-hand'), 'the hand-made category is unchanged');

		const forced = await runArrwire(['apply', '--yes', '--yes-hand-made', ...pointed], env);
		assert.equal(forced.code, EXIT_CODES.ok, forced.stdout + forced.stderr);
		assert.equal((await qbittorrent.categories()).tv?.savePath, lab.paths.torrentsTv);
	});
});

describe('undo when a journalled service cannot be reached', () => {
	it('says which changes it could not reverse and why, reverses the rest, and finishes them on a later undo', async t => {
		const lab = await startLab();
		const {home, env} = freshHome();
		t.after(async () => {
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		});
		const configHome = path.join(home, '.config');
		const qbittorrentLogin = {kind: 'qbittorrent' as const, url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password};
		writeProfile(configHome, [lab.host], [qbittorrentLogin]);
		const pointed = ['--no-docker', '--config-dir', path.join(lab.paths.root, 'config')];
		const apply = await runArrwire(['apply', '--yes', ...pointed, '--only', 'qbittorrent-categories', '--only', 'sonarr-root-folder'], env);
		assert.equal(apply.code, EXIT_CODES.ok, apply.stdout + apply.stderr);
		const sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		assert.equal((await sonarr.rootFolders()).length, 1);

		// qBittorrent's login is no longer known: its two categories cannot be removed now; Sonarr's root folder can.
		writeProfile(configHome, [lab.host], []);
		const partial = await runArrwire(['undo', '--yes', ...pointed], env);
		assert.equal(partial.code, EXIT_CODES.faults, partial.stdout + partial.stderr);
		assert.match(partial.stdout, /✔ reversed: Sonarr: create root folder/);
		assert.match(partial.stdout, /✖ not reversed: qBittorrent: create category "tv"\n {4}why: qBittorrent was not found, or arrwire has no accepted credential for it/);
		assert.match(partial.stdout, /1 change\(s\) reversed, 2 not/);
		assert.doesNotMatch(partial.stdout + partial.stderr, /Cannot read properties/);
		assert.deepEqual(await sonarr.rootFolders(), []);
		const qbittorrent = new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password});
		assert.deepEqual(Object.keys(await qbittorrent.categories()).sort(), ['movies', 'tv']);

		writeProfile(configHome, [lab.host], [qbittorrentLogin]);
		const rest = await runArrwire(['undo', '--yes', ...pointed], env);
		assert.equal(rest.code, EXIT_CODES.ok, rest.stdout + rest.stderr);
		assert.match(rest.stdout, /2 change\(s\) reversed\./);
		assert.deepEqual(await qbittorrent.categories(), {});
	});
});

describe('no guessed path is ever written', () => {
	it('--data-root must be an absolute folder that exists', async () => {
		const {home, env} = freshHome();
		try {
			const relative = await runArrwire(['plan', '--no-docker', '--host', quietAddress(), '--data-root', 'relative/dir'], env);
			assert.equal(relative.code, EXIT_CODES.usage);
			assert.match(relative.stderr, /--data-root relative\/dir: give the data folder as an absolute path/);
			const missing = await runArrwire(['apply', '--yes', '--no-docker', '--host', quietAddress(), '--data-root', path.join(home, 'no-such-folder')], env);
			assert.equal(missing.code, EXIT_CODES.usage);
			assert.match(missing.stderr, /there is no such folder on this machine/);
		} finally {
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('qBittorrent\'s login unknown: root folders and libraries are not planned at a guessed /data/media; --data-root plans them', async t => {
		const lab = await startLab();
		const {home, env} = freshHome();
		t.after(async () => {
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		});
		writeProfile(path.join(home, '.config'), [lab.host], [{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password}]);
		const pointed = ['--no-docker', '--config-dir', path.join(lab.paths.root, 'config')];
		const plan = await runArrwire(['plan', ...pointed], env);
		assert.equal(plan.code, EXIT_CODES.incomplete, plan.stdout + plan.stderr);
		assert.doesNotMatch(plan.stdout, /\/data\/media/);
		assert.match(plan.stdout, /Sonarr root folder: the data folder is not known \(qBittorrent's save path could not be read/);
		assert.match(plan.stdout, /Jellyfin libraries for TV shows and movies: the data folder is not known.*--data-root DIR/);
		const apply = await runArrwire(['apply', '--yes', ...pointed], env);
		assert.equal(apply.code, EXIT_CODES.incomplete, apply.stdout + apply.stderr);
		const sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		assert.deepEqual(await sonarr.rootFolders(), [], 'no root folder was created from a guess');

		const given = await runArrwire(['plan', '--json', ...pointed, '--data-root', lab.paths.data], env);
		const links = (JSON.parse(given.stdout) as {links: Array<{id: string; changes: Array<{target: string}>}>}).links;
		assert.deepEqual(
			links.find(link => link.id === 'sonarr-root-folder')?.changes.map(change => change.target),
			[`root folder ${lab.paths.tv}`],
		);
	});
});
