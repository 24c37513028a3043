// Step 2: ask only for what was not found or not accepted; each answer is checked at once and the result shown
// with its fix. qBittorrent is asked once: its failed logins count toward a one-hour ban.
import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {wrapText} from '../present/wrap.js';
import type {WizardController} from './controller.js';
import {credentialStatus, currentItem, suggestedUsername} from './credentials-state.js';
import {Frame} from './frame.js';
import {WIDTH} from './layout.js';
import {lineRows} from './lines.js';
import {TextInput} from './text-input.js';
import {color, MARK} from './theme.js';
import {useKeys, useTyping} from './typing.js';
import {useCredentials} from './use-credentials.js';

export interface CredentialsScreenProps {
	controller: WizardController;
	onDone: () => void;
}

const QBITTORRENT_BAN =
	'qBittorrent bans this address for an hour after 5 failed logins, so arrwire does not try again. Fix the login (see above), then run arrwire again.';

export function CredentialsScreen({controller, onDone}: CredentialsScreenProps) {
	const {state, type, submitUsername, submitSecret} = useCredentials(controller);
	const {items, field, username, secret, checking, last} = state;
	const current = currentItem(state);
	useTyping(current !== undefined && !checking);
	const suggested = suggestedUsername(current);

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
					const shown = credentialStatus(item);
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
								<TextInput value={username} placeholder={suggested} onChange={value => type('username', value)} onSubmit={submitUsername} />
							) : (
								<Text>{username || suggested}</Text>
							)}
						</Box>
					)}
					{(field === 'secret' || current.need === 'api-key') && (
						<Box>
							<Text>{current.need === 'api-key' ? 'API key: ' : 'Password: '}</Text>
							{checking ? <Text>{'*'.repeat(Math.min(secret.length, 32))}</Text> : <TextInput value={secret} onChange={value => type('secret', value)} onSubmit={submitSecret} mask="*" />}
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
