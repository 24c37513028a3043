// Secrets never reach the screen, a log or an error: everything that may carry one passes through here.

export const MASK = '********';

/** Query parameters and headers that carry a credential in one of the six services' APIs. */
const secretParameters = ['apikey', 'api_key', 'access_token', 'token', 'password', 'pw', 'x-api-key'];

const secretQueryPattern = new RegExp(`([?&](?:${secretParameters.join('|')})=)[^&#\\s]*`, 'gi');
const mediaBrowserTokenPattern = /(Token=")[^"]*(")/gi;
const bearerPattern = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const cookiePattern = /((?:SID|connect\.sid)=)[^;\s]+/gi;
const jsonSecretPattern = /("(?:apiKey|apikey|password|pw|accessToken|AccessToken|Pw|web_ui_password)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;

/**
 * Removes secrets from text: every known secret value, and anything in a place that holds one
 * (apikey= in a URL, Token="..." in a MediaBrowser header, a Bearer token, a session cookie, a JSON key field).
 */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
	let result = text;
	const values = [...secrets].filter((value): value is string => typeof value === 'string' && value.length >= 4);
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
