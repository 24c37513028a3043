// arrwire check on the lab: reads the paths of every service, changes nothing, and reports in text or --json.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {writeProfile} from '../helpers.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

describe('arrwire check', () => {
	let lab: Lab;
	let home: string;
	let env: NodeJS.ProcessEnv;
	before(async () => {
		lab = await startLab();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		env = {...process.env, XDG_CONFIG_HOME: home};
		// A profile with the two secrets that live nowhere on disk, as `discover --store-secrets` leaves it.
		writeProfile(home, [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
		await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).setPreferences({save_path: lab.paths.torrents});
		await new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}).addRootFolder(lab.paths.tv);
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('the lab\'s one /data tree: no error, exit 0, and no write to any service', async () => {
		// Signing in to Jellyfin opens a session; nothing else may be written.
		const changes = () => lab.emulators().flatMap(emulator => emulator.writes().filter(entry => entry.path !== '/Users/AuthenticateByName')).length;
		const writes = changes();
		const {stdout} = await run(process.execPath, [cli, 'check', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')], {env});
		assert.match(stdout, /qBittorrent runs as 0:0/);
		assert.match(stdout, /Nothing was changed|nothing to fix/);
		assert.equal(changes(), writes);
		for (const secret of [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password]) {
			assert.ok(!stdout.includes(secret));
		}
	});

	it('a root folder that was deleted on disk: --json names it, with the fix, and exits 1', async () => {
		const radarr = new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr});
		const gone = path.join(lab.paths.media, 'old-movies');
		mkdirSync(gone);
		await radarr.addRootFolder(gone);
		rmSync(gone, {recursive: true});
		const failure = await run(process.execPath, [cli, 'check', '--json', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')], {env}).then(
			() => undefined,
			(error: {code: number; stdout: string}) => error,
		);
		assert.equal(failure?.code, 1);
		const json = JSON.parse(failure.stdout) as {ok: boolean; findings: Array<{id: string; severity: string; subject: string; cause: string; fix: string}>};
		assert.equal(json.ok, false);
		const missing = json.findings.find(finding => finding.id === 'paths.missing-directory');
		assert.ok(missing, JSON.stringify(json.findings.map(finding => finding.id)));
		assert.equal(missing.subject, 'Radarr');
		assert.match(missing.cause, /old-movies/);
		assert.match(missing.fix, /mkdir -p/);
	});
});
