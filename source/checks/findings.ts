// A finding: what is wrong (or worth knowing), in one line, with the evidence and the exact fix.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
	/** Stable id for --json and tests, e.g. "paths.download-not-visible". */
	id: string;
	severity: Severity;
	/** The service or link it concerns ("Sonarr", "Sonarr -> qBittorrent"). */
	subject: string;
	/** One line, plain words. */
	cause: string;
	/** What arrwire saw: paths, ids, modes, statuses. */
	evidence?: string[];
	/** The exact command, compose line or setting that fixes it. */
	fix: string;
	/** What it costs if left alone. */
	impact?: string;
}

const ORDER: Record<Severity, number> = {error: 0, warning: 1, info: 2};

export function sortFindings(findings: Finding[]): Finding[] {
	return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.subject.localeCompare(b.subject) || a.id.localeCompare(b.id));
}
