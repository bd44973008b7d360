// `wmi-put class <name>`: a class definition, as MOF or JSON.
// `wmi-put class put --file <definition.json|file.mof>`: writes classes.
import * as fs from 'node:fs';
import type { UpdateMode } from '../flags';
import { toMof } from '../mof/to-mof';
import type { ClassDefinition } from '../types';
import { UsageError, stringOption, type Command } from './command';
import { parseJsonExact } from './input';
import { runMof } from './mof';
import { describeError, toJson } from './output';

async function putClasses(ctx: Parameters<Command['run']>[0], file: string, update: UpdateMode | undefined, mode: string | undefined): Promise<number> {
  if (/\.mof$/i.test(file)) {
    return runMof(ctx, [file], {
      namespace: ctx.options.namespace,
      includePaths: [],
      dryRun: false,
      strict: false,
      concurrency: 32,
      quiet: true,
    });
  }
  const text = await fs.promises.readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    ctx.streams.err.write(`wmi-put class put: ${file}: invalid JSON: ${(e as Error).message}\n`);
    return 1;
  }
  const defs = (Array.isArray(parsed) ? parsed : [parsed]) as ClassDefinition[];
  const conn = await ctx.connect();
  const results: { name: string; error?: Record<string, unknown> }[] = [];
  let failed = 0;
  // In order: a superclass usually comes before its subclasses.
  for (const def of defs) {
    const name = typeof def === 'object' && def !== null && typeof def.name === 'string' ? def.name : '?';
    try {
      await conn.putClass(def, {
        ...(update ? { update } : {}),
        ...(mode ? { mode: mode as 'createOrUpdate' | 'createOnly' | 'updateOnly' } : {}),
      });
      results.push({ name });
      if (!ctx.json) ctx.streams.out.write(`${name}: written\n`);
    } catch (e) {
      failed++;
      results.push({ name, error: { code: (e as { code?: unknown }).code, message: (e as Error).message } });
      ctx.streams.err.write(`wmi-put class put: ${name}: ${describeError(e)}\n`);
    }
  }
  if (ctx.json) ctx.streams.out.write(`${toJson({ classes: results, written: defs.length - failed, failed })}\n`);
  return failed > 0 ? 1 : 0;
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
    { name: 'update', kind: 'string', values: ['compatible', 'safe', 'force'], arg: 'mode', help: 'class put: compatible (default), safe or force' },
    { name: 'mode', kind: 'string', values: ['createOrUpdate', 'createOnly', 'updateOnly'], arg: 'mode', help: 'class put: createOrUpdate (default), createOnly or updateOnly' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const name = args.positionals[0] as string;
    const file = stringOption(args, 'file');
    if (name === 'put' && file !== undefined) {
      return putClasses(ctx, file, stringOption(args, 'update') as UpdateMode | undefined, stringOption(args, 'mode'));
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
