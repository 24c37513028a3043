// Link (on request): a strong qBittorrent WebUI password in place of the old default admin/adminadmin or a short one.
// The new password is made here, set through setPreferences, and handed on through what apply returns to the links
// that follow in the same run (the Sonarr/Radarr download clients), so nothing is left logging in with the old one;
// the engine returns it to the caller, who keeps it in the profile, since nothing else knows it.
import {randomBytes} from 'node:crypto';
import type {Finding} from '../checks/findings.js';
import type {QbittorrentClient} from '../services/qbittorrent.js';
import type {Journal} from '../state/journal.js';
import type {Desired, Login} from './context.js';
import type {HandedOn, Link} from './link.js';

export interface QbittorrentPasswordContext {
	clients: {qbittorrent?: QbittorrentClient};
	desired: Pick<Desired, 'qbittorrent'>;
	journal: Journal;
}

const MIN_LENGTH = 12;
const target = 'WebUI password';

export function isWeakPassword(password: string): boolean {
	return password === 'adminadmin' || password.length < MIN_LENGTH;
}

/** The login as it stands in this run: the one this run set, else the accepted one. */
function loginOf(context: QbittorrentPasswordContext, handed: Readonly<HandedOn> = {}): Login {
	return handed.qbittorrentLogin ?? context.desired.qbittorrent!;
}

function strongPassword(): string {
	// 24 characters from an alphabet without look-alikes; about 140 bits.
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
	return [...randomBytes(24)].map(byte => alphabet[byte % alphabet.length]).join('');
}

export const qbittorrentPasswordLink: Link<QbittorrentPasswordContext, {weak: boolean}, {password: string}> = {
	id: 'qbittorrent-password',
	title: 'a strong qBittorrent WebUI password',
	services: ['qBittorrent'],
	needs: {clients: ['qbittorrent']},
	gives: ['qbittorrentLogin'],
	onRequest: true,

	applicable: context => (context.clients.qbittorrent && context.desired.qbittorrent ? true : 'qBittorrent was not found or not logged in'),

	read: (context, handed) => Promise.resolve({weak: isWeakPassword(loginOf(context, handed).password)}),

	plan(current, context, handed) {
		if (!current.weak) {
			return [];
		}
		const {password} = loginOf(context, handed);
		const old = password === 'adminadmin' ? 'the old default adminadmin' : `a password of ${password.length} characters`;
		return [
			{
				link: this.id,
				service: 'qBittorrent',
				action: 'update',
				target,
				fields: [{name: 'password', from: '********', to: '********', secret: true}],
				handMade: false,
				reason: `qBittorrent accepts ${old}; a new random password of 24 characters is set, and Sonarr and Radarr get it in the same run`,
				payload: {password: strongPassword()},
			},
		];
	},

	async apply(change, context, handed) {
		await context.clients.qbittorrent!.setPreferences({web_ui_password: change.payload.password});
		// The client is arrwire's session with qBittorrent: its next login must use what qBittorrent now expects.
		context.clients.qbittorrent!.setPassword(change.payload.password);
		// The journal keeps no secret: the old password cannot be put back by undo.
		return {entryId: 'web_ui_password', handsOn: {qbittorrentLogin: {...loginOf(context, handed), password: change.payload.password}}};
	},

	verify(context, handed) {
		const findings: Finding[] = [];
		if (isWeakPassword(loginOf(context, handed).password)) {
			findings.push({id: 'link.qbittorrent-weak-password', severity: 'warning', subject: 'qBittorrent', cause: 'qBittorrent\'s WebUI password is the old default or short.', fix: 'Run arrwire apply --only qbittorrent-password (Sonarr and Radarr are updated in the same run).'});
		}
		return Promise.resolve(findings);
	},

	async undo() {
		// Nothing to restore: arrwire never kept the old password, and putting back a weak one would be no repair.
	},
};
