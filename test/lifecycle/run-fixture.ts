// Runs one fixture script of test/lifecycle/fixtures in a child `node` and
// returns what it did. The child inherits the environment, so under
// `npm run test:asan` / `test:tsan` it runs with the same LD_PRELOAD,
// sanitizer options and WMI_PUT_ADDON_PATH as the suite.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

// dist/test/lifecycle -> the repository root.
export const root = path.resolve(__dirname, '..', '..', '..');
export const fixtures = path.join(root, 'test', 'lifecycle', 'fixtures');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time until the child exited. */
  ms: number;
}

export interface RunOptions {
  nodeArgs?: string[];
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** The child is killed (and the run fails) after this long. */
  timeoutMs?: number;
}

/** Scales timeouts under sanitizers, which slow the child down. */
export const slowdown = process.env.LD_PRELOAD?.includes('tsan') ? 6 : process.env.LD_PRELOAD?.includes('asan') ? 3 : 1;

export function runFixture(name: string, options: RunOptions = {}): Promise<ChildResult> {
  const started = Date.now();
  const timeoutMs = (options.timeoutMs ?? 60_000) * slowdown;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(fixtures, name), ...(options.args ?? [])], {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not exit within ${timeoutMs} ms (it should exit on its own)\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const sanitizerReport =
  /ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer|ThreadSanitizer: |runtime error: |SUMMARY: (AddressSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)/;

/** No sanitizer (ASan, LSan, UBSan, TSan) report anywhere in `stderr`. */
export function assertNoSanitizerReport(r: ChildResult): void {
  const m = sanitizerReport.exec(r.stderr);
  assert.equal(m, null, `sanitizer report on the child's stderr:\n${r.stderr}`);
}

/** Exit code `code`, no signal, no sanitizer report. */
export function assertExit(r: ChildResult, code: number): void {
  assertNoSanitizerReport(r);
  assert.equal(r.signal, null, `killed by ${r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  assert.equal(r.code, code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
}

/** The stdout lines of the child. */
export function lines(r: ChildResult): string[] {
  return r.stdout.split('\n').filter((l) => l !== '');
}
