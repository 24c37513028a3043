// When arrwire asks before a change, and which links a run takes: the rules both the wizard and `arrwire apply` follow.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {beforeChange, linksToApply} from '../../source/present/apply-rules.js';

describe('before a change', () => {
	it('the wizard\'s "apply all" and apply --yes make changes arrwire proposes, but ask about a hand-made entry, "no" by default', () => {
		assert.deepEqual(beforeChange({handMade: false}, {yes: true, canAsk: true}), {do: 'make'});
		const handMade = beforeChange({handMade: true}, {yes: true, canAsk: true});
		assert.equal(handMade.do, 'ask');
		assert.equal(handMade.do === 'ask' && handMade.byDefault, false);
	});

	it('step by step (or apply without --yes) asks about every change, "yes" by default', () => {
		const step = beforeChange({handMade: false}, {yes: false, canAsk: true});
		assert.deepEqual(step, {do: 'ask', question: 'Make this change?', byDefault: true});
	});

	it('without a terminal, a hand-made entry is left alone unless --yes-hand-made is given', () => {
		assert.equal(beforeChange({handMade: true}, {yes: true, canAsk: false}).do, 'leave');
		assert.deepEqual(beforeChange({handMade: true}, {yes: true, yesHandMade: true, canAsk: false}), {do: 'make'});
	});
});

describe('the links a run takes', () => {
	const plans = [
		{id: 'a', changes: [1]},
		{id: 'b', changes: [1, 2]},
		{id: 'c', changes: []},
		{id: 'd', changes: [], error: 'no client yet'},
	];

	it('the kept links with changes, then the unreadable ones (read again after the links before them)', () => {
		assert.deepEqual(linksToApply(plans, new Set(['b'])), ['a', 'd']);
	});

	it('nothing kept: nothing to apply, unreadable links or not', () => {
		assert.deepEqual(linksToApply(plans, new Set(['a', 'b'])), []);
	});
});
