// redact(): what it removes from a text (known values, the places that hold a credential) and the run-wide registry
// that lets any message be cleaned of a secret another service was given.
import assert from 'node:assert/strict';
import {afterEach, describe, it} from 'node:test';
import {MASK, forgetSecrets, maskSecret, redact, redactUrl, rememberSecret, rememberSecrets, rememberSentSecrets} from '../../source/services/redact.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('redact', () => {
	afterEach(() => {
		forgetSecrets();
	});

	it('removes a known value wherever it appears, as often as it appears', () => {
		assert.equal(redact(`key ${KEY} and again ${KEY}.`, [KEY]), `key ${MASK} and again ${MASK}.`);
	});

	it('removes the URL-encoded form of a known value', () => {
		const password = 'p@ss word/+&';
		const text = `login failed for ${encodeURIComponent(password)} (raw: ${password})`;
		const result = redact(text, [password]);
		assert.ok(!result.includes(password) && !result.includes(encodeURIComponent(password)), result);
	});

	it('removes apikey=, api_key=, token= and password= from URLs whatever the value', () => {
		assert.equal(redact('GET http://h:9696/1/api?t=caps&apikey=zzzz&x=1'), `GET http://h:9696/1/api?t=caps&apikey=${MASK}&x=1`);
		assert.equal(redact('http://h/a?api_key=abc#frag'), `http://h/a?api_key=${MASK}#frag`);
		assert.equal(redact('http://h/a?ApiKey=abc&token=def'), `http://h/a?ApiKey=${MASK}&token=${MASK}`);
		assert.equal(redact('see http://h/login?user=a&password=hunter2 now'), `see http://h/login?user=a&password=${MASK} now`);
	});

	it('removes a MediaBrowser Token="…", a Bearer token and session cookies', () => {
		assert.equal(redact('MediaBrowser Client="arrwire", Token="abcdef123"'), `MediaBrowser Client="arrwire", Token="${MASK}"`);
		assert.equal(redact('authorization: Bearer eyJhbGciOi.J9x_y-z'), `authorization: Bearer ${MASK}`);
		assert.equal(redact('cookie: SID=0a1b2c3d; path=/'), `cookie: SID=${MASK}; path=/`);
		assert.equal(redact('cookie: connect.sid=s%3Aabc.def'), `cookie: connect.sid=${MASK}`);
	});

	it('removes JSON secret fields but leaves empty and masked ones as they are', () => {
		assert.equal(redact('{"apiKey":"abc","name":"x"}'), `{"apiKey":"${MASK}","name":"x"}`);
		assert.equal(redact('{"password" : "with \\"quote\\""}'), `{"password" : "${MASK}"}`);
		assert.equal(redact('{"web_ui_password":"","AccessToken":"t0k3n"}'), `{"web_ui_password":"","AccessToken":"${MASK}"}`);
		assert.equal(redact(`{"apiKey":"${MASK}"}`), `{"apiKey":"${MASK}"}`);
	});

	it('removes the longest secret first, so one that contains another goes whole', () => {
		const short = 'abcd1234';
		const long = `${short}XYZW`;
		assert.equal(redact(`long=${long} short=${short}`, [short, long]), `long=${MASK} short=${MASK}`);
	});

	it('ignores values too short to be secrets (they would blank out ordinary words)', () => {
		assert.equal(redact('a 12 on port 8989', ['12', 'a', '']), 'a 12 on port 8989');
		rememberSecret('abc');
		assert.equal(redact('abc'), 'abc');
	});

	it('redactUrl drops user-info and query credentials', () => {
		assert.equal(redactUrl(`http://admin:hunter2@127.0.0.1:8080/x?apikey=${KEY}`), `http://127.0.0.1:8080/x?apikey=${MASK}`);
	});

	it('maskSecret says whether a secret is set, never what it is', () => {
		assert.equal(maskSecret(KEY), MASK);
		assert.equal(maskSecret(undefined), '(not set)');
	});
});

describe('the secrets registry', () => {
	afterEach(() => {
		forgetSecrets();
	});

	it('a remembered secret is removed from every later message, with no list given', () => {
		assert.equal(redact(`qBittorrent password is s3cret-pass`), 'qBittorrent password is s3cret-pass');
		rememberSecret('s3cret-pass');
		assert.equal(redact(`qBittorrent password is s3cret-pass`), `qBittorrent password is ${MASK}`);
		rememberSecrets([undefined, null, KEY]);
		assert.equal(redact(`Unable to connect to Sonarr with key ${KEY}`, ['other-secret']), `Unable to connect to Sonarr with key ${MASK}`);
	});

	it('the mask itself is never registered', () => {
		rememberSecret(MASK);
		assert.equal(redact(`value ${MASK}`), `value ${MASK}`);
	});

	it('what a request sends is registered: JSON fields, provider fields, form fields, JSON inside a form field', () => {
		rememberSentSecrets({
			name: 'qBittorrent',
			fields: [
				{name: 'host', value: 'qbittorrent.local'},
				{name: 'password', value: 'qb-password-1'},
				{name: 'apiKey', value: 'nzbgeek-key-2'},
				{name: 'baseSettings.apiKey', value: 'sonarr-key-3'},
			],
		});
		rememberSentSecrets({Name: 'admin', Password: 'jellyfin-pass-4'});
		rememberSentSecrets({username: 'admin', password: 'qb-login-5'});
		rememberSentSecrets({json: JSON.stringify({web_ui_password: 'generated-6', save_path: '/data'})});
		const text = 'qb-password-1 nzbgeek-key-2 sonarr-key-3 jellyfin-pass-4 qb-login-5 generated-6 qbittorrent.local /data admin';
		assert.equal(redact(text), `${MASK} ${MASK} ${MASK} ${MASK} ${MASK} ${MASK} qbittorrent.local /data admin`);
	});
});
