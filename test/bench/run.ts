// `npm run bench`: arrwire's figures next to a baseline measured in the same run. Targets are printed beside
// each figure; they are never asserted in tests.
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

export interface BenchResult {
	name: string;
	value: string;
	baseline?: string;
	ratio?: string;
	target?: string;
}

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../source/cli.js');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timeCommand(args: string[]): number {
	const start = process.hrtime.bigint();
	const result = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe']});
	const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
	if (result.status !== 0) {
		throw new Error(`${args.join(' ')} failed: ${String(result.stderr)}`);
	}
	return elapsed;
}

/** Startup of `arrwire --version` against bare `node -e 0`, interleaved so both see the same machine state. */
export function startupBench(runs = 15): BenchResult {
	const arrwire: number[] = [];
	const bare: number[] = [];
	timeCommand([cli, '--version']);
	timeCommand(['-e', '0']);
	for (let run = 0; run < runs; run++) {
		bare.push(timeCommand(['-e', '0']));
		arrwire.push(timeCommand([cli, '--version']));
	}
	const ours = median(arrwire);
	const baseline = median(bare);
	return {
		name: 'startup: arrwire --version',
		value: `${ours.toFixed(1)} ms`,
		baseline: `node -e 0: ${baseline.toFixed(1)} ms`,
		ratio: `${(ours / baseline).toFixed(2)}x`,
		target: '< 2x bare node',
	};
}

export function printResults(results: BenchResult[]): void {
	console.log(`arrwire benchmarks (node ${process.version}, median of repeated runs)\n`);
	for (const result of results) {
		const parts = [result.value, result.baseline && `vs ${result.baseline}`, result.ratio && `ratio ${result.ratio}`, result.target && `target ${result.target}`];
		console.log(`  ${result.name.padEnd(40)} ${parts.filter(Boolean).join('  ')}`);
	}
}

/** Discovery of the whole lab (six services, keys from their files, each key checked) against the 100 ms target. */
export async function discoveryBench(runs = 7): Promise<BenchResult> {
	const {startLab} = await import('../../source/lab/lab.js');
	const {discover} = await import('../../source/discovery/discover.js');
	const lab = await startLab();
	try {
		const options = {localhost: false, hosts: [lab.host], docker: false as const, nativeConfigFiles: false, configFolders: [path.join(lab.paths.root, 'config')]};
		const found = await discover(options);
		if (found.services.length !== 6) {
			throw new Error(`discovery found ${found.services.length} of the lab's 6 services`);
		}
		const times: number[] = [];
		for (let run = 0; run < runs; run++) {
			const start = performance.now();
			await discover(options);
			times.push(performance.now() - start);
		}
		return {name: 'discovery: full lab, default ports', value: `${median(times).toFixed(1)} ms`, target: '< 100 ms'};
	} finally {
		await lab.stop();
	}
}

/** A TCP sweep of 127.0.0.0/23 on the six default ports, next to nmap -sT on the same targets. */
export async function sweepBench(): Promise<BenchResult> {
	const {expandCidr, sweep} = await import('../../source/discovery/discover.js');
	const {DEFAULT_PORTS} = await import('../../source/discovery/catalogue.js');
	const hosts = expandCidr('127.0.0.0/23');
	const ours: number[] = [];
	const theirs: number[] = [];
	const hasNmap = spawnSync('nmap', ['--version']).status === 0;
	for (let run = 0; run < 3; run++) {
		let start = performance.now();
		await sweep(hosts, DEFAULT_PORTS);
		ours.push(performance.now() - start);
		if (hasNmap) {
			start = performance.now();
			const result = spawnSync('nmap', ['-sT', '-Pn', '-n', '-p', DEFAULT_PORTS.join(','), '-oG', '-', '127.0.0.0/23'], {stdio: ['ignore', 'pipe', 'pipe']});
			theirs.push(performance.now() - start);
			if (result.status !== 0) {
				throw new Error(`nmap failed: ${String(result.stderr)}`);
			}
		}
	}
	const value = median(ours);
	return {
		name: `sweep: ${hosts.length} addresses x ${DEFAULT_PORTS.length} ports`,
		value: `${value.toFixed(0)} ms`,
		baseline: hasNmap ? `nmap -sT -Pn -n: ${median(theirs).toFixed(0)} ms` : 'nmap not installed (apt-get install -y nmap)',
		ratio: hasNmap ? `${(value / median(theirs)).toFixed(2)}x` : undefined,
		target: 'faster than nmap (< 1x)',
	};
}

/**
 * HTTP requests arrwire sends for a full first wiring of the lab, next to the least that could do it (one read of
 * each applicable link's current state plus one write per change), and for a re-run on the wired stack (no write).
 */
export async function wiringBench(): Promise<BenchResult[]> {
	const {startLab} = await import('../../source/lab/lab.js');
	const {openWiring} = await import('../../source/links/wiring.js');
	const {selectLinks} = await import('../../source/links/all.js');
	const {applyLinks} = await import('../../source/links/engine.js');
	const {mkdtempSync, rmSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const lab = await startLab();
	const state = mkdtempSync(path.join(tmpdir(), 'arrwire-bench-'));
	try {
		const wiring = await openWiring(lab.arrwireOptions(state));
		const clients = Object.values(wiring.context.clients).filter(Boolean) as Array<{http: {requestCount: number}}>;
		const sent = () => clients.reduce((sum, client) => sum + client.http.requestCount, 0);
		const links = selectLinks();
		const applicable = links.filter(link => link.applicable(wiring.context) === true).length;
		let before = sent();
		const first = await applyLinks(links, wiring.context, {confirm: async () => true});
		if (first.failed) {
			throw new Error(`the first wiring failed: ${first.failed.error.message}`);
		}
		const firstRequests = sent() - before;
		const minimum = applicable + first.applied.length;
		const writesBefore = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0);
		before = sent();
		const again = await applyLinks(links, wiring.context, {confirm: async () => true});
		const rerunRequests = sent() - before;
		const rerunWrites = lab.emulators().reduce((sum, emulator) => sum + emulator.writes().length, 0) - writesBefore;
		return [
			{
				name: `wiring: first run (${first.applied.length} changes)`,
				value: `${firstRequests} requests`,
				baseline: `minimum ${minimum} (a read per link + a write per change)`,
				ratio: `${(firstRequests / minimum).toFixed(2)}x`,
				target: 'reads to verify each link are the price of certainty',
			},
			{name: 'wiring: re-run on the wired stack', value: `${rerunRequests} requests, ${again.applied.length} changes, ${rerunWrites} writes`, target: '0 writes'},
		];
	} finally {
		await lab.stop();
		rmSync(state, {recursive: true, force: true});
	}
}

/**
 * Requests each whole `arrwire` process sends to the lab's emulators, counted where they arrive (the lab logs who sent
 * each one): requests without a credential are probes, counted apart; a request alike to one sent before in the same
 * command (same method, path, query, body and credential) is a repeat. qBittorrent's logins are counted in its own log.
 */
export async function requestsBench(): Promise<BenchResult[]> {
	const {startCliLab} = await import('../commands/cli-lab.js');
	const {USER_AGENT} = await import('../../source/services/http.js');
	const cliLab = await startCliLab();
	const {lab} = cliLab;
	const {url, username, password} = lab.qbittorrent;
	const login = await fetch(`${url}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password})});
	const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
	const qbittorrentLog = async () => (await (await fetch(`${url}/api/v2/log/main`, {headers: {cookie}})).json()) as Array<{id: number; message: string}>;
	const count = async (command: string, extra: string[], target: string): Promise<BenchResult> => {
		const emulators = lab.emulators();
		const start = emulators.map(emulator => emulator.log.length);
		const lastLog = Math.max(...(await qbittorrentLog()).map(entry => entry.id));
		const outcome = await cliLab.arrwire(command, ...extra);
		if (outcome.code > 1) {
			throw new Error(`arrwire ${command} failed: ${outcome.stderr}`);
		}
		const sent = emulators.flatMap((emulator, index) => emulator.log.slice(start[index]).map(entry => ({...entry, service: emulator.name}))).filter(entry => entry.agent === USER_AGENT);
		const calls = sent.filter(entry => entry.credential);
		const keys = calls.map(entry => JSON.stringify([entry.service, entry.method, entry.path, entry.query, entry.sent]));
		const repeats = keys.length - new Set(keys).size;
		const writes = calls.filter(entry => !['GET', 'HEAD'].includes(entry.method) && !/\/test$/i.test(entry.path) && !/AuthenticateByName$/i.test(entry.path)).length;
		const tests = calls.filter(entry => /\/test$/i.test(entry.path)).length;
		const logins = (await qbittorrentLog()).filter(entry => entry.id > lastLog && entry.message.startsWith('WebAPI login success')).length;
		return {
			name: `requests: arrwire ${[command, ...extra].join(' ')}`,
			value: `${calls.length} API calls (${repeats} repeats, ${writes} writes, ${tests} service tests), ${sent.length - calls.length} probes, ${logins} qBittorrent logins`,
			target,
		};
	};
	try {
		return [
			await count('apply', ['--yes'], 'about 57 needed (35 distinct reads, 20 writes, 2 logins): <= 1.2x; 1 qBittorrent login'),
			await count('plan', [], 'reads only: 0 writes, 0 service tests; 1 qBittorrent login'),
			await count('doctor', ['--json'], 'each read and each test once: 0 repeats; 1 qBittorrent login'),
		];
	} finally {
		await cliLab.stop();
	}
}

const benches: Array<() => BenchResult | Promise<BenchResult | BenchResult[]>> = [() => startupBench(), () => discoveryBench(), () => sweepBench(), () => wiringBench(), () => requestsBench()];

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const results: BenchResult[] = [];
	for (const bench of benches) {
		results.push(...[await bench()].flat());
	}
	printResults(results);
}
