// A controller that answers from fixed state: the screens are tested without any service. Apply runs the real
// engine (applyLinks) over links made from the plans, so the screens see what the real rules do: re-reading each
// link before it runs, asking before each change, stopping at the first failure, verifying after each link.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Finding} from '../../source/checks/findings.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import type {CredentialCheck} from '../../source/discovery/credentials.js';
import type {UnknownService} from '../../source/discovery/fingerprint.js';
import type {ApplyRequest, CredentialItem, DiscoverySummary, FoundItem, LinkPlanView, WizardController} from '../../source/app/controller.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import type {Change} from '../../source/links/change.js';
import {applyLinks, type AnyLink, type ApplyEvent} from '../../source/links/engine.js';
import {Journal} from '../../source/state/journal.js';

export function service(kind: DiscoveredService['kind'], name: string, port: number): DiscoveredService {
	return {found: 'service', kind, name, url: `http://10.0.0.5:${port}`, host: '10.0.0.5', port, tls: false, urlBase: '', version: '1.0', identifiedBy: 'test', notes: [], source: 'host'};
}

export const SIX: DiscoveredService[] = [
	service('prowlarr', 'Prowlarr', 9696),
	service('sonarr', 'Sonarr', 8989),
	service('radarr', 'Radarr', 7878),
	service('qbittorrent', 'qBittorrent', 8080),
	service('jellyfin', 'Jellyfin', 8096),
	service('jellyseerr', 'Jellyseerr', 5055),
];

export const UNKNOWN: UnknownService = {found: 'unknown', host: '10.0.0.5', port: 8081, url: 'http://10.0.0.5:8081', description: 'nginx welcome page', expected: 'qBittorrent'};

export function change(link: string, target: string, extra: Partial<Change> = {}): Change {
	return {link, service: 'Sonarr', action: 'create', target, fields: [{name: 'host', to: 'qbittorrent'}, {name: 'password', to: 'hunter2-secret', secret: true}], handMade: false, payload: {}, ...extra};
}

export interface FakeOptions {
	found?: FoundItem[];
	credentials?: CredentialItem[];
	/** Answers to submit, per kind (in order). */
	answers?: Partial<Record<string, CredentialCheck[]>>;
	findings?: Finding[];
	plans?: LinkPlanView[];
	/** What apply does with each change: made, or fails with this message. */
	failOn?: string;
	/** What diagnose answers (arrwire doctor's report). */
	doctor?: DoctorReport;
	discoverDelayMs?: number;
}

export interface FakeController extends WizardController {
	submitted: Array<{kind: string; credential: unknown}>;
	skippedKinds: string[];
	applyRequests: ApplyRequest[];
	diagnoseCalls: number;
}

const ok = (detail: string): CredentialCheck => ({ok: true, kind: 'sonarr', detail});

export function fakeController(options: FakeOptions = {}): FakeController {
	const found = options.found ?? SIX;
	const items: CredentialItem[] = options.credentials ?? [
		{kind: 'sonarr', name: 'Sonarr', url: 'http://10.0.0.5:8989', need: 'api-key', where: 'Sonarr → Settings → General', from: '/config/config.xml', check: ok('Sonarr 4.0 accepted the API key')},
		{kind: 'qbittorrent', name: 'qBittorrent', url: 'http://10.0.0.5:8080', need: 'username-password', where: 'qBittorrent → Tools → Options → WebUI'},
	];
	const fake: FakeController = {
		submitted: [],
		skippedKinds: [],
		applyRequests: [],
		diagnoseCalls: 0,
		async discover(onFound) {
			for (const item of found) {
				await new Promise(resolve => setTimeout(resolve, options.discoverDelayMs ?? 5));
				onFound(item);
			}
			const services = found.filter((item): item is DiscoveredService => item.found === 'service');
			const summary: DiscoverySummary = {services, unknown: found.filter((item): item is UnknownService => item.found === 'unknown'), elapsedMs: 420, containers: 'no containers looked at (not asked)'};
			return summary;
		},
		credentials() {
			return items.map(item => ({...item}));
		},
		async submit(kind, credential) {
			fake.submitted.push({kind, credential});
			const check = options.answers?.[kind]?.shift() ?? ok(`${kind} accepted`);
			const item = items.find(candidate => candidate.kind === kind)!;
			item.check = check;
			item.from = 'typed in';
			return check;
		},
		skip(kind) {
			fake.skippedKinds.push(kind);
			items.find(candidate => candidate.kind === kind)!.skipped = true;
		},
		async checks() {
			return options.findings ?? [];
		},
		async plan() {
			return options.plans ?? [];
		},
		async apply(request, onEvent: (event: ApplyEvent) => void) {
			fake.applyRequests.push(request);
			const links = (options.plans ?? []).filter(plan => request.links.includes(plan.id)).map(plan => linkOf(plan, options.failOn === plan.id));
			const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-screens-'));
			try {
				const journal = await Journal.open(path.join(scratch, 'journal.json'));
				return await applyLinks(links, {journal}, {confirm: change => request.confirm(change), onEvent, command: 'wizard'});
			} finally {
				rmSync(scratch, {recursive: true, force: true});
			}
		},
		async diagnose() {
			fake.diagnoseCalls++;
			if (!options.doctor) {
				throw new Error('this fake controller was given no diagnosis');
			}
			return options.doctor;
		},
		notes() {
			return [];
		},
	};
	return fake;
}

/** A link whose service holds nothing yet: it plans the plan's changes, makes them (or fails with HTTP 500), and verifies them. */
function linkOf(view: LinkPlanView, fails: boolean): AnyLink<{journal: Journal}> {
	const made = new Set<Change>();
	return {
		id: view.id,
		title: view.title,
		services: view.services as Change['service'][],
		applicable: () => true,
		read: async () => made,
		plan: (current: Set<Change>) => view.changes.filter(planned => !current.has(planned)),
		async apply(planned: Change) {
			if (fails) {
				throw new Error(`${view.title} failed: HTTP 500`);
			}
			made.add(planned);
			return {entryId: made.size};
		},
		// As a real link's verify: linked only when every change is there.
		verify: async () =>
			view.changes.every(planned => made.has(planned))
				? []
				: [{id: 'link.not-linked', severity: 'error' as const, subject: view.title, cause: `${view.title} is not linked: a change is missing.`, fix: 'Run arrwire apply.'}],
		undo: async () => undefined,
	};
}
