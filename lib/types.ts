import type { CimDateTime, CimInterval } from './datetime';

/** CIM type names as written in MOF (`'uint32'`, `'datetime'`, …). */
export type CimTypeName =
  | 'sint8'
  | 'uint8'
  | 'sint16'
  | 'uint16'
  | 'sint32'
  | 'uint32'
  | 'sint64'
  | 'uint64'
  | 'real32'
  | 'real64'
  | 'boolean'
  | 'string'
  | 'char16'
  | 'datetime'
  | 'reference'
  | 'object';

/**
 * Qualifier flavors; an omitted field is false. Mapping to `WBEM_FLAVOR_*` bits (see
 * `flavorToBits` in flags.ts): `toInstance` → PROPAGATE_TO_INSTANCE 0x1, `toSubclass` →
 * PROPAGATE_TO_DERIVED_CLASS 0x2, `disableOverride` → NOT_OVERRIDABLE 0x10, `amended` → AMENDED
 * 0x80. All false is flavor 0: restricted (not propagated) and overridable, which is what
 * `IWbemQualifierSet::Put` uses by default.
 */
export interface QualifierFlavor {
  toInstance?: boolean;
  toSubclass?: boolean;
  disableOverride?: boolean;
  amended?: boolean;
}

/** Qualifier values are booleans, sint32/real64 numbers, strings, or arrays of one of these. */
export type QualifierScalar = boolean | number | string;

/** A plain value (flavor 0), or the value with its flavors. */
export type QualifierValue =
  | QualifierScalar
  | QualifierScalar[]
  | { value: QualifierScalar | QualifierScalar[]; flavor?: QualifierFlavor };

export type Qualifiers = Record<string, QualifierValue>;

/** An embedded object (a CIM `object` value): its class name and its properties. */
export interface EmbeddedObject {
  __CLASS: string;
  [name: string]: CimValue;
}

/** A non-null, non-array CIM value (see the values table of ARCHITECTURE.md §5). */
export type CimScalar = boolean | number | bigint | string | Date | CimDateTime | CimInterval | EmbeddedObject;

/** Any property value: NULL, a scalar, or an array of scalars. */
export type CimValue = null | CimScalar | CimValue[];

export interface PropertyDefinition {
  type: CimTypeName;
  array?: boolean;
  key?: boolean;
  /** Target class of a `'reference'` (`ref:Class`); omitted for an untyped reference. */
  refClass?: string;
  /** Class of an `'object'` property (`object:Class`); omitted for any object. */
  objectClass?: string;
  /** Class default value, in the input form of the values table. */
  default?: CimValue;
  qualifiers?: Qualifiers;
}

export interface ParameterDefinition {
  type: CimTypeName;
  array?: boolean;
  refClass?: string;
  objectClass?: string;
  qualifiers?: Qualifiers;
}

export interface MethodDefinition {
  /** In declaration order; a parameter may be both `in` and `out`. */
  parameters?: Record<string, ParameterDefinition & { in?: boolean; out?: boolean }>;
  /** Omitted for a `void` method. */
  returnType?: CimTypeName;
  qualifiers?: Qualifiers;
}

/** What `putClass` takes and `getClass` returns: a plain, mutable object. */
export interface ClassDefinition {
  name: string;
  superclass?: string;
  /** Class qualifiers: `Abstract`, `Singleton`, `Description`, `Dynamic`, `Provider`, … */
  qualifiers?: Qualifiers;
  /** Only the properties this class defines or overrides; inherited ones come from the superclass. */
  properties: Record<string, PropertyDefinition>;
  methods?: Record<string, MethodDefinition>;
}

/** Property values of an instance to put, by property name. */
export type InstanceProperties = Record<string, CimValue>;

/** The system properties every object read back carries (semantics §5.3). */
export interface SystemProperties {
  __CLASS: string;
  /** 1 for a class, 2 for an instance. */
  __GENUS: number;
  __RELPATH: string | null;
  __PATH: string | null;
  __SUPERCLASS: string | null;
  __DYNASTY: string | null;
  /** Parent first, root last; empty for a base class. */
  __DERIVATION: string[];
  __NAMESPACE: string | null;
  __SERVER: string | null;
  __PROPERTY_COUNT: number;
}

/** What `getObject` (and `enumerateInstances`) yields: the properties plus the system properties. */
export type WbemObject<P extends object = InstanceProperties> = SystemProperties & P;
