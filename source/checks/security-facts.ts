// Gathers what the security findings need from a live stack: where each service listens, how its UI is protected,
// whether it hands out its key, qBittorrent's bypasses, and how the services reach each other. Reads only; it never
// tries a password (a failed qBittorrent login counts toward its ban).
import {lstat} from 'node:fs/promises';
import path from 'node:path';
import type {DiscoveredService} from '../discovery/discover.js';
import type {Stack} from '../discovery/stack.js';
import type {Desired} from '../links/context.js';
import {isPrivateAddress, listenAddress, type OwnFileExposure, type SecurityFacts, type ServiceExposure} from './security.js';

/** The modes of arrwire's own files that exist (a link or a missing file is not reported here: reading refuses it). */
export async function ownFileFacts(files: Array<{what: string; file: string; holdsSecrets: boolean}>): Promise<OwnFileExposure[]> {
	const facts: OwnFileExposure[] = [];
	for (const {what, file, holdsSecrets} of files) {
		const stats = await lstat(file).catch(() => undefined);
		const folder = path.dirname(file);
		const folderStats = await lstat(folder).catch(() => undefined);
		if (stats?.isFile() && folderStats) {
			facts.push({what, file, mode: stats.mode, folder, folderMode: folderStats.mode, holdsSecrets});
		}
	}
	return facts;
}

function bindAddressOf(service: DiscoveredService): string | undefined {
	const configured = service.configFile?.servarr?.bindAddress ?? service.configFile?.qbittorrent?.address;
	if (service.container && service.container.networkMode !== 'host') {
		const published = service.container.ports.find(port => port.hostPort === service.port);
		return published ? published.hostIp || '0.0.0.0' : configured;
	}
	const local = service.host === 'localhost' || service.host.startsWith('127.');
	return configured ?? (local ? listenAddress(service.port) : undefined);
}

export async function securityFacts(stack: Stack, desired?: Desired, journalFile?: string): Promise<SecurityFacts> {
	const services: ServiceExposure[] = [];
	for (const service of Object.values(stack.services)) {
		if (!service) {
			continue;
		}
		const exposure: ServiceExposure = {name: service.name, url: service.url, bindAddress: bindAddressOf(service), apiKeyExposed: service.exposedApiKey !== undefined};
		const servarr = service.configFile?.servarr;
		if (servarr) {
			exposure.authenticationMethod = servarr.authenticationMethod;
			exposure.authenticationRequired = servarr.authenticationRequired;
		} else if (service.kind === 'sonarr' || service.kind === 'radarr') {
			const client = stack.clients[service.kind];
			const host = client ? await client.hostConfig().catch(() => undefined) : undefined;
			exposure.authenticationMethod = host?.authenticationMethod;
			exposure.authenticationRequired = host?.authenticationRequired;
		}
		if (service.kind === 'qbittorrent') {
			const state = stack.credentials.find(candidate => candidate.service === service && candidate.check?.ok);
			exposure.defaultPasswordAccepted = state?.credential?.username === 'admin' && state.credential.password === 'adminadmin';
			const preferences = stack.clients.qbittorrent ? await stack.clients.qbittorrent.preferences().catch(() => undefined) : undefined;
			const conf = service.configFile?.qbittorrent;
			exposure.authBypass = {
				localhost: preferences?.bypass_local_auth ?? (conf?.localHostAuth === false ? true : undefined),
				subnets: (preferences?.bypass_auth_subnet_whitelist_enabled ?? conf?.subnetWhitelistEnabled) ? (preferences?.bypass_auth_subnet_whitelist ?? conf?.subnetWhitelist) : undefined,
			};
			exposure.bindAddress = exposure.bindAddress ?? preferences?.web_ui_address;
		}
		services.push(exposure);
	}
	const plainHttpLinks: SecurityFacts['plainHttpLinks'] = [];
	for (const [key, address] of Object.entries(desired?.addresses ?? {})) {
		if (address && !address.useSsl && !isPrivateAddress(address.host)) {
			const [from, to] = key.split('->');
			plainHttpLinks.push({from: from!, to: to!, url: `http://${address.host}:${address.port}${address.urlBase}`});
		}
	}
	const seerrSettings = stack.services.jellyseerr?.configFile?.seerr;
	const sharedAdmin = seerrSettings?.jellyfin?.ip && desired?.jellyfinAdmin ? {jellyfinAdmin: desired.jellyfinAdmin.username} : undefined;
	const ownFiles = await ownFileFacts([
		...(stack.profileFile ? [{what: 'profile', file: stack.profileFile, holdsSecrets: stack.profile?.services.some(service => service.secret) ?? false}] : []),
		...(journalFile ? [{what: 'journal', file: journalFile, holdsSecrets: false}] : []),
	]);
	return {services, plainHttpLinks, sharedAdmin, ownFiles};
}
