// The README's "Use it in a script" example, taken from the README and run as written, with no terminal, against the
// demo lab: `arrwire` on the PATH is the built CLI pointed at the lab (as a stack on this machine is found without
// pointing), and the credentials file holds the two logins that live in no file, and the NZBgeek key.
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {cli, labSecrets, qbittorrentCategories, runShell} from './cli-lab.js';

/** The first sh block after the README's "Use it in a script" heading. */
function readmeScript(): string {
	const readme = readFileSync(path.resolve('README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Use it in a script'));
	const block = /```sh\n([\s\S]*?)```/.exec(section);
	assert.ok(block, 'the README has a script under "Use it in a script"');
	return block[1]!;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

describe('the README script', {timeout: 10 * 60_000}, () => {
	let lab: Lab;
	const home = mkdtempSync(path.join(tmpdir(), 'arrwire-readme-script-'));
	before(async () => {
		lab = await startLab();
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('wires the lab and tests it, as written', async () => {
		const options = lab.arrwireOptions(path.join(home, 'lab-state'));
		const bin = path.join(home, 'bin');
		mkdirSync(bin);
		const pointing = ['--no-docker', ...options.hosts.flatMap(host => ['--host', host]), ...options.configFolders.flatMap(folder => ['--config-dir', folder])];
		writeFileSync(path.join(bin, 'arrwire'), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(cli)} "$@" ${pointing.map(quote).join(' ')}\n`);
		chmodSync(path.join(bin, 'arrwire'), 0o755);

		mkdirSync(path.join(home, '.config', 'arrwire'), {recursive: true, mode: 0o700});
		writeFileSync(
			path.join(home, '.config', 'arrwire', 'credentials'),
			[
				`ARRWIRE_QBITTORRENT_USERNAME=${lab.qbittorrent.username}`,
				`ARRWIRE_QBITTORRENT_PASSWORD=${lab.qbittorrent.password}`,
				`ARRWIRE_JELLYFIN_USERNAME=${lab.jellyfinAdmin.name}`,
				`ARRWIRE_JELLYFIN_PASSWORD=${lab.jellyfinAdmin.password}`,
				`ARRWIRE_NZBGEEK_API_KEY=${lab.keys.nzbgeek}`,
				'',
			].join('\n'),
			{mode: 0o600},
		);
		// A script's environment: none of the caller's arrwire settings, the config in the (new) home.
		const env: NodeJS.ProcessEnv = {NO_COLOR: '1'};
		for (const [name, value] of Object.entries(process.env)) {
			if ((!name.startsWith('ARRWIRE_') || name === 'ARRWIRE_SPECS') && name !== 'XDG_CONFIG_HOME') {
				env[name] = value;
			}
		}
		env.HOME = home;
		env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;

		const outcome = await runShell(readmeScript(), env, home);
		assert.equal(outcome.code, 0, outcome.stdout + outcome.stderr);
		assert.match(outcome.stdout, /^arrwire: everything is linked$/m, outcome.stdout + outcome.stderr);
		for (const secret of labSecrets(lab)) {
			assert.ok(!outcome.stdout.includes(secret) && !outcome.stderr.includes(secret), 'a secret was printed');
		}
		assert.deepEqual(Object.keys(await qbittorrentCategories(lab)).sort(), ['movies', 'tv']);
		assert.deepEqual(lab.jellyfin.folders().map(folder => folder.collectionType).sort(), ['movies', 'tvshows']);
		const report = JSON.parse(readFileSync(path.join(home, 'arrwire-doctor.json'), 'utf8')) as {outcome: string; links: Array<{id: string; state: string}>};
		assert.ok(['ok', 'faults'].includes(report.outcome), report.outcome);
		const states = Object.fromEntries(report.links.map(link => [link.id, link.state]));
		assert.equal(states['qbittorrent-categories'], 'linked');
		assert.equal(states['jellyfin-libraries'], 'linked');
	});
});
