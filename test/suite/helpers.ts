// Shared helpers of the conformance suite: a per-test environment (fresh
// repository or scratch namespace, connections, leak check at the end), exact
// WbemError assertions and small iteration helpers.
import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { binding } from '../../lib/binding';
import {
  connect,
  createRepository,
  statusCodes,
  WbemError,
  type Connection,
  type ConnectOptions,
  type Repository,
  type WbemStatusName,
} from '../../lib/index';
import type { BackendInfo } from './backends';

/** The live counters that must come back to their start value once a test's connections are closed. */
export interface LeakCounters {
  operations: number;
  sinks: number;
  pendingCalls: number;
}

export function liveCounters(): LeakCounters {
  const c = binding.counters();
  return { operations: c.operations, sinks: c.sinks, pendingCalls: c.pendingCalls };
}

/**
 * Asserts that `operations`, `sinks` and `pendingCalls` are back at `start`.
 * The server may release a sink a moment after the final SetStatus (on its
 * own thread), so this waits up to `timeoutMs` for the counters to settle
 * before it compares them.
 */
export async function assertNoLeaks(start: LeakCounters, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let now = liveCounters();
  while (Date.now() < deadline && !sameCounters(now, start)) {
    await delay(10);
    now = liveCounters();
  }
  assert.deepEqual(now, start, 'live counters (operations, sinks, pendingCalls) must return to their start values');
}

function sameCounters(a: LeakCounters, b: LeakCounters): boolean {
  return a.operations === b.operations && a.sinks === b.sinks && a.pendingCalls === b.pendingCalls;
}

let scratchSerial = 0;

/**
 * One test's world: a fresh embedded repository (root\cimv2 in it), or on the
 * WMI backend a scratch namespace under root. `conn` is connected to
 * `namespace`; `root` is the namespace under which tests may create child
 * namespaces. close() closes every connection opened through the env and
 * checks that nothing leaked.
 */
export class Env {
  readonly backend: BackendInfo;
  /** The isolated repository (embedded backend only). */
  readonly repo: Repository | undefined;
  readonly namespace: string;
  readonly root: string;
  readonly start: LeakCounters;
  conn!: Connection;
  readonly #connections: Connection[] = [];
  readonly #scratch: string | undefined;

  private constructor(backend: BackendInfo, repo: Repository | undefined, namespace: string, root: string, scratch: string | undefined, start: LeakCounters) {
    this.backend = backend;
    this.repo = repo;
    this.namespace = namespace;
    this.root = root;
    this.#scratch = scratch;
    this.start = start;
  }

  static async open(backend: BackendInfo): Promise<Env> {
    const start = liveCounters();
    if (backend.name === 'embedded') {
      const env = new Env(backend, createRepository(), 'root\\cimv2', 'root', undefined, start);
      env.conn = await env.connect();
      return env;
    }
    const name = `wmiput_suite_${process.pid}_${Date.now()}_${++scratchSerial}`;
    const rootConn = await connect({ backend: 'wmi', namespace: 'root' });
    try {
      await rootConn.putInstance('__NAMESPACE', { Name: name }, { mode: 'createOnly' });
    } finally {
      await rootConn.close();
    }
    const ns = `root\\${name}`;
    const env = new Env(backend, undefined, ns, ns, name, start);
    env.conn = await env.connect();
    return env;
  }

  /** The repository's test controls (embedded only; tests that use them skip elsewhere). */
  get controls(): Repository {
    assert.ok(this.repo, `backend '${this.backend.name}' has no test controls`);
    return this.repo;
  }

  /** Another connection to this env's world (default namespace: `namespace`). */
  async connect(options: Omit<ConnectOptions, 'backend' | 'repository'> = {}): Promise<Connection> {
    const conn = await connect({
      namespace: this.namespace,
      ...options,
      backend: this.backend.name,
      ...(this.repo ? { repository: this.repo } : {}),
    });
    this.#connections.push(conn);
    return conn;
  }

  /** The options that reach this env's world, for calls that must go through connect() themselves. */
  connectOptions(extra: Omit<ConnectOptions, 'backend' | 'repository'> = {}): ConnectOptions {
    return { namespace: this.namespace, ...extra, backend: this.backend.name, ...(this.repo ? { repository: this.repo } : {}) };
  }

  /** Closes every connection, removes the scratch namespace (WMI) and checks for leaks. */
  async close(): Promise<void> {
    for (const c of this.#connections) await c.close();
    if (this.#scratch !== undefined) {
      const rootConn = await connect({ backend: 'wmi', namespace: 'root' });
      try {
        await rootConn.deleteInstance(`__NAMESPACE.Name="${this.#scratch}"`);
      } finally {
        await rootConn.close();
      }
    }
    this.repo?.clearFaults();
    await assertNoLeaks(this.start);
  }
}

/**
 * A test body run in a fresh Env; the env is closed (and checked for leaks)
 * whatever happens, and the first failure is the one reported.
 */
export function inEnv(backend: BackendInfo, body: (env: Env) => Promise<void>): () => Promise<void> {
  return async () => {
    const env = await Env.open(backend);
    let failure: unknown;
    let failed = false;
    try {
      await body(env);
    } catch (e) {
      failure = e;
      failed = true;
    }
    try {
      await env.close();
    } catch (e) {
      if (!failed) {
        failure = e;
        failed = true;
      }
    }
    if (failed) throw failure;
  };
}

/** What a WbemError must carry; only the fields given are compared (exactly). */
export interface ExpectedError {
  code: WbemStatusName;
  property?: string | undefined;
  parameterInfo?: string | undefined;
  operation?: string | undefined;
  providerName?: string | undefined;
  cause?: unknown;
}

export function checkError(e: unknown, expected: ExpectedError): asserts e is WbemError {
  assert.ok(e instanceof WbemError, `expected a WbemError ${expected.code}, got ${e instanceof Error ? e.stack : String(e)}`);
  assert.equal(e.code, expected.code, `code (message: ${e.message})`);
  const hresult = (statusCodes as Readonly<Record<string, number>>)[expected.code];
  assert.equal(typeof hresult, 'number', `unknown status ${expected.code}`);
  assert.equal(e.hresult, hresult, `hresult of ${expected.code}`);
  for (const key of ['property', 'parameterInfo', 'operation', 'providerName'] as const) {
    if (key in expected) assert.equal(e[key], expected[key], `${expected.code}.${key}`);
  }
  if ('cause' in expected) assert.equal(e.cause, expected.cause, `${expected.code}.cause`);
}

/** Awaits a promise that must reject with exactly this WbemError; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, expected: ExpectedError): Promise<WbemError> {
  let caught: WbemError | undefined;
  await assert.rejects(promise, (e: unknown) => {
    checkError(e, expected);
    caught = e;
    return true;
  });
  return caught as WbemError;
}

/** Calls fn, which must throw exactly this WbemError synchronously. */
export function throwsWith(fn: () => unknown, expected: ExpectedError): WbemError {
  let caught: WbemError | undefined;
  assert.throws(fn, (e: unknown) => {
    checkError(e, expected);
    caught = e;
    return true;
  });
  return caught as WbemError;
}

/** The details WMI's __ExtendedStatus gives for a failed put/get/delete of the server. */
export function serverError(code: WbemStatusName, operation: string, parameterInfo: string): ExpectedError {
  return { code, operation, parameterInfo, providerName: 'Windows Management' };
}

/** One property per scalar CIM type (name: type), for round-trip tests of every type. */
export const scalarTypes = {
  S8: 'sint8', U8: 'uint8', S16: 'sint16', U16: 'uint16', S32: 'sint32', U32: 'uint32', S64: 'sint64', U64: 'uint64',
  R32: 'real32', R64: 'real64', B: 'boolean', Str: 'string', C16: 'char16', Dt: 'datetime',
} as const;

/** Everything an async iterable yields, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The non-system properties of an object read back (system properties start with `__`). */
export function userProps(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('__')) out[k] = v;
  return out;
}

export { delay };
