// A chunk from the terminal is split into the keys it holds, and typing them into a field stops at the first Enter.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {splitKeys, typeInto, type KeyPress} from '../../source/app/keys.js';

const names = (keys: KeyPress[]) => keys.map(({input, key}) => (key.return ? '⏎' : key.backspace ? '⌫' : key.escape ? 'esc' : key.upArrow ? '↑' : key.ctrl ? `^${input}` : input));
const field = (value: string) => ({value, cursor: value.length});

describe('splitKeys', () => {
	it('text and Enters in one chunk are separate keys, in order', () => {
		assert.deepEqual(names(splitKeys('admin\r')), ['a', 'd', 'm', 'i', 'n', '⏎']);
		assert.deepEqual(names(splitKeys('\r\r')), ['⏎', '⏎']);
		assert.deepEqual(names(splitKeys('ab\ncd\n')), ['a', 'b', '⏎', 'c', 'd', '⏎']);
	});

	it('"\\r\\n" is one Enter; backspace, ctrl and escape sequences are keys, not text', () => {
		assert.deepEqual(names(splitKeys('key\r\n')), ['k', 'e', 'y', '⏎']);
		assert.deepEqual(names(splitKeys('ab\u007F\b')), ['a', 'b', '⌫', '⌫']);
		assert.deepEqual(names(splitKeys('\u0003')), ['^c']);
		assert.deepEqual(names(splitKeys('\u001B')), ['esc']);
		assert.deepEqual(names(splitKeys('\u001B[A')), ['↑']);
		assert.equal(splitKeys('\u001B[6~')[0]!.key.pageDown, true);
		assert.equal(splitKeys('\u001B[1;5C')[0]!.key.rightArrow, true);
	});

	it('a character outside the basic plane is one key', () => {
		assert.deepEqual(names(splitKeys('p🔑\r')), ['p', '🔑', '⏎']);
	});
});

describe('typeInto', () => {
	it('types the text, and the first Enter submits; what follows it is handed back, not typed in', () => {
		assert.deepEqual(typeInto(field(''), splitKeys('admin\r')), {value: 'admin', cursor: 5, submitted: true, rest: []});
		const typed = typeInto(field(''), splitKeys('admin\rsecret\r'));
		assert.equal(typed.value, 'admin');
		assert.equal(typed.submitted, true);
		assert.deepEqual(names(typed.rest), ['s', 'e', 'c', 'r', 'e', 't', '⏎']);
	});

	it('a double Enter on a filled field submits it unchanged and hands back the second Enter', () => {
		const typed = typeInto(field('admin'), splitKeys('\r\r'));
		assert.equal(typed.value, 'admin');
		assert.deepEqual(names(typed.rest), ['⏎']);
	});

	it('a pasted line with its newline (\\r, \\n or \\r\\n) submits the line once', () => {
		for (const ending of ['\r', '\n', '\r\n']) {
			const typed = typeInto(field(''), splitKeys(`k3y-pasted${ending}`));
			assert.deepEqual({value: typed.value, submitted: typed.submitted, rest: typed.rest.length}, {value: 'k3y-pasted', submitted: true, rest: 0}, JSON.stringify(ending));
		}
	});

	it('no Enter: nothing submitted; backspace, delete and the arrows edit at the cursor; control keys type nothing', () => {
		assert.deepEqual(typeInto(field('ab'), splitKeys('c\u007F\u007Fx')), {value: 'ax', cursor: 2, submitted: false, rest: []});
		const left = typeInto(field('ac'), [...splitKeys('\u001B[D'), ...splitKeys('b')]);
		assert.deepEqual({value: left.value, cursor: left.cursor}, {value: 'abc', cursor: 2});
		const deleted = typeInto({value: 'abc', cursor: 0}, splitKeys('\u001B[3~'));
		assert.equal(deleted.value, 'bc');
		assert.equal(typeInto(field('a'), splitKeys('\t\u0001\u001B')).value, 'a');
		assert.equal(typeInto(field(''), splitKeys('\u007F')).value, '');
	});
});
