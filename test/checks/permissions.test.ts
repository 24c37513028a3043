// Ownership and permission checks on real folders owned by real users (the tests run as root and create them).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {checkAccess, checkPermissions, containerIdentity, groupsOf, parseAcl, processIdentityForPort, sharedTree} from '../../source/checks/permissions.js';
import {startQbittorrent} from '../../source/lab/qbittorrent.js';

const MEDIA_UID = 23101;
const OTHER_UID = 23102;

function ensureUser(name: string, uid: number): void {
	if (spawnSync('id', ['-u', name]).status !== 0) {
		const made = spawnSync('useradd', ['-u', String(uid), '-U', '-M', '-s', '/usr/sbin/nologin', name], {encoding: 'utf8'});
		assert.equal(made.status, 0, `the tests create users and need root: ${made.stderr}`);
	}
}

describe('who may do what in the data tree', () => {
	let root: string;
	before(() => {
		assert.equal(process.getuid?.(), 0, 'these tests run as root (they create users and chown folders)');
		ensureUser('arrwire-media', MEDIA_UID);
		ensureUser('arrwire-other', OTHER_UID);
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-permissions-'));
		chmodSync(root, 0o755);
		for (const folder of ['data/torrents/tv', 'data/media/tv', 'data/media/movies', 'private/data']) {
			mkdirSync(path.join(root, folder), {recursive: true});
		}
		for (const folder of ['data', 'data/torrents', 'data/torrents/tv', 'data/media', 'data/media/tv']) {
			chownSync(path.join(root, folder), MEDIA_UID, MEDIA_UID);
			chmodSync(path.join(root, folder), 0o775);
		}
		chownSync(path.join(root, 'data/media/movies'), OTHER_UID, OTHER_UID);
		chmodSync(path.join(root, 'data/media/movies'), 0o755);
		chmodSync(path.join(root, 'private'), 0o700);
	});
	after(() => {
		rmSync(root, {recursive: true, force: true});
		spawnSync('userdel', ['arrwire-media']);
		spawnSync('userdel', ['arrwire-other']);
		spawnSync('groupdel', ['arrwire-media']);
		spawnSync('groupdel', ['arrwire-other']);
	});

	it('PUID/PGID decide who a linuxserver container runs as; Config.User otherwise; root without either', () => {
		assert.deepEqual(containerIdentity({name: 'sonarr', env: {PUID: '1000', PGID: '100'}}).uid, 1000);
		assert.equal(containerIdentity({name: 'sonarr', env: {PUID: '1000', PGID: '100'}}).gid, 100);
		assert.equal(containerIdentity({name: 'jellyfin', env: {}, user: '1001:1001'}).uid, 1001);
		assert.equal(containerIdentity({name: 'x', env: {}}).uid, 0);
	});

	it("the right owner: no finding for the media user's own folders", () => {
		const identity = {uid: MEDIA_UID, gid: MEDIA_UID, groups: [], from: 'test'};
		const findings = checkPermissions('Sonarr', identity, [
			{path: path.join(root, 'data/torrents/tv'), access: 'write', role: 'download folder'},
			{path: path.join(root, 'data/media/tv'), access: 'write', role: 'root folder'},
		]);
		assert.deepEqual(findings, []);
	});

	it('the wrong owner: a folder owned by another user with 0755, with the chown and the ACL alternative', () => {
		const identity = {uid: MEDIA_UID, gid: MEDIA_UID, groups: [], from: 'PUID=23101 PGID=23101 of container radarr'};
		const [finding] = checkPermissions('Radarr', identity, [{path: path.join(root, 'data/media/movies'), access: 'write', role: 'root folder'}]);
		assert.ok(finding);
		assert.equal(finding.id, 'permissions.no-write');
		assert.match(finding.cause, /Radarr \(user 23101:23101\) cannot write/);
		assert.match(finding.fix, new RegExp(`chown -R 23101:23101 ${path.join(root, 'data/media/movies')}`));
		// Recursive and with a default entry, so that what is created later stays writable and hardlinkable.
		assert.match(finding.fix, new RegExp(`setfacl -R -m u:23101:rwX,d:u:23101:rwX ${path.join(root, 'data/media/movies')}`));
		assert.ok(finding.evidence?.some(line => line.includes(`owner ${OTHER_UID}:${OTHER_UID}, mode 0755`)));
	});

	it('a missing write bit for the group: found even though the group matches', () => {
		const folder = path.join(root, 'data/torrents/tv');
		chmodSync(folder, 0o755);
		try {
			const groupMember = {uid: OTHER_UID, gid: MEDIA_UID, groups: [], from: 'test'};
			const denial = checkAccess(groupMember, folder, 'write');
			assert.ok(denial && denial !== 'missing');
			assert.equal(denial.missing, 'write');
			assert.equal(checkAccess(groupMember, folder, 'read'), undefined, 'reading is still allowed');
		} finally {
			chmodSync(folder, 0o775);
		}
	});

	it('ACLs as the kernel reads them: a named group is cut by the mask; the owning group entry is not the mode\'s group bits', () => {
		const folder = path.join(root, 'data/torrents/tv');
		const setfacl = (...args: string[]) => assert.equal(spawnSync('setfacl', args).status, 0);
		try {
			setfacl('-m', `g:${OTHER_UID}:rwx,m::r-x`, folder);
			const namedGroup = {uid: 5555, gid: OTHER_UID, groups: [], from: 'test'};
			assert.equal((checkAccess(namedGroup, folder, 'write') as {missing?: string}).missing, 'write', 'the mask r-x takes the w away');
			setfacl('-m', 'm::rwx', folder);
			assert.equal(checkAccess(namedGroup, folder, 'write'), undefined);
			// The owning group's own entry is r-x (chmod 0775 showed rwx: the mask); a member cannot write.
			setfacl('-m', 'g::r-x', folder);
			assert.equal((checkAccess({uid: 5555, gid: MEDIA_UID, groups: [], from: 'test'}, folder, 'write') as {missing?: string}).missing, 'write');
			assert.deepEqual(parseAcl('user::rwx\nuser:7:r-x\ngroup::r-x\nmask::rwx\nother::r-x\ndefault:user:8:rwx\n'), {users: new Map([[7, 5]]), groups: new Map(), groupObject: 5, mask: 7});
		} finally {
			setfacl('-b', folder);
			chmodSync(folder, 0o775);
		}
	});

	it('a folder above that cannot be entered: native services need every parent, containers only from their mount', () => {
		const identity = {uid: MEDIA_UID, gid: MEDIA_UID, groups: [], from: 'test'};
		const inside = path.join(root, 'private/data');
		chownSync(inside, MEDIA_UID, MEDIA_UID);
		const [finding] = checkPermissions('Sonarr', identity, [{path: inside, access: 'write', role: 'root folder'}]);
		assert.equal(finding?.id, 'permissions.no-traverse');
		assert.match(finding?.fix ?? '', new RegExp(`chmod o\\+x ${path.join(root, 'private')}`));
		assert.deepEqual(checkPermissions('Sonarr', identity, [{path: inside, access: 'write', role: 'root folder', mountSource: inside}]), []);
	});

	it('services sharing one tree under different users: one fix for the stack (one PUID/PGID, UMASK 002, one chown of the tree), used by every ownership finding in it', () => {
		const data = path.join(root, 'data');
		const torrents = path.join(data, 'torrents/tv');
		const media = path.join(data, 'media/tv');
		const qbittorrent = {service: 'qBittorrent', container: 'qbittorrent', identity: {uid: MEDIA_UID, gid: MEDIA_UID, groups: [], from: 'test'}, needs: [{path: torrents, access: 'write' as const, role: 'download folder'}]};
		const sonarr = {service: 'Sonarr', identity: {uid: OTHER_UID, gid: OTHER_UID, groups: [], from: 'test'}, needs: [{path: media, access: 'write' as const, role: 'root folder'}, {path: torrents, access: 'write' as const, role: 'import source'}]};
		const shared = sharedTree([qbittorrent, sonarr]);
		assert.ok(shared);
		assert.equal(shared.tree, data);
		assert.deepEqual([shared.uid, shared.gid], [MEDIA_UID, MEDIA_UID], "qBittorrent's user: it owns the downloads already there");
		assert.match(shared.fix, new RegExp(`set PUID=${MEDIA_UID} PGID=${MEDIA_UID} UMASK=002 on the containers qbittorrent`));
		assert.match(shared.fix, new RegExp(`run Sonarr as user ${MEDIA_UID}, group ${MEDIA_UID}, with umask 002`));
		assert.match(shared.fix, new RegExp(`chown -R ${MEDIA_UID}:${MEDIA_UID} ${data} `));
		const findings = checkPermissions('Sonarr', sonarr.identity, sonarr.needs, shared);
		assert.ok(findings.length > 0);
		for (const finding of findings) {
			assert.ok(finding.fix.startsWith(shared.fix), finding.fix);
			assert.doesNotMatch(finding.fix, new RegExp(`chown -R ${OTHER_UID}`));
		}
		// One user already: each service's own fix agrees with the others'. No tree in common: nothing to share.
		assert.equal(sharedTree([qbittorrent, {...sonarr, identity: qbittorrent.identity}]), undefined);
		assert.equal(sharedTree([qbittorrent, {...sonarr, needs: [{path: '/srv/elsewhere', access: 'write', role: 'root folder'}]}]), undefined);
	});

	it('supplementary groups come from /etc/group', () => {
		const added = spawnSync('usermod', ['-a', '-G', 'arrwire-other', 'arrwire-media']);
		assert.equal(added.status, 0);
		assert.ok(groupsOf(MEDIA_UID).includes(OTHER_UID));
	});

	it('a native service: its owner is read from the process that listens on its port', async () => {
		const qbt = await startQbittorrent();
		try {
			const identity = processIdentityForPort(qbt.port);
			assert.ok(identity, 'the listening process is found');
			assert.equal(identity.uid, process.getuid?.());
			assert.match(identity.from, /qbittorrent/);
		} finally {
			await qbt.stop();
		}
	});
});
