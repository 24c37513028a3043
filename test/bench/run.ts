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
	const {startLab} = await import('../lab/lab.js');
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

const benches: Array<() => BenchResult | Promise<BenchResult | BenchResult[]>> = [() => startupBench(), () => discoveryBench(), () => sweepBench()];

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const results: BenchResult[] = [];
	for (const bench of benches) {
		results.push(...[await bench()].flat());
	}
	printResults(results);
}
