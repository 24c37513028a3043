// Starts the real qbittorrent-nox (Debian's package) on a free loopback port with a throwaway profile.
// Nothing here is emulated: tests and the demo talk to the real WebUI.
import type {ChildProcess} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {createServer} from 'node:net';
import {pbkdf2Sync, randomBytes} from 'node:crypto';
import path from 'node:path';
import {makeTempFolder, spawnOwned, type TempFolder} from './cleanup.js';
import {sleep} from './emulator.js';
import {errorMessage} from '../services/errors.js';

export interface QbittorrentOptions {
	username?: string;
	/** Default: a random password (the lab never runs with qBittorrent's old default). */
	password?: string;
	host?: string;
	port?: number;
	/** Default save path; the lab points it into its data tree. */
	savePath?: string;
	/** Where the profile lives; default a new temp dir, removed on stop. */
	profileDir?: string;
	/** Extra `[Preferences]` lines (INI keys such as `WebUI\\HostHeaderValidation`). */
	preferences?: Record<string, string | number | boolean>;
	/** The program to run; default qbittorrent-nox on PATH (or $ARRWIRE_QBITTORRENT_NOX). */
	binary?: string;
	/** How long to wait for the WebUI to answer. */
	startTimeoutMs?: number;
}

export interface RunningQbittorrent {
	url: string;
	host: string;
	port: number;
	username: string;
	password: string;
	profileDir: string;
	/** qBittorrent.conf of this instance (what discovery reads). */
	configFile: string;
	version: string;
	pid: number;
	stop(): Promise<void>;
}

export const QBITTORRENT_BINARY = process.env.ARRWIRE_QBITTORRENT_NOX ?? 'qbittorrent-nox';

/** PBKDF2-HMAC-SHA512, 100 000 iterations, 16-byte salt, 64-byte key (qBittorrent src/base/utils/password.cpp), as Qt writes a QByteArray. */
export function qbittorrentPasswordHash(password: string, salt = randomBytes(16)): string {
	const key = pbkdf2Sync(password, salt, 100_000, 64, 'sha512');
	return `@ByteArray(${salt.toString('base64')}:${key.toString('base64')})`;
}

/**
 * The qBittorrent.conf of a linuxserver container (/config/qBittorrent/qBittorrent.conf): legal notice accepted,
 * downloads in /data/torrents, the WebUI on `port` with a known password, no DHT/PeX/LSD/UPnP (loopback only).
 */
export function linuxserverQbittorrentConf(options: {port: number; password: string; address?: string}): string {
	return [
		'[LegalNotice]',
		'Accepted=true',
		'[BitTorrent]',
		'Session\\DefaultSavePath=/data/torrents',
		'Session\\DHTEnabled=false',
		'Session\\PeXEnabled=false',
		'Session\\LSDEnabled=false',
		'[Preferences]',
		`WebUI\\Port=${options.port}`,
		...(options.address ? [`WebUI\\Address=${options.address}`] : []),
		'WebUI\\Username=admin',
		`WebUI\\Password_PBKDF2="${qbittorrentPasswordHash(options.password)}"`,
		'Connection\\UPnP=false',
		'',
	].join('\n');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, host, () => {
			const address = server.address();
			server.close(() => {
				if (typeof address === 'object' && address) {
					resolve(address.port);
				} else {
					reject(new Error('no port'));
				}
			});
		});
	});
}

function iniValue(value: string | number | boolean): string {
	return typeof value === 'string' && /[\\"@;,=]/.test(value) && !value.startsWith('@ByteArray(') ? JSON.stringify(value) : String(value);
}

export async function startQbittorrent(options: QbittorrentOptions = {}): Promise<RunningQbittorrent> {
	const binary = options.binary ?? QBITTORRENT_BINARY;
	const host = options.host ?? '127.0.0.1';
	const port = options.port ?? (await freePort(host));
	const username = options.username ?? 'admin';
	const password = options.password ?? randomBytes(12).toString('base64url');
	const ownProfile: TempFolder | undefined = options.profileDir === undefined ? makeTempFolder('arrwire-qbt-') : undefined;
	const profileDir = options.profileDir ?? ownProfile!.path;
	const configDir = path.join(profileDir, 'qBittorrent', 'config');
	mkdirSync(configDir, {recursive: true});
	const configFile = path.join(configDir, 'qBittorrent.conf');
	const savePath = options.savePath ?? path.join(profileDir, 'downloads');
	mkdirSync(savePath, {recursive: true});

	const preferences: Record<string, string | number | boolean> = {
		'WebUI\\Enabled': true,
		'WebUI\\Port': port,
		'WebUI\\Address': host,
		'WebUI\\Username': username,
		'WebUI\\Password_PBKDF2': `"${qbittorrentPasswordHash(password)}"`,
		'WebUI\\LocalHostAuth': true,
		'WebUI\\UseUPnP': false,
		'Connection\\UPnP': false,
		'General\\Locale': 'en',
		...options.preferences,
	};
	// The lab never talks to the outside: no DHT, peer exchange, local discovery, UPnP/NAT-PMP, and the
	// torrent session is bound to loopback.
	const conf = [
		'[LegalNotice]',
		'Accepted=true',
		'',
		'[BitTorrent]',
		`Session\\DefaultSavePath=${iniValue(savePath)}`,
		'Session\\DHTEnabled=false',
		'Session\\PeXEnabled=false',
		'Session\\LSDEnabled=false',
		'Session\\AnonymousModeEnabled=true',
		'Session\\Interface=lo',
		'Session\\InterfaceName=lo',
		'Session\\InterfaceAddress=127.0.0.1',
		`Session\\Port=${await freePort(host)}`,
		'Session\\QueueingSystemEnabled=false',
		'',
		'[Network]',
		'PortForwardingEnabled=false',
		'',
		'[Application]',
		'FileLogger\\Enabled=false',
		'',
		'[Preferences]',
		...Object.entries(preferences).map(([key, value]) => `${key}=${key.endsWith('Password_PBKDF2') ? value : iniValue(value)}`),
		'',
	].join('\n');
	writeFileSync(configFile, conf, {mode: 0o600});

	let child: ChildProcess;
	let stopChild: () => Promise<void>;
	let output = '';
	let exited: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	let spawnError: Error | undefined;
	try {
		// Registered for stopping (and for the profile's removal) before anything is awaited: a signal while it
		// starts must not leave it running. Its own process group: see spawnOwned.
		({child, stop: stopChild} = spawnOwned(binary, [`--profile=${profileDir}`, `--webui-port=${port}`], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {...process.env, HOME: profileDir, XDG_CONFIG_HOME: path.join(profileDir, 'xdg')},
		}));
	} catch (error) {
		await ownProfile?.remove();
		throw missingBinary(binary, error);
	}
	child.on('error', error => {
		spawnError = error;
	});
	child.on('exit', (code, signal) => {
		exited = {code, signal};
	});
	child.stdout?.on('data', chunk => {
		output += String(chunk);
	});
	child.stderr?.on('data', chunk => {
		output += String(chunk);
	});

	const stop = async () => {
		await stopChild();
		await ownProfile?.remove();
	};

	const url = `http://${host}:${port}`;
	const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
	let version = '';
	while (true) {
		if (spawnError) {
			await stop();
			throw missingBinary(binary, spawnError);
		}
		if (exited) {
			await stop();
			// setpriv (see spawnOwned) says 127 when it cannot run the program.
			if (exited.code === 127 && /failed to execute/.test(output)) {
				throw missingBinary(binary, new Error(output.trim()));
			}
			throw new Error(`qbittorrent-nox exited (${exited.code ?? exited.signal}) before its WebUI answered:\n${output.trim()}`);
		}
		try {
			const response = await startupCall(`${url}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password}).toString(), timeoutMs: 1000});
			const {status, text, cookie} = response;
			if (status >= 200 && status < 300 && (text === 'Ok.' || status === 204)) {
				version = (await startupCall(`${url}/api/v2/app/version`, {cookie})).text.trim();
				// Log out so the lab starts with no session open.
				await startupCall(`${url}/api/v2/auth/logout`, {method: 'POST', cookie});
				break;
			}
			await stop();
			throw new Error(`qbittorrent-nox answered the lab's login with ${response.status} ${text.slice(0, 100)}`);
		} catch (error) {
			if (error instanceof Error && error.message.startsWith('qbittorrent-nox answered')) {
				throw error;
			}
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`qbittorrent-nox did not answer on ${url} within the time limit:\n${output.trim()}`);
		}
		await sleep(100);
	}

	return {url, host, port, username, password, profileDir, configFile, version, pid: child.pid ?? 0, stop};
}

/**
 * One request on a connection of its own, closed after it. Not fetch: its pool would keep the connection for the
 * next caller, and qBittorrent drops idle ones — a caller whose process was busy in between (the emulators compile
 * the OpenAPI files at start) then gets a socket that is already closed (UND_ERR_SOCKET).
 */
async function startupCall(url: string, options: {method?: string; body?: string; cookie?: string; timeoutMs?: number}): Promise<{status: number; text: string; cookie: string}> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(url, {
			method: options.method ?? 'GET',
			agent: false,
			timeout: options.timeoutMs ?? 5000,
			headers: {
				...(options.body !== undefined ? {'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(options.body)} : {}),
				...(options.cookie ? {cookie: options.cookie} : {}),
			},
		});
		request.on('timeout', () => request.destroy(new Error('timed out')));
		request.on('error', reject);
		request.on('response', response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('error', reject);
			response.on('end', () => resolve({status: response.statusCode ?? 0, text, cookie: response.headers['set-cookie']?.[0]?.split(';')[0] ?? ''}));
		});
		request.end(options.body);
	});
}

function missingBinary(binary: string, error: unknown): Error {
	const reason = errorMessage(error);
	return new Error(
		`The lab needs the real qBittorrent: '${binary}' could not be started (${reason}). ` +
			'Install it with: apt-get install -y qbittorrent-nox',
	);
}
