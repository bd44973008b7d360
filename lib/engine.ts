// The per-connection operation engine: gives each operation an id, batches
// submissions per microtask, pulls completions from native in bounded batches
// (the doorbell only schedules the drain), and settles each operation exactly
// once. Everything here runs on the JS thread.
import type {
  NativeCompletionExtra,
  NativeConnection,
  NativeOp,
  NativeOpenOptions,
  NativeSubmitError,
} from '../binding';
import { NativeCompletionType } from '../binding';
import { binding } from './binding';
import { WbemError } from './errors';
import { statusCodes } from './generated/status';

/** Final outcome of one operation (hresult unsigned; 0 = success). */
export type Settle = (hresult: number, strParam: string | null, extra: NativeCompletionExtra | null) => void;
/** Intermediate events: enumeration batches and progress. */
export type OnEvent = (extra: NativeCompletionExtra) => void;

/** Completions handled per turn of the event loop before yielding to other work. */
const drainBatch = 4096;

// Engines with outstanding operations: a strong reference so that an engine
// whose caller only holds a promise is not collected before it settles.
const busy = new Set<Engine>();

export const enum DeliveryMode {
  Batched,
  PerEvent,
}

export class Engine {
  readonly #handle: NativeConnection;
  // Settle per outstanding operation; event handlers (enumerations) apart,
  // so that a put costs one map entry and no wrapper object.
  readonly #pending = new Map<number, Settle>();
  readonly #events = new Map<number, OnEvent>();
  #outbox: NativeOp[] = [];
  #nextId = 1;
  #drainScheduled = false;
  #closed = false;
  readonly #perEvent: boolean;

  /** Opens the native connection; `onOpen` receives the connect outcome. */
  constructor(options: NativeOpenOptions, onOpen: Settle) {
    this.#perEvent = options.perEventDelivery === true;
    // The doorbell holds the engine weakly; `busy` keeps it alive while needed.
    const weak = new WeakRef(this);
    this.#pending.set(0, onOpen);
    busy.add(this);
    this.#handle = binding.open(options, () => {
      const engine = weak.deref();
      if (engine) engine.#ring();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Queues an operation; it is handed to native at the end of this microtask. */
  submit(op: Omit<NativeOp, 'id'>, settle: Settle, onEvent?: OnEvent): number {
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0xfffffffe ? 1 : this.#nextId + 1;
    if (this.#closed) {
      queueMicrotask(() =>
        settle(statusCodes.WBEM_E_INVALID_OPERATION, null, closedExtra),
      );
      return id;
    }
    this.#pending.set(id, settle);
    if (onEvent) this.#events.set(id, onEvent);
    if (this.#pending.size === 1) busy.add(this);
    if (this.#outbox.length === 0) queueMicrotask(() => this.#flush());
    (op as NativeOp).id = id;
    this.#outbox.push(op as NativeOp);
    return id;
  }

  /** Best-effort cancel; the operation still settles exactly once. */
  cancel(id: number): void {
    if (!this.#pending.has(id)) return;
    const queued = this.#outbox.findIndex((op) => op.id === id);
    if (queued >= 0) {
      // Not handed to native yet: nothing can have been written.
      this.#outbox.splice(queued, 1);
      this.#finish(id, cancelledHresult, null, null);
      return;
    }
    if (!this.#closed) binding.cancel(this.#handle, id);
  }

  /**
   * Cancels everything in flight, waits (natively, bounded) until each
   * operation has completed, and settles all of them.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const op of this.#outbox) this.#finish(op.id, cancelledHresult, null, null);
    this.#outbox = [];
    binding.close(this.#handle);
    while (this.#drainOnce() > 0) {
      // keep draining: close() has completed every operation natively
    }
    for (const id of [...this.#pending.keys()]) this.#finish(id, cancelledHresult, null, null);
  }

  #flush(): void {
    const ops = this.#outbox;
    if (ops.length === 0) return;
    this.#outbox = [];
    let errors: NativeSubmitError[] | null;
    try {
      errors = binding.submit(this.#handle, ops);
    } catch (e) {
      for (const op of ops) {
        this.#finish(op.id, statusCodes.WBEM_E_INVALID_PARAMETER, null, {
          ...emptyExtra,
          message: e instanceof Error ? e.message : String(e),
        });
      }
      return;
    }
    if (errors) {
      for (const e of errors) {
        this.#finish(e.id, e.hresult, null, { ...emptyExtra, property: e.property, message: e.message });
      }
    }
  }

  #ring(): void {
    if (this.#perEvent) {
      // The baseline the benchmarks compare against: handle completions
      // inside the thread-safe-function callback itself.
      this.#drainOnce();
      return;
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    setImmediate(this.#drainTask);
  }

  readonly #drainTask = (): void => {
    this.#drainScheduled = false;
    if (this.#drainOnce() > 0 && !this.#drainScheduled) {
      this.#drainScheduled = true;
      setImmediate(this.#drainTask);
    }
  };

  /** Settles one batch of completions; returns how many remain queued. */
  #drainOnce(): number {
    const { remaining, records } = binding.drain(this.#handle, drainBatch);
    for (let i = 0; i < records.length; i += 4) {
      const id = records[i] as number;
      const hresult = records[i + 1] as number;
      const strParam = records[i + 2] as string | null;
      const extra = records[i + 3] as NativeCompletionExtra | null;
      if (extra !== null && extra.type !== NativeCompletionType.Done) {
        this.#events.get(id)?.(extra);
        continue;
      }
      this.#finish(id, hresult, strParam, extra);
    }
    return remaining;
  }

  #finish(id: number, hresult: number, strParam: string | null, extra: NativeCompletionExtra | null): void {
    const settle = this.#pending.get(id);
    if (!settle) return;
    this.#pending.delete(id);
    if (this.#events.size !== 0) this.#events.delete(id);
    if (this.#pending.size === 0) busy.delete(this);
    try {
      settle(hresult, strParam, extra);
    } catch (e) {
      // A throwing user callback must not break the drain loop for others.
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}

export const cancelledHresult: number = statusCodes.WBEM_E_CALL_CANCELLED;

const emptyExtra: NativeCompletionExtra = {
  type: NativeCompletionType.Done,
  extended: null,
  property: null,
  message: null,
  objects: null,
  progressTotal: 0,
  progressCurrent: 0,
  progressMessage: null,
};

const closedExtra: NativeCompletionExtra = { ...emptyExtra, message: 'the connection is closed' };

/** The WbemError for a failed completion (hresult must be a failure). */
export function errorFrom(
  hresult: number,
  extra: NativeCompletionExtra | null,
  cause?: unknown,
): WbemError {
  const ext = extra?.extended;
  return new WbemError(hresult, {
    ...(ext
      ? {
          description: ext.description || undefined,
          operation: ext.operation || undefined,
          parameterInfo: ext.parameterInfo || undefined,
          providerName: ext.providerName || undefined,
          statusCode: ext.statusCode,
        }
      : {}),
    ...(extra?.message ? { description: extra.message } : {}),
    ...(extra?.property ? { property: extra.property } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** True for an HRESULT that means failure (severity bit set). */
export function failed(hresult: number): boolean {
  return (hresult & 0x80000000) !== 0;
}
