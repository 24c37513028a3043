// Step 3: the path, hardlink, owner and security checks; each finding with its cause and exact fix.
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import type {Finding} from '../checks/findings.js';
import type {WizardController} from './controller.js';
import {countBySeverity, findingRows} from './findings-list.js';
import {Frame} from './frame.js';
import {ScrollList} from './scroll-list.js';
import {Spinner} from './spinner.js';
import {color, MARK} from './theme.js';
import {useKeys} from './typing.js';

export interface ChecksScreenProps {
	controller: WizardController;
	onDone(findings: Finding[]): void;
}

export function ChecksScreen({controller, onDone}: ChecksScreenProps) {
	const [findings, setFindings] = useState<Finding[]>();
	const [error, setError] = useState<string>();

	useEffect(() => {
		let live = true;
		controller.checks().then(
			result => live && setFindings(result),
			(failure: unknown) => live && setError(failure instanceof Error ? failure.message : String(failure)),
		);
		return () => {
			live = false;
		};
	}, []);

	useKeys((_input, key) => {
		if (key.return && (findings || error)) {
			onDone(findings ?? []);
		}
	});

	const errors = findings?.filter(finding => finding.severity === 'error').length ?? 0;
	return (
		<Frame step="Checks" keys={findings || error ? 'enter next: plan · ↑↓ scroll · esc back · q quit' : 'esc back · q quit'}>
			{!findings && !error && <Spinner label="Checking paths, hardlinks, owners and security…" />}
			{error && (
				<Text color={color('failed')} wrap="wrap">
					{MARK.failed} The checks could not run: {error}
				</Text>
			)}
			{findings && (
				<>
					{findings.length === 0 ? (
						<Text color={color('ok')}>{MARK.ok} No problems found: paths, hardlinks, owners and security are fine.</Text>
					) : (
						<Text>
							{countBySeverity(findings)}.{errors > 0 ? ' Errors can make links fail; the plan still shows every change.' : ''}
						</Text>
					)}
					<Box flexDirection="column" marginTop={1}>
						<ScrollList rows={findingRows(findings)} height={14} />
					</Box>
					<Text>Next: the plan (every change shown before it is made). Press enter.</Text>
				</>
			)}
		</Frame>
	);
}
