// `wmi-put class <name>`: a class definition, as MOF or JSON.
// `wmi-put class put --file <definition.json|file.mof>`: writes classes.
import * as fs from 'node:fs';
import type { PutMode, UpdateMode } from '../flags';
import { compileMof } from '../mof/compile';
import { formatDiagnostic, MofError } from '../mof/diagnostics';
import { toMof } from '../mof/to-mof';
import type { ClassDefinition } from '../types';
import { UsageError, modeOption, stringOption, updateOption, type Command } from './command';
import { parseJsonExact } from './input';
import { runMof } from './mof';
import type { Context } from './context';
import { describeError, errorToJson, toJson } from './output';

export interface DefineResult {
  /** Classes written (JSON definitions) or objects written (MOF). */
  written: number;
  failed: number;
  results: { name: string; error?: Record<string, unknown> }[];
}

/**
 * Writes the classes of a JSON file (one ClassDefinition or an array, in
 * order) or compiles a .mof file (quietly, errors on stderr). Used by
 * `class put` and `put --define`. Returns undefined when the file is
 * unusable (the reason is printed).
 */
export async function defineClasses(
  ctx: Context,
  file: string,
  options: { update?: UpdateMode | undefined; mode?: PutMode | undefined; who: string },
): Promise<DefineResult | undefined> {
  const { err } = ctx.streams;
  if (/\.mof$/i.test(file)) {
    const conn = await ctx.connect();
    try {
      const s = await compileMof([file], { connection: conn, connect: (ns) => ctx.connect(ns) });
      for (const e of s.errors) err.write(`${formatDiagnostic(e)}\n`);
      const written = s.classes.created + s.classes.updated + s.instances.created + s.instances.updated;
      return { written, failed: s.errors.length, results: [] };
    } catch (e) {
      if (e instanceof MofError) {
        err.write(`${e.message}\n`);
        return undefined;
      }
      throw e;
    }
  }
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    err.write(`wmi-put ${options.who}: cannot read ${file}: ${(e as Error).message}\n`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    err.write(`wmi-put ${options.who}: ${file}: invalid JSON: ${(e as Error).message}\n`);
    return undefined;
  }
  const defs = (Array.isArray(parsed) ? parsed : [parsed]) as ClassDefinition[];
  const conn = await ctx.connect();
  const result: DefineResult = { written: 0, failed: 0, results: [] };
  // In order: a superclass comes before its subclasses.
  for (const def of defs) {
    const name = typeof def === 'object' && def !== null && typeof def.name === 'string' ? def.name : '?';
    try {
      await conn.putClass(def, { ...(options.update ? { update: options.update } : {}), ...(options.mode ? { mode: options.mode } : {}) });
      result.written++;
      result.results.push({ name });
    } catch (e) {
      result.failed++;
      result.results.push({ name, error: errorToJson(e) });
      err.write(`wmi-put ${options.who}: class ${name}: ${describeError(e)}\n`);
    }
  }
  return result;
}

async function putClasses(ctx: Context, file: string, update: UpdateMode | undefined, mode: PutMode | undefined): Promise<number> {
  if (/\.mof$/i.test(file)) {
    return runMof(ctx, [file], { namespace: ctx.options.namespace, includePaths: [], dryRun: false, strict: false, concurrency: 32, quiet: true });
  }
  const r = await defineClasses(ctx, file, { update, mode, who: 'class put' });
  if (!r) return 1;
  const { out } = ctx.streams;
  if (ctx.json) out.write(`${toJson({ classes: r.results, written: r.written, failed: r.failed })}\n`);
  else for (const c of r.results) if (!c.error) out.write(`${c.name}: written\n`);
  return r.failed > 0 ? 1 : 0;
}

export const classCommand: Command = {
  name: 'class',
  summary: 'print a class definition (MOF, or JSON with --json); class put --file writes classes',
  synopsis: '<name> | class put --file <definition.json|file.mof>',
  details: `class <name> prints what the class declares or overrides (inherited members come from its
superclass) as MOF, or with --json as the ClassDefinition object that 'class put' (and the
library's putClass) accepts unchanged.
class put --file writes the class definitions of a JSON file (one ClassDefinition or an array,
written in order) or compiles a .mof file into --namespace.`,
  options: [
    { name: 'file', short: 'f', kind: 'string', arg: 'path', help: 'class put: the definitions (.json or .mof)' },
    { ...updateOption, help: 'class put: compatible (default), safe or force' },
    { ...modeOption, help: 'class put: createOrUpdate (default), createOnly or updateOnly' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const name = args.positionals[0] as string;
    const file = stringOption(args, 'file');
    if (name === 'put' && file !== undefined) {
      return putClasses(ctx, file, stringOption(args, 'update') as UpdateMode | undefined, stringOption(args, 'mode') as PutMode | undefined);
    }
    if (name === 'put') throw new UsageError('class put needs --file <definition.json|file.mof>', 'class');
    if (file !== undefined || args.options.has('update') || args.options.has('mode')) {
      throw new UsageError('--file, --update and --mode go with class put', 'class');
    }
    const conn = await ctx.connect();
    const def = await conn.getClass(name);
    const text = ctx.json ? `${toJson(def)}\n` : toMof(def);
    ctx.streams.out.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  },
};
