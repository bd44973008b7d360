// Reads the items of `wmi-put put` as a stream: NDJSON (one JSON object per
// line) or one JSON array, never the whole file at once. Each record carries
// the line it starts on. Integers beyond 2^53 are read exactly (as bigints),
// which JSON.parse alone cannot do.
import * as fs from 'node:fs';

export type InputRecord = { line: number; value: unknown; error?: undefined } | { line: number; error: string; value?: undefined };

/** Files up to this size are scanned once first to know the total (for the ETA). */
export const countLimitBytes = 64 * 1024 * 1024;

const marker = `\u0000wmi-put-bigint-${process.pid}-${Date.now()}:`;
// The same marker as it is written inside JSON text (a raw U+0000 is not allowed there).
const markerInJson = marker.replace('\u0000', '\\u0000');
const longDigits = /\d{16,}/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * JSON.parse, except that integer literals that are not safe integers become
 * bigints (exact) instead of rounded numbers.
 */
export function parseJsonExact(text: string): unknown {
  if (!longDigits.test(text)) return JSON.parse(text);
  let out = '';
  let from = 0;
  let i = 0;
  let changed = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 /* - */ || isDigit(c)) {
      const start = i;
      i++;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      const next = text.charCodeAt(i);
      const integer = next !== 46 /* . */ && next !== 101 /* e */ && next !== 69 /* E */;
      const token = text.slice(start, i);
      if (integer && /^-?(0|[1-9]\d*)$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(from, start)}"${markerInJson}${token}"`;
        from = i;
        changed = true;
      }
      while (i < text.length && /[0-9.eE+-]/.test(text[i] as string)) i++;
    } else {
      i++;
    }
  }
  if (!changed) return JSON.parse(text);
  out += text.slice(from);
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  );
}

function parseRecord(text: string, line: number): InputRecord {
  try {
    return { line, value: parseJsonExact(text) };
  } catch (e) {
    return { line, error: `invalid JSON: ${(e as Error).message}` };
  }
}

async function* chunks(file: string): AsyncGenerator<string> {
  const stream = file === '-' ? process.stdin : fs.createReadStream(file, { highWaterMark: 1 << 20 });
  stream.setEncoding('utf8');
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    if (first && chunk.length > 0) {
      first = false;
      yield chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    } else if (chunk.length > 0) {
      yield chunk;
    }
  }
}

function isBlank(s: string): boolean {
  return /^\s*$/.test(s);
}

async function* ndjson(source: AsyncGenerator<string>, head: string, parse: boolean): AsyncGenerator<InputRecord> {
  let pending = head;
  let line = 1;
  const take = (text: string): InputRecord | undefined => {
    const n = line++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (isBlank(t)) return undefined;
    return parse ? parseRecord(t, n) : { line: n, value: null };
  };
  const drain = function* (): Generator<InputRecord> {
    let pos = 0;
    let nl: number;
    while ((nl = pending.indexOf('\n', pos)) >= 0) {
      const r = take(pending.slice(pos, nl));
      pos = nl + 1;
      if (r) yield r;
    }
    pending = pending.slice(pos);
  };
  yield* drain();
  for await (const chunk of source) {
    pending += chunk;
    yield* drain();
  }
  const r = take(pending);
  if (r) yield r;
}

async function* jsonArray(source: AsyncGenerator<string>, head: string, parse: boolean): AsyncGenerator<InputRecord> {
  // States: 0 before '[', 1 expecting an element or ']', 2 in an element,
  // 3 after the array's ']'.
  let state = 0;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementLine = 0;
  let buffer = '';
  let start = -1;
  let elements = 0;
  const finishElement = (chunk: string, end: number): InputRecord => {
    const text = (buffer + chunk.slice(start, end)).trim();
    buffer = '';
    start = -1;
    elements++;
    return parse ? parseRecord(text, elementLine) : { line: elementLine, value: null };
  };
  let chunk = head;
  const results: InputRecord[] = [];
  for (;;) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (state === 2) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
          else if (c === 10) line++;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if ((c === 125 || c === 93) && depth > 0) depth--;
        else if (c === 10) line++;
        else if (depth === 0 && (c === 44 /* , */ || c === 93 /* ] */)) {
          results.push(finishElement(chunk, i));
          state = c === 44 ? 1 : 3;
          if (c === 44) {
            // An element must follow the comma.
            elementLine = -1;
          }
        }
        continue;
      }
      if (c === 10) {
        line++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      if (state === 0) {
        if (c === 91) {
          state = 1;
          continue;
        }
        results.push({ line, error: 'a JSON array file must start with [' });
        return yield* results;
      }
      if (state === 1) {
        if (c === 93) {
          if (elementLine === -1) results.push({ line, error: 'invalid JSON: trailing comma before ]' });
          state = 3;
          continue;
        }
        if (c === 44) {
          results.push({ line, error: 'invalid JSON: missing array element' });
          continue;
        }
        state = 2;
        elementLine = line;
        start = i;
        depth = 0;
        inString = false;
        escaped = false;
        i--; // let state 2 see this character (it may open a string or object)
        continue;
      }
      // state 3: only whitespace may follow the array.
      results.push({ line, error: 'invalid JSON: content after the closing ]' });
      return yield* results;
    }
    if (state === 2 && start >= 0) {
      buffer += chunk.slice(start);
      start = 0;
    }
    yield* results.splice(0);
    const next = await source.next();
    if (next.done) break;
    chunk = next.value;
  }
  if (state === 0 && elements === 0) return;
  if (state === 2) {
    yield { line: elementLine, error: 'invalid JSON: unexpected end of file inside the array' };
  } else if (state !== 3) {
    yield { line, error: 'invalid JSON: unexpected end of file (missing ])' };
  }
}

/**
 * The records of an input file (`-` is stdin): a JSON array when its first
 * non-blank character is `[`, NDJSON otherwise. With `parse: false` only the
 * boundaries are found (for counting).
 */
export async function* readRecords(file: string, parse = true): AsyncGenerator<InputRecord> {
  const source = chunks(file);
  let head = '';
  try {
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      head += next.value;
      const m = /\S/.exec(head);
      if (m) {
        yield* head[m.index] === '[' ? jsonArray(source, head, parse) : ndjson(source, head, parse);
        return;
      }
    }
  } finally {
    await source.return(undefined);
  }
}

/** How many records `file` holds, if it is a regular file of at most `limit` bytes. */
export async function countRecords(file: string, limit = countLimitBytes): Promise<number | undefined> {
  if (file === '-') return undefined;
  const stat = await fs.promises.stat(file);
  if (!stat.isFile() || stat.size > limit) return undefined;
  let n = 0;
  for await (const _ of readRecords(file, false)) n++;
  return n;
}
