// `wmi-put mof <files...>`: compile MOF files (the CLI entry calls mofCommand).
// Exit codes: 0 everything written, 1 some puts failed, 2 usage, syntax or
// check errors (nothing written).
import { connect, type Connection } from '../connection';
import { isWbemError } from '../errors';
import { compileMof, type MofProgress } from './compile';
import { formatDiagnostic, MofError } from './diagnostics';

const usage = `usage: wmi-put mof [options] <file.mof...>
  -n, --namespace <ns>   namespace before any #pragma namespace (default root\\default, as mofcomp)
  -I, --include <dir>    also look for #pragma include files in <dir>
      --backend <b>      auto (default), wmi or embedded
      --dry-run          parse and check only; write nothing
      --strict           reject undeclared qualifiers and overrides of unknown elements
      --concurrency <n>  puts in flight (default 32)
  -h, --help`;

interface Streams {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream;
}

export async function mofCommand(argv: string[], streams: Streams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const { out, err } = streams;
  const files: string[] = [];
  const includePaths: string[] = [];
  let namespace = 'root\\default';
  let backend: 'auto' | 'wmi' | 'embedded' = 'auto';
  let dryRun = false;
  let strict = false;
  let concurrency = 32;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case '-h':
      case '--help':
        out.write(`${usage}\n`);
        return 0;
      case '-n':
      case '--namespace': {
        const v = next();
        if (!v) return fail(`${a} needs a namespace`);
        namespace = v;
        break;
      }
      case '-I':
      case '--include': {
        const v = next();
        if (!v) return fail(`${a} needs a directory`);
        includePaths.push(v);
        break;
      }
      case '--backend': {
        const v = next();
        if (v !== 'auto' && v !== 'wmi' && v !== 'embedded') return fail('--backend must be auto, wmi or embedded');
        backend = v;
        break;
      }
      case '--dry-run':
        dryRun = true;
        break;
      case '--strict':
        strict = true;
        break;
      case '--concurrency': {
        const v = Number(next());
        if (!Number.isInteger(v) || v < 1) return fail('--concurrency needs a positive integer');
        concurrency = v;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') return fail(`unknown option ${a}`);
        files.push(a);
    }
  }
  if (files.length === 0) return fail('no MOF files given');

  function fail(message: string): number {
    err.write(`wmi-put mof: ${message}\n${usage}\n`);
    return 2;
  }

  let conn: Connection;
  try {
    conn = await connect({ backend, namespace });
  } catch (e) {
    err.write(`wmi-put mof: cannot connect to ${namespace}: ${isWbemError(e) ? `${e.code}: ` : ''}${(e as Error).message}\n`);
    return 2;
  }
  const tty = out.isTTY === true;
  let lastDecile = -1;
  let lastDraw = 0;
  const onProgress = (p: MofProgress): void => {
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 50 && p.done !== p.total) return;
      lastDraw = now;
      const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 40));
      const filled = Math.round((p.done / Math.max(1, p.total)) * width);
      out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.phase}\x1b[K`);
      if (p.done === p.total) out.write('\n');
    } else {
      const decile = Math.floor((p.done * 10) / Math.max(1, p.total));
      if (decile !== lastDecile) {
        lastDecile = decile;
        out.write(`${p.done}/${p.total} ${p.phase}\n`);
      }
    }
  };
  try {
    const s = await compileMof(files, { connection: conn, dryRun, strict, includePaths, concurrency, onProgress });
    for (const w of s.warnings) err.write(`${formatDiagnostic(w).replace(': error: ', ': warning: ')}\n`);
    for (const e of s.errors) err.write(`${formatDiagnostic(e)}\n`);
    const c = s.classes;
    const n = s.instances;
    out.write(
      dryRun
        ? `checked ${s.files.length} file(s): ${s.planned.classes} classes, ${s.planned.instances} instances (dry run, nothing written)\n`
        : `classes: ${c.created} created, ${c.updated} updated, ${c.failed} failed; ` +
            `instances: ${n.created} created, ${n.updated} updated, ${n.failed} failed\n`,
    );
    return s.errors.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof MofError) {
      err.write(`${e.message}\n`);
      return 2;
    }
    err.write(`wmi-put mof: ${isWbemError(e) ? `${e.code}: ` : ''}${(e as Error).message}\n`);
    return 1;
  } finally {
    conn.close();
  }
}
