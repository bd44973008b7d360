// The public API of wmi-put (ARCHITECTURE.md §5). Only this module's exports
// are public.
export {
  connect,
  Connection,
  type CallOptions,
  type ConnectOptions,
  type ContextValues,
  type EnumerateOptions,
  type InstanceToPut,
  type PutClassOptions,
  type PutInstanceOptions,
} from './connection';
export { createRepository, defaultRepository, Repository, type FaultOptions, type RepositoryOptions } from './repository';
export { WbemSink, type WbemSinkEvents } from './sink';
export { WbemError, isWbemError, formatHresult, type WbemErrorDetails, type WbemStatusName } from './errors';
export { statusCodes, statusName } from './generated/status';
export { CimDateTime, CimInterval, type CimDateTimeFields, type CimIntervalFields } from './datetime';
export type { PutManyItem, PutManyOptions, PutManyResult } from './put-many';
export {
  cim,
  defineClass,
  ClassSchema,
  CimProperty,
  isClassSchema,
  type DefineClassOptions,
  type InstanceOf,
  type ObjectOf,
  type SchemaItem,
} from './schema';
export * from './flags';
export type {
  CimScalar,
  CimTypeName,
  CimValue,
  ClassDefinition,
  EmbeddedObject,
  InstanceProperties,
  MethodDefinition,
  ParameterDefinition,
  PropertyDefinition,
  QualifierFlavor,
  QualifierScalar,
  QualifierValue,
  Qualifiers,
  SystemProperties,
  WbemObject,
} from './types';
export { compileMof, type CompileMofOptions, type MofCompileSummary, type MofCounts, type MofInput, type MofProgress } from './mof/compile';
export { MofError, type MofDiagnostic } from './mof/diagnostics';
export { toMof } from './mof/to-mof';
export { parseMof } from './mof/parser';
