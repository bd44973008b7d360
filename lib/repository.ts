// Embedded repositories: the process-wide default one (shared by every
// connection and worker of the process, as WMI is per machine), isolated
// in-memory ones from createRepository() and durable ones from
// createRepository({ path }) (docs/repository-format.md). Also the test
// controls: delivery order, latency and fault injection.
import * as nodePath from 'node:path';
import type { NativeRepository, NativeRepositoryControls } from '../binding';
import { binding } from './binding';
import { WbemError } from './errors';
import { statusCodes, type WbemStatusName } from './generated/status';

export interface RepositoryOptions {
  /**
   * A durable repository backed by this file (created when absent; relative
   * paths resolve against the current directory). Namespaces, classes and
   * instances are kept there: a write whose success was delivered is on disk.
   * One process owns a file at a time: another opener gets
   * WBEM_E_ACCESS_DENIED. Within one process, opening the same path again
   * returns the same Repository until it is closed.
   */
  path?: string;
}

export interface FaultOptions {
  /** The status to fail with, by name or HRESULT. */
  code: WbemStatusName | number;
  /** How many of the next operations fail (default 1). */
  count?: number;
  /** Fail the call itself (`'synchronous'`) or through the sink (`'sink'`, default). */
  when?: 'synchronous' | 'sink';
}

function invalid(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

const handles = new WeakMap<Repository, NativeRepository | null>();
// Durable repositories open in this process, by absolute path.
const durable = new Map<string, Repository>();

export class Repository {
  readonly #path: string | undefined;
  #closed = false;

  /** @internal Use createRepository() or defaultRepository(). */
  constructor(handle: NativeRepository | null, path?: string) {
    handles.set(this, handle);
    this.#path = path;
  }

  /** The file of a durable repository (absolute); undefined for in-memory ones. */
  get path(): string | undefined {
    return this.#path;
  }

  /** True once close() was called on a durable repository. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Durable repositories: writes what is pending, releases the file (and its
   * lock) and forgets the repository: later writes through it fail with
   * WBEM_E_SHUTTING_DOWN, reads keep answering from memory, and
   * createRepository({ path }) opens the file afresh. Idempotent; nothing to do
   * for in-memory repositories.
   */
  close(): void {
    const handle = handles.get(this);
    if (!handle || this.#path === undefined || this.#closed) return;
    this.#closed = true;
    if (durable.get(this.#path) === this) durable.delete(this.#path);
    const hresult = binding.closeRepository(handle);
    if (hresult !== 0) {
      throw new WbemError(hresult, { message: `closing the repository file '${this.#path}' failed` });
    }
  }

  #control(controls: NativeRepositoryControls): void {
    binding.controlRepository(handles.get(this) ?? null, controls);
  }

  /**
   * How the server delivers completions: `'pooled'` (worker threads, no
   * order across operations; the default), `'ordered'` (submission order) or
   * `'chaos'` (several threads, deliberately out of order).
   */
  setDelivery(delivery: 'pooled' | 'ordered' | 'chaos', latencyMicros = 0): void {
    if (delivery !== 'pooled' && delivery !== 'ordered' && delivery !== 'chaos') {
      throw invalid("delivery must be 'pooled', 'ordered' or 'chaos'");
    }
    if (!Number.isInteger(latencyMicros) || latencyMicros < 0) throw invalid('latencyMicros must be a non-negative integer');
    this.#control({ delivery, latencyMicros });
  }

  /** Makes the next `count` operations fail with `code`. */
  injectFault(fault: FaultOptions): void {
    const hresult = typeof fault.code === 'number' ? fault.code : (statusCodes as Record<string, number>)[fault.code];
    if (hresult === undefined || !Number.isInteger(hresult)) throw invalid(`unknown status ${String(fault.code)}`);
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 0) throw invalid('count must be a non-negative integer');
    const when = fault.when ?? 'sink';
    if (when !== 'synchronous' && when !== 'sink') throw invalid("when must be 'synchronous' or 'sink'");
    this.#control({ fault: { hresult: hresult >>> 0, count, when } });
  }

  /** Removes every pending injected fault. */
  clearFaults(): void {
    this.#control({ clearFaults: true });
  }
}

/** @internal */
export function repositoryHandle(repo: Repository): NativeRepository | undefined {
  return handles.get(repo) ?? undefined;
}

let defaultRepo: Repository | undefined;

/** The process-wide embedded repository (what connect() uses by default). */
export function defaultRepository(): Repository {
  return (defaultRepo ??= new Repository(null));
}

/**
 * A new, isolated embedded repository: in memory, or durable at
 * `options.path` (the same Repository again for a path this process already
 * has open). Synchronous; opening a durable one replays its file.
 */
export function createRepository(options: RepositoryOptions = {}): Repository {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  if (options.path !== undefined) return openDurableRepository(options.path);
  return new Repository(binding.createRepository());
}

/** @internal createRepository({ path }) and connect({ repository: path }). */
export function openDurableRepository(path: unknown): Repository {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw invalid('path must be a non-empty string');
  }
  const absolute = nodePath.resolve(path);
  const open = durable.get(absolute);
  if (open) return open;
  let handle: NativeRepository;
  try {
    handle = binding.createRepository({ path: absolute });
  } catch (e) {
    const hresult = (e as { hresult?: unknown } | null)?.hresult;
    if (typeof hresult === 'number') {
      throw new WbemError(hresult, { message: (e as Error).message, parameterInfo: absolute });
    }
    throw e;
  }
  const repo = new Repository(handle, absolute);
  durable.set(absolute, repo);
  return repo;
}
