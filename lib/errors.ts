import { statusCodes, statusDescriptions, statusName, type WbemStatusName } from './generated/status';

export type { WbemStatusName };

/**
 * Everything a WbemError can carry besides its HRESULT. The fields that come from WMI's
 * `__ExtendedStatus` object keep the names of that class's properties (camel-cased).
 */
export interface WbemErrorDetails {
  /** Replaces the description part of the message (the `CODE: ` prefix is always kept). */
  message?: string;
  /** `__ExtendedStatus.Description`. */
  description?: string;
  /** `__ExtendedStatus.Operation`, e.g. `'PutInstance'`. */
  operation?: string;
  /** `__ExtendedStatus.ParameterInfo`, e.g. the class name or path concerned. */
  parameterInfo?: string;
  /** `__ExtendedStatus.ProviderName`. */
  providerName?: string;
  /** `__ExtendedStatus.StatusCode`. */
  statusCode?: number;
  /** The property whose value could not be converted (conversion failures only). */
  property?: string;
  /** Standard `ErrorOptions.cause`, e.g. the reason of an aborted signal. */
  cause?: unknown;
}

const brand = Symbol.for('wmi-put.WbemError');

/** Formats an HRESULT as a fixed-width upper-case hex string: `0x8007000E`. */
export function formatHresult(hresult: number): string {
  return '0x' + (hresult >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function toUnsigned(hresult: number): number {
  if (!Number.isInteger(hresult) || hresult < -0x80000000 || hresult > 0xffffffff) {
    throw new TypeError(`WbemError: hresult must be a 32-bit integer, got ${String(hresult)}`);
  }
  return hresult >>> 0;
}

// Set only while fromStatus() constructs, so that an alias name given by the caller wins over
// the first name statusName() knows for the same value.
let forcedCode: WbemStatusName | undefined;

/**
 * A failed WMI call (or a value that cannot become a CIM value). `code` is the stable string to
 * test against; `hresult` is the unsigned 32-bit HRESULT. The message is built only from the
 * fields below, so nothing else (in particular no credentials) can leak into it.
 */
export class WbemError extends Error {
  declare readonly name: 'WbemError';
  readonly hresult: number;
  readonly code: WbemStatusName | (string & {});
  declare readonly description?: string;
  declare readonly operation?: string;
  declare readonly parameterInfo?: string;
  declare readonly providerName?: string;
  declare readonly statusCode?: number;
  declare readonly property?: string;

  static {
    Object.defineProperty(this.prototype, 'name', {
      value: 'WbemError',
      writable: true,
      enumerable: false,
      configurable: true,
    });
    Object.defineProperty(this.prototype, brand, { value: true });
  }

  constructor(hresult: number, details: WbemErrorDetails = {}) {
    const unsigned = toUnsigned(hresult);
    const code: string = forcedCode ?? statusName(unsigned) ?? formatHresult(unsigned);
    const known = (statusDescriptions as Readonly<Record<string, string>>)[code];
    const text = details.message ?? details.description ?? known ?? 'WMI call failed';
    const suffix = details.property !== undefined ? ` (property '${details.property}')` : '';
    super(`${code}: ${text}${suffix}`, 'cause' in details ? { cause: details.cause } : undefined);
    this.hresult = unsigned;
    this.code = code;
    if (details.description !== undefined) this.description = details.description;
    if (details.operation !== undefined) this.operation = details.operation;
    if (details.parameterInfo !== undefined) this.parameterInfo = details.parameterInfo;
    if (details.providerName !== undefined) this.providerName = details.providerName;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.property !== undefined) this.property = details.property;
  }

  /** `WbemError.fromStatus('WBEM_E_NOT_FOUND', { parameterInfo: 'Contoso_App' })`. */
  static fromStatus(name: WbemStatusName, details?: WbemErrorDetails): WbemError {
    const value = (statusCodes as Readonly<Record<string, number>>)[name];
    if (value === undefined) throw new TypeError(`WbemError.fromStatus: unknown status name ${String(name)}`);
    forcedCode = name;
    try {
      return new WbemError(value, details);
    } finally {
      forcedCode = undefined;
    }
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      hresult: this.hresult,
      message: this.message,
    };
    for (const key of ['description', 'operation', 'parameterInfo', 'providerName', 'statusCode', 'property'] as const) {
      if (this[key] !== undefined) out[key] = this[key];
    }
    return out;
  }
}

/**
 * True for a WbemError (also one created by another copy of this module), optionally of the given
 * code: `isWbemError(e, 'WBEM_E_ALREADY_EXISTS')`.
 */
export function isWbemError(e: unknown, code?: WbemStatusName | (string & {})): e is WbemError {
  if (typeof e !== 'object' || e === null) return false;
  if (!(e instanceof WbemError) && (e as Record<symbol, unknown>)[brand] !== true) return false;
  return code === undefined || (e as WbemError).code === code;
}
