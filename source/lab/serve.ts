// Runs one lab service in the foreground: what a lab container runs (`node /app/dist/source/lab/serve.js sonarr …`).
// Used by the container tests only, so the package leaves it out (package.json "files").
import {parseArgs} from 'node:util';
import type {Emulator} from './emulator.js';
import {JellyfinEmulator} from './jellyfin.js';
import {JellyseerrEmulator} from './jellyseerr.js';
import {ProwlarrEmulator} from './prowlarr.js';
import {SabnzbdEmulator} from './sabnzbd.js';
import {ServarrEmulator} from './servarr.js';

const {values, positionals} = parseArgs({
	allowPositionals: true,
	options: {
		port: {type: 'string'},
		host: {type: 'string', default: '0.0.0.0'},
		'api-key': {type: 'string'},
		'config-dir': {type: 'string'},
		'url-base': {type: 'string'},
		'no-spec': {type: 'boolean'},
	},
});
const kind = positionals[0];
const port = values.port ? Number(values.port) : undefined;
const apiKey = values['api-key'] ?? '';
const common = {host: values.host, port, configDir: values['config-dir'], ...(values['no-spec'] ? {spec: false as const} : {})};

let emulator: Emulator;
switch (kind) {
	case 'sonarr':
	case 'radarr':
		emulator = new ServarrEmulator({kind, apiKey, urlBase: values['url-base'], ...common});
		break;
	case 'prowlarr':
		emulator = new ProwlarrEmulator({apiKey, urlBase: values['url-base'], ...common});
		break;
	case 'jellyseerr':
		emulator = new JellyseerrEmulator({apiKey, ...common});
		break;
	case 'jellyfin':
		emulator = new JellyfinEmulator({host: values.host, port, ...(values['no-spec'] ? {spec: false as const} : {})});
		break;
	case 'sabnzbd':
		emulator = new SabnzbdEmulator({host: values.host, port, apiKey: values['api-key'], urlBase: values['url-base'], configDir: values['config-dir']});
		break;
	default:
		console.error(`serve: unknown service ${kind ?? '(none)'}; one of sonarr, radarr, prowlarr, jellyfin, jellyseerr, sabnzbd`);
		process.exit(2);
}
await emulator.start();
console.log(`${kind} listening on ${emulator.url}`);
const stop = () => {
	emulator.stop().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
