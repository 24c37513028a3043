// Step 3: the path, hardlink, owner and security checks; each finding with its cause and exact fix.
import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import type {Finding} from '../checks/findings.js';
import {countBySeverity, findingsLines, MARK} from '../present/text.js';
import type {WizardController} from './controller.js';
import {Frame} from './frame.js';
import {LIST_ROWS, WIDTH} from './layout.js';
import {lineRows} from './lines.js';
import {ScrollList} from './scroll-list.js';
import {color} from './theme.js';
import {useKeys} from './typing.js';
import {useLoad} from './use-load.js';

export interface ChecksScreenProps {
	controller: WizardController;
	onDone: (findings: Finding[]) => void;
}

export function ChecksScreen({controller, onDone}: ChecksScreenProps) {
	const loaded = useLoad(() => controller.checks());

	useKeys((_input, key) => {
		if (key.return && loaded.state !== 'loading') {
			onDone(loaded.state === 'done' ? loaded.value : []);
		}
	});

	const findings = loaded.state === 'done' ? loaded.value : undefined;
	const errors = findings?.filter(finding => finding.severity === 'error').length ?? 0;
	return (
		<Frame step="Checks" keys={loaded.state === 'loading' ? 'esc back · q quit' : 'enter next: plan · ↑↓ scroll · esc back · q quit'}>
			{loaded.state === 'loading' && <Spinner label="Checking paths, hardlinks, owners and security…" />}
			{loaded.state === 'failed' && (
				<Text color={color('failed')} wrap="wrap">
					{MARK.failed} The checks could not run: {loaded.error}
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
						<ScrollList rows={lineRows(findingsLines(findings, WIDTH))} height={LIST_ROWS.checks} />
					</Box>
					<Text>Next: the plan (every change shown before it is made). Press enter.</Text>
				</>
			)}
		</Frame>
	);
}
