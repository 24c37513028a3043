// The wizard's sizes in one place: it fits an 80x24 terminal (over SSH too). The header and the key help take the
// rows that BODY_ROWS leaves; each screen's scrolling list gets a height from here, so that the whole frame fits.

export const COLUMNS = 80;
/** Text is wrapped two columns short of the edge: a terminal that wraps at the last column adds no blank line. */
export const WIDTH = COLUMNS - 2;
export const SCREEN_ROWS = 24;
/** The rows of a frame that a screen may fill (the header, its gap and the key help take the others). */
export const BODY_ROWS = 16;

/** The height of each screen's scrolling list, chosen so that the lines around it still fit in BODY_ROWS. */
export const LIST_ROWS = {
	discover: 9,
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
	summary: 14,
} as const;
