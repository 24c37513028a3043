// Who each service runs as, and whether that user can traverse, read and write each folder it needs.
// Reads /proc, /etc/group and stat(); changes nothing.
import {readFileSync, readdirSync, readlinkSync, statSync} from 'node:fs';
import path from 'node:path';
import type {Finding} from './findings.js';

export interface Identity {
	uid: number;
	gid: number;
	/** Supplementary groups. */
	groups: number[];
	/** How arrwire knows ("PUID/PGID of container sonarr", "process 1234"). */
	from: string;
}

export type Access = 'read' | 'write';

export interface PathNeed {
	/** Host path. */
	path: string;
	access: Access;
	/** Why the service needs it ("download folder for tv"). */
	role: string;
	/**
	 * For a container: the host folder its mount starts at. The process enters the mount there, so the folders
	 * above it on the host are never traversed.
	 */
	mountSource?: string;
}

/** Supplementary groups of a uid from /etc/group (by user name) — what a process started as that user gets. */
export function groupsOf(uid: number, groupFile = '/etc/group', passwdFile = '/etc/passwd'): number[] {
	let name: string | undefined;
	try {
		name = readFileSync(passwdFile, 'utf8')
			.split('\n')
			.map(line => line.split(':'))
			.find(fields => fields[2] === String(uid))?.[0];
	} catch {
		return [];
	}
	if (!name) {
		return [];
	}
	try {
		return readFileSync(groupFile, 'utf8')
			.split('\n')
			.map(line => line.split(':'))
			.filter(fields => (fields[3] ?? '').split(',').includes(name!))
			.map(fields => Number(fields[2]));
	} catch {
		return [];
	}
}

/** A linuxserver-style container runs its service as PUID:PGID; otherwise Config.User; otherwise root. */
export function containerIdentity(container: {name: string; env: Record<string, string>; user?: string}): Identity {
	const puid = container.env.PUID;
	const pgid = container.env.PGID;
	if (puid && /^\d+$/.test(puid)) {
		const gid = pgid && /^\d+$/.test(pgid) ? Number(pgid) : Number(puid);
		return {uid: Number(puid), gid, groups: [], from: `PUID=${puid} PGID=${pgid ?? puid} of container ${container.name}`};
	}
	if (container.user) {
		const [user, group] = container.user.split(':');
		if (user && /^\d+$/.test(user)) {
			const gid = group && /^\d+$/.test(group) ? Number(group) : Number(user);
			return {uid: Number(user), gid, groups: [], from: `user ${container.user} of container ${container.name}`};
		}
	}
	return {uid: 0, gid: 0, groups: [], from: `container ${container.name} (no PUID/PGID or user: root)`};
}

/** The owner of the process listening on a TCP port on this machine (a native install), from /proc. */
export function processIdentityForPort(port: number): Identity | undefined {
	const inodes = new Set<string>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			const local = fields[1];
			// State 0A is LISTEN.
			if (local && fields[3] === '0A' && Number.parseInt(local.split(':')[1] ?? '', 16) === port && fields[9]) {
				inodes.add(fields[9]);
			}
		}
	}
	if (inodes.size === 0) {
		return undefined;
	}
	for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
		let descriptors: string[];
		try {
			descriptors = readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const descriptor of descriptors) {
			let target: string;
			try {
				target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
			} catch {
				continue;
			}
			const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
			if (inode && inodes.has(inode)) {
				return processIdentity(Number(pid));
			}
		}
	}
	return undefined;
}

export function processIdentity(pid: number): Identity | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
		const gid = Number(/^Gid:\s+(\d+)/m.exec(status)?.[1]);
		const groups = (/^Groups:\s*(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number);
		const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
		return {uid, gid, groups, from: `process ${pid} (${name})`};
	} catch {
		return undefined;
	}
}

interface Denial {
	/** The folder that refuses. */
	at: string;
	missing: 'traverse' | 'read' | 'write';
	mode: number;
	uid: number;
	gid: number;
}

/** Can this identity do `access` on `target` (and traverse every folder above it)? Mode bits, as the kernel checks them. */
export function checkAccess(identity: Identity, target: string, access: Access, mountSource?: string): Denial | 'missing' | undefined {
	if (identity.uid === 0) {
		return undefined; // root passes permission bits (CAP_DAC_OVERRIDE).
	}
	const parts = path.resolve(target).split('/').filter(Boolean);
	const start = mountSource ? path.resolve(mountSource) : '/';
	const chain = ['/', ...parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`)].filter(
		folder => start === '/' || folder === start || folder.startsWith(`${start}/`),
	);
	for (const [index, folder] of chain.entries()) {
		let stat;
		try {
			stat = statSync(folder);
		} catch {
			return 'missing';
		}
		const bits = permissionBits(identity, stat.mode, stat.uid, stat.gid);
		const last = index === chain.length - 1;
		if (!(bits & 1)) {
			return {at: folder, missing: 'traverse', mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid};
		}
		if (last && !(bits & 4)) {
			return {at: folder, missing: 'read', mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid};
		}
		if (last && access === 'write' && !(bits & 2)) {
			return {at: folder, missing: 'write', mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid};
		}
	}
	return undefined;
}

/** The rwx bits that apply to this identity: owner's, else group's, else other's (the first class that matches wins). */
function permissionBits(identity: Identity, mode: number, uid: number, gid: number): number {
	if (identity.uid === uid) {
		return (mode >> 6) & 7;
	}
	if (identity.gid === gid || identity.groups.includes(gid)) {
		return (mode >> 3) & 7;
	}
	return mode & 7;
}

export function checkPermissions(service: string, identity: Identity, needs: PathNeed[]): Finding[] {
	const findings: Finding[] = [];
	for (const need of needs) {
		const denial = checkAccess(identity, need.path, need.access, need.mountSource);
		if (!denial || denial === 'missing') {
			continue; // A missing folder is reported by the path checks.
		}
		const who = `${identity.uid}:${identity.gid}`;
		const mode = denial.mode.toString(8).padStart(4, '0');
		const evidence = [`${service} runs as ${who} (${identity.from})`, `${denial.at}: owner ${denial.uid}:${denial.gid}, mode ${mode}`];
		const verb = denial.missing === 'traverse' ? 'enter' : denial.missing;
		const needsWrite = need.access === 'write';
		const ownFix = `chown -R ${who} ${need.path}${needsWrite ? ` && chmod -R u+rwX ${need.path}` : ''}`;
		const aclFix = `setfacl -m u:${identity.uid}:${denial.missing === 'traverse' ? 'x' : needsWrite ? 'rwx' : 'rx'} ${denial.at}`;
		findings.push({
			id: denial.missing === 'write' ? 'permissions.no-write' : denial.missing === 'read' ? 'permissions.no-read' : 'permissions.no-traverse',
			severity: 'error',
			subject: service,
			cause: `${service} (user ${who}) cannot ${verb} ${denial.at}, which it needs as its ${need.role}.`,
			evidence,
			fix:
				denial.at === path.resolve(need.path) || denial.missing !== 'traverse'
					? `${ownFix}   (or, to keep the owner: ${aclFix}; or run the container with PUID/PGID of the folder's owner, ${denial.uid}/${denial.gid})`
					: `chmod o+x ${denial.at}   (or: ${aclFix})`,
		});
	}
	return findings;
}
