// The address one service uses to reach another is the one that works from inside the first: a container name on
// a shared Docker network, the host's address on the container's network, or loopback between native services —
// not the wizard's own view. Each choice comes with the reason, shown in the plan.
import type {DiscoveredService} from '../discovery/discover.js';

export interface ServiceAddress {
	host: string;
	port: number;
	useSsl: boolean;
	urlBase: string;
	/** Why this address, in words. */
	reason: string;
}

/** The port the service listens on inside its container (the published port maps to it). */
function insidePort(service: DiscoveredService): number {
	const container = service.container;
	if (!container || container.networkMode === 'host') {
		return service.port;
	}
	const binding = container.ports.find(port => port.hostPort === service.port);
	return binding?.containerPort ?? service.port;
}

function isLoopback(host: string): boolean {
	return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

export function addressFrom(from: DiscoveredService, to: DiscoveredService): ServiceAddress {
	const base = {useSsl: to.tls, urlBase: to.urlBase};
	const fromContainer = from.container && from.container.networkMode !== 'host' ? from.container : undefined;
	const toContainer = to.container && to.container.networkMode !== 'host' ? to.container : undefined;

	if (fromContainer && toContainer) {
		// Docker's embedded DNS resolves container names on user-defined networks only, not on the default bridge.
		const shared = fromContainer.networks.find(
			network => network.name !== 'bridge' && network.name !== 'podman' && toContainer.networks.some(other => other.name === network.name),
		);
		if (shared) {
			return {...base, host: toContainer.name, port: insidePort(to), reason: `${from.name} and ${to.name} share the Docker network "${shared.name}", where ${to.name} is reachable by its container name`};
		}
		const sameDefault = fromContainer.networks.find(network => toContainer.networks.some(other => other.name === network.name));
		const target = sameDefault ? toContainer.networks.find(network => network.name === sameDefault.name)?.ip : undefined;
		if (target) {
			return {...base, host: target, port: insidePort(to), reason: `${from.name} and ${to.name} are on the default network "${sameDefault!.name}", which has no name resolution: ${to.name}'s container address (it changes when the container is re-created; a user-defined network is better)`};
		}
	}
	if (fromContainer) {
		// From inside a container, the host is the network's gateway; the published port leads to the service.
		const gateway = fromContainer.networks.find(network => network.gateway)?.gateway;
		if (gateway) {
			return {...base, host: isLoopback(to.host) ? gateway : to.host, port: to.port, reason: isLoopback(to.host) ? `${from.name} runs in a container: it reaches the host (where ${to.name} listens on port ${to.port}) through its network gateway ${gateway}` : `${to.name} runs at ${to.host}`};
		}
	}
	if (toContainer && isLoopback(to.host)) {
		return {...base, host: '127.0.0.1', port: to.port, reason: `${to.name}'s container publishes port ${to.port} on this machine`};
	}
	return {...base, host: to.host, port: to.port, reason: isLoopback(to.host) ? `${from.name} and ${to.name} both run on this machine` : `${to.name} runs at ${to.host}`};
}

export function addressUrl(address: ServiceAddress): string {
	return `${address.useSsl ? 'https' : 'http'}://${address.host}:${address.port}${address.urlBase}`;
}
