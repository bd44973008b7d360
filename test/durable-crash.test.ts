// Crash test of durable repositories (issue #9 item 2): a child process
// writes continuously to a repository file, logging every write whose
// success was delivered (to a file, one write(2) per line: see
// fixtures/durable-writer.mjs); it is killed with SIGKILL at random moments, at
// least 20 times. After each kill the repository reopens and must hold every
// acknowledged put (and none of the acknowledged deletes), and be consistent:
// every instance reads back with all its values, enumeration agrees with
// getObject, and the class definition is intact.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { connect, createRepository } from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';

checkLeaksAtEnd();

const root = path.resolve(__dirname, '..', '..');
const writer = path.join(root, 'test', 'fixtures', 'durable-writer.mjs');
const model = path.join(root, 'test', 'fixtures', 'durable-model.mjs');
const kills = Number(process.env.WMI_PUT_CRASH_KILLS ?? 24);

interface RunResult {
  puts: number[];
  deletes: number[];
  deleting: number[];
  ready: boolean;
}

// Runs the writer until a random moment, then SIGKILLs it.
function runAndKill(file: string, firstId: number, killAfterMs: number, afterReady: boolean): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const logFile = `${file}.${firstId}.log`;
    fs.writeFileSync(logFile, '');
    const child = spawn(process.execPath, [writer, file, String(firstId), logFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    };
    if (!afterReady) arm();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!ready && out.includes('ready\n')) {
        ready = true;
        if (afterReady) arm();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited by itself (code ${code}, signal ${signal}): ${err}`));
        return;
      }
      // Only complete lines count: a line cut by the kill was never acknowledged.
      const log = fs.readFileSync(logFile, 'utf8');
      fs.rmSync(logFile);
      const lines = log.slice(0, log.lastIndexOf('\n') + 1).split('\n');
      const puts: number[] = [];
      const deletes: number[] = [];
      const deleting: number[] = [];
      for (const line of lines) {
        if (line.startsWith('P ')) puts.push(Number(line.slice(2)));
        else if (line.startsWith('D ')) deletes.push(Number(line.slice(2)));
        else if (line.startsWith('d ')) deleting.push(Number(line.slice(2)));
      }
      resolve({ puts, deletes, deleting, ready });
    });
  });
}

test(`durable repository: ${kills} SIGKILLs of a writer lose no acknowledged write and leave no half-written object`, {
  skip: process.platform === 'win32' ? 'SIGKILL and synchronous pipes: POSIX only (storage tests cover Windows file handling)' : false,
  timeout: 10 * 60 * 1000,
}, async () => {
  const { crashClass, crashValues } = (await import(pathToFileURL(model).href)) as {
    crashClass: { name: string; properties: Record<string, unknown> };
    crashValues: (id: number) => Record<string, unknown>;
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wmiput-crash-'));
  const file = path.join(dir, 'repo.wpr');
  const acked = new Set<number>();
  const deleted = new Set<number>();
  const maybeDeleted = new Set<number>(); // a delete was sent, its outcome unknown
  let totalPuts = 0;
  let readyRuns = 0;
  try {
    for (let run = 0; run < kills; run++) {
      // Mostly while writing; every fourth run early (during open and replay).
      const early = run % 4 === 3;
      const killAfter = early ? 20 + Math.floor(Math.random() * 200) : 50 + Math.floor(Math.random() * 450);
      const r = await runAndKill(file, (run + 1) * 1_000_000, killAfter, !early);
      if (r.ready) readyRuns++;
      for (const id of r.puts) acked.add(id);
      for (const id of r.deleting) maybeDeleted.add(id);
      for (const id of r.deletes) {
        assert.ok(acked.has(id), `run ${run}: delete of ${id} acknowledged before its put`);
        deleted.add(id);
      }
      totalPuts += r.puts.length;

      // Reopen and check.
      const repo = createRepository({ path: file });
      const conn = await connect({ backend: 'embedded', namespace: 'root/default', repository: repo });
      try {
        const cls = await conn.getClass('Crash_Item');
        assert.deepEqual(Object.keys(cls.properties ?? {}).sort(), Object.keys(crashClass.properties).sort(), `run ${run}: class properties`);
        assert.equal(cls.qualifiers?.Description, 'crash test item');
        const present = new Map<number, Record<string, unknown>>();
        for await (const obj of conn.enumerateInstances('Crash_Item')) {
          const o = obj as Record<string, unknown>;
          const id = o.Id as number;
          const expected = crashValues(id);
          for (const [k, v] of Object.entries(expected)) {
            assert.deepEqual(o[k], v, `run ${run}: instance ${id} property ${k}`);
          }
          assert.ok(!present.has(id), `run ${run}: instance ${id} enumerated twice`);
          present.set(id, o);
        }
        for (const id of acked) {
          if (deleted.has(id)) assert.ok(!present.has(id), `run ${run}: acknowledged delete of ${id} was lost`);
          else if (!maybeDeleted.has(id)) assert.ok(present.has(id), `run ${run}: acknowledged put of ${id} was lost`);
        }
        // Enumeration agrees with getObject (a sample of each run's ids).
        const ids = [...present.keys()];
        for (let k = 0; k < Math.min(40, ids.length); k++) {
          const id = ids[Math.floor(Math.random() * ids.length)] as number;
          const got = (await conn.getObject(`Crash_Item.Id=${id}`)) as Record<string, unknown>;
          for (const key of Object.keys(crashClass.properties)) assert.deepEqual(got[key], present.get(id)?.[key], `run ${run}: getObject ${id}.${key}`);
        }
      } finally {
        await conn.close();
        repo.close();
      }
    }
    assert.ok(readyRuns >= kills / 2, `the writer got going in ${readyRuns} runs`);
    assert.ok(totalPuts > kills * 20, `only ${totalPuts} acknowledged puts over ${kills} runs`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
