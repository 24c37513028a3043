// Step 5: the changes made one by one, with progress; step by step asks before each, and entries made by hand are
// always asked about. After each link, its own verify result.
import {Box, Text} from 'ink';
import {useEffect, useRef, useState, type ReactNode} from 'react';
import type {Finding} from '../checks/findings.js';
import {describeChange, type Change} from '../links/change.js';
import type {ApplyEvent} from '../links/engine.js';
import type {WizardController} from './controller.js';
import {Frame} from './frame.js';
import type {ApplyMode} from './plan-screen.js';
import {ScrollList} from './scroll-list.js';
import {Spinner} from './spinner.js';
import type {RunOutcome} from './stack-map.js';
import {color, MARK, SEVERITY_MARK, SEVERITY_TONE} from './theme.js';
import {useKeys} from './typing.js';
import {wrapText} from './wrap.js';

export interface ApplyScreenProps {
	controller: WizardController;
	links: string[];
	mode: ApplyMode;
	/** How many changes the plan showed (for the progress count). */
	planned: number;
	titles?: Record<string, string>;
	onDone(outcome: RunOutcome): void;
}

interface Question {
	change: Change;
	answer(yes: boolean): void;
}

export function ApplyScreen({controller, links, mode, planned, titles = {}, onDone}: ApplyScreenProps) {
	const [log, setLog] = useState<ReactNode[]>([]);
	const [question, setQuestion] = useState<Question>();
	const [working, setWorking] = useState<string>('Reading each link again just before it runs…');
	const [outcome, setOutcome] = useState<RunOutcome>();
	const [done, setDone] = useState(0);
	const verified = useRef<Record<string, Finding[]>>({});
	// Links with a change the user said no to: their check is expected to fail, and is not a failure.
	const declinedLinks = useRef(new Set<string>());

	const add = (row: ReactNode) => setLog(previous => [...previous, row]);

	useEffect(() => {
		let count = 0;
		const confirm = (change: Change) =>
			mode === 'all' && !change.handMade
				? Promise.resolve(true)
				: new Promise<boolean>(resolve => {
						setQuestion({
							change,
							answer: yes => {
								setQuestion(undefined);
								resolve(yes);
							},
						});
					});
		const onEvent = (event: ApplyEvent) => {
			const key = `${count++}`;
			switch (event.type) {
				case 'applying':
					setWorking(describeChange(event.change)[0] ?? '');
					break;
				case 'applied':
					setDone(previous => previous + 1);
					add(
						<Text key={key} wrap="truncate-end">
							<Text color={color('ok')}>{MARK.ok}</Text> {describeChange(event.change)[0]}
						</Text>,
					);
					break;
				case 'declined':
					declinedLinks.current.add(event.change.link);
					add(
						<Text key={key} wrap="truncate-end" color={color('dim')}>
							- left alone: {describeChange(event.change)[0]}
						</Text>,
					);
					break;
				case 'failed':
					add(
						<Text key={key} wrap="truncate-end" color={color('failed')}>
							{MARK.failed} {describeChange(event.change)[0]}
						</Text>,
					);
					for (const [index, line] of wrapText(`  ${event.error.message}`, 78, '    ').entries()) {
						add(
							<Text key={`${key}e${index}`} color={color('failed')}>
								{line}
							</Text>,
						);
					}
					break;
				case 'verified': {
					verified.current[event.link] = event.findings;
					const title = titles[event.link] ?? event.link;
					if (declinedLinks.current.has(event.link)) {
						add(
							<Text key={key} wrap="truncate-end" color={color('dim')}>
								{'  '}○ skipped by you: {title} (not checked)
							</Text>,
						);
						break;
					}
					if (event.findings.length === 0) {
						add(
							<Text key={key} wrap="truncate-end" color={color('ok')}>
								{'  '}verified: {title} works
							</Text>,
						);
					}
					for (const [index, finding] of event.findings.entries()) {
						add(
							<Text key={`${key}f${index}`} wrap="truncate-end" color={color(SEVERITY_TONE[finding.severity])}>
								{'  '}
								{SEVERITY_MARK[finding.severity]} {finding.subject}: {finding.cause} fix: {finding.fix}
							</Text>,
						);
					}
					break;
				}
			}
		};
		controller.apply({links, confirm}, onEvent).then(
			result => {
				setWorking('');
				setOutcome({
					applied: result.applied,
					declined: result.declined,
					failed: result.failed ? {change: result.failed.change, error: result.failed.error.message} : undefined,
					verified: verified.current,
				});
			},
			(error: unknown) => {
				setWorking('');
				const message = error instanceof Error ? error.message : String(error);
				add(
					<Text key="run-error" color={color('failed')} wrap="wrap">
						{MARK.failed} {message}
					</Text>,
				);
				setOutcome({applied: [], declined: [], failed: {change: {link: '', service: 'Sonarr', action: 'update', target: '', fields: [], handMade: false, payload: undefined}, error: message}, verified: verified.current});
			},
		);
	}, []);

	useKeys(
		(input, key) => {
			if (!question) {
				return;
			}
			const lower = input.toLowerCase();
			if (lower === 'y' || (key.return && !question.change.handMade)) {
				question.answer(true);
			} else if (lower === 'n' || (key.return && question.change.handMade)) {
				question.answer(false);
			}
		},
		{isActive: question !== undefined},
	);

	useKeys(
		(_input, key) => {
			if (key.return && outcome) {
				onDone(outcome);
			}
		},
		{isActive: outcome !== undefined},
	);

	const total = Math.max(planned, done);
	const width = 30;
	const filled = total === 0 ? width : Math.round((done / total) * width);
	const keys = question ? 'y yes · n no · enter = ' + (question.change.handMade ? 'no' : 'yes') : outcome ? 'enter next: summary · ↑↓ scroll · q quit' : 'working… · q quit';

	return (
		<Frame step="Apply" keys={keys}>
			<Text>
				<Text color={color('ok')}>{'█'.repeat(filled)}</Text>
				<Text color={color('dim')}>{'░'.repeat(width - filled)}</Text> {done} of {total} change(s) made{mode === 'step' ? ' (step by step)' : ''}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				<ScrollList rows={log} height={question ? 6 : 13} focusRow={outcome ? undefined : Math.max(0, log.length - 1)} active={outcome !== undefined} />
			</Box>
			{question && (
				<Box flexDirection="column" marginTop={1}>
					{describeChange(question.change)
						.slice(0, 6)
						.map((line, index) => (
							<Text key={index} wrap="truncate-end" color={index === 0 ? color('changed') : undefined}>
								{line}
							</Text>
						))}
					<Text bold color={question.change.handMade ? color('warning') : undefined}>
						{question.change.handMade ? 'This entry was made by hand, not by arrwire. Change it? (y/N)' : 'Make this change? (Y/n)'}
					</Text>
				</Box>
			)}
			{working && !question && <Spinner label={working} />}
			{outcome && (
				<Text wrap="wrap">
					{outcome.applied.length} change(s) made, {outcome.declined.length} left alone
					{outcome.failed ? '; stopped at a failure (run arrwire again once it is fixed: it picks up from there)' : ''}. Next: the stack map.
				</Text>
			)}
		</Frame>
	);
}
