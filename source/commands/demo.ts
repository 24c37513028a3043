// `arrwire demo` (what `npm start` runs with no stack of one's own): start the built-in lab — the real qBittorrent
// and NZBGet (NZBgeek's Usenet releases need a client), emulated Sonarr, Radarr, Prowlarr, Jellyfin and Jellyseerr
// on loopback — and wire it the way arrwire wires a real stack: discover, check the credentials, plan, apply,
// verify, and plan again (nothing left to change).
import {cleanUpOnSignals, makeTempFolder} from '../lab/cleanup.js';
import {startLab} from '../lab/lab.js';
import {selectLinks} from '../links/all.js';
import {describeChange} from '../links/change.js';
import {isServiceError} from '../services/errors.js';
import {openSession} from '../session/session.js';
import {printDiscovery} from './discover.js';
import {canAsk} from './ask.js';
import {printPlan} from './plan.js';

export async function runDemo(options: {plain?: boolean} = {}, output: NodeJS.WritableStream = process.stdout): Promise<number> {
	// Before anything starts: Ctrl-C, SIGTERM or a closed terminal (SIGHUP) stops qBittorrent and removes the lab's
	// and the demo's folders at any moment, start-up included, and exits with 128 + the signal's number. The wizard
	// reads Ctrl-C as a key (raw mode) and quits, which ends here too (finally, below); a SIGHUP still arrives as one.
	let stopped = false;
	const out = {write: (text: string) => stopped || output.write(text)} as unknown as NodeJS.WritableStream;
	const release = cleanUpOnSignals(() => {
		out.write('\nStopping the demo lab…\n');
		// What the run was doing fails from here on as the lab goes; that is no news.
		stopped = true;
	});
	// Two lines, so that each fits an 80-column terminal.
	out.write('Starting the demo lab: the real qBittorrent and NZBGet (where installed), and\nemulated Sonarr, Radarr, Prowlarr, Jellyfin and Jellyseerr…\n');
	// Without ../shared/specs (an installed arrwire) the lab runs unchecked; tests insist on the check.
	const lab = await startLab({checkSpecs: 'when-available', nzbget: 'when-available'}, step => out.write(`  ${step}\n`));
	const state = makeTempFolder('arrwire-demo-');
	try {
		if (!options.plain && canAsk()) {
			// In a terminal: the wizard, on the lab. The two logins that live in no file come pre-filled, as "given".
			const {runWizard} = await import('../app/run.js');
			const pointed = lab.arrwireOptions(state.path);
			return await runWizard({
				localhost: false,
				hosts: pointed.hosts,
				docker: false,
				nativeConfigFiles: false,
				configFolders: pointed.configFolders,
				profileFile: pointed.profileFile,
				journalFile: pointed.journalFile,
				given: pointed.credentials,
				nzbgeekApiKey: pointed.nzbgeekApiKey,
			});
		}
		out.write(`The lab is up on ${lab.host}, with its data tree in ${lab.paths.data}.\n\n`);
		out.write('1. Discover — the six default ports on that address; keys are read from the services\' own files.\n');
		const session = openSession({...lab.arrwireOptions(state.path), checks: true});
		const wiring = await session.wiring({checks: true});
		printDiscovery(wiring.stack.discovery, wiring.stack.credentials, indent(out));

		out.write('\n2. Plan — what would link the services (secrets masked):\n\n');
		const links = selectLinks();
		const plans = await session.plan(links);
		printPlan(plans, wiring.notes, (wiring.report?.findings ?? []).filter(finding => finding.severity === 'error'), indent(out));

		out.write('\n3. Apply — each change is shown, made, and recorded in the journal:\n\n');
		const result = await session.apply(links, {
			confirm: change => {
				out.write(describeChange(change).map(line => `   ${line}`).join('\n') + '\n');
				return Promise.resolve(true);
			},
			onEvent: event => {
				if (event.type === 'failed') {
					out.write(`   ✖ ${event.error.message}\n${isServiceError(event.error) ? `     fix: ${event.error.fix}\n` : ''}`);
				}
			},
		});
		out.write(`\n   ${result.applied.length} change(s) made${result.failed ? '; stopped at a failure' : ''}.\n`);
		for (const finding of result.findings) {
			out.write(`   ${finding.severity === 'error' ? '✖' : '!'} ${finding.subject}: ${finding.cause}\n     fix: ${finding.fix}\n`);
		}

		out.write('\n4. Plan again — a wired stack needs nothing:\n\n');
		const again = await session.plan(links);
		const left = again.reduce((sum, plan) => sum + plan.changes.length, 0);
		printPlan(again, [], [], indent(out));
		const ok = !result.failed && left === 0 && !result.findings.some(finding => finding.severity === 'error');
		out.write(ok ? '\nThe demo stack is wired. Run `arrwire lab` to keep a lab up and try arrwire on it yourself.\n' : '\nThe demo did not finish wiring; the messages above say why.\n');
		return ok ? 0 : 1;
	} finally {
		await lab.stop();
		await state.remove();
		release();
	}
}

function indent(out: NodeJS.WritableStream): NodeJS.WritableStream {
	return {write: (text: string) => out.write(text.replace(/^(?=.)/gm, '   '))} as unknown as NodeJS.WritableStream;
}
