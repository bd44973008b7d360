// `wmi-put put <class> --file <items>`: streams NDJSON / a JSON array into
// putMany, with progress, and reports every failed item with its line.
import { WbemError, isWbemError } from '../errors';
import type { UpdateMode } from '../flags';
import type { PutManyItem } from '../put-many';
import type { InstanceProperties } from '../types';
import { defineClasses } from './class';
import { UsageError, flag, intOption, modeOption, stringOption, updateOption, type Command } from './command';
import { countRecords, readRecords } from './input';
import { describeError, errorToJson, toJson } from './output';
import { Progress, formatCount } from './progress';

/** At most this many errors go into the --json summary (all are printed on stderr). */
const jsonErrorLimit = 1000;

function invalidItem(message: string): WbemError {
  return WbemError.fromStatus('WBEM_E_INVALID_PARAMETER', { message });
}

/** An input object as instance properties: system properties (`__*`) are dropped. */
function toProperties(value: unknown): InstanceProperties | WbemError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidItem('the item is not a JSON object');
  const props: InstanceProperties = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!k.startsWith('__')) props[k] = v as InstanceProperties[string];
  }
  return props;
}

export const putCommand: Command = {
  name: 'put',
  summary: 'write instances of a class from an NDJSON or JSON file',
  synopsis: '<class> --file <items.ndjson|items.json|->',
  details: `Input: NDJSON (one JSON object of property values per line; blank lines are skipped) or a JSON
array of such objects (detected by a leading '['); '-' reads stdin. The file is streamed, never
read whole. Values: JSON numbers, strings, booleans, null, arrays; sint64/uint64 as JSON numbers
(read exactly, even beyond 2^53) or decimal strings; datetimes as DMTF strings
('20240131235959.000000+000'); references as object path strings; embedded objects as
{"__CLASS": "X", ...}. --define first writes classes (a JSON ClassDefinition or an array of them, as
'class --json' prints, or a .mof file), so one command can define a class and fill it. Top-level properties named __* (system properties, e.g. from
'instances --json') are ignored.
Every failed item is printed on stderr as <file>:<line>: <WBEM code> (<hresult>): <description>.
Progress goes to stderr: a bar on a terminal, a line every 2 s otherwise.
Exit code 0 when every item was written, 1 when some failed.`,
  options: [
    { name: 'file', short: 'f', kind: 'string', arg: 'path', help: 'the items (required)' },
    { ...modeOption, help: 'createOrUpdate (default), createOnly or updateOnly' },
    { name: 'concurrency', short: 'c', kind: 'int', arg: 'n', help: 'puts in flight (default 128)' },
    { name: 'define', short: 'd', kind: 'string', arg: 'file', help: 'first write the class definitions of this .json or .mof file' },
    { ...updateOption, help: 'with --define: how a changed class is updated (default compatible)' },
    { name: 'no-progress', kind: 'flag', help: 'print no progress' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(ctx, args) {
    const className = args.positionals[0] as string;
    const file = stringOption(args, 'file');
    if (file === undefined) throw new UsageError('missing --file <path>', 'put');
    const mode = stringOption(args, 'mode') as PutManyItem['mode'];
    const concurrency = intOption(args, 'concurrency') ?? 128;
    if (concurrency < 1) throw new UsageError('--concurrency must be at least 1', 'put');
    const define = stringOption(args, 'define');
    if (define === undefined && args.options.has('update')) throw new UsageError('--update goes with --define', 'put');
    const { out, err } = ctx.streams;

    let total: number | undefined;
    try {
      total = await countRecords(file);
    } catch (e) {
      err.write(`wmi-put put: cannot read ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    if (define !== undefined) {
      const defined = await defineClasses(ctx, define, { update: stringOption(args, 'update') as UpdateMode | undefined, who: 'put' });
      if (!defined || defined.failed > 0) return 1;
    }
    const conn = await ctx.connect();
    try {
      await conn.getClass(className);
    } catch (e) {
      err.write(`wmi-put put: class ${className}: ${describeError(e)}\n`);
      return 1;
    }

    const progress = new Progress(err, {
      total,
      tty: err.isTTY === true,
      label: 'items',
      quiet: flag(args, 'no-progress'),
    });
    const lines = new Map<number, number>();
    const errors: Record<string, unknown>[] = [];
    let written = 0;
    let failed = 0;
    const displayName = file === '-' ? 'stdin' : file;
    const report = (line: number, error: unknown): void => {
      failed++;
      progress.log(`${displayName}:${line}: ${describeError(error)}`);
      if (errors.length < jsonErrorLimit) errors.push({ line, ...errorToJson(error) });
      progress.update(written + failed, failed);
    };

    let index = 0;
    let readError: Error | undefined;
    async function* items(): AsyncGenerator<PutManyItem> {
      try {
        for await (const record of readRecords(file as string)) {
          if (record.error !== undefined) {
            report(record.line, invalidItem(record.error));
            continue;
          }
          const properties = toProperties(record.value);
          if (properties instanceof WbemError) {
            report(record.line, properties);
            continue;
          }
          lines.set(index++, record.line);
          yield { className, properties };
        }
      } catch (e) {
        // An unreadable file ends the input; what was read is still written.
        readError = e as Error;
      }
    }

    const abort = new AbortController();
    const onSigint = (): void => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    let interrupted = false;
    try {
      for await (const r of conn.putMany(items(), { concurrency, signal: abort.signal, ...(mode ? { mode } : {}) })) {
        const line = lines.get(r.index) ?? 0;
        lines.delete(r.index);
        if (r.error) report(line, r.error);
        else {
          written++;
          progress.update(written + failed, failed);
        }
      }
    } catch (e) {
      if (!(abort.signal.aborted && isWbemError(e, 'WBEM_E_CALL_CANCELLED'))) throw e;
      interrupted = true;
    } finally {
      process.removeListener('SIGINT', onSigint);
      progress.finish();
    }
    if (readError) err.write(`wmi-put put: reading ${file} failed: ${readError.message}\n`);

    const seconds = progress.elapsedSeconds;
    if (ctx.json) {
      out.write(
        `${toJson({
          class: className,
          namespace: conn.namespace,
          written,
          failed,
          interrupted,
          seconds: Number(seconds.toFixed(3)),
          errors,
          errorsOmitted: failed - errors.length,
        })}\n`,
      );
    } else {
      const rate = (written + failed) / Math.max(seconds, 1e-3);
      out.write(
        `${className}: ${written} written, ${failed} failed${interrupted ? ' (interrupted)' : ''}` +
          ` in ${seconds.toFixed(2)} s (${formatCount(rate)}/s)\n`,
      );
    }
    if (interrupted) return 130;
    return failed > 0 || readError ? 1 : 0;
  },
};
