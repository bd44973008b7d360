// The syntax tree of a MOF compilation unit (CIM v2 MOF, DSP0004 Annex A, as
// WMI's mofcomp reads it). Names keep the spelling of the source; comparisons
// are case-insensitive everywhere else.

/** A position in a source file (1-based line and column, in UTF-16 units). */
export interface MofLocation {
  file: string;
  line: number;
  column: number;
}

export type MofValue =
  | { kind: 'null'; loc: MofLocation }
  | { kind: 'boolean'; value: boolean; loc: MofLocation }
  | { kind: 'integer'; value: bigint; text: string; loc: MofLocation }
  | { kind: 'real'; value: number; text: string; loc: MofLocation }
  | { kind: 'string'; value: string; loc: MofLocation }
  | { kind: 'char16'; value: string; loc: MofLocation }
  | { kind: 'alias'; name: string; loc: MofLocation }
  | { kind: 'array'; items: MofValue[]; loc: MofLocation }
  | { kind: 'instance'; instance: MofInstance; loc: MofLocation };

/** A qualifier as used in a `[...]` list. `flavors` are lower-case flavor keywords. */
export interface MofQualifier {
  name: string;
  /** Omitted for `[Key]` (which means TRUE). */
  value?: MofValue;
  flavors: string[];
  loc: MofLocation;
}

/** `qualifier Name : type = default, scope(...), flavor(...);` or WMI's `qualifier Name : flavors;`. */
export interface MofQualifierDecl {
  kind: 'qualifierDecl';
  name: string;
  /** Lower-case CIM type; omitted for a flavor-only declaration. */
  type?: string;
  array?: boolean;
  default?: MofValue;
  /** Lower-case scope keywords (`class`, `property`, `any`...). */
  scopes: string[];
  flavors: string[];
  loc: MofLocation;
}

/** The type of a property, parameter or method result. */
export interface MofType {
  /** Lower-case CIM type name (`uint32`, `string`...), `'reference'`, `'object'` or `'void'`. */
  type: string;
  refClass?: string;
  objectClass?: string;
  loc: MofLocation;
}

export interface MofProperty {
  name: string;
  qualifiers: MofQualifier[];
  type: MofType;
  array: boolean;
  /** `X[8]`: a fixed-size array. */
  arraySize?: number;
  default?: MofValue;
  loc: MofLocation;
}

export interface MofParameter {
  name: string;
  qualifiers: MofQualifier[];
  type: MofType;
  array: boolean;
  arraySize?: number;
  loc: MofLocation;
}

export interface MofMethod {
  name: string;
  qualifiers: MofQualifier[];
  returnType: MofType;
  parameters: MofParameter[];
  loc: MofLocation;
}

/** What the pragmas in effect say about one class or instance. */
export interface MofContext {
  /** Namespace the object goes to, as written after resolution (`root\\cimv2`); '' = the connection's. */
  namespace: string;
  /** Lower-case classflags / instanceflags keywords in effect. */
  classFlags: string[];
  instanceFlags: string[];
  locale?: string;
}

export interface MofClass {
  kind: 'class';
  name: string;
  alias?: string;
  superclass?: string;
  superLoc?: MofLocation;
  qualifiers: MofQualifier[];
  properties: MofProperty[];
  methods: MofMethod[];
  loc: MofLocation;
  nameLoc: MofLocation;
  context: MofContext;
}

export interface MofPropertyValue {
  name: string;
  qualifiers: MofQualifier[];
  value: MofValue;
  loc: MofLocation;
}

export interface MofInstance {
  kind: 'instance';
  className: string;
  alias?: string;
  qualifiers: MofQualifier[];
  values: MofPropertyValue[];
  loc: MofLocation;
  classLoc: MofLocation;
  context: MofContext;
}

export interface MofPragma {
  kind: 'pragma';
  /** Lower-case pragma name (`namespace`, `classflags`, `deleteclass`...). */
  name: string;
  args: MofValue[];
  /** Identifier arguments (`FAIL`, `NOFAIL`), lower-case, in order. */
  words: string[];
  loc: MofLocation;
  context: MofContext;
}

export type MofItem = MofClass | MofInstance | MofQualifierDecl | MofPragma;

/** A source file as read (decoded text and where each line starts). */
export interface MofSource {
  file: string;
  text: string;
}
