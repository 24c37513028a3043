// The services arrwire wires: names, default ports, images, and where a person finds each credential.

export type ServiceKind = 'prowlarr' | 'sonarr' | 'radarr' | 'qbittorrent' | 'jellyfin' | 'jellyseerr' | 'nzbget' | 'sabnzbd';

export interface ServiceInfo {
	kind: ServiceKind;
	name: 'Prowlarr' | 'Sonarr' | 'Radarr' | 'qBittorrent' | 'Jellyfin' | 'Jellyseerr' | 'NZBGet' | 'SABnzbd';
	defaultPort: number;
	/** Other ports it is commonly moved to (SABnzbd, when qBittorrent already has 8080); probed like the default. */
	commonPorts?: number[];
	/** Image names (registry and tag stripped) that run this service. */
	images: RegExp;
	/**
	 * What the credential is and where the user finds it; `inFiles`: whether discovery can read it from the service's
	 * own files or container (qBittorrent keeps only a hash of its password, Jellyfin none at all).
	 */
	credential: {kind: 'api-key' | 'password'; where: string; inFiles: boolean};
	/** Offered, not required: a stack without it is not missing anything (another client may take its place). */
	optional?: boolean;
}

export const SERVICES: readonly ServiceInfo[] = [
	{
		kind: 'prowlarr',
		name: 'Prowlarr',
		defaultPort: 9696,
		images: /(^|\/)prowlarr$/,
		credential: {kind: 'api-key', where: 'Prowlarr → Settings → General → Security → API Key (or <ApiKey> in its config.xml)', inFiles: true},
	},
	{
		kind: 'sonarr',
		name: 'Sonarr',
		defaultPort: 8989,
		images: /(^|\/)sonarr$/,
		credential: {kind: 'api-key', where: 'Sonarr → Settings → General → Security → API Key (or <ApiKey> in its config.xml)', inFiles: true},
	},
	{
		kind: 'radarr',
		name: 'Radarr',
		defaultPort: 7878,
		images: /(^|\/)radarr$/,
		credential: {kind: 'api-key', where: 'Radarr → Settings → General → Security → API Key (or <ApiKey> in its config.xml)', inFiles: true},
	},
	{
		kind: 'qbittorrent',
		name: 'qBittorrent',
		defaultPort: 8080,
		images: /(^|\/)(qbittorrent(-nox)?|arch-qbittorrentvpn|qbittorrentvpn)$/,
		credential: {kind: 'password', where: 'qBittorrent → Tools → Options → WebUI → Authentication (the WebUI username and password)', inFiles: false},
	},
	{
		kind: 'jellyfin',
		name: 'Jellyfin',
		defaultPort: 8096,
		images: /(^|\/)jellyfin$/,
		credential: {kind: 'password', where: 'the Jellyfin administrator you created in its first-run wizard (Dashboard → Users)', inFiles: false},
	},
	{
		kind: 'jellyseerr',
		name: 'Jellyseerr',
		defaultPort: 5055,
		images: /(^|\/)(jellyseerr|seerr|overseerr)$/,
		credential: {kind: 'api-key', where: 'Jellyseerr → Settings → General → API Key (or main.apiKey in its settings.json)', inFiles: true},
	},
	{
		// A Usenet download client: without one (or SABnzbd), nothing a Usenet indexer such as NZBgeek finds can download.
		kind: 'nzbget',
		name: 'NZBGet',
		defaultPort: 6789,
		images: /(^|\/)nzbget$/,
		credential: {kind: 'password', where: 'NZBGet → Settings → Security (ControlUsername and ControlPassword in its nzbget.conf)', inFiles: true},
		optional: true,
	},
	{
		// The other Usenet download client. Its default port is qBittorrent's too (sabnzbd/constants.py DEF_PORT
		// 8080): which of the two answers there is told by fingerprint (its anonymous /api?mode=version), never by port.
		kind: 'sabnzbd',
		name: 'SABnzbd',
		defaultPort: 8080,
		commonPorts: [8085, 8090],
		images: /(^|\/)(sabnzbd|sabnzbdplus)$/,
		credential: {kind: 'api-key', where: 'SABnzbd → Config → General → Security → API Key (api_key under [misc] in its sabnzbd.ini)', inFiles: true},
		optional: true,
	},
];

export function serviceInfo(kind: ServiceKind): ServiceInfo {
	const info = SERVICES.find(service => service.kind === kind);
	if (!info) {
		throw new Error(`unknown service ${kind}`);
	}
	return info;
}

/** Every port a service of the stack is usually found on, each once (8080 is both qBittorrent's and SABnzbd's). */
export const DEFAULT_PORTS: readonly number[] = [...new Set(SERVICES.flatMap(service => [service.defaultPort, ...(service.commonPorts ?? [])]))];

/** The service an image runs, from its name without registry or tag (lscr.io/linuxserver/sonarr:latest → sonarr). */
export function serviceForImage(image: string): ServiceKind | undefined {
	const withoutDigest = image.split('@')[0] ?? image;
	const lastColon = withoutDigest.lastIndexOf(':');
	const name = (lastColon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, lastColon) : withoutDigest).toLowerCase();
	return SERVICES.find(service => service.images.test(name))?.kind;
}
