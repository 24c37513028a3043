// Protocol coverage: every protocol an *arr's indexers serve needs an enabled download client that takes it. Sonarr and
// Radarr pick the client by the release's protocol and refuse the grab when none is there
// (Sonarr src/NzbDrone.Core/Download/DownloadService.cs: DownloadClientUnavailableException "Usenet Download client
// isn't configured yet"; the same in Radarr). A pure rule over the two lists, so it is tested from fixtures.
import {errorMessage, isServiceError} from '../services/errors.js';
import type {ServarrClient} from '../services/servarr.js';
import type {Finding} from './findings.js';

export interface CoverageIndexer {
	name: string;
	protocol?: string;
	enableRss?: boolean;
	enableAutomaticSearch?: boolean;
	enableInteractiveSearch?: boolean;
}

export interface CoverageClient {
	name: string;
	protocol?: string;
	enable?: boolean;
}

/** A download client arrwire found running that is not (yet) a download client of this *arr. */
export interface FoundClient {
	name: string;
	url: string;
	protocol: 'usenet' | 'torrent';
}

const LABEL = {usenet: 'Usenet', torrent: 'torrent'} as const;

/** An indexer that takes part in any search or RSS sync; a fully disabled one finds nothing to grab. */
function inUse(indexer: CoverageIndexer): boolean {
	return indexer.enableRss !== false || indexer.enableAutomaticSearch !== false || indexer.enableInteractiveSearch !== false;
}

function list(names: string[]): string {
	return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function fixFor(protocol: 'usenet' | 'torrent', service: string, found: FoundClient[]): string {
	const ready = found.filter(client => client.protocol === protocol);
	if (ready.length > 0) {
		return `Add ${ready.map(client => `${client.name} (found at ${client.url})`).join(' or ')} to ${service} as a download client: run arrwire apply.`;
	}
	if (protocol === 'usenet') {
		return `Install a Usenet download client, NZBGet (port 6789) or SABnzbd, then run arrwire discover and arrwire apply to add it to ${service}; or use torrent indexers instead (Prowlarr → Indexers).`;
	}
	return `Install a torrent download client such as qBittorrent (port 8080), then run arrwire discover and arrwire apply to add it to ${service}; or use Usenet indexers only.`;
}

/**
 * One error per protocol that `service`'s indexers serve and none of its enabled download clients takes.
 * `found`: download clients arrwire discovered, to name in the fix.
 */
export function checkProtocolCoverage(service: string, indexers: CoverageIndexer[], downloadClients: CoverageClient[], found: FoundClient[] = []): Finding[] {
	const enabled = downloadClients.filter(client => client.enable !== false);
	const findings: Finding[] = [];
	for (const protocol of ['usenet', 'torrent'] as const) {
		const serving = indexers.filter(indexer => indexer.protocol === protocol && inUse(indexer));
		if (serving.length === 0 || enabled.some(client => client.protocol === protocol)) {
			continue;
		}
		const names = list(serving.map(indexer => indexer.name));
		const others = enabled.map(client => `${client.name} downloads ${client.protocol === 'usenet' ? 'Usenet' : 'torrents'} only`);
		const disabled = downloadClients.filter(client => client.enable === false && client.protocol === protocol).map(client => client.name);
		const why = others.length > 0 ? `${list(others)}` : `${service} has no enabled download client`;
		findings.push({
			id: `protocol.no-${protocol}-client`,
			severity: 'error',
			subject: service,
			cause: `${names} ${serving.length === 1 ? 'finds' : 'find'} ${LABEL[protocol]} releases; ${why}: every grab from ${names} fails.`,
			evidence: [
				`${service}'s indexers: ${indexers.map(indexer => `${indexer.name} (${indexer.protocol ?? 'unknown'})`).join(', ')}`,
				`${service}'s enabled download clients: ${enabled.length ? enabled.map(client => `${client.name} (${client.protocol ?? 'unknown'})`).join(', ') : 'none'}`,
				...(disabled.length ? [`disabled ${LABEL[protocol]} client(s): ${disabled.join(', ')}`] : []),
			],
			fix: disabled.length ? `Enable ${list(disabled)} in ${service} → Settings → Download Clients, or: ${fixFor(protocol, service, found)}` : fixFor(protocol, service, found),
			impact: `${service} finds these releases and then refuses to download them ("${LABEL[protocol] === 'Usenet' ? 'Usenet' : 'Torrent'} Download client isn't configured yet").`,
		});
	}
	return findings;
}

/** Reads an *arr's indexers and download clients and applies the rule; a failed read is said, never "all is well". */
export async function readProtocolCoverage(client: Pick<ServarrClient, 'service' | 'indexers' | 'downloadClients'>, found: FoundClient[] = []): Promise<Finding[]> {
	try {
		const [indexers, downloadClients] = await Promise.all([client.indexers(), client.downloadClients()]);
		const named = <T extends {name?: string | null; implementation: string}>(entry: T) => ({...entry, name: entry.name || entry.implementation});
		return checkProtocolCoverage(client.service, indexers.map(named), downloadClients.map(named), found);
	} catch (error) {
		return [
			{
				id: 'protocol.unread',
				severity: 'warning',
				subject: client.service,
				cause: `arrwire could not read ${client.service}'s indexers and download clients, so whether each protocol has a client was not checked: ${errorMessage(error)}`,
				fix: isServiceError(error) ? error.fix : `Check that ${client.service} answers, then run arrwire check again.`,
			},
		];
	}
}
