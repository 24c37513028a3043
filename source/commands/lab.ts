// `arrwire lab`: the demo stack on loopback until Ctrl-C, with each service's address and (throwaway) credential,
// and the exact commands that point arrwire at it.
import {realpathSync} from 'node:fs';
import path from 'node:path';
import {cleanUpOnSignals} from '../lab/cleanup.js';
import {startLab, type Lab} from '../lab/lab.js';
import {saveProfile} from '../state/profile.js';

export async function runLab(): Promise<number> {
	// Before anything starts: Ctrl-C, SIGTERM or a closed terminal (SIGHUP) stops qBittorrent and removes the lab's
	// folders at any moment, start-up included, and exits with 128 + the signal's number.
	cleanUpOnSignals(() => process.stdout.write('\nStopping the lab…\n'));
	process.stdout.write('Starting the arrwire lab: the real qBittorrent and NZBGet (where installed), and\nemulated Sonarr, Radarr, Prowlarr, Jellyfin and Jellyseerr…\n');
	// Without ../shared/specs (an installed arrwire) the lab runs unchecked; tests insist on the check.
	const lab = await startLab({checkSpecs: 'when-available', nzbget: 'when-available'});
	const services = lab.services();
	const width = Math.max(...services.map(service => service.name.length));
	process.stdout.write(`\nThe lab is up on ${lab.host}. Its data tree is ${lab.paths.data}.\n`);
	process.stdout.write('These credentials are made up for this lab and die with it.\n\n');
	for (const service of services) {
		process.stdout.write(`  ${service.name.padEnd(width)}  ${service.url.padEnd(32)}  ${service.credential}: ${service.secret}\n`);
	}
	const pointing = await pointAtLab(lab);
	process.stdout.write(
		`\nTry arrwire on it, in another terminal. The first line keeps arrwire's profile and\njournal for the lab in the lab's folder (apart from your own), with the two logins\nthat live in no file, and gives the lab's NZBgeek key:\n\n${pointing.map(line => `  ${line}\n`).join('')}`,
	);
	process.stdout.write('\nPress Ctrl-C to stop the lab.\n');
	// Up until a signal: the handler above stops it and exits.
	return new Promise<number>(() => undefined);
}

/**
 * The shell lines that point arrwire at the lab: an `export` of its own config home (a profile that holds the lab's
 * hosts and the qBittorrent and Jellyfin logins, as `discover --store-secrets` would leave it) and the NZBgeek key,
 * then plan, apply and doctor with the lab's address and config folder. The profile dies with the lab's folder.
 */
async function pointAtLab(lab: Lab): Promise<string[]> {
	const configHome = path.join(lab.paths.root, 'arrwire-config');
	const pointed = lab.arrwireOptions(path.join(configHome, 'arrwire'));
	await saveProfile(
		{
			storeSecrets: true,
			hosts: pointed.hosts,
			services: [
				{kind: 'qbittorrent', url: lab.qbittorrent.url, source: 'host', credentialFrom: 'the lab', username: pointed.credentials.qbittorrent.username, secret: pointed.credentials.qbittorrent.password},
				{kind: 'jellyfin', url: lab.jellyfin.url, source: 'host', credentialFrom: 'the lab', username: pointed.credentials.jellyfin.username, secret: pointed.credentials.jellyfin.password},
			],
		},
		pointed.profileFile,
	);
	const where = ['--no-docker', ...pointed.hosts.flatMap(host => ['--host', host]), ...pointed.configFolders.flatMap(folder => ['--config-dir', folder])].map(quote).join(' ');
	const arrwire = invocation();
	return [
		`export XDG_CONFIG_HOME=${quote(configHome)} ARRWIRE_NZBGEEK_API_KEY=${quote(pointed.nzbgeekApiKey)}`,
		`${arrwire} plan ${where}`,
		`${arrwire} apply --yes ${where}`,
		`${arrwire} doctor ${where}`,
	];
}

/** How to run this arrwire from another shell: `arrwire` when that is this one on the PATH, else node and its path. */
function invocation(): string {
	const self = realpathSync(process.argv[1] ?? '');
	// npx puts its copy on the PATH of this process only.
	if (self.split(path.sep).includes('_npx')) {
		return `node ${quote(self)}`;
	}
	for (const folder of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		try {
			if (realpathSync(path.join(folder, 'arrwire')) === self) {
				return 'arrwire';
			}
		} catch {
			// Not in this folder.
		}
	}
	return `node ${quote(self)}`;
}

function quote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
