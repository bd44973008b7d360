// Embedded repositories: the process-wide default one (shared by every
// connection and worker of the process, as WMI is per machine) and isolated
// ones from createRepository(). Also the test controls: delivery order,
// latency and fault injection.
import type { NativeRepository, NativeRepositoryControls } from '../binding';
import { binding } from './binding';
import { WbemError } from './errors';
import { statusCodes, type WbemStatusName } from './generated/status';

export interface RepositoryOptions {
  /** A file path for a durable repository (not available yet). */
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

export class Repository {
  /** @internal Use createRepository() or defaultRepository(). */
  constructor(handle: NativeRepository | null) {
    handles.set(this, handle);
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

/** A new, isolated, in-memory embedded repository. Synchronous. */
export function createRepository(options: RepositoryOptions = {}): Repository {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  if (options.path !== undefined) {
    throw WbemError.fromStatus('WBEM_E_NOT_SUPPORTED', {
      message: 'durable (file-backed) repositories are not available in this version',
    });
  }
  return new Repository(binding.createRepository());
}
