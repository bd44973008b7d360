// Reading MOF sources: encoding detection (UTF-8, UTF-8 with BOM, UTF-16LE/BE
// with BOM), `#pragma include` (relative to the including file, then the
// include paths; case-insensitive like Windows file names), and the pragma
// state each class or instance is compiled under (namespace, classflags,
// instanceflags, locale).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MofContext, MofItem, MofLocation, MofPragma } from './ast';
import { MofError, MofSyntaxError, SourceTexts, type MofDiagnostic } from './diagnostics';
import { parseMof } from './parser';

/** Decodes the bytes of a MOF file. */
export function decodeMof(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + 3, bytes.length - 3).toString('utf8');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + 2, bytes.length - 2).toString('utf16le');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  // UTF-16LE without a BOM: ASCII text has a zero in every odd byte.
  if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

export interface LoadOptions {
  /** Namespace for objects before any namespace pragma (the connection's). */
  namespace: string;
  /** Extra directories searched by `#pragma include` after the including file's directory. */
  includePaths?: readonly string[];
  /** Directory for includes from text sources (default: the current directory). */
  baseDir?: string;
}

/** The pragmas that only get recorded. */
export interface RecordedPragmas {
  autorecover: boolean;
  locale?: string;
  amendment?: string;
}

export interface LoadedUnit {
  items: MofItem[];
  texts: SourceTexts;
  files: string[];
  pragmas: RecordedPragmas;
}

/** A source to compile: a file path, or text with a name for diagnostics. */
export type MofInput = string | { text: string; file?: string };

const classFlagWords = new Set(['createonly', 'updateonly', 'safeupdate', 'forceupdate']);
const instanceFlagWords = new Set(['createonly', 'updateonly']);

function findFile(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const full = path.resolve(dir, name);
    if (fs.existsSync(full)) return full;
    // Windows file names are case-insensitive: look for a case variant.
    const parent = path.dirname(full);
    const base = path.basename(full).toLowerCase();
    try {
      const match = fs.readdirSync(parent).find((e) => e.toLowerCase() === base);
      if (match !== undefined) return path.join(parent, match);
    } catch {
      // no such directory
    }
  }
  return undefined;
}

/** Resolves a namespace pragma's argument against the current namespace. */
export function resolveNamespace(current: string, value: string): string | { error: string } {
  let v = value.replace(/\//g, '\\');
  if (v.startsWith('\\\\')) {
    const rest = v.slice(2);
    const cut = rest.indexOf('\\');
    const server = cut < 0 ? rest : rest.slice(0, cut);
    if (server !== '.' && server.toLowerCase() !== 'localhost') {
      return { error: `namespace '${value}' names a remote server ('${server}'); only '.' (this machine) is supported` };
    }
    v = cut < 0 ? '' : rest.slice(cut + 1);
    if (v === '') return { error: `namespace '${value}' has no namespace path after the server` };
    return normalize(v, value);
  }
  if (v.startsWith('\\')) return normalize(v.slice(1), value);
  const first = v.split('\\')[0] ?? '';
  if (first.toLowerCase() === 'root') return normalize(v, value);
  return normalize(`${current}\\${v}`, value);
}

function normalize(ns: string, original: string): string | { error: string } {
  const parts = ns.split('\\').filter((p) => p !== '');
  if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    return { error: `invalid namespace '${original}'` };
  }
  return parts.join('\\');
}

/**
 * Reads and parses the inputs with their includes, in order, and attaches to
 * every item the pragma context it is compiled under. Throws MofError on a
 * syntax or pragma error.
 */
export function loadMof(inputs: readonly MofInput[], options: LoadOptions): LoadedUnit {
  const texts = new SourceTexts();
  const items: MofItem[] = [];
  const files: string[] = [];
  const pragmas: RecordedPragmas = { autorecover: false };
  const errors: MofDiagnostic[] = [];
  let context: MofContext = { namespace: options.namespace, classFlags: [], instanceFlags: [] };
  const including: string[] = [];

  const error = (loc: MofLocation, message: string): void => {
    errors.push(texts.diagnostic(loc, message));
  };

  const stringArgs = (p: MofPragma): string[] | undefined => {
    const out: string[] = [];
    for (const a of p.args) {
      if (a.kind !== 'string') return undefined;
      out.push(a.value);
    }
    return out;
  };

  const flagList = (p: MofPragma, allowed: Set<string>): string[] | undefined => {
    const words: string[] = [];
    for (const a of p.args) {
      if (a.kind === 'string') {
        words.push(...a.value.split(/[\s,]+/).filter((w) => w !== '').map((w) => w.toLowerCase()));
      } else if (a.kind === 'integer') {
        const bits = Number(a.value);
        if (bits & 1) words.push('updateonly');
        if (bits & 2) words.push('createonly');
        if (bits & 0x20) words.push('safeupdate');
        if (bits & 0x40) words.push('forceupdate');
      } else {
        error(a.loc, `#pragma ${p.name} takes flag strings`);
        return undefined;
      }
    }
    words.push(...p.words);
    for (const w of words) {
      if (!allowed.has(w)) {
        error(p.loc, `unknown ${p.name} flag '${w}' (expected ${[...allowed].join(', ')})`);
        return undefined;
      }
    }
    if (words.includes('createonly') && words.includes('updateonly')) {
      error(p.loc, `#pragma ${p.name}: 'createonly' and 'updateonly' contradict each other`);
      return undefined;
    }
    if (words.includes('safeupdate') && words.includes('forceupdate')) {
      error(p.loc, `#pragma ${p.name}: 'safeupdate' and 'forceupdate' contradict each other`);
      return undefined;
    }
    return words;
  };

  const loadText = (text: string, file: string, dir: string): void => {
    texts.add(file, text);
    files.push(file);
    let parsed: MofItem[];
    try {
      parsed = parseMof(text, file);
    } catch (e) {
      if (e instanceof MofSyntaxError) {
        error(e.loc, e.message);
        return;
      }
      throw e;
    }
    for (const item of parsed) {
      if (item.kind !== 'pragma') {
        if (item.kind !== 'qualifierDecl') item.context = context;
        items.push(item);
        continue;
      }
      const p = item;
      const args = stringArgs(p);
      switch (p.name) {
        case 'include': {
          if (args?.length !== 1) {
            error(p.loc, '#pragma include takes one file name string');
            break;
          }
          const target = findFile(args[0] as string, [dir, ...(options.includePaths ?? [])]);
          if (target === undefined) {
            error(p.loc, `cannot find include file '${args[0]}'`);
            break;
          }
          if (including.includes(target)) {
            error(p.loc, `'${args[0]}' includes itself`);
            break;
          }
          including.push(target);
          loadFile(target);
          including.pop();
          break;
        }
        case 'namespace': {
          if (args?.length !== 1) {
            error(p.loc, '#pragma namespace takes one namespace string');
            break;
          }
          const ns = resolveNamespace(context.namespace, args[0] as string);
          if (typeof ns === 'object') error(p.loc, ns.error);
          else context = { ...context, namespace: ns };
          break;
        }
        case 'classflags': {
          const f = flagList(p, classFlagWords);
          if (f) context = { ...context, classFlags: f };
          break;
        }
        case 'instanceflags': {
          const f = flagList(p, instanceFlagWords);
          if (f) context = { ...context, instanceFlags: f };
          break;
        }
        case 'locale': {
          if (args?.length !== 1) {
            error(p.loc, '#pragma locale takes one locale string');
            break;
          }
          pragmas.locale = args[0] as string;
          context = { ...context, locale: args[0] as string };
          break;
        }
        case 'autorecover':
          pragmas.autorecover = true;
          break;
        case 'amendment':
          if (args?.length !== 1) error(p.loc, '#pragma amendment takes one locale string (MS_409)');
          else pragmas.amendment = args[0] as string;
          break;
        case 'deleteclass':
        case 'deleteinstance': {
          const what = p.name === 'deleteclass' ? 'class name' : 'instance path';
          const mode = p.words[0];
          if (args?.length !== 1 || p.words.length !== 1 || (mode !== 'fail' && mode !== 'nofail')) {
            error(p.loc, `#pragma ${p.name} takes a ${what} string and FAIL or NOFAIL`);
            break;
          }
          p.context = context;
          items.push(p);
          break;
        }
        default:
          error(p.loc, `unknown pragma '${p.name}'`);
      }
    }
  };

  const loadFile = (file: string): void => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      errors.push({ file, line: 0, column: 0, message: `cannot read ${file}: ${(e as Error).message}`, excerpt: '' });
      return;
    }
    loadText(decodeMof(bytes), file, path.dirname(file));
  };

  for (const input of inputs) {
    if (typeof input === 'string') {
      const file = path.resolve(input);
      including.push(file);
      loadFile(file);
      including.pop();
    } else {
      loadText(input.text, input.file ?? '<text>', options.baseDir ?? process.cwd());
    }
    if (errors.length > 0) break;
  }
  if (errors.length > 0) throw new MofError(errors);
  return { items, texts, files, pragmas };
}
