// Path layout checks on real folder trees (and a real second filesystem, a tmpfs).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {checkPaths, downloadPath, type StackPaths} from '../../source/checks/paths.js';
import {remapAsSonarr, remotePathMappingFor, toHostPath, toServicePath} from '../../source/checks/mounts.js';

describe('container paths and host paths', () => {
	const view = {service: 'Sonarr', mounts: [{source: '/srv/data', destination: '/data', rw: true}, {source: '/srv/data/media/tv', destination: '/tv', rw: true}]};

	it('translates through the deepest mount, both ways', () => {
		assert.equal(toHostPath(view, '/data/torrents/tv'), '/srv/data/torrents/tv');
		assert.equal(toHostPath(view, '/tv/Show'), '/srv/data/media/tv/Show');
		assert.equal(toHostPath(view, '/downloads'), undefined);
		assert.equal(toServicePath(view, '/srv/data/media/tv/Show'), '/tv/Show');
		assert.equal(toServicePath(view, '/srv/other'), undefined);
		assert.equal(toServicePath({service: 'native'}, '/srv/other/'), '/srv/other');
	});

	it('makes the remote path mapping at the download folder\'s parent, never above qBittorrent\'s mount (/ would remap every path)', () => {
		const mount = (source: string, destination: string) => ({source, destination, rw: true});
		const qbittorrent = {service: 'qBittorrent', mounts: [mount('/srv/data/downloads', '/downloads')]};
		// Sonarr mounts the parent: the suffix "downloads" is common, but mapping / -> /data/ would take every path.
		const parent = {service: 'Sonarr', mounts: [mount('/srv/data', '/data')]};
		assert.deepEqual(remotePathMappingFor(qbittorrent, parent, '/downloads/tv'), {remotePath: '/downloads/', localPath: '/data/downloads/'});
		assert.deepEqual(remotePathMappingFor(qbittorrent, parent, '/downloads'), {remotePath: '/downloads/', localPath: '/data/downloads/'});
		// Sonarr sees only a folder inside qBittorrent's mount: the mapping starts there.
		const inside = {service: 'Sonarr', mounts: [mount('/srv/data/downloads/tv', '/tv-downloads')]};
		assert.deepEqual(remotePathMappingFor(qbittorrent, inside, '/downloads/tv'), {remotePath: '/downloads/tv/', localPath: '/tv-downloads/'});
		// A native qBittorrent: from the download folder's parent (which the other category shares), not /.
		assert.deepEqual(remotePathMappingFor({service: 'qBittorrent'}, parent, '/srv/data/torrents/tv'), {remotePath: '/srv/data/torrents/', localPath: '/data/torrents/'});
		assert.equal(remotePathMappingFor(qbittorrent, {service: 'Sonarr', mounts: [mount('/srv/data/downloads', '/downloads')]}, '/downloads/tv'), null, 'same path: none needed');
		assert.equal(remotePathMappingFor(qbittorrent, {service: 'Sonarr', mounts: [mount('/srv/media', '/tv')]}, '/downloads/tv'), undefined, 'not visible: no mapping helps');
	});

	it("remaps a reported path as Sonarr does: first match, host without case, OsPath.Contains with trailing separators", () => {
		const stale = {host: 'qbittorrent', remotePath: '/data/torrents/', localPath: '/data/old-torrents/'};
		assert.deepEqual(remapAsSonarr([stale], 'QBittorrent', '/data/torrents/tv/Show.S01E01'), {path: '/data/old-torrents/tv/Show.S01E01', mapping: stale});
		assert.equal(remapAsSonarr([stale], 'other-host', '/data/torrents/tv').path, '/data/torrents/tv');
		// Contains compares folders: /data/torrents-old is not inside /data/torrents.
		assert.equal(remapAsSonarr([stale], 'qbittorrent', '/data/torrents-old/tv').path, '/data/torrents-old/tv');
		// A mapping of the category folder itself, with its trailing slash, covers the folder as qBittorrent reports it.
		const category = {host: 'qbittorrent', remotePath: '/downloads/tv/', localPath: '/data/torrents/tv/'};
		assert.equal(remapAsSonarr([category], 'qbittorrent', '/downloads/tv').path, '/data/torrents/tv');
		assert.equal(remapAsSonarr([{...category, remotePath: '/downloads/tv'}], 'qbittorrent', '/downloads/tv/').path, '/data/torrents/tv');
		// The first mapping in the list wins, even when a later one is more specific.
		const later = {host: 'qbittorrent', remotePath: '/data/torrents/tv/', localPath: '/data/torrents/tv/'};
		assert.equal(remapAsSonarr([stale, later], 'qbittorrent', '/data/torrents/tv').path, '/data/old-torrents/tv');
		assert.equal(remapAsSonarr([later, stale], 'qbittorrent', '/data/torrents/tv').path, '/data/torrents/tv');
	});

	it("knows where qBittorrent saves a category's torrents (manual mode: the default save path)", () => {
		const qbittorrent = {view: {service: 'qBittorrent'}, defaultSavePath: '/data/torrents', autoTmm: true, categories: {tv: {savePath: '/data/torrents/tv'}, movies: {savePath: ''}}};
		assert.equal(downloadPath(qbittorrent, 'tv'), '/data/torrents/tv');
		assert.equal(downloadPath(qbittorrent, 'movies'), '/data/torrents/movies');
		assert.equal(downloadPath({...qbittorrent, autoTmm: false}, 'tv'), '/data/torrents');
	});
});

describe('the path checks on real folders', () => {
	let root: string;
	let tmpfs: string;
	before(() => {
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-paths-'));
		for (const folder of ['data/torrents/tv', 'data/torrents/movies', 'data/media/tv', 'data/media/movies']) {
			mkdirSync(path.join(root, folder), {recursive: true});
		}
		tmpfs = path.join(root, 'other-disk');
		mkdirSync(tmpfs);
		const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', tmpfs], {encoding: 'utf8'});
		assert.equal(mounted.status, 0, `the tests need to mount a tmpfs (run them as root): ${mounted.stderr}`);
		mkdirSync(path.join(tmpfs, 'media', 'tv'), {recursive: true});
	});
	after(() => {
		spawnSync('umount', [tmpfs]);
		rmSync(root, {recursive: true, force: true});
	});

	/** The one-/data-tree layout: every container mounts the same host folder at /data. */
	function matching(): StackPaths {
		const data = path.join(root, 'data');
		const mounts = [{source: data, destination: '/data', rw: true}];
		return {
			qbittorrent: {view: {service: 'qBittorrent', mounts}, defaultSavePath: '/data/torrents', autoTmm: true, categories: {tv: {savePath: '/data/torrents/tv'}, movies: {savePath: '/data/torrents/movies'}}, container: 'qbittorrent'},
			arrs: [
				{service: 'Sonarr', view: {service: 'Sonarr', mounts}, container: 'sonarr', category: 'tv', rootFolders: ['/data/media/tv'], remotePathMappings: [], downloadClientHost: 'qbittorrent'},
				{service: 'Radarr', view: {service: 'Radarr', mounts}, container: 'radarr', category: 'movies', rootFolders: ['/data/media/movies'], remotePathMappings: [], downloadClientHost: 'qbittorrent'},
			],
			jellyfin: {view: {service: 'Jellyfin', mounts: [{source: path.join(data, 'media'), destination: '/data/media', rw: false}]}, container: 'jellyfin', libraries: [{name: 'Shows', collectionType: 'tvshows', paths: ['/data/media/tv']}, {name: 'Movies', collectionType: 'movies', paths: ['/data/media/movies']}]},
		};
	}

	it('the one-/data-tree layout: no finding', () => {
		assert.deepEqual(checkPaths(matching()), []);
	});

	it('qBittorrent saving to /downloads that Sonarr mounts elsewhere: the classic import failure, with the remote path mapping', () => {
		const stack = matching();
		const torrents = path.join(root, 'data', 'torrents');
		stack.qbittorrent!.view = {service: 'qBittorrent', mounts: [{source: torrents, destination: '/downloads', rw: true}]};
		stack.qbittorrent!.defaultSavePath = '/downloads';
		stack.qbittorrent!.categories = {tv: {savePath: '/downloads/tv'}, movies: {savePath: '/downloads/movies'}};
		const findings = checkPaths(stack);
		const sonarr = findings.find(finding => finding.id === 'paths.remote-path-mapping-needed' && finding.subject === 'Sonarr -> qBittorrent');
		assert.ok(sonarr, JSON.stringify(findings, null, 2));
		assert.equal(sonarr.severity, 'error');
		assert.match(sonarr.cause, /reports \/downloads\/tv, but Sonarr sees that folder as \/data\/torrents\/tv/);
		assert.match(sonarr.fix, /remote \/downloads\/, local \/data\/torrents\//);
		// With the mapping in place, the finding is gone.
		stack.arrs[0]!.remotePathMappings = [{host: 'qbittorrent', remotePath: '/downloads/', localPath: '/data/torrents/'}];
		assert.equal(checkPaths(stack).some(finding => finding.subject === 'Sonarr -> qBittorrent' && finding.id === 'paths.remote-path-mapping-needed'), false);
	});

	it('one /data tree and a stale mapping for the same host: Sonarr looks in the old folder, so it is an error with the delete fix', () => {
		const stack = matching();
		stack.arrs[0]!.remotePathMappings = [{host: 'QBittorrent', remotePath: '/data/torrents/', localPath: '/data/old-torrents/'}];
		const findings = checkPaths(stack);
		const finding = findings.find(candidate => candidate.id === 'paths.remote-path-mapping-wrong' && candidate.subject === 'Sonarr -> qBittorrent');
		assert.ok(finding, JSON.stringify(findings, null, 2));
		assert.equal(finding.severity, 'error');
		assert.match(finding.cause, /turns qBittorrent's \/data\/torrents\/tv into \/data\/old-torrents\/tv/);
		assert.match(finding.fix, /Delete that remote path mapping/);
		// Radarr has no mapping: nothing about it.
		assert.equal(findings.some(candidate => candidate.subject === 'Radarr -> qBittorrent'), false);
	});

	it('a mapping of the category folder itself (remote /downloads/tv/) covers qBittorrent\'s /downloads/tv', () => {
		const stack = matching();
		stack.qbittorrent!.view = {service: 'qBittorrent', mounts: [{source: path.join(root, 'data', 'torrents'), destination: '/downloads', rw: true}]};
		stack.qbittorrent!.defaultSavePath = '/downloads';
		stack.qbittorrent!.categories = {tv: {savePath: '/downloads/tv'}, movies: {savePath: '/downloads/movies'}};
		stack.arrs[0]!.remotePathMappings = [{host: 'qbittorrent', remotePath: '/downloads/tv/', localPath: '/data/torrents/tv/'}];
		const findings = checkPaths(stack).filter(candidate => candidate.subject === 'Sonarr -> qBittorrent');
		assert.deepEqual(findings, []);
	});

	it('Sonarr without the downloads folder mounted at all: says it cannot see it and gives the compose line', () => {
		const stack = matching();
		stack.arrs[0]!.view = {service: 'Sonarr', mounts: [{source: path.join(root, 'data', 'media', 'tv'), destination: '/data/media/tv', rw: true}]};
		const finding = checkPaths(stack).find(candidate => candidate.id === 'paths.download-not-visible');
		assert.ok(finding);
		assert.match(finding.cause, /Sonarr cannot see that folder/);
		assert.match(finding.fix, /volumes:/);
	});

	it('library on another filesystem (a tmpfs): hardlinks impossible, imports are copies', () => {
		const stack = matching();
		stack.arrs[0]!.view = {service: 'Sonarr', mounts: [{source: path.join(root, 'data'), destination: '/data', rw: true}, {source: path.join(tmpfs, 'media'), destination: '/media', rw: true}]};
		stack.arrs[0]!.rootFolders = ['/media/tv'];
		stack.jellyfin = undefined;
		const finding = checkPaths(stack).find(candidate => candidate.id === 'paths.different-filesystems');
		assert.ok(finding);
		assert.equal(finding.severity, 'warning');
		assert.match(finding.impact ?? '', /twice the disk/);
	});

	it('same disk but two separate mounts in the container: hardlinks fail across mounts', () => {
		const stack = matching();
		stack.arrs[0]!.view = {
			service: 'Sonarr',
			mounts: [
				{source: path.join(root, 'data', 'torrents'), destination: '/downloads', rw: true},
				{source: path.join(root, 'data', 'media', 'tv'), destination: '/tv', rw: true},
			],
		};
		stack.arrs[0]!.rootFolders = ['/tv'];
		stack.arrs[0]!.remotePathMappings = [{host: 'qbittorrent', remotePath: '/data/torrents/', localPath: '/downloads/'}];
		const findings = checkPaths(stack);
		const finding = findings.find(candidate => candidate.id === 'paths.separate-mounts');
		assert.ok(finding, JSON.stringify(findings, null, 2));
		assert.match(finding.fix, new RegExp(`${path.join(root, 'data')}:/data`));
	});

	it('downloads Sonarr cannot see: the fix mounts the data tree where qBittorrent has it (compose and -v), or, for a category saved outside the tree with the media, that folder and the warning', () => {
		const data = path.join(root, 'data');
		const notVisible = (stack: StackPaths) => checkPaths(stack).find(candidate => candidate.id === 'paths.download-not-visible' && candidate.subject === 'Sonarr -> qBittorrent');
		// Sonarr mounts only its library: the tree qBittorrent mounts holds both.
		const onlyLibrary = matching();
		onlyLibrary.arrs[0]!.view = {service: 'Sonarr', mounts: [{source: path.join(data, 'media', 'tv'), destination: '/tv', rw: true}]};
		onlyLibrary.arrs[0]!.rootFolders = ['/tv'];
		const tree = notVisible(onlyLibrary);
		assert.ok(tree);
		assert.match(tree.fix, new RegExp(`volumes: \\["${data}:/data"\\]`));
		assert.match(tree.fix, new RegExp(`-v ${data}:/data; then use it in Sonarr: root folder /tv -> /data/media/tv`));
		// qBittorrent mounts only its downloads, elsewhere: the host folder that holds downloads and media.
		const split = matching();
		split.qbittorrent!.view = {service: 'qBittorrent', mounts: [{source: path.join(data, 'torrents'), destination: '/downloads', rw: true}]};
		split.qbittorrent!.defaultSavePath = '/downloads';
		split.qbittorrent!.categories = {tv: {savePath: '/downloads/tv'}, movies: {savePath: '/downloads/movies'}};
		split.arrs[0]!.view = onlyLibrary.arrs[0]!.view;
		split.arrs[0]!.rootFolders = ['/tv'];
		assert.match(notVisible(split)?.fix ?? '', new RegExp(`volumes: \\["${data}:/data"\\]`));
		// The "tv" category saved in a second mount of qBittorrent, outside the /data tree it also mounts.
		const second = path.join(root, 'tv-downloads');
		mkdirSync(second, {recursive: true});
		const outside = matching();
		outside.qbittorrent!.view = {service: 'qBittorrent', mounts: [{source: data, destination: '/data', rw: true}, {source: second, destination: '/tv-downloads', rw: true}]};
		outside.qbittorrent!.categories.tv = {savePath: '/tv-downloads'};
		const own = notVisible(outside);
		assert.ok(own);
		assert.match(own.fix, new RegExp(`volumes: \\["${second}:/tv-downloads"\\]\`, docker run -v ${second}:/tv-downloads\\.`));
		assert.match(own.fix, /outside the tree that holds the media \(\/data in qBittorrent\), so imports from it are copies/);
		assert.doesNotMatch(own.fix, new RegExp(`"${root}:`), 'not the folder that happens to hold both');
	});

	it('a missing folder, and a library Jellyfin cannot see', () => {
		const stack = matching();
		stack.arrs[1]!.rootFolders = ['/data/media/films'];
		stack.jellyfin!.view = {service: 'Jellyfin', mounts: [{source: path.join(root, 'data', 'media', 'tv'), destination: '/data/media/tv', rw: false}]};
		const findings = checkPaths(stack);
		assert.ok(findings.some(finding => finding.id === 'paths.missing-directory' && finding.cause.includes(path.join(root, 'data', 'media', 'films'))));
		assert.ok(findings.some(finding => finding.id === 'paths.library-not-visible' && finding.cause.includes("Radarr's root folder")));
	});
});
