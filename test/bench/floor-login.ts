// The least an arrwire command that checks qBittorrent's login can take, for `npm run bench`: node, the Request class
// ky is built on (Node loads it, with undici, at its first use; ky uses it as it loads), one login and one version
// read over Node's http. Nothing else: no discovery, no other service, no zod. Prints the version.
// Usage: node floor-login.js URL USERNAME, with the password in ARRWIRE_BENCH_PASSWORD (never on a command line).
import http from 'node:http';

new Request('http://floor.invalid/');
const [url = '', username = ''] = process.argv.slice(2);

function send(path: string, options: http.RequestOptions, body?: string): Promise<{cookie?: string; text: string}> {
	return new Promise((resolve, reject) => {
		const request = http.request(new URL(path, url), options, response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve({cookie: response.headers['set-cookie']?.[0]?.split(';')[0], text}));
		});
		request.on('error', reject);
		request.end(body);
	});
}

const login = await send('/api/v2/auth/login', {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded', referer: url}}, new URLSearchParams({username, password: process.env.ARRWIRE_BENCH_PASSWORD ?? ''}).toString());
if (!login.cookie) {
	throw new Error(`qBittorrent at ${url} refused the login: ${login.text}`);
}
console.log((await send('/api/v2/app/version', {headers: {cookie: login.cookie}})).text);
