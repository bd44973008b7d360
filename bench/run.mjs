#!/usr/bin/env node
// npm run bench [-- --quick] [--only a,b] [--repeat n] [--out file]
// Runs every trial in a fresh child process (`node bench/trials/<name>.mjs`),
// collects the one JSON line each prints, prints a table with the ratios and
// the targets, and writes bench/results.json. Reports numbers; never asserts
// timing. Exits 1 only when a trial fails to run (an error, not a slow number).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

// Order matters only for reading the output; each trial is independent.
const trials = [
  { name: 'single', what: 'sequential awaited putInstance' },
  { name: 'concurrent', what: 'putInstance, 256 promises in flight' },
  { name: 'putMany', what: 'putMany, concurrency 256' },
  { name: 'nativeOnly', what: 'C++ straight at the embedded server, no JS' },
  { name: 'perEventDelivery', what: 'putMany, one TSFN call per completion' },
  { name: 'tsfnRoundTrip', what: 'bare TSFN calls from a native thread' },
  { name: 'putClass', what: '1,000 classes, 5-level hierarchy' },
  { name: 'memory', what: 'RSS over put+delete cycles; bytes per instance', nodeArgs: ['--expose-gc'] },
  { name: 'eventLoop', what: 'event-loop delay during putMany' },
  { name: 'durablePutMany', what: 'putMany into a durable (file) repository, group commit' },
  { name: 'durableReopen', what: 'reopen a durable repository of 1,000,000 instances' },
  { name: 'mofCompile', what: 'compileMof of the DMTF CIM 2.32 schema' },
];

function parseArgs(argv) {
  const options = {
    quick: false,
    only: null,
    repeat: 1,
    out: path.join(benchDir, 'results.json'),
    timeoutMs: 20 * 60 * 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') options.quick = true;
    else if (a === '--only') options.only = new Set(argv[++i].split(','));
    else if (a === '--out') options.out = path.resolve(argv[++i]);
    else if (a === '--timeout-ms') options.timeoutMs = Number(argv[++i]);
    else if (a === '--repeat') {
      options.repeat = Number(argv[++i]);
      if (!Number.isInteger(options.repeat) || options.repeat < 1) {
        console.error('bench: --repeat takes a positive integer');
        process.exit(2);
      }
    }
    else {
      console.error(`bench: unknown argument ${a}\nusage: node bench/run.mjs [--quick] [--only a,b] [--repeat n] [--out file]`);
      process.exit(2);
    }
  }
  if (options.only) {
    for (const n of options.only) {
      if (!trials.some((t) => t.name === n)) {
        console.error(`bench: unknown trial ${n} (known: ${trials.map((t) => t.name).join(', ')})`);
        process.exit(2);
      }
    }
  }
  return options;
}

function runTrial(trial, options) {
  const file = path.join(benchDir, 'trials', `${trial.name}.mjs`);
  const args = [...(trial.nodeArgs ?? []), file, ...(options.quick ? ['--quick'] : [])];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\nbench: killed after ${options.timeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallSeconds = (Date.now() - started) / 1000;
      const line = stdout
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      let result = null;
      try {
        result = line ? JSON.parse(line) : null;
      } catch {
        result = null;
      }
      if (code === 0 && result) {
        // How busy the machine was while the trial ran (1-minute load average).
        result.loadAvg1 = Math.round(os.loadavg()[0] * 100) / 100;
        resolve({ ok: true, result, wallSeconds });
      } else {
        const reason = stderr.trim().split('\n').slice(-8).join('\n') || `no result line (exit ${code ?? signal})`;
        resolve({ ok: false, error: `exit ${code ?? signal}: ${reason}`, wallSeconds });
      }
    });
  });
}

const fmt = (x, digits = 0) =>
  typeof x === 'number' && Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

const cpu = (r) => (typeof r.cpuUsPerOp === 'number' ? `, ${fmt(r.cpuUsPerOp, 1)} µs CPU/op` : '');

// The metric that picks the median run of a trial under --repeat.
const keyMetric = {
  single: ['p99us'],
  concurrent: ['opsPerSec'],
  putMany: ['opsPerSec'],
  nativeOnly: ['opsPerSec'],
  perEventDelivery: ['opsPerSec'],
  tsfnRoundTrip: ['callsPerSec'],
  putClass: ['opsPerSec'],
  memory: ['rssGrowthMB'],
  eventLoop: ['maxDelayMs'],
  durablePutMany: ['opsPerSec'],
  durableReopen: ['seconds'],
  mofCompile: ['seconds'],
};

// The headline number of each trial, for the table.
const headline = {
  single: (r) => `p50 ${fmt(r.p50us, 1)} µs, p99 ${fmt(r.p99us, 1)} µs`,
  concurrent: (r) => `${fmt(r.opsPerSec)} instances/s${cpu(r)}`,
  putMany: (r) => `${fmt(r.opsPerSec)} instances/s${cpu(r)}`,
  nativeOnly: (r) => `${fmt(r.opsPerSec)} instances/s${cpu(r)}`,
  perEventDelivery: (r) => `${fmt(r.opsPerSec)} instances/s${cpu(r)}`,
  tsfnRoundTrip: (r) => `${fmt(r.callsPerSec)} calls/s (${fmt(r.callsPerSecWithJsCall)}/s with a JS call each)`,
  putClass: (r) => `${fmt(r.opsPerSec)} classes/s`,
  memory: (r) => `growth ${fmt(r.rssGrowthMB, 1)} MB over ${fmt(r.cycles)} cycles, ${fmt(r.bytesPerInstance)} B/instance`,
  durablePutMany: (r) => `${fmt(r.opsPerSec)} instances/s${cpu(r)}, file ${fmt(r.fileMB, 1)} MB`,
  durableReopen: (r) => `${fmt(r.seconds, 2)} s for ${fmt(r.count)} instances`,
  mofCompile: (r) => `${fmt(r.seconds, 2)} s for ${fmt(r.classes)} classes`,
  eventLoop: (r) =>
    `max ${fmt(r.maxDelayMs, 2)} ms, p99 ${fmt(r.p99DelayMs, 2)} ms` +
    (r.maxStallSplitMs
      ? ` (worst stall: ${fmt(r.maxStallSplitMs.running, 1)} running, ${fmt(r.maxStallSplitMs.runQueue, 1)} waiting for a CPU, ${fmt(r.maxStallSplitMs.blocked, 1)} blocked)`
      : ''),
};

function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? Math.round((a / b) * 1000) / 1000 : null;
}

// The targets for this 2-core machine. Reported, never asserted.
function targets(r) {
  const get = (trial, key) => r[trial]?.[key];
  const list = [
    { name: 'putMany.opsPerSec >= 250,000', actual: get('putMany', 'opsPerSec'), target: 250000, higher: true },
    { name: 'putMany / nativeOnly >= 0.5', actual: r.ratios.putManyOverNativeOnly, target: 0.5, higher: true },
    { name: 'batched / perEvent >= 1.4', actual: r.ratios.batchedOverPerEvent, target: 1.4, higher: true },
    { name: 'single.p99us <= 150', actual: get('single', 'p99us'), target: 150, higher: false },
    { name: 'eventLoop.maxDelayMs <= 10', actual: get('eventLoop', 'maxDelayMs'), target: 10, higher: false },
    { name: 'memory.rssGrowthMB <= 10', actual: get('memory', 'rssGrowthMB'), target: 10, higher: false },
    { name: 'durablePutMany.opsPerSec >= 100,000', actual: get('durablePutMany', 'opsPerSec'), target: 100000, higher: true },
    { name: 'durableReopen.seconds <= 3 (1,000,000 instances)', actual: get('durableReopen', 'seconds'), target: 3, higher: false },
    { name: 'mofCompile.seconds <= 2 (CIM 2.32)', actual: get('mofCompile', 'seconds'), target: 2, higher: false },
  ];
  for (const t of list) {
    if (typeof t.actual !== 'number') {
      t.met = null;
      t.margin = null;
    } else {
      t.met = t.higher ? t.actual >= t.target : t.actual <= t.target;
      // Relative distance from the target: positive = better than needed.
      t.margin = Math.round(((t.higher ? t.actual - t.target : t.target - t.actual) / t.target) * 1000) / 1000;
    }
    delete t.higher;
  }
  return list;
}

// The commit measured, with "+dirty" when the working tree differs from it.
// WMI_PUT_BENCH_COMMIT names it for a copy outside git (e.g. a `git archive` snapshot).
function gitCommit() {
  if (process.env.WMI_PUT_BENCH_COMMIT) return process.env.WMI_PUT_BENCH_COMMIT;
  const cwd = path.dirname(benchDir);
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() ? '+dirty' : ''}`;
}

function pad(s, n) {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    quick: options.quick,
    repeat: options.repeat,
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      platform: process.platform,
      arch: process.arch,
      kernel: os.release(),
      loadAvgBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    node: process.version,
    commit: gitCommit(),
    errors: {},
  };
  const selected = trials.filter((t) => !options.only || options.only.has(t.name));
  console.log(`wmi-put benchmarks${options.quick ? ' (--quick: 1/10 size)' : ''}`);
  console.log(`${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.node}, commit ${results.commit ?? 'unknown'}\n`);
  // With --repeat N the trials run N rounds, interleaved (A B C, A B C, ...),
  // and each trial reports its median run by its key metric (all runs' key
  // values are kept in `runs`).
  const collected = new Map(selected.map((t) => [t.name, []]));
  for (let round = 1; round <= options.repeat; round++) {
    if (options.repeat > 1) console.log(`round ${round} of ${options.repeat}`);
    for (const trial of selected) {
      process.stdout.write(`${pad(trial.name, 18)} ${pad(trial.what, 48)} `);
      const outcome = await runTrial(trial, options);
      if (outcome.ok) {
        collected.get(trial.name).push(outcome.result);
        console.log(`${headline[trial.name](outcome.result)}  [${fmt(outcome.wallSeconds, 1)} s]`);
      } else {
        results.errors[trial.name] = outcome.error;
        console.log(`FAILED  [${fmt(outcome.wallSeconds, 1)} s]\n${outcome.error.replace(/^/gm, '    ')}`);
      }
    }
  }
  for (const trial of selected) {
    const runs = collected.get(trial.name);
    if (runs.length === 0) continue;
    const [key] = keyMetric[trial.name];
    const sorted = [...runs].sort((a, b) => a[key] - b[key]);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    results[trial.name] = runs.length > 1 ? { ...median, runs: runs.map((r) => r[key]) } : median;
  }
  if (options.repeat > 1) {
    console.log('\nmedians');
    for (const trial of selected) {
      if (results[trial.name]) console.log(`${pad(trial.name, 18)} ${headline[trial.name](results[trial.name])}`);
    }
  }

  results.machine.loadAvgAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const busy = Math.max(results.machine.loadAvgBefore[0], results.machine.loadAvgAfter[0]);
  if (busy > results.machine.cores * 0.5) {
    console.log(`\nwarning: 1-minute load average reached ${busy} on ${results.machine.cores} cores: other work competed for the CPU`);
  }

  results.ratios = {
    putManyOverNativeOnly: ratio(results.putMany?.opsPerSec, results.nativeOnly?.opsPerSec),
    batchedOverPerEvent: ratio(results.putMany?.opsPerSec, results.perEventDelivery?.opsPerSec),
    concurrentOverPutMany: ratio(results.concurrent?.opsPerSec, results.putMany?.opsPerSec),
    perEventOverTsfnFloor: ratio(results.perEventDelivery?.opsPerSec, results.tsfnRoundTrip?.callsPerSec),
    // CPU time per put (all threads), end to end vs native only: steadier than
    // the wall-clock ratio when the machine is busy.
    cpuPutManyOverNativeOnly: ratio(results.putMany?.cpuUsPerOp, results.nativeOnly?.cpuUsPerOp),
    cpuPerEventOverBatched: ratio(results.perEventDelivery?.cpuUsPerOp, results.putMany?.cpuUsPerOp),
  };
  results.targets = targets(results);

  console.log('\nratios');
  console.log(`  putMany / nativeOnly          ${fmt(results.ratios.putManyOverNativeOnly, 3)}`);
  console.log(`  batched / perEvent            ${fmt(results.ratios.batchedOverPerEvent, 3)}`);
  console.log(`  concurrent / putMany          ${fmt(results.ratios.concurrentOverPutMany, 3)}`);
  console.log(`  perEvent / TSFN floor         ${fmt(results.ratios.perEventOverTsfnFloor, 3)}`);
  console.log(`  CPU/op putMany / nativeOnly   ${fmt(results.ratios.cpuPutManyOverNativeOnly, 3)}`);
  console.log(`  CPU/op perEvent / batched     ${fmt(results.ratios.cpuPerEventOverBatched, 3)}`);
  console.log(`\ntargets${options.quick ? ' (sized for full runs; --quick numbers are indicative only)' : ''}`);
  for (const t of results.targets) {
    const state = t.met === null ? 'n/a   ' : t.met ? 'met   ' : 'MISSED';
    const margin = t.margin === null ? '' : ` (${t.margin >= 0 ? '+' : ''}${fmt(t.margin * 100, 1)}% vs target)`;
    console.log(`  ${state} ${pad(t.name, 32)} actual ${fmt(t.actual, t.actual < 10 ? 2 : 0)}${margin}`);
  }

  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), options.out) || options.out}`);
  const failed = Object.keys(results.errors);
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} trial(s) failed to run: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
