// Imported first by mutation-suite.ts: the suite's scratch files on tmpfs where there is one. Every profile and
// journal write ends with an fsync, which a busy disk makes the slowest part of a run repeated for every mutant.
import {existsSync} from 'node:fs';

if (!process.env.TMPDIR && existsSync('/dev/shm')) {
	process.env.TMPDIR = '/dev/shm';
}
