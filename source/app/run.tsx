// runWizard: renders the wizard with Ink on a terminal and resolves with its exit code.
import {render} from 'ink';
import {App} from './app.js';
import {createController, type WizardController, type WizardOptions} from './controller.js';

export type {WizardOptions} from './controller.js';

export interface RunWizardOptions extends WizardOptions {
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	/** A controller to use instead of the real one (tests). */
	controller?: WizardController;
}

export async function runWizard(options: RunWizardOptions): Promise<number> {
	const controller = options.controller ?? createController(options);
	let code: number | undefined;
	const instance = render(
		<App
			controller={controller}
			journalFile={options.journalFile}
			onExit={exitCode => {
				code = exitCode;
				instance.unmount();
			}}
		/>,
		// Only the streams given: an undefined one would replace Ink's default.
		{...(options.stdin ? {stdin: options.stdin} : {}), ...(options.stdout ? {stdout: options.stdout} : {}), exitOnCtrlC: true, patchConsole: true},
	);
	await instance.waitUntilExit();
	// Ctrl-C unmounts without an answer: that is a quit too.
	return code ?? 130;
}
