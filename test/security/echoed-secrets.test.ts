// A canary for echoed secrets: services that quote what arrwire gave them (Radarr quoting the qBittorrent password,
// Prowlarr quoting the NZBgeek key in a URL and the Sonarr key it tried) must not make arrwire print any of them.
// plan, apply and doctor run as a user runs them (the built CLI), in text and --json, on a lab with pending changes
// that carry secrets and faults that make the services fail and echo.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, it} from 'node:test';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {writeProfile} from '../helpers.js';

const run = promisify(execFile);
const cli = path.resolve('dist/bin/arrwire.js');

describe('secrets echoed by a service never reach the output', () => {
	let lab: Lab;
	let home: string;
	let env: NodeJS.ProcessEnv;
	let secrets: string[];
	const outputs: Array<{command: string; text: string}> = [];

	async function arrwire(...args: string[]): Promise<string> {
		const full = [...args, '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')];
		const {stdout, stderr} = await run(process.execPath, [cli, ...full], {env, maxBuffer: 16 * 1024 * 1024}).catch((error: {stdout: string; stderr: string}) => error);
		const text = `${stdout}\n${stderr}`;
		outputs.push({command: args.join(' '), text});
		return text;
	}

	before(async () => {
		lab = await startLab();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-echo-'));
		env = {...process.env, XDG_CONFIG_HOME: home, ARRWIRE_NZBGEEK_API_KEY: lab.keys.nzbgeek, NO_COLOR: '1'};
		writeProfile(home, [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
		secrets = [...Object.values(lab.keys), lab.qbittorrent.password, lab.jellyfinAdmin.password];
		for (const emulator of [lab.sonarr, lab.radarr, lab.prowlarr]) {
			emulator.echoSecrets = true;
		}
		// qBittorrent may drop the very first connection while it finishes starting: wait until it answers.
		while (!(await fetch(`${lab.qbittorrent.url}/api/v2/app/webapiVersion`).then(response => response.status > 0, () => false))) {
			await new Promise(resolve => setImmediate(resolve));
		}
		// Sonarr's and Radarr's own test of qBittorrent fails (qBittorrent removes torrents at their ratio limit) and,
		// echoing, quotes the password it was given.
		await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).setPreferences({
			max_ratio_enabled: true,
			max_ratio: 1,
			max_ratio_act: 1,
		});
		// NZBgeek fails: Prowlarr's indexer test quotes the request URL with apikey=.
		lab.nzbgeek.inject({path: '/api', status: 500, body: 'Internal Server Error'});
		// Sonarr fails the indexer test Prowlarr runs through it: Prowlarr quotes the Sonarr key it tried.
		lab.sonarr.inject({method: 'POST', path: '/api/v3/indexer/test', status: 500, body: {message: 'Internal error'}});
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('plan, apply and doctor, in text and --json: the echoes are shown masked, no secret in clear', async () => {
		await arrwire('plan');
		await arrwire('plan', '--json');
		// apply stops at the first link that fails; each echoing link is applied on its own too.
		await arrwire('apply', '--yes');
		await arrwire('apply', '--yes', '--only', 'nzbgeek-indexer');
		await arrwire('apply', '--yes', '--only', 'prowlarr-sonarr');
		await lab.prowlarr.idle();
		await arrwire('doctor');
		await arrwire('doctor', '--json');

		const all = outputs.map(output => output.text).join('\n');
		// The services did echo, and what they said reached the user (so this test can fail).
		if (process.env.ARRWIRE_TEST_KEEP) {
			writeFileSync(process.env.ARRWIRE_TEST_KEEP, all);
		}
		assert.ok(/with password \*{8} at /.test(all), 'Sonarr/Radarr echoed the qBittorrent password');
		assert.ok(/apikey=\*{8}/.test(all), 'Prowlarr echoed the NZBgeek key in a URL');
		assert.ok(/with API key \*{8}/.test(all), 'Prowlarr echoed the Sonarr key');
		for (const {command, text} of outputs) {
			for (const secret of secrets) {
				assert.ok(!text.includes(secret), `arrwire ${command} printed a secret: …${text.slice(Math.max(0, text.indexOf(secret) - 200), text.indexOf(secret) + 40)}…`);
			}
		}
	});
});
