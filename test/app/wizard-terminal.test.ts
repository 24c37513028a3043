// The wizard in a real terminal (tmux, 80x24), keys sent several at once as a paste, type-ahead or a laggy link
// sends them: the logins succeed, a secret never shows, and no login is tried with a broken answer.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {startLab} from '../lab/lab.js';
import {Terminal} from '../tty.js';

const cli = path.resolve('dist/source/cli.js');

/** Several keys in one tmux command (tmux names: Enter, Escape; other words are typed). */
function keys(terminal: Terminal, ...names: string[]): void {
	spawnSync('tmux', ['send-keys', '-t', terminal.session, ...names]);
}

/** Text with its Enters (\r) in one chunk, as a paste. */
function paste(terminal: Terminal, text: string): void {
	spawnSync('tmux', ['send-keys', '-t', terminal.session, '-l', text]);
}

/** The widest line the wizard drew (from its title line on: capture-pane -J joins a line the terminal wrapped). */
function widest(screen: string): number {
	const wizard = screen.slice(Math.max(0, screen.indexOf('arrwire  ')));
	return Math.max(...wizard.split('\n').map(line => [...line.trimEnd()].length));
}

describe('the wizard in a terminal takes several keys at once', () => {
	it('the demo: Enter Enter at the given qBittorrent login, "admin" Enter Enter at Jellyfin: both accepted, nothing shown', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		const terminal = new Terminal([process.execPath, cli, 'demo'], {env: {XDG_CONFIG_HOME: home}, width: 80, height: 24});
		try {
			await terminal.waitFor(/Found 6 of 6 services/, 60_000);
			keys(terminal, 'Enter');
			await terminal.waitFor(/qBittorrent is next/);
			keys(terminal, 'Enter', 'Enter');
			let screen = await terminal.waitFor(/Jellyfin is next/);
			assert.match(screen, /qBittorrent v?[\d.]+ accepted the login of admin/);
			assert.doesNotMatch(screen, /sername: admin.*sername|refused/);
			keys(terminal, 'admin', 'Enter', 'Enter');
			screen = await terminal.waitFor(/credentials accepted\.\s*\n/);
			assert.match(screen, /Jellyfin\s+Jellyfin [\d.]+ accepted/);
			assert.doesNotMatch(screen, /401|refused/);
			assert.ok(widest(screen) <= 80, screen);
			keys(terminal, 'q');
			await terminal.waitFor(/Quit arrwire\?/);
			keys(terminal, 'y');
			await terminal.waitFor(/\[exit 130\]/, 30_000);
		} finally {
			terminal.close();
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('typed logins: "\\r\\r" keeps the suggested username, a pasted password with its Enter logs in once, type-ahead fills both fields', async () => {
		const lab = await startLab();
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		const terminal = new Terminal([process.execPath, cli, '--no-docker', '--host', lab.host, '--config-dir', path.join(lab.paths.root, 'config')], {env: {XDG_CONFIG_HOME: home}, width: 80, height: 24});
		const seen: string[] = [];
		const waitFor = async (pattern: RegExp, timeoutMs?: number) => {
			const screen = await terminal.waitFor(pattern, timeoutMs);
			seen.push(screen);
			return screen;
		};
		try {
			await waitFor(/Found \d+ of 6 services/, 60_000);
			keys(terminal, 'Enter');
			await waitFor(/qBittorrent is next/);
			paste(terminal, '\r\r');
			seen.push(terminal.screen());
			await waitFor(/Password:/);
			paste(terminal, `${lab.qbittorrent.password}\r`);
			let screen = await waitFor(/Jellyfin is next/);
			assert.match(screen, /qBittorrent v?[\d.]+ accepted the login of admin/);
			paste(terminal, `${lab.jellyfinAdmin.name}\r${lab.jellyfinAdmin.password}\r`);
			seen.push(terminal.screen());
			screen = await waitFor(/NZBgeek is next/);
			assert.match(screen, /Jellyfin\s+Jellyfin [\d.]+ accepted/);
			paste(terminal, `${lab.keys.nzbgeek}\r\n`);
			screen = await waitFor(/7 of 7 credentials accepted/);
			assert.doesNotMatch(screen, /401|refused/);
			for (const secret of [lab.qbittorrent.password, lab.jellyfinAdmin.password, ...Object.values(lab.keys)]) {
				assert.ok(!seen.some(candidate => candidate.includes(secret)), 'no secret on screen');
			}
			assert.ok(seen.every(candidate => widest(candidate) <= 80));
			keys(terminal, 'q');
			await waitFor(/Quit arrwire\?/);
			keys(terminal, 'y');
			await waitFor(/\[exit 130\]/, 30_000);
		} finally {
			terminal.close();
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		}
	});
});
