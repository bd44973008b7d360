// Shared by the trials: sizes (--quick = 1/10), the benchmark class and its
// instances, putMany driving, and the single JSON line every trial prints
// last on stdout (bench/run.mjs reads it).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import wmiPut from '../../dist/lib/index.js';

export const { connect, createRepository } = wmiPut;

export const quick = process.argv.includes('--quick');
export const benchRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const packageRoot = path.dirname(benchRoot);

/** `full` at full size, a tenth of it with --quick. */
export function size(full) {
  return quick ? Math.max(1, Math.round(full / 10)) : full;
}

/** Where the native benchmark helpers were built (bench/native/CMakeLists.txt). */
export function nativeBenchDir() {
  return process.env.WMI_PUT_BENCH_BIN_DIR ?? path.join(packageRoot, 'build', 'bench');
}

export const requireNative = createRequire(import.meta.url);

export const className = 'Bench_Item';

/** The 5-property class every put trial writes (the native-only floor declares the same). */
export const benchClass = {
  name: className,
  properties: {
    Name: { type: 'string', key: true },
    Count: { type: 'uint32' },
    Total: { type: 'uint64' },
    Seen: { type: 'datetime' },
    Tags: { type: 'string', array: true },
  },
};

const seen = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123));
const tags = ['alpha', 'beta', 'gamma', 'delta'];

/** The properties of instance `i`; `prefix` keeps warm-up keys apart from measured ones. */
export function properties(i, prefix = 'item') {
  return { Name: `${prefix}-${i}`, Count: i >>> 0, Total: 1099511627776n + BigInt(i), Seen: seen, Tags: tags };
}

/** A connection to a fresh in-memory embedded repository holding Bench_Item. */
export async function open(options = {}) {
  const repository = options.repository ?? createRepository();
  const conn = await connect({ backend: 'embedded', namespace: 'root/cimv2', ...options, repository });
  await conn.putClass(benchClass);
  return conn;
}

function* items(count, prefix) {
  for (let i = 0; i < count; i++) yield { className, properties: properties(i, prefix) };
}

/** putMany over `count` new instances; throws on the first failed put. Returns ops/s. */
export async function runPutMany(conn, count, { concurrency = 256, prefix = 'item' } = {}) {
  let done = 0;
  const clock = startClock();
  for await (const r of conn.putMany(items(count, prefix), { concurrency })) {
    if (r.error) throw new Error(`putMany: item ${r.index} failed: ${r.error.code} ${r.error.message}`);
    done++;
  }
  const t = clock.stop(count);
  if (done !== count) throw new Error(`putMany yielded ${done} results for ${count} items`);
  return { opsPerSec: t.opsPerSec, count, seconds: t.seconds, cpuUsPerOp: t.cpuUsPerOp };
}

/**
 * Wall clock and process CPU time (all threads). CPU µs per operation is the
 * steadier number when other work competes for the cores: wall-clock rates
 * then drop, CPU cost per operation much less.
 */
export function startClock() {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return {
    stop(count) {
      const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
      const used = process.cpuUsage(cpu);
      return {
        seconds: round(seconds, 3),
        opsPerSec: Math.round(count / seconds),
        cpuUsPerOp: round((used.user + used.system) / count, 2),
      };
    },
  };
}

/** Runs `count` tasks with `width` of them in flight; task(i) returns a promise. */
export async function runWindow(count, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Prints the trial's result: the one JSON line bench/run.mjs collects. */
export function emit(result) {
  process.stdout.write(`${JSON.stringify({ quick, ...result })}\n`);
}

/** Runs a trial body; any failure exits 1 with the reason on stderr. */
export async function trial(body) {
  try {
    emit(await body());
    process.exitCode = 0;
    // A handle left open by the code under test must not hang the driver.
    setTimeout(() => {
      process.stderr.write('trial: the process did not exit by itself 5 s after finishing\n');
      process.exit(process.exitCode);
    }, 5000).unref();
  } catch (e) {
    process.stderr.write(`${e && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  }
}
