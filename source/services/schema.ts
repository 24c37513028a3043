// The schemas that check what services answer and what arrwire reads back from its own files: zod's functional API
// (zod/mini), over the same core as its method API, of which a bundle keeps only the functions used: every command
// loads it, and its start-up cost is a fraction of the method API's. Import it as a namespace (`import * as z`) and
// use its members alone, so that the bundle can leave out the rest.
// zod/mini loads no locale, so every issue would read "Invalid input" alone; arrwire quotes issues to the user (an
// unexpected answer, a profile it cannot read), and English says what was expected and what came.
import {config} from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
