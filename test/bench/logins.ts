// Preloaded (node --import) into an arrwire process the bench measures: at its exit, the number of qBittorrent
// logins it sent (POST /api/v2/auth/login, over Node's http or https module, which all its requests go through) is
// appended to the file ARRWIRE_BENCH_LOGINS_FILE names.
import {appendFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const file = process.env.ARRWIRE_BENCH_LOGINS_FILE;
if (file) {
	let logins = 0;
	for (const module of [http, https]) {
		const request = module.request;
		module.request = (...args: unknown[]) => {
			// arrwire's requests pass options (source/services/transport.ts); its probes, which send no credential, a URL.
			const options = args[0] as string | URL | http.RequestOptions | undefined;
			if (typeof options === 'object' && !(options instanceof URL) && options.method === 'POST' && /^\/api\/v2\/auth\/login(\?|$)/.test(options.path ?? '')) {
				logins++;
			}
			return (request as (...given: unknown[]) => http.ClientRequest).apply(module, args);
		};
	}
	process.on('exit', () => {
		appendFileSync(file, `${logins}\n`);
	});
}
