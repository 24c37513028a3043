// The canary proof: what each service sees, asked of the service itself. arrwire writes a uniquely named file into
// the folder where qBittorrent saves each category's downloads (in this machine's view), asks Sonarr/Radarr through
// their filesystem API whether they see it where they will import from (after any remote path mapping), hardlinks it
// into their root folders where the layout allows it and counts the links, asks Jellyfin whether it sees the library
// folder and the file in it, and removes every file it made, whatever happens. It needs no Docker access: a service
// on another host or in a container arrwire cannot inspect answers for itself.
import {randomBytes} from 'node:crypto';
import {existsSync, linkSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {JellyfinClient} from '../services/jellyfin.js';
import type {FileSystemListing, ServarrClient} from '../services/servarr.js';
import {errorMessage, isServiceError} from '../services/errors.js';
import type {Finding} from './findings.js';
import {remapAsSonarr, toHostPath, toServicePath} from './mounts.js';
import {downloadPath, type ArrPaths, type StackPaths} from './paths.js';

/** Every canary starts so: clearly arrwire's, hidden from file browsers, never mistaken for a download. */
export const CANARY_PREFIX = '.arrwire-canary-';

export interface CanaryClients {
	sonarr?: ServarrClient;
	radarr?: ServarrClient;
	jellyfin?: JellyfinClient;
}

export interface CanaryOptions {
	/** Where qBittorrent runs, when not on this machine: its folders here are not its folders, so nothing is written. */
	qbittorrentElsewhere?: string;
}

export interface CanaryReport {
	/** The name of this run's canary files. */
	name: string;
	/** Every file the proof wrote (host paths): canaries and hardlinks. */
	written: string[];
	/** Files it could not remove (each also a finding). */
	left: string[];
	/** What was proven, in plain words. */
	proven: string[];
	findings: Finding[];
	/** Per step, what the service said: used to weigh the path checks' guesses against it. */
	steps: CanaryStep[];
}

export interface CanaryStep {
	kind: 'download' | 'library';
	/** The finding subject the step speaks of ("Sonarr -> qBittorrent", "Jellyfin"). */
	subject: string;
	/** The host folder the canary was put in. */
	hostPath: string;
	seen: boolean;
	/** The service's view is known (its mounts were read): the path checks' findings are exact, not guesses. */
	viewKnown: boolean;
}

const CONTENT = 'Written by arrwire to check that each service sees this folder; removed at once. Safe to delete.\n';

function isDirectory(hostPath: string): boolean {
	try {
		return statSync(hostPath).isDirectory();
	} catch {
		return false;
	}
}

function device(hostPath: string): number | undefined {
	try {
		return statSync(hostPath).dev;
	} catch {
		return undefined;
	}
}

function code(error: unknown): string {
	return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : errorMessage(error);
}

function asDirectory(value: string): string {
	return value.endsWith('/') ? value : `${value}/`;
}

function who(): string {
	return `uid ${process.getuid?.() ?? '?'}`;
}

function listingText(service: string, folder: string, listing: FileSystemListing): string {
	return listing.files.length + listing.directories.length === 0
		? `${service} lists nothing in ${folder} (for it the folder is missing, empty or unreadable)`
		: `${service} lists ${listing.files.length} file(s) and ${listing.directories.length} folder(s) in ${folder}, not arrwire's test file`;
}

/** The host folder that holds the downloads and the library, mounted as the service's view of the downloads' parent. */
function dataTreeMount(hostDownloads: string, seenAt: string, hostRoots: string[]): string {
	let tree = hostDownloads;
	for (const root of hostRoots) {
		while (tree !== '/' && !(root === tree || root.startsWith(`${tree}/`))) {
			tree = path.posix.dirname(tree);
		}
	}
	if (tree === '/') {
		tree = hostDownloads;
	}
	const below = path.posix.relative(tree, hostDownloads);
	const destination = below === '' ? seenAt : seenAt.replace(/\/+$/, '').endsWith(`/${below}`) ? seenAt.replace(/\/+$/, '').slice(0, -below.length - 1) || '/' : undefined;
	return destination === undefined ? `"${hostDownloads}:${seenAt.replace(/\/+$/, '')}"` : `"${tree}:${destination}"`;
}

/** Runs the proof on the paths the services declared; never throws for a service or a folder, never leaves a file. */
export async function canaryProof(stack: StackPaths, clients: CanaryClients, options: CanaryOptions = {}): Promise<CanaryReport> {
	const name = `${CANARY_PREFIX}${randomBytes(8).toString('hex')}`;
	const report: CanaryReport = {name, written: [], left: [], proven: [], findings: [], steps: []};
	if (options.qbittorrentElsewhere !== undefined && stack.qbittorrent) {
		report.findings.push({
			id: 'canary.not-run',
			severity: 'info',
			subject: 'qBittorrent',
			cause: `qBittorrent runs on another machine (${options.qbittorrentElsewhere}): arrwire writes its test file only into folders on this one, so it did not prove what the services see.`,
			fix: 'Run arrwire check on the machine that holds the download folders to prove it there.',
		});
		return report;
	}
	// Interrupted (Ctrl-C, a kill), the files go first; then the signal does what it would have done.
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	const onSignal = (signal: NodeJS.Signals) => {
		removeAll(report);
		stopListening();
		if (process.listenerCount(signal) === 0) {
			process.kill(process.pid, signal);
		}
	};
	const stopListening = () => signals.forEach(signal => process.removeListener(signal, onSignal));
	signals.forEach(signal => process.once(signal, onSignal));
	try {
		await prove(stack, clients, report);
	} finally {
		stopListening();
		for (const file of removeAll(report)) {
			report.left.push(file);
			report.findings.push({
				id: 'canary.left-behind',
				severity: 'warning',
				subject: 'arrwire',
				cause: `arrwire could not remove its test file ${file}.`,
				fix: `rm -f '${file}'`,
			});
		}
	}
	return report;
}

/** Removes every file the proof wrote, links first; the ones still there after. */
function removeAll(report: CanaryReport): string[] {
	const left: string[] = [];
	for (const file of [...report.written].reverse()) {
		try {
			rmSync(file, {force: true});
		} catch {
			// Checked just below.
		}
		if (existsSync(file)) {
			left.push(file);
		}
	}
	return left;
}

async function prove(stack: StackPaths, clients: CanaryClients, report: CanaryReport): Promise<void> {
	const qbittorrent = stack.qbittorrent;
	if (!qbittorrent) {
		return;
	}
	const {name} = report;
	/** Canary files by host folder: one per folder, shared by Sonarr and Radarr when they share it. */
	const canaries = new Map<string, string | undefined>();
	const write = (folder: string, subject: string, role: string): string | undefined => {
		if (canaries.has(folder)) {
			return canaries.get(folder);
		}
		const file = path.posix.join(folder, name);
		try {
			writeFileSync(file, CONTENT, {flag: 'wx', mode: 0o644});
			report.written.push(file);
			canaries.set(folder, file);
			return file;
		} catch (error) {
			canaries.set(folder, undefined);
			report.findings.push({
				id: 'canary.cannot-write',
				severity: 'warning',
				subject,
				cause: `arrwire (${who()}) could not write its test file into ${role} ${folder} (${code(error)}), so it could not prove that the services see that folder.`,
				fix: `Run arrwire as a user that can write ${folder} (its owner, or with sudo), or skip the proof with --no-canary.`,
			});
			return undefined;
		}
	};
	const seenBy = async (client: ServarrClient, folder: string): Promise<{seen: boolean; listing: FileSystemListing}> => {
		const listing = await client.fileSystem(folder);
		return {seen: listing.files.some(file => file.name === name), listing};
	};
	const jellyfinAsked = new Set<string>();

	for (const arr of stack.arrs) {
		const client = arr.service === 'Sonarr' ? clients.sonarr : clients.radarr;
		const link = `${arr.service} -> qBittorrent`;
		const reported = downloadPath(qbittorrent, arr.category);
		const hostDownloads = toHostPath(qbittorrent.view, reported);
		// Not on a mount, or not on this machine: the path checks say so; nothing here can be written.
		if (!client || hostDownloads === undefined || !isDirectory(hostDownloads)) {
			continue;
		}
		const canary = write(hostDownloads, 'qBittorrent', `qBittorrent's "${arr.category}" download folder`);
		if (!canary) {
			continue;
		}
		const hostRoots = arr.rootFolders.map(rootFolder => ({rootFolder, host: toHostPath(arr.view, rootFolder)}));
		await asking(report, arr.service, async () => {
			const remapped = remapAsSonarr(arr.remotePathMappings, arr.downloadClientHost, reported);
			const importFrom = remapped.path;
			const first = await seenBy(client, importFrom);
			report.steps.push({kind: 'download', subject: link, hostPath: hostDownloads, seen: first.seen, viewKnown: arr.view.mounts !== undefined});
			if (first.seen) {
				report.proven.push(`${arr.service} sees qBittorrent's "${arr.category}" downloads at ${importFrom}, where it imports from`);
				return;
			}
			// Where else might it see the folder? Then a remote path mapping is the whole fix.
			const elsewhere = [hostDownloads, toServicePath(arr.view, hostDownloads)].filter((candidate, index, all): candidate is string => candidate !== undefined && candidate !== importFrom && all.indexOf(candidate) === index);
			let seenAt: string | undefined;
			for (const candidate of elsewhere) {
				if ((await seenBy(client, candidate)).seen) {
					seenAt = candidate;
					break;
				}
			}
			const mapping = remapped.mapping;
			const after = mapping ? ` (its remote path mapping ${mapping.remotePath} -> ${mapping.localPath} turns qBittorrent's ${reported} into it)` : '';
			const where = arr.container ? `the ${arr.container} container` : `${arr.service}'s container (or machine)`;
			const settings = `${arr.service} → Settings → Download Clients → Remote Path Mappings`;
			const fix = seenAt
				? mapping
					? `Change the remote path mapping in ${settings}: host ${mapping.host}, remote ${asDirectory(reported)}, local ${asDirectory(seenAt)} (now ${mapping.remotePath} -> ${mapping.localPath}).`
					: `Add a remote path mapping in ${settings}: host ${arr.downloadClientHost}, remote ${asDirectory(reported)}, local ${asDirectory(seenAt)}. arrwire plan can add it. Better still, mount the data tree at the same path in both.`
				: `Mount qBittorrent's download folder into ${where} where it looks for it: compose \`volumes: [${dataTreeMount(hostDownloads, importFrom, hostRoots.flatMap(entry => (entry.host ? [entry.host] : [])))}]\` (docker run -v the same), then restart it${mapping ? `; or correct the remote path mapping ${mapping.remotePath} -> ${mapping.localPath} in ${settings}` : ''}.`;
			report.findings.push({
				id: 'canary.download-not-seen',
				severity: 'error',
				subject: link,
				cause: `arrwire wrote a test file into qBittorrent's "${arr.category}" download folder (${reported} in qBittorrent, ${hostDownloads} on this machine), and ${arr.service}, asked for ${importFrom}${after}, does not see it: imports will fail with "path does not exist".`,
				evidence: [listingText(arr.service, importFrom, first.listing), ...(seenAt ? [`${arr.service} sees the file at ${seenAt}`] : [])],
				fix,
			});
		});

		// The import: a hardlink from the download folder into each root folder, where the layout allows it.
		for (const {rootFolder, host: hostRoot} of hostRoots) {
			if (hostRoot === undefined || hostRoot === hostDownloads || !isDirectory(hostRoot)) {
				continue;
			}
			let inLibrary: string | undefined;
			const target = path.posix.join(hostRoot, name);
			if (report.written.includes(target)) {
				// Sonarr and Radarr share this root folder: linked already.
				inLibrary = target;
			} else if (device(hostRoot) === device(hostDownloads)) {
				try {
					linkSync(canary, target);
					report.written.push(target);
					inLibrary = target;
					const links = statSync(canary).nlink;
					if (links >= 2) {
						report.proven.push(`a download in ${hostDownloads} hardlinks into ${hostRoot} (link count ${links})`);
					} else {
						report.findings.push({
							id: 'canary.hardlink-not-counted',
							severity: 'warning',
							subject: link,
							cause: `arrwire hardlinked its test file from ${hostDownloads} into ${hostRoot}, yet the file counts ${links} link(s): this filesystem does not keep hardlinks, so every import is a copy.`,
							impact: 'Each file takes twice the disk while it seeds.',
							fix: 'Keep torrents and media on a local filesystem that supports hardlinks (ext4, xfs, btrfs, zfs), in one folder tree.',
						});
					}
				} catch (error) {
					const reason = code(error);
					report.findings.push(
						reason === 'EXDEV'
							? {
									id: 'canary.hardlink-failed',
									severity: 'warning',
									subject: link,
									cause: `arrwire could not hardlink its test file from ${hostDownloads} into ${hostRoot} (EXDEV: they are on different mounts): ${arr.service}'s imports are copies.`,
									impact: 'Each file takes twice the disk while it seeds.',
									fix: 'Put torrents and media in one folder tree on one filesystem, mounted once (e.g. /data/torrents and /data/media under one /data mount).',
								}
							: {
									id: 'canary.cannot-write',
									severity: 'warning',
									subject: arr.service,
									cause: `arrwire (${who()}) could not hardlink its test file into ${arr.service}'s root folder ${hostRoot} (${reason}), so it could not prove that imports are hardlinks there.`,
									fix: `Run arrwire as a user that can write ${hostRoot} (its owner, or with sudo), or skip the proof with --no-canary.`,
								},
					);
				}
			}
			// Across filesystems the path checks already say imports are copies: a plain file still shows who sees the folder.
			inLibrary ??= write(hostRoot, arr.service, `${arr.service}'s root folder`);
			if (!inLibrary) {
				continue;
			}
			// Undefined: it could not be asked (a finding of its own); Jellyfin is asked all the same.
			let rootSeen: boolean | undefined;
			await asking(report, arr.service, async () => {
				const {seen, listing} = await seenBy(client, rootFolder);
				rootSeen = seen;
				if (seen) {
					report.proven.push(`${arr.service} sees its root folder ${rootFolder}${rootFolder === hostRoot ? '' : ` (${hostRoot} on this machine)`}`);
					return;
				}
				const where = arr.container ? `the ${arr.container} container` : arr.service;
				report.findings.push(
					arr.view.mounts
						? {
								id: 'canary.root-folder-not-seen',
								severity: 'error',
								subject: arr.service,
								cause: `arrwire put a test file into ${hostRoot}, the host folder ${arr.service}'s root folder ${rootFolder} is mounted from, and ${arr.service} does not see it there: it imports into another folder than its mounts say.`,
								evidence: [listingText(arr.service, rootFolder, listing)],
								fix: `Mount ${hostRoot} into ${where} at ${rootFolder}: compose \`volumes: ["${hostRoot}:${rootFolder}"]\`, then restart it.`,
							}
						: {
								// Without its mounts, the folder of that name here may be another one than the service's.
								id: 'canary.root-folder-elsewhere',
								severity: 'warning',
								subject: arr.service,
								cause: `${arr.service}'s root folder ${rootFolder} is not the folder ${hostRoot} on this machine (${arr.service} runs in a container or on a machine arrwire cannot inspect), so arrwire could not prove that imports into it are hardlinks, nor that Jellyfin sees it.`,
								evidence: [listingText(arr.service, rootFolder, listing)],
								fix: `Run arrwire check where it can read ${arr.service}'s mounts (with Docker access), or check by hand that ${rootFolder} and the download folder are on one mount in ${where}.`,
							},
				);
			});
			if (rootSeen === false) {
				continue;
			}
			if (clients.jellyfin && stack.jellyfin && !jellyfinAsked.has(hostRoot)) {
				jellyfinAsked.add(hostRoot);
				await proveJellyfin(stack, clients.jellyfin, report, arr, rootFolder, hostRoot);
			}
		}
	}
}

async function proveJellyfin(stack: StackPaths, jellyfin: JellyfinClient, report: CanaryReport, arr: ArrPaths, rootFolder: string, hostRoot: string): Promise<void> {
	const view = stack.jellyfin!;
	// Where Jellyfin should see the library: through its known mounts, else where the *arr sees it (one path
	// everywhere); else at a path of one of its libraries of that kind (a container may mount it elsewhere).
	const known = view.view.mounts ? toServicePath(view.view, hostRoot) : undefined;
	const kind = arr.service === 'Sonarr' ? 'tvshows' : 'movies';
	const libraryPaths = view.libraries.filter(library => library.collectionType === kind).flatMap(library => library.paths);
	const candidates = (known === undefined ? [hostRoot, rootFolder, ...libraryPaths] : [known]).filter((candidate, index, all) => all.indexOf(candidate) === index);
	await asking(report, 'Jellyfin', async () => {
		const answers: Array<{asked: string; contents: Awaited<ReturnType<JellyfinClient['directoryContents']>>}> = [];
		for (const asked of candidates) {
			const contents = await jellyfin.directoryContents(asked);
			answers.push({asked, contents});
			if (contents?.some(entry => entry.Name === report.name)) {
				report.steps.push({kind: 'library', subject: 'Jellyfin', hostPath: hostRoot, seen: true, viewKnown: view.view.mounts !== undefined});
				report.proven.push(`Jellyfin sees ${arr.service}'s root folder (${hostRoot} on this machine) at ${asked}`);
				return;
			}
		}
		report.steps.push({kind: 'library', subject: 'Jellyfin', hostPath: hostRoot, seen: false, viewKnown: view.view.mounts !== undefined});
		// The path its library of that kind uses is where Jellyfin looks; without one, the *arr's own path.
		const target = known ?? libraryPaths[0] ?? rootFolder;
		const first = answers[0]!;
		const where = view.container ? `the ${view.container} container` : `Jellyfin's container (or machine)`;
		report.findings.push({
			id: 'canary.library-not-seen',
			severity: 'error',
			subject: 'Jellyfin',
			cause:
				first.contents === undefined
					? `Jellyfin has no folder ${first.asked}, where ${arr.service}'s root folder (${hostRoot} on this machine) should be: what ${arr.service} imports never shows up in Jellyfin.`
					: `Jellyfin's folder ${first.asked} is not ${arr.service}'s root folder: arrwire put a test file into ${hostRoot} and Jellyfin does not see it there, so what ${arr.service} imports never shows up.`,
			evidence: answers.map(({asked, contents}) => (contents === undefined ? `Jellyfin answered 404 for ${asked}` : `Jellyfin lists ${contents.length} entr${contents.length === 1 ? 'y' : 'ies'} in ${asked}, not arrwire's test file`)),
			fix: `Mount ${hostRoot} into ${where} at ${target}: compose \`volumes: ["${hostRoot}:${target}"]\` (docker run -v the same), restart it, and keep ${target} in a Jellyfin library.`,
		});
	});
}

/** A service that cannot be asked is a finding, never the end of the proof. */
async function asking(report: CanaryReport, service: string, ask: () => Promise<void>): Promise<void> {
	try {
		await ask();
	} catch (error) {
		report.findings.push({
			id: 'canary.not-asked',
			severity: 'warning',
			subject: service,
			cause: `arrwire could not ask ${service} whether it sees its test file: ${errorMessage(error)}`,
			fix: isServiceError(error) ? error.fix : `Check that ${service} answers, then run the check again.`,
		});
	}
}

/** The path checks' verdicts on what a service sees, by id: what the canary proof tells for sure. */
const DOWNLOAD_GUESSES = ['paths.download-not-visible', 'paths.remote-path-mapping-needed', 'paths.remote-path-mapping-wrong'];
const LIBRARY_GUESSES = ['paths.library-not-visible'];

/**
 * The path checks and the proof together: where the service itself answered, its answer wins over a verdict the
 * path checks worked out without its mounts; where they agree and the mounts are known, the path checks' finding
 * (with its exact mount advice) is kept, with the proof as evidence.
 */
export function weighFindings(findings: Finding[], proof: CanaryReport): Finding[] {
	const dropped = new Set<Finding>();
	const kept: Finding[] = [];
	const confirmed = new Map<Finding, string>();
	const proofFindings = [...proof.findings];
	for (const step of proof.steps) {
		const ids = step.kind === 'download' ? DOWNLOAD_GUESSES : LIBRARY_GUESSES;
		const speaksOf = (finding: Finding) => [finding.cause, ...(finding.evidence ?? [])].some(text => text.includes(step.hostPath));
		const matching = findings.filter(finding => ids.includes(finding.id) && finding.subject === step.subject && speaksOf(finding));
		if (step.seen) {
			matching.forEach(finding => dropped.add(finding));
			continue;
		}
		const ofProof = proofFindings.find(finding => finding.subject === step.subject && finding.id === (step.kind === 'download' ? 'canary.download-not-seen' : 'canary.library-not-seen') && finding.cause.includes(step.hostPath));
		if (matching.length > 0 && ofProof) {
			if (step.viewKnown) {
				matching.forEach(finding => confirmed.set(finding, ofProof.cause));
				proofFindings.splice(proofFindings.indexOf(ofProof), 1);
			} else {
				matching.forEach(finding => dropped.add(finding));
			}
		}
	}
	for (const finding of findings) {
		if (dropped.has(finding)) {
			continue;
		}
		const proven = confirmed.get(finding);
		kept.push(proven ? {...finding, evidence: [...(finding.evidence ?? []), `proven: ${proven}`]} : finding);
	}
	return [...kept, ...proofFindings];
}
