// Every link, in the order a first wiring needs them: qBittorrent's categories before the download clients that use
// them, root folders before Jellyseerr picks one, Prowlarr's indexer before the apps that sync it, Jellyfin's
// libraries before Jellyseerr enables them.
import {
	radarrDownloadClientLink,
	radarrSabnzbdDownloadClientLink,
	radarrUsenetDownloadClientLink,
	sonarrDownloadClientLink,
	sonarrSabnzbdDownloadClientLink,
	sonarrUsenetDownloadClientLink,
} from './download-client.js';
import type {AnyLink} from './engine.js';
import type {LinkContext} from './context.js';
import {jellyfinLibrariesLink} from './jellyfin-libraries.js';
import {radarrJellyfinLink, sonarrJellyfinLink} from './jellyfin-notification.js';
import {jellyseerrJellyfinLink} from './jellyseerr-jellyfin.js';
import {jellyseerrRadarrLink, jellyseerrSonarrLink} from './jellyseerr-servarr.js';
import {nzbgeekIndexerLink} from './nzbgeek-indexer.js';
import {nzbgetCategoriesLink} from './nzbget-categories.js';
import {prowlarrRadarrLink, prowlarrSonarrLink} from './prowlarr-applications.js';
import {qbittorrentCategoriesLink} from './qbittorrent-categories.js';
import {qbittorrentPasswordLink} from './qbittorrent-password.js';
import {sabnzbdCategoriesLink} from './sabnzbd-categories.js';
import {radarrRemotePathMappingLink, sonarrRemotePathMappingLink} from './remote-path-mapping.js';
import {radarrRootFolderLink, sonarrRootFolderLink} from './root-folder.js';

export const ALL_LINKS: Array<AnyLink<LinkContext>> = [
	// Before the download clients, which then carry the new password.
	qbittorrentPasswordLink,
	qbittorrentCategoriesLink,
	sonarrRootFolderLink,
	radarrRootFolderLink,
	sonarrRemotePathMappingLink,
	radarrRemotePathMappingLink,
	sonarrDownloadClientLink,
	radarrDownloadClientLink,
	// NZBGet's categories before the clients whose own test asks for them.
	nzbgetCategoriesLink,
	sonarrUsenetDownloadClientLink,
	radarrUsenetDownloadClientLink,
	// SABnzbd, the other Usenet client: offered beside NZBGet when both are found (the user keeps either or both).
	sabnzbdCategoriesLink,
	sonarrSabnzbdDownloadClientLink,
	radarrSabnzbdDownloadClientLink,
	nzbgeekIndexerLink,
	prowlarrSonarrLink,
	prowlarrRadarrLink,
	jellyfinLibrariesLink,
	jellyseerrJellyfinLink,
	jellyseerrSonarrLink,
	jellyseerrRadarrLink,
	sonarrJellyfinLink,
	radarrJellyfinLink,
];

/** Links chosen by id (`--only`); else every link but those applied only on request (and the optional ones, if asked). */
export function selectLinks(ids: string[] = [], includeOptional = true): Array<AnyLink<LinkContext>> {
	if (ids.length > 0) {
		const unknown = ids.filter(id => !ALL_LINKS.some(link => link.id === id));
		if (unknown.length > 0) {
			throw new Error(`Unknown link ${unknown.join(', ')}; the links are: ${ALL_LINKS.map(link => link.id).join(', ')}.`);
		}
		return ALL_LINKS.filter(link => ids.includes(link.id));
	}
	return ALL_LINKS.filter(link => !link.onRequest && (includeOptional || !link.optional));
}
