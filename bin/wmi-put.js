#!/usr/bin/env node
'use strict';
// The `wmi-put` command (lib/cli/main.ts, compiled to dist/; `npm run build:ts`).
require('../dist/lib/cli/main.js').run();
