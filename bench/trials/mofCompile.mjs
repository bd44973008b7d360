// mofCompile: the whole DMTF CIM 2.32 schema (1,418 classes, 1,422 files) compiled
// with compileMof into a fresh embedded repository: read + parse + check + putClass.
// Prints one JSON line: {"mofCompile": {"seconds": N, "classes": N}}. Target: <= 2 s.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { packageRoot } from './common.mjs';

const { compileMof, connect, createRepository } = createRequire(import.meta.url)(packageRoot);
const schema = path.resolve(packageRoot, '..', 'shared', 'corpus', 'mof', 'omi', 'Unix', 'share', 'omischema', 'CIM_Schema.mof');
if (!fs.existsSync(schema)) {
  console.error(`mofCompile: corpus not found at ${schema}`);
  process.exit(1);
}
const conn = await connect({ backend: 'embedded', namespace: 'root\\cimv2', repository: createRepository() });
const started = process.hrtime.bigint();
const summary = await compileMof(schema, { connection: conn });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
conn.close();
const classes = summary.classes.created + summary.classes.updated;
console.log(JSON.stringify({ mofCompile: { seconds: Number(seconds.toFixed(3)), classes } }));
