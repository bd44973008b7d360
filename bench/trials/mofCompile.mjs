// mofCompile: the whole DMTF CIM 2.32 schema (1,418 classes) compiled with
// compileMof into a fresh embedded repository: read + parse + check + putClass.
// Target: <= 2 s.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { packageRoot, trial } from './common.mjs';

const { compileMof, connect, createRepository } = createRequire(import.meta.url)(packageRoot);
const schema = path.resolve(packageRoot, '..', 'shared', 'corpus', 'mof', 'omi', 'Unix', 'share', 'omischema', 'CIM_Schema.mof');

await trial(async () => {
  if (!fs.existsSync(schema)) throw new Error(`mofCompile: corpus not found at ${schema}`);
  const conn = await connect({ backend: 'embedded', namespace: 'root\\cimv2', repository: createRepository() });
  try {
    const started = process.hrtime.bigint();
    const summary = await compileMof(schema, { connection: conn });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds: Number(seconds.toFixed(3)), classes: summary.classes.created + summary.classes.updated };
  } finally {
    await conn.close();
  }
});
