// compileMof: MOF files or text -> checks -> puts through the public API
// (putClass / putInstance / deleteClass / deleteInstance), classes before
// instances, classes of the same dependency level in parallel (bounded).
import * as fs from 'node:fs';
import { connect, type Connection } from '../connection';
import { isWbemError } from '../errors';
import type { ClassDefinition } from '../types';
import { checkMof, type MofPlan, type PlannedClass, type PlannedInstance } from './check';
import { MofError, type MofDiagnostic, type SourceTexts } from './diagnostics';
import { loadMof, type MofInput, type RecordedPragmas } from './source';

export type { MofInput } from './source';

export interface MofProgress {
  phase: 'classes' | 'instances' | 'deletes';
  /** Puts and deletes finished so far (all phases). */
  done: number;
  total: number;
  /** The class name or instance path just finished. */
  name: string;
  ok: boolean;
}

export interface CompileMofOptions {
  /** Where to write; objects go to its namespace unless `namespace` or a namespace pragma says otherwise. */
  connection: Connection;
  /** Namespace before any `#pragma namespace` (default: the connection's). */
  namespace?: string;
  /** Parse and check (with class lookups on the server) but write nothing. */
  dryRun?: boolean;
  /** Reject undeclared qualifiers, `Override` of unknown elements and references to unknown classes. */
  strict?: boolean;
  onProgress?: (progress: MofProgress) => void;
  /** Extra directories for `#pragma include` after the including file's own directory. */
  includePaths?: readonly string[];
  /** Directory for includes of text inputs (default: the current directory). */
  baseDir?: string;
  /** Puts in flight at once (default 32). */
  concurrency?: number;
  /** Opens another namespace (default: connect() with the connection's backend and repository). */
  connect?: (namespace: string) => Promise<Connection>;
}

export interface MofCounts {
  created: number;
  updated: number;
  failed: number;
}

export interface MofCompileSummary {
  classes: MofCounts;
  instances: MofCounts & { valueOnly: number };
  deletes: { done: number; failed: number };
  /** Put failures (each with its file:line:column and WBEM code); empty when everything was written. */
  errors: MofDiagnostic[];
  warnings: MofDiagnostic[];
  files: string[];
  pragmas: RecordedPragmas;
  dryRun: boolean;
  /** What the unit holds (also filled in a dry run). */
  planned: { classes: number; instances: number; deletes: number };
}

const lower = (s: string): string => s.toLowerCase();
const key = (ns: string, name: string): string => `${lower(ns)}|${lower(name)}`;

function looksLikeText(s: string): boolean {
  return /[\n{};]/.test(s) || (!fs.existsSync(s) && /\b(class|instance|qualifier)\b|#pragma/i.test(s));
}

function toInputs(source: MofInput | readonly MofInput[]): MofInput[] {
  const list = Array.isArray(source) ? [...(source as readonly MofInput[])] : [source as MofInput];
  return list.map((s) => (typeof s === 'string' && looksLikeText(s) ? { text: s } : s));
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function describeError(e: unknown): { code?: string; message: string } {
  if (isWbemError(e)) return { code: e.code, message: e.message };
  return { message: e instanceof Error ? e.message : String(e) };
}

/**
 * Compiles MOF into the connection's namespace (and the namespaces its
 * pragmas name). Rejects with MofError (nothing written) when the MOF does not
 * parse or check; otherwise resolves with what was written, put failures
 * included in `errors`.
 */
export async function compileMof(
  source: MofInput | readonly MofInput[],
  options: CompileMofOptions,
): Promise<MofCompileSummary> {
  const conn = options.connection;
  if (!conn || typeof conn.putClass !== 'function') throw new TypeError('compileMof: options.connection must be a Connection');
  const baseNamespace = (options.namespace ?? conn.namespace).replace(/\//g, '\\');
  const loadOptions: Parameters<typeof loadMof>[1] = { namespace: baseNamespace };
  if (options.includePaths) loadOptions.includePaths = options.includePaths;
  if (options.baseDir !== undefined) loadOptions.baseDir = options.baseDir;
  const unit = loadMof(toInputs(source), loadOptions);

  // Connections per namespace (lower case), opened on first use.
  const connections = new Map<string, Promise<Connection>>();
  const opened: Connection[] = [];
  const open = (ns: string): Promise<Connection> => {
    if (lower(ns) === lower(conn.namespace)) return Promise.resolve(conn);
    let p = connections.get(lower(ns));
    if (!p) {
      p = options.connect
        ? options.connect(ns)
        : connect({
            backend: conn.backend,
            namespace: ns,
            ...(conn.repository !== undefined ? { repository: conn.repository } : {}),
          });
      p.then((c) => {
        if (!options.connect) opened.push(c);
      }, () => undefined);
      connections.set(lower(ns), p);
    }
    return p;
  };

  const lookups = new Map<string, Promise<ClassDefinition | null>>();
  const lookup = (ns: string, name: string): Promise<ClassDefinition | null> => {
    const k = key(ns, name);
    let p = lookups.get(k);
    if (!p) {
      p = (async () => {
        let c: Connection;
        try {
          c = await open(ns);
        } catch (e) {
          if (isWbemError(e) && e.code === 'WBEM_E_INVALID_NAMESPACE') {
            // A namespace this MOF creates: only the system classes exist there.
            if (name.startsWith('__')) return lookup(conn.namespace, name);
            return null;
          }
          throw e;
        }
        try {
          return await c.getClass(name);
        } catch (e) {
          if (isWbemError(e) && (e.code === 'WBEM_E_NOT_FOUND' || e.code === 'WBEM_E_INVALID_CLASS')) return null;
          throw e;
        }
      })();
      lookups.set(k, p);
    }
    return p;
  };

  try {
    const plan = await checkMof(unit.items, unit.texts, lookup, { strict: options.strict === true });
    // Namespace connections opened for lookups of namespaces that do not exist yet are retried later.
    for (const [k, p] of connections) {
      p.catch(() => connections.delete(k));
    }
    const summary: MofCompileSummary = {
      classes: { created: 0, updated: 0, failed: 0 },
      instances: { created: 0, updated: 0, failed: 0, valueOnly: plan.valueOnly },
      deletes: { done: 0, failed: 0 },
      errors: [],
      warnings: plan.warnings,
      files: unit.files,
      pragmas: unit.pragmas,
      dryRun: options.dryRun === true,
      planned: { classes: plan.classes.length, instances: plan.instances.length, deletes: plan.deletes.length },
    };
    if (options.dryRun) return summary;
    await execute(plan, summary, unit.texts, open, options);
    return summary;
  } finally {
    for (const c of opened) c.close();
  }
}

async function execute(
  plan: MofPlan,
  summary: MofCompileSummary,
  texts: SourceTexts,
  open: (ns: string) => Promise<Connection>,
  options: CompileMofOptions,
): Promise<void> {
  const limit = Math.max(1, options.concurrency ?? 32);
  const total = plan.classes.length + plan.instances.length + plan.deletes.length;
  let done = 0;
  const progress = (phase: MofProgress['phase'], name: string, ok: boolean): void => {
    done++;
    options.onProgress?.({ phase, done, total, name, ok });
  };
  const failedClasses = new Set<string>();
  const fail = (loc: PlannedClass['loc'], what: string, e: unknown): void => {
    const { code, message } = describeError(e);
    summary.errors.push(texts.diagnostic(loc, `${what}: ${code ? `${code}: ` : ''}${message}`, code));
  };

  const putClass = async (pc: PlannedClass): Promise<void> => {
    const name = pc.definition.name;
    const blocked = pc.dependsOn.find((d) => failedClasses.has(d));
    if (blocked !== undefined) {
      failedClasses.add(key(pc.namespace, name));
      summary.classes.failed++;
      summary.errors.push(texts.diagnostic(pc.loc, `class '${name}' not written: class '${blocked.split('|')[1]}' it needs failed`));
      progress('classes', name, false);
      return;
    }
    try {
      const c = await open(pc.namespace);
      const amended = pc.amended ? { amendedQualifiers: true } : {};
      const update = pc.update ? { update: pc.update } : {};
      if (pc.mode === 'createOnly') {
        await c.putClass(pc.definition, { mode: 'createOnly', ...amended });
        summary.classes.created++;
      } else if (pc.mode === 'updateOnly') {
        await c.putClass(pc.definition, { mode: 'updateOnly', ...update, ...amended });
        summary.classes.updated++;
      } else {
        try {
          await c.putClass(pc.definition, { mode: 'createOnly', ...amended });
          summary.classes.created++;
        } catch (e) {
          if (!(isWbemError(e) && e.code === 'WBEM_E_ALREADY_EXISTS')) throw e;
          await c.putClass(pc.definition, { mode: 'updateOnly', ...update, ...amended });
          summary.classes.updated++;
        }
      }
      progress('classes', name, true);
    } catch (e) {
      failedClasses.add(key(pc.namespace, name));
      summary.classes.failed++;
      fail(pc.loc, `putClass '${name}' in '${pc.namespace}' failed`, e);
      progress('classes', name, false);
    }
  };

  const putInstance = async (pi: PlannedInstance): Promise<void> => {
    const label = pi.path ?? pi.className;
    if (failedClasses.has(key(pi.namespace, pi.className))) {
      summary.instances.failed++;
      summary.errors.push(texts.diagnostic(pi.loc, `instance of '${pi.className}' not written: its class failed`));
      progress('instances', label, false);
      return;
    }
    try {
      const c = await open(pi.namespace);
      const amended = pi.amended ? { amendedQualifiers: true } : {};
      if (pi.mode !== 'createOrUpdate') {
        await c.putInstance(pi.className, pi.properties, { mode: pi.mode, ...amended });
        if (pi.mode === 'createOnly') summary.instances.created++;
        else summary.instances.updated++;
      } else {
        try {
          await c.putInstance(pi.className, pi.properties, { mode: 'createOnly', ...amended });
          summary.instances.created++;
        } catch (e) {
          if (!(isWbemError(e) && e.code === 'WBEM_E_ALREADY_EXISTS')) throw e;
          await c.putInstance(pi.className, pi.properties, { mode: 'updateOnly', ...amended });
          summary.instances.updated++;
        }
      }
      progress('instances', label, true);
    } catch (e) {
      summary.instances.failed++;
      fail(pi.loc, `putInstance of '${pi.className}'${pi.path ? ` (${pi.path})` : ''} in '${pi.namespace}' failed`, e);
      progress('instances', label, false);
    }
  };

  for (let seg = 0; seg < plan.segments; seg++) {
    // Namespaces first: classes and instances of this segment may live in them.
    for (const pi of plan.instances) if (pi.segment === seg && pi.createsNamespace) await putInstance(pi);
    const classes = plan.classes.filter((pc) => pc.segment === seg);
    const levels = [...new Set(classes.map((pc) => pc.level))].sort((a, b) => a - b);
    for (const lv of levels) await pool(classes.filter((pc) => pc.level === lv), limit, putClass);
    const instances = plan.instances.filter((pi) => pi.segment === seg && !pi.createsNamespace);
    await pool(instances, limit, putInstance);
    for (const d of plan.deletes.filter((x) => x.segment === seg)) {
      try {
        const c = await open(d.namespace);
        if (d.kind === 'class') await c.deleteClass(d.target);
        else await c.deleteInstance(d.target);
        summary.deletes.done++;
        progress('deletes', d.target, true);
      } catch (e) {
        const notFound = isWbemError(e) && (e.code === 'WBEM_E_NOT_FOUND' || e.code === 'WBEM_E_INVALID_CLASS');
        if (notFound && !d.fail) {
          summary.deletes.done++;
          progress('deletes', d.target, true);
          continue;
        }
        summary.deletes.failed++;
        fail(d.loc, `#pragma delete${d.kind} '${d.target}' failed`, e);
        progress('deletes', d.target, false);
        if (d.fail) return; // FAIL: stop the compilation here, as mofcomp does
      }
    }
  }
}

export { MofError };
