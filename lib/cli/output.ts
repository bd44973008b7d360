// How the CLI prints values and objects: plain text for people, `--json` for
// programs. Both are lossless: a bigint prints its exact decimal digits (a
// JSON string under --json, since JSON numbers lose precision above 2^53), a
// CimDateTime / CimInterval prints its DMTF string.
import { CimDateTime, CimInterval } from '../datetime';
import { formatHresult, isWbemError } from '../errors';

export interface Writable {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Streams {
  out: Writable;
  err: Writable;
}

/** Writes and waits for 'drain' when the stream's buffer is full (long listings). */
export async function emit(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

/** A CIM value as JSON-safe data: bigint → decimal string, datetimes → DMTF string. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof CimDateTime || value instanceof CimInterval) return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

/** One JSON document (pretty, two-space indent). */
export function toJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value), null, 2);
}

/**
 * A value in the plain format: strings quoted (JSON escapes), NULL, numbers
 * and booleans as literals, bigints as digits, datetimes as their DMTF
 * string unquoted, arrays as `{a, b}` (MOF style), embedded objects as
 * `instance of X {A = 1; B = "x";}`.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof CimDateTime || value instanceof CimInterval) return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(formatValue).join(', ')}}`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const cls = typeof obj.__CLASS === 'string' ? obj.__CLASS : '?';
    const body = Object.entries(obj)
      .filter(([k]) => !k.startsWith('__'))
      .map(([k, v]) => `${k} = ${formatValue(v)};`)
      .join(' ');
    return `instance of ${cls} {${body}}`;
  }
  return String(value);
}

/** The non-system properties of an object as `Name = value` lines, indented. */
export function formatProperties(obj: Record<string, unknown>, indent = ''): string {
  let text = '';
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('__')) continue;
    text += `${indent}${k} = ${formatValue(v)}\n`;
  }
  return text;
}

/** An object read back: its relative path on one line, then its properties indented. */
export function formatObject(obj: Record<string, unknown>): string {
  const header = typeof obj.__RELPATH === 'string' ? obj.__RELPATH : String(obj.__CLASS ?? '');
  return `${header}\n${formatProperties(obj, '  ')}`;
}

/** `WBEM_E_NOT_FOUND (0x80041002): text` for a WbemError, the message otherwise. */
export function describeError(e: unknown): string {
  if (isWbemError(e)) {
    const colon = e.message.indexOf(': ');
    const text = colon >= 0 ? e.message.slice(colon + 2) : e.message;
    return `${e.code} (${formatHresult(e.hresult)}): ${text}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A failure as JSON: code, hresult (hex string), description, property. */
export function errorToJson(e: unknown): Record<string, unknown> {
  if (isWbemError(e)) {
    const colon = e.message.indexOf(': ');
    const out: Record<string, unknown> = {
      code: e.code,
      hresult: formatHresult(e.hresult),
      description: e.description ?? (colon >= 0 ? e.message.slice(colon + 2) : e.message),
    };
    if (e.property !== undefined) out.property = e.property;
    if (e.parameterInfo !== undefined) out.parameterInfo = e.parameterInfo;
    return out;
  }
  return { code: 'ERROR', description: e instanceof Error ? e.message : String(e) };
}
