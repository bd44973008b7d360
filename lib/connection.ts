// The public Connection: connect(), puts, gets, deletes, enumeration,
// putAsync with a WbemSink, close. Every call validates its arguments before
// anything is sent and settles exactly once.
import type { NativeCompletionExtra, NativeObjectRecord, NativeOp, NativeValue } from '../binding';
import { NativeOpKind } from '../binding';
import { classFromNative, classToNative } from './definitions';
import { cancelledHresult, Engine, errorFrom, failed } from './engine';
import { WbemError } from './errors';
import { modeToFlags, validatePutAsyncFlags, type PutMode, type UpdateMode } from './flags';
import {
  checkPutManyOptions,
  putMany,
  type PutDriver,
  type PutManyItem,
  type PutManyOptions,
  type PutManyResult,
} from './put-many';
import { openDurableRepository, Repository, repositoryHandle } from './repository';
import { isClassSchema, type ClassSchema, type InstanceOf, type ObjectOf } from './schema';
import { WbemSink, sinkCalls } from './sink';
import type { ClassDefinition, InstanceProperties, WbemObject } from './types';

export interface ConnectOptions {
  /** `root\cimv2` by default; `/` is accepted as the separator. */
  namespace?: string;
  /** `'auto'` (default): WMI on Windows, the embedded server elsewhere. */
  backend?: 'auto' | 'wmi' | 'embedded';
  /**
   * Embedded backend: the repository to use (default: the process-wide one),
   * or the path of a durable repository file (as createRepository({ path })).
   */
  repository?: Repository | string;
  /** WMI backend: remote machine, credentials, locale (`MS_409`), authority. */
  server?: string;
  user?: string;
  password?: string;
  locale?: string;
  authority?: string;
  /**
   * Windows: how WMI's callbacks reach this process. `'in-process'` (default
   * for a local server): WMI calls our sink directly. `'unsecapp-check-access'`
   * (default for a remote server): the sink is wrapped by Unsecapp.exe
   * (IWbemUnsecuredApartment::CreateSinkStub, WBEM_FLAG_UNSECAPP_CHECK_ACCESS).
   * Ignored by the embedded backend unless given explicitly; see docs/windows.md.
   */
  sinkSecurity?: 'in-process' | 'unsecapp-check-access';
  /**
   * Windows: `'async'` (default) uses Put*Async & co. with a sink;
   * `'semisync'` uses WBEM_FLAG_RETURN_IMMEDIATELY and polls the call result
   * on the connection's worker: no callback into this process (no Unsecapp, no
   * firewall return path), same results.
   */
  callMode?: 'async' | 'semisync';
  /** Cancels the connect. */
  signal?: AbortSignal;
  /** Rejects the connect with WBEM_E_CALL_CANCELLED after this many milliseconds. */
  timeoutMs?: number;
  /**
   * How completions reach JS: `'batched'` (default; one thread-safe-function
   * call wakes a bounded drain) or `'perEvent'` (one call per completion;
   * for benchmarks).
   */
  delivery?: 'batched' | 'perEvent';
}

/** Named values passed to WMI as an IWbemContext. */
export type ContextValues = Readonly<Record<string, NativeValue>>;

export interface CallOptions {
  context?: ContextValues;
  signal?: AbortSignal;
}

export interface PutInstanceOptions extends CallOptions {
  mode?: PutMode;
  amendedQualifiers?: boolean;
}

export interface PutClassOptions extends PutInstanceOptions {
  update?: UpdateMode;
}

export interface EnumerateOptions {
  /** Include instances of subclasses (default true). */
  deep?: boolean;
  signal?: AbortSignal;
}

/** An instance to write with putAsync. */
export interface InstanceToPut {
  className: string;
  properties: InstanceProperties;
}

type ClassRef = string | ClassSchema;

function invalid(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw invalid('signal must be an AbortSignal');
  return signal;
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${what} must be a non-empty string`);
  return value;
}

function checkContext(context: unknown): ContextValues | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context !== 'object' || Array.isArray(context)) throw invalid('context must be an object of named values');
  return context as ContextValues;
}

function checkProperties(properties: unknown): InstanceProperties {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw invalid('properties must be an object');
  }
  return properties as InstanceProperties;
}

function cancelledError(signal: AbortSignal): WbemError {
  return WbemError.fromStatus('WBEM_E_CALL_CANCELLED', { cause: signal.reason });
}

const namespacePattern = /^[A-Za-z][A-Za-z0-9_]*([\\/][A-Za-z][A-Za-z0-9_]*)*$/;

function normalizeNamespace(ns: unknown): string {
  if (ns === undefined) return 'root\\cimv2';
  if (typeof ns !== 'string' || !namespacePattern.test(ns)) {
    throw invalid(`namespace must look like 'root\\cimv2' (got ${JSON.stringify(ns)})`);
  }
  return ns.replace(/\//g, '\\');
}

function objectFromRecord<T>(record: NativeObjectRecord): T {
  return record.properties as T;
}

/**
 * The backend an option selects: 'auto' means the embedded server when a
 * repository is used, otherwise WMI on Windows and the embedded server elsewhere.
 */
export function resolveBackend(option: 'auto' | 'wmi' | 'embedded', hasRepository: boolean): 'wmi' | 'embedded' {
  if (option !== 'auto') return option;
  return hasRepository || process.platform !== 'win32' ? 'embedded' : 'wmi';
}

/**
 * Opens a connection to a WMI namespace. Resolves once the namespace is known
 * to exist (WBEM_E_INVALID_NAMESPACE otherwise).
 */
export function connect(options: ConnectOptions = {}): Promise<Connection> {
  try {
    if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
    const namespace = normalizeNamespace(options.namespace);
    const backendOption = options.backend ?? 'auto';
    if (backendOption !== 'auto' && backendOption !== 'wmi' && backendOption !== 'embedded') {
      throw invalid(`backend must be 'auto', 'wmi' or 'embedded' (got ${JSON.stringify(backendOption)})`);
    }
    const backend = resolveBackend(backendOption, options.repository !== undefined);
    if (
      options.repository !== undefined &&
      !(options.repository instanceof Repository) &&
      typeof options.repository !== 'string'
    ) {
      throw invalid('repository must come from createRepository() or be a file path');
    }
    if (options.repository !== undefined && backend !== 'embedded') {
      throw invalid("a repository can only be used with backend 'embedded'");
    }
    const repository =
      typeof options.repository === 'string' ? openDurableRepository(options.repository) : options.repository;
    if (options.delivery !== undefined && options.delivery !== 'batched' && options.delivery !== 'perEvent') {
      throw invalid("delivery must be 'batched' or 'perEvent'");
    }
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && Number.isFinite(timeoutMs))) {
      throw invalid('timeoutMs must be a non-negative number');
    }
    const signal = checkSignal(options.signal);
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    for (const key of ['server', 'user', 'password', 'locale', 'authority'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'string') throw invalid(`${key} must be a string`);
    }
    if (options.sinkSecurity !== undefined && options.sinkSecurity !== 'in-process' && options.sinkSecurity !== 'unsecapp-check-access') {
      throw invalid("sinkSecurity must be 'in-process' or 'unsecapp-check-access'");
    }
    if (options.callMode !== undefined && options.callMode !== 'async' && options.callMode !== 'semisync') {
      throw invalid("callMode must be 'async' or 'semisync'");
    }

    return new Promise<Connection>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (): void => {
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const engine: Engine = new Engine(
        {
          backend,
          namespace,
          ...(repository ? { repository: repositoryHandle(repository) } : {}),
          perEventDelivery: options.delivery === 'perEvent',
          ...(options.server !== undefined ? { server: options.server } : {}),
          ...(options.user !== undefined ? { user: options.user } : {}),
          ...(options.password !== undefined ? { password: options.password } : {}),
          ...(options.locale !== undefined ? { locale: options.locale } : {}),
          ...(options.authority !== undefined ? { authority: options.authority } : {}),
          ...(options.sinkSecurity !== undefined ? { sinkSecurity: options.sinkSecurity } : {}),
          ...(options.callMode !== undefined ? { callMode: options.callMode } : {}),
        },
        (hresult, _str, extra) => {
          if (settled) return;
          finish();
          if (failed(hresult)) {
            engine.close();
            reject(errorFrom(hresult, extra));
          } else {
            resolve(new Connection(engine, namespace, backend, repository));
          }
        },
      );
      const abandon = (error: WbemError): void => {
        if (settled) return;
        finish();
        engine.close();
        reject(error);
      };
      const onAbort = (): void => abandon(cancelledError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => abandon(WbemError.fromStatus('WBEM_E_CALL_CANCELLED', { message: `connect timed out after ${timeoutMs} ms` })),
          timeoutMs,
        );
      }
    });
  } catch (e) {
    return Promise.reject(e);
  }
}

export class Connection {
  readonly #engine: Engine;
  /** The namespace this connection is bound to (`root\cimv2`). */
  readonly namespace: string;
  /** The backend in use. */
  readonly backend: 'wmi' | 'embedded';
  readonly #repository: Repository | undefined;

  /** @internal Use connect(). */
  constructor(engine: Engine, namespace: string, backend: 'wmi' | 'embedded', repository?: Repository) {
    this.#engine = engine;
    this.namespace = namespace;
    this.backend = backend;
    this.#repository = repository;
  }

  /**
   * Embedded backend: the repository passed to connect() (undefined for the
   * process-wide default one, and on the WMI backend). Lets a caller open
   * other namespaces of the same repository.
   */
  get repository(): Repository | undefined {
    return this.#repository;
  }

  /** Operations submitted and not yet settled. */
  get pending(): number {
    return this.#engine.inFlight;
  }

  get closed(): boolean {
    return this.#engine.closed;
  }

  /**
   * Runs one operation as a promise. `map` turns a successful completion into
   * the result; an abort rejects with WBEM_E_CALL_CANCELLED (cause = reason).
   */
  #call<T>(
    op: Omit<NativeOp, 'id'>,
    signal: AbortSignal | undefined,
    map: (strParam: string | null, extra: NativeCompletionExtra | null) => T,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    return new Promise<T>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const id = this.#engine.submit(op, (hresult, strParam, extra) => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        if (failed(hresult)) {
          const cause = hresult === cancelledHresult && signal?.aborted ? signal.reason : undefined;
          reject(errorFrom(hresult, extra, cause));
          return;
        }
        try {
          resolve(map(strParam, extra));
        } catch (e) {
          reject(e);
        }
      });
      if (signal) {
        onAbort = () => this.#engine.cancel(id);
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * Creates or updates an instance (PutInstanceAsync). Resolves with the
   * canonical relative path, e.g. `Contoso_App.Name="x"`.
   */
  putInstance<S extends ClassSchema>(cls: S, properties: InstanceOf<S>, options?: PutInstanceOptions): Promise<string>;
  putInstance(className: string, properties: InstanceProperties, options?: PutInstanceOptions): Promise<string>;
  putInstance(cls: ClassRef, properties: unknown, options: PutInstanceOptions = {}): Promise<string> {
    try {
      const className = isClassSchema(cls) ? cls.name : checkName(cls, 'className');
      const op: Omit<NativeOp, 'id'> = {
        kind: NativeOpKind.PutInstance,
        flags: modeToFlags(options, 'instance'),
        className,
        properties: checkProperties(properties) as Readonly<Record<string, NativeValue>>,
      };
      const context = checkContext(options.context);
      if (context) op.context = context;
      return this.#call(op, checkSignal(options.signal), (path) => path ?? '');
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Creates or updates a class (PutClassAsync). Resolves with the class name. */
  putClass(definition: ClassDefinition | ClassSchema, options: PutClassOptions = {}): Promise<string> {
    try {
      const def = isClassSchema(definition) ? definition.definition : definition;
      const op: Omit<NativeOp, 'id'> = {
        kind: NativeOpKind.PutClass,
        flags: modeToFlags(options, 'class'),
        classSpec: classToNative(def),
      };
      const context = checkContext(options.context);
      if (context) op.context = context;
      return this.#call(op, checkSignal(options.signal), (name) => name || def.name);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Reads an object by path (any form: `Class.Key="v"`, `Class=@`, full paths). */
  getObject<S extends ClassSchema>(path: string, options?: CallOptions & { schema?: S }): Promise<ObjectOf<S>>;
  getObject(path: string, options?: CallOptions): Promise<WbemObject>;
  getObject(path: string, options: CallOptions = {}): Promise<unknown> {
    try {
      const op: Omit<NativeOp, 'id'> = { kind: NativeOpKind.GetObject, flags: 0, path: checkName(path, 'path') };
      const context = checkContext(options.context);
      if (context) op.context = context;
      return this.#call(op, checkSignal(options.signal), (_s, extra) => {
        const record = extra?.objects?.[0];
        if (!record) throw WbemError.fromStatus('WBEM_E_NOT_FOUND', { parameterInfo: path });
        return objectFromRecord(record);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Reads a class definition: what the class declares or overrides itself. */
  getClass(className: string, options: CallOptions = {}): Promise<ClassDefinition> {
    try {
      const op: Omit<NativeOp, 'id'> = { kind: NativeOpKind.GetClass, flags: 0, className: checkName(className, 'className') };
      return this.#call(op, checkSignal(options.signal), (_s, extra) => {
        const spec = extra?.objects?.[0]?.classSpec;
        if (!spec) throw WbemError.fromStatus('WBEM_E_NOT_FOUND', { parameterInfo: className });
        return classFromNative(spec);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Deletes an instance by path. */
  deleteInstance(path: string, options: CallOptions = {}): Promise<void> {
    try {
      const op: Omit<NativeOp, 'id'> = { kind: NativeOpKind.DeleteInstance, flags: 0, path: checkName(path, 'path') };
      const context = checkContext(options.context);
      if (context) op.context = context;
      return this.#call(op, checkSignal(options.signal), () => undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Deletes a class with its subclasses and all their instances. */
  deleteClass(className: string, options: CallOptions = {}): Promise<void> {
    try {
      const op: Omit<NativeOp, 'id'> = { kind: NativeOpKind.DeleteClass, flags: 0, className: checkName(className, 'className') };
      const context = checkContext(options.context);
      if (context) op.context = context;
      return this.#call(op, checkSignal(options.signal), () => undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Enumerates instances of a class (and, by default, of its subclasses).
   * Leaving the loop early cancels the enumeration.
   */
  enumerateInstances<S extends ClassSchema>(cls: S, options?: EnumerateOptions): AsyncIterableIterator<ObjectOf<S>>;
  enumerateInstances(className: string, options?: EnumerateOptions): AsyncIterableIterator<WbemObject>;
  enumerateInstances(cls: ClassRef, options: EnumerateOptions = {}): AsyncIterableIterator<unknown> {
    const className = isClassSchema(cls) ? cls.name : checkName(cls, 'className');
    if (options.deep !== undefined && typeof options.deep !== 'boolean') throw invalid('deep must be a boolean');
    const signal = checkSignal(options.signal);
    return this.#enumerate(
      { kind: NativeOpKind.EnumInstances, flags: 0, className, deep: options.deep ?? true },
      signal,
      objectFromRecord,
    );
  }

  /** Enumerates class definitions below `superclass` (all classes when omitted). */
  enumerateClasses(superclass = '', options: EnumerateOptions = {}): AsyncIterableIterator<ClassDefinition> {
    if (typeof superclass !== 'string') throw invalid('superclass must be a string');
    const signal = checkSignal(options.signal);
    return this.#enumerate(
      { kind: NativeOpKind.EnumClasses, flags: 0, className: superclass, deep: options.deep ?? true },
      signal,
      (record) => classFromNative(record.classSpec ?? { name: '', superclass: '', qualifiers: [], properties: [], methods: [] }),
    );
  }

  async *#enumerate<T>(
    op: Omit<NativeOp, 'id'>,
    signal: AbortSignal | undefined,
    map: (record: NativeObjectRecord) => T,
  ): AsyncIterableIterator<T> {
    if (signal?.aborted) throw cancelledError(signal);
    const buffered: T[] = [];
    let done = false;
    let failure: WbemError | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const id = this.#engine.submit(
      op,
      (hresult, _s, extra) => {
        done = true;
        if (failed(hresult)) {
          const cause = hresult === cancelledHresult && signal?.aborted ? signal.reason : undefined;
          failure = errorFrom(hresult, extra, cause);
        }
        notify();
      },
      (extra) => {
        for (const record of extra.objects ?? []) buffered.push(map(record));
        notify();
      },
    );
    const onAbort = (): void => this.#engine.cancel(id);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        while (buffered.length > 0) yield buffered.shift() as T;
        if (done) break;
        await new Promise<void>((r) => (wake = r));
      }
      while (buffered.length > 0) yield buffered.shift() as T;
      if (failure) throw failure;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!done) this.#engine.cancel(id);
    }
  }

  /**
   * Writes many instances with a bounded number in flight; yields
   * `{ index, path }` or `{ index, error }` per item (completion order, or
   * input order with `ordered: true`).
   */
  putMany(
    items: Iterable<PutManyItem> | AsyncIterable<PutManyItem>,
    options: PutManyOptions = {},
  ): AsyncIterableIterator<PutManyResult> {
    checkPutManyOptions(options);
    const defaultFlags = modeToFlags({ mode: options.mode }, 'instance');
    const defaultContext = checkContext(options.context) as ContextValues | undefined;
    const engine = this.#engine;
    const driver: PutDriver = {
      start(item, done) {
        let op: Omit<NativeOp, 'id'>;
        try {
          op = {
            kind: NativeOpKind.PutInstance,
            flags: item.mode === undefined ? defaultFlags : modeToFlags({ mode: item.mode }, 'instance'),
            className: checkName(item.className, 'className'),
            properties: checkProperties(item.properties) as Readonly<Record<string, NativeValue>>,
          };
          const context = item.context === undefined ? defaultContext : checkContext(item.context);
          if (context) op.context = context;
        } catch (e) {
          done(e instanceof WbemError ? e : invalid(String(e)), '');
          return -1;
        }
        return engine.submit(op, (hresult, strParam, extra) => {
          if (failed(hresult)) {
            const cause = hresult === cancelledHresult && options.signal?.aborted ? options.signal.reason : undefined;
            done(errorFrom(hresult, extra, cause), '');
          } else {
            done(null, strParam ?? '');
          }
        });
      },
      cancel(id) {
        engine.cancel(id);
      },
    };
    return putMany(driver, items, options);
  }

  /**
   * The scripting model of SWbemServicesEx.PutAsync: writes an instance
   * (`{ className, properties }`) or a class (a ClassDefinition) and reports
   * to `sink`: objectPut(path, asyncContext) then completed(0, null,
   * asyncContext), or completed(hresult, error, asyncContext). Returns nothing.
   * Invalid arguments (flags, shapes) throw synchronously.
   */
  putAsync(
    sink: WbemSink,
    object: InstanceToPut | ClassDefinition | ClassSchema,
    flags = 0,
    context?: ContextValues,
    asyncContext?: unknown,
  ): void {
    if (!(sink instanceof WbemSink)) throw invalid('sink must be a WbemSink');
    if (typeof object !== 'object' || object === null) throw invalid('object must be an instance or a class definition');
    const isInstance = 'className' in object && !isClassSchema(object);
    validatePutAsyncFlags(flags, isInstance ? 'instance' : 'class');
    const ctx = checkContext(context);
    let op: Omit<NativeOp, 'id'>;
    if (isInstance) {
      const inst = object as InstanceToPut;
      op = {
        kind: NativeOpKind.PutInstance,
        flags,
        className: checkName(inst.className, 'className'),
        properties: checkProperties(inst.properties) as Readonly<Record<string, NativeValue>>,
      };
    } else {
      const def = isClassSchema(object) ? object.definition : (object as ClassDefinition);
      op = { kind: NativeOpKind.PutClass, flags, classSpec: classToNative(def) };
    }
    if (ctx) op.context = ctx;
    const calls = sinkCalls(sink);
    let entry: { cancel: () => void } | undefined;
    const id = this.#engine.submit(
      op,
      (hresult, strParam, extra) => {
        if (entry) calls.delete(entry);
        if (failed(hresult)) {
          sink.emit('completed', hresult, errorFrom(hresult, extra), asyncContext);
        } else {
          sink.emit('objectPut', strParam ?? '', asyncContext);
          sink.emit('completed', hresult, null, asyncContext);
        }
      },
      (extra) => {
        sink.emit('progress', extra.progressTotal, extra.progressCurrent, extra.progressMessage ?? '', asyncContext);
      },
    );
    entry = { cancel: () => this.#engine.cancel(id) };
    calls.add(entry);
  }

  /**
   * Cancels everything in flight (each such call rejects with
   * WBEM_E_CALL_CANCELLED unless it had already finished) and releases the
   * connection. A put reported cancelled may still have been written.
   */
  async close(): Promise<void> {
    this.#engine.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
