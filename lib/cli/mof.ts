// `wmi-put mof <files...>`: compiles MOF into the CLI's repository (or WMI).
// Same options, output and exit codes as lib/mof/cli.ts' mofCommand, which
// cannot be called directly because it always connects to the process-wide
// default repository, not the --repository file.
import { compileMof } from '../mof/compile';
import { formatDiagnostic, MofError } from '../mof/diagnostics';
import { flag, intOption, type Command } from './command';
import type { Context } from './context';
import { toJson } from './output';
import { Progress } from './progress';

export interface MofRunOptions {
  namespace: string;
  includePaths: string[];
  dryRun: boolean;
  strict: boolean;
  concurrency: number;
  quiet?: boolean;
}

/** Compiles `files`; prints diagnostics and a summary. Exit code 0, 1 (some puts failed) or 2 (MOF errors). */
export async function runMof(ctx: Context, files: string[], options: MofRunOptions): Promise<number> {
  const { out, err } = ctx.streams;
  const conn = await ctx.connect(options.namespace);
  const progress = new Progress(err, { tty: err.isTTY === true, label: 'objects', quiet: options.quiet === true });
  let failed = 0;
  try {
    const s = await compileMof(files, {
      connection: conn,
      connect: (ns) => ctx.connect(ns),
      dryRun: options.dryRun,
      strict: options.strict,
      includePaths: options.includePaths,
      concurrency: options.concurrency,
      onProgress: (p) => {
        if (!p.ok) failed++;
        progress.update(p.done, failed);
      },
    });
    progress.finish();
    for (const w of s.warnings) err.write(`${formatDiagnostic(w).replace(': error: ', ': warning: ')}\n`);
    for (const e of s.errors) err.write(`${formatDiagnostic(e)}\n`);
    if (ctx.json) {
      out.write(
        `${toJson({
          files: s.files,
          dryRun: s.dryRun,
          planned: s.planned,
          classes: s.classes,
          instances: s.instances,
          deletes: s.deletes,
          errors: s.errors,
          warnings: s.warnings,
        })}\n`,
      );
    } else {
      const c = s.classes;
      const n = s.instances;
      out.write(
        s.dryRun
          ? `checked ${s.files.length} file(s): ${s.planned.classes} classes, ${s.planned.instances} instances (dry run, nothing written)\n`
          : `classes: ${c.created} created, ${c.updated} updated, ${c.failed} failed; ` +
              `instances: ${n.created} created, ${n.updated} updated, ${n.failed} failed\n`,
      );
    }
    return s.errors.length > 0 ? 1 : 0;
  } catch (e) {
    progress.finish();
    if (e instanceof MofError) {
      err.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

export const mofCommand: Command = {
  name: 'mof',
  summary: 'compile MOF files (classes, instances, pragmas) into the repository',
  synopsis: '<file.mof...>',
  details: `As mofcomp: objects go to root\\default unless --namespace or a #pragma namespace says
otherwise. Syntax and check errors are printed as file:line:column and nothing is written (exit
code 2); failed puts are printed the same way (exit code 1). See docs/mof.md.`,
  options: [
    { name: 'include', short: 'I', kind: 'string', repeat: true, arg: 'dir', help: 'also look for #pragma include files in <dir>' },
    { name: 'dry-run', kind: 'flag', help: 'parse and check only; write nothing' },
    { name: 'strict', kind: 'flag', help: 'reject undeclared qualifiers and overrides of unknown elements' },
    { name: 'concurrency', kind: 'int', arg: 'n', help: 'puts in flight (default 32)' },
    { name: 'no-progress', kind: 'flag', help: 'print no progress' },
  ],
  minArgs: 1,
  maxArgs: Infinity,
  run(ctx, args) {
    return runMof(ctx, args.positionals, {
      namespace: ctx.options.namespaceGiven ? ctx.options.namespace : 'root\\default',
      includePaths: args.lists.get('include') ?? [],
      dryRun: flag(args, 'dry-run'),
      strict: flag(args, 'strict'),
      concurrency: intOption(args, 'concurrency') ?? 32,
      quiet: flag(args, 'no-progress'),
    });
  },
};
