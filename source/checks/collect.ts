// Gathers every path that matters from the live services and their containers, then runs the path and
// permission checks. Reads only.
import type {DiscoveredService} from '../discovery/discover.js';
import type {JellyfinClient} from '../services/jellyfin.js';
import type {QbittorrentClient} from '../services/qbittorrent.js';
import {fieldValue} from '../services/provider.js';
import type {ServarrClient} from '../services/servarr.js';
import {errorMessage, isServiceError} from '../services/errors.js';
import {addressFrom} from '../links/addresses.js';
import {canaryProof, weighFindings, type CanaryReport} from './canary.js';
import type {Finding} from './findings.js';
import {isLocalHost, toHostPath, type Mount, type PathView} from './mounts.js';
import {checkPaths, downloadPath, type ArrPaths, type StackPaths} from './paths.js';
import {readProtocolCoverage, type FoundClient} from './protocol-coverage.js';
import {checkHardlink, checkPermissions, containerIdentity, groupsOf, portOwner, protectedHardlinks, sharedTree, type Identity, type PathNeed, type PortOwner, type SharedTree} from './permissions.js';

export interface CheckInputs {
	services: Partial<Record<'sonarr' | 'radarr' | 'qbittorrent' | 'jellyfin' | 'nzbget' | 'sabnzbd', DiscoveredService>>;
	clients: {sonarr?: ServarrClient; radarr?: ServarrClient; qbittorrent?: QbittorrentClient; jellyfin?: JellyfinClient};
	/** The categories the links use (default tv and movies). */
	categories?: {tv: string; movies: string};
	/** Download clients discovered (for the protocol coverage fix: "NZBGet found at …"). */
	downloadClientsFound?: FoundClient[];
	/** Prove what each service sees with a canary file (canary.ts): writes to the stack's folders, so asked for. */
	canary?: boolean;
}

/** The Usenet download clients discovered, for the protocol coverage fix. */
export function usenetClientsFound(services: CheckInputs['services']): FoundClient[] {
	return [services.nzbget, services.sabnzbd].filter(service => service !== undefined).map(service => ({name: service.name, url: service.url, protocol: 'usenet' as const}));
}

export interface CheckReport {
	stack: StackPaths;
	identities: Record<string, Identity | undefined>;
	findings: Finding[];
	/** The canary proof, when it ran: what it wrote (and removed) and what it proved. */
	canary?: CanaryReport;
}

function viewOf(service: DiscoveredService): PathView {
	const container = service.container;
	return {service: service.name, mounts: container ? container.mounts.map((mount): Mount => ({source: mount.source, destination: mount.destination, rw: mount.rw})) : undefined};
}

/** Who the service runs as, or why that cannot be told. */
function ownerOf(service: DiscoveredService): PortOwner {
	if (service.container) {
		const identity = containerIdentity(service.container, service.port);
		return {identity: {...identity, groups: identity.groups.length ? identity.groups : []}};
	}
	if (!isLocalHost(service.host)) {
		return {unknown: `it runs on another machine (${service.host})`};
	}
	// The address as much as the port: another stack may listen on the same port on another loopback address.
	const owner = portOwner(service.host, service.port);
	const identity = owner.identity;
	return identity ? {identity: {...identity, groups: identity.groups.length ? identity.groups : groupsOf(identity.uid)}} : owner;
}

/** Runs one service's reads; a failure becomes a finding instead of ending the checks. */
async function reading(stack: StackPaths, service: string, read: () => Promise<void>): Promise<void> {
	try {
		await read();
	} catch (error) {
		(stack.unread ??= []).push({
			id: 'paths.unread',
			severity: 'warning',
			subject: service,
			cause: `arrwire could not read ${service}'s paths, so they were not checked: ${errorMessage(error)}`,
			fix: isServiceError(error) ? error.fix : `Check that ${service} answers, then run arrwire check again.`,
		});
	}
}

export async function collectPaths(inputs: CheckInputs): Promise<StackPaths> {
	const categories = inputs.categories ?? {tv: 'tv', movies: 'movies'};
	const stack: StackPaths = {arrs: []};
	const {qbittorrent: qbService, jellyfin: jellyfinService} = inputs.services;
	const qbClient = inputs.clients.qbittorrent;
	if (qbService && qbClient) {
		await reading(stack, 'qBittorrent', async () => {
			const [preferences, existing] = await Promise.all([qbClient.preferences(), qbClient.categories()]);
			stack.qbittorrent = {
				view: viewOf(qbService),
				container: qbService.container?.name,
				defaultSavePath: preferences.save_path ?? '/downloads',
				autoTmm: preferences.auto_tmm_enabled ?? false,
				categories: Object.fromEntries(Object.entries(existing).map(([name, category]) => [name, {savePath: category.savePath}])),
			};
		});
	}
	for (const kind of ['sonarr', 'radarr'] as const) {
		const service = inputs.services[kind];
		const client = inputs.clients[kind];
		if (!service || !client) {
			continue;
		}
		await reading(stack, client.service, async () => {
			const [rootFolders, mappings, downloadClients] = await Promise.all([client.rootFolders(), client.remotePathMappings(), client.downloadClients()]);
			const qbittorrent = downloadClients.find(candidate => candidate.implementation === 'QBittorrent');
			const categoryField = kind === 'sonarr' ? 'tvCategory' : 'movieCategory';
			const arr: ArrPaths = {
				service: kind === 'sonarr' ? 'Sonarr' : 'Radarr',
				view: viewOf(service),
				container: service.container?.name,
				category: (qbittorrent && fieldText(qbittorrent, categoryField)) || (kind === 'sonarr' ? categories.tv : categories.movies),
				rootFolders: rootFolders.map(folder => folder.path),
				remotePathMappings: mappings.map(mapping => ({host: mapping.host, remotePath: mapping.remotePath, localPath: mapping.localPath})),
				// Without a qBittorrent client yet: the host arrwire's download client link will give it, as Sonarr's container reaches it.
				downloadClientHost: (qbittorrent && fieldText(qbittorrent, 'host')) ?? (qbService ? addressFrom(service, qbService).host : ''),
			};
			stack.arrs.push(arr);
		});
	}
	const jellyfinClient = inputs.clients.jellyfin;
	if (jellyfinService && jellyfinClient) {
		await reading(stack, 'Jellyfin', async () => {
			const folders = await jellyfinClient.virtualFolders();
			stack.jellyfin = {
				view: viewOf(jellyfinService),
				container: jellyfinService.container?.name,
				libraries: folders.map(folder => ({name: folder.Name, collectionType: folder.CollectionType ?? undefined, paths: folder.Locations ?? []})),
			};
		});
	}
	return stack;
}

/** What each service must be able to do where: qBittorrent writes downloads; the *arrs read those and write the library; Jellyfin reads it. */
function needsOf(stack: StackPaths): Array<{service: string; view: PathView; needs: PathNeed[]}> {
	const result: Array<{service: string; view: PathView; needs: PathNeed[]}> = [];
	const need = (view: PathView, servicePath: string, access: 'read' | 'write', role: string): PathNeed | undefined => {
		const host = toHostPath(view, servicePath);
		if (!host) {
			return undefined;
		}
		const mount = view.mounts?.filter(candidate => host.startsWith(candidate.source)).sort((a, b) => b.source.length - a.source.length)[0];
		return {path: host, access, role, mountSource: mount?.source, readOnly: mount ? !mount.rw : undefined, mountDestination: mount?.destination};
	};
	const qbittorrent = stack.qbittorrent;
	if (qbittorrent) {
		const needs = stack.arrs.map(arr => need(qbittorrent.view, downloadPath(qbittorrent, arr.category), 'write', `download folder for "${arr.category}"`)).filter((value): value is PathNeed => value !== undefined);
		result.push({service: 'qBittorrent', view: qbittorrent.view, needs});
	}
	for (const arr of stack.arrs) {
		const needs: PathNeed[] = [];
		for (const rootFolder of arr.rootFolders) {
			const entry = need(arr.view, rootFolder, 'write', 'root folder');
			if (entry) {
				needs.push(entry);
			}
		}
		if (qbittorrent) {
			const host = toHostPath(qbittorrent.view, downloadPath(qbittorrent, arr.category));
			const mount = host ? arr.view.mounts?.filter(candidate => host.startsWith(candidate.source)).sort((a, b) => b.source.length - a.source.length)[0] : undefined;
			if (host && (!arr.view.mounts || mount)) {
				// Hardlinking or moving out of the download folder needs write access there too.
				needs.push({path: host, access: 'write', role: `import source (qBittorrent's "${arr.category}" folder)`, mountSource: mount?.source, readOnly: mount ? !mount.rw : undefined, mountDestination: mount?.destination});
			}
		}
		result.push({service: arr.service, view: arr.view, needs});
	}
	if (stack.jellyfin) {
		const jellyfin = stack.jellyfin;
		const needs = jellyfin.libraries.flatMap(library => library.paths.map(libraryPath => need(jellyfin.view, libraryPath, 'read', `library "${library.name}"`))).filter((value): value is PathNeed => value !== undefined);
		result.push({service: 'Jellyfin', view: jellyfin.view, needs});
	}
	return result;
}

export async function runChecks(inputs: CheckInputs): Promise<CheckReport> {
	const stack = await collectPaths(inputs);
	const findings = [...checkPaths(stack), ...(stack.unread ?? [])];
	for (const client of [inputs.clients.sonarr, inputs.clients.radarr]) {
		if (client) {
			findings.push(...(await readProtocolCoverage(client, inputs.downloadClientsFound ?? usenetClientsFound(inputs.services))));
		}
	}
	const identities: Record<string, Identity | undefined> = {};
	const unknown: Record<string, string | undefined> = {};
	const containers: Record<string, string | undefined> = {};
	for (const service of Object.values(inputs.services)) {
		if (service) {
			const owner = ownerOf(service);
			identities[service.name] = owner.identity;
			unknown[service.name] = owner.unknown;
			containers[service.name] = service.container?.name;
		}
	}
	const needs = needsOf(stack);
	// Services on one tree under different users get one fix for all, never a chown for one that locks out another.
	const shared = sharedTree(needs.map(entry => ({...entry, identity: identities[entry.service], container: containers[entry.service]})));
	for (const {service, needs: serviceNeeds} of needs) {
		const identity = identities[service];
		if (!identity) {
			findings.push({
				id: 'permissions.unknown-user',
				severity: 'info',
				subject: service,
				cause: `arrwire could not tell which user ${service} runs as (${unknown[service] ?? 'it runs on another machine, or its process is not visible here'}), so its permissions were not checked.`,
				fix: `Check by hand that ${service}'s user can write its folders: sudo -u <user> test -w <folder> && echo ok`,
			});
			continue;
		}
		findings.push(...checkPermissions(service, identity, serviceNeeds, shared));
	}
	findings.push(...hardlinkFindings(stack, identities, inputs.services.qbittorrent, shared));
	if (!inputs.canary) {
		return {stack, identities, findings};
	}
	// A container of this machine's Docker is here, whatever address it answers on.
	const qbService = inputs.services.qbittorrent;
	const elsewhere = qbService && !qbService.container && !isLocalHost(qbService.host) ? qbService.host : undefined;
	const canary = await canaryProof(stack, {sonarr: inputs.clients.sonarr, radarr: inputs.clients.radarr, jellyfin: inputs.clients.jellyfin}, {qbittorrentElsewhere: elsewhere});
	return {stack, identities, findings: weighFindings(findings, canary), canary};
}

/** Imports hardlink qBittorrent's files: can each *arr's user link what qBittorrent's user writes? */
function hardlinkFindings(stack: StackPaths, identities: Record<string, Identity | undefined>, qbService: DiscoveredService | undefined, shared?: SharedTree): Finding[] {
	const qbittorrent = stack.qbittorrent;
	const qbIdentity = identities.qBittorrent;
	const isProtected = protectedHardlinks() ?? true;
	if (!qbittorrent || !qbIdentity) {
		return [];
	}
	const envUmask = qbService?.container?.env.UMASK;
	const umask =
		qbIdentity.umask !== undefined
			? {umask: qbIdentity.umask, umaskFrom: 'its process'}
			: envUmask && /^[0-7]{1,4}$/.test(envUmask)
				? {umask: Number.parseInt(envUmask, 8), umaskFrom: `UMASK=${envUmask} of its container`}
				: {umask: 0o022, umaskFrom: 'the usual default; not read'};
	const findings: Finding[] = [];
	for (const arr of stack.arrs) {
		const identity = identities[arr.service];
		const folder = toHostPath(qbittorrent.view, downloadPath(qbittorrent, arr.category));
		if (!identity || !folder) {
			continue;
		}
		const finding = checkHardlink({service: arr.service, identity}, {service: 'qBittorrent', identity: qbIdentity, ...umask}, folder, isProtected, shared);
		if (finding) {
			findings.push(finding);
		}
	}
	return findings;
}

/** A text field of a Sonarr/Radarr provider (a category, a host); undefined when it is missing or not text. */
function fieldText(resource: Parameters<typeof fieldValue>[0], name: string): string | undefined {
	const value = fieldValue(resource, name);
	return typeof value === 'string' ? value : undefined;
}
