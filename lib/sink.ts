// WbemSink: the event sink of the scripting model (SWbemSink) for putAsync.
// One sink may serve many calls; each event carries the asyncContext of its
// call, and cancel() cancels every call still outstanding on the sink.
import { EventEmitter } from 'node:events';
import type { WbemError } from './errors';

export interface WbemSinkEvents {
  /** A put succeeded: the path written (instances) or the class name. Fires before `completed`. */
  objectPut: [path: string, asyncContext: unknown];
  /** Final outcome of one call: hresult 0 and error null on success. */
  completed: [hresult: number, error: WbemError | null, asyncContext: unknown];
  /** Intermediate progress (only with wbemFlagSendStatus, and only if the server sends it). */
  progress: [upperBound: number, current: number, message: string, asyncContext: unknown];
}

interface OutstandingCall {
  cancel(): void;
}

const outstanding = new WeakMap<WbemSink, Set<OutstandingCall>>();

export class WbemSink extends EventEmitter<WbemSinkEvents> {
  /** Calls started with this sink that have not completed yet. */
  get pending(): number {
    return outstanding.get(this)?.size ?? 0;
  }

  /**
   * Cancels every outstanding call of this sink (best effort: a call may
   * still complete successfully; a cancelled put may still have been written).
   */
  cancel(): void {
    const calls = outstanding.get(this);
    if (!calls) return;
    for (const call of [...calls]) call.cancel();
  }
}

/** @internal The set of outstanding calls of a sink (used by Connection.putAsync). */
export function sinkCalls(sink: WbemSink): Set<OutstandingCall> {
  let calls = outstanding.get(sink);
  if (!calls) {
    calls = new Set();
    outstanding.set(sink, calls);
  }
  return calls;
}
