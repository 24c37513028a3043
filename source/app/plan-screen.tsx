// Step 4: every change, per link, before anything is written. Apply all, go step by step, or skip a link.
// On a wired stack there is nothing to change: it says so and offers doctor (every link's own verify).
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {describeChange} from '../links/change.js';
import type {LinkPlanView, LinkVerifyResult, WizardController} from './controller.js';
import {countBySeverity, findingRows} from './findings-list.js';
import {Frame} from './frame.js';
import {ScrollList} from './scroll-list.js';
import {Select} from './select.js';
import {Spinner} from './spinner.js';
import {color, MARK} from './theme.js';
import {useKeys} from './typing.js';
import {WIDTH, wrapText} from './wrap.js';

export type ApplyMode = 'all' | 'step';

export interface PlanScreenProps {
	controller: WizardController;
	onPlanned?(plans: LinkPlanView[]): void;
	onApply(choice: {plans: LinkPlanView[]; links: string[]; skipped: string[]; mode: ApplyMode}): void;
	/** Nothing to apply: straight to the summary (with doctor's findings when it ran). */
	onFinish(plans: LinkPlanView[], doctor?: LinkVerifyResult[]): void;
}

const DETAIL_ROWS = 5;

/** Which links are skipped and why, as wrapped lines. */
function skippedLines(plans: LinkPlanView[]): string[] {
	const skipped = plans.filter(plan => plan.skipped);
	return skipped.length === 0 ? [] : wrapText(`Skipped: ${skipped.map(plan => `${plan.title} (${plan.skipped})`).join('; ')}.`, WIDTH, '  ');
}

export function PlanScreen({controller, onPlanned, onApply, onFinish}: PlanScreenProps) {
	const [plans, setPlans] = useState<LinkPlanView[]>();
	const [error, setError] = useState<string>();
	const [cursor, setCursor] = useState(0);
	const [skipped, setSkipped] = useState<Set<string>>(new Set());
	const [details, setDetails] = useState(false);
	const [doctor, setDoctor] = useState<LinkVerifyResult[] | 'running'>();

	useEffect(() => {
		let live = true;
		controller.plan().then(
			result => {
				if (live) {
					setPlans(result);
					onPlanned?.(result);
				}
			},
			(failure: unknown) => live && setError(failure instanceof Error ? failure.message : String(failure)),
		);
		return () => {
			live = false;
		};
	}, []);

	const withChanges = plans?.filter(plan => plan.changes.length > 0) ?? [];
	const focused = withChanges[cursor];
	const kept = withChanges.filter(plan => !skipped.has(plan.id));

	useKeys(
		(input, key) => {
			if (details) {
				if (key.return || input === 'd') {
					setDetails(false);
				}
				return;
			}
			if (key.downArrow) {
				setCursor(previous => Math.min(withChanges.length - 1, previous + 1));
			} else if (key.upArrow) {
				setCursor(previous => Math.max(0, previous - 1));
			} else if (input === ' ' && focused) {
				setSkipped(previous => {
					const next = new Set(previous);
					if (next.has(focused.id)) {
						next.delete(focused.id);
					} else {
						next.add(focused.id);
					}
					return next;
				});
			} else if (input === 'd' && focused) {
				setDetails(true);
			} else if ((key.return || input === 's') && plans) {
				if (kept.length === 0) {
					onFinish(plans);
					return;
				}
				// Unreadable links (often: waiting for an earlier link) are read again just before they run.
				const retried = plans.filter(plan => plan.error).map(plan => plan.id);
				onApply({plans, links: [...kept.map(plan => plan.id), ...retried], skipped: [...skipped], mode: key.return ? 'all' : 'step'});
			}
		},
		{isActive: plans !== undefined && withChanges.length > 0},
	);

	useKeys(
		(_input, key) => {
			if (key.return && plans && Array.isArray(doctor)) {
				onFinish(plans, doctor);
			}
		},
		{isActive: Array.isArray(doctor)},
	);

	const runDoctor = () => {
		setDoctor('running');
		controller.verify().then(
			results => setDoctor(results),
			(failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
		);
	};

	if (!plans) {
		return (
			<Frame step="Plan" keys="esc back · q quit">
				{error ? (
					<Text color={color('failed')} wrap="wrap">
						{MARK.failed} The plan could not be made: {error}
					</Text>
				) : (
					<Spinner label="Reading what each link finds now…" />
				)}
			</Frame>
		);
	}

	const notApplicable = plans.filter(plan => plan.skipped);
	const failedReads = plans.filter(plan => plan.error);
	const linked = plans.filter(plan => !plan.skipped && !plan.error && plan.changes.length === 0);
	const changeCount = withChanges.reduce((sum, plan) => sum + plan.changes.length, 0);
	const header = (
		<>
			<Text wrap="truncate-end">
				{plans.length} links: {linked.length} linked, {withChanges.length} to change ({changeCount} change(s)), {notApplicable.length} skipped
				{failedReads.length ? `, ${failedReads.length} unreadable` : ''}.
			</Text>
			{failedReads.map(plan => (
				<Text key={plan.id} color={color('failed')} wrap="truncate-end">
					{MARK.failed} {plan.title}: {plan.error}
				</Text>
			))}
			{failedReads.length > 0 && <Text color={color('dim')}>Unreadable links are read again when they run, after the links before them.</Text>}
		</>
	);
	const skippedText = skippedLines(plans);

	if (withChanges.length === 0) {
		const results = Array.isArray(doctor) ? doctor : [];
		const findings = results.flatMap(result => result.findings);
		return (
			<Frame step="Plan" keys={Array.isArray(doctor) ? 'enter next: summary · ↑↓ scroll · esc back · q quit' : '↑↓ choose · enter pick · esc back · q quit'}>
				{header}
				<Text color={color('ok')}>{MARK.ok} Everything is linked: nothing to change.</Text>
				{skippedText.map((line, index) => (
					<Text key={`s${index}`} color={color('dim')}>
						{line}
					</Text>
				))}
				<Box flexDirection="column" marginTop={1}>
					{doctor === undefined && (
						<Select
							items={[
								{value: 'doctor', label: 'Run doctor: test every link end to end'},
								{value: 'finish', label: 'Finish: show the stack map'},
							]}
							onSelect={value => (value === 'doctor' ? runDoctor() : onFinish(plans))}
						/>
					)}
					{doctor === 'running' && <Spinner label="Testing every link (the services' own tests)…" />}
					{Array.isArray(doctor) && (
						<>
							<Text>
								Doctor tested {results.length} link(s): {findings.length === 0 ? 'all healthy.' : `${countBySeverity(findings)}.`}
							</Text>
							<ScrollList rows={findingRows(findings)} height={11} />
							<Text>Next: the stack map. Press enter.</Text>
						</>
					)}
				</Box>
			</Frame>
		);
	}

	const detailLines = focused ? focused.changes.flatMap(change => describeChange(change)) : [];
	if (details && focused) {
		// Every line whole: long paths and values wrap instead of being cut.
		const whole = [
			...detailLines.flatMap(line => wrapText(line, WIDTH, `${/^ */.exec(line)![0]}    `)),
			...(skippedText.length > 0 ? ['', ...notApplicable.flatMap(plan => wrapText(`Skipped: ${plan.title}: ${plan.skipped}.`, WIDTH, '    '))] : []),
		];
		return (
			<Frame step="Plan" keys="↑↓ scroll · enter or d back to the list">
				<Text bold>{focused.title}</Text>
				<ScrollList rows={whole} height={16} />
			</Frame>
		);
	}
	const cut = detailLines.slice(0, DETAIL_ROWS).some(line => [...line].length > WIDTH);
	const hidden = detailLines.length - DETAIL_ROWS;
	const shownSkipped = skippedText.length > 2 ? [skippedText[0]!, `${skippedText[1]!.slice(0, WIDTH - 17)}… d lists them all`] : skippedText;

	return (
		<Frame step="Plan" keys="↑↓ link · space skip/keep · enter apply all kept · s step by step · d details · esc back · q quit">
			{header}
			{shownSkipped.map((line, index) => (
				<Text key={`s${index}`} color={color('dim')}>
					{line}
				</Text>
			))}
			<Box flexDirection="column" marginTop={1}>
				<ScrollList
					focusRow={cursor}
					height={6}
					rows={withChanges.map((plan, index) => {
						const handMade = plan.changes.some(change => change.handMade);
						const isSkipped = skipped.has(plan.id);
						return (
							<Text key={plan.id} wrap="truncate-end" bold={index === cursor} color={isSkipped ? color('dim') : undefined}>
								{index === cursor ? MARK.pointer : ' '} {isSkipped ? '[ ]' : '[x]'} {plan.title} <Text color={color('changed')}>{plan.changes.length} change(s)</Text>
								{handMade ? <Text color={color('warning')}> hand-made entry</Text> : null}
							</Text>
						);
					})}
				/>
			</Box>
			<Box flexDirection="column" marginTop={1}>
				{detailLines.slice(0, DETAIL_ROWS).map((line, index) => (
					<Text key={index} wrap="truncate-end" color={index === 0 ? color('changed') : undefined}>
						{line}
					</Text>
				))}
				{(hidden > 0 || cut) && (
					<Text color={color('dim')}>
						{hidden > 0 ? `… ${hidden} more line(s)` : '… lines cut at 80 columns'}: d shows them all, whole
					</Text>
				)}
			</Box>
			<Text>
				Next: apply {kept.length} link(s); {skipped.size ? `${skipped.size} skipped; ` : ''}hand-made entries are always asked about.
			</Text>
		</Frame>
	);
}
