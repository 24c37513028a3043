// doctor --offline on a wired lab: no request reaches NZBgeek (Prowlarr's test of it would cost a query of the user's
// API limit), the link says it was not tested, and what Prowlarr recorded of its own failed searches is still told.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {request, startCliLab, type CliLab} from '../commands/cli-lab.js';

interface DoctorJson {
	outcome: string;
	notChecked: Array<{title: string; reason: string}>;
	reachedOutside: string[];
	links: Array<{id: string; state: string; findings: Array<{id: string; severity: string; cause: string; fix: string}>}>;
}

describe('arrwire doctor --offline', () => {
	let stack: CliLab;
	const nzbgeekRequests = () => stack.lab.nzbgeek.log.length;
	let last: DoctorJson;
	const nzbgeekLink = async (...extra: string[]) => {
		const outcome = await stack.arrwire('doctor', '--json', ...extra);
		assert.ok([0, 1, 3].includes(outcome.code), outcome.stderr);
		last = JSON.parse(outcome.stdout) as DoctorJson;
		return last.links.find(link => link.id === 'nzbgeek-indexer')!;
	};

	before(async () => {
		// With a Usenet client: NZBgeek finds Usenet releases only, and a stack without one is at fault.
		stack = await startCliLab({sabnzbd: true});
		const applied = await stack.arrwire('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
	});
	after(async () => stack.stop());

	it('sends nothing to NZBgeek and says the indexer was not tested, and why', async () => {
		const before = nzbgeekRequests();
		const link = await nzbgeekLink('--offline');
		assert.equal(nzbgeekRequests(), before, 'no request reached the NZBgeek stand-in');
		assert.equal(link.state, 'linked');
		const notTested = link.findings.find(finding => finding.id === 'link.nzbgeek-not-tested');
		assert.equal(notTested?.severity, 'info');
		assert.match(notTested.cause, /counts against your NZBgeek API limit/);
		// A test left out is not a test passed: the verdict is "not everything was tested", naming it.
		assert.equal(last.outcome, 'incomplete');
		assert.deepEqual(last.reachedOutside, []);
		assert.match(last.notChecked.map(entry => `${entry.title}: ${entry.reason}`).join('\n'), /NZBgeek indexer in Prowlarr: left out by --offline \(Prowlarr's test of NZBgeek sends NZBgeek one query/);
	});

	it('without --offline, doctor tests the indexer: one query reaches NZBgeek', async () => {
		const before = nzbgeekRequests();
		const link = await nzbgeekLink();
		assert.ok(nzbgeekRequests() > before, "Prowlarr's test queried the NZBgeek stand-in");
		assert.equal(link.findings.find(finding => finding.id === 'link.nzbgeek-not-tested'), undefined);
		// It says so: the test reached outside the stack.
		assert.equal(last.outcome, 'ok');
		assert.deepEqual(last.reachedOutside, ["Prowlarr's test of NZBgeek sends NZBgeek one query, which counts against your NZBgeek API limit"]);
		const text = await stack.arrwire('doctor');
		assert.match(text.stdout, /Beyond the stack: Prowlarr's test of NZBgeek sends NZBgeek one query.*--offline leaves it out/);
	});

	it("tells what Prowlarr recorded of its failed searches through NZBgeek, still without querying it", async () => {
		const {lab} = stack;
		// NZBgeek stops taking the key; Sonarr's next search through Prowlarr fails, and Prowlarr records it.
		lab.nzbgeek.apiKey = 'f'.repeat(32);
		const [indexer] = [...lab.prowlarr.providers.get('indexer')!];
		const search = await request(`${lab.prowlarr.url}/${indexer!.id}/api?t=search&q=test&apikey=${lab.keys.prowlarr}`);
		assert.match(search.text, /Incorrect user credentials/);
		const before = nzbgeekRequests();
		const link = await nzbgeekLink('--offline');
		assert.equal(nzbgeekRequests(), before);
		assert.equal(link.state, 'drift');
		const failing = link.findings.find(finding => finding.id === 'link.nzbgeek-failing');
		assert.match(failing?.cause ?? '', /Prowlarr's searches through NZBgeek have failed since .*Prowlarr does not use it until/);
		assert.match(failing!.fix, /without --offline/);
	});
});
