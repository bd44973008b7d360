// File-level leak accounting: `checkLeaksAtEnd()` at the top of a test file
// snapshots the addon's live counters (binding.counters()) and registers an
// after() hook that, once every test of the file has run, collects garbage
// and waits briefly for late releases (the server drops its sink reference on
// its own thread a moment after SetStatus; finalizers run after a GC), then
// asserts that every counter is back at its start value.
//
// Counters a file legitimately changes for good can be named in `allow`, each
// with the reason (e.g. a file that writes into the process-wide default
// repository keeps those objects: `classObjects`).
import { strict as assert } from 'node:assert';
import { after } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { NativeCounters } from '../binding';
import { binding } from '../lib/binding';

export type CounterName = keyof NativeCounters;

export interface LeakCheckOptions {
  /** Counters that may end above their start value, each with the reason. */
  allow?: Partial<Record<CounterName, string>>;
  /** How long to wait for the counters to settle (default 5000 ms). */
  timeoutMs?: number;
  /**
   * The file's own clean-up (close its connections, drop its repositories),
   * run by the same after() hook just before the check.
   */
  teardown?: () => unknown;
}

let gcFn: (() => void) | undefined;

/** A full garbage collection, with or without --expose-gc. */
export function collectGarbage(): void {
  if (!gcFn) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') {
      gcFn = exposed;
    } else {
      // The flag takes effect for contexts created after it is set.
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
  }
  gcFn();
}

export function snapshotCounters(): NativeCounters {
  return { ...binding.counters() };
}

function settled(now: NativeCounters, start: NativeCounters, allow: Partial<Record<CounterName, string>>): boolean {
  for (const key of Object.keys(start) as CounterName[]) {
    if (key in allow ? now[key] < start[key] : now[key] !== start[key]) return false;
  }
  return true;
}

/**
 * Waits (collecting garbage between looks) until the counters match `start`,
 * then asserts it. Counters in `allow` may only not go below their start.
 */
export async function assertCountersBack(start: NativeCounters, options: LeakCheckOptions = {}): Promise<void> {
  const allow = options.allow ?? {};
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  let now = snapshotCounters();
  while (!settled(now, start, allow) && Date.now() < deadline) {
    collectGarbage();
    await delay(20);
    now = snapshotCounters();
  }
  const expected: NativeCounters = { ...now };
  for (const key of Object.keys(start) as CounterName[]) {
    if (!(key in allow) || now[key] < start[key]) expected[key] = start[key];
  }
  assert.deepEqual(now, expected, 'live counters must be back at their start values at the end of the file');
}

/**
 * Registers the file-level check. Call it at the top level of a test file,
 * before anything of the file touches the addon (a top-level before() hook
 * may start running as soon as it is registered). Clean-up that must happen
 * before the check goes in `teardown` (hooks run in registration order).
 */
export function checkLeaksAtEnd(options: LeakCheckOptions = {}): void {
  // The process-wide default repository lives until exit: create it now, so
  // a file that is the first to use it is not charged for it.
  binding.controlRepository(null, {});
  collectGarbage();
  const start = snapshotCounters();
  after(async () => {
    if (options.teardown) await options.teardown();
    await assertCountersBack(start, options);
  });
}
