// `npm run bench`: arrwire's figures next to a baseline measured in the same run. Targets are printed beside
// each figure; they are never asserted in tests.
import {execFile, spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import os from 'node:os';
import path from 'node:path';

export interface BenchResult {
	name: string;
	value: string;
	baseline?: string;
	ratio?: string;
	target?: string;
}

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/arrwire.js');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A whole process, timed from its start to its exit; asynchronous, so that the lab in this process answers it. */
function timeProcess(program: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ms: number; stdout: string}> {
	return new Promise((resolve, reject) => {
		const start = process.hrtime.bigint();
		execFile(program, args, {env, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			const ms = Number(process.hrtime.bigint() - start) / 1e6;
			// An exit code is a verdict (a fault found, a credential missing), not a failure of the run: the row's check
			// judges the output. A process that could not start or was killed is a failure.
			if (error && typeof error.code !== 'number') {
				reject(new Error(`${program} ${args.join(' ')} failed (${String(error.code)}): ${stderr}`));
				return;
			}
			resolve({ms, stdout});
		});
	});
}

/**
 * A whole process of arrwire and its baseline, run in turns so that both see the same machine, `runs` times each
 * after one warm-up pair; `check` sees every output of arrwire and throws when one is not what the row measures.
 */
async function paired(name: string, ours: () => Promise<{ms: number; stdout: string}>, theirs: {label: string; run: () => Promise<{ms: number}>}, target: {ratio: number; text: string}, check: (stdout: string) => void, runs = 9): Promise<BenchResult & {ms: number; baselineMs: number}> {
	check((await ours()).stdout);
	await theirs.run();
	const mine: number[] = [];
	const base: number[] = [];
	for (let run = 0; run < runs; run++) {
		base.push((await theirs.run()).ms);
		const outcome = await ours();
		check(outcome.stdout);
		mine.push(outcome.ms);
	}
	const ratio = median(mine) / median(base);
	return {
		name,
		ms: median(mine),
		baselineMs: median(base),
		value: `${median(mine).toFixed(0)} ms`,
		baseline: `${theirs.label}: ${median(base).toFixed(0)} ms`,
		ratio: `${ratio.toFixed(2)}x`,
		target: `${target.text} (${ratio <= target.ratio ? 'met' : 'NOT met'})`,
	};
}

/** Startup of `arrwire --version` against bare `node -e 0`. */
export async function startupBench(): Promise<BenchResult> {
	return paired('startup: arrwire --version', () => timeProcess(process.execPath, [cli, '--version']), {label: 'node -e 0', run: () => timeProcess(process.execPath, ['-e', '0'])}, {ratio: 2, text: '<= 2x bare node'}, stdout => {
		if (!/^\d+\.\d+\.\d+/.test(stdout)) {
			throw new Error(`arrwire --version printed ${stdout}`);
		}
	});
}

interface DiscoverJson {
	services: Array<{kind: string; url: string}>;
	unknown: Array<{url: string}>;
}

/**
 * A row's floor: a process that does only what the row's command cannot do without, next to the same baseline, and
 * how much room the row's target leaves above it. A floor above the target means no build of the command can meet it.
 */
async function floorOf(row: {ms: number; baselineMs: number}, target: number, what: string, floor: () => Promise<{ms: number; stdout: string}>, baseline: {label: string; run: () => Promise<{ms: number}>}, check: (stdout: string) => void, runs?: number): Promise<BenchResult> {
	const measured = await paired(`  its floor: ${what}`, floor, baseline, {ratio: target, text: ''}, check, runs);
	const room = target * row.baselineMs - measured.ms;
	return {name: measured.name, value: measured.value, baseline: measured.baseline, ratio: measured.ratio, target: room >= 0 ? `leaves ${room.toFixed(0)} ms for the rest` : `${(-room).toFixed(0)} ms over the target before the command does anything else`};
}

const bench = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * `arrwire discover --json` pointed at the lab, the whole process (module loading, probes, key checks, exit); and its
 * floor: node, the Request class ky needs, and the one qBittorrent login the command must make, alone.
 */
export async function discoverBench(): Promise<BenchResult[]> {
	const {startCliLab} = await import('../commands/cli-lab.js');
	const cliLab = await startCliLab();
	const bare = {label: 'node -e 0', run: () => timeProcess(process.execPath, ['-e', '0'])};
	try {
		const args = cliLab.args('discover', '--json');
		let expected: string | undefined;
		const row = await paired('discover --json on the lab (whole process)', () => timeProcess(process.execPath, args, cliLab.env), bare, {ratio: 2, text: '<= 2x bare node'}, stdout => {
			// The same findings each time: every service of the lab, with its address.
			const found = (JSON.parse(stdout) as DiscoverJson).services.map(service => `${service.kind} ${service.url}`).sort().join(', ');
			expected ??= found;
			if (found !== expected || !found.includes('sonarr') || !found.includes('jellyseerr')) {
				throw new Error(`discover found ${found}, where it found ${expected} before`);
			}
		});
		const {url, username, password} = cliLab.lab.qbittorrent;
		const floor = await floorOf(row, 2, "node + ky's Request + 1 qBittorrent login", () => timeProcess(process.execPath, [bench('floor-login.js'), url, username], {...process.env, ARRWIRE_BENCH_PASSWORD: password}), bare, stdout => {
			if (!/^v?\d+\.\d+/.test(stdout.trim())) {
				throw new Error(`the login floor printed ${stdout}`);
			}
		});
		const {ms: _ms, baselineMs: _baselineMs, ...shown} = row;
		return [shown, floor];
	} finally {
		await cliLab.stop();
	}
}

/**
 * The time from start to the wizard's first frame in an 80x24 pseudo-terminal (util-linux script), next to a node
 * that prints one line in the same terminal.
 */
export async function wizardBench(runs = 7): Promise<BenchResult> {
	const {startCliLab} = await import('../commands/cli-lab.js');
	const cliLab = await startCliLab();
	const inTerminal = (command: string, marker: RegExp) =>
		new Promise<number>((resolve, reject) => {
			const start = process.hrtime.bigint();
			const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], {env: {...cliLab.env, TERM: 'xterm-256color'}, stdio: ['pipe', 'pipe', 'pipe'], detached: true});
			let seen = '';
			child.stdout.on('data', (chunk: Buffer) => {
				seen += chunk.toString('utf8');
				if (marker.test(seen)) {
					resolve(Number(process.hrtime.bigint() - start) / 1e6);
					process.kill(-child.pid!, 'SIGKILL');
				}
			});
			// After the first frame this changes nothing: the promise has its answer.
			child.on('exit', () => reject(new Error(`${command} ended before its first frame: ${seen}`)));
		});
	const quote = (args: string[]) => args.map(arg => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ');
	try {
		// The wizard is arrwire without a command: [cli, 'discover', ...options] less the command.
		const [script, , ...options] = cliLab.args('discover');
		const wizard = quote([process.execPath, script!, ...options]);
		const line = quote([process.execPath, '-e', 'console.log("ready")']);
		const mine: number[] = [];
		const base: number[] = [];
		for (let run = 0; run <= runs; run++) {
			const baseline = await inTerminal(line, /ready/);
			const ours = await inTerminal(wizard, /\[1 Discover\]/);
			// The first pair warms the disk cache.
			if (run > 0) {
				base.push(baseline);
				mine.push(ours);
			}
		}
		const ratio = median(mine) / median(base);
		return {name: 'wizard: first frame, 80x24 terminal', value: `${median(mine).toFixed(0)} ms`, baseline: `node printing a line: ${median(base).toFixed(0)} ms`, ratio: `${ratio.toFixed(2)}x`, target: `<= 3x (${ratio <= 3 ? 'met' : 'NOT met'})`};
	} finally {
		await cliLab.stop();
	}
}

export function printResults(results: BenchResult[]): void {
	console.log(`arrwire benchmarks (node ${process.version}, ${os.availableParallelism()} cores; whole processes, medians of runs paired with their baseline)\n`);
	for (const result of results) {
		const parts = [result.value, result.baseline && `vs ${result.baseline}`, result.ratio && `ratio ${result.ratio}`, result.target && `target ${result.target}`];
		console.log(`  ${result.name.padEnd(40)} ${parts.filter(Boolean).join('  ')}`);
	}
}

/**
 * `arrwire discover --scan` of the /23 that holds the lab, the whole process, next to `nmap -sT -Pn -n` on the same
 * addresses and ports; both must find the same open ports (arrwire's services and unknown listeners). Its floor: node
 * running arrwire's own sweep of the same targets (source/discovery/probe.ts), and nothing else.
 */
export async function sweepBench(runs = 5): Promise<BenchResult | BenchResult[]> {
	const {startCliLab} = await import('../commands/cli-lab.js');
	const {DEFAULT_PORTS} = await import('../../source/discovery/catalogue.js');
	const {expandCidr} = await import('../../source/discovery/discover.js');
	if (spawnSync('nmap', ['--version']).status !== 0) {
		return {name: 'discover --scan of a /23', value: 'not measured', baseline: 'nmap is not installed (apt-get install -y nmap)', target: '<= 1.5x nmap'};
	}
	const cliLab = await startCliLab();
	try {
		const network = `${cliLab.lab.host.split('.').slice(0, 3).join('.')}.0/23`;
		const ports = DEFAULT_PORTS.join(',');
		const nmap = () => timeProcess('nmap', ['-sT', '-Pn', '-n', '-p', ports, '-oG', '-', network]);
		const open = (grepable: string) =>
			grepable
				.split('\n')
				.flatMap(line => {
					const host = /^Host: (\S+)/.exec(line)?.[1];
					const found = /Ports: (.*)/.exec(line)?.[1];
					return host && found ? [...found.matchAll(/(\d+)\/open\//g)].map(match => `${host}:${match[1]}`) : [];
				})
				.sort()
				.join(', ');
		const theirs = open((await nmap()).stdout);
		// The lab's profile names the lab's host; the scan alone must find what nmap finds.
		const args = [cli, 'discover', '--no-docker', '--json', '--scan', network];
		const env = {...cliLab.env, XDG_CONFIG_HOME: path.join(cliLab.home, 'scan')};
		const baseline = {label: 'nmap -sT -Pn -n', run: nmap};
		const row = await paired(`discover --scan ${network} (whole process)`, () => timeProcess(process.execPath, args, env), baseline, {ratio: 1.5, text: '<= 1.5x nmap, same open ports'}, stdout => {
			const json = JSON.parse(stdout) as DiscoverJson;
			const ours = [...json.services, ...json.unknown]
				.map(found => new URL(found.url))
				.filter(url => !['127.0.0.1', 'localhost'].includes(url.hostname))
				.map(url => `${url.hostname}:${url.port}`)
				.sort()
				.join(', ');
			if (ours !== theirs) {
				throw new Error(`discover --scan found ${ours}; nmap found ${theirs}`);
			}
		}, runs);
		const floor = await floorOf(row, 1.5, "node + arrwire's sweep alone", () => timeProcess(process.execPath, [bench('floor-sweep.js'), ports, ...expandCidr(network)]), baseline, stdout => {
			const found = stdout.split('\n').filter(Boolean).sort().join(', ');
			if (found !== theirs) {
				throw new Error(`the sweep alone found ${found}; nmap found ${theirs}`);
			}
		}, runs);
		const {ms: _ms, baselineMs: _baselineMs, ...shown} = row;
		return [shown, floor];
	} finally {
		await cliLab.stop();
	}
}

/**
 * Requests each whole `arrwire` process sends to the lab's emulated services, counted where they arrive (the lab logs
 * who sent each one): requests without a credential are probes, counted apart; a request alike to one sent before in
 * the same command (same method, path, query, body and credential) with no other write to its service between is a
 * repeat. The needed count is what the command could not do without: each distinct read, write and service test once
 * per state of its service, each login. qBittorrent is the real one: its logins are counted in its own log. `apply`
 * runs with a preload that writes its peak memory to a file.
 */
export async function requestsBench(): Promise<BenchResult[]> {
	const {startCliLab, runArrwire} = await import('../commands/cli-lab.js');
	const {USER_AGENT} = await import('../../source/services/http.js');
	const {mkdtempSync, readFileSync, rmSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const cliLab = await startCliLab();
	const {lab} = cliLab;
	const {url, username, password} = lab.qbittorrent;
	const login = await fetch(`${url}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password})});
	const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
	const qbittorrentLog = async () => (await (await fetch(`${url}/api/v2/log/main`, {headers: {cookie}})).json()) as Array<{id: number; message: string}>;
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-bench-'));
	const rssFile = path.join(scratch, 'max-rss');
	const loginsFile = path.join(scratch, 'logins');
	const preload = {NODE_OPTIONS: `--import=${new URL('max-rss.js', import.meta.url).href}`, ARRWIRE_BENCH_RSS_FILE: rssFile};
	const lastRss = () => Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024;
	const counted = {NODE_OPTIONS: `${preload.NODE_OPTIONS} --import=${new URL('logins.js', import.meta.url).href}`, ARRWIRE_BENCH_LOGINS_FILE: loginsFile};
	const lastLogins = () => Number(readFileSync(loginsFile, 'utf8').trim().split('\n').at(-1));
	const count = async (command: string, extra: string[], target: {ratio?: number; text: string}): Promise<BenchResult> => {
		const emulators = lab.emulators();
		const start = emulators.map(emulator => emulator.log.length);
		const lastLog = Math.max(...(await qbittorrentLog()).map(entry => entry.id));
		const outcome = await runArrwire(cliLab.args(command, ...extra).slice(1), {...cliLab.env, ...preload, ...counted});
		if (outcome.code > 1) {
			throw new Error(`arrwire ${command} failed: ${outcome.stderr}`);
		}
		const sent = emulators.flatMap((emulator, index) => emulator.log.slice(start[index]).map(entry => ({...entry, service: emulator.name}))).filter(entry => entry.agent === USER_AGENT);
		const calls = sent.filter(entry => entry.credential);
		const isTest = (entry: (typeof calls)[number]) => /\/test$/i.test(entry.path);
		const isLogin = (entry: (typeof calls)[number]) => /AuthenticateByName$|\/auth\/(jellyfin|local)$/i.test(entry.path);
		const isRead = (entry: (typeof calls)[number]) => ['GET', 'HEAD'].includes(entry.method);
		const isWrite = (entry: (typeof calls)[number]) => !isRead(entry) && !isTest(entry) && !isLogin(entry);
		const reads = calls.filter(isRead);
		const tests = calls.filter(isTest);
		const writes = calls.filter(isWrite);
		// A read or a write is needed once per state of its service: a read after a write to the same service asks what
		// the write changed, and the same write sent again after another write to that service (Prowlarr's indexer sync
		// after each application it gained) acts on what changed; the same call with no other write between is a
		// repeat. (Each emulator's log is in the order it was sent; the order across services is not known, so a test is
		// a repeat by its key alone.)
		const states = new Map<string, {state: number; lastWrite?: string}>();
		const keyed = calls.map(entry => {
			const call = JSON.stringify([entry.service, entry.method, entry.path, entry.query, entry.sent]);
			const service = states.get(entry.service) ?? {state: 0};
			states.set(entry.service, service);
			if (isWrite(entry) && service.lastWrite !== call) {
				service.state++;
				service.lastWrite = call;
			}
			return {entry, key: JSON.stringify([call, isRead(entry) || isWrite(entry) ? service.state : 0])};
		});
		const distinct = (kind: (entry: (typeof calls)[number]) => boolean) => new Set(keyed.filter(({entry}) => kind(entry)).map(({key}) => key)).size;
		const repeats = calls.length - new Set(keyed.map(({key}) => key)).size;
		// qBittorrent's log names every login, whoever sent it: Sonarr's and Radarr's tests of their new download client
		// log in too. arrwire's own are counted in the arrwire process (the preload), where they are sent.
		const logins = (await qbittorrentLog()).filter(entry => entry.id > lastLog && entry.message.startsWith('WebAPI login success')).length;
		const ownLogins = lastLogins();
		const needed = distinct(isRead) + distinct(isTest) + distinct(isWrite) + calls.filter(isLogin).length + Math.min(ownLogins, 1);
		const made = calls.length + ownLogins;
		const ratio = made / needed;
		const met = target.ratio === undefined || ratio <= target.ratio;
		return {
			name: `requests: arrwire ${[command, ...extra].join(' ')}`,
			value: `${made} API calls (${reads.length} reads, ${repeats} repeats, ${writes.length} writes, ${tests.length} service tests, ${ownLogins} qBittorrent login${ownLogins === 1 ? '' : 's'}; ${logins} in qBittorrent's log with Sonarr's and Radarr's own), ${sent.length - calls.length} probes apart`,
			baseline: `needed ${needed}`,
			ratio: `${ratio.toFixed(2)}x`,
			target: `${target.text} (${met && (command !== 'plan' || (writes.length === 0 && tests.length === 0)) && (command !== 'doctor' || repeats === 0) && ownLogins <= 1 ? 'met' : 'NOT met'})`,
		};
	};
	try {
		const apply = await count('apply', ['--yes'], {ratio: 1.2, text: '<= 1.2x needed; 1 qBittorrent login'});
		const applyRss = lastRss();
		const bareRss = (spawnSync(process.execPath, ['-e', '0'], {env: {...process.env, ...preload}}), lastRss());
		return [
			apply,
			await count('plan', [], {text: 'reads only: 0 writes, 0 service tests; 1 qBittorrent login'}),
			await count('doctor', ['--json'], {text: 'each read and each test once: 0 repeats; 1 qBittorrent login'}),
			{name: 'memory: max RSS of apply --yes', value: `${applyRss.toFixed(0)} MiB`, baseline: `node -e 0: ${bareRss.toFixed(0)} MiB`, ratio: `${(applyRss / bareRss).toFixed(2)}x`, target: `<= 70 MiB (${applyRss <= 70 ? 'met' : 'NOT met'})`},
		];
	} finally {
		await cliLab.stop();
		rmSync(scratch, {recursive: true, force: true});
	}
}

/**
 * What each package bundled into the command costs: its bytes in the bundle (what a user downloads and keeps on
 * disk for it), and the start-up of a process that loads only that package, built as scripts/bundle.mjs builds the
 * command, next to bare `node -e 0` in the same run. Which commands load it is from the bundle's own record.
 */
export async function dependenciesBench(runs = 7): Promise<BenchResult[]> {
	const {build} = await import('esbuild');
	const {pathToFileURL} = await import('node:url');
	const {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} = await import('node:fs');
	const root = path.resolve(path.dirname(cli), '../..');
	const contents = JSON.parse(readFileSync(path.join(root, 'dist/bundle-contents.json'), 'utf8')) as Record<string, string[]>;
	// The options the command is built with (scripts/bundle.mjs), so that each package is weighed as it ships.
	const {bundleOptions} = (await import(pathToFileURL(path.join(root, 'scripts/bundle.mjs')).href)) as {bundleOptions: import('esbuild').BuildOptions};
	const scratch = mkdtempSync(path.join(os.tmpdir(), 'arrwire-bench-deps-'));
	const used: Record<string, string> = {'zod/mini': 'every command', ky: 'every command that talks to a service', execa: 'containers (docker, podman)', ink: 'the wizard', react: 'the wizard', '@inkjs/ui': 'the wizard'};
	const results: BenchResult[] = [];
	try {
		const total = Object.keys(contents).reduce((sum, file) => sum + statSync(path.join(path.dirname(cli), file)).size, 0);
		results.push({name: 'install: the bundle (dist/bin)', value: `${(total / 1024).toFixed(0)} KiB, no dependency installed beside it`});
		for (const name of Object.keys(used)) {
			const folder = path.join(scratch, name.replace('/', '-'));
			const entry = `${folder}.mjs`;
			writeFileSync(entry, `import * as loaded from ${JSON.stringify(name)};\nif (process.argv[2] === 'print') console.log(Object.keys(loaded).length);\n`);
			const built = await build({
				...bundleOptions,
				entryPoints: [entry],
				outdir: folder,
				// Outside any package.json, only .mjs is an ES module.
				outExtension: {'.js': '.mjs'},
				nodePaths: [path.join(root, 'node_modules')],
				metafile: true,
				logLevel: 'error',
			});
			const outfile = path.join(folder, `${path.basename(entry, '.mjs')}.mjs`);
			// The package's bytes in every file of its build (a part Ink loads only with DEV=true included).
			const bytes = Object.values(built.metafile.outputs).flatMap(output => Object.entries(output.inputs)).reduce((sum, [input, {bytesInOutput}]) => sum + (input.includes('node_modules/') ? bytesInOutput : 0), 0);
			const row = await paired(
				`dependency: ${name} (${used[name]})`,
				() => timeProcess(process.execPath, [outfile, 'print']),
				{label: 'node -e 0', run: () => timeProcess(process.execPath, ['-e', '0'])},
				{ratio: Number.POSITIVE_INFINITY, text: ''},
				stdout => {
					if (!/^\d+$/.test(stdout.trim())) {
						throw new Error(`loading ${name} printed ${stdout}`);
					}
				},
				runs,
			);
			const {ms, baselineMs, ...shown} = row;
			const cost = ms - baselineMs;
			results.push({...shown, value: `${(bytes / 1024).toFixed(0)} KiB loaded whole with its own dependencies, +${cost.toFixed(0)} ms`, target: undefined});
		}
	} finally {
		rmSync(scratch, {recursive: true, force: true});
	}
	return results;
}

const benches: Array<() => Promise<BenchResult | BenchResult[]>> = [() => startupBench(), () => discoverBench(), () => wizardBench(), () => sweepBench(), () => requestsBench(), () => dependenciesBench()];

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const results: BenchResult[] = [];
	for (const bench of benches) {
		results.push(...[await bench()].flat());
	}
	printResults(results);
}
