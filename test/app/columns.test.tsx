// An 80x24 terminal over SSH: every key hint visible, long paths shown whole on request, skipped links named with
// their reason, a change the user said no to shown as skipped (not failed).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {ApplyScreen} from '../../source/app/apply-screen.js';
import type {LinkPlanView} from '../../source/app/controller.js';
import {keyLines} from '../../source/app/frame.js';
import {PlanScreen} from '../../source/app/plan-screen.js';
import {linkStates, type RunOutcome} from '../../source/present/stack-map.js';
import {SummaryScreen} from '../../source/app/summary-screen.js';
import {change, fakeController} from './fake-controller.js';
import {KEY, plain, send, until, waitForFrame, widest} from './keys.js';

const longPath = '/srv/storage/pool-one/very/long/path/to/the/media/library/of/this/household/television-series/that/never/ends';
const plan = (id: string, title: string, changes = [change(id, `entry of ${id}`)], extra: Partial<LinkPlanView> = {}): LinkPlanView => ({id, title, services: ['Sonarr'], optional: false, changes, ...extra});

const plans: LinkPlanView[] = [
	plan('sonarr-root-folder', 'Sonarr root folder', [change('sonarr-root-folder', 'root folder', {fields: [{name: 'path', to: longPath}]})]),
	plan('sonarr-download-client', 'Sonarr -> qBittorrent download client'),
	plan('jellyseerr-sonarr', 'Jellyseerr -> Sonarr', [], {skipped: 'Jellyseerr was not found'}),
	plan('jellyseerr-radarr', 'Jellyseerr -> Radarr', [], {skipped: 'Jellyseerr was not found'}),
];

const rows = (frame: string) => plain(frame).replace(/\n+$/, '').split('\n').length;

describe('80 columns', () => {
	it('the plan screen shows every key hint (q quit included), names the skipped links and why, and fits 80x24', async () => {
		const {lastFrame, frames, unmount} = render(<PlanScreen controller={fakeController({plans})} onApply={() => undefined} onFinish={() => undefined} />);
		const frame = plain(await waitForFrame(lastFrame, /apply all kept/));
		assert.match(frame, /^↑↓ link · space skip\/keep · enter apply all kept · s step by step · d details\nesc back · q quit$/m);
		assert.match(frame, /2 skipped/);
		assert.match(frame, /Skipped: Jellyseerr -> Sonarr \(Jellyseerr was not found\); Jellyseerr -> Radarr\s+\(Jellyseerr was not found\)\./);
		assert.ok(widest(frames) <= 80, `widest line: ${widest(frames)}`);
		assert.ok(rows(frame) <= 23, `${rows(frame)} rows:\n${frame}`);
		unmount();
	});

	it('a long path is cut in the list, and d shows it whole, wrapped, with the skipped links and why', async () => {
		const {lastFrame, frames, stdin, unmount} = render(<PlanScreen controller={fakeController({plans})} onApply={() => undefined} onFinish={() => undefined} />);
		const list = plain(await waitForFrame(lastFrame, /apply all kept/));
		assert.ok(!list.includes(longPath));
		assert.match(list, /d shows them all, whole/);
		send(stdin, 'd');
		const details = plain(await waitForFrame(lastFrame, /back to the list/));
		assert.ok(details.replace(/\n\s*/g, '').includes(longPath), details);
		assert.match(details, /Skipped: Jellyseerr -> Radarr: Jellyseerr was not found\./);
		assert.ok(widest(frames) <= 80);
		unmount();
	});

	it('step by step, "n" to a change: left alone and shown as skipped by the user, not as a failure', async () => {
		const twoChanges = [plan('sonarr-download-client', 'Sonarr -> qBittorrent download client', [change('sonarr-download-client', 'download client "qBittorrent"'), change('sonarr-download-client', 'tag "tv"')])];
		let outcome: RunOutcome | undefined;
		const {lastFrame, frames, stdin, unmount} = render(<ApplyScreen controller={fakeController({plans: twoChanges})} links={['sonarr-download-client']} mode="step" planned={2} titles={{'sonarr-download-client': 'Sonarr -> qBittorrent download client'}} onDone={result => (outcome = result)} />);
		await waitForFrame(lastFrame, /create download client "qBittorrent"[\s\S]*Make this change\?/);
		send(stdin, 'y');
		await waitForFrame(lastFrame, /create tag "tv"[\s\S]*Make this change\?/);
		send(stdin, 'n');
		const frame = plain(await waitForFrame(lastFrame, /1 change\(s\) made, 1 left alone/));
		assert.match(frame, /- left alone: Sonarr: create tag "tv"/);
		assert.match(frame, /○ skipped by you: Sonarr -> qBittorrent download client/);
		assert.doesNotMatch(frame, /✖/);
		send(stdin, KEY.enter);
		await until(() => outcome !== undefined, () => 'enter did not finish');
		assert.deepEqual(linkStates(twoChanges, outcome!, new Set()), {'sonarr-download-client': 'skipped'});

		const summary = render(<SummaryScreen services={[]} plans={twoChanges} outcome={outcome!} userSkipped={new Set()} onExit={() => undefined} />);
		assert.match(summary.lastFrame()!, /✖ failed 0 {2}○ skipped 1/);
		assert.doesNotMatch(summary.lastFrame()!, /Some links failed/);
		summary.unmount();
		assert.ok(widest(frames) <= 80);
		unmount();
	});

	it('every frame of a run of 20 changes fits 80x24: the bar, the spinner over a long change, the log and the outcome', async () => {
		const many = [plan('sonarr-root-folder', 'Sonarr root folder', Array.from({length: 20}, (_, index) => change('sonarr-root-folder', `root folder ${index} ${longPath}`)))];
		const {lastFrame, frames, unmount} = render(<ApplyScreen controller={fakeController({plans: many})} links={['sonarr-root-folder']} mode="all" planned={20} onDone={() => undefined} />);
		const frame = plain(await waitForFrame(lastFrame, /20 change\(s\) made, 0 left alone/));
		assert.match(frame, /^█{30} 20 of 20 change\(s\) made$/m);
		// The change being made, beside the spinner and wrapped under its own first column.
		assert.ok(frames.some(candidate => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Sonarr: create root folder \d+\n {2}\/srv\/storage\//m.test(plain(candidate))), 'the spinner never showed a change being made');
		assert.ok(widest(frames) <= 80, `widest line: ${widest(frames)}`);
		// 23 rows: the 24th is the quit question's.
		const tallest = frames.reduce((most, candidate) => (rows(candidate) > rows(most) ? candidate : most), '');
		assert.ok(rows(tallest) <= 23, `${rows(tallest)} rows:\n${plain(tallest)}`);
		unmount();
	});

	it('key hints are broken between hints, never inside one', () => {
		assert.deepEqual(keyLines('↑↓ link · space skip/keep · enter apply all kept · s step by step · d details · esc back · q quit'), [
			'↑↓ link · space skip/keep · enter apply all kept · s step by step · d details',
			'esc back · q quit',
		]);
		assert.deepEqual(keyLines('enter exit · q quit'), ['enter exit · q quit']);
	});
});
