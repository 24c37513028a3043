// Each screen rendered with a fake controller: keys in through stdin, the frame text asserted.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App, EXIT} from '../../source/app/app.js';
import {ApplyScreen} from '../../source/app/apply-screen.js';
import {ChecksScreen} from '../../source/app/checks-screen.js';
import type {LinkPlanView} from '../../source/app/controller.js';
import {CredentialsScreen} from '../../source/app/credentials-screen.js';
import {DiscoverScreen} from '../../source/app/discover-screen.js';
import {PlanScreen} from '../../source/app/plan-screen.js';
import type {RunOutcome} from '../../source/present/stack-map.js';
import {SummaryScreen} from '../../source/app/summary-screen.js';
import {color, widgetTheme} from '../../source/app/theme.js';
import type {Finding} from '../../source/checks/findings.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import {change, fakeController, service, SIX, UNKNOWN} from './fake-controller.js';
import {KEY, plain, send, until, waitForFrame, widest} from './keys.js';
import {ServiceError} from '../../source/services/errors.js';

const plan = (id: string, title: string, changes = [change(id, `entry of ${id}`)], extra: Partial<LinkPlanView> = {}): LinkPlanView => ({id, title, services: ['Sonarr'], optional: false, changes, ...extra});

describe('Discover screen', () => {
	it('shows a spinner, then each service as it is found, unknown answers too, and moves on with enter', async () => {
		const controller = fakeController({found: [...SIX.slice(0, 3), UNKNOWN], discoverDelayMs: 40});
		let done = false;
		const {lastFrame, stdin, unmount} = render(<DiscoverScreen controller={controller} onDone={() => (done = true)} onQuit={() => undefined} />);
		assert.match(lastFrame()!, /Probing Prowlarr, Sonarr, Radarr, Jellyfin, Jellyseerr and download clients…$/m);
		await waitForFrame(lastFrame, /Sonarr/);
		// The Usenet clients are optional: counted only when found, and said apart, by protocol.
		const frame = await waitForFrame(lastFrame, /Found 3 of 6 services in 0\.4 s, and 1 other program/);
		assert.match(frame, /✖ Torrent client: none found — torrent releases cannot be downloaded/);
		assert.match(frame, /✖ Usenet client : none found — NZBgeek's releases cannot be downloaded/);
		assert.match(frame, /10\.0\.0\.5:8081 answers, but is not qBittorrent: nginx welcome page/);
		assert.match(frame, /Not found: qBittorrent, Jellyfin, Jellyseerr/);
		send(stdin, KEY.enter);
		await until(() => done, () => 'enter did not move on');
		unmount();
	});

	it('the version of an *arr that tells it only to an accepted key: shown once its key is accepted, within 80 columns', async () => {
		const sonarr = {...service('sonarr', 'Sonarr', 8989), version: undefined};
		const radarr = {...service('radarr', 'Radarr', 7878), version: undefined};
		const credentials = [
			{kind: 'sonarr' as const, name: 'Sonarr', url: sonarr.url, need: 'api-key' as const, where: 'Sonarr → Settings → General', from: '/config/config.xml', check: {ok: true as const, kind: 'sonarr' as const, version: '4.0.19.2979', detail: 'Sonarr 4.0.19.2979 accepted the API key'}},
			{kind: 'radarr' as const, name: 'Radarr', url: radarr.url, need: 'api-key' as const, where: 'Radarr → Settings → General'},
		];
		const {lastFrame, unmount} = render(<DiscoverScreen controller={fakeController({found: [sonarr, radarr], credentials})} onDone={() => undefined} onQuit={() => undefined} />);
		const frame = await waitForFrame(lastFrame, /Found 2 of 6 services/);
		assert.match(frame, /✔ Sonarr {6}4\.0\.19\.2979 http:\/\/10\.0\.0\.5:8989/);
		// No accepted key, no version: nothing is made up.
		// Its address lines up under Sonarr's, after the longest version.
		assert.match(frame, /✔ Radarr {18}http:\/\/10\.0\.0\.5:7878/);
		assert.ok(frame.split('\n').every(line => line.length <= 80), frame);
		unmount();
	});

	it('the spinner turns before the label while the services are probed', async () => {
		const {lastFrame, frames, unmount} = render(<DiscoverScreen controller={fakeController({found: SIX.slice(0, 1), discoverDelayMs: 2000})} onDone={() => undefined} onQuit={() => undefined} />);
		const spinning = /^([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) Probing Prowlarr, Sonarr, Radarr, Jellyfin, Jellyseerr and download clients…$/m;
		assert.match(lastFrame()!, spinning);
		const shown = () => new Set(frames.map(frame => spinning.exec(frame)?.[1]).filter(Boolean));
		await until(() => shown().size >= 3, () => `the spinner showed only ${[...shown()].join(' ')}`);
		unmount();
	});

	it('nothing found: says what to do, and enter quits', async () => {
		let quit = false;
		const {lastFrame, stdin, unmount} = render(<DiscoverScreen controller={fakeController({found: []})} onDone={() => undefined} onQuit={() => (quit = true)} />);
		await waitForFrame(lastFrame, /Nothing to wire here/);
		send(stdin, KEY.enter);
		await until(() => quit, () => 'enter did not quit');
		unmount();
	});
});

describe('Credentials screen', () => {
	it('asks only for what is missing, masks the password, and shows the check at once', async () => {
		const controller = fakeController();
		let done = false;
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => (done = true)} />);
		const first = await waitForFrame(lastFrame, /qBittorrent is next/);
		assert.match(first, /✔ Sonarr\s+Sonarr 4\.0 accepted the API key; from \/config\/config\.xml/);
		assert.match(first, /Where: qBittorrent → Tools → Options → WebUI/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Password:/);
		send(stdin, 'hunter2-secret');
		await waitForFrame(lastFrame, /Password: \*{14}/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /2 of 2 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'qbittorrent', credential: {username: 'admin', password: 'hunter2-secret'}}]);
		assert.ok(!frames.some(frame => frame.includes('hunter2')), 'the password never shows');
		send(stdin, KEY.enter);
		await until(() => done, () => 'enter did not move on');
		unmount();
	});

	it('qBittorrent refuses once: the reason and fix are shown, it is not asked again, and the ban is explained', async () => {
		const controller = fakeController({
			answers: {qbittorrent: [{ok: false, kind: 'qbittorrent', reason: 'refused', message: 'qBittorrent refused the username or password (HTTP 200).', fix: 'Reset it in qBittorrent.conf.', stopAsking: true}]},
		});
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /qBittorrent is next/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Password:/);
		send(stdin, 'wrong');
		await waitForFrame(lastFrame, /Password: \*{5}/);
		send(stdin, KEY.enter);
		const frame = await waitForFrame(lastFrame, /bans this address for an hour/);
		assert.match(frame, /✖ qBittorrent refused the username or password/);
		assert.match(frame, /fix: Reset it in qBittorrent\.conf\./);
		assert.match(frame, /refused; not asked again/);
		assert.doesNotMatch(frame, /Password:/);
		assert.equal(controller.submitted.length, 1);
		unmount();
	});

	it('a refused API key is asked again; an empty answer skips an optional one', async () => {
		const controller = fakeController({
			credentials: [
				{kind: 'sonarr', name: 'Sonarr', url: 'http://10.0.0.5:8989', need: 'api-key', where: 'Sonarr → Settings → General'},
				{kind: 'nzbgeek', name: 'NZBgeek', need: 'api-key', where: 'nzbgeek.info → My Account → API', optional: true},
			],
			answers: {sonarr: [{ok: false, kind: 'sonarr', reason: 'refused', message: 'Sonarr refused the API key (HTTP 401).', fix: 'Find it in Sonarr → Settings → General.'}]},
		});
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Sonarr is next/);
		send(stdin, 'bad-key');
		await waitForFrame(lastFrame, /API key: \*{7}/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Sonarr refused the API key \(HTTP 401\)/);
		assert.match(lastFrame()!, /Sonarr is next/);
		send(stdin, 'good-key');
		await waitForFrame(lastFrame, /API key: \*{8}/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /NZBgeek is next/);
		assert.match(lastFrame()!, /optional: enter on an empty field skips it/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /not given \(optional\)/);
		assert.deepEqual(controller.skippedKinds, ['nzbgeek']);
		unmount();
	});

	it('a check that could not be made: the error and its own fix are shown, no made-up answer', async () => {
		const controller = fakeController();
		controller.submit = async () => {
			throw new ServiceError({service: 'qBittorrent', kind: 'unreachable', url: 'http://10.0.0.5:8080/api/v2/auth/login', method: 'POST', fix: 'Start qBittorrent, or give its address with --host.'});
		};
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /qBittorrent is next/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Password:/);
		send(stdin, 'secret');
		await waitForFrame(lastFrame, /Password: \*{6}/);
		send(stdin, KEY.enter);
		const frame = plain(await waitForFrame(lastFrame, /could not be reached/));
		assert.match(frame, /✖ qBittorrent could not be reached: POST\s+http:\/\/10\.0\.0\.5:8080\/api\/v2\/auth\/login/);
		assert.match(frame, /^ {2}fix: Start qBittorrent, or give its address with --host\./m);
		unmount();
	});

	it('a given login is shown as given and only confirmed; its password stays hidden', async () => {
		const controller = fakeController({
			credentials: [{kind: 'jellyfin', name: 'Jellyfin', url: 'http://10.0.0.5:8096', need: 'username-password', where: 'Dashboard → Users', given: {username: 'root', password: 'given-pass'}}],
		});
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Given for this run/);
		assert.match(lastFrame()!, /Username: root/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Password: \*{10}/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'jellyfin', credential: {username: 'root', password: 'given-pass'}}]);
		assert.ok(!frames.some(frame => frame.includes('given-pass')));
		unmount();
	});
});

describe('Checks screen', () => {
	const findings: Finding[] = Array.from({length: 9}, (_, index) => ({
		id: `paths.example-${index}`,
		severity: index === 0 ? 'error' : 'warning',
		subject: index === 0 ? 'Sonarr' : `Service ${index}`,
		cause: index === 0 ? 'Sonarr cannot see /data/torrents/tv, where qBittorrent saves.' : `Cause number ${index}.`,
		fix: index === 0 ? 'Add "- /srv/data:/data" to the volumes of sonarr in compose.yaml.' : `Fix number ${index}.`,
	}));

	it('lists each finding with severity, cause and fix, scrolls, and goes on with enter', async () => {
		let next: Finding[] | undefined;
		const {lastFrame, stdin, unmount} = render(<ChecksScreen controller={fakeController({findings})} onDone={result => (next = result)} />);
		const frame = await waitForFrame(lastFrame, /1 error\(s\), 8 warning\(s\), 0 note\(s\)/);
		assert.match(frame, /✖ Sonarr: Sonarr cannot see \/data\/torrents\/tv/);
		assert.match(frame, /fix: Add "- \/srv\/data:\/data" to the volumes/);
		assert.match(frame, /↓ \d+ more/);
		assert.doesNotMatch(frame, /Fix number 8/);
		for (let row = 0; row < 12; row++) {
			send(stdin, KEY.down);
		}
		await waitForFrame(lastFrame, /Fix number 8/);
		send(stdin, KEY.enter);
		await until(() => next !== undefined, () => 'enter did not move on');
		assert.equal(next?.length, 9);
		unmount();
	});

	it('no findings: says so', async () => {
		const {lastFrame, unmount} = render(<ChecksScreen controller={fakeController({findings: []})} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /No problems found/);
		unmount();
	});
});

describe('Plan screen', () => {
	const plans = [
		plan('sonarr-download-client', 'Sonarr -> qBittorrent download client'),
		plan('radarr-download-client', 'Radarr -> qBittorrent download client', [change('radarr-download-client', 'download client "qBittorrent"', {action: 'update', handMade: true, fields: [{name: 'host', from: 'old', to: 'new'}]})]),
		plan('prowlarr-sonarr', 'Prowlarr -> Sonarr application', []),
		plan('jellyseerr-sonarr', 'Jellyseerr -> Sonarr', [], {skipped: 'Jellyseerr was not found'}),
	];

	it('shows every change per link, secrets masked; space skips a link; enter applies the rest', async () => {
		let chosen: {links: string[]; mode: string} | undefined;
		const {lastFrame, frames, stdin, unmount} = render(<PlanScreen controller={fakeController({plans})} onApply={choice => (chosen = choice)} onFinish={() => undefined} />);
		const frame = await waitForFrame(lastFrame, /4 links: 1 linked, 2 to change \(2 change\(s\)\), 1 skipped/);
		assert.match(frame, /Sonarr: create entry of sonarr-download-client/);
		assert.match(frame, /password: \*{4,}|password: •+|password: \[hidden\]/);
		assert.ok(!frames.some(candidate => candidate.includes('hunter2')));
		send(stdin, KEY.down);
		assert.match(await waitForFrame(lastFrame, /host: "old" -> "new"/), /hand-made entry/);
		send(stdin, KEY.up);
		await waitForFrame(lastFrame, /Sonarr: create entry of sonarr-download-client/);
		send(stdin, KEY.space);
		await waitForFrame(lastFrame, /\[ \] Sonarr -> qBittorrent/);
		send(stdin, KEY.enter);
		await until(() => chosen !== undefined, () => 'enter did not apply');
		assert.deepEqual(chosen && {links: chosen.links, mode: chosen.mode}, {links: ['radarr-download-client'], mode: 'all'});
		unmount();
	});

	it('s goes step by step', async () => {
		let mode: string | undefined;
		const {lastFrame, stdin, unmount} = render(<PlanScreen controller={fakeController({plans})} onApply={choice => (mode = choice.mode)} onFinish={() => undefined} />);
		await waitForFrame(lastFrame, /apply all kept/);
		send(stdin, 's');
		await until(() => mode !== undefined, () => 's did not apply');
		assert.equal(mode, 'step');
		unmount();
	});

	it('a wired stack: everything is linked, and "Run doctor" is arrwire doctor: its map, findings and verdict', async () => {
		const finding = {id: 'link.download-client-test-failed', severity: 'error', subject: 'Sonarr -> qBittorrent', cause: 'Sonarr cannot log in to qBittorrent.', fix: 'Run arrwire apply to store the new password.'} as const;
		const report: DoctorReport = {
			ok: false,
			outcome: 'faults',
			notChecked: [],
			services: [
				{kind: 'sonarr', name: 'Sonarr', state: 'ready'},
				{kind: 'qbittorrent', name: 'qBittorrent', state: 'ready'},
			],
			links: [{id: 'sonarr-download-client', title: 'Sonarr -> qBittorrent', optional: false, state: 'failed', findings: [finding], repairs: []}],
			serviceFindings: [],
			pathFindings: [],
			securityFindings: [],
		};
		const controller = fakeController({plans: [plan('sonarr-download-client', 'Sonarr -> qBittorrent download client', [])], doctor: report});
		let doctor: unknown;
		const {lastFrame, stdin, unmount} = render(<PlanScreen controller={controller} onApply={() => assert.fail('nothing to apply')} onFinish={(_plans, results) => (doctor = results)} />);
		await waitForFrame(lastFrame, /Everything is linked: nothing to change/);
		send(stdin, KEY.enter);
		const frame = await waitForFrame(lastFrame, /Doctor tested 1 link\(s\) and 2 service\(s\): 1 error/);
		assert.match(frame, /Sonarr ──downloads \(tv\)──▶\s+qBittorrent\s+✖ failed/);
		assert.match(frame, /✖ Sonarr -> qBittorrent: Sonarr cannot log in to qBittorrent\./);
		assert.match(frame, /fix: Run arrwire apply to store the new password\./);
		assert.match(frame, /✖ Not all is well: 1 link\(s\) at fault/);
		assert.equal(controller.diagnoseCalls, 1);
		send(stdin, KEY.enter);
		await until(() => doctor !== undefined, () => 'enter did not finish');
		assert.equal(doctor, report);
		unmount();
	});
});

describe('Apply screen', () => {
	const plans = [
		plan('sonarr-download-client', 'Sonarr -> qBittorrent download client', [change('sonarr-download-client', 'download client "qBittorrent"'), change('sonarr-download-client', 'tag "arrwire"', {handMade: true})]),
		plan('radarr-download-client', 'Radarr -> qBittorrent download client'),
	];

	it('all at once: made with progress, but a hand-made entry is still asked about (enter = no)', async () => {
		let outcome: RunOutcome | undefined;
		const {lastFrame, stdin, unmount} = render(<ApplyScreen controller={fakeController({plans})} links={['sonarr-download-client', 'radarr-download-client']} mode="all" planned={3} onDone={result => (outcome = result)} />);
		await waitForFrame(lastFrame, /This entry was made by hand, not by arrwire\. Change it\? \(y\/N\)/);
		// The bar is 30 cells wide: one change of three made fills 10 of them.
		assert.match(await waitForFrame(lastFrame, /█/), /^█{10}░{20} 1 of 3 change\(s\) made$/m);
		send(stdin, KEY.enter);
		const frame = await waitForFrame(lastFrame, /2 change\(s\) made, 1 left alone/);
		assert.match(frame, /^█{20}░{10} 2 of 3 change\(s\) made$/m);
		assert.match(frame, /- left alone: Sonarr: create tag "arrwire"/);
		assert.match(frame, /verified: Radarr|verified: radarr-download-client/);
		send(stdin, KEY.enter);
		await until(() => outcome !== undefined, () => 'enter did not finish');
		assert.equal(outcome?.applied.length, 2);
		assert.equal(outcome?.declined.length, 1);
		unmount();
	});

	it('step by step: each change is shown and asked; a failure is shown and stops the run', async () => {
		const {lastFrame, stdin, unmount} = render(
			<ApplyScreen controller={fakeController({plans, failOn: 'radarr-download-client'})} links={['sonarr-download-client', 'radarr-download-client']} mode="step" planned={3} onDone={() => undefined} />,
		);
		await waitForFrame(lastFrame, /Make this change\? \(Y\/n\)/);
		assert.match(lastFrame()!, /Sonarr: create download client "qBittorrent"/);
		send(stdin, 'y');
		await waitForFrame(lastFrame, /Change it\? \(y\/N\)/);
		send(stdin, 'n');
		await waitForFrame(lastFrame, /Sonarr: create entry of radarr-download-client/);
		send(stdin, KEY.enter);
		const frame = await waitForFrame(lastFrame, /stopped at a failure/);
		assert.match(frame, /✖ Sonarr: create entry of radarr-download-client/);
		assert.match(frame, /failed: HTTP 500/);
		unmount();
	});
});

describe('Apply screen, a run that cannot start', () => {
	it('shows why, names no change it did not make, and goes on to the summary', async () => {
		const controller = fakeController();
		controller.apply = async () => {
			throw new Error('the journal is locked by another arrwire run');
		};
		let outcome: RunOutcome | undefined;
		const {lastFrame, stdin, unmount} = render(<ApplyScreen controller={controller} links={['a']} mode="all" planned={1} onDone={result => (outcome = result)} />);
		const frame = await waitForFrame(lastFrame, /stopped at a failure/);
		assert.match(frame, /✖ the journal is locked by another arrwire run/);
		send(stdin, KEY.enter);
		await until(() => outcome !== undefined, () => 'enter did not move on');
		assert.deepEqual(outcome!.failed, {error: 'the journal is locked by another arrwire run'});
		unmount();
	});
});

describe('Summary screen', () => {
	it('draws the six services and each link coloured by state', async () => {
		const plans = [plan('nzbgeek-indexer', 'NZBgeek'), plan('prowlarr-sonarr', 'Prowlarr -> Sonarr', []), plan('sonarr-download-client', 'Sonarr -> qBittorrent'), plan('jellyseerr-sonarr', 'Jellyseerr -> Sonarr', [], {skipped: 'Jellyseerr was not found'})];
		const outcome: RunOutcome = {applied: [plans[0]!.changes[0]!], declined: [], failed: {change: plans[2]!.changes[0]!, error: 'HTTP 500'}, verified: {}};
		const services = [
			{name: 'Prowlarr', state: 'ready' as const},
			{name: 'Sonarr', state: 'ready' as const},
			{name: 'qBittorrent', state: 'no-credential' as const},
			{name: 'Jellyseerr', state: 'missing' as const},
		];
		let exited = false;
		const {lastFrame, stdin, unmount} = render(<SummaryScreen services={services} plans={plans} outcome={outcome} userSkipped={new Set()} onExit={() => (exited = true)} />);
		const frame = lastFrame()!;
		assert.match(frame, /✔ Prowlarr {2}✔ Sonarr {2}! qBittorrent {2}○ Jellyseerr/);
		assert.match(frame, /NZBgeek ──indexer──▶\s+Prowlarr\s+◆ changed/);
		assert.match(frame, /Prowlarr ──indexer sync──▶\s+Sonarr\s+● linked/);
		assert.match(frame, /Sonarr ──downloads \(tv\)──▶\s+qBittorrent\s+✖ failed/);
		assert.match(frame, /Jellyseerr ──requests──▶\s+Sonarr\s+○ skipped/);
		assert.match(frame, /● linked 1 {2}◆ changed 1 {2}✖ failed 1 {2}○ skipped 1/);
		// Which protocols can move a release: qBittorrent's client failed, and no Usenet client was wired.
		assert.match(frame, /✖ Torrent releases cannot flow: Sonarr or Radarr lacks a qBittorrent client/);
		assert.match(frame, /✖ Usenet releases cannot flow: no Usenet client is wired \(NZBgeek needs one\)/);
		assert.ok(widest([frame]) <= 80, frame);
		send(stdin, KEY.enter);
		await until(() => exited, () => 'enter did not exit');
		unmount();
	});

	it('NO_COLOR: no colour is passed to Ink, nor by the theme given to the @inkjs/ui widgets', () => {
		const styles = () => {
			const {Spinner, ProgressBar} = widgetTheme.components;
			return [Spinner!.styles!.frame!(), Spinner!.styles!.label!(), ProgressBar!.styles!.completed!(), ProgressBar!.styles!.remaining!()];
		};
		// The spinner in the accent, the bar done in green over gray to do: the app's tones, not @inkjs/ui's.
		assert.deepEqual(styles(), [{color: 'magenta'}, {}, {color: 'green'}, {color: 'gray'}]);
		const saved = process.env.NO_COLOR;
		process.env.NO_COLOR = '1';
		try {
			assert.equal(color('failed'), undefined);
			assert.deepEqual(styles(), [{color: undefined}, {}, {color: undefined}, {color: undefined}]);
		} finally {
			if (saved === undefined) {
				delete process.env.NO_COLOR;
			} else {
				process.env.NO_COLOR = saved;
			}
		}
		assert.equal(color('failed'), 'red');
	});
});

describe('the app', () => {
	it('q asks before quitting (n stays, y quits with 130); esc goes back a step; every frame fits 80 columns', async () => {
		let code: number | undefined;
		const {lastFrame, frames, stdin, unmount} = render(<App controller={fakeController()} onExit={exit => (code = exit)} />);
		await waitForFrame(lastFrame, /Found 6 of 6/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /\[2 Credentials\]/);
		send(stdin, KEY.escape);
		await waitForFrame(lastFrame, /\[1 Discover\]/);
		send(stdin, 'q');
		await waitForFrame(lastFrame, /Quit arrwire\?/);
		send(stdin, KEY.enter); // the screen underneath takes no keys meanwhile
		send(stdin, 'n'); // read after the enter: once n has closed the question, the enter was handled too
		await waitForFrame(lastFrame, /^(?![\s\S]*Quit arrwire\?)/);
		assert.match(lastFrame()!, /\[1 Discover\]/);
		send(stdin, 'q');
		await waitForFrame(lastFrame, /Quit arrwire\?/);
		send(stdin, 'y');
		await until(() => code !== undefined, () => 'y did not quit');
		assert.equal(code, EXIT.quit);
		assert.ok(widest(frames) <= 80);
		unmount();
	});

	it('typing "q" into a password field is text, not quit', async () => {
		const controller = fakeController();
		const {lastFrame, stdin, unmount} = render(<App controller={controller} onExit={() => assert.fail('must not quit')} />);
		await waitForFrame(lastFrame, /Found 6 of 6/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Username:/);
		send(stdin, KEY.enter);
		await waitForFrame(lastFrame, /Password:/);
		send(stdin, 'qq');
		await waitForFrame(lastFrame, /Password: \*\*/);
		assert.doesNotMatch(lastFrame()!, /Quit arrwire\?/);
		assert.match(lastFrame()!, /Password: \*\*/);
		unmount();
	});
});
