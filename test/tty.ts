// Drives a program in a real terminal (tmux): keys in, screen text out. For prompts that must be masked.
import {spawnSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';

export class Terminal {
	readonly session: string;

	constructor(command: string[], options: {env?: Record<string, string>; width?: number; height?: number} = {}) {
		this.session = `arrwire-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		const exports = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${shellQuote(value)}`);
		const line = [...(exports.length ? ['env', ...exports] : []), ...command.map(shellQuote)].join(' ');
		const result = spawnSync('tmux', ['new-session', '-d', '-s', this.session, '-x', String(options.width ?? 160), '-y', String(options.height ?? 50), `${line}; echo "[exit $?]"; sleep 60`], {encoding: 'utf8'});
		if (result.error || result.status !== 0) {
			throw new Error(`tmux could not start (${result.error?.message ?? result.stderr}); install it with: apt-get install -y tmux`);
		}
	}

	screen(): string {
		return spawnSync('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', this.session], {encoding: 'utf8'}).stdout;
	}

	/** Sends text (literally) and optionally Enter. */
	type(text: string, enter = true): void {
		if (text) {
			spawnSync('tmux', ['send-keys', '-t', this.session, '-l', '--', text]);
		}
		if (enter) {
			spawnSync('tmux', ['send-keys', '-t', this.session, 'Enter']);
		}
	}

	key(name: string): void {
		spawnSync('tmux', ['send-keys', '-t', this.session, name]);
	}

	/** Waits until the screen matches, and returns it; fails with the screen when it does not in time. */
	async waitFor(pattern: RegExp, timeoutMs = 180_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (pattern.test(screen)) {
				return screen;
			}
			await sleep(50);
		}
		throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
	}

	close(): void {
		spawnSync('tmux', ['kill-session', '-t', this.session]);
	}
}

function shellQuote(value: string): string {
	return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
