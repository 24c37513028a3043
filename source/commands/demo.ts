// `arrwire demo` (what `npm start` runs): with no stack of one's own, arrwire runs against the built-in lab.
import {startLab} from '../../test/lab/lab.js';
import {isServiceError} from '../services/errors.js';
import {JellyfinClient} from '../services/jellyfin.js';
import {ProwlarrClient} from '../services/prowlarr.js';
import {QbittorrentClient} from '../services/qbittorrent.js';
import {SeerrClient} from '../services/seerr.js';
import {ServarrClient} from '../services/servarr.js';

export async function runDemo(): Promise<number> {
	process.stdout.write('Starting the demo lab (real qBittorrent and emulated Sonarr, Radarr, Prowlarr, Jellyfin, Jellyseerr)…\n');
	const lab = await startLab();
	try {
		process.stdout.write(`The lab is up on ${lab.host}; arrwire now talks to each service through its client.\n\n`);
		const checks: Array<[string, string, () => Promise<string>]> = [
			['Prowlarr', lab.prowlarr.url, async () => `v${(await new ProwlarrClient({url: lab.prowlarr.url, apiKey: lab.keys.prowlarr}).systemStatus()).version}`],
			['Sonarr', lab.sonarr.url, async () => `v${(await new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr}).systemStatus()).version}`],
			['Radarr', lab.radarr.url, async () => `v${(await new ServarrClient({kind: 'radarr', url: lab.radarr.url, apiKey: lab.keys.radarr}).systemStatus()).version}`],
			['qBittorrent', lab.qbittorrent.url, async () => new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).version()],
			['Jellyfin', lab.jellyfin.url, async () => `v${(await new JellyfinClient({url: lab.jellyfin.url}).publicInfo()).Version}`],
			['Jellyseerr', lab.jellyseerr.url, async () => `v${(await new SeerrClient({url: lab.jellyseerr.url, apiKey: lab.keys.jellyseerr}).status()).version}`],
		];
		let failures = 0;
		for (const [name, url, check] of checks) {
			try {
				const version = await check();
				process.stdout.write(`  ✔ ${name.padEnd(12)} ${version.padEnd(14)} ${url}\n`);
			} catch (error) {
				failures++;
				const message = isServiceError(error) ? `${error.message}\n      fix: ${error.fix}` : String(error);
				process.stdout.write(`  ✖ ${name.padEnd(12)} ${message}\n`);
			}
		}
		process.stdout.write(failures === 0 ? '\nAll six services answered.\n' : `\n${failures} service(s) did not answer.\n`);
		return failures === 0 ? 0 : 1;
	} finally {
		await lab.stop();
	}
}
