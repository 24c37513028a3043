// arrwire's own files that cannot be written, through the CLI: the message names the file, the problem and the fix
// (never a bare EACCES, ENOTDIR or EISDIR), and `discover` prints what it found before it says the profile was not saved.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {cli, type Outcome} from '../commands/cli-lab.js';

/** A loopback address from 127.64.0.0/16 that nothing listens on: discovery finds nothing, quickly. */
const quiet = `127.64.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;
/**
 * Root may write anywhere: as root, the CLI runs without the capabilities that override file modes (setpriv, from
 * util-linux). It stays root, so it can still read the checkout wherever that is (as nobody it could not, under a
 * folder only root may enter); a folder's mode binds it like anyone else.
 */
const withoutOverride = process.getuid?.() === 0
	? ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--']
	: [];

function run(args: string[], configHome: string, home: string, host = quiet): Promise<Outcome> {
	return new Promise(resolve => {
		const env = {...process.env, HOME: home, XDG_CONFIG_HOME: configHome, NO_COLOR: '1'};
		const [program, ...rest] = [...withoutOverride, process.execPath, cli, ...args, '--host', host, '--no-docker'];
		execFile(program, rest, {env}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

/** Node's own wording ("EACCES: permission denied, mkdir '…'") is not an explanation. */
function assertNotRaw(text: string): void {
	assert.doesNotMatch(text, /\bE[A-Z]{3,}: |, (mkdir|open|rename) '/, text);
}

describe('arrwire and its own files when they cannot be written', () => {
	let scratch: string;
	/** Something for discover to find: a discovery that finds nothing saves no profile, so nothing could fail to save. */
	let jellyfin: JellyfinEmulator;
	before(async () => {
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-state-errors-'));
		jellyfin = new JellyfinEmulator({serverName: 'state-errors'});
		await jellyfin.start();
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(scratch, {recursive: true, force: true});
	});
	const found = () => new URL(jellyfin.url).host;

	/** A folder for one case, owned by the user the CLI runs as. */
	function place(name: string): string {
		const folder = path.join(scratch, name);
		mkdirSync(folder, {recursive: true});
		return folder;
	}

	it('a file where arrwire\'s folder goes: discover prints what it found, then names the file and the fix', async () => {
		const configHome = place('file-in-the-way');
		writeFileSync(path.join(configHome, 'arrwire'), 'not a folder\n');
		chmodSync(path.join(configHome, 'arrwire'), 0o644);
		const {code, stdout, stderr} = await run(['discover'], configHome, place('home-1'), found());
		assert.equal(code, 1, stdout + stderr);
		assert.match(stdout, /^• Jellyfin .*\n[\s\S]*Not found: Prowlarr, Sonarr, Radarr, qBittorrent, Jellyseerr/m, 'the results come first');
		assert.doesNotMatch(stdout, /Saved to/);
		assert.match(stderr, new RegExp(`${path.join(configHome, 'arrwire').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a file, not a folder`));
		assert.match(stderr, /profile\.json was not saved/);
		assert.match(stderr, /fix: /);
		assertNotRaw(stderr);
	});

	it('a config folder this user may not write in: discover --json prints its JSON, then names the folder and the fix', async () => {
		const configHome = path.join(scratch, 'not-writable');
		mkdirSync(configHome);
		chmodSync(configHome, 0o555);
		const {code, stdout, stderr} = await run(['discover', '--json'], configHome, place('home-2'), found());
		assert.equal(code, 1, stdout + stderr);
		assert.ok(Array.isArray((JSON.parse(stdout) as {services: unknown[]}).services), 'the results come first, as JSON');
		assert.match(stderr, /profile\.json was not saved/);
		assert.match(stderr, /may not write in/);
		assert.match(stderr, /XDG_CONFIG_HOME/);
		assertNotRaw(stderr);
	});

	it('profile.json is a folder: the message names it and says to move it away', async () => {
		const configHome = place('profile-is-a-folder');
		mkdirSync(path.join(configHome, 'arrwire', 'profile.json'), {recursive: true});
		const {code, stderr} = await run(['discover'], configHome, place('home-3'));
		assert.equal(code, 1);
		assert.match(stderr, /profile\.json .*is a folder, not a regular file.*Move it away/);
		assertNotRaw(stderr);
	});

	it('journal.json is a folder: plan says so by name, with the fix', async () => {
		const configHome = place('journal-is-a-folder');
		mkdirSync(path.join(configHome, 'arrwire', 'journal.json'), {recursive: true});
		const {code, stderr} = await run(['plan'], configHome, place('home-4'));
		assert.equal(code, 1);
		assert.match(stderr, /journal\.json .*is a folder, not a regular file.*Move it away/);
		assertNotRaw(stderr);
	});
});
