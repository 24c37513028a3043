// The whole stack on loopback: real qBittorrent plus the emulators, sharing one data tree on disk.
// Used by the tests, by `arrwire lab` and by the demo.
import {accessSync, constants, mkdirSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {makeTempFolder, sweepLeftovers} from './cleanup.js';
import {randomKey} from './harness.js';
import {JellyfinEmulator} from './jellyfin.js';
import {JellyseerrEmulator, seerrApiKey, type SeerrFlavor} from './jellyseerr.js';
import {NewznabEmulator} from './newznab.js';
import {ProwlarrEmulator} from './prowlarr.js';
import {NZBGET_BINARY, startNzbget, type RunningNzbget} from './nzbget.js';
import {startQbittorrent, type RunningQbittorrent} from './qbittorrent.js';
import {SabnzbdEmulator} from './sabnzbd.js';
import {ServarrEmulator} from './servarr.js';
import {specsAvailable} from './spec-check.js';
import type {Emulator} from './emulator.js';

export const DEFAULT_PORTS = {
	prowlarr: 9696,
	sonarr: 8989,
	radarr: 7878,
	qbittorrent: 8080,
	jellyfin: 8096,
	jellyseerr: 5055,
} as const;

export type LabServiceName = keyof typeof DEFAULT_PORTS;

/** NZBGet's default control port; the lab runs it only when asked (`nzbget: true`). */
export const NZBGET_PORT = 6789;

/**
 * Where the lab's SABnzbd listens: its default 8080 is qBittorrent's, so it is moved, as people do, to 8085; discovery
 * must tell the two apart by what they answer (`sabnzbd: true`).
 */
export const SABNZBD_LAB_PORT = 8085;

export interface LabOptions {
	/**
	 * The loopback address every service listens on. Default: a free 127.x.y.1 address where all six default ports
	 * are free, so discovery finds the lab exactly as it finds a real stack (Linux routes all of 127.0.0.0/8 to lo).
	 */
	host?: string;
	/** Use the six default ports (true) or free random ones (false). Default: default ports when they are free. */
	defaultPorts?: boolean;
	/** Jellyfin's first-run wizard already done, with an admin user (default true). */
	jellyfinWizardCompleted?: boolean;
	/**
	 * Check every request against ../shared/specs. Default true: the lab refuses to start without them, so that no
	 * test runs unchecked. 'when-available' (the demo and `arrwire lab`, for people without the specs) checks only
	 * when they are there.
	 */
	checkSpecs?: boolean | 'when-available';
	/** Where the data tree and config dirs live; default a temp dir removed on stop. */
	root?: string;
	/** Jellyseerr 2.7 (default) or Seerr 3, what new installs get. */
	seerrFlavor?: SeerrFlavor;
	/** The Jellyfin version claimed (default 10.11.11); from 12 on, legacy authorization is off. */
	jellyfinVersion?: string;
	/** Jellyfin's EnableLegacyAuthorization (default: what the claimed version does). */
	jellyfinLegacyAuthorization?: boolean;
	/** The versions Sonarr and Radarr claim (default: the emulators' own), to test the compatibility rules. */
	sonarrVersion?: string;
	radarrVersion?: string;
	/**
	 * Also run the real NZBGet, a Usenet download client (default false: it costs a process). 'when-available' (the
	 * demo and `arrwire lab`) runs it where it is installed, and says so where it is not.
	 */
	nzbget?: boolean | 'when-available';
	/** Also run the SABnzbd emulator (default false), its completed downloads under /data/usenet/complete. */
	sabnzbd?: boolean;
}

export interface LabPaths {
	root: string;
	/** The one-/data-tree layout: torrents and media on one filesystem, so imports are hardlinks. */
	data: string;
	torrents: string;
	torrentsTv: string;
	torrentsMovies: string;
	media: string;
	tv: string;
	movies: string;
	/** NZBGet's downloads, beside the torrents on the same tree (created only with NZBGet). */
	usenet: string;
	config: Record<'sonarr' | 'radarr' | 'prowlarr' | 'jellyseerr' | 'qbittorrent', string> & {nzbget?: string; sabnzbd?: string};
}

export interface LabArrwireOptions {
	localhost: false;
	hosts: string[];
	docker: false;
	nativeConfigFiles: false;
	configFolders: string[];
	profileFile: string;
	journalFile: string;
	credentials: {qbittorrent: {username: string; password: string}; jellyfin: {username: string; password: string}};
	nzbgeekApiKey: string;
}

export interface LabService {
	name: string;
	url: string;
	credential: string;
	secret: string;
	configFile?: string;
}

export interface Lab {
	host: string;
	paths: LabPaths;
	qbittorrent: RunningQbittorrent;
	/** The real NZBGet, when the lab was started with `nzbget: true`. */
	nzbget?: RunningNzbget;
	/** The SABnzbd emulator, when the lab was started with `sabnzbd: true`. */
	sabnzbd?: SabnzbdEmulator;
	sonarr: ServarrEmulator;
	radarr: ServarrEmulator;
	prowlarr: ProwlarrEmulator;
	jellyfin: JellyfinEmulator;
	jellyseerr: JellyseerrEmulator;
	/** The stand-in for api.nzbgeek.info that Prowlarr's NZBgeek indexer calls. */
	nzbgeek: NewznabEmulator;
	keys: {sonarr: string; radarr: string; prowlarr: string; jellyseerr: string; nzbgeek: string};
	jellyfinAdmin: {name: string; password: string};
	emulators(): Emulator[];
	/** Each service with its address and credential, for `arrwire lab`. */
	services(): LabService[];
	/**
	 * How arrwire is pointed at the lab: only the lab's address, its config folder, and the two credentials that live
	 * in no file (what a person types when asked); the profile and journal go into `stateDir`.
	 */
	arrwireOptions(stateDir: string): LabArrwireOptions;
	stop(): Promise<void>;
}

async function portIsFree(host: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

async function allFree(host: string, ports: number[]): Promise<boolean> {
	const answers = await Promise.all(ports.map(port => portIsFree(host, port)));
	return answers.every(Boolean);
}

/** A 127.x.y.1 address on which all the default ports are free (or undefined after a few tries). */
export async function findLabHost(ports: number[] = Object.values(DEFAULT_PORTS)): Promise<string | undefined> {
	for (let attempt = 0; attempt < 8; attempt++) {
		const host = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}.1`;
		if (await allFree(host, ports)) {
			return host;
		}
	}
	return undefined;
}

/** `onProgress` is told each step as it starts ("Starting qBittorrent…"), for a caller that shows the wait. */
/** Is the nzbget program on this machine (an absolute ARRWIRE_NZBGET, or a name found on PATH)? */
export function nzbgetInstalled(binary: string = NZBGET_BINARY): boolean {
	const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map(folder => path.join(folder, binary));
	return candidates.some(candidate => {
		try {
			accessSync(candidate, constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

export async function startLab(given: LabOptions = {}, onProgress?: (step: string) => void): Promise<Lab> {
	const withNzbget = given.nzbget === 'when-available' ? nzbgetInstalled() : given.nzbget === true;
	if (given.nzbget === 'when-available' && !withNzbget) {
		onProgress?.('NZBGet is not installed here (sudo apt-get install nzbget): the lab runs without a Usenet client.');
	}
	const options = {...given, nzbget: withNzbget};
	const wantedPorts: number[] = [...Object.values(DEFAULT_PORTS), ...(options.nzbget ? [NZBGET_PORT] : []), ...(options.sabnzbd ? [SABNZBD_LAB_PORT] : [])];
	let host = options.host;
	let defaultPorts = options.defaultPorts ?? true;
	if (!host) {
		host = defaultPorts ? await findLabHost(wantedPorts) : '127.0.0.1';
		if (!host) {
			host = '127.0.0.1';
			defaultPorts = false;
		}
	} else if (defaultPorts && options.defaultPorts === undefined && !(await allFree(host, wantedPorts))) {
		defaultPorts = false;
	}
	const port = (service: LabServiceName) => (defaultPorts ? DEFAULT_PORTS[service] : 0);
	const checkSpecs = options.checkSpecs === 'when-available' ? specsAvailable() : (options.checkSpecs ?? true);
	if (checkSpecs && !specsAvailable()) {
		throw new Error(
			"The lab checks every request against the services' OpenAPI files, and they were not found (in $ARRWIRE_SPECS, or ../shared/specs beside the repository). Point ARRWIRE_SPECS at their folder, or start the lab with checkSpecs: 'when-available'.",
		);
	}
	const spec = checkSpecs ? undefined : (false as const);

	// What a run killed outright (SIGKILL) left behind goes first; then this run's folder, registered for removal
	// whatever ends the run (see cleanup.ts).
	sweepLeftovers(['arrwire-lab-', 'arrwire-demo-', 'arrwire-qbt-', 'arrwire-nzbget-']);
	const ownRoot = options.root === undefined ? makeTempFolder('arrwire-lab-') : undefined;
	const root = options.root ?? ownRoot!.path;
	const data = path.join(root, 'data');
	const paths: LabPaths = {
		root,
		data,
		torrents: path.join(data, 'torrents'),
		torrentsTv: path.join(data, 'torrents', 'tv'),
		torrentsMovies: path.join(data, 'torrents', 'movies'),
		media: path.join(data, 'media'),
		tv: path.join(data, 'media', 'tv'),
		movies: path.join(data, 'media', 'movies'),
		usenet: path.join(data, 'usenet'),
		config: {
			sonarr: path.join(root, 'config', 'sonarr'),
			radarr: path.join(root, 'config', 'radarr'),
			prowlarr: path.join(root, 'config', 'prowlarr'),
			jellyseerr: path.join(root, 'config', 'jellyseerr'),
			qbittorrent: path.join(root, 'config', 'qbittorrent'),
			...(options.nzbget ? {nzbget: path.join(root, 'config', 'nzbget')} : {}),
			...(options.sabnzbd ? {sabnzbd: path.join(root, 'config', 'sabnzbd')} : {}),
		},
	};
	for (const directory of [paths.torrentsTv, paths.torrentsMovies, paths.tv, paths.movies, ...Object.values(paths.config)]) {
		mkdirSync(directory, {recursive: true});
	}

	const keys = {sonarr: randomKey(), radarr: randomKey(), prowlarr: randomKey(), jellyseerr: seerrApiKey(), nzbgeek: randomKey()};
	const jellyfinAdmin = {name: 'admin', password: randomKey().slice(0, 16)};
	const started: Array<{stop(): Promise<void>}> = [];
	let stopping: Promise<void> | undefined;
	// Idempotent: the command, a signal handler and a failed start may all ask.
	const stopAll = () =>
		(stopping ??= (async () => {
			for (const service of started.reverse()) {
				await service.stop().catch(() => undefined);
			}
			await ownRoot?.remove();
		})());

	try {
		onProgress?.(`Starting qBittorrent (the real one) on ${host}…`);
		const qbittorrent = await startQbittorrent({
			host,
			port: defaultPorts ? DEFAULT_PORTS.qbittorrent : undefined,
			savePath: paths.torrents,
			profileDir: paths.config.qbittorrent,
		});
		started.push(qbittorrent);

		let nzbget: RunningNzbget | undefined;
		if (options.nzbget) {
			onProgress?.(`Starting NZBGet (the real one) on ${host}…`);
			mkdirSync(paths.usenet, {recursive: true});
			// Completed downloads under /data/usenet, beside /data/torrents: imports stay hardlinks.
			nzbget = await startNzbget({host, port: defaultPorts ? NZBGET_PORT : undefined, mainDir: paths.config.nzbget, options: {DestDir: paths.usenet}});
			started.push(nzbget);
		}

		let sabnzbd: SabnzbdEmulator | undefined;
		if (options.sabnzbd) {
			mkdirSync(path.join(paths.usenet, 'incomplete'), {recursive: true});
			// TRaSH's layout: /data/usenet/incomplete while downloading, /data/usenet/complete/<category> when done.
			sabnzbd = new SabnzbdEmulator({
				host,
				port: defaultPorts ? SABNZBD_LAB_PORT : 0,
				configDir: paths.config.sabnzbd,
				downloadDir: path.join(paths.usenet, 'incomplete'),
				completeDir: path.join(paths.usenet, 'complete'),
				hasServers: true,
			});
			await sabnzbd.start();
			started.push(sabnzbd);
		}

		const nzbgeek = new NewznabEmulator({apiKey: keys.nzbgeek, host});
		await nzbgeek.start();
		started.push(nzbgeek);

		const sonarr = new ServarrEmulator({kind: 'sonarr', apiKey: keys.sonarr, host, port: port('sonarr'), configDir: paths.config.sonarr, version: options.sonarrVersion, spec});
		const radarr = new ServarrEmulator({kind: 'radarr', apiKey: keys.radarr, host, port: port('radarr'), configDir: paths.config.radarr, version: options.radarrVersion, spec});
		const prowlarr = new ProwlarrEmulator({
			apiKey: keys.prowlarr,
			host,
			port: port('prowlarr'),
			configDir: paths.config.prowlarr,
			upstreams: {'api.nzbgeek.info': nzbgeek.url},
			spec,
		});
		const jellyfinWizardCompleted = options.jellyfinWizardCompleted ?? true;
		const jellyfin = new JellyfinEmulator({
			host,
			port: port('jellyfin'),
			serverName: 'arrwire-lab',
			version: options.jellyfinVersion,
			legacyAuthorization: options.jellyfinLegacyAuthorization,
			wizardCompleted: jellyfinWizardCompleted,
			admin: jellyfinWizardCompleted ? jellyfinAdmin : undefined,
			spec,
		});
		const jellyseerr = new JellyseerrEmulator({
			apiKey: keys.jellyseerr,
			flavor: options.seerrFlavor,
			host,
			port: port('jellyseerr'),
			configDir: paths.config.jellyseerr,
			spec,
		});
		onProgress?.('Starting the emulated Sonarr, Radarr, Prowlarr, Jellyfin and Jellyseerr…');
		for (const emulator of [sonarr, radarr, prowlarr, jellyfin, jellyseerr]) {
			await emulator.start();
			started.push(emulator);
		}

		const lab: Lab = {
			host,
			paths,
			qbittorrent,
			nzbget,
			sabnzbd,
			sonarr,
			radarr,
			prowlarr,
			jellyfin,
			jellyseerr,
			nzbgeek,
			keys,
			jellyfinAdmin,
			emulators: () => [sonarr, radarr, prowlarr, jellyfin, jellyseerr, nzbgeek, ...(sabnzbd ? [sabnzbd] : [])],
			services: () => [
				{name: 'Prowlarr', url: prowlarr.url, credential: 'API key', secret: keys.prowlarr, configFile: path.join(paths.config.prowlarr, 'config.xml')},
				{name: 'Sonarr', url: sonarr.url, credential: 'API key', secret: keys.sonarr, configFile: path.join(paths.config.sonarr, 'config.xml')},
				{name: 'Radarr', url: radarr.url, credential: 'API key', secret: keys.radarr, configFile: path.join(paths.config.radarr, 'config.xml')},
				{name: 'qBittorrent', url: qbittorrent.url, credential: `user ${qbittorrent.username}, password`, secret: qbittorrent.password, configFile: qbittorrent.configFile},
				{name: 'Jellyfin', url: jellyfin.url, credential: `admin ${jellyfinAdmin.name}, password`, secret: jellyfinWizardCompleted ? jellyfinAdmin.password : '(first-run wizard not done)'},
				{name: 'Jellyseerr', url: jellyseerr.url, credential: 'API key', secret: keys.jellyseerr, configFile: path.join(paths.config.jellyseerr, 'settings.json')},
				{name: 'NZBgeek (stand-in)', url: nzbgeek.url, credential: 'API key', secret: keys.nzbgeek},
				...(nzbget ? [{name: 'NZBGet', url: nzbget.url, credential: `user ${nzbget.username}, password`, secret: nzbget.password, configFile: nzbget.configFile}] : []),
				...(sabnzbd ? [{name: 'SABnzbd (emulated)', url: sabnzbd.url, credential: 'API key', secret: sabnzbd.apiKey, configFile: sabnzbd.configFile}] : []),
			],
			arrwireOptions: stateDir => ({
				localhost: false,
				// On the default ports the address is enough, as for a real stack; else each service by host:port.
				hosts: defaultPorts ? [host] : [prowlarr, sonarr, radarr, qbittorrent, jellyfin, jellyseerr, ...(nzbget ? [nzbget] : []), ...(sabnzbd ? [sabnzbd] : [])].map(service => `${host}:${service.port}`),
				docker: false,
				nativeConfigFiles: false,
				configFolders: [path.join(root, 'config')],
				profileFile: path.join(stateDir, 'profile.json'),
				journalFile: path.join(stateDir, 'journal.json'),
				credentials: {
					qbittorrent: {username: qbittorrent.username, password: qbittorrent.password},
					jellyfin: {username: jellyfinAdmin.name, password: jellyfinAdmin.password},
				},
				nzbgeekApiKey: keys.nzbgeek,
			}),
			stop: stopAll,
		};
		return lab;
	} catch (error) {
		await stopAll();
		throw error;
	}
}
