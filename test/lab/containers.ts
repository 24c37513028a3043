// Real containers for the lab, with podman: the image names people use (lscr.io/linuxserver/sonarr…), bind mounts,
// PUID/PGID, published ports, and podman's Docker API so that the docker CLI sees them as it sees Docker's.
// No registry is needed: the image is imported from an empty root, and the host's /usr, /lib and /bin are mounted
// read-only so that the lab's own programs (node, qbittorrent-nox) run inside.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {sleep} from '../../source/lab/emulator.js';

const PODMAN = process.env.ARRWIRE_PODMAN ?? 'podman';
/** The project (with dist/ and node_modules/), mounted read-only at /app inside lab containers. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PodmanService {
	/** For DOCKER_HOST: the Docker-compatible API socket. */
	dockerHost: string;
	env: NodeJS.ProcessEnv;
	stop(): Promise<void>;
}

function podman(args: string[], options: {allowFailure?: boolean; input?: Buffer} = {}): string {
	const result = spawnSync(PODMAN, args, {encoding: 'utf8', input: options.input, timeout: 120_000});
	if (result.error) {
		throw new Error(`The lab needs podman for its containers: '${PODMAN}' could not run (${result.error.message}). Install it with: apt-get install -y podman runc`);
	}
	if (result.status !== 0 && !options.allowFailure) {
		throw new Error(`podman ${args.slice(0, 2).join(' ')} failed: ${result.stderr.trim()}`);
	}
	return result.stdout.trim();
}

/** Fails loudly with the fix when podman cannot run containers here. */
export function assertPodman(): void {
	podman(['version', '--format', '{{.Client.Version}}']);
}

/** Starts `podman system service` on a private socket: the Docker API that the docker CLI speaks. */
export async function startPodmanService(): Promise<PodmanService> {
	assertPodman();
	const directory = mkdtempSync(path.join(tmpdir(), 'arrwire-podman-'));
	const socket = path.join(directory, 'docker.sock');
	const child: ChildProcess = spawn(PODMAN, ['system', 'service', '--time=0', `unix://${socket}`], {stdio: 'ignore'});
	const deadline = Date.now() + 15_000;
	while (!existsSync(socket)) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error('podman system service did not open its socket');
		}
		await sleep(50);
	}
	const dockerHost = `unix://${socket}`;
	return {
		dockerHost,
		env: {...process.env, DOCKER_HOST: dockerHost, CONTAINER_HOST: dockerHost},
		async stop() {
			const gone = new Promise<void>(resolve => child.once('exit', () => resolve()));
			child.kill('SIGTERM');
			await Promise.race([gone, sleep(5000)]);
			rmSync(directory, {recursive: true, force: true});
		},
	};
}

/** Makes a local image with this name (e.g. lscr.io/linuxserver/sonarr:latest) from an empty root. */
export function ensureImage(name: string): void {
	if (spawnSync(PODMAN, ['image', 'exists', name]).status === 0) {
		return;
	}
	const root = mkdtempSync(path.join(tmpdir(), 'arrwire-image-'));
	try {
		mkdirSync(path.join(root, 'etc'));
		mkdirSync(path.join(root, 'tmp'), {mode: 0o1777});
		writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nabc:x:911:911::/config:/bin/false\n');
		writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nabc:x:911:\n');
		const tar = spawnSync('tar', ['-C', root, '-c', '.']);
		podman(['import', '-', name], {input: tar.stdout});
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}

export interface ContainerSpec {
	name: string;
	image: string;
	/** Host port -> container port, published on this loopback address. */
	publish?: Array<{hostIp: string; hostPort: number; containerPort: number}>;
	/** Host path -> container path. */
	mounts?: Array<{source: string; destination: string; readOnly?: boolean}>;
	env?: Record<string, string>;
	/** numeric uid:gid the process runs as (what PUID/PGID become in linuxserver images). */
	user?: string;
	/** Supplementary groups of the process (--group-add). */
	groupAdd?: string[];
	command: string[];
	network?: 'host' | 'bridge';
}

export interface RunningContainer {
	name: string;
	id: string;
	stop(): Promise<void>;
}

/** Runs a container; the host's programs are mounted read-only, the project at /app. */
export function runContainer(spec: ContainerSpec): RunningContainer {
	ensureImage(spec.image);
	podman(['rm', '-f', spec.name], {allowFailure: true});
	const args = ['run', '-d', '--name', spec.name];
	for (const system of ['/usr', '/lib', '/bin', '/sbin', '/etc/ssl', '/etc/alternatives']) {
		if (existsSync(system)) {
			args.push('-v', `${system}:${system}:ro`);
		}
	}
	if (existsSync('/lib64')) {
		args.push('-v', '/lib64:/lib64:ro');
	}
	args.push('-v', `${PROJECT_ROOT}:/app:ro`);
	// A checkout whose node_modules is a symlink to another checkout's: the link would point nowhere inside.
	const modules = path.join(PROJECT_ROOT, 'node_modules');
	if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
		args.push('-v', `${realpathSync(modules)}:/app/node_modules:ro`);
	}
	for (const mount of spec.mounts ?? []) {
		args.push('-v', `${mount.source}:${mount.destination}${mount.readOnly ? ':ro' : ''}`);
	}
	for (const [key, value] of Object.entries(spec.env ?? {})) {
		args.push('-e', `${key}=${value}`);
	}
	for (const port of spec.publish ?? []) {
		args.push('-p', `${port.hostIp}:${port.hostPort}:${port.containerPort}`);
	}
	if (spec.user) {
		args.push('--user', spec.user);
	}
	for (const group of spec.groupAdd ?? []) {
		args.push('--group-add', group);
	}
	if (spec.network === 'host') {
		args.push('--network', 'host');
	}
	args.push(spec.image, ...spec.command);
	const id = podman(args);
	return {
		name: spec.name,
		id,
		async stop() {
			podman(['rm', '-f', '-t', '1', spec.name], {allowFailure: true});
		},
	};
}

/**
 * Runs a shell script inside a running container as its own user (or `user`): what the kernel lets that process do
 * there, the truth the checks are measured against.
 */
export function execIn(name: string, script: string, user?: string): {ok: boolean; output: string} {
	const result = spawnSync(PODMAN, ['exec', ...(user ? ['--user', user] : []), name, 'sh', '-c', script], {encoding: 'utf8', timeout: 60_000});
	return {ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()};
}

export function containerLogs(name: string): string {
	const result = spawnSync(PODMAN, ['logs', name], {encoding: 'utf8'});
	return `${result.stdout}${result.stderr}`;
}

/** Waits until something answers HTTP at url. */
export async function waitForHttp(url: string, timeoutMs = 20_000, container?: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			await fetch(url, {signal: AbortSignal.timeout(1000)});
			return;
		} catch {
			await sleep(100);
		}
	}
	throw new Error(`nothing answered at ${url}${container ? `; container log:\n${containerLogs(container)}` : ''}`);
}
