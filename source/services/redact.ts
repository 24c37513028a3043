// Secrets never reach the screen, a log or an error: everything that may carry one passes through here.

export const MASK = '********';

/** Query parameters and headers that carry a credential in the services' APIs (ma_password: SABnzbd's login in a URL). */
const secretParameters = ['apikey', 'api_key', 'access_token', 'token', 'password', 'pw', 'x-api-key', 'ma_password'];

const secretQueryPattern = new RegExp(`([?&](?:${secretParameters.join('|')})=)[^&#\\s]*`, 'gi');
const mediaBrowserTokenPattern = /(Token=")[^"]*(")/gi;
const bearerPattern = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const cookiePattern = /((?:SID|connect\.sid)=)[^;\s]+/gi;
const jsonSecretPattern = /("(?:apiKey|apikey|password|pw|accessToken|AccessToken|Pw|web_ui_password)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;

/** Shorter values are not masked: they would blank out ordinary words and numbers, and hide nothing worth hiding. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every secret this process has met: the keys and passwords its clients use and every one it sent to a service.
 * A service may quote a secret that belongs to another (Radarr's validation error quoting the qBittorrent password,
 * Prowlarr quoting the NZBgeek key in a URL), so each message is redacted of all of them, whoever said it.
 */
const known = new Set<string>();

/** Registers a secret so that no message shows it from now on, whichever service says it. */
export function rememberSecret(value: string | undefined | null): void {
	if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && value !== MASK) {
		known.add(value);
	}
}

export function rememberSecrets(values: Iterable<string | undefined | null>): void {
	for (const value of values) {
		rememberSecret(value);
	}
}

/** Names under which a request body carries a secret: JSON properties, form fields, provider field names. */
const secretName = /^(?:api_?key|password|pw|passwd|token|access_?token|web_ui_password|secret|client_?secret)$/i;
const providerSecretName = /(?:password|apikey|api_key|token|secret|passkey)$/i;

/**
 * Registers every secret in what arrwire is about to send: `{"apiKey": …}`, `password=` in a form, a Servarr provider
 * field `{"name": "password", "value": …}` (qBittorrent's password sent to Radarr, the NZBgeek key sent to Prowlarr).
 */
export function rememberSentSecrets(body: unknown, depth = 0): void {
	if (depth > 8 || body === null || typeof body !== 'object') {
		return;
	}
	if (Array.isArray(body)) {
		for (const item of body) {
			rememberSentSecrets(item, depth + 1);
		}
		return;
	}
	const record = body as Record<string, unknown>;
	if (typeof record.name === 'string' && typeof record.value === 'string' && providerSecretName.test(record.name)) {
		rememberSecret(record.value);
	}
	for (const [key, value] of Object.entries(record)) {
		if (typeof value === 'string') {
			if (secretName.test(key)) {
				rememberSecret(value);
			} else if (value.startsWith('{')) {
				// qBittorrent's setPreferences sends its changes as a JSON text in a form field.
				try {
					rememberSentSecrets(JSON.parse(value) as unknown, depth + 1);
				} catch {
					// Not JSON after all.
				}
			}
		} else {
			rememberSentSecrets(value, depth + 1);
		}
	}
}

/** For tests: forgets every registered secret. */
export function forgetSecrets(): void {
	known.clear();
}

/**
 * Removes secrets from text: every secret given or registered, and anything in a place that holds one
 * (apikey= in a URL, Token="..." in a MediaBrowser header, a Bearer token, a session cookie, a JSON key field).
 */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
	let result = text;
	const values = [...new Set([...secrets, ...known])].filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
	// Longest first, so a secret that contains another is removed whole.
	values.sort((a, b) => b.length - a.length);
	for (const value of values) {
		result = result.split(value).join(MASK);
		const encoded = encodeURIComponent(value);
		if (encoded !== value) {
			result = result.split(encoded).join(MASK);
		}
	}
	return result
		.replace(secretQueryPattern, `$1${MASK}`)
		.replace(mediaBrowserTokenPattern, `$1${MASK}$2`)
		.replace(bearerPattern, `$1${MASK}`)
		.replace(cookiePattern, `$1${MASK}`)
		.replace(jsonSecretPattern, (_match, start: string, value: string, end: string) =>
			value === '' || value === MASK ? `${start}${value}${end}` : `${start}${MASK}${end}`,
		);
}

/** The URL without credentials in its query string or user-info part. */
export function redactUrl(url: string | URL, secrets: Iterable<string | undefined> = []): string {
	let text = String(url);
	try {
		const parsed = new URL(text);
		if (parsed.username || parsed.password) {
			parsed.username = '';
			parsed.password = '';
			text = parsed.toString();
		}
	} catch {
		// Not a full URL: the text rules below still apply.
	}
	return redact(text, secrets);
}

/** Shows that a secret is set without showing any of it. */
export function maskSecret(value: string | undefined | null): string {
	return value ? MASK : '(not set)';
}
