// The lab's NZBGet is the real one: it refuses anonymous requests as discovery sees them, answers its control API
// with the lab's credentials, keeps its completed downloads under the lab's /data tree, and is gone after stop.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {NzbgetClient} from '../../source/services/nzbget.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('lab: the real NZBGet', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab({defaultPorts: false, nzbget: true});
	});
	after(async () => {
		await lab?.stop();
	});

	it('answers anonymously with 401 and the realm "NZBGet", as discovery expects', async () => {
		const answer = await fetch(`${lab.nzbget!.url}/jsonrpc`, {method: 'POST', body: '{"method":"version"}', headers: {connection: 'close'}});
		assert.equal(answer.status, 401);
		assert.equal(answer.headers.get('www-authenticate'), 'Basic realm="NZBGet"');
		assert.match(answer.headers.get('server') ?? '', /^nzbget-\d+/);
	});

	it('runs on the lab address with its own nzbget.conf, downloads going to /data/usenet', async () => {
		const nzbget = lab.nzbget!;
		assert.equal(nzbget.host, lab.host);
		const conf = readFileSync(nzbget.configFile, 'utf8');
		assert.match(conf, new RegExp(`^ControlUsername=${nzbget.username}$`, 'm'));
		const client = new NzbgetClient({url: nzbget.url, username: nzbget.username, password: nzbget.password});
		const options = await client.config();
		assert.equal(options.find(option => option.Name === 'DestDir')?.Value, lab.paths.usenet);
		assert.ok(existsSync(lab.paths.usenet));
		assert.ok(lab.services().some(service => service.name === 'NZBGet' && service.url === nzbget.url));
	});

	it('is stopped with the lab', async () => {
		const {pid} = lab.nzbget!;
		await lab.stop();
		assert.throws(() => process.kill(pid, 0), /ESRCH/);
	});
});
