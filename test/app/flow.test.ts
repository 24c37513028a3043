// The wizard's flow without Ink: the steps in order, esc going back where the table says, what each step hands on,
// and the exit code the summary gives.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {DiscoverySummary, LinkPlanView} from '../../source/app/controller.js';
import {backOf, chosenChanges, EXIT, flowReducer, initialFlow, serviceMarks, STEPS, summaryExitCode, type FlowEvent, type FlowState} from '../../source/app/flow.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import {change, SIX} from './fake-controller.js';

const plan = (id: string, changes = [change(id, `entry of ${id}`)], extra: Partial<LinkPlanView> = {}): LinkPlanView => ({id, title: id, services: ['Sonarr'], optional: false, changes, ...extra});
const discovery: DiscoverySummary = {services: SIX.slice(0, 2), unknown: [], elapsedMs: 10, containers: 'none'};
const run = (...events: FlowEvent[]): FlowState => events.reduce(flowReducer, initialFlow);

describe('the wizard flow', () => {
	it('goes Discover, Credentials, Checks, Plan, Apply, Summary, carrying the discovery, the plans and the choice', () => {
		const plans = [plan('a'), plan('b', [change('b', 'x'), change('b', 'y')])];
		const states = [
			run(),
			run({type: 'discovered', discovery}),
			run({type: 'discovered', discovery}, {type: 'credentials-done'}),
			run({type: 'discovered', discovery}, {type: 'credentials-done'}, {type: 'checks-done'}),
		];
		assert.deepEqual(
			states.map(state => state.step),
			STEPS.slice(0, 4),
		);
		const applying = flowReducer(states[3]!, {type: 'apply-chosen', plans, links: ['b'], skipped: ['a'], mode: 'step'});
		assert.equal(applying.step, 'Apply');
		assert.equal(applying.discovery, discovery);
		assert.equal(chosenChanges(applying), 2, 'the progress counts only the chosen links\' changes');
		const done = flowReducer(applying, {type: 'applied', outcome: {applied: plans[1]!.changes, declined: [], verified: {b: []}}});
		assert.equal(done.step, 'Summary');
		assert.equal(summaryExitCode(done), EXIT.ok);
	});

	it('esc goes back only where the table says: never out of Apply, never before Discover; from the summary to the plan', () => {
		assert.equal(backOf('Discover'), undefined);
		assert.equal(backOf('Apply'), undefined);
		assert.equal(backOf('Summary'), 'Plan');
		const applying = {...initialFlow, step: 'Apply' as const};
		assert.equal(flowReducer(applying, {type: 'back'}), applying);
		assert.equal(run({type: 'discovered', discovery}, {type: 'credentials-done'}, {type: 'back'}).step, 'Credentials');
	});

	it('a wired stack: finished with the doctor report goes to the summary, and a link doctor finds broken makes the exit code 1', () => {
		const plans = [plan('a', []), plan('b', [])];
		const broken = {id: 'x', severity: 'error', subject: 'b', cause: 'broken', fix: 'fix it'} as const;
		const doctor: DoctorReport = {
			ok: false,
			outcome: 'faults',
			notChecked: [],
			services: [],
			links: [
				{id: 'a', title: 'a', optional: false, state: 'linked', findings: [], repairs: []},
				{id: 'b', title: 'b', optional: false, state: 'failed', findings: [broken], repairs: []},
			],
			serviceFindings: [],
			pathFindings: [],
			securityFindings: [],
		};
		const finished = run({type: 'finished', plans, doctor});
		assert.equal(finished.step, 'Summary');
		assert.equal(summaryExitCode(finished), EXIT.failed);
		assert.equal(summaryExitCode(run({type: 'finished', plans})), EXIT.ok);
		// Doctor's verdict is the wizard's: a fault of a service (every link linked) is a fault too.
		const serviceDown: DoctorReport = {
			...doctor,
			links: doctor.links.map(link => ({...link, state: 'linked', findings: []})),
			serviceFindings: [{id: 'service.down', severity: 'error', subject: 'Radarr', cause: 'Radarr does not answer.', fix: 'Start Radarr.'}],
		};
		assert.equal(summaryExitCode(run({type: 'finished', plans, doctor: serviceDown})), EXIT.failed);
	});

	it('the quit question comes and goes without leaving the step', () => {
		const asked = run({type: 'discovered', discovery}, {type: 'quit-asked'});
		assert.deepEqual([asked.step, asked.quitting], ['Credentials', true]);
		assert.equal(flowReducer(asked, {type: 'quit-cancelled'}).quitting, false);
	});

	it('the services on the summary: found with an accepted credential, found without one, or not found', () => {
		const marks = serviceMarks(discovery, [{kind: 'prowlarr', name: 'Prowlarr', need: 'api-key', where: '', check: {ok: true, kind: 'prowlarr', detail: 'ok'}}]);
		assert.deepEqual(marks.slice(0, 3), [
			{name: 'Prowlarr', state: 'ready'},
			{name: 'Sonarr', state: 'no-credential'},
			{name: 'Radarr', state: 'missing'},
		]);
		// The Usenet clients are optional: shown when found, not as missing when not.
		assert.ok(!marks.some(mark => mark.name === 'NZBGet' || mark.name === 'SABnzbd'), JSON.stringify(marks));
	});
});
