// Services behind TLS with a certificate this machine does not trust (self-signed, the rule at home): arrwire never
// turns verification off; the user trusts one exact certificate per address, by its SHA-256 fingerprint, and every
// connection to that address is checked against it before a single byte of a request (and so a key) is written.
import tls from 'node:tls';

/** The errors Node gives for a certificate it cannot verify (OpenSSL's X509 codes, and a name mismatch). */
const CERTIFICATE_ERRORS = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Set when a pinned address presents another certificate: nothing was sent. */
export const PIN_MISMATCH = 'ARRWIRE_CERTIFICATE_MISMATCH';

export function isCertificateError(code: string | undefined): boolean {
	return code !== undefined && (CERTIFICATE_ERRORS.has(code) || code === PIN_MISMATCH);
}

/** Trusted certificates by origin (https://host:port): SHA-256 fingerprints as Node prints them (AB:CD:…). */
const pinned = new Map<string, string>();

export function normalizeFingerprint(fingerprint: string): string {
	const hex = fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
	return hex.match(/.{2}/g)?.join(':') ?? '';
}

/** Trusts exactly this certificate for this address (for this run; the profile keeps it across runs). */
export function trustCertificate(url: string, fingerprint: string): void {
	pinned.set(new URL(url).origin, normalizeFingerprint(fingerprint));
}

export function trustedFingerprint(url: string | URL): string | undefined {
	return pinned.get(new URL(String(url)).origin);
}

/** For tests: trusts nothing any more. */
export function forgetTrustedCertificates(): void {
	pinned.clear();
}

export interface PeerCertificate {
	fingerprint256: string;
	subject: string;
	selfSigned: boolean;
	/** Why this machine does not trust it (an OpenSSL code), or undefined when it does. */
	problem?: string;
}

/** Reads the certificate an https address presents, without sending anything over the connection. */
export function peerCertificate(url: string | URL, timeoutMs = 3000): Promise<PeerCertificate | undefined> {
	const target = new URL(String(url));
	return new Promise(resolve => {
		const socket = tls.connect({host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 443), servername: serverName(target), rejectUnauthorized: false});
		const timer = setTimeout(() => finish(undefined), timeoutMs);
		function finish(result: PeerCertificate | undefined) {
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		}
		socket.once('secureConnect', () => {
			const certificate = socket.getPeerCertificate();
			if (!certificate?.fingerprint256) {
				finish(undefined);
				return;
			}
			const subject = certificate.subject?.CN ?? '';
			const issuer = certificate.issuer?.CN ?? '';
			const problem = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNTRUSTED');
			finish({fingerprint256: certificate.fingerprint256, subject: String(subject), selfSigned: subject === issuer && String(issuer) !== '', problem});
		});
		socket.once('error', () => finish(undefined));
	});
}

/** SNI carries host names only, never addresses. */
export function serverName(url: URL): string | undefined {
	return /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname;
}
