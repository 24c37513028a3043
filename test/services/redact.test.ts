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

	it('the mask shows that something was there, never what', () => {
		assert.equal(redact('http://h/a?apikey=abcdef'), 'http://h/a?apikey=********');
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

	it('every query parameter that carries a credential, whatever its case; others are left', () => {
		for (const name of ['apikey', 'api_key', 'access_token', 'token', 'password', 'pw', 'x-api-key', 'ma_password']) {
			assert.equal(redact(`http://h/a?${name}=v1&${name.toUpperCase()}=v2`), `http://h/a?${name}=${MASK}&${name.toUpperCase()}=${MASK}`, name);
		}
		assert.equal(redact('http://h/a?user=admin&mode=queue&tokenize=1'), 'http://h/a?user=admin&mode=queue&tokenize=1');
		assert.equal(redact('path/apikey=abc and apikey=def'), 'path/apikey=abc and apikey=def', 'only after ? or &');
		assert.equal(redact('http://h/a?apikey=\n'), `http://h/a?apikey=${MASK}\n`);
		assert.equal(redact('http://h/a?apikey=abc\tdone'), `http://h/a?apikey=${MASK}\tdone`);
	});

	it('each place that holds a credential, as often as it appears and whatever the case of its name', () => {
		assert.equal(redact('token="abcd" TOKEN="efgh"'), `token="${MASK}" TOKEN="${MASK}"`);
		assert.equal(redact('Token="" then'), `Token="${MASK}" then`);
		assert.equal(redact('bearer a1 and BEARER\t\tb2'), `bearer ${MASK} and BEARER\t\t${MASK}`);
		assert.equal(redact('Bearer abc def'), `Bearer ${MASK} def`, 'the token ends at a space');
		assert.equal(redact('sid=a1; SID=b2 CONNECT.SID=c3\tend'), `sid=${MASK}; SID=${MASK} CONNECT.SID=${MASK}\tend`);
	});

	it('every JSON field that holds a credential, as often as it appears; another field is left', () => {
		for (const name of ['apiKey', 'apikey', 'password', 'pw', 'accessToken', 'AccessToken', 'Pw', 'web_ui_password']) {
			assert.equal(redact(`{"${name}":"s1","x":{"${name}"  :  "s2"}}`), `{"${name}":"${MASK}","x":{"${name}"  :  "${MASK}"}}`, name);
		}
		assert.equal(redact('{"passwordHint":"s1","APIKEY":"s2","username":"admin"}'), '{"passwordHint":"s1","APIKEY":"s2","username":"admin"}');
		assert.equal(redact('{"apiKey":"a\\\\"}, "name": "b"'), `{"apiKey":"${MASK}"}, "name": "b"`, 'an escaped backslash ends before the quote');
	});

	it('a value of exactly four characters is a secret; given ones are used even when nothing is registered', () => {
		assert.equal(redact('pin 4321 here', ['4321']), `pin ${MASK} here`);
		rememberSecret('wxyz');
		assert.equal(redact('wxyz'), MASK);
		assert.equal(redact('no 1234', [undefined, '1234']), `no ${MASK}`);
	});

	it('redactUrl: a user name alone, a password alone, and a text that is no URL', () => {
		assert.equal(redactUrl('http://admin@127.0.0.1:8080/x'), 'http://127.0.0.1:8080/x');
		assert.equal(redactUrl('http://:hunter2@127.0.0.1:8080/x'), 'http://127.0.0.1:8080/x');
		assert.equal(redactUrl(new URL('http://127.0.0.1:8080/x?y=1')), 'http://127.0.0.1:8080/x?y=1');
		assert.equal(redactUrl('127.0.0.1:8080/api?apikey=abc'), `127.0.0.1:8080/api?apikey=${MASK}`);
		assert.equal(redactUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080', 'a URL without credentials is left as written');
		assert.equal(redactUrl('http://127.0.0.1/s3cr3t-path', ['s3cr3t-path']), `http://127.0.0.1/${MASK}`);
	});

	it('redactUrl drops user-info and query credentials', () => {
		assert.equal(redactUrl(`http://admin:hunter2@127.0.0.1:8080/x?apikey=${KEY}`), `http://127.0.0.1:8080/x?apikey=${MASK}`);
	});

	it('maskSecret says whether a secret is set, never what it is', () => {
		assert.equal(maskSecret(KEY), MASK);
		assert.equal(maskSecret(undefined), '(not set)');
		assert.equal(maskSecret(null), '(not set)');
		assert.equal(maskSecret(''), '(not set)');
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

	it('forgetSecrets forgets every one', () => {
		rememberSecret('forget-me-1');
		forgetSecrets();
		assert.equal(redact('forget-me-1'), 'forget-me-1');
	});

	it('the mask itself is never registered', () => {
		rememberSecret(MASK);
		assert.equal(redact(`value ${MASK}`), `value ${MASK}`);
	});

	it('the names that carry a secret, whole and in any case; names that only contain one are not', () => {
		const sent = ['apikey', 'api_key', 'ApiKey', 'password', 'pw', 'passwd', 'token', 'access_token', 'accessToken', 'web_ui_password', 'secret', 'client_secret', 'clientSecret'];
		rememberSentSecrets(Object.fromEntries(sent.map((name, index) => [name, `value-${index}-of-${name}`])));
		rememberSentSecrets({passwordHint: 'hint-kept', mytoken: 'mine-kept', username: 'admin-kept'});
		for (const [index, name] of sent.entries()) {
			assert.equal(redact(`value-${index}-of-${name}`), MASK, name);
		}
		assert.equal(redact('hint-kept mine-kept admin-kept'), 'hint-kept mine-kept admin-kept');
	});

	it('provider fields whose name ends in a secret word; the value of any other field is left', () => {
		rememberSentSecrets([
			{name: 'passkey', value: 'provider-1'},
			{name: 'settings.API_KEY', value: 'provider-2'},
			{name: 'token', value: 'provider-3'},
			{name: 'clientSecret', value: 'provider-4'},
			{name: 'passwordHint', value: 'provider-kept'},
			{name: 'password', value: 4321},
		]);
		assert.equal(redact('provider-1 provider-2 provider-3 provider-4 provider-kept 4321'), `${MASK} ${MASK} ${MASK} ${MASK} provider-kept 4321`);
	});

	it('nothing, text, a form field that only looks like JSON: ignored without a throw', () => {
		for (const body of [null, undefined, 'password=abcd', 42, {json: '{not json'}, {json: 'plain text'}]) {
			rememberSentSecrets(body);
		}
		assert.equal(redact('abcd {not json plain text'), 'abcd {not json plain text');
		rememberSentSecrets({json: ' {"password":"in-json-1"}', other: 'x{"password":"in-json-2"}'});
		assert.equal(redact('in-json-1 in-json-2'), 'in-json-1 in-json-2', 'only a text that starts with { is read as JSON');
	});

	it('secrets are looked for eight levels deep, no deeper', () => {
		const nested = (depth: number, leaf: object): object => (depth === 0 ? leaf : {inner: nested(depth - 1, leaf)});
		rememberSentSecrets(nested(8, {password: 'at-depth-8'}));
		rememberSentSecrets(nested(9, {password: 'at-depth-9'}));
		rememberSentSecrets([[[[[[[[{password: 'in-arrays-8'}]]]]]]]]);
		rememberSentSecrets([[[[[[[[[{password: 'in-arrays-9'}]]]]]]]]]);
		assert.equal(redact('at-depth-8 at-depth-9 in-arrays-8 in-arrays-9'), `${MASK} at-depth-9 ${MASK} in-arrays-9`);
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
