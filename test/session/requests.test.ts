// What each command costs the stack, counted on the wire by the lab's emulators (they log every request): `plan` on a
// wired lab reads and nothing more (no write, no service test, nothing sent to NZBgeek), and `doctor` asks each read
// and runs each service test once.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runDoctor} from '../../source/commands/doctor.js';
import {runPlan} from '../../source/commands/plan.js';
import type {Emulator, LoggedRequest} from '../../source/lab/emulator.js';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {ALL_LINKS} from '../../source/links/all.js';
import {USER_AGENT} from '../../source/services/http.js';
import {openSession} from '../../source/session/session.js';
import {capture} from '../helpers.js';

interface Sent extends LoggedRequest {
	service: string;
}

/** The requests each emulator (and the NZBgeek stand-in) receives while `run` runs. */
async function sentDuring(lab: Lab, run: () => Promise<unknown>): Promise<Sent[]> {
	const emulators: Emulator[] = [...new Set([...lab.emulators(), lab.nzbgeek])];
	const start = new Map(emulators.map(emulator => [emulator, emulator.log.length]));
	await run();
	return emulators.flatMap(emulator => emulator.log.slice(start.get(emulator)).map(entry => ({...entry, service: emulator.name})));
}

/**
 * qBittorrent's own count of logins ("WebAPI login success", src/webui/api/authcontroller.cpp) since `run` began,
 * read from its log through a session opened before.
 */
async function qbittorrentLoginsDuring(lab: Lab, run: () => Promise<unknown>): Promise<number> {
	const {url, username, password} = lab.qbittorrent;
	const login = await fetch(`${url}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password})});
	const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
	const log = async () => (await (await fetch(`${url}/api/v2/log/main`, {headers: {cookie}})).json()) as Array<{id: number; message: string}>;
	const last = Math.max(...(await log()).map(entry => entry.id));
	await run();
	return (await log()).filter(entry => entry.id > last && entry.message.startsWith('WebAPI login success')).length;
}

const show = (sent: Sent[]) => sent.map(entry => `${entry.service} ${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''}`);

/**
 * arrwire's requests sent more than once alike (same method, path, query, body and credential); the services' calls
 * to each other (the tests they run) are theirs. The credential checks begin the command's memo: what they read
 * (Jellyseerr's public settings) the links do not read again.
 */
function repeatedIn(sent: Sent[]): string[] {
	const seen = new Map<string, number>();
	for (const request of sent.filter(entry => entry.agent === USER_AGENT).map(entry => `${show([entry])[0]!} (${entry.sent})`)) {
		seen.set(request, (seen.get(request) ?? 0) + 1);
	}
	return [...seen]
		.filter(([, times]) => times > 1)
		.map(([request, times]) => `${request} x${times}`);
}

/** A sign-in is a POST that changes nothing arrwire reads; any other POST, PUT or DELETE is a change or a test. */
const isSignIn = (entry: Sent) => entry.method === 'POST' && /\/Users\/AuthenticateByName$/i.test(entry.path);

describe('requests per command on a wired lab', () => {
	let lab: Lab;
	let scratch: string;
	const options = () => ({...lab.arrwireOptions(scratch), nzbgeekApiKey: lab.keys.nzbgeek});

	before(async () => {
		lab = await startLab();
		scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-requests-'));
		const result = await openSession(options()).apply(ALL_LINKS, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
	});

	after(async () => {
		await lab?.stop();
		rmSync(scratch, {recursive: true, force: true});
	});

	it('plan reads only, and each resource once: no write, no service test, nothing sent to NZBgeek', async () => {
		const {out} = capture();
		const sent = await sentDuring(lab, async () => runPlan(options(), out));
		assert.ok(sent.length > 0, 'plan read nothing');
		const changesOrTests = sent.filter(entry => !['GET', 'HEAD'].includes(entry.method) && !isSignIn(entry));
		assert.deepEqual(show(changesOrTests), []);
		assert.deepEqual(show(sent.filter(entry => /\/test$/i.test(entry.path))), []);
		assert.deepEqual(show(sent.filter(entry => entry.service === lab.nzbgeek.name)), []);
		assert.deepEqual(repeatedIn(sent), [], 'plan reads each resource once');
	});

	it('plan logs in to qBittorrent once: the links go on with the session of the credential check', async () => {
		const {out} = capture();
		assert.equal(await qbittorrentLoginsDuring(lab, async () => runPlan(options(), out)), 1);
	});

	it('doctor asks each read and runs each service test once', async () => {
		const {out} = capture();
		const sent = await sentDuring(lab, async () => runDoctor({...options(), json: true, offerRepairs: false}, out));
		assert.deepEqual(repeatedIn(sent), []);
		assert.ok(sent.some(entry => /\/downloadclient\/test$/i.test(entry.path)), 'doctor ran no download-client test');
	});
});
