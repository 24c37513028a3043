// Which versions work together: the matrix as data, each rule with the upstream source of its fact, and the pure
// functions that turn the versions (and settings) arrwire read from a stack into findings with the fix.
import type {Finding, Severity} from './findings.js';

export type VersionedKind = 'sonarr' | 'radarr' | 'qbittorrent' | 'jellyfin' | 'jellyseerr';

/** What arrwire knows of a stack for these rules; anything left out is unknown, and a rule that needs it stays quiet. */
export interface CompatibilityFacts {
	versions: Partial<Record<VersionedKind | 'prowlarr', string>>;
	/** Jellyfin's EnableLegacyAuthorization as read from /System/Configuration; undefined when it could not be read. */
	jellyfinLegacyAuthorization?: boolean;
	/** The host folder mounted as Seerr's /app/config and its owner, when arrwire can see the container's mounts. */
	seerrConfig?: {path: string; uid: number; containerUser?: string};
}

/** A version range: from `from` (inclusive) up to `below` (exclusive); either end open. */
export interface VersionRange {
	from?: string;
	below?: string;
}

export interface CompatibilityRule {
	id: string;
	/** The service whose version (or set-up) the rule is about, and the range that breaks. */
	service: VersionedKind;
	range: VersionRange;
	/** The other side: its version range, or a setting. */
	other?: {service: VersionedKind; range?: VersionRange; setting?: string};
	/** The link (doctor's id) it breaks. */
	link: string;
	/** Checked by the link's own verify, which also makes its own call (so doctor does not say it twice). */
	checkedByLink?: boolean;
	/** Default 'error': the link cannot work; 'warning': it works, but not as set. */
	severity?: Severity;
	cause: string;
	fix: string;
	/** Where the fact comes from upstream. */
	source: string[];
}

/** The header every Sonarr and Radarr release sends with its Emby/Jellyfin connection (MediaBrowserProxy.cs). */
export const SERVARR_JELLYFIN_HEADER = 'X-MediaBrowser-Token';

const LEGACY_SETTING = 'EnableLegacyAuthorization';
const LEGACY_FIX = `set <${LEGACY_SETTING}>true</${LEGACY_SETTING}> in Jellyfin's system.xml (its config folder) and restart Jellyfin`;

export const COMPATIBILITY_RULES: readonly CompatibilityRule[] = [
	{
		id: 'compat.jellyfin-legacy-auth.sonarr-4',
		service: 'sonarr',
		range: {below: '5'},
		other: {service: 'jellyfin', range: {from: '12'}, setting: `${LEGACY_SETTING} off`},
		link: 'sonarr-jellyfin-refresh',
		checkedByLink: true,
		cause: `Sonarr sends its Jellyfin key as ${SERVARR_JELLYFIN_HEADER}, a legacy header Jellyfin refuses while ${LEGACY_SETTING} is off (the default from Jellyfin 12): every library refresh on import gets 401. Sonarr 4.0.x's own test posts to /Notifications/Admin, a route Jellyfin does not have; it swallows the 404 and passes whatever the key.`,
		fix: `No Sonarr release sends the modern header yet (4.0.19.2979 and the v5 development branch both send ${SERVARR_JELLYFIN_HEADER}): ${LEGACY_FIX}.`,
		source: [
			'Sonarr v4.0.19.2979 src/NzbDrone.Core/Notifications/MediaBrowser/MediaBrowserProxy.cs (Notify, ProcessRequest) and MediaBrowserService.cs (Test)',
			'Jellyfin master MediaBrowser.Model/Configuration/ServerConfiguration.cs (EnableLegacyAuthorization), Jellyfin.Server/Migrations/Routines/20260531160000_DisableLegacyAuthorization.cs, PR #15559',
		],
	},
	{
		id: 'compat.jellyfin-legacy-auth.sonarr-5',
		service: 'sonarr',
		range: {from: '5'},
		other: {service: 'jellyfin', range: {from: '12'}, setting: `${LEGACY_SETTING} off`},
		link: 'sonarr-jellyfin-refresh',
		checkedByLink: true,
		cause: `Sonarr sends its Jellyfin key as ${SERVARR_JELLYFIN_HEADER}, a legacy header Jellyfin refuses while ${LEGACY_SETTING} is off (the default from Jellyfin 12): Sonarr's test (GET /System/Configuration) reads the right key as wrong, and every library refresh on import gets 401.`,
		fix: `No Sonarr release sends the modern header yet: ${LEGACY_FIX}.`,
		source: [
			'Sonarr v5-develop src/NzbDrone.Core/Notifications/MediaBrowser/MediaBrowserProxy.cs (TestConnection), commit 8b7f9daab',
			'Jellyfin master MediaBrowser.Model/Configuration/ServerConfiguration.cs (EnableLegacyAuthorization), PR #15559',
		],
	},
	{
		id: 'compat.jellyfin-legacy-auth.radarr',
		service: 'radarr',
		range: {},
		other: {service: 'jellyfin', range: {from: '12'}, setting: `${LEGACY_SETTING} off`},
		link: 'radarr-jellyfin-refresh',
		checkedByLink: true,
		cause: `Radarr sends its Jellyfin key as ${SERVARR_JELLYFIN_HEADER}, a legacy header Jellyfin refuses while ${LEGACY_SETTING} is off (the default from Jellyfin 12): every library refresh on import gets 401. Radarr's own test posts to /Notifications/Admin, a route Jellyfin does not have; it swallows the 404 and passes whatever the key.`,
		fix: `No Radarr release sends the modern header yet (6.0.3.10276 and the v6 development branch both send ${SERVARR_JELLYFIN_HEADER}): ${LEGACY_FIX}.`,
		source: ['Radarr v6.0.3.10276 src/NzbDrone.Core/Notifications/MediaBrowser/MediaBrowserProxy.cs (Notify, ProcessRequest)', 'Jellyfin master ServerConfiguration.cs (EnableLegacyAuthorization), PR #15559'],
	},
	{
		id: 'compat.jellyfin-legacy-auth.jellyseerr-2',
		service: 'jellyseerr',
		range: {below: '3'},
		other: {service: 'jellyfin', range: {from: '12'}, setting: `${LEGACY_SETTING} off`},
		link: 'jellyseerr-jellyfin',
		cause: `Jellyseerr 2.x signs in to Jellyfin with the X-Emby-Authorization header, which Jellyfin refuses while ${LEGACY_SETTING} is off (the default from Jellyfin 12): its sign-in and library sync fail.`,
		fix: `Move to Seerr 3 (image ghcr.io/seerr-team/seerr, which sends the Authorization header), or ${LEGACY_FIX}.`,
		source: ['Jellyseerr v2.7.3 server/api/jellyfin.ts (X-Emby-Authorization); Seerr v3.1.0 server/api/jellyfin.ts (Authorization)', 'Jellyfin master ServerConfiguration.cs (EnableLegacyAuthorization), PR #15559'],
	},
	{
		id: 'compat.qbittorrent-5.2-login.sonarr',
		service: 'sonarr',
		range: {below: '4.0.16.2942'},
		other: {service: 'qbittorrent', range: {from: '5.2'}},
		link: 'sonarr-download-client',
		cause: 'qBittorrent 5.2 answers a login with 204 (no "Ok." body) or 401; Sonarr before 4.0.16.2942 reads that as a failed login and cannot use qBittorrent.',
		fix: 'Upgrade Sonarr to 4.0.16.2942 or later.',
		source: ['Sonarr commit fdc07a47b "Fixed: qBittorrent /login API success check" (first in v4.0.16.2942), src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrentProxyV2.cs'],
	},
	{
		id: 'compat.qbittorrent-5.2-login.radarr',
		service: 'radarr',
		range: {below: '6.0.4'},
		other: {service: 'qbittorrent', range: {from: '5.2'}},
		link: 'radarr-download-client',
		cause: 'qBittorrent 5.2 answers a login with 204 (no "Ok." body) or 401; Radarr up to 6.0.3 reads that as a failed login and cannot use qBittorrent.',
		fix: 'Upgrade Radarr to a release after 6.0.3.10276.',
		source: ['Radarr commit 1883ae52a "Fixed: qBittorrent /login API success check" (after v6.0.3.10276), src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrentProxyV2.cs'],
	},
	{
		id: 'compat.qbittorrent-5.0-stopped.sonarr',
		service: 'sonarr',
		range: {below: '4.0.10.2579'},
		other: {service: 'qbittorrent', range: {from: '5.0'}},
		link: 'sonarr-download-client',
		severity: 'warning',
		cause: 'qBittorrent 5.0 renamed pause/resume to stop/start (its add call takes "stopped", no longer "paused"); Sonarr before 4.0.10.2579 still sends "paused", so a download client set to start paused starts at once.',
		fix: 'Upgrade Sonarr to 4.0.10.2579 or later.',
		source: ['Sonarr commit ff724b7f4 "Fixed: Initial state for qBittorrent v5.0" (first in v4.0.10.2579), src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrentProxyV2.cs'],
	},
	{
		id: 'compat.qbittorrent-5.0-stopped.radarr',
		service: 'radarr',
		range: {below: '5.14.0.9383'},
		other: {service: 'qbittorrent', range: {from: '5.0'}},
		link: 'radarr-download-client',
		severity: 'warning',
		cause: 'qBittorrent 5.0 renamed pause/resume to stop/start (its add call takes "stopped", no longer "paused"); Radarr before 5.14.0.9383 still sends "paused", so a download client set to start paused starts at once.',
		fix: 'Upgrade Radarr to 5.14.0.9383 or later.',
		source: ['Radarr commit c946ed83f "Fixed: Stopped/Started as initial state for qBittorrent v5.0" (first in v5.14.0.9383), src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrentProxyV2.cs'],
	},
	{
		id: 'compat.seerr-3-config-owner',
		service: 'jellyseerr',
		range: {from: '3'},
		link: 'jellyseerr-jellyfin',
		cause: 'Seerr 3 runs as UID 1000 (its image sets USER node); a config folder owned by another user breaks its database migrations at start.',
		fix: 'Give the folder to UID 1000: sudo chown -R 1000:1000 FOLDER (the folder mounted as /app/config).',
		source: ['Seerr v3.1.0 Dockerfile (USER node:node, UID 1000 in the node image)'],
	},
];

/** Compares dotted versions numerically ("4.0.9" < "4.0.16"); a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
	// qBittorrent says "v5.2.0"; Sonarr "4.0.19.2979"; a suffix ("-beta") is not a number and counts as 0.
	const parts = (value: string) => value.trim().replace(/^v/i, '').split(/[.-]/).map(part => Number.parseInt(part, 10) || 0);
	const left = parts(a);
	const right = parts(b);
	for (let index = 0; index < Math.max(left.length, right.length); index++) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) {
			return Math.sign(difference);
		}
	}
	return 0;
}

export function inRange(version: string, range: VersionRange): boolean {
	return (range.from === undefined || compareVersions(version, range.from) >= 0) && (range.below === undefined || compareVersions(version, range.below) < 0);
}

/** Whether Jellyfin refuses legacy headers: the setting when it was read, else the default of its version. */
export function jellyfinRefusesLegacy(facts: Pick<CompatibilityFacts, 'versions' | 'jellyfinLegacyAuthorization'>): boolean | undefined {
	if (facts.jellyfinLegacyAuthorization !== undefined) {
		return !facts.jellyfinLegacyAuthorization;
	}
	const version = facts.versions.jellyfin;
	return version === undefined ? undefined : compareVersions(version, '12') >= 0;
}

const NAMES: Record<VersionedKind, string> = {sonarr: 'Sonarr', radarr: 'Radarr', qbittorrent: 'qBittorrent', jellyfin: 'Jellyfin', jellyseerr: 'Jellyseerr'};

function subjectOf(rule: CompatibilityRule): string {
	return rule.other ? `${NAMES[rule.service]} -> ${NAMES[rule.other.service]}` : NAMES[rule.service];
}

/** Whether a rule holds for these facts: every side it names known and in range (or the setting seen). */
function applies(rule: CompatibilityRule, facts: CompatibilityFacts): {evidence: string[]} | undefined {
	const version = facts.versions[rule.service];
	if (version === undefined || !inRange(version, rule.range)) {
		return undefined;
	}
	const evidence = [`${NAMES[rule.service]} ${version}`];
	if (rule.other?.service === 'jellyfin' && rule.other.setting) {
		const refuses = jellyfinRefusesLegacy(facts);
		if (refuses !== true) {
			return undefined;
		}
		evidence.push(`Jellyfin ${facts.versions.jellyfin ?? '(version unknown)'}, ${LEGACY_SETTING} ${facts.jellyfinLegacyAuthorization === undefined ? 'off by default in this version (not read)' : 'off'}`);
	} else if (rule.other) {
		const otherVersion = facts.versions[rule.other.service];
		if (otherVersion === undefined || (rule.other.range && !inRange(otherVersion, rule.other.range))) {
			return undefined;
		}
		evidence.push(`${NAMES[rule.other.service]} ${otherVersion}`);
	}
	if (rule.id === 'compat.seerr-3-config-owner') {
		const config = facts.seerrConfig;
		// The image's USER is what counts, unless the container was started as someone else.
		if (!config || config.uid === 1000 || !runsAsUid1000(config.containerUser)) {
			return undefined;
		}
		evidence.push(`${config.path} is owned by UID ${config.uid}`);
	}
	return {evidence};
}

/** The image's own user ("node:node", UID 1000) unless the container was started as another. */
function runsAsUid1000(user: string | undefined): boolean {
	return user === undefined || user === '' || /^(node|1000)(:|$)/.test(user);
}

export function ruleFinding(rule: CompatibilityRule, evidence: string[]): Finding {
	const fix = rule.id === 'compat.seerr-3-config-owner' ? rule.fix.replace('FOLDER', evidence.at(-1)?.split(' is owned')[0] ?? 'FOLDER') : rule.fix;
	// The upstream sources stay with the rule (the id leads to it): what was seen is the evidence.
	return {id: rule.id, severity: rule.severity ?? 'error', subject: subjectOf(rule), cause: rule.cause, evidence, fix};
}

/** Every rule that holds for these facts, as findings with their fix; `only` narrows to some rules (by predicate). */
export function compatibilityFindings(facts: CompatibilityFacts, only: (rule: CompatibilityRule) => boolean = () => true): Finding[] {
	const findings: Finding[] = [];
	for (const rule of COMPATIBILITY_RULES.filter(only)) {
		const holds = applies(rule, facts);
		if (holds) {
			findings.push(ruleFinding(rule, holds.evidence));
		}
	}
	return findings;
}

/** The name of the Jellyfin API key arrwire keeps for this connection (links/jellyfin-notification.ts). */
const JELLYFIN_KEY_NAME = 'arrwire';

/** What arrwire's own call to Jellyfin made of the key a Sonarr/Radarr connection holds (the modern Authorization header). */
export type OwnKeyCall = 'accepted' | 'refused' | 'not-made';

/**
 * The Sonarr/Radarr -> Jellyfin connection, told apart: a wrong key (refused even with the modern header), a right key
 * Jellyfin refuses in the legacy header this Sonarr/Radarr sends, and Sonarr's own test that passes whatever the key.
 */
export function jellyfinConnectionFindings(input: {
	kind: 'sonarr' | 'radarr';
	facts: CompatibilityFacts;
	ownCall: OwnKeyCall;
	/** The failure Sonarr's/Radarr's own test reported, if any: its field ('ApiKey', 'Host') and message. */
	ownTest?: {field: string; message: string};
}): Finding[] {
	const {kind, facts, ownCall, ownTest} = input;
	const service = kind === 'sonarr' ? 'Sonarr' : 'Radarr';
	const subject = `${service} -> Jellyfin`;
	if (ownCall === 'refused') {
		const testSays = ownTest ? `${service}'s own test says: ${ownTest.message}` : `${service}'s own test passed, but it does not check the key (Jellyfin answers its test call with 404 before authentication)`;
		return [
			{
				id: 'link.jellyfin-refresh-key-refused',
				severity: 'error',
				subject,
				cause: `Jellyfin refuses the key ${service} holds, even in the modern Authorization header: the key is wrong or was revoked. ${testSays}.`,
				evidence: [`arrwire's own call to Jellyfin with the key it gives ${service} ("${JELLYFIN_KEY_NAME}"), in the Authorization header: 401`],
				fix: 'Run arrwire apply to give it a key Jellyfin accepts (arrwire keeps one named "arrwire"), or paste one from Jellyfin → Dashboard → API Keys into ' + `${service} → Settings → Connect → Jellyfin.`,
			},
		];
	}
	const versionFindings = compatibilityFindings(facts, rule => rule.link === `${kind}-jellyfin-refresh`);
	if (ownCall === 'accepted' && versionFindings.length > 0) {
		// The key is right: what fails is the header, not the key; a test that reads "API Key is incorrect" misleads.
		return versionFindings.map(finding => ({
			...finding,
			evidence: [`arrwire's own call to Jellyfin with the key it gives ${service} ("${JELLYFIN_KEY_NAME}"), in the Authorization header: accepted`, ...(ownTest ? [`${service}'s own test: ${ownTest.message}`] : []), ...(finding.evidence ?? [])],
		}));
	}
	if (versionFindings.length > 0) {
		return versionFindings;
	}
	if (ownTest && ownTest.field.toLowerCase() === 'apikey') {
		// Versions that work together, and Jellyfin refused the key in the header this version sends: the key is wrong
		// (a connection made by hand may hold another key than the one arrwire keeps).
		return [
			{
				id: 'link.jellyfin-refresh-key-refused',
				severity: 'error',
				subject,
				cause: `Jellyfin refuses the key ${service} holds: ${service}'s own test says: ${ownTest.message}.`,
				fix: `Run arrwire apply to give it a key Jellyfin accepts, or paste one from Jellyfin → Dashboard → API Keys into ${service} → Settings → Connect → Jellyfin.`,
			},
		];
	}
	if (ownTest) {
		// Versions that work together and a key that is right (or unknown): the test's failure is about reaching Jellyfin.
		return [{id: 'link.jellyfin-refresh-unreachable', severity: 'error', subject, cause: `${service} cannot reach Jellyfin: ${ownTest.message}`, fix: `Use an address ${service} itself can reach (run arrwire apply).`}];
	}
	return [];
}
