// The demo and `arrwire lab` run the real NZBGet where it is installed (NZBgeek's Usenet releases then have a client),
// and say so and go on without it where it is not.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {nzbgetInstalled, startLab} from '../../source/lab/lab.js';

describe("the lab's NZBGet, when available", () => {
	it('finds nzbget on PATH or at an absolute path, and not a program that is not there', () => {
		assert.equal(nzbgetInstalled('nzbget'), true, 'this machine has nzbget (apt-get install nzbget)');
		assert.equal(nzbgetInstalled('arrwire-no-such-program'), false);
		assert.equal(nzbgetInstalled('/nonexistent/nzbget'), false);
	});

	it("'when-available' starts the real NZBGet here, and says so", async () => {
		const steps: string[] = [];
		const lab = await startLab({nzbget: 'when-available', defaultPorts: false}, step => steps.push(step));
		try {
			assert.ok(lab.nzbget, steps.join('\n'));
			assert.ok(steps.some(step => /Starting NZBGet \(the real one\)/.test(step)), steps.join('\n'));
			assert.ok(lab.services().some(service => service.name === 'NZBGet'));
		} finally {
			await lab.stop();
		}
	});
});
