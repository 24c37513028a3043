// Preloaded (node --import) into a process the bench measures: at its exit, its peak resident memory in KiB is
// appended to the file ARRWIRE_BENCH_RSS_FILE names.
import {appendFileSync} from 'node:fs';

const file = process.env.ARRWIRE_BENCH_RSS_FILE;
if (file) {
	process.on('exit', () => {
		appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
	});
}
