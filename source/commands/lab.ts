// `arrwire lab`: the demo stack on loopback until Ctrl-C, with each service's address and (throwaway) credential.
import {cleanUpOnSignals} from '../../test/lab/cleanup.js';
import {startLab} from '../../test/lab/lab.js';

export async function runLab(): Promise<number> {
	// Before anything starts: Ctrl-C, SIGTERM or a closed terminal (SIGHUP) stops qBittorrent and removes the lab's
	// folders at any moment, start-up included, and exits with 128 + the signal's number.
	cleanUpOnSignals(() => process.stdout.write('\nStopping the lab…\n'));
	process.stdout.write('Starting the arrwire lab: the real qBittorrent, and emulated Sonarr, Radarr,\nProwlarr, Jellyfin and Jellyseerr…\n');
	// Without ../shared/specs (an installed arrwire) the lab runs unchecked; tests insist on the check.
	const lab = await startLab({checkSpecs: 'when-available'});
	const services = lab.services();
	const width = Math.max(...services.map(service => service.name.length));
	process.stdout.write(`\nThe lab is up on ${lab.host}. Its data tree is ${lab.paths.data}.\n`);
	process.stdout.write('These credentials are made up for this lab and die with it.\n\n');
	for (const service of services) {
		process.stdout.write(`  ${service.name.padEnd(width)}  ${service.url.padEnd(32)}  ${service.credential}: ${service.secret}\n`);
	}
	process.stdout.write('\nPress Ctrl-C to stop the lab.\n');
	// Up until a signal: the handler above stops it and exits.
	return new Promise<number>(() => undefined);
}
