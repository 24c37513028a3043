// arrwire discover in a real terminal: it asks only for what it could not find, masks what is typed, checks each
// answer at once, and stops after one refused qBittorrent password.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {Terminal} from '../tty.js';

describe('arrwire discover asks for what is missing', () => {
	let lab: Lab;
	let home: string;
	before(async () => {
		lab = await startLab();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	it('masks typed secrets, explains a refused qBittorrent password without retrying, accepts the Jellyfin admin', async () => {
		const terminal = new Terminal(
			[process.execPath, path.resolve('dist/bin/arrwire.js'), 'discover', '--no-docker', '--host', lab.host, '--config-dir', path.join(lab.paths.root, 'config')],
			{env: {XDG_CONFIG_HOME: home}},
		);
		try {
			await terminal.waitFor(/qBittorrent username \[admin\]:/);
			terminal.type('');
			await terminal.waitFor(/qBittorrent password \(empty to skip\):/);
			terminal.type('wrong-password-123');
			let screen = await terminal.waitFor(/Jellyfin username \[admin\]:/);
			assert.match(screen, /refused the username or password/);
			assert.match(screen, /bans an address/);
			assert.doesNotMatch(screen, /qBittorrent password \(empty to skip\):[^\n]*\n[\s\S]*qBittorrent password \(empty to skip\):/, 'asked only once');
			terminal.type(lab.jellyfinAdmin.name);
			await terminal.waitFor(/Jellyfin password \(empty to skip\):/);
			terminal.type(lab.jellyfinAdmin.password);
			await terminal.waitFor(/Store the credentials you typed/);
			terminal.type('y');
			screen = await terminal.waitFor(/\[exit \d+\]/);
			assert.match(screen, /✔ Jellyfin 10\.11\.11 accepted the administrator admin/);
			assert.match(screen, /\*{16}/, 'the password shows as stars');
			for (const secret of ['wrong-password-123', lab.jellyfinAdmin.password, ...Object.values(lab.keys), lab.qbittorrent.password]) {
				assert.ok(!screen.includes(secret), 'no secret on screen');
			}
			assert.match(screen, /Saved to .*profile\.json \(with the credentials you typed\)/);
			const profile = JSON.parse(readFileSync(path.join(home, 'arrwire', 'profile.json'), 'utf8')) as {services: Array<{kind: string; secret?: string}>};
			assert.equal(profile.services.find(service => service.kind === 'jellyfin')?.secret, lab.jellyfinAdmin.password, 'stored because the user agreed');
			assert.equal(profile.services.find(service => service.kind === 'qbittorrent')?.secret, undefined, 'a refused password is never stored');
		} finally {
			terminal.close();
		}
	});
});
