#!/usr/bin/env node
// The README's first command: defines a class, writes 100,000 instances with
// putMany (progress on a TTY, plain lines otherwise), reads some back and
// enumerates them — on the embedded backend by default (any OS), or on real
// WMI with `--backend wmi` on Windows.
//
//   node examples/demo.mjs [--count N] [--backend embedded|wmi] [--namespace root/cimv2]
import { connect, defineClass, cim, CimDateTime } from '../dist/lib/index.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const count = Number(option('count', '100000'));
const backend = option('backend', 'embedded');
const namespace = option('namespace', 'root/cimv2');

const Sample = defineClass(
  'WmiPut_DemoSample',
  {
    Name: cim.string().key(),
    Sequence: cim.uint32(),
    Bytes: cim.uint64(),
    Seen: cim.datetime(),
    Tags: cim.string().array(),
  },
  { qualifiers: { Description: 'Rows written by the wmi-put demo' } },
);

function* rows() {
  const seen = CimDateTime.fromDate(new Date(), 0);
  for (let i = 0; i < count; i++) {
    yield Sample.item({
      Name: `sample-${i}`,
      Sequence: i,
      Bytes: 2n ** 40n + BigInt(i),
      Seen: seen,
      Tags: ['demo', `batch-${i % 10}`, 'wmi-put', 'node'],
    });
  }
}

const tty = process.stdout.isTTY;
function progress(done, failed, started, final = false) {
  const seconds = (performance.now() - started) / 1000;
  const rate = done / Math.max(seconds, 1e-3);
  const eta = rate > 0 ? (count - done) / rate : 0;
  const width = 30;
  const filled = Math.round((done / count) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const line = `[${bar}] ${done}/${count}  ${Math.round(rate).toLocaleString('en-US')}/s  ETA ${eta.toFixed(1)} s  errors ${failed}`;
  if (tty) process.stdout.write(`\r${line}${final ? '\n' : ''}`);
  else console.log(line);
}

const conn = await connect({ backend, namespace });
console.log(`connected: backend ${conn.backend}, namespace ${conn.namespace}`);
await conn.putClass(Sample, { mode: 'createOrUpdate', update: 'force' });
console.log(`class ${Sample.name} written`);

const started = performance.now();
let done = 0;
let failed = 0;
let lastReport = started;
const firstErrors = [];
for await (const result of conn.putMany(rows(), { concurrency: 256 })) {
  done++;
  if (result.error) {
    failed++;
    if (firstErrors.length < 5) firstErrors.push(`item ${result.index}: ${result.error.message}`);
  }
  const now = performance.now();
  if (now - lastReport > (tty ? 100 : 1000)) {
    progress(done, failed, started);
    lastReport = now;
  }
}
progress(done, failed, started, true);
const seconds = (performance.now() - started) / 1000;
console.log(`${done - failed} instances written in ${seconds.toFixed(2)} s (${Math.round(done / seconds).toLocaleString('en-US')}/s), ${failed} failed`);
for (const e of firstErrors) console.log(`  ${e}`);

for (const i of [0, Math.floor(count / 2), count - 1]) {
  const obj = await conn.getObject(`${Sample.name}.Name="sample-${i}"`);
  console.log(`${obj.__RELPATH}: Sequence=${obj.Sequence} Bytes=${obj.Bytes} Seen=${obj.Seen} Tags=${JSON.stringify(obj.Tags)}`);
}
let enumerated = 0;
for await (const _ of conn.enumerateInstances(Sample.name)) enumerated++;
console.log(`enumerateInstances(${Sample.name}): ${enumerated} instances`);
await conn.close();
if (failed > 0) process.exitCode = 1;
