// The fast unit tests of the files `npm run mutate` mutates, in one process: one mutant costs one node start, not
// one per test file. Not a test file itself (the normal test run finds each of these on its own).
import './mutation-scratch.js';
import './state/profile-secrets.test.js';
import './discovery/profile.test.js';
import './links/engine.test.js';
import './links/desired.test.js';
import './links/addresses.test.js';
import './links/desired-data-root.test.js';
import './services/redact.test.js';
import './state/own-files.test.js';
import './state/own-file-rules.test.js';
import './state/journal.test.js';
import './links/desired-rules.test.js';
