// `arrwire lab`: the demo stack on loopback until Ctrl-C, with each service's address and (throwaway) credential.
import {startLab} from '../../test/lab/lab.js';

export async function runLab(): Promise<number> {
	process.stdout.write('Starting the arrwire lab (real qBittorrent and emulated Sonarr, Radarr, Prowlarr, Jellyfin, Jellyseerr)…\n');
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
	await new Promise<void>(resolve => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	process.stdout.write('\nStopping the lab…\n');
	await lab.stop();
	return 0;
}
