// The exact native surface of wmi_put.node. lib/ builds the public API on top
// of it; test/binding.test.ts checks that the loaded addon exports exactly the
// functions declared in `Binding` and nothing else.

/** Opaque handle of a native connection (a JS object with no own properties). */
export interface NativeConnection {
  readonly __brand: 'NativeConnection';
}

/** Opaque handle of an embedded repository. */
export interface NativeRepository {
  readonly __brand: 'NativeRepository';
}

/** A value crossing into native code. Datetimes/intervals are recognised by class. */
export type NativeValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Date
  | object
  | readonly NativeValue[];

/** A qualifier as the native side takes and returns it. */
export interface NativeQualifier {
  name: string;
  value: NativeValue;
  /** WBEM_FLAVOR_* propagation/override/amended bits. */
  flavor: number;
  /** Output only: inherited and not declared by this class. */
  propagated?: boolean;
}

export interface NativeProperty {
  name: string;
  /** CIMTYPE: element type, | 0x2000 for arrays. */
  type: number;
  key: boolean;
  refClass: string;
  objectClass: string;
  hasDefault: boolean;
  defaultValue: NativeValue;
  qualifiers: NativeQualifier[];
}

export interface NativeParameter {
  name: string;
  type: number;
  in: boolean;
  out: boolean;
  refClass: string;
  objectClass: string;
  qualifiers: NativeQualifier[];
}

export interface NativeMethod {
  name: string;
  /** CIMTYPE of the return value; 0 = void. */
  returnType: number;
  parameters: NativeParameter[];
  qualifiers: NativeQualifier[];
}

export interface NativeClassSpec {
  name: string;
  superclass: string;
  qualifiers: NativeQualifier[];
  properties: NativeProperty[];
  methods: NativeMethod[];
}

export const enum NativeOpKind {
  PutInstance = 0,
  PutClass = 1,
  GetObject = 2,
  GetClass = 3,
  DeleteInstance = 4,
  DeleteClass = 5,
  EnumInstances = 6,
  EnumClasses = 7,
}

export interface NativeOp {
  id: number;
  kind: NativeOpKind;
  /** Complete WBEM flags, already validated. */
  flags: number;
  className?: string;
  path?: string;
  properties?: Readonly<Record<string, NativeValue>>;
  classSpec?: NativeClassSpec;
  context?: Readonly<Record<string, NativeValue>>;
  deep?: boolean;
}

export interface NativeExtendedStatus {
  description: string;
  operation: string;
  parameterInfo: string;
  providerName: string;
  statusCode: number;
}

/** An object read back: properties (and system properties) in order. */
export interface NativeObjectRecord {
  isClass: boolean;
  properties: Record<string, unknown>;
  classSpec: NativeClassSpec | null;
}

export const enum NativeCompletionType {
  Done = 0,
  Objects = 1,
  Progress = 2,
}

/** Details of a completion that is not a plain success. */
export interface NativeCompletionExtra {
  type: NativeCompletionType;
  extended: NativeExtendedStatus | null;
  property: string | null;
  message: string | null;
  objects: NativeObjectRecord[] | null;
  progressTotal: number;
  progressCurrent: number;
  progressMessage: string | null;
}

/**
 * A drained batch. `records` is flat, four slots per completion:
 * [id, hresult (unsigned), strParam | null, extra | null, id, ...].
 * `extra` is null for a plain kDone (success or failure without details).
 */
export interface NativeDrainBatch {
  remaining: number;
  records: Array<number | string | null | NativeCompletionExtra>;
}

/** An op rejected by submit() before anything was sent. */
export interface NativeSubmitError {
  id: number;
  hresult: number;
  property: string | null;
  message: string;
}

export interface NativeOpenOptions {
  backend: 'embedded' | 'wmi';
  namespace: string;
  repository?: NativeRepository;
  perEventDelivery?: boolean;
  server?: string;
  user?: string;
  password?: string;
  locale?: string;
  authority?: string;
  /** Windows: how the server's callbacks reach the sinks (default: by server locality). */
  sinkSecurity?: 'in-process' | 'unsecapp-check-access';
  /** Windows: 'semisync' polls IWbemCallResult / enumerators instead of sinks. */
  callMode?: 'async' | 'semisync';
}

export interface NativeRepositoryOptions {
  /** A durable repository's file (absolute path). */
  path?: string;
}

export interface NativeRepositoryControls {
  delivery?: 'pooled' | 'ordered' | 'chaos';
  latencyMicros?: number;
  fault?: {
    hresult: number;
    count: number;
    when: 'synchronous' | 'sink';
  };
  clearFaults?: boolean;
}

export interface NativeCounters {
  classObjects: number;
  services: number;
  pendingCalls: number;
  contexts: number;
  repositories: number;
  sinks: number;
  operations: number;
  cachedClasses: number;
  connections: number;
}

export interface NativeSetupHooks {
  /** Classes recognised on input (converted through String(value)). */
  dateTimeClass: abstract new (...args: never[]) => object;
  intervalClass: abstract new (...args: never[]) => object;
  /** Factories used on output. */
  makeDateTime: (dmtf: string) => unknown;
  makeInterval: (dmtf: string) => unknown;
}

export interface Binding {
  /** Must be called once per environment before open(). */
  setup(hooks: NativeSetupHooks): void;
  /**
   * Opens a connection; `onReady` is the doorbell, called on the JS thread
   * when completions are waiting. The connect outcome arrives as completion 0.
   */
  open(options: NativeOpenOptions, onReady: () => void): NativeConnection;
  /**
   * Queues operations. An op whose values cannot be converted is not
   * submitted: it is listed in the result (null when every op was queued).
   */
  submit(connection: NativeConnection, ops: readonly NativeOp[]): NativeSubmitError[] | null;
  cancel(connection: NativeConnection, id: number): void;
  drain(connection: NativeConnection, max: number): NativeDrainBatch;
  /** Cancels what is in flight and waits (bounded) until it has completed. */
  close(connection: NativeConnection): void;
  /**
   * A new embedded repository: in memory, or durable, backed by the file at
   * `options.path` (created when absent). Throws an Error with an `hresult`
   * property when the file cannot be opened (WBEM_E_ACCESS_DENIED: in use).
   */
  createRepository(options?: NativeRepositoryOptions): NativeRepository;
  /** Flushes a durable repository and releases its file; returns the HRESULT (0 for in-memory ones). */
  closeRepository(repository: NativeRepository): number;
  /** Test controls of an embedded repository (null = the process default). */
  controlRepository(repository: NativeRepository | null, controls: NativeRepositoryControls): void;
  counters(): NativeCounters;
  /** Every status code the native side knows: [name, unsigned value, description]. */
  statusTable(): Array<[string, number, string]>;
}

declare const binding: Binding;
export default binding;
