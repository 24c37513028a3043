// Discovery of the real NZBGet: found by its own login realm (never by its port), its login read from its
// nzbget.conf and checked live; a wrong password is said as refused; nzbget.conf parsed without its comments.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {checkKnownCredentials} from '../../source/discovery/collect.js';
import {parseNzbgetConf} from '../../source/discovery/config-files.js';
import {checkCredential} from '../../source/discovery/credentials.js';
import {discover} from '../../source/discovery/discover.js';
import {fingerprint} from '../../source/discovery/fingerprint.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {freePort} from '../../source/lab/qbittorrent.js';
import http from 'node:http';

describe('discovery: NZBGet', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab({nzbget: true});
	});
	after(async () => {
		await lab?.stop();
	});

	it('is found by its login realm, with its version from its Server header', async () => {
		const found = await fingerprint(lab.nzbget!.host, lab.nzbget!.port);
		assert.equal(found?.found, 'service');
		assert.equal(found.found === 'service' && found.kind, 'nzbget');
		assert.equal(found.found === 'service' && found.version, lab.nzbget!.version);
		assert.equal(found.found === 'service' && found.identifiedBy, 'its login realm "NZBGet"');
	});

	it('another program asking for a login on 6789 is not NZBGet', async () => {
		const host = '127.0.0.1';
		const port = await freePort(host);
		const server = http.createServer((_request, response) => {
			response.writeHead(401, {'www-authenticate': 'Basic realm="Router"'}).end();
		});
		await new Promise<void>(resolve => server.listen(port, host, resolve));
		try {
			const found = await fingerprint(host, port);
			assert.equal(found?.found, 'unknown');
		} finally {
			server.close();
		}
	});

	it('on the lab address: found beside the others, its login read from its nzbget.conf and accepted live', async () => {
		const found = await discover({localhost: false, hosts: [lab.host], docker: false, configFolders: [path.join(lab.paths.root, 'config')], nativeConfigFiles: false});
		const nzbget = found.services.find(service => service.kind === 'nzbget');
		assert.ok(nzbget, JSON.stringify(found.services.map(service => service.kind)));
		assert.equal(nzbget.url, lab.nzbget!.url);
		const [state] = await checkKnownCredentials([nzbget]);
		assert.equal(state!.from, `${lab.nzbget!.configFile} (${path.join(lab.paths.root, 'config')})`);
		assert.equal(state!.check?.ok, true, JSON.stringify(state!.check));
		assert.equal(state!.check?.ok && state!.check.version, lab.nzbget!.version);
	});

	it('a wrong password is refused, with where to find the right one, and is not shown', async () => {
		const check = await checkCredential({kind: 'nzbget', url: lab.nzbget!.url}, {username: lab.nzbget!.username, password: 'wrong-password-123'});
		assert.equal(check.ok, false);
		assert.equal(!check.ok && check.reason, 'refused');
		assert.match(!check.ok ? check.fix : '', /ControlPassword in its nzbget\.conf/);
		assert.ok(!JSON.stringify(check).includes('wrong-password-123'));
	});

	it('parses nzbget.conf options, ignoring comments', () => {
		assert.deepEqual(parseNzbgetConf('# ControlPassword=commented\nControlIP=0.0.0.0\nControlPort=6790\nControlUsername=me\nControlPassword=p=w\n'), {port: 6790, address: '0.0.0.0', username: 'me', password: 'p=w'});
		assert.throws(() => parseNzbgetConf('[Section]\nkey=value\n'), /not an nzbget\.conf/);
	});
});
