// Findings as rows: severity mark and subject, the cause, the fix; wrapped to the width so the list scrolls by row.
import {Text} from 'ink';
import type {ReactNode} from 'react';
import type {Finding} from '../checks/findings.js';
import {color, SEVERITY_MARK, SEVERITY_TONE} from './theme.js';
import {wrapText} from './wrap.js';

export function findingRows(findings: Finding[], prefix = ''): ReactNode[] {
	const rows: ReactNode[] = [];
	findings.forEach((finding, index) => {
		const tone = color(SEVERITY_TONE[finding.severity]);
		wrapText(`${prefix}${SEVERITY_MARK[finding.severity]} ${finding.subject}: ${finding.cause}`, 78, `${prefix}  `).forEach((line, position) =>
			rows.push(
				<Text key={`${index}c${position}`} color={tone} bold={position === 0}>
					{line}
				</Text>,
			),
		);
		wrapText(`${prefix}  fix: ${finding.fix}`, 78, `${prefix}       `).forEach((line, position) => rows.push(<Text key={`${index}f${position}`}>{line}</Text>));
	});
	return rows;
}

export function countBySeverity(findings: Finding[]): string {
	const count = (severity: Finding['severity']) => findings.filter(finding => finding.severity === severity).length;
	return `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`;
}
