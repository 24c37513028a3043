import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {drawOnTerminal} from '../../source/app/terminal-env.js';

describe('the wizard draws on a terminal where CI is set', () => {
	it('drops CI and CONTINUOUS_INTEGRATION when both ends are a terminal', () => {
		const env: NodeJS.ProcessEnv = {CI: 'true', CONTINUOUS_INTEGRATION: '1', HOME: '/root'};
		assert.deepEqual(drawOnTerminal({stdin: {isTTY: true}, stdout: {isTTY: true}}, env), ['CI', 'CONTINUOUS_INTEGRATION']);
		assert.deepEqual(env, {HOME: '/root'});
	});

	it('leaves them when either end is not a terminal (a pipe, a log file)', () => {
		for (const streams of [{stdin: {isTTY: false}, stdout: {isTTY: true}}, {stdin: {isTTY: true}, stdout: {}}]) {
			const env: NodeJS.ProcessEnv = {CI: 'true'};
			assert.deepEqual(drawOnTerminal(streams, env), []);
			assert.deepEqual(env, {CI: 'true'});
		}
	});
});
