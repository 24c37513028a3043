// arrwire apply --yes killed between two changes, then run again: the same final state as one clean run, with no
// duplicate anywhere, and a third run that changes nothing.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {writeProfile} from '../helpers.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

describe('arrwire apply killed half-way', () => {
	let lab: Lab;
	let home: string;
	let env: NodeJS.ProcessEnv;
	let args: string[];
	before(async () => {
		lab = await startLab();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		env = {...process.env, XDG_CONFIG_HOME: home, ARRWIRE_NZBGEEK_API_KEY: lab.keys.nzbgeek};
		writeProfile(home, [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
		args = [cli, 'apply', '--yes', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')];
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('converges after a SIGKILL between steps, with no duplicates', async () => {
		// Kill it right after its fifth change is done (the "✔ <change>" line apply prints for each).
		const child = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		await new Promise<void>(resolve => {
			child.stdout.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if ((output.match(/^✔ /gm) ?? []).length >= 5 && child.exitCode === null) {
					child.kill('SIGKILL');
				}
			});
			child.on('exit', () => resolve());
		});
		assert.equal(child.signalCode, 'SIGKILL', `it was killed half-way (output: ${output.slice(-400)})`);

		const second = await run(process.execPath, args, {env});
		assert.match(second.stdout, /change\(s\) made/);
		const third = await run(process.execPath, [cli, 'plan', '--json', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')], {env});
		const plan = JSON.parse(third.stdout) as {changes: number};
		assert.equal(plan.changes, 0, third.stdout);

		const count = async (url: string, headers: Record<string, string>) => ((await (await fetch(url, {headers})).json()) as unknown[]).length;
		assert.equal(await count(`${lab.sonarr.url}/api/v3/downloadclient`, {'X-Api-Key': lab.keys.sonarr}), 1);
		assert.equal(await count(`${lab.radarr.url}/api/v3/downloadclient`, {'X-Api-Key': lab.keys.radarr}), 1);
		assert.equal(await count(`${lab.sonarr.url}/api/v3/rootfolder`, {'X-Api-Key': lab.keys.sonarr}), 1);
		assert.equal(await count(`${lab.prowlarr.url}/api/v1/indexer`, {'X-Api-Key': lab.keys.prowlarr}), 1);
		assert.equal(await count(`${lab.prowlarr.url}/api/v1/applications`, {'X-Api-Key': lab.keys.prowlarr}), 2);
		assert.equal(await count(`${lab.jellyseerr.url}/api/v1/settings/sonarr`, {'X-Api-Key': lab.keys.jellyseerr}), 1);
		assert.equal(await count(`${lab.jellyseerr.url}/api/v1/settings/radarr`, {'X-Api-Key': lab.keys.jellyseerr}), 1);
		assert.deepEqual(
			lab.jellyfin.folders().map(folder => folder.name).sort(),
			['Movies', 'Shows'],
		);
		await lab.prowlarr.idle();
		assert.equal(await count(`${lab.sonarr.url}/api/v3/indexer`, {'X-Api-Key': lab.keys.sonarr}), 1, 'one NZBgeek (Prowlarr) in Sonarr');

		// Checking the Jellyfin administrator's password is one sign-in (a session, not a setting): the only POST allowed.
		const writes = () => lab.emulators().flatMap(emulator => emulator.writes().filter(entry => entry.path !== '/Users/AuthenticateByName')).length;
		const before = writes();
		await run(process.execPath, args, {env});
		assert.equal(writes(), before, 'a run on the wired stack sends no write');
	});
});
