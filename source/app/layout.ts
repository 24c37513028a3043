// The wizard's sizes in one place: it fits an 80x24 terminal (over SSH too). Each screen's scrolling list gets a
// height from here, so that the whole frame, header and key help included, fits in 24 rows.

export const COLUMNS = 80;
/** Text is wrapped two columns short of the edge: a terminal that wraps at the last column adds no blank line. */
export const WIDTH = COLUMNS - 2;
/** The rows of 24 that a screen may fill: the header, the gaps, two lines of key help and the quit question take the others. */
export const BODY_ROWS = 16;

/** The height of each screen's scrolling list, chosen so that the lines around it still fit in BODY_ROWS. */
export const LIST_ROWS = {
	/** Under it: the download clients by protocol (two lines). */
	discover: 7,
	checks: 14,
	planLinks: 6,
	planDetails: BODY_ROWS,
	/** The change lines shown under the list of links. */
	planChangeLines: 5,
	doctor: 11,
	applyLog: 13,
	/** The apply log while a question takes the rows under it. */
	applyLogAsking: 6,
	/** The lines of a change shown with its question. */
	question: 6,
	/** Under it: the legend, which protocols flow (two lines), and the verdict. */
	summary: 12,
} as const;
