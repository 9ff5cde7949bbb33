/** Regenerates sources/README.md from the adapter descriptors: `npm run docs`. */
import { writeFileSync } from 'node:fs';
import { renderSourcesReadme } from '../sources/docs.ts';
import { sourceAdapters } from '../sources/index.ts';

writeFileSync('sources/README.md', renderSourcesReadme(sourceAdapters));
process.stdout.write(`wrote sources/README.md (${sourceAdapters.length} sources)\n`);
