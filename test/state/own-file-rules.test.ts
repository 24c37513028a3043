// The rules for arrwire's own files, one by one and in process: what readRegularFile accepts and why it refuses the
// rest, the messages of readOwnFile and of a write the system refused, the modes a write leaves (0600, the folder
// 0700), where the config folder is (XDG), and what loadProfile and saveProfile keep.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {after, afterEach, describe, it} from 'node:test';
import {forgetTrustedCertificates, trustedFingerprint} from '../../source/services/tls.js';
import {displayPath, explained, OwnFileError, readOwnFile, writeOwnFile} from '../../source/state/own-file.js';
import {configDirectory, loadProfile, profilePath, saveProfile} from '../../source/state/profile.js';
import {formatSize, MiB, readRegularFile} from '../../source/state/regular-file.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-own-file-rules-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

let count = 0;
/** A fresh folder of its own for each test. */
function folder(name: string): string {
	const made = path.join(scratch, `${++count}-${name}`);
	mkdirSync(made, {recursive: true});
	return made;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('readRegularFile', () => {
	it('reads a regular file whole, and an empty one as ""', async () => {
		const at = folder('regular');
		writeFileSync(path.join(at, 'a'), 'hello\nworld');
		writeFileSync(path.join(at, 'empty'), '');
		assert.deepEqual(await readRegularFile(path.join(at, 'a'), MiB), {ok: true, text: 'hello\nworld'});
		assert.deepEqual(await readRegularFile(path.join(at, 'empty'), MiB), {ok: true, text: ''});
	});

	it('a file exactly at the cap is read; one byte more is refused with both sizes', async () => {
		const at = folder('cap');
		writeFileSync(path.join(at, 'at-cap'), 'x'.repeat(2048));
		writeFileSync(path.join(at, 'over'), 'x'.repeat(2049));
		const read = await readRegularFile(path.join(at, 'at-cap'), 2048);
		assert.equal(read.ok && read.text.length, 2048);
		assert.deepEqual(await readRegularFile(path.join(at, 'over'), 2048), {ok: false, absent: false, reason: 'it is 2 KiB, more than the 2 KiB arrwire reads'});
	});

	it('a file that says it is empty but has more (a /proc file) is read to its end, never past the cap', async () => {
		const whole = await readRegularFile('/proc/self/status', MiB);
		assert.ok(whole.ok, JSON.stringify(whole));
		assert.match(whole.text, /^Name:.*\n[\s\S]*VmRSS:/);
		assert.ok(whole.text.endsWith('\n'));
		assert.deepEqual(await readRegularFile('/proc/self/status', 100), {ok: false, absent: false, reason: 'it grew past the 0 KiB arrwire reads'});
	});

	it('missing, or below a file: absent, not an error', async () => {
		const at = folder('absent');
		writeFileSync(path.join(at, 'file'), 'x');
		assert.deepEqual(await readRegularFile(path.join(at, 'none'), MiB), {ok: false, absent: true});
		assert.deepEqual(await readRegularFile(path.join(at, 'file', 'below'), MiB), {ok: false, absent: true});
	});

	it('a link, a FIFO, a device, a folder and a socket: each refused with what it is', async () => {
		const at = folder('kinds');
		writeFileSync(path.join(at, 'target'), 'x');
		symlinkSync(path.join(at, 'target'), path.join(at, 'link'));
		execFileSync('mkfifo', [path.join(at, 'fifo')]);
		assert.deepEqual(await readRegularFile(path.join(at, 'link'), MiB), {ok: false, absent: false, reason: 'it is a symbolic link, and arrwire does not follow links', link: true});
		assert.deepEqual(await readRegularFile(path.join(at, 'fifo'), MiB), {ok: false, absent: false, reason: 'it is a FIFO, not a regular file'});
		assert.deepEqual(await readRegularFile('/dev/null', MiB), {ok: false, absent: false, reason: 'it is a character device, not a regular file'});
		assert.deepEqual(await readRegularFile(at, MiB), {ok: false, absent: false, reason: 'it is a folder, not a regular file'});
		const server = createServer();
		const socket = path.join(at, 'socket');
		await new Promise<void>(resolve => server.listen(socket, resolve));
		try {
			// A socket cannot even be opened as a file: the system's code says so.
			assert.deepEqual(await readRegularFile(socket, MiB), {ok: false, absent: false, reason: 'it could not be opened (ENXIO)'});
		} finally {
			server.close();
		}
	});

	// Only root may open a block device here: as another user the open is refused first (absent, denied).
	const blockDevice = '/dev/loop0';
	it('a block device: refused as one', {skip: process.getuid?.() === 0 && existsSync(blockDevice) ? false : 'needs root and /dev/loop0'}, async () => {
		assert.deepEqual(await readRegularFile(blockDevice, MiB), {ok: false, absent: false, reason: 'it is a block device, not a regular file'});
	});

	it('formatSize: KiB below a MiB, MiB from there, rounded', () => {
		assert.equal(formatSize(1536), '2 KiB');
		assert.equal(formatSize(MiB - 1), '1024 KiB');
		assert.equal(formatSize(MiB), '1 MiB');
		assert.equal(formatSize(200 * MiB + 1), '200 MiB');
	});
});

describe('displayPath', () => {
	const home = process.env.HOME;
	afterEach(() => {
		process.env.HOME = home;
	});

	it('a file in the home folder is shown from ~; the home itself, a look-alike and other files are shown whole', () => {
		process.env.HOME = '/home/someone';
		assert.equal(homedir(), '/home/someone');
		assert.equal(displayPath('/home/someone/.config/arrwire/profile.json'), '~/.config/arrwire/profile.json');
		assert.equal(displayPath('/home/someone'), '/home/someone');
		assert.equal(displayPath('/home/someone-else/profile.json'), '/home/someone-else/profile.json');
		assert.equal(displayPath('/etc/profile.json'), '/etc/profile.json');
	});

	it('with / as the home (a service user), nothing is shortened', () => {
		process.env.HOME = '/';
		assert.equal(displayPath('/etc/arrwire/profile.json'), '/etc/arrwire/profile.json');
	});
});

describe('readOwnFile', () => {
	it('the text of the file; undefined when there is none', async () => {
		const at = folder('read-own');
		writeFileSync(path.join(at, 'profile.json'), '{}');
		assert.equal(await readOwnFile(path.join(at, 'profile.json'), MiB), '{}');
		assert.equal(await readOwnFile(path.join(at, 'none.json'), MiB), undefined);
	});

	it('too big: named, with the sizes and what to do', async () => {
		const at = folder('read-own-big');
		writeFileSync(path.join(at, 'journal.json'), 'x'.repeat(3000));
		await assert.rejects(readOwnFile(path.join(at, 'journal.json'), 1024), {
			message: `${path.join(at, 'journal.json')} was not read: it is 3 KiB, more than the 1 KiB arrwire reads. Move it away and run again.`,
		});
	});

	it('a link: refused with why and the fix', async () => {
		const at = folder('read-own-link');
		writeFileSync(path.join(at, 'other'), 'secret');
		symlinkSync(path.join(at, 'other'), path.join(at, 'journal.json'));
		await assert.rejects(readOwnFile(path.join(at, 'journal.json'), MiB), {
			message: `${path.join(at, 'journal.json')} is a symbolic link; arrwire does not follow links for its own files (a link could make it read or overwrite another file). Remove the link and run again.`,
		});
	});
});

describe('writeOwnFile', () => {
	it('creates the folder 0700 and the file 0600; the file replaces an older, looser one', async () => {
		const at = folder('write');
		const file = path.join(at, 'new', 'arrwire', 'profile.json');
		await writeOwnFile(file, 'one');
		assert.equal(readFileSync(file, 'utf8'), 'one');
		assert.equal(mode(file), 0o600);
		assert.equal(mode(path.dirname(file)), 0o700);
		chmodSync(file, 0o644);
		await writeOwnFile(file, 'two');
		assert.equal(readFileSync(file, 'utf8'), 'two');
		assert.equal(mode(file), 0o600);
		assert.deepEqual(readdirSync(path.dirname(file)), ['profile.json'], 'no temporary file is left');
	});

	it('a umask that takes bits away: the file is still exactly 0600', async () => {
		const at = folder('umask');
		const previous = process.umask(0o277);
		try {
			await writeOwnFile(path.join(at, 'profile.json'), 'text');
		} finally {
			process.umask(previous);
		}
		assert.equal(mode(path.join(at, 'profile.json')), 0o600);
		assert.equal(readFileSync(path.join(at, 'profile.json'), 'utf8'), 'text');
	});

	it("arrwire's own folder is tightened to 0700; any other folder keeps its mode", async () => {
		const at = folder('tighten');
		mkdirSync(path.join(at, 'arrwire'));
		chmodSync(path.join(at, 'arrwire'), 0o755);
		mkdirSync(path.join(at, 'elsewhere'));
		chmodSync(path.join(at, 'elsewhere'), 0o755);
		await writeOwnFile(path.join(at, 'arrwire', 'profile.json'), '{}');
		await writeOwnFile(path.join(at, 'elsewhere', 'profile.json'), '{}');
		assert.equal(mode(path.join(at, 'arrwire')), 0o700);
		assert.equal(mode(path.join(at, 'elsewhere')), 0o755);
		assert.equal(mode(path.join(at, 'elsewhere', 'profile.json')), 0o600);
	});

	it("arrwire's folder as a link: refused, and nothing is written where it points", async () => {
		const at = folder('folder-link');
		mkdirSync(path.join(at, 'real'));
		chmodSync(path.join(at, 'real'), 0o755);
		symlinkSync(path.join(at, 'real'), path.join(at, 'arrwire'));
		await assert.rejects(writeOwnFile(path.join(at, 'arrwire', 'journal.json'), '{}'), {
			message: `${path.join(at, 'arrwire')} is a symbolic link; arrwire does not follow links for its own files (a link could make it read or overwrite another file). Remove the link and run again.`,
		});
		assert.deepEqual(readdirSync(path.join(at, 'real')), []);
		assert.equal(mode(path.join(at, 'real')), 0o755);
	});

	it('a file where a folder goes: the file in the way is named, with the fix', async () => {
		const at = folder('file-in-the-way');
		writeFileSync(path.join(at, 'config'), 'x');
		const file = path.join(at, 'config', 'arrwire', 'profile.json');
		await assert.rejects(writeOwnFile(file, '{}'), (error: unknown) => {
			assert.ok(error instanceof OwnFileError);
			assert.equal(error.message, `${file} was not saved: ${path.join(at, 'config')} is a file, not a folder.\n  fix: Move ${path.join(at, 'config')} away, or set XDG_CONFIG_HOME to a folder of yours (arrwire keeps its files in $XDG_CONFIG_HOME/arrwire).`);
			assert.equal(error.file, file);
			assert.equal(error.code, 'ENOTDIR');
			assert.equal(error.name, 'OwnFileError');
			return true;
		});
	});

	it('a folder at the file\'s name: said so; the temporary file is removed', async () => {
		const at = folder('folder-at-name');
		mkdirSync(path.join(at, 'profile.json', 'inside'), {recursive: true});
		const file = path.join(at, 'profile.json');
		await assert.rejects(writeOwnFile(file, '{}'), (error: unknown) => {
			assert.ok(error instanceof OwnFileError);
			assert.equal(error.problem, 'a folder has that name');
			assert.equal(error.fix, `Move the folder ${file} away, then run again.`);
			assert.equal(error.code, 'EISDIR');
			return true;
		});
		assert.deepEqual(readdirSync(at), ['profile.json']);
	});
});

describe('explained: what the system refused, in words', () => {
	const at = folder('explained');
	const failure = (code?: string) => Object.assign(new Error('raw'), code ? {code} : {}) as NodeJS.ErrnoException;
	const elsewhere = 'or set XDG_CONFIG_HOME to a folder of yours (arrwire keeps its files in $XDG_CONFIG_HOME/arrwire)';

	it('not allowed: the nearest folder that exists is the one named', async () => {
		const file = path.join(at, 'missing', 'deeper', 'arrwire', 'profile.json');
		for (const code of ['EACCES', 'EPERM']) {
			const error = await explained(file, failure(code));
			assert.equal(error.problem, `this user may not write in ${at}`);
			assert.equal(error.fix, `Make ${at} writable by this user (after a run with sudo: sudo chown -R "$USER" ${at}), ${elsewhere}.`);
			assert.equal(error.code, code);
		}
		const inRoot = await explained('/profile.json', failure('EACCES'));
		assert.equal(inRoot.problem, 'this user may not write in /');
	});

	it('a file in the way (ENOTDIR or EEXIST) is found among the parents; with none, the folder itself is named', async () => {
		writeFileSync(path.join(at, 'plain'), 'x');
		const below = await explained(path.join(at, 'plain', 'a', 'b', 'profile.json'), failure('ENOTDIR'));
		assert.equal(below.problem, `${path.join(at, 'plain')} is a file, not a folder`);
		const none = await explained(path.join(at, 'profile.json'), failure('EEXIST'));
		assert.equal(none.problem, `${at} is a file, not a folder`);
		const fromRoot = await explained('/no-such-folder-anywhere/arrwire/profile.json', failure('ENOTDIR'));
		assert.equal(fromRoot.problem, '/no-such-folder-anywhere/arrwire is a file, not a folder');
	});

	it('read-only, full disk or quota, anything else', async () => {
		const file = path.join(at, 'arrwire', 'journal.json');
		const readOnly = await explained(file, failure('EROFS'));
		assert.equal(readOnly.message, `${file} was not saved: ${path.join(at, 'arrwire')} is on a read-only file system.\n  fix: Run arrwire where its config folder can be written, ${elsewhere}.`);
		for (const code of ['ENOSPC', 'EDQUOT']) {
			const full = await explained(file, failure(code));
			assert.equal(full.problem, "the disk (or this user's quota) is full");
			assert.equal(full.fix, 'Free some space, then run again.');
		}
		const other = await explained(file, failure('EIO'));
		assert.equal(other.problem, 'the system refused (EIO)');
		assert.equal(other.fix, `Check that ${path.join(at, 'arrwire')} is a folder this user can write in, ${elsewhere}.`);
		assert.equal((await explained(file, failure())).problem, 'the system refused (Error: raw)');
	});
});

describe('the config folder', () => {
	it('XDG_CONFIG_HOME when it is an absolute path; else ~/.config', () => {
		assert.equal(configDirectory({XDG_CONFIG_HOME: '/srv/config'}), '/srv/config/arrwire');
		assert.equal(configDirectory({XDG_CONFIG_HOME: 'relative/config'}), path.join(homedir(), '.config', 'arrwire'));
		assert.equal(configDirectory({XDG_CONFIG_HOME: ''}), path.join(homedir(), '.config', 'arrwire'));
		assert.equal(configDirectory({}), path.join(homedir(), '.config', 'arrwire'));
		assert.equal(profilePath({XDG_CONFIG_HOME: '/srv/config'}), '/srv/config/arrwire/profile.json');
	});
});

describe('loadProfile and saveProfile', () => {
	afterEach(() => {
		forgetTrustedCertificates();
	});
	const service = {kind: 'sonarr' as const, url: 'http://127.0.0.1:8989', source: 'localhost' as const};

	it('every kind of service and every source is read back', async () => {
		const file = path.join(folder('kinds'), 'arrwire', 'profile.json');
		const kinds = ['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'jellyfin', 'jellyseerr', 'nzbget', 'sabnzbd'] as const;
		const sources = ['localhost', 'host', 'scan', 'docker', 'profile'] as const;
		const services = kinds.map((kind, index) => ({kind, url: `http://127.0.0.1:${9000 + index}`, source: sources[index % sources.length]!}));
		await saveProfile({storeSecrets: false, hosts: [], services}, file);
		assert.deepEqual((await loadProfile(file))?.services.map(entry => [entry.kind, entry.source]), services.map(entry => [entry.kind, entry.source]));
		assert.match(readFileSync(file, 'utf8'), /^\{\n\t"version": 1,\n\t"savedAt": "[^"]+",\n[\s\S]*\n\}\n$/);
	});

	it('a password a profile marks "set by arrwire" (as earlier versions wrote it) is kept without consent', async () => {
		const file = path.join(folder('set-by-arrwire'), 'arrwire', 'profile.json');
		const qbittorrent = {kind: 'qbittorrent' as const, url: 'http://127.0.0.1:8080', source: 'host' as const, username: 'admin', credentialFrom: 'set by arrwire', secret: 'generated-pass-1'};
		const saved = await saveProfile({storeSecrets: false, hosts: [], services: [qbittorrent, {...qbittorrent, kind: 'jellyfin', credentialFrom: 'typed in', secret: 'typed-pass-2'}]}, file);
		assert.deepEqual(saved.services.map(entry => entry.secret), ['generated-pass-1', undefined]);
	});

	it('no file: undefined', async () => {
		assert.equal(await loadProfile(path.join(folder('no-profile'), 'profile.json')), undefined);
	});

	it('a broken file: the exact message, with the first problem found and what to do', async () => {
		const file = path.join(folder('broken-profile'), 'profile.json');
		writeFileSync(file, '{"version": 1');
		await assert.rejects(loadProfile(file), {message: `The saved profile ${file} is not valid JSON. Move it away and run arrwire again.`});
		writeFileSync(file, JSON.stringify({version: 1, savedAt: 'now', storeSecrets: 'yes', services: []}));
		await assert.rejects(loadProfile(file), {message: `The saved profile ${file} is not one arrwire can read (Invalid input: expected boolean, received string). Move it away and run arrwire again.`});
	});

	it('saves version 1 with the time it was saved; hosts default to none when the file has none', async () => {
		const file = path.join(folder('saved-profile'), 'arrwire', 'profile.json');
		const before = Date.now();
		const saved = await saveProfile({storeSecrets: false, hosts: ['nas'], services: [service]}, file);
		assert.equal(saved.version, 1);
		assert.ok(Date.parse(saved.savedAt) >= before - 1000 && Date.parse(saved.savedAt) <= Date.now() + 1000, saved.savedAt);
		assert.deepEqual(await loadProfile(file), JSON.parse(JSON.stringify(saved)));
		writeFileSync(file, JSON.stringify({version: 1, savedAt: 'then', storeSecrets: false, services: []}));
		assert.deepEqual((await loadProfile(file))?.hosts, []);
	});

	it('trusted certificates: loading trusts them; a save that names none keeps the old ones, one that names some replaces them', async () => {
		const file = path.join(folder('certificates'), 'arrwire', 'profile.json');
		const origin = 'https://127.0.0.1:8920';
		await saveProfile({storeSecrets: false, hosts: [], services: [service], certificates: {[origin]: 'aa:bb'}}, file);
		assert.equal(trustedFingerprint(origin), undefined, 'saving alone trusts nothing');
		await loadProfile(file);
		assert.equal(trustedFingerprint(origin), 'AA:BB');
		const kept = await saveProfile({storeSecrets: false, hosts: [], services: [service]}, file);
		assert.deepEqual(kept.certificates, {[origin]: 'aa:bb'});
		assert.deepEqual((await loadProfile(file))?.certificates, {[origin]: 'aa:bb'});
		await saveProfile({storeSecrets: false, hosts: [], services: [service], certificates: {}}, file);
		assert.deepEqual((await loadProfile(file))?.certificates, {});
	});

	it('a broken old profile does not stop a save: it is replaced', async () => {
		const file = path.join(folder('replace-broken'), 'arrwire', 'profile.json');
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, 'not json');
		const saved = await saveProfile({storeSecrets: false, hosts: [], services: [service]}, file);
		assert.equal(saved.certificates, undefined);
		assert.equal((await loadProfile(file))?.services[0]?.url, 'http://127.0.0.1:8989');
	});
});
