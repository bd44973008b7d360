// putMany: many instance puts with a bounded window in flight, results as an
// async iterator, input pulled only as the window allows (backpressure),
// retries with back-off on WMI's "too busy" codes, and cancellation.
import { WbemError } from './errors';
import type { PutMode } from './flags';
import type { InstanceProperties } from './types';

export interface PutManyItem {
  className: string;
  properties: InstanceProperties;
  mode?: PutMode;
  context?: Readonly<Record<string, unknown>>;
}

export interface PutManyOptions {
  /** Puts in flight at once (default 128). */
  concurrency?: number;
  /** Yield results in input order instead of completion order. */
  ordered?: boolean;
  /** Default mode and context for items that do not set their own. */
  mode?: PutMode;
  context?: Readonly<Record<string, unknown>>;
  /** Cancels everything outstanding; the iterator then throws WBEM_E_CALL_CANCELLED. */
  signal?: AbortSignal;
  /**
   * Tries per item when WMI answers WBEM_E_QUOTA_VIOLATION or
   * WBEM_E_SERVER_TOO_BUSY (default 3: the first try and two retries).
   */
  retries?: number;
  /** First back-off delay in ms, doubled per retry, with jitter (default 20). */
  retryDelayMs?: number;
}

export type PutManyResult =
  | { index: number; path: string; error?: undefined }
  | { index: number; error: WbemError; path?: undefined };

/** How putMany starts and cancels one put (the connection supplies it). */
export interface PutDriver {
  /** Starts a put; `done` is called exactly once. Returns an id for cancel(). */
  start(item: PutManyItem, done: (error: WbemError | null, path: string) => void): number;
  cancel(id: number): void;
}

const retryable = new Set(['WBEM_E_QUOTA_VIOLATION', 'WBEM_E_SERVER_TOO_BUSY']);

function invalid(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`${name} must be a positive integer`);
  }
  return value;
}

export function checkPutManyOptions(options: PutManyOptions): void {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  positiveInt(options.concurrency, 'concurrency', 128);
  positiveInt(options.retries, 'retries', 3);
  if (options.retryDelayMs !== undefined && !(typeof options.retryDelayMs === 'number' && options.retryDelayMs >= 0)) {
    throw invalid('retryDelayMs must be a non-negative number');
  }
  if (options.ordered !== undefined && typeof options.ordered !== 'boolean') throw invalid('ordered must be a boolean');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw invalid('signal must be an AbortSignal');
  }
}

export async function* putMany(
  driver: PutDriver,
  items: Iterable<PutManyItem> | AsyncIterable<PutManyItem>,
  options: PutManyOptions,
): AsyncIterableIterator<PutManyResult> {
  checkPutManyOptions(options);
  const concurrency = positiveInt(options.concurrency, 'concurrency', 128);
  const tries = positiveInt(options.retries, 'retries', 3);
  const retryDelayMs = options.retryDelayMs ?? 20;
  const ordered = options.ordered === true;
  const refillChunk = Math.max(1, Math.floor(concurrency / 4));
  const signal = options.signal;
  if (signal?.aborted) throw WbemError.fromStatus('WBEM_E_CALL_CANCELLED', { cause: signal.reason });

  const asyncIt = (items as AsyncIterable<PutManyItem>)[Symbol.asyncIterator];
  const syncIt = (items as Iterable<PutManyItem>)[Symbol.iterator];
  if (typeof asyncIt !== 'function' && typeof syncIt !== 'function') {
    throw invalid('items must be an Iterable or an AsyncIterable');
  }
  const source: AsyncIterator<PutManyItem> | Iterator<PutManyItem> =
    typeof asyncIt === 'function' ? asyncIt.call(items) : syncIt.call(items);
  const isAsync = typeof asyncIt === 'function';

  const inFlight = new Map<number, number>(); // put id -> item index
  let outstanding = 0; // in flight or waiting for a retry
  const ready: PutManyResult[] = [];
  const parked = new Map<number, PutManyResult>(); // ordered: results ahead of nextIndex
  let nextIndex = 0; // ordered: next index to hand out
  let count = 0; // items read so far
  let inputDone = false;
  let aborted = false;
  let finished = false;
  let wake: (() => void) | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const deliver = (result: PutManyResult): void => {
    outstanding--;
    if (!ordered) {
      ready.push(result);
    } else {
      parked.set(result.index, result);
      for (let r = parked.get(nextIndex); r !== undefined; r = parked.get(nextIndex)) {
        parked.delete(nextIndex);
        ready.push(r);
        nextIndex++;
      }
    }
    notify();
  };

  const start = (item: PutManyItem, index: number, attempt: number): void => {
    let id = -1;
    let sync = true;
    let syncResult: [WbemError | null, string] | undefined;
    const done = (error: WbemError | null, path: string): void => {
      if (sync) {
        syncResult = [error, path];
        return;
      }
      inFlight.delete(id);
      if (error && retryable.has(error.code) && attempt + 1 < tries && !aborted && !finished) {
        const delay = retryDelayMs * 2 ** attempt * (0.5 + Math.random());
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (aborted || finished) {
            deliver({ index, error });
          } else {
            start(item, index, attempt + 1);
          }
        }, delay);
        timers.add(timer);
        return;
      }
      deliver(error ? { index, error } : { index, path });
    };
    id = driver.start(item, done);
    sync = false;
    if (syncResult) {
      done(...syncResult);
    } else {
      inFlight.set(id, index);
    }
  };

  const onAbort = (): void => {
    aborted = true;
    for (const id of [...inFlight.keys()]) driver.cancel(id);
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    for (;;) {
      // Fill the window: results not yet handed to the consumer count too,
      // so input is never read more than `concurrency` items ahead. Refill in
      // chunks (a quarter of the window, or whatever is free once nothing is
      // left to hand out) so that one native submit carries many puts.
      const free = concurrency - (outstanding + ready.length + parked.size);
      const refill = free > 0 && (free >= refillChunk || ready.length === 0);
      while (refill && !inputDone && !aborted && outstanding + ready.length + parked.size < concurrency) {
        const next = isAsync ? await source.next() : (source as Iterator<PutManyItem>).next();
        if (next.done) {
          inputDone = true;
          break;
        }
        const index = count++;
        outstanding++;
        const item = next.value;
        if (typeof item !== 'object' || item === null || typeof item.className !== 'string') {
          deliver({ index, error: invalid(`item ${index} must be { className, properties }`) });
          continue;
        }
        start(item, index, 0);
      }
      if (ready.length > 0) {
        yield ready.shift() as PutManyResult;
        continue;
      }
      if (outstanding === 0) {
        if (inputDone || aborted) break;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (aborted) throw WbemError.fromStatus('WBEM_E_CALL_CANCELLED', { cause: signal?.reason });
  } finally {
    finished = true;
    signal?.removeEventListener('abort', onAbort);
    for (const timer of timers) clearTimeout(timer);
    for (const id of [...inFlight.keys()]) driver.cancel(id);
    if (!inputDone) await source.return?.();
  }
}
