// Gathers what the security findings need from a live stack: where each service listens, how its UI is protected,
// whether it hands out its key, qBittorrent's bypasses, and how the services reach each other. Reads only; it never
// tries a password (a failed qBittorrent login counts toward its ban).
import type {DiscoveredService} from '../discovery/discover.js';
import type {Stack} from '../discovery/stack.js';
import type {Desired} from '../links/context.js';
import {isPrivateAddress, listenAddress, type SecurityFacts, type ServiceExposure} from './security.js';

function bindAddressOf(service: DiscoveredService): string | undefined {
	const configured = service.configFile?.servarr?.bindAddress ?? service.configFile?.qbittorrent?.address;
	if (service.container && service.container.networkMode !== 'host') {
		const published = service.container.ports.find(port => port.hostPort === service.port);
		return published ? published.hostIp || '0.0.0.0' : configured;
	}
	const local = service.host === 'localhost' || service.host.startsWith('127.');
	return configured ?? (local ? listenAddress(service.port) : undefined);
}

export async function securityFacts(stack: Stack, desired?: Desired): Promise<SecurityFacts> {
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
	return {services, plainHttpLinks, sharedAdmin};
}
