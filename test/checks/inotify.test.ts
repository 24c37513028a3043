// Jellyfin's real-time monitoring and this machine's inotify watch limit: folders counted as inotify would watch them
// (links not followed, the walk bounded by the limit), and a warning with the sysctl only when the libraries do not fit.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {countFolders, watchLimit, watchLimitFinding} from '../../source/checks/inotify.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-inotify-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/** A library of `shows` shows with `seasons` seasons each: 1 + shows * (1 + seasons) folders, and a file per season. */
function library(name: string, shows: number, seasons: number): string {
	const root = path.join(scratch, name);
	for (let show = 0; show < shows; show++) {
		mkdirSync(path.join(root, `Show ${show}`), {recursive: true});
		for (let season = 1; season <= seasons; season++) {
			const folder = path.join(root, `Show ${show}`, `Season ${season}`);
			mkdirSync(folder, {recursive: true});
			writeFileSync(path.join(folder, 'episode.mkv'), '');
		}
	}
	return root;
}

describe("Jellyfin's real-time monitoring and the inotify watch limit", () => {
	const tv = library('tv', 10, 3);
	const movies = library('movies', 4, 0);

	it('counts every folder, roots included, and no file', () => {
		assert.deepEqual(countFolders([tv], 1000), {count: 1 + 10 * 4, unreadable: []});
		assert.equal(countFolders([tv, movies], 1000).count, 41 + 5);
	});

	it('does not follow links (inotify watches the link, not what it points to), and names a folder it cannot read', () => {
		symlinkSync(tv, path.join(movies, 'linked'));
		assert.equal(countFolders([movies], 1000).count, 5);
		assert.deepEqual(countFolders([path.join(scratch, 'missing')], 1000), {count: 0, unreadable: [path.join(scratch, 'missing')]});
	});

	it('stops at the cap: a huge library costs no more than the limit it is held against', () => {
		assert.equal(countFolders([tv], 7).count, 7);
	});

	it('warns when the libraries hold more folders than one user may watch, with the sysctl that raises it', () => {
		const finding = watchLimitFinding([{name: 'Shows', hostPaths: [tv]}], 40);
		assert.equal(finding?.id, 'link.jellyfin-watch-limit');
		assert.equal(finding.severity, 'warning');
		assert.match(finding.cause, /"Shows".*more than 40 folders.*allows 40 watches per user \(fs\.inotify\.max_user_watches\)/);
		assert.match(finding.fix, /fs\.inotify\.max_user_watches=524288 .*sysctl --system/);
	});

	it('warns near the limit too (other programs of that user watch folders), and says nothing when the libraries fit', () => {
		assert.match(watchLimitFinding([{name: 'Shows', hostPaths: [tv]}], 44)?.cause ?? '', /hold 41 folders/);
		assert.equal(watchLimitFinding([{name: 'Shows', hostPaths: [tv]}, {name: 'Movies', hostPaths: [movies]}], 8192), undefined);
		assert.equal(watchLimitFinding([{name: 'Shows', hostPaths: [tv]}], undefined), undefined);
	});

	it("reads the limit from the kernel's file; an unreadable or empty one is no limit known", () => {
		const file = path.join(scratch, 'max_user_watches');
		writeFileSync(file, '8192\n');
		assert.equal(watchLimit(file), 8192);
		writeFileSync(file, 'nonsense');
		assert.equal(watchLimit(file), undefined);
		assert.equal(watchLimit(path.join(scratch, 'absent')), undefined);
	});
});
