import { WbemError } from './errors';
import type { CimTypeName, QualifierFlavor } from './types';

// Scripting constants (wbemdisp WbemChangeFlagEnum / WbemFlagEnum), semantics §7.2.
export const wbemChangeFlagCreateOrUpdate = 0;
export const wbemChangeFlagUpdateOnly = 0x1;
export const wbemChangeFlagCreateOnly = 0x2;
export const wbemChangeFlagUpdateCompatible = 0;
export const wbemChangeFlagUpdateSafeMode = 0x20;
export const wbemChangeFlagUpdateForceMode = 0x40;
export const wbemChangeFlagStrongValidation = 0x80;
export const wbemChangeFlagAdvisory = 0x10000;

export const wbemFlagReturnImmediately = 0x10;
export const wbemFlagReturnWhenComplete = 0;
export const wbemFlagBidirectional = 0;
export const wbemFlagForwardOnly = 0x20;
export const wbemFlagNoErrorObject = 0x40;
export const wbemFlagReturnErrorObject = 0;
export const wbemFlagSendStatus = 0x80;
export const wbemFlagDontSendStatus = 0;
export const wbemFlagEnsureLocatable = 0x100;
export const wbemFlagDirectRead = 0x200;
export const wbemFlagSendOnlySelected = 0;
export const wbemFlagUseAmendedQualifiers = 0x20000;
export const wbemFlagGetDefault = 0;
export const wbemFlagSpawnInstance = 0x1;
export const wbemFlagUseCurrentTime = 0x1;

// wbemdisp WbemCimtypeEnum (the CIMTYPE numbers of semantics §5.1).
export const wbemCimtypeSint8 = 16;
export const wbemCimtypeUint8 = 17;
export const wbemCimtypeSint16 = 2;
export const wbemCimtypeUint16 = 18;
export const wbemCimtypeSint32 = 3;
export const wbemCimtypeUint32 = 19;
export const wbemCimtypeSint64 = 20;
export const wbemCimtypeUint64 = 21;
export const wbemCimtypeReal32 = 4;
export const wbemCimtypeReal64 = 5;
export const wbemCimtypeBoolean = 11;
export const wbemCimtypeString = 8;
export const wbemCimtypeDatetime = 101;
export const wbemCimtypeReference = 102;
export const wbemCimtypeChar16 = 103;
export const wbemCimtypeObject = 13;

/** `CIM_FLAG_ARRAY`, OR-ed with the element type. */
export const cimFlagArray = 0x2000;

/** CIMTYPE number of each CIM type name. */
export const cimTypeCodes: Readonly<Record<CimTypeName, number>> = Object.freeze({
  sint8: wbemCimtypeSint8,
  uint8: wbemCimtypeUint8,
  sint16: wbemCimtypeSint16,
  uint16: wbemCimtypeUint16,
  sint32: wbemCimtypeSint32,
  uint32: wbemCimtypeUint32,
  sint64: wbemCimtypeSint64,
  uint64: wbemCimtypeUint64,
  real32: wbemCimtypeReal32,
  real64: wbemCimtypeReal64,
  boolean: wbemCimtypeBoolean,
  string: wbemCimtypeString,
  char16: wbemCimtypeChar16,
  datetime: wbemCimtypeDatetime,
  reference: wbemCimtypeReference,
  object: wbemCimtypeObject,
});

const cimTypeNamesByCode = new Map<number, CimTypeName>(
  Object.entries(cimTypeCodes).map(([name, code]) => [code, name as CimTypeName]),
);

/** The CIM type name of a CIMTYPE number (the array bit is ignored); undefined if unknown. */
export function cimTypeName(cimtype: number): CimTypeName | undefined {
  return cimTypeNamesByCode.get(cimtype & ~cimFlagArray);
}

// WBEM_FLAVOR_* bits (semantics §5.4).
export const wbemFlavorFlagPropagateToInstance = 0x1;
export const wbemFlavorFlagPropagateToDerivedClass = 0x2;
export const wbemFlavorNotOverridable = 0x10;
export const wbemFlavorAmended = 0x80;
const flavorSettableBits = 0x1 | 0x2 | 0x10 | 0x80;

/** `{ toSubclass: true }` → 0x2 … (origin bits 0x60 are never produced). */
export function flavorToBits(flavor: QualifierFlavor | undefined): number {
  if (flavor === undefined) return 0;
  return (
    (flavor.toInstance ? wbemFlavorFlagPropagateToInstance : 0) |
    (flavor.toSubclass ? wbemFlavorFlagPropagateToDerivedClass : 0) |
    (flavor.disableOverride ? wbemFlavorNotOverridable : 0) |
    (flavor.amended ? wbemFlavorAmended : 0)
  );
}

/** The inverse of flavorToBits; only true fields are present, origin bits are ignored. */
export function bitsToFlavor(bits: number): QualifierFlavor {
  const flavor: QualifierFlavor = {};
  const b = bits & flavorSettableBits;
  if (b & wbemFlavorFlagPropagateToInstance) flavor.toInstance = true;
  if (b & wbemFlavorFlagPropagateToDerivedClass) flavor.toSubclass = true;
  if (b & wbemFlavorNotOverridable) flavor.disableOverride = true;
  if (b & wbemFlavorAmended) flavor.amended = true;
  return flavor;
}

export type PutMode = 'createOrUpdate' | 'createOnly' | 'updateOnly';
export type UpdateMode = 'compatible' | 'safe' | 'force';
export type PutKind = 'instance' | 'class';

export interface PutModeOptions {
  mode?: PutMode | undefined;
  update?: UpdateMode | undefined;
  amendedQualifiers?: boolean | undefined;
}

function invalidParameter(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

const modeBits: Readonly<Record<PutMode, number>> = {
  createOrUpdate: wbemChangeFlagCreateOrUpdate,
  createOnly: wbemChangeFlagCreateOnly,
  updateOnly: wbemChangeFlagUpdateOnly,
};

const updateBits: Readonly<Record<UpdateMode, number>> = {
  compatible: wbemChangeFlagUpdateCompatible,
  safe: wbemChangeFlagUpdateSafeMode,
  force: wbemChangeFlagUpdateForceMode,
};

/**
 * The lFlags of a Put*Async call for the options `mode`, `update` and `amendedQualifiers`.
 * Throws WBEM_E_INVALID_PARAMETER for an unknown mode or update string, a non-boolean
 * `amendedQualifiers`, or any `update` on an instance put (update modes exist for classes only).
 */
export function modeToFlags(options: PutModeOptions, kind: PutKind): number;
export function modeToFlags(
  mode: PutMode | undefined,
  update: UpdateMode | undefined,
  amended: boolean | undefined,
  kind: PutKind,
): number;
export function modeToFlags(
  a: PutMode | PutModeOptions | undefined,
  b: UpdateMode | PutKind | undefined,
  c?: boolean,
  d?: PutKind,
): number {
  let mode: unknown;
  let update: unknown;
  let amended: unknown;
  let kind: unknown;
  if (typeof a === 'object' && a !== null) {
    ({ mode, update, amendedQualifiers: amended } = a);
    kind = b;
  } else {
    [mode, update, amended, kind] = [a, b, c, d];
  }
  if (kind !== 'instance' && kind !== 'class') {
    throw invalidParameter(`put kind must be 'instance' or 'class', got ${describe(kind)}`);
  }
  let flags = 0;
  if (mode !== undefined) {
    if (typeof mode !== 'string' || !Object.hasOwn(modeBits, mode)) {
      throw invalidParameter(`mode must be 'createOrUpdate', 'createOnly' or 'updateOnly', got ${describe(mode)}`);
    }
    flags |= modeBits[mode as PutMode];
  }
  if (update !== undefined) {
    if (kind === 'instance') {
      throw invalidParameter(`update (${describe(update)}) applies to class puts only`);
    }
    if (typeof update !== 'string' || !Object.hasOwn(updateBits, update)) {
      throw invalidParameter(`update must be 'compatible', 'safe' or 'force', got ${describe(update)}`);
    }
    flags |= updateBits[update as UpdateMode];
  }
  if (amended !== undefined) {
    if (typeof amended !== 'boolean') {
      throw invalidParameter(`amendedQualifiers must be a boolean, got ${describe(amended)}`);
    }
    if (amended) flags |= wbemFlagUseAmendedQualifiers;
  }
  return flags;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}

/** Bits that [MS-WMI] says must be ignored on receipt (WBEM_MASK_RESERVED_FLAGS). */
export const reservedFlagsMask = 0x1f000;

/** lFlags bits PutInstanceAsync accepts (besides the ignored reserved bits). */
export const putInstanceAsyncAllowedFlags =
  wbemChangeFlagUpdateOnly | wbemChangeFlagCreateOnly | wbemFlagSendStatus | wbemFlagUseAmendedQualifiers;

/** lFlags bits PutClassAsync accepts (besides the ignored reserved bits). */
export const putClassAsyncAllowedFlags =
  putInstanceAsyncAllowedFlags | wbemChangeFlagUpdateSafeMode | wbemChangeFlagUpdateForceMode;

function hex(n: number): string {
  return '0x' + n.toString(16).toUpperCase();
}

/**
 * Checks raw lFlags of PutInstanceAsync / PutClassAsync (`putAsync`) as semantics §1.2 rules:
 * throws WBEM_E_INVALID_PARAMETER for a non-integer, negative or > 32-bit value, CREATE_ONLY with
 * UPDATE_ONLY, SAFE_MODE with FORCE_MODE, update-mode bits on an instance put,
 * RETURN_IMMEDIATELY, and any other bit outside the method's set. Bits in 0x1F000 are ignored.
 */
export function validatePutAsyncFlags(flags: number, kind: PutKind): void {
  if (kind !== 'instance' && kind !== 'class') {
    throw invalidParameter(`put kind must be 'instance' or 'class', got ${describe(kind)}`);
  }
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0x7fffffff) {
    throw invalidParameter(`flags must be a non-negative 32-bit integer, got ${describe(flags)}`);
  }
  const f = flags & ~reservedFlagsMask;
  if ((f & wbemChangeFlagCreateOnly) && (f & wbemChangeFlagUpdateOnly)) {
    throw invalidParameter('wbemChangeFlagCreateOnly and wbemChangeFlagUpdateOnly are mutually exclusive');
  }
  if (f & wbemFlagReturnImmediately) {
    throw invalidParameter('wbemFlagReturnImmediately (0x10) is not valid for an asynchronous put');
  }
  const updateModeBits = wbemChangeFlagUpdateSafeMode | wbemChangeFlagUpdateForceMode;
  if (kind === 'instance' && f & updateModeBits) {
    throw invalidParameter(`class update-mode flags (${hex(f & updateModeBits)}) are not valid for an instance put`);
  }
  if ((f & updateModeBits) === updateModeBits) {
    throw invalidParameter('wbemChangeFlagUpdateSafeMode and wbemChangeFlagUpdateForceMode are mutually exclusive');
  }
  const allowed = kind === 'instance' ? putInstanceAsyncAllowedFlags : putClassAsyncAllowedFlags;
  const extra = f & ~allowed;
  if (extra !== 0) {
    throw invalidParameter(`flags ${hex(extra)} are not valid for Put${kind === 'instance' ? 'Instance' : 'Class'}Async`);
  }
}
