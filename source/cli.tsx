#!/usr/bin/env node
// args -> mode. Each mode loads only what it needs, so `arrwire --version` starts fast.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {drawOnTerminal} from './app/terminal-env.js';
import {isCommand, OPTIONS, usageProblem} from './commands/options.js';
import {errorMessage} from './services/errors.js';
import type {ServiceKind} from './discovery/catalogue.js';
import type {GivenCredential, ScriptCredentials} from './discovery/given-credentials.js';

const HELP = `arrwire: wires Prowlarr, Sonarr, Radarr, qBittorrent, Jellyfin and Jellyseerr.

Usage
  arrwire                 the wizard (in a terminal): discover, credentials,
                          checks, plan, apply, summary
  arrwire demo            start the built-in demo lab and run the wizard on it
      --plain             no wizard: plain output
  arrwire discover        find the services and check their credentials
      --host NAME[:PORT]  also look on this machine (repeatable)
      --scan CIDR         sweep a network on the default ports (repeatable,
                          at most a /20)
      --config-dir DIR    a folder holding the services' config dirs
                          (repeatable)
      --no-docker         do not look at containers
      --credentials-from FILE|-
                          the logins and keys arrwire cannot read from the
                          services' files: a file only you can read (JSON or
                          ARRWIRE_*=value lines), or - for stdin
      --json              machine-readable output, no questions, no secrets
      --store-secrets     keep typed credentials in the profile (0600)
  arrwire check           check paths, hardlinks and owners across the services
                          (changes no setting; proves what each service sees
                          with a test file it writes and removes at once)
      --json              machine-readable findings; exit code 1 on any error
      --no-canary         skip that proof: write nothing at all
  arrwire plan            show the changes that would link the services
                          (secrets masked)
      --json              machine-readable plan
      --only LINK         only this link (repeatable; ids are listed by
                          arrwire plan --json)
      --data-root DIR     the host folder that holds torrents/ and media/
                          (default: beside qBittorrent's save path)
  arrwire apply           make the planned changes, each shown first, each
                          recorded in the journal
      --yes               no questions, except for entries made by hand
      --yes-hand-made     change entries made by hand too
      --only LINK, --data-root DIR   as for plan
  arrwire undo [--yes]    reverse the last run's changes
      The NZBgeek API key is read from ARRWIRE_NZBGEEK_API_KEY (never from the
      command line).
  arrwire doctor          test every link, explain each fault with its fix,
                          offer the repairs
      --json              machine-readable report; exit code 1 on any fault
      --data-root DIR     as for plan
      --offline           no test that reaches beyond the stack (Prowlarr's
                          test of NZBgeek costs one query of its API limit)
      --no-canary         as for check
  arrwire lab             start the demo lab on loopback, print where each
                          service is and the commands that point arrwire at it
  arrwire --version
  arrwire --help

The discover options (--host, --scan, --config-dir, --no-docker,
--credentials-from) go with every command but demo and lab, which start a stack
of their own.

Credentials for scripts, never on the command line: ARRWIRE_<SERVICE>_USERNAME
and _PASSWORD (QBITTORRENT, JELLYFIN, NZBGET), ARRWIRE_<SERVICE>_API_KEY
(SONARR, RADARR, PROWLARR, JELLYSEERR, SABNZBD, JELLYFIN, NZBGEEK) and, when
several of a kind are found, ARRWIRE_<SERVICE>_URL; or the same names in the
--credentials-from file, which wins over the environment.
`;

export function packageVersion(): string {
	const file = new URL('../../package.json', import.meta.url);
	return (JSON.parse(readFileSync(file, 'utf8')) as {version: string}).version;
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

async function main(argv: string[]): Promise<number> {
	// Before anything loads Ink: on a terminal the wizard draws even where CI is set.
	drawOnTerminal(process);
	let parsed;
	try {
		parsed = parseArgs({args: argv, allowPositionals: true, strict: true, options: OPTIONS});
	} catch (error) {
		console.error(`arrwire: ${errorMessage(error)}\n\n${HELP}`);
		return 2;
	}
	const {values, positionals} = parsed;
	if (values.version) {
		console.log(packageVersion());
		return 0;
	}
	const mode = positionals[0] ?? 'wizard';
	if (values.help || mode === 'help') {
		console.log(HELP);
		return 0;
	}
	if (!isCommand(mode) || positionals[0] === 'wizard') {
		console.error(`arrwire: unknown command '${mode}'.\n\n${HELP}`);
		return 2;
	}
	// Every mistake that needs no service is found here, before anything is looked for.
	const problem = await usageProblem(mode, values, positionals.slice(1));
	if (problem) {
		console.error(problem);
		return 2;
	}
	// The credentials a script gives (environment, file or stdin): a mistake in them is a usage error too.
	let given: ScriptCredentials;
	try {
		given = await scriptCredentials(mode, values['credentials-from']);
	} catch (error) {
		if (error instanceof Error && error.name === 'CredentialsInputError') {
			console.error(`arrwire: ${error.message}`);
			return 2;
		}
		throw error;
	}
	// The session takes them with the discovery options (openStack's `credentials`), whichever command opens it.
	const credentials = given.services;
	switch (mode) {
		case 'discover': {
			const {runDiscover} = await import('./commands/discover.js');
			return runDiscover({
				json: values.json === true,
				hosts: strings(values.host),
				scan: strings(values.scan),
				configFolders: strings(values['config-dir']),
				docker: values['no-docker'] !== true,
				storeSecrets: values['store-secrets'] === true ? true : undefined,
				...{credentials},
			});
		}
		case 'check': {
			const {runCheck} = await import('./commands/check.js');
			return runCheck({
				json: values.json === true,
				hosts: strings(values.host),
				scan: strings(values.scan),
				configFolders: strings(values['config-dir']),
				docker: values['no-docker'] !== true,
				canary: values['no-canary'] !== true,
				...{credentials},
			});
		}
		case 'plan':
		case 'apply':
		case 'undo':
		case 'doctor': {
			const wiring = {
				hosts: strings(values.host),
				scan: strings(values.scan),
				configFolders: strings(values['config-dir']),
				docker: values['no-docker'] !== true,
				dataRoot: typeof values['data-root'] === 'string' ? values['data-root'] : undefined,
				nzbgeekApiKey: given.nzbgeekApiKey,
				credentials,
				only: strings(values.only),
			};
			if (mode === 'plan') {
				const {runPlan} = await import('./commands/plan.js');
				return runPlan({...wiring, json: values.json === true});
			}
			if (mode === 'apply') {
				const {runApply} = await import('./commands/apply.js');
				return runApply({...wiring, yes: values.yes === true, yesHandMade: values['yes-hand-made'] === true});
			}
			if (mode === 'doctor') {
				const {runDoctor} = await import('./commands/doctor.js');
				return runDoctor({...wiring, json: values.json === true, offline: values.offline === true, canary: values['no-canary'] !== true});
			}
			const {runUndo} = await import('./commands/undo.js');
			return runUndo({...wiring, yes: values.yes === true});
		}
		case 'lab': {
			const {runLab} = await import('./commands/lab.js');
			return runLab();
		}
		case 'demo': {
			const {runDemo} = await import('./commands/demo.js');
			return runDemo({plain: values.plain === true});
		}
		case 'wizard': {
			const {canAsk} = await import('./commands/ask.js');
			if (!canAsk()) {
				console.error(
					'arrwire: the wizard needs a terminal. Without one, use:\n  arrwire plan            to see the changes\n  arrwire apply --yes     to make them\n  arrwire doctor --json   to test every link\n(arrwire --help lists everything.)',
				);
				return 2;
			}
			const dataRootProblem = typeof values['data-root'] === 'string' ? (await import('./links/desired.js')).dataRootProblem(values['data-root']) : undefined;
			if (dataRootProblem) {
				console.error(`arrwire: ${dataRootProblem}`);
				return 2;
			}
			const {runWizard} = await import('./app/run.js');
			return runWizard({
				dataRoot: typeof values['data-root'] === 'string' ? values['data-root'] : undefined,
				hosts: strings(values.host),
				scan: strings(values.scan),
				configFolders: strings(values['config-dir']),
				docker: values['no-docker'] !== true,
				nzbgeekApiKey: given.nzbgeekApiKey,
				...{credentials},
			});
		}
		default:
			return 2;
	}
}

/**
 * The credentials given for this run by the environment and `--credentials-from`. The plain commands say on stderr
 * what became of each one that was not taken (refused by its service, or not sent, and why); the wizard shows it.
 */
async function scriptCredentials(mode: string, from: unknown): Promise<ScriptCredentials> {
	if (mode === 'demo' || mode === 'lab') {
		return {services: {}};
	}
	const {credentialsFromEnvironment, givenOutcomeText, mergeCredentials, parseCredentials, readCredentialsInput} = await import('./discovery/given-credentials.js');
	const fromEnvironment = credentialsFromEnvironment();
	let fromFile: ScriptCredentials | undefined;
	if (typeof from === 'string') {
		const {text, source} = await readCredentialsInput(from);
		fromFile = parseCredentials(text, source);
	}
	const given = mergeCredentials(fromEnvironment, fromFile);
	if (mode !== 'wizard') {
		const said = new Set<string>();
		for (const [kind, credential] of Object.entries(given.services) as Array<[ServiceKind, GivenCredential]>) {
			credential.report = outcome => {
				const text = givenOutcomeText(kind, credential, outcome);
				if (text && !said.has(text)) {
					said.add(text);
					console.error(`arrwire: ${text}`);
				}
			};
		}
	}
	return given;
}

// A reader that goes away (`arrwire doctor | head -3`) ends the output, not the command: what it was doing (an apply
// half-way) goes on to its end and its exit code, and what it would still print is dropped.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
			throw error;
		}
	});
}

main(process.argv.slice(2)).then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(`arrwire: ${errorMessage(error)}`);
		process.exitCode = 1;
	},
);
