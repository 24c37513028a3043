// The stack map as text: the six services and the links between them, each link marked with its state.
import type {DoctorReport, LinkState} from './diagnose.js';

const MARK: Record<LinkState | 'unknown', string> = {linked: '✔', drift: '~', fault: '✖', skipped: '-', unknown: '?'};

export function stackMap(report: DoctorReport): string[] {
	const state = (...ids: string[]): string => {
		const links = report.links.filter(link => ids.includes(link.id));
		if (links.length === 0) {
			return MARK.unknown;
		}
		const order: LinkState[] = ['fault', 'drift', 'linked', 'skipped'];
		return MARK[order.find(candidate => links.some(link => link.state === candidate)) ?? 'skipped'];
	};
	const service = (kind: string) => {
		const found = report.services.find(candidate => candidate.kind === kind);
		const mark = !found || found.state === 'missing' ? '?' : found.state === 'ok' ? '●' : '✖';
		return `${mark} ${found?.name ?? kind}`;
	};
	return [
		`NZBgeek ─${state('nzbgeek-indexer')}─> ${service('prowlarr')} ─${state('prowlarr-sonarr')}─> ${service('sonarr')}`,
		`                        └──${state('prowlarr-radarr')}─> ${service('radarr')}`,
		`${service('sonarr')} ─${state('sonarr-download-client', 'sonarr-root-folder', 'sonarr-remote-path-mapping')}─> ${service('qbittorrent')} <─${state('radarr-download-client', 'radarr-root-folder', 'radarr-remote-path-mapping')}─ ${service('radarr')}   categories ${state('qbittorrent-categories')}`,
		`${service('jellyseerr')} ─${state('jellyseerr-sonarr')}─> Sonarr, ─${state('jellyseerr-radarr')}─> Radarr, ─${state('jellyseerr-jellyfin')}─> ${service('jellyfin')}`,
		`${service('jellyfin')} libraries ${state('jellyfin-libraries')}   refresh on import: Sonarr ${state('sonarr-jellyfin-refresh')} Radarr ${state('radarr-jellyfin-refresh')}`,
		`(● service answers, ✖ service fault, ? not found; ✔ linked, ~ drifted, ✖ fault, - skipped)`,
	];
}
