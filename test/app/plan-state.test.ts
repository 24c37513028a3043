// The Plan step's state without Ink: the cursor stays on the list, space skips and keeps, and the choice takes the
// kept links and the unreadable ones (read again when they run), or goes to the summary when nothing is kept.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {LinkPlanView} from '../../source/app/controller.js';
import {initialPlan, planChoice, planCounts, planReducer, type PlanAction} from '../../source/app/plan-state.js';
import {change} from './fake-controller.js';

const plan = (id: string, changes = [change(id, `entry of ${id}`)], extra: Partial<LinkPlanView> = {}): LinkPlanView => ({id, title: id, services: ['Sonarr'], optional: false, changes, ...extra});
const plans = [plan('a'), plan('b'), plan('c', [], {error: 'Sonarr has no download client yet'}), plan('d', [], {skipped: 'Jellyseerr was not found'})];
const run = (...actions: PlanAction[]) => actions.reduce(planReducer, initialPlan);

describe('the plan step', () => {
	it('the cursor moves within the list', () => {
		assert.equal(run({type: 'up'}).cursor, 0);
		assert.equal(run({type: 'down', count: 2}, {type: 'down', count: 2}, {type: 'down', count: 2}).cursor, 1);
	});

	it('space skips a link and keeps it again', () => {
		assert.deepEqual([...run({type: 'toggle', id: 'a'}).skipped], ['a']);
		assert.deepEqual([...run({type: 'toggle', id: 'a'}, {type: 'toggle', id: 'a'}).skipped], []);
	});

	it('apply takes the kept links, then the unreadable one; step by step keeps the mode', () => {
		const choice = planChoice(plans, run({type: 'toggle', id: 'a'}), 'step');
		assert.deepEqual(choice, {next: 'apply', plans, links: ['b', 'c'], skipped: ['a'], mode: 'step'});
	});

	it('counts: linked, to change with how many changes, skipped, unreadable', () => {
		assert.deepEqual(planCounts([...plans, plan('e', [])]), {links: 5, linked: 1, toChange: 2, changes: 2, skipped: 1, unreadable: 1});
	});

	it('every link skipped: nothing runs, the summary comes next', () => {
		assert.deepEqual(planChoice(plans, run({type: 'toggle', id: 'a'}, {type: 'toggle', id: 'b'}), 'all'), {next: 'finish'});
	});
});
