// The stack map's data: which link joins which services, and each link's state after the run
// (linked / changed / failed / skipped). Pure, so the Summary screen and its test share it.
import type {Finding} from '../checks/findings.js';
import type {Change} from '../links/change.js';
import type {LinkPlanView} from './controller.js';

export type LinkState = 'linked' | 'changed' | 'failed' | 'skipped';

export interface Edge {
	from: string;
	to: string;
	label: string;
	links: string[];
}

/** The stack as DESIGN.md draws it, one arrow per line. */
export const EDGES: Edge[] = [
	{from: 'NZBgeek', to: 'Prowlarr', label: 'indexer', links: ['nzbgeek-indexer']},
	{from: 'Prowlarr', to: 'Sonarr', label: 'indexer sync', links: ['prowlarr-sonarr']},
	{from: 'Prowlarr', to: 'Radarr', label: 'indexer sync', links: ['prowlarr-radarr']},
	{from: 'Sonarr', to: 'qBittorrent', label: 'downloads (tv)', links: ['sonarr-download-client', 'qbittorrent-categories', 'sonarr-remote-path-mapping']},
	{from: 'Radarr', to: 'qBittorrent', label: 'downloads (movies)', links: ['radarr-download-client', 'qbittorrent-categories', 'radarr-remote-path-mapping']},
	{from: 'Sonarr', to: 'media/tv', label: 'root folder', links: ['sonarr-root-folder']},
	{from: 'Radarr', to: 'media/movies', label: 'root folder', links: ['radarr-root-folder']},
	{from: 'Jellyfin', to: 'media', label: 'libraries', links: ['jellyfin-libraries']},
	{from: 'Jellyseerr', to: 'Jellyfin', label: 'users & libraries', links: ['jellyseerr-jellyfin']},
	{from: 'Jellyseerr', to: 'Sonarr', label: 'requests', links: ['jellyseerr-sonarr']},
	{from: 'Jellyseerr', to: 'Radarr', label: 'requests', links: ['jellyseerr-radarr']},
	{from: 'Sonarr', to: 'Jellyfin', label: 'refresh on import', links: ['sonarr-jellyfin-refresh']},
	{from: 'Radarr', to: 'Jellyfin', label: 'refresh on import', links: ['radarr-jellyfin-refresh']},
];

export interface RunOutcome {
	applied: Change[];
	declined: Change[];
	failed?: {change: Change; error: string};
	/** Each link's verify findings (after apply, or from doctor). */
	verified: Record<string, Finding[]>;
}

export function emptyOutcome(): RunOutcome {
	return {applied: [], declined: [], verified: {}};
}

/**
 * Each planned link's state: failed beats changed beats linked; links not applied or not applicable are skipped.
 * A link the user said no to is skipped (by the user), even though its check then finds it unlinked.
 */
export function linkStates(plans: LinkPlanView[], outcome: RunOutcome, userSkipped: ReadonlySet<string>): Record<string, LinkState> {
	const states: Record<string, LinkState> = {};
	for (const plan of plans) {
		const applied = outcome.applied.some(change => change.link === plan.id);
		const verified = outcome.verified[plan.id];
		// A link unreadable at plan time that was applied or verified since is judged by that, not by the old error.
		const declined = outcome.declined.some(change => change.link === plan.id);
		const failed =
			outcome.failed?.change.link === plan.id || (!declined && (verified ?? []).some(finding => finding.severity === 'error')) || (plan.error !== undefined && !applied && verified === undefined);
		if (failed) {
			states[plan.id] = 'failed';
		} else if (applied && !declined) {
			states[plan.id] = 'changed';
		} else if (plan.skipped || userSkipped.has(plan.id) || declined || plan.changes.length > 0) {
			// Planned changes that were never made (declined, or the run stopped before them) leave the link unlinked.
			states[plan.id] = 'skipped';
		} else {
			states[plan.id] = 'linked';
		}
	}
	return states;
}

const RANK: Record<LinkState, number> = {failed: 3, changed: 2, linked: 1, skipped: 0};

/** An edge is as bad as its worst link; skipped only when none of its links ran. */
export function edgeState(edge: Edge, states: Record<string, LinkState>): LinkState {
	const own = edge.links.map(id => states[id]).filter((state): state is LinkState => state !== undefined);
	const primary = states[edge.links[0]!];
	if (primary === undefined || primary === 'skipped') {
		return own.includes('failed') ? 'failed' : 'skipped';
	}
	return own.reduce<LinkState>((worst, state) => (RANK[state] > RANK[worst] && state !== 'skipped' ? state : worst), primary);
}
