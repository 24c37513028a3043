// Input that arrives in one chunk (a paste, type-ahead, a quick double Enter, a laggy SSH link) is taken key by
// key: text then Enter submits once, the rest goes to the next field or is dropped, and no secret shows.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {render} from 'ink-testing-library';
import {App, EXIT} from '../../source/app/app.js';
import {ApplyScreen} from '../../source/app/apply-screen.js';
import type {CredentialItem, LinkPlanView} from '../../source/app/controller.js';
import {CredentialsScreen} from '../../source/app/credentials-screen.js';
import {DiscoverScreen} from '../../source/app/discover-screen.js';
import {PlanScreen} from '../../source/app/plan-screen.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import {change, fakeController} from './fake-controller.js';
import {plain, send, until, waitForFrame} from './keys.js';

const qbittorrent: CredentialItem = {kind: 'qbittorrent', name: 'qBittorrent', url: 'http://10.0.0.5:8080', need: 'username-password', where: 'qBittorrent → Tools → Options → WebUI'};
const jellyfin: CredentialItem = {kind: 'jellyfin', name: 'Jellyfin', url: 'http://10.0.0.5:8096', need: 'username-password', where: 'Jellyfin → Dashboard → Users'};
const sonarr: CredentialItem = {kind: 'sonarr', name: 'Sonarr', url: 'http://10.0.0.5:8989', need: 'api-key', where: 'Sonarr → Settings → General'};
const radarr: CredentialItem = {kind: 'radarr', name: 'Radarr', url: 'http://10.0.0.5:7878', need: 'api-key', where: 'Radarr → Settings → General'};
const prowlarr: CredentialItem = {kind: 'prowlarr', name: 'Prowlarr', url: 'http://10.0.0.5:9696', need: 'api-key', where: 'Prowlarr → Settings → General'};

describe('the credentials screen takes a chunk as the keys it holds', () => {
	it('Enter Enter at the suggested qBittorrent username: the username stays "admin", nothing is sent, the password is asked', async () => {
		const controller = fakeController({credentials: [{...qbittorrent}]});
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Username: admin/);
		send(stdin, '\r\r');
		const frame = await waitForFrame(lastFrame, /Password:/);
		assert.match(frame, /Username: admin\n/);
		assert.ok(!frames.some(candidate => /sername: admin/.test(candidate) && !/Username: admin/.test(candidate)), 'the username line is never broken');
		assert.deepEqual(controller.submitted, [], 'no login is tried with an empty password');
		assert.deepEqual(controller.skippedKinds, [], 'the second Enter does not skip qBittorrent');
		send(stdin, 'hunter2-secret\r');
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'qbittorrent', credential: {username: 'admin', password: 'hunter2-secret'}}]);
		assert.ok(!frames.some(candidate => candidate.includes('hunter2')), 'the password never shows');
		unmount();
	});

	it('"root\\rpassword\\r" in one chunk at Jellyfin fills both fields and checks the login once', async () => {
		const controller = fakeController({credentials: [{...jellyfin}]});
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Username: admin/);
		send(stdin, 'root\rjf-pass-123\r');
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'jellyfin', credential: {username: 'root', password: 'jf-pass-123'}}]);
		assert.ok(!frames.some(candidate => candidate.includes('jf-pass')), 'the password never shows');
		unmount();
	});

	it('a typed username replaces the suggestion; "admin" + Enter then the password + Enter log in as admin', async () => {
		const controller = fakeController({credentials: [{...jellyfin}]});
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Username: admin/);
		send(stdin, 'admin\r');
		await waitForFrame(lastFrame, /Password:/);
		send(stdin, 'jf-pass\r');
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'jellyfin', credential: {username: 'admin', password: 'jf-pass'}}]);
		unmount();
	});

	it('pasted API keys with a trailing \\r, \\n or \\r\\n each submit once, masked, and nothing after the Enter is kept', async () => {
		const controller = fakeController({credentials: [{...sonarr}, {...radarr}, {...prowlarr}]});
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Sonarr is next/);
		send(stdin, 'sonarr-key-0123\r');
		await waitForFrame(lastFrame, /Radarr is next/);
		send(stdin, 'radarr-key-4567\n');
		await waitForFrame(lastFrame, /Prowlarr is next/);
		send(stdin, 'prowlarr-key-89\r\nextra');
		await waitForFrame(lastFrame, /3 of 3 credentials accepted/);
		assert.deepEqual(controller.submitted, [
			{kind: 'sonarr', credential: {apiKey: 'sonarr-key-0123'}},
			{kind: 'radarr', credential: {apiKey: 'radarr-key-4567'}},
			{kind: 'prowlarr', credential: {apiKey: 'prowlarr-key-89'}},
		]);
		assert.ok(!frames.some(candidate => /-key-|extra/.test(candidate)), 'no key shows, and the text after the Enter went nowhere');
		unmount();
	});

	it('a key typed in two chunks before the screen redraws keeps both halves', async () => {
		const controller = fakeController({credentials: [{...sonarr}]});
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Sonarr is next/);
		send(stdin, 'first-half-');
		send(stdin, 'second-half\r');
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'sonarr', credential: {apiKey: 'first-half-second-half'}}]);
		unmount();
	});

	it('an Enter right behind a submitted key does not check it twice', async () => {
		const controller = fakeController({credentials: [{...sonarr}, {...radarr}]});
		const {lastFrame, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Sonarr is next/);
		send(stdin, 'sonarr-key\r');
		send(stdin, '\r');
		await waitForFrame(lastFrame, /Radarr is next/);
		// The Enter that followed went to no field: Radarr is still asked, not skipped.
		send(stdin, 'radarr-key\r');
		await waitForFrame(lastFrame, /2 of 2 credentials accepted/);
		assert.deepEqual(controller.submitted.map(item => item.kind), ['sonarr', 'radarr']);
		assert.deepEqual(controller.skippedKinds, []);
		unmount();
	});
});

describe('command keys: one per chunk', () => {
	it('"\\r\\r" on the discovery screen moves on once', async () => {
		let done = 0;
		const {lastFrame, stdin, unmount} = render(<DiscoverScreen controller={fakeController()} onDone={() => done++} onQuit={() => undefined} />);
		await waitForFrame(lastFrame, /Found 6 of 6/);
		send(stdin, '\r\r');
		await until(() => done > 0, () => 'enter was not taken');
		send(stdin, 'x'); // one more chunk: by the time it is read, the first one was handled whole
		assert.equal(done, 1);
		unmount();
	});

	it('in the app, "\\r\\r" confirms one screen: discovery leads to credentials, which are not skipped past', async () => {
		const controller = fakeController();
		const {lastFrame, stdin, unmount} = render(<App controller={controller} onExit={() => assert.fail('must not exit')} />);
		await waitForFrame(lastFrame, /Found 6 of 6/);
		send(stdin, '\r\r');
		const frame = await waitForFrame(lastFrame, /\[2 Credentials\]/);
		assert.match(plain(frame), /Username: admin/);
		assert.doesNotMatch(frame, /Password:/);
		unmount();
	});

	it('"y\\r" at a step-by-step question answers that question only', async () => {
		const plans: LinkPlanView[] = [{id: 'sonarr-download-client', title: 'Sonarr -> qBittorrent', services: ['Sonarr'], optional: false, changes: [change('sonarr-download-client', 'download client "qBittorrent"'), change('sonarr-download-client', 'tag "tv"')]}];
		const {lastFrame, stdin, unmount} = render(<ApplyScreen controller={fakeController({plans})} links={['sonarr-download-client']} mode="step" planned={2} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /create download client "qBittorrent"[\s\S]*Make this change\?/);
		send(stdin, 'y\r');
		const frame = await waitForFrame(lastFrame, /create tag "tv"[\s\S]*Make this change\?/);
		assert.match(frame, /1 of 2 change\(s\) made/);
		send(stdin, 'n');
		await waitForFrame(lastFrame, /1 change\(s\) made, 1 left alone/);
		unmount();
	});

	it('"\\r\\r" at the menu of a wired stack runs doctor once: it does not also move on past its report', async () => {
		const plans: LinkPlanView[] = [{id: 'sonarr-download-client', title: 'Sonarr -> qBittorrent', services: ['Sonarr'], optional: false, changes: []}];
		const report: DoctorReport = {ok: true, outcome: 'ok', notChecked: [], services: [{kind: 'sonarr', name: 'Sonarr', state: 'ready'}], links: [], serviceFindings: [], pathFindings: [], securityFindings: []};
		const controller = fakeController({plans, doctor: report});
		let finished = 0;
		const {lastFrame, stdin, unmount} = render(<PlanScreen controller={controller} onApply={() => assert.fail('nothing to apply')} onFinish={() => finished++} />);
		await waitForFrame(lastFrame, /Run doctor: test every link end to end/);
		send(stdin, '\r\r');
		await waitForFrame(lastFrame, /Doctor tested/);
		assert.equal(controller.diagnoseCalls, 1);
		assert.equal(finished, 0, 'the second Enter did not pass over the report');
		unmount();
	});

	it('"qy" in one chunk asks before quitting; it does not quit', async () => {
		let code: number | undefined;
		const {lastFrame, stdin, unmount} = render(<App controller={fakeController()} onExit={exit => (code = exit)} />);
		await waitForFrame(lastFrame, /Found 6 of 6/);
		send(stdin, 'qy');
		await waitForFrame(lastFrame, /Quit arrwire\?/);
		assert.equal(code, undefined);
		send(stdin, 'y');
		await until(() => code !== undefined, () => 'y did not quit');
		assert.equal(code, EXIT.quit);
		unmount();
	});
});

describe('a given login', () => {
	it('typing the username over the given one replaces it; the given password is then used', async () => {
		const controller = fakeController({credentials: [{...jellyfin, given: {username: 'admin', password: 'given-pass'}}]});
		const {lastFrame, frames, stdin, unmount} = render(<CredentialsScreen controller={controller} onDone={() => undefined} />);
		await waitForFrame(lastFrame, /Username: admin/);
		send(stdin, 'admin\r\r');
		await waitForFrame(lastFrame, /1 of 1 credentials accepted/);
		assert.deepEqual(controller.submitted, [{kind: 'jellyfin', credential: {username: 'admin', password: 'given-pass'}}]);
		assert.ok(!frames.some(candidate => candidate.includes('given-pass') || candidate.includes('adminadmin')));
		unmount();
	});
});
