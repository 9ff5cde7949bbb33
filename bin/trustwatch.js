#!/usr/bin/env node
// The `trustwatch` command. The code is TypeScript run through tsx's loader, so a fresh clone needs no
// build step: `npm install && npm start` is all it takes.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
