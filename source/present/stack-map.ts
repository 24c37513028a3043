// The stack map: which link joins which services, one vocabulary of link and service states with their marks, and
// the map as lines of text. The wizard's summary and `arrwire doctor` both draw it from here.
import type {Finding} from '../checks/findings.js';
import type {Change} from '../links/change.js';
import {MARK, partsLine, type Line, type Tone} from './text.js';

/** A link's state: linked, changed by this run, drifted (works, but differs from what arrwire would set), failed, or skipped. */
export type LinkState = 'linked' | 'changed' | 'drift' | 'failed' | 'skipped';

const LINK_STATES: Record<LinkState, {mark: string; tone: Tone; label: string}> = {
	linked: {mark: '●', tone: 'ok', label: 'linked'},
	changed: {mark: '◆', tone: 'changed', label: 'changed'},
	drift: {mark: '~', tone: 'warning', label: 'drifted'},
	failed: {mark: MARK.failed, tone: 'failed', label: 'failed'},
	skipped: {mark: '○', tone: 'skipped', label: 'skipped'},
};

/** A service's state: it answers and arrwire may use it, it lacks a credential, it is at fault, or it was not found. */
export type ServiceState = 'ready' | 'no-credential' | 'fault' | 'missing';

const SERVICE_STATES: Record<ServiceState, {mark: string; tone: Tone}> = {
	ready: {mark: MARK.ok, tone: 'ok'},
	'no-credential': {mark: MARK.warning, tone: 'warning'},
	fault: {mark: MARK.failed, tone: 'failed'},
	missing: {mark: '○', tone: 'skipped'},
};

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
	/** Where the run stopped: at a change, or (no change named) before it could make any. */
	failed?: {change?: Change; error: string};
	/** Each link's verify findings (after apply, or from doctor). */
	verified: Record<string, Finding[]>;
}

export function emptyOutcome(): RunOutcome {
	return {applied: [], declined: [], verified: {}};
}

/** What the states of a run need of each link's plan. */
export interface PlannedLinkState {
	id: string;
	changes: readonly unknown[];
	skipped?: string;
	error?: string;
}

/**
 * Each planned link's state: failed beats changed beats linked; links not applied or not applicable are skipped.
 * A link the user said no to is skipped (by the user), even though its check then finds it unlinked.
 */
export function linkStates(plans: readonly PlannedLinkState[], outcome: RunOutcome, userSkipped: ReadonlySet<string>): Record<string, LinkState> {
	const states: Record<string, LinkState> = {};
	for (const plan of plans) {
		const applied = outcome.applied.some(change => change.link === plan.id);
		const verified = outcome.verified[plan.id];
		// A link unreadable at plan time that was applied or verified since is judged by that, not by the old error.
		const declined = outcome.declined.some(change => change.link === plan.id);
		const failed =
			outcome.failed?.change?.link === plan.id || (!declined && (verified ?? []).some(finding => finding.severity === 'error')) || (plan.error !== undefined && !applied && verified === undefined);
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

const RANK: Record<LinkState, number> = {failed: 4, drift: 3, changed: 2, linked: 1, skipped: 0};

/** An edge is as bad as its worst link; skipped only when none of its links ran. */
export function edgeState(edge: Edge, states: Record<string, LinkState>): LinkState {
	const own = edge.links.map(id => states[id]).filter((state): state is LinkState => state !== undefined);
	const primary = states[edge.links[0]!];
	if (primary === undefined || primary === 'skipped') {
		return own.includes('failed') ? 'failed' : 'skipped';
	}
	return own.reduce<LinkState>((worst, state) => (RANK[state] > RANK[worst] && state !== 'skipped' ? state : worst), primary);
}

/** How many links are in each state. */
export function countStates(states: Record<string, LinkState>): Record<LinkState, number> {
	const counts: Record<LinkState, number> = {linked: 0, changed: 0, drift: 0, failed: 0, skipped: 0};
	for (const state of Object.values(states)) {
		counts[state]++;
	}
	return counts;
}

/** The services, each with its mark, on one line: two spaces apart, or one when that is what fits in `width`. */
export function servicesLine(services: ReadonlyArray<{name: string; state: ServiceState}>, width = Number.POSITIVE_INFINITY): Line {
	const marks = services.map(service => ({text: `${SERVICE_STATES[service.state].mark} ${service.name}`, tone: SERVICE_STATES[service.state].tone}));
	const wide = marks.reduce((sum, mark) => sum + [...mark.text].length, 0) + 2 * Math.max(0, marks.length - 1) <= width;
	return partsLine(...marks.flatMap((mark, index) => [...(index > 0 ? [{text: wide ? '  ' : ' '}] : []), mark]));
}

/** One line per edge whose first link was looked at: "Prowlarr ──indexer sync──▶ Sonarr  ● linked". */
export function edgeLines(states: Record<string, LinkState>): Line[] {
	return EDGES.filter(edge => states[edge.links[0]!] !== undefined).map(edge => {
		const state = LINK_STATES[edgeState(edge, states)];
		return partsLine(
			{text: `  ${edge.from.padStart(11)} `},
			{text: `──${edge.label}──▶`.padEnd(24, ' '), tone: state.tone},
			{text: ` ${edge.to.padEnd(13)}`},
			{text: `${state.mark} ${state.label}`, tone: state.tone},
		);
	});
}

/** The count of links per state, in the states' tones: "● linked 3  ◆ changed 1  ✖ failed 0  ○ skipped 2". */
export function legendLine(states: Record<string, LinkState>, shown: readonly LinkState[] = ['linked', 'changed', 'failed', 'skipped']): Line {
	const counts = countStates(states);
	return partsLine(
		...shown.flatMap((state, index) => [
			...(index > 0 ? [{text: '  '}] : []),
			{text: `${LINK_STATES[state].mark} ${LINK_STATES[state].label} ${counts[state]}`, tone: LINK_STATES[state].tone},
		]),
	);
}
