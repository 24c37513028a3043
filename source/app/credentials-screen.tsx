// Step 2: ask only for what was not found or not accepted; each answer is checked at once and the result shown
// with its fix. qBittorrent is asked once: its failed logins count toward a one-hour ban.
import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import type {CredentialCheck} from '../discovery/credentials.js';
import {credentialCheckLines, errorLines, MARK, type Line} from '../present/text.js';
import {wrapText} from '../present/wrap.js';
import type {CredentialItem, WizardController} from './controller.js';
import {Frame} from './frame.js';
import {typeInto, type KeyPress} from './keys.js';
import {WIDTH} from './layout.js';
import {lineRows} from './lines.js';
import {Spinner} from './spinner.js';
import {TextInput} from './text-input.js';
import {color} from './theme.js';
import {useKeys, useTyping} from './typing.js';

export interface CredentialsScreenProps {
	controller: WizardController;
	onDone(): void;
}

/** Still to ask: not accepted, not skipped, and not a qBittorrent that already refused once. */
export function askable(item: CredentialItem): boolean {
	return !item.check?.ok && !item.skipped && !(item.check && !item.check.ok && item.check.stopAsking);
}

const QBITTORRENT_BAN =
	'qBittorrent bans this address for an hour after 5 failed logins, so arrwire does not try again. Fix the login (see above), then run arrwire again.';

function status(item: CredentialItem): {mark: string; tone: 'ok' | 'failed' | 'dim' | 'warning'; text: string} {
	if (item.check?.ok) {
		return {mark: MARK.ok, tone: 'ok', text: `${item.check.detail}${item.from ? `; from ${item.from}` : ''}`};
	}
	if (item.skipped) {
		return {mark: '-', tone: 'dim', text: item.optional ? 'not given (optional)' : 'skipped: its links will be skipped'};
	}
	if (item.check && !item.check.ok) {
		return {mark: MARK.failed, tone: 'failed', text: item.check.stopAsking ? `refused; not asked again` : `refused${item.from ? ` (from ${item.from})` : ''}`};
	}
	return {mark: '·', tone: 'warning', text: item.need === 'api-key' ? `needs its API key${item.optional ? ' (optional)' : ''}` : 'needs a username and password'};
}

export function CredentialsScreen({controller, onDone}: CredentialsScreenProps) {
	const [items, setItems] = useState<CredentialItem[]>(() => controller.credentials());
	const [field, setField] = useState<'username' | 'secret'>('secret');
	const [username, setUsername] = useState('');
	const [secret, setSecret] = useState('');
	const [checking, setChecking] = useState(false);
	// What the last answer gave: the service's check, or the error that kept it from being checked.
	const [last, setLast] = useState<Line[]>();
	const [asking, setAsking] = useState<string>();
	// Set at once (not at the next render): a second Enter right behind the first does not check twice.
	const submitting = useRef(false);

	const current = items.find(askable);
	const typing = current !== undefined && !checking;
	useTyping(typing);

	// A new item to ask for: its fields start afresh, set before the screen is drawn so that keys typed as it
	// appears go to the right field. The suggested username (given, known, or "admin") is taken by enter and
	// replaced by typing: typing "admin" over a suggested "admin" gives "admin", not "adminadmin".
	if (current && current.kind !== asking) {
		setAsking(current.kind);
		setUsername('');
		setSecret(current.given?.password ?? '');
		setField(current.need === 'username-password' ? 'username' : 'secret');
	}
	const suggested = current?.given?.username ?? current?.username ?? 'admin';

	const refresh = () => setItems(controller.credentials());

	const submitSecret = (value: string, user = username) => {
		if (!current || checking || submitting.current) {
			return;
		}
		if (value === '') {
			controller.skip(current.kind);
			setLast(undefined);
			refresh();
			return;
		}
		const credential = current.need === 'api-key' ? {apiKey: value} : {username: user || suggested, password: value};
		submitting.current = true;
		setChecking(true);
		const settle = (lines: Line[]) => {
			submitting.current = false;
			setLast(lines);
			setSecret('');
			setChecking(false);
			refresh();
		};
		controller.submit(current.kind, credential).then(
			(check: CredentialCheck) => settle(credentialCheckLines(check, WIDTH)),
			(error: unknown) => settle(errorLines(error, WIDTH, '', MARK.failed)),
		);
	};

	// Type-ahead after the username ("admin\rpassword\r") fills the password; an Enter that only followed the
	// username's own Enter does not skip the login: skipping takes an Enter of its own.
	const submitUsername = (value: string, rest: KeyPress[]) => {
		setField('secret');
		const typed = typeInto({value: secret, cursor: secret.length}, rest);
		setSecret(typed.value);
		if (typed.submitted && typed.value !== '') {
			submitSecret(typed.value, value);
		}
	};

	useKeys(
		(_input, key) => {
			if (key.return) {
				onDone();
			}
		},
		{isActive: current === undefined},
	);

	const accepted = items.filter(item => item.check?.ok).length;
	const locked = items.filter(item => item.check && !item.check.ok && item.check.stopAsking);
	const keys = current ? 'enter check (empty: skip) · esc back' : 'enter next: checks · esc back · q quit';

	return (
		<Frame step="Credentials" keys={keys}>
			<Text>
				{accepted} of {items.length} credentials accepted.{current ? ` ${current.name} is next.` : ''}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				{items.map(item => {
					const shown = status(item);
					return (
						<Text key={item.kind} wrap="truncate-end" bold={item === current}>
							<Text color={color(shown.tone)}>{item === current ? MARK.pointer : shown.mark} </Text>
							{item.name.padEnd(12)}
							<Text color={item === current ? undefined : color('dim')}>{shown.text}</Text>
						</Text>
					);
				})}
			</Box>
			{last && (
				<Box flexDirection="column" marginTop={1}>
					{lineRows(last)}
				</Box>
			)}
			{locked.length > 0 && !current && (
				<Box flexDirection="column" marginTop={1}>
					{wrapText(QBITTORRENT_BAN, WIDTH).map((line, index) => (
						<Text key={index} color={color('warning')}>
							{line}
						</Text>
					))}
				</Box>
			)}
			{current ? (
				<Box flexDirection="column" marginTop={1}>
					<Text wrap="truncate-end">
						{current.name}
						{current.url ? ` at ${current.url}` : ''} needs {current.need === 'api-key' ? 'its API key' : 'a username and password'}
						{current.optional ? ' (optional: enter on an empty field skips it)' : ''}.
					</Text>
					{wrapText(`Where: ${current.where}`, WIDTH, '  ').map((line, index) => (
						<Text key={index} color={color('dim')}>
							{line}
						</Text>
					))}
					{current.given && <Text color={color('info')}>Given for this run (the password stays hidden): press enter to use it.</Text>}
					{current.need === 'username-password' && (
						<Box>
							<Text>Username: </Text>
							{field === 'username' && !checking ? (
								<TextInput value={username} placeholder={suggested} onChange={setUsername} onSubmit={submitUsername} />
							) : (
								<Text>{username || suggested}</Text>
							)}
						</Box>
					)}
					{(field === 'secret' || current.need === 'api-key') && (
						<Box>
							<Text>{current.need === 'api-key' ? 'API key: ' : 'Password: '}</Text>
							{checking ? <Text>{'*'.repeat(Math.min(secret.length, 32))}</Text> : <TextInput value={secret} onChange={setSecret} onSubmit={value => submitSecret(value)} mask="*" />}
						</Box>
					)}
					{checking && <Spinner label={`Checking with ${current.name}…`} />}
				</Box>
			) : (
				<Box marginTop={1}>
					<Text>Next: checks (paths, hardlinks, owners and security). Press enter.</Text>
				</Box>
			)}
		</Frame>
	);
}
