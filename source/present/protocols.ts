// Which download protocols can move a release: NZBgeek finds Usenet releases, which only a Usenet client (NZBGet or
// SABnzbd) downloads; qBittorrent takes torrents only. The Discover screen lists the clients found by protocol, the
// Summary says which protocols flow once the links ran. Rules here, drawing in the screens.
import {SERVICES, type ServiceKind} from '../discovery/catalogue.js';
import type {LinkState} from './stack-map.js';
import {MARK, partsLine, type Line} from './text.js';

const CLIENTS: Record<'torrent' | 'usenet', ServiceKind[]> = {torrent: ['qbittorrent'], usenet: ['nzbget', 'sabnzbd']};

/** "Found 7 of 7": the services every stack has, and the optional ones (the Usenet clients) only when found. */
export function servicesCount(found: ReadonlyArray<{kind: ServiceKind}>): {found: number; of: number} {
	const kinds = new Set(found.map(service => service.kind));
	const wanted = SERVICES.filter(info => !info.optional || kinds.has(info.kind));
	return {found: wanted.filter(info => kinds.has(info.kind)).length, of: wanted.length};
}

/** What discovery looks for, on one line of 80 columns: the services, and the download clients by their role. */
export function probingLabel(): string {
	const clients = new Set(Object.values(CLIENTS).flat());
	return `Probing ${SERVICES.filter(info => !clients.has(info.kind)).map(info => info.name).join(', ')} and download clients…`;
}

/** The services not found that a stack needs (a Usenet client missing is said by downloadClientLines). */
export function missingServices(found: ReadonlyArray<{kind: ServiceKind}>): string[] {
	return SERVICES.filter(info => !info.optional && !found.some(service => service.kind === info.kind)).map(info => info.name);
}

/** The download clients found, one line per protocol. */
export function downloadClientLines(found: ReadonlyArray<{kind: ServiceKind; name: string}>): Line[] {
	const names = (protocol: 'torrent' | 'usenet') => CLIENTS[protocol].flatMap(kind => found.filter(service => service.kind === kind).map(service => service.name));
	const line = (label: string, clients: string[], none: string) =>
		clients.length > 0
			? partsLine({text: `${MARK.ok} `, tone: 'ok'}, {text: `${label}: ${[...new Set(clients)].join(', ')}`})
			: partsLine({text: `${MARK.failed} `, tone: 'failed'}, {text: `${label}: none found — ${none}`});
	return [line('Torrent client', names('torrent'), 'torrent releases cannot be downloaded'), line('Usenet client ', names('usenet'), "NZBgeek's releases cannot be downloaded")];
}

const flows = (state: LinkState | undefined) => state === 'linked' || state === 'changed';

/**
 * Which protocols can flow end to end after the run: a protocol flows when both Sonarr and Radarr have a client for
 * it whose link is linked (or was just made so). The protocol coverage check is the full account (doctor).
 */
export function protocolFlowLines(states: Record<string, LinkState>): Line[] {
	const clients = {
		torrent: [{program: 'qBittorrent', suffix: 'download-client'}],
		usenet: [
			{program: 'NZBGet', suffix: 'usenet-download-client'},
			{program: 'SABnzbd', suffix: 'sabnzbd-download-client'},
		],
	};
	const line = (label: string, protocol: 'torrent' | 'usenet', none: string) => {
		const wired = clients[protocol].filter(client => flows(states[`sonarr-${client.suffix}`]) && flows(states[`radarr-${client.suffix}`]));
		return wired.length > 0
			? partsLine({text: `${MARK.ok} `, tone: 'ok'}, {text: `${label} releases flow: Sonarr and Radarr -> ${wired.map(client => client.program).join(' and ')}`})
			: partsLine({text: `${MARK.failed} `, tone: 'failed'}, {text: `${label} releases cannot flow: ${none}`});
	};
	return [
		line('Torrent', 'torrent', 'Sonarr or Radarr lacks a qBittorrent client'),
		line('Usenet', 'usenet', 'no Usenet client is wired (NZBgeek needs one)'),
	];
}
