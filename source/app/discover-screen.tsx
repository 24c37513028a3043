// Step 1: probe for the services of the catalogue; each one appears as it is found, unknown answers too.
import {Spinner} from '@inkjs/ui';
import {Box, Text} from 'ink';
import {useState} from 'react';
import {downloadClientLines, missingServices, probingLabel, servicesCount} from '../present/protocols.js';
import {foundLine} from '../present/text.js';
import type {CredentialItem, DiscoverySummary, FoundItem, WizardController} from './controller.js';
import {Frame} from './frame.js';
import {LIST_ROWS} from './layout.js';
import {LineText} from './lines.js';
import {ScrollList} from './scroll-list.js';
import {color, MARK} from './theme.js';
import {useKeys} from './typing.js';
import {useLoad, valueOf} from './use-load.js';

export interface DiscoverScreenProps {
	controller: WizardController;
	/** Discovery already done (the user came back with esc): shown, not run again. */
	result?: DiscoverySummary;
	onDone: (result: DiscoverySummary) => void;
	/** Nothing found: the user can only quit. */
	onQuit: () => void;
}

/** The *arrs and qBittorrent tell their version only to a credential they accept: shown once one is. */
function withVersion(item: FoundItem, credentials: CredentialItem[]): FoundItem {
	if (item.found === 'unknown' || item.version) {
		return item;
	}
	const check = credentials.find(candidate => candidate.kind === item.kind && candidate.url === item.url)?.check;
	return check?.ok && check.version ? {...item, version: check.version} : item;
}

/** One line per service found, their addresses lined up after the longest version. */
function foundRows(items: FoundItem[]) {
	const versionWidth = Math.max(10, ...items.map(item => (item.found === 'unknown' ? 0 : (item.version ?? '').length)));
	return items.map((item, index) => <LineText key={index} line={foundLine(item, versionWidth)} />);
}

export function DiscoverScreen({controller, result: previous, onDone, onQuit}: DiscoverScreenProps) {
	const [found, setFound] = useState<FoundItem[]>(previous ? [...previous.services, ...previous.unknown] : []);
	// Each service is listed as it is found; an answer after the screen is gone changes nothing on screen.
	const loaded = useLoad(() => controller.discover(item => setFound(list => [...list, item])), previous);
	const result = valueOf(loaded);

	const nothing = result !== undefined && result.services.length === 0;
	useKeys((_input, key) => {
		if (key.return && result) {
			if (nothing) {
				onQuit();
			} else {
				onDone(result);
			}
		}
	});

	const missing = result ? missingServices(result.services) : [];
	const count = result ? servicesCount(result.services) : undefined;
	const credentials = result ? controller.credentials().filter(item => item.kind !== 'nzbgeek') : [];
	const known = credentials.filter(item => item.check?.ok).length;
	const keys = result ? (nothing ? 'enter quit · q quit' : 'enter next: credentials · ↑↓ scroll · q quit') : 'q quit';

	return (
		<Frame step="Discover" keys={keys}>
			{result ? (
				<Text>
					Found {count!.found} of {count!.of} services in {(result.elapsedMs / 1000).toFixed(1)} s{result.unknown.length ? `, and ${result.unknown.length} other program(s)` : ''}.
				</Text>
			) : (
				<Spinner label={probingLabel()} />
			)}
			<Box flexDirection="column" marginTop={1}>
				<ScrollList rows={foundRows(found.map(item => withVersion(item, credentials)))} height={LIST_ROWS.discover} active={result !== undefined} />
			</Box>
			{loaded.state === 'failed' && (
				<Text color={color('failed')}>
					{MARK.failed} Discovery failed: {loaded.error}
				</Text>
			)}
			{result && (
				<Box flexDirection="column" marginTop={1}>
					{downloadClientLines(result.services).map((line, index) => (
						<LineText key={index} line={line} />
					))}
					{missing.length > 0 && (
						<Text wrap="wrap">
							<Text color={color('warning')}>Not found: {missing.join(', ')}.</Text> Their links are skipped; run arrwire with --host NAME:PORT to point it at them.
						</Text>
					)}
					{nothing ? (
						<Text>Nothing to wire here. Start the services (or name their host with --host) and run arrwire again.</Text>
					) : (
						<Text wrap="wrap">
							{known} credential(s) read and accepted; {credentials.length - known} still needed. Next: credentials.
						</Text>
					)}
					<Text color={color('dim')}>{result.containers}</Text>
				</Box>
			)}
		</Frame>
	);
}
