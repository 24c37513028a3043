// arrwire's own files (profile, journal) as someone else may have left them: a FIFO, a link to another file, a file
// that is not JSON. Each is refused at once with why; nothing of another file's content is ever shown.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {Journal} from '../../source/state/journal.js';
import {loadProfile, saveProfile} from '../../source/state/profile.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-own-files-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/** A file that stands for /etc/shadow: what a link must never make arrwire show. */
const secretFile = path.join(scratch, 'shadow');
writeFileSync(secretFile, 'root:$6$not-for-your-eyes$abcdefghijkl:19000:0:99999:7:::\n', {mode: 0o600});

function home(name: string): {home: string; state: string} {
	const base = path.join(scratch, name);
	const state = path.join(base, '.config', 'arrwire');
	mkdirSync(state, {recursive: true});
	return {home: base, state};
}

describe("arrwire's own files, as someone may have left them", () => {
	it('a FIFO as the profile or the journal: refused at once, named, with why', async () => {
		const {state} = home('fifo');
		execFileSync('mkfifo', [path.join(state, 'profile.json'), path.join(state, 'journal.json')]);
		await assert.rejects(loadProfile(path.join(state, 'profile.json')), {message: `${path.join(state, 'profile.json')} was not read: it is a FIFO, not a regular file. Move it away and run again.`});
		await assert.rejects(Journal.open(path.join(state, 'journal.json')), /journal\.json was not read: it is a FIFO, not a regular file/);
	});

	it('a journal that is a link to another file: refused with why (undo through the CLI: own-files-cli.test.ts)', async () => {
		const {state} = home('link');
		symlinkSync(secretFile, path.join(state, 'journal.json'));
		await assert.rejects(Journal.open(path.join(state, 'journal.json')), {
			message: `${path.join(state, 'journal.json')} is a symbolic link; arrwire does not follow links for its own files (a link could make it read or overwrite another file). Remove the link and run again.`,
		});
	});

	it('a profile that is a link: refused the same way', async () => {
		const {state} = home('profile-link');
		symlinkSync(secretFile, path.join(state, 'profile.json'));
		await assert.rejects(loadProfile(path.join(state, 'profile.json')), /profile\.json is a symbolic link; arrwire does not follow links for its own files/);
	});

	it('a journal or profile that is not JSON: said so, without quoting it', async () => {
		const {state} = home('not-json');
		writeFileSync(path.join(state, 'journal.json'), 'root:$6$not-for-your-eyes$abc');
		writeFileSync(path.join(state, 'profile.json'), 'root:$6$not-for-your-eyes$abc');
		// Each attempt starts when its check is ready for it: a refusal that nothing awaits yet is an unhandled rejection.
		for (const attempt of [() => Journal.open(path.join(state, 'journal.json')), () => loadProfile(path.join(state, 'profile.json'))]) {
			await assert.rejects(attempt, (error: Error) => {
				assert.match(error.message, /is not valid JSON/);
				assert.ok(!error.message.includes('not-for-your-eyes') && !error.message.includes('root:'), error.message);
				return true;
			});
		}
	});
});

describe('writing them: nothing planted can redirect the write', () => {
	const profile = {storeSecrets: true, hosts: [], services: [{kind: 'qbittorrent' as const, url: 'http://127.0.0.1:8080', source: 'localhost' as const, username: 'admin', secret: 'saved-password-0123'}]};

	it('a link planted at the name of the temporary file is left alone; the other file is untouched', async () => {
		const {state} = home('planted-temporary');
		const victim = path.join(scratch, 'victim-temporary');
		writeFileSync(victim, 'untouched\n');
		const file = path.join(state, 'profile.json');
		// The name a write through `${file}.${pid}.tmp` would use, and a spread of the like: each a link to the victim.
		for (const name of [`${file}.${process.pid}.tmp`, `${file}.tmp`]) {
			symlinkSync(victim, name);
		}
		await saveProfile(profile, file);
		assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
		assert.equal((await loadProfile(file))?.services[0]?.secret, 'saved-password-0123');
		assert.ok(!lstatSync(file).isSymbolicLink());
		assert.deepEqual(readdirSync(state).filter(name => name.endsWith('.tmp') && !lstatSync(path.join(state, name)).isSymbolicLink()), [], 'no temporary file left behind');
	});

	it('a link at the final name: refused with why, and the file it points to is untouched', async () => {
		const {state} = home('planted-final');
		const victim = path.join(scratch, 'victim-final');
		writeFileSync(victim, 'untouched\n');
		symlinkSync(victim, path.join(state, 'profile.json'));
		await assert.rejects(saveProfile(profile, path.join(state, 'profile.json')), /profile\.json is a symbolic link; arrwire does not follow links for its own files/);
		assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
		symlinkSync(victim, path.join(state, 'journal.json'));
		await assert.rejects(Journal.open(path.join(state, 'journal.json')), /journal\.json is a symbolic link/);
		assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
	});
});
