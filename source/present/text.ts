// Findings, errors (with their fix), credential checks and apply events as lines of text: the one way each is said,
// for the screens and the commands alike. A line carries a tone (what it means), never a colour: the wizard's theme
// colours tones, a command prints the text alone.
import type {Finding, Severity} from '../checks/findings.js';
import type {CredentialCheck} from '../discovery/credentials.js';
import type {DiscoveredService} from '../discovery/discover.js';
import type {UnknownService} from '../discovery/fingerprint.js';
import {describeChange, type Change} from '../links/change.js';
import type {ApplyEvent} from '../links/engine.js';
import {errorMessage, isServiceError} from '../services/errors.js';
import {wrapText} from './wrap.js';

export type Tone = 'ok' | 'changed' | 'failed' | 'skipped' | 'warning' | 'info' | 'accent' | 'dim';

export const MARK = {
	ok: '✔',
	failed: '✖',
	warning: '!',
	info: 'i',
	pointer: '›',
	bullet: '•',
	arrow: '→',
} as const;

export const SEVERITY_MARK: Record<Severity, string> = {error: MARK.failed, warning: MARK.warning, info: MARK.info};
export const SEVERITY_TONE: Record<Severity, Tone> = {error: 'failed', warning: 'warning', info: 'info'};

export interface Part {
	text: string;
	tone?: Tone;
}

export interface Line {
	/** The whole line as plain text (what a command prints). */
	text: string;
	tone?: Tone;
	bold?: boolean;
	/** The same text in parts of their own tones ("✔" in green before a plain line), when it has them. */
	parts?: Part[];
}

/**
 * The width a command wraps its lines to: the terminal's, when it writes to one; else none (a pipe or a file gets
 * each finding on whole lines, for grep).
 */
export function outWidth(out: NodeJS.WritableStream): number {
	const columns = (out as {columns?: number; isTTY?: boolean}).isTTY ? (out as {columns?: number}).columns : undefined;
	return columns ? Math.max(40, columns - 2) : Number.POSITIVE_INFINITY;
}

/** Lines as a command prints them: the text alone, one per line. */
export function writeLines(out: NodeJS.WritableStream, lines: readonly Line[]): void {
	if (lines.length > 0) {
		out.write(lines.map(line => line.text).join('\n') + '\n');
	}
}

/** A line made of parts in their own tones. */
export function partsLine(...parts: Part[]): Line {
	return {text: parts.map(part => part.text).join(''), parts};
}

export {errorMessage};

/** The fix an error carries (a service error always has one), if any. */
function errorFix(error: unknown): string | undefined {
	return isServiceError(error) ? error.fix : undefined;
}

/** An error as wrapped lines: what failed (after `mark`, if given), then its fix when it has one. */
export function errorLines(error: unknown, width: number, indent = '', mark = ''): Line[] {
	const fix = errorFix(error);
	return [
		...wrapText(`${indent}${mark ? `${mark} ` : ''}${errorMessage(error)}`, width, `${indent}  `).map(text => ({text, tone: 'failed' as const})),
		...(fix ? wrapText(`${indent}  fix: ${fix}`, width, `${indent}       `).map(text => ({text})) : []),
	];
}

/** What a finding shows besides its subject, cause and fix: what was seen, and what the fault costs. */
export interface FindingDetail {
	evidence?: boolean;
	impact?: boolean;
}

/**
 * A finding as wrapped lines: the mark, subject and cause in its severity's tone, what was seen and what it costs
 * (when asked for), then the fix (each of its own lines indented under the first).
 */
export function findingLines(finding: Finding, width: number, prefix = '', options: FindingDetail = {}): Line[] {
	const tone = SEVERITY_TONE[finding.severity];
	return [
		...wrapText(`${prefix}${SEVERITY_MARK[finding.severity]} ${finding.subject}: ${finding.cause}`, width, `${prefix}  `).map((text, position) => ({text, tone, bold: position === 0})),
		...(options.evidence ? (finding.evidence ?? []).flatMap(seen => wrapText(`${prefix}  seen: ${seen}`, width, `${prefix}        `).map(text => ({text, tone: 'dim' as const}))) : []),
		...(options.impact && finding.impact ? wrapText(`${prefix}  cost: ${finding.impact}`, width, `${prefix}        `).map(text => ({text})) : []),
		...wrapText(`${prefix}  fix: ${finding.fix.split('\n').join(`\n${prefix}       `)}`, width, `${prefix}       `).map(text => ({text})),
	];
}

export function findingsLines(findings: readonly Finding[], width: number, prefix = '', options: FindingDetail = {}): Line[] {
	return findings.flatMap(finding => findingLines(finding, width, prefix, options));
}

/** "1 error(s), 2 warning(s), 0 note(s)". */
export function countBySeverity(findings: readonly Finding[]): string {
	const count = (severity: Severity) => findings.filter(finding => finding.severity === severity).length;
	return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`;
}

/**
 * A service found (name, version, address, container, a key not read and why), or a program that is none of the six.
 * `versionWidth`: the longest version of the list, so that the addresses line up ("4.0.19.2979" is 11 characters).
 */
export function foundLine(found: DiscoveredService | UnknownService, versionWidth = 10): Line {
	if (found.found === 'unknown') {
		return partsLine(
			{text: '? ', tone: 'warning'},
			{text: `${found.host}:${found.port} answers, but is ${found.expected ? `not ${found.expected}: ` : 'not one of the six: '}${found.description}`},
		);
	}
	return partsLine(
		{text: `${MARK.ok} `, tone: 'ok'},
		{text: `${found.name.padEnd(12)}${(found.version ?? '').padEnd(versionWidth)} ${found.url}`},
		...(found.container ? [{text: ` (container ${found.container.name})`, tone: 'dim' as const}] : []),
		...(found.keyWithheld ? [{text: ` key asked: ${found.keyWithheld.join('; ')}`, tone: 'warning' as const}] : []),
	);
}

/** A credential's check: what the service said, and when it refused, the fix. */
export function credentialCheckLines(check: CredentialCheck, width: number): Line[] {
	if (check.ok) {
		return [{text: `${MARK.ok} ${check.detail}`, tone: 'ok'}];
	}
	return [
		...wrapText(`${MARK.failed} ${check.message}`, width, '  ').map(text => ({text, tone: 'failed' as const})),
		...wrapText(`fix: ${check.fix}`, width - 2, '     ').map(text => ({text: `  ${text}`})),
	];
}

/** The first line of a change: "Sonarr: create download client "qBittorrent"". */
export function changeTitle(change: Change): string {
	return describeChange(change)[0] ?? '';
}

/** What the reader of an apply event needs besides the event: the link's title, and whether the user declined a change of it. */
export interface EventContext {
	title(link: string): string;
	declined(link: string): boolean;
}

/** One apply event as lines (none for "applying": that is progress, shown while it lasts). */
export function applyEventLines(event: ApplyEvent, context: EventContext, width: number): Line[] {
	switch (event.type) {
		case 'applying':
			return [];
		case 'applied':
			return [partsLine({text: MARK.ok, tone: 'ok'}, {text: ` ${changeTitle(event.change)}`})];
		case 'declined':
			return [{text: `- left alone: ${changeTitle(event.change)}`, tone: 'dim'}];
		case 'failed':
			return [{text: `${MARK.failed} ${changeTitle(event.change)}`, tone: 'failed'}, ...errorLines(event.error, width, '  ')];
		case 'verified': {
			const title = context.title(event.link);
			// A link with a change the user said no to is expected to fail its check: that is not a failure.
			if (context.declined(event.link)) {
				return [{text: `  ○ skipped by you: ${title} (not checked)`, tone: 'dim'}];
			}
			if (event.findings.length === 0) {
				return [{text: `  verified: ${title} works`, tone: 'ok'}];
			}
			// Wrapped, not cut: the fix is the part the user needs, and it comes last.
			return findingsLines(event.findings, width, '  ');
		}
	}
}
