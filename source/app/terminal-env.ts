// Ink draws nothing until the program ends when CI or CONTINUOUS_INTEGRATION is set (is-in-ci, read once, when Ink or
// execa is first imported). Many shells and build machines set CI; on a real terminal the wizard must still show its
// screens, so there those variables are dropped before anything imports Ink.

const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/** On a terminal (both ends), removes the CI variables from env so Ink draws each frame. Returns the names removed. */
export function drawOnTerminal(
	streams: {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}},
	env: NodeJS.ProcessEnv = process.env,
): string[] {
	if (streams.stdin.isTTY !== true || streams.stdout.isTTY !== true) {
		return [];
	}
	const removed = CI_VARIABLES.filter(name => name in env);
	for (const name of removed) {
		delete env[name];
	}
	return removed;
}
