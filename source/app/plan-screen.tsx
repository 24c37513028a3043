// Step 4: every change, per link, before anything is written. Apply all, go step by step, or skip a link.
// On a wired stack there is nothing to change: it says so and offers doctor (`arrwire doctor`'s own diagnosis).
// The links are not @inkjs/ui's MultiSelect: that tells no one which row is focused (the changes shown under the
// list follow it), takes plain-string labels (no coloured counts), and knows no d or s; it scrolls without "n more".
import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {useReducer} from 'react';
import {describeChange} from '../links/change.js';
import type {DoctorReport} from '../doctor/diagnose.js';
import {reportFindingLines, reportMapLines, verdictLines} from '../present/doctor-report.js';
import {countBySeverity, errorMessage} from '../present/text.js';
import {wrapText} from '../present/wrap.js';
import type {LinkPlanView, WizardController} from './controller.js';
import type {ApplyChoice} from './flow.js';
import {Frame} from './frame.js';
import {COLUMNS, LIST_ROWS, WIDTH} from './layout.js';
import {lineRows} from './lines.js';
import {initialPlan, planChoice, type PlanState, planCounts, planReducer, withChanges as changing} from './plan-state.js';
import {ScrollList} from './scroll-list.js';
import {Select} from './select.js';
import {color, MARK} from './theme.js';
import {useKeys} from './typing.js';
import {useLoad, valueOf} from './use-load.js';

export interface PlanScreenProps {
	controller: WizardController;
	onApply: (choice: {plans: LinkPlanView[]} & ApplyChoice) => void;
	/** Nothing to apply: straight to the summary (with doctor's report when it ran). */
	onFinish: (plans: LinkPlanView[], doctor?: DoctorReport) => void;
}

/** Which links are skipped and why, as wrapped lines. */
function skippedLines(plans: LinkPlanView[]): string[] {
	const skipped = plans.filter(plan => plan.skipped);
	return skipped.length === 0 ? [] : wrapText(`Skipped: ${skipped.map(plan => `${plan.title} (${plan.skipped})`).join('; ')}.`, WIDTH, '  ');
}

function reportOf(doctor: PlanState['doctor']): DoctorReport | undefined {
	return doctor !== undefined && doctor !== 'running' && 'report' in doctor ? doctor.report : undefined;
}

export function PlanScreen({controller, onApply, onFinish}: PlanScreenProps) {
	const loaded = useLoad(() => controller.plan());
	const plans = valueOf(loaded);
	const [state, dispatch] = useReducer(planReducer, initialPlan);
	const {cursor, skipped, details, doctor} = state;

	const withChanges = changing(plans ?? []);
	const focused = withChanges[cursor];
	const kept = withChanges.filter(plan => !skipped.has(plan.id));

	useKeys(
		(input, key) => {
			if (details) {
				if (key.return || input === 'd') {
					dispatch({type: 'details', shown: false});
				}
				return;
			}
			if (key.downArrow) {
				dispatch({type: 'down', count: withChanges.length});
			} else if (key.upArrow) {
				dispatch({type: 'up'});
			} else if (input === ' ' && focused) {
				dispatch({type: 'toggle', id: focused.id});
			} else if (input === 'd' && focused) {
				dispatch({type: 'details', shown: true});
			} else if ((key.return || input === 's') && plans) {
				const next = planChoice(plans, state, key.return ? 'all' : 'step');
				if (next.next === 'finish') {
					onFinish(plans);
				} else {
					onApply(next);
				}
			}
		},
		{isActive: plans !== undefined && withChanges.length > 0},
	);

	useKeys(
		(_input, key) => {
			if (key.return && plans) {
				onFinish(plans, reportOf(doctor));
			}
		},
		{isActive: doctor !== undefined && doctor !== 'running'},
	);

	const runDoctor = () => {
		dispatch({type: 'doctor-started'});
		controller.diagnose().then(
			report => dispatch({type: 'doctor-done', report}),
			(failure: unknown) => dispatch({type: 'doctor-failed', error: errorMessage(failure)}),
		);
	};

	if (!plans) {
		return (
			<Frame step="Plan" keys="esc back · q quit">
				{loaded.state === 'failed' ? (
					<Text color={color('failed')} wrap="wrap">
						{MARK.failed} The plan could not be made: {loaded.error}
					</Text>
				) : (
					<Spinner label="Reading what each link finds now…" />
				)}
			</Frame>
		);
	}

	const notApplicable = plans.filter(plan => plan.skipped);
	const failedReads = plans.filter(plan => plan.error);
	const counts = planCounts(plans);
	const header = (
		<>
			<Text wrap="truncate-end">
				{counts.links} links: {counts.linked} linked, {counts.toChange} to change ({counts.changes} change(s)), {counts.skipped} skipped
				{counts.unreadable ? `, ${counts.unreadable} unreadable` : ''}.
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
		const report = reportOf(doctor);
		const findings = report ? [...report.serviceFindings, ...report.links.flatMap(link => link.findings), ...report.pathFindings, ...report.securityFindings] : [];
		return (
			<Frame step="Plan" keys={doctor !== undefined && doctor !== 'running' ? 'enter next: summary · ↑↓ scroll · esc back · q quit' : '↑↓ choose · enter pick · esc back · q quit'}>
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
					{doctor === 'running' && <Spinner label="Testing every link, the services and the paths (arrwire doctor)…" />}
					{doctor !== undefined && doctor !== 'running' && 'error' in doctor && (
						<Text color={color('failed')} wrap="wrap">
							{MARK.failed} Doctor could not run: {doctor.error}
						</Text>
					)}
					{report && (
						<>
							<Text>
								Doctor tested {report.links.filter(link => link.state !== 'skipped').length} link(s) and {report.services.filter(service => service.state !== 'missing').length} service(s):{' '}
								{findings.length === 0 ? 'nothing found.' : `${countBySeverity(findings)}.`}
							</Text>
							<ScrollList rows={lineRows([...reportMapLines(report, WIDTH), ...reportFindingLines(report, WIDTH), ...verdictLines(report).slice(1)])} height={LIST_ROWS.doctor} />
							{lineRows(verdictLines(report).slice(0, 1), 'verdict')}
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
				<ScrollList rows={whole} height={LIST_ROWS.planDetails} />
			</Frame>
		);
	}
	const cut = detailLines.slice(0, LIST_ROWS.planChangeLines).some(line => [...line].length > WIDTH);
	const hidden = detailLines.length - LIST_ROWS.planChangeLines;
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
					height={LIST_ROWS.planLinks}
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
				{detailLines.slice(0, LIST_ROWS.planChangeLines).map((line, index) => (
					<Text key={index} wrap="truncate-end" color={index === 0 ? color('changed') : undefined}>
						{line}
					</Text>
				))}
				{(hidden > 0 || cut) && (
					<Text color={color('dim')}>
						{hidden > 0 ? `… ${hidden} more line(s)` : `… lines cut at ${COLUMNS} columns`}: d shows them all, whole
					</Text>
				)}
			</Box>
			<Text>
				Next: apply {kept.length} link(s); {skipped.size ? `${skipped.size} skipped; ` : ''}hand-made entries are always asked about.
			</Text>
		</Frame>
	);
}
