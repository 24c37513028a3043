// What a link proposes: a change a person can read ("create X", "update field F from A to B"), secrets masked.
import type {ServiceName} from '../services/errors.js';
import {MASK} from '../services/redact.js';

export interface FieldChange {
	name: string;
	from?: unknown;
	to?: unknown;
	/** Shown masked, never printed. */
	secret?: boolean;
}

export interface Change<Payload = unknown> {
	/** The link that proposes it ("sonarr-download-client"). */
	link: string;
	service: ServiceName;
	action: 'create' | 'update' | 'delete';
	/** What is changed, in words: "download client \"qBittorrent\"". */
	target: string;
	fields: FieldChange[];
	/** The entry exists and arrwire did not create it: shown first, changed only when the user says so. */
	handMade: boolean;
	/** Why, when it is not obvious ("Sonarr reaches qBittorrent as qbittorrent:8080 on their Docker network"). */
	reason?: string;
	/** What apply() needs; never shown. */
	payload: Payload;
}

export function formatValue(value: unknown, secret = false): string {
	if (secret) {
		return value === undefined || value === '' ? '(empty)' : MASK;
	}
	if (value === undefined || value === null || value === '') {
		return '(empty)';
	}
	return JSON.stringify(value);
}

/** "Sonarr: create download client "qBittorrent"" and one line per field. */
export function describeChange(change: Change): string[] {
	const head = `${change.service}: ${change.action} ${change.target}${change.handMade ? '  (made by hand, not by arrwire)' : ''}`;
	const lines = [head];
	for (const field of change.fields) {
		if (change.action === 'update') {
			lines.push(`    ${field.name}: ${formatValue(field.from, field.secret)} -> ${formatValue(field.to, field.secret)}`);
		} else if (change.action === 'create') {
			lines.push(`    ${field.name}: ${formatValue(field.to, field.secret)}`);
		}
	}
	if (change.reason) {
		lines.push(`    why: ${change.reason}`);
	}
	return lines;
}
