import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

// Compile-time contract of the typed schemas. test/types/schema-valid.ts must compile; every line
// of test/types/schema-errors.ts marked `// @ts-expect-error` must fail to compile (tsc reports an
// unused directive otherwise). Both files are outside the main build (tsconfig.json excludes them).
// Runs from dist/test/, so the repository root is two levels up.
const root = path.resolve(__dirname, '..', '..');
const project = path.join(root, 'test', 'types', 'tsconfig.json');

describe('typed schema compile checks', () => {
  it('the error file really holds the expected-error lines', () => {
    const source = readFileSync(path.join(root, 'test', 'types', 'schema-errors.ts'), 'utf8');
    const directives = source.split('\n').filter((line) => line.trim().startsWith('// @ts-expect-error')).length;
    assert.ok(directives >= 25, `only ${directives} @ts-expect-error lines`);
  });

  it('tsc -p test/types/tsconfig.json exits 0', { timeout: 120_000 }, () => {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    const run = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.error, undefined);
    assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
  });
});
