#!/usr/bin/env node
'use strict';
// The `wmi-put` command: lib/cli/main.ts, compiled to dist/ by `npm run build:ts`
// (npm install does it). Reference: docs/cli.md.
let cli;
try {
  cli = require('../dist/lib/cli/main.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/lib/cli/main.js')) {
    process.stderr.write('wmi-put: the compiled CLI (dist/lib/cli/main.js) is missing; run `npm run build:ts` first\n');
    process.exit(1);
  }
  throw e;
}
cli.run();
