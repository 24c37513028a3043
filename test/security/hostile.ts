// Small hostile servers on loopback for the security tests: each logs what it received, so a test can prove that
// nothing carrying a credential reached it.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface LoggedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface HostileServer {
	url: string;
	port: number;
	requests: LoggedRequest[];
	stop(): Promise<void>;
}

/** An HTTP server on `host` (a loopback address) answering every request with `handler`, logging each request. */
export async function hostileServer(host: string, handler: (request: http.IncomingMessage, response: http.ServerResponse, logged: LoggedRequest) => void): Promise<HostileServer> {
	const requests: LoggedRequest[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const logged = {method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8')};
			requests.push(logged);
			handler(request, response, logged);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://${host}:${port}`,
		port,
		requests,
		stop: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Everything a server received, as one text to search for a secret. */
export function received(server: HostileServer): string {
	return JSON.stringify(server.requests);
}
