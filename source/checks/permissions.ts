// Who each service runs as, and whether that user can traverse, read and write each folder it needs.
// Reads /proc, /etc/group and stat(); changes nothing.
import {spawnSync} from 'node:child_process';
import {readFileSync, readdirSync, readlinkSync, statSync} from 'node:fs';
import {endianness} from 'node:os';
import path from 'node:path';
import type {Finding} from './findings.js';

export interface Identity {
	uid: number;
	gid: number;
	/** Supplementary groups. */
	groups: number[];
	/** How arrwire knows ("PUID/PGID of container sonarr", "process 1234"). */
	from: string;
	/** The process's umask, when read from the process itself. */
	umask?: number;
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
	/** The container's mount of it is read-only (`:ro`): no user, root included, can write, rename or hardlink there. */
	readOnly?: boolean;
	/** Where that mount appears inside the container. */
	mountDestination?: string;
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
			.filter(fields => (fields[3] ?? '').split(',').includes(name))
			.map(fields => Number(fields[2]));
	} catch {
		return [];
	}
}

interface ContainerFacts {
	name: string;
	env: Record<string, string>;
	user?: string;
	groupAdd?: string[];
	pid?: number;
	ports?: Array<{containerPort: number; hostPort: number; protocol: string}>;
}

/**
 * Who a container's service runs as. The running process is the truth: the one that listens on the service's port
 * in the container's network namespace (a linuxserver image starts as root and its s6 runs the app as `abc`, that is
 * PUID:PGID), else the main process when it is not root. When no process can be read: PUID/PGID, else Config.User,
 * with HostConfig.GroupAdd as supplementary groups; else root.
 */
export function containerIdentity(container: ContainerFacts, servicePort?: number): Identity {
	if (container.pid) {
		const inside = container.ports?.find(port => port.hostPort === servicePort && port.protocol === 'tcp')?.containerPort ?? servicePort;
		const listener = inside === undefined ? undefined : listenerIdentity(`/proc/${container.pid}/net`, inside);
		if (listener) {
			return {...listener, from: `${listener.from}, listening on port ${inside} in container ${container.name}`};
		}
		const main = processIdentity(container.pid);
		if (main && main.uid !== 0) {
			return {...main, from: `${main.from}, the main process of container ${container.name}`};
		}
	}
	const numericGroups = (container.groupAdd ?? []).filter(group => /^\d+$/.test(group)).map(Number);
	const puid = container.env.PUID;
	const pgid = container.env.PGID;
	if (puid && /^\d+$/.test(puid)) {
		const gid = pgid && /^\d+$/.test(pgid) ? Number(pgid) : Number(puid);
		return {uid: Number(puid), gid, groups: numericGroups, from: `PUID=${puid} PGID=${pgid ?? puid} of container ${container.name}`};
	}
	if (container.user) {
		const [user, group] = container.user.split(':');
		if (user && /^\d+$/.test(user)) {
			const gid = group && /^\d+$/.test(group) ? Number(group) : Number(user);
			return {uid: Number(user), gid, groups: numericGroups, from: `user ${container.user} of container ${container.name}`};
		}
	}
	return {uid: 0, gid: 0, groups: numericGroups, from: `container ${container.name} (no PUID/PGID or user: root)`};
}

/** The one user that listens on `port` in the network namespace whose tables are under `procNet`. */
function listenerIdentity(procNet: string, port: number): Identity | undefined {
	const listeners = listenersOn(port, procNet);
	if (!listeners?.length) {
		return undefined;
	}
	const identities = holdersOf(new Set(listeners.map(listener => listener.inode)))
		.map(processIdentity)
		.filter((identity): identity is Identity => identity !== undefined);
	const first = identities[0];
	return first && identities.every(identity => identity.uid === first.uid && identity.gid === first.gid) ? first : undefined;
}

/** Who listens on an address and port of this machine, or why that cannot be told. */
export type PortOwner = {identity: Identity; unknown?: undefined} | {identity?: undefined; unknown: string};

interface Listener {
	/** The address it is bound to, as text ("127.0.0.2", "::1", "0.0.0.0", "::"). */
	address: string;
	inode: string;
}

/** An address of /proc/net/tcp{,6}: 32-bit words in this machine's byte order, written as hex. */
function procAddress(hex: string): string {
	const bytes: number[] = [];
	for (let word = 0; word < hex.length; word += 8) {
		const value = Number.parseInt(hex.slice(word, word + 8), 16);
		const big = [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
		bytes.push(...(endianness() === 'LE' ? big.reverse() : big));
	}
	if (bytes.length === 4) {
		return bytes.join('.');
	}
	// An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) is that IPv4 address.
	if (bytes.slice(0, 10).every(byte => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
		return bytes.slice(12).join('.');
	}
	const groups: string[] = [];
	for (let index = 0; index < 16; index += 2) {
		groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
	}
	return canonicalIpv6(groups.join(':'));
}

/** One spelling per IPv6 address (the URL standard's: shortest, lower case), so that addresses compare as text. */
function canonicalIpv6(address: string): string {
	try {
		return new URL(`http://[${address}]/`).hostname.slice(1, -1);
	} catch {
		return address;
	}
}

function listenersOn(port: number, procNet = '/proc/net'): Listener[] | undefined {
	const found: Listener[] = [];
	let readable = false;
	for (const table of [`${procNet}/tcp`, `${procNet}/tcp6`]) {
		let text: string;
		try {
			text = readFileSync(table, 'utf8');
			readable = true;
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			const [hex, portHex] = (fields[1] ?? '').split(':');
			// State 0A is LISTEN.
			if (hex && fields[3] === '0A' && Number.parseInt(portHex ?? '', 16) === port && fields[9]) {
				found.push({address: procAddress(hex), inode: fields[9]});
			}
		}
	}
	return readable ? found : undefined;
}

/**
 * The addresses a client asking for `host` may reach: "localhost" is 127.0.0.1 and ::1 (/etc/hosts may name
 * either), brackets of an IPv6 URL host are dropped.
 */
function addressesOf(host: string): string[] {
	const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	if (bare === 'localhost') {
		return ['127.0.0.1', '::1'];
	}
	if (!bare.includes(':')) {
		return [bare];
	}
	const canonical = canonicalIpv6(bare);
	// ::ffff:a.b.c.d is the IPv4 address a.b.c.d (the URL standard writes it as ::ffff:XXXX:XXXX).
	const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
	if (mapped) {
		const [high, low] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)];
		return [[high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')];
	}
	return [canonical];
}

/** Does a socket bound to `bound` take connections to `address`? 0.0.0.0 takes any IPv4 address; :: any at all. */
function takes(bound: string, address: string): boolean {
	return bound === address || bound === '::' || (bound === '0.0.0.0' && !address.includes(':'));
}

/** The processes that hold a socket, by its inode (a socket inherited across fork is held by each). */
function holdersOf(inodes: Set<string>): number[] {
	const holders: number[] = [];
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter(name => /^\d+$/.test(name));
	} catch {
		return holders;
	}
	for (const pid of pids) {
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
				holders.push(Number(pid));
				break;
			}
		}
	}
	return holders;
}

/**
 * Who listens on `host`:`port` of this machine (a native install), from /proc. The address counts as much as the
 * port: two programs may listen on one port on two loopback addresses. A socket bound to a specific address wins
 * over one bound to all (as the kernel routes a connection); when it cannot be told which process it is, the answer
 * says why instead of naming one.
 */
export function portOwner(host: string, port: number): PortOwner {
	const where = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
	const unknown = (why: string): PortOwner => ({unknown: `the process behind ${where} could not be identified: ${why}`});
	const listeners = listenersOn(port);
	if (!listeners) {
		return unknown('/proc/net/tcp cannot be read here');
	}
	const addresses = addressesOf(host);
	const exact = listeners.filter(listener => addresses.includes(listener.address));
	const matching = exact.length ? exact : listeners.filter(listener => addresses.some(address => takes(listener.address, address)));
	if (matching.length === 0) {
		return unknown('nothing on this machine listens there (a forwarded port, or another machine)');
	}
	const holders = holdersOf(new Set(matching.map(listener => listener.inode)));
	if (holders.length === 0) {
		return unknown('its process is not visible to this user (run arrwire check as that user, or as root)');
	}
	const identities = holders.map(processIdentity).filter((identity): identity is Identity => identity !== undefined);
	const first = identities[0];
	if (!first || identities.length < holders.length) {
		return unknown('its process ended, or is not visible to this user');
	}
	// Several processes: the workers of one program share its user; programs of different users are not guessed at.
	if (identities.some(identity => identity.uid !== first.uid || identity.gid !== first.gid)) {
		return unknown(`several processes of different users listen there (${identities.map(identity => identity.from).join(', ')})`);
	}
	return {identity: first};
}

/** The owner of the process listening on a TCP port of this machine; without `host`, on any of its addresses. */
export function processIdentityForPort(port: number, host?: string): Identity | undefined {
	if (host !== undefined) {
		return portOwner(host, port).identity;
	}
	const listeners = listenersOn(port) ?? [];
	const addresses = [...new Set(listeners.map(listener => listener.address))];
	return addresses.length === 1 ? portOwner(addresses[0]!, port).identity : undefined;
}

export function processIdentity(pid: number): Identity | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
		const gid = Number(/^Gid:\s+(\d+)/m.exec(status)?.[1]);
		// [ \t], not \s: with no supplementary groups the line is empty, and \s would run on into the next line.
		const groups = (/^Groups:[ \t]*(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number);
		const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
		const umask = /^Umask:\s+([0-7]+)/m.exec(status)?.[1];
		return {uid, gid, groups, from: `process ${pid} (${name})`, umask: umask === undefined ? undefined : Number.parseInt(umask, 8)};
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
		const bits = permissionBits(identity, stat.mode, stat.uid, stat.gid, accessAcl(folder));
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

/** A POSIX access ACL's extra entries (named users and groups, and the mask); the base entries are the mode bits. */
export interface Acl {
	users: Map<number, number>;
	groups: Map<number, number>;
	/** The owning group's own entry (with a mask, the mode's group bits show the mask instead). */
	groupObject?: number;
	mask?: number;
}

/**
 * The access ACL of a path, from `getfacl -n` (Debian's acl package); undefined when it has none beyond the mode
 * bits, or getfacl is not installed (then the mode bits are all arrwire can go by).
 */
export function accessAcl(target: string): Acl | undefined {
	const result = spawnSync('getfacl', ['-n', '--absolute-names', '--omit-header', target], {encoding: 'utf8', timeout: 5000});
	if (result.status !== 0 || !result.stdout) {
		return undefined;
	}
	return parseAcl(result.stdout);
}

export function parseAcl(text: string): Acl | undefined {
	const acl: Acl = {users: new Map(), groups: new Map()};
	const bits = (perms: string) => (perms[0] === 'r' ? 4 : 0) | (perms[1] === 'w' ? 2 : 0) | (perms[2] === 'x' ? 1 : 0);
	for (const line of text.split('\n')) {
		const [kind, qualifier, perms] = line.replace(/#.*$/, '').trim().split(':');
		if (!perms || kind === 'default') {
			continue;
		}
		if (kind === 'user' && qualifier) {
			acl.users.set(Number(qualifier), bits(perms));
		} else if (kind === 'group' && qualifier) {
			acl.groups.set(Number(qualifier), bits(perms));
		} else if (kind === 'group') {
			acl.groupObject = bits(perms);
		} else if (kind === 'mask') {
			acl.mask = bits(perms);
		}
	}
	return acl.users.size || acl.groups.size || acl.mask !== undefined ? acl : undefined;
}

/**
 * The rwx bits that apply to this identity, as the kernel picks them (Linux fs/posix_acl.c, posix_acl_permission):
 * the owner's; else a named user's entry, masked; else, if the owning group or a named group is one of the
 * identity's groups, what those entries grant, masked; else other's. With an ACL, the mode's group bits are the mask.
 */
function permissionBits(identity: Identity, mode: number, uid: number, gid: number, acl?: Acl): number {
	if (identity.uid === uid) {
		return (mode >> 6) & 7;
	}
	const inGroup = (group: number) => identity.gid === group || identity.groups.includes(group);
	if (!acl) {
		return inGroup(gid) ? (mode >> 3) & 7 : mode & 7;
	}
	const mask = acl.mask ?? (mode >> 3) & 7;
	const named = acl.users.get(identity.uid);
	if (named !== undefined) {
		return named & mask;
	}
	// The kernel grants a group-class request when one matching entry holds all of it; the bits are checked one
	// at a time here, so their union is what any one request can get.
	const groupEntries = [...(inGroup(gid) ? [acl.groupObject ?? (mode >> 3) & 7] : []), ...[...acl.groups].filter(([group]) => inGroup(group)).map(([, perms]) => perms)];
	if (groupEntries.length) {
		return groupEntries.reduce((all, perms) => all | perms, 0) & mask;
	}
	return mode & 7;
}

/** The services that read and write one data tree, and the one fix for all of them when they run as different users. */
export interface SharedTree {
	/** The host folder that holds what they share. */
	tree: string;
	services: string[];
	/** The user and group they should all run as. */
	uid: number;
	gid: number;
	fix: string;
}

/**
 * Services that share one data tree but run as different users cannot be fixed one at a time: a chown for Sonarr
 * takes qBittorrent's downloads away from it, and the next check asks to chown them back. The stack needs one
 * PUID/PGID for all of them, UMASK 002 (so that the group can write and hardlink what each makes), and one chown of
 * the whole tree. Undefined when they already run as one user (then each fix agrees with the others) or share no
 * tree. The user chosen is qBittorrent's (it owns the downloads already there), else the tree's owner.
 */
export function sharedTree(members: Array<{service: string; identity?: Identity; container?: string; needs: PathNeed[]}>): SharedTree | undefined {
	const known = members.filter((member): member is typeof member & {identity: Identity} => member.identity !== undefined && member.needs.length > 0);
	// The folders the containers mount to write (a native service: the folder itself); their common parent is the tree.
	const writes = known.flatMap(member => member.needs.filter(need => need.access === 'write').map(need => path.resolve(need.mountSource ?? need.path)));
	if (writes.length === 0) {
		return undefined;
	}
	const tree = writes.slice(1).reduce(commonFolder, writes[0]!);
	if (tree === '/') {
		return undefined;
	}
	const sharing = known.filter(member => member.needs.some(need => within(path.resolve(need.path), tree)));
	const users = new Set(sharing.map(member => `${member.identity.uid}:${member.identity.gid}`));
	if (sharing.length < 2 || users.size < 2) {
		return undefined;
	}
	let owner: {uid: number; gid: number} | undefined;
	try {
		const stat = statSync(tree);
		owner = stat.uid === 0 ? undefined : {uid: stat.uid, gid: stat.gid};
	} catch {
		owner = undefined;
	}
	const qbittorrent = sharing.find(member => member.service === 'qBittorrent' && member.identity.uid !== 0)?.identity;
	const chosen = qbittorrent ?? owner ?? sharing.find(member => member.identity.uid !== 0)?.identity ?? {uid: 1000, gid: 1000};
	const {uid, gid} = chosen;
	const containers = sharing.filter(member => member.container).map(member => member.container!);
	const natives = sharing.filter(member => !member.container).map(member => member.service);
	const env = `PUID=${uid} PGID=${gid} UMASK=002`;
	const parts = [
		...(containers.length ? [`set ${env} on the containers ${containers.join(', ')} (compose: \`environment: [PUID=${uid}, PGID=${gid}, UMASK=002]\`; docker run -e PUID=${uid} -e PGID=${gid} -e UMASK=002; an image without PUID: --user ${uid}:${gid}) and re-create them`] : []),
		...(natives.length ? [`run ${natives.join(', ')} as user ${uid}, group ${gid}, with umask 002 (systemd: User=, Group=, UMask=0002)`] : []),
	];
	const names = sharing.map(member => `${member.service} (${member.identity.uid}:${member.identity.gid})`).join(', ');
	return {
		tree,
		services: sharing.map(member => member.service),
		uid,
		gid,
		fix: `One user for the whole stack, since ${names} share ${tree}: ${parts.join('; ')}; then give the tree to that user once: chown -R ${uid}:${gid} ${tree} && chmod -R u+rwX,g+rwX ${tree}. (A chown for one service alone locks the others out.)`,
	};
}

function within(child: string, parent: string): boolean {
	return child === parent || child.startsWith(`${parent === '/' ? '' : parent}/`);
}

function commonFolder(a: string, b: string): string {
	const first = a.split('/');
	const second = b.split('/');
	let index = 0;
	while (index < Math.min(first.length, second.length) && first[index] === second[index]) {
		index++;
	}
	return first.slice(0, index).join('/') || '/';
}

export function checkPermissions(service: string, identity: Identity, needs: PathNeed[], shared?: SharedTree): Finding[] {
	const findings: Finding[] = [];
	for (const need of needs) {
		if (need.access === 'write' && need.readOnly) {
			findings.push({
				id: 'permissions.read-only-mount',
				severity: 'error',
				subject: service,
				cause: `${service} needs to write ${need.path} (its ${need.role}), but its container mounts ${need.mountSource ?? 'it'} read-only: every write, move and hardlink there fails, whatever the user or mode.`,
				evidence: [`mount ${need.mountSource ?? need.path}: ro`],
				fix: `Mount it read-write: drop ":ro" from the volume (compose: \`volumes: ["${need.mountSource ?? need.path}:${need.mountDestination ?? need.path}"]\`; docker run: -v ${need.mountSource ?? need.path}:${need.mountDestination ?? need.path}), then re-create the container.`,
			});
			continue;
		}
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
		// Recursive, with a default ACL, so that files and folders made later carry the entry too (and stay hardlinkable).
		const perms = needsWrite ? 'rwX' : 'rX';
		const aclFix = denial.missing === 'traverse' ? `setfacl -m u:${identity.uid}:x ${denial.at}` : `setfacl -R -m u:${identity.uid}:${perms},d:u:${identity.uid}:${perms} ${denial.at}`;
		findings.push({
			id: denial.missing === 'write' ? 'permissions.no-write' : denial.missing === 'read' ? 'permissions.no-read' : 'permissions.no-traverse',
			severity: 'error',
			subject: service,
			cause: `${service} (user ${who}) cannot ${verb} ${denial.at}, which it needs as its ${need.role}.`,
			evidence,
			fix:
				shared && shared.services.includes(service) && within(path.resolve(need.path), shared.tree)
					? `${shared.fix}   (Or, to keep ${service}'s own user: ${aclFix})`
					: denial.at === path.resolve(need.path) || denial.missing !== 'traverse'
						? `${ownFix}   (or, to keep the owner: ${aclFix}; or run the container with PUID/PGID of the folder's owner, ${denial.uid}/${denial.gid})`
						: `chmod o+x ${denial.at}   (or: ${aclFix})`,
		});
	}
	return findings;
}

/** fs.protected_hardlinks (1 on most distributions); undefined when it cannot be read. */
export function protectedHardlinks(file = '/proc/sys/fs/protected_hardlinks'): boolean | undefined {
	try {
		return readFileSync(file, 'utf8').trim() === '1';
	} catch {
		return undefined;
	}
}

/**
 * Can `linker` hardlink the files `creator` writes into `folder`? A new file is owned by the creator's uid, by the
 * folder's group when the folder is setgid (else the creator's gid), with mode 0666 & ~umask. With
 * fs.protected_hardlinks=1 the kernel lets only the file's owner, a user who may read and write it, or CAP_FOWNER
 * link it (Linux fs/namei.c, may_linkat); anyone else gets EPERM, and Sonarr falls back to a copy.
 */
export function checkHardlink(
	linker: {service: string; identity: Identity},
	creator: {service: string; identity: Identity; umask: number; umaskFrom: string},
	folder: string,
	isProtected: boolean,
	shared?: SharedTree,
): Finding | undefined {
	if (!isProtected || linker.identity.uid === 0 || linker.identity.uid === creator.identity.uid) {
		return undefined;
	}
	let folderStat;
	try {
		folderStat = statSync(folder);
	} catch {
		return undefined; // A missing folder is reported by the path checks.
	}
	const gid = folderStat.mode & 0o2000 ? folderStat.gid : creator.identity.gid;
	const mode = 0o666 & ~creator.umask;
	if ((permissionBits(linker.identity, mode, creator.identity.uid, gid) & 6) === 6) {
		return undefined;
	}
	const groupShared = linker.identity.gid === gid || linker.identity.groups.includes(gid);
	const sharedFix = shared && [linker.service, creator.service].every(service => shared.services.includes(service)) && within(path.resolve(folder), shared.tree) ? shared.fix : undefined;
	const octal = (value: number) => value.toString(8).padStart(4, '0');
	return {
		id: 'permissions.no-hardlink',
		severity: 'error',
		subject: `${linker.service} -> ${creator.service}`,
		cause: `${linker.service} (user ${linker.identity.uid}) cannot hardlink what ${creator.service} (user ${creator.identity.uid}) downloads: the files are ${creator.identity.uid}:${gid} mode ${octal(mode)}, and with fs.protected_hardlinks=1 only their owner or a user who can read and write them may link them. Every import fails with "Operation not permitted" and falls back to a copy.`,
		evidence: [`${linker.service}: ${linker.identity.from}`, `${creator.service}: ${creator.identity.from}; umask ${octal(creator.umask)} (${creator.umaskFrom})`, `${folder}: group ${folderStat.gid}, mode ${octal(folderStat.mode & 0o7777)}`, 'fs.protected_hardlinks = 1'],
		impact: 'Each file takes twice the disk while it seeds.',
		fix:
			sharedFix ??
			(groupShared
				? `Run both with one PUID/PGID (${creator.identity.uid}/${gid}), or give ${creator.service} UMASK=002 so that the shared group ${gid} can write its files.`
				: `Run both with one PUID/PGID (${creator.identity.uid}/${creator.identity.gid}); or share a group: PGID=${gid} for ${linker.service} and UMASK=002 for ${creator.service}.`),
	};
}
