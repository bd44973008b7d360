// Durable repositories through the public API (issue #9 items 1 and 3):
// createRepository({ path }) / connect({ repository: path }), reopen round
// trips of every CIM type, class hierarchies, qualifiers and namespaces, the
// torn tail, damage in the middle, the lock against a second process, close().
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { connect, createRepository, isWbemError, type ClassDefinition, type Connection, type Repository } from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';
import { scalarTypes, throwsWith } from './suite/helpers';

checkLeaksAtEnd();

const root = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wmiput-durable-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let serial = 0;
const fresh = (): string => path.join(tmp, `repo-${++serial}.wpr`);

async function withConn<T>(repo: Repository | string, ns: string, body: (c: Connection) => Promise<T>): Promise<T> {
  const conn = await connect({ backend: 'embedded', namespace: ns, repository: repo });
  try {
    return await body(conn);
  } finally {
    await conn.close();
  }
}

function valuesClass(): ClassDefinition {
  const properties: ClassDefinition['properties'] = { Name: { type: 'string', key: true } };
  for (const [name, type] of Object.entries(scalarTypes)) {
    properties[name] = { type };
    properties[`A${name}`] = { type, array: true };
  }
  properties.Ref = { type: 'reference' };
  properties.Obj = { type: 'object' };
  properties.AObj = { type: 'object', array: true };
  return { name: 'Durable_Values', qualifiers: { Description: 'all types' }, properties };
}
const Inner: ClassDefinition = { name: 'Durable_Inner', properties: { X: { type: 'sint32' }, Nested: { type: 'object' } } };
const values = {
  Name: 'v1',
  S8: -128, U8: 255, S16: -32768, U16: 65535, S32: -2147483648, U32: 4294967295,
  S64: -9223372036854775808n, U64: 18446744073709551615n, R32: 1.5, R64: -1e300, B: true,
  Str: 'ü \0 "q" \\', C16: 'A', Dt: '20240131235959.123456-300',
  AS8: [-1, 1], AU8: [0, 255], AS16: [-2, 2], AU16: [65535], AS32: [7], AU32: [0, 1], AS64: [1n, -1n], AU64: [0n],
  AR32: [0.5], AR64: [0.1, 2], AB: [false, true], AStr: ['a', '', 'ü'], AC16: ['B'], ADt: ['19980416******.000000+***'],
  Ref: String.raw`Durable_Values.Name="a\\b"`,
  Obj: { __CLASS: 'Durable_Inner', X: 1, Nested: { __CLASS: 'Durable_Inner', X: 2 } },
  AObj: [{ __CLASS: 'Durable_Inner', X: 3 }],
};
const Base: ClassDefinition = {
  name: 'Durable_Base',
  qualifiers: { Abstract: true, Description: 'base' },
  properties: { Id: { type: 'string', key: true }, Size: { type: 'uint32', default: 7, qualifiers: { Units: 'KB' } } },
};
const Leaf: ClassDefinition = {
  name: 'Durable_Leaf',
  superclass: 'Durable_Base',
  properties: { Color: { type: 'string', qualifiers: { Values: ['red', 'green'] } }, Size: { type: 'uint32', default: 9 } },
};

async function snapshot(repo: Repository | string): Promise<unknown> {
  return withConn(repo, 'root/cimv2', async (c) => {
    const classes: unknown[] = [];
    for (const name of ['Durable_Inner', 'Durable_Values', 'Durable_Base', 'Durable_Leaf']) classes.push(await c.getClass(name));
    const objects: unknown[] = [await c.getObject('Durable_Values.Name="v1"'), await c.getObject('Durable_Leaf.Id="a"')];
    const leaves: unknown[] = [];
    for await (const o of c.enumerateInstances('Durable_Base')) leaves.push(o);
    const child = await withConn(repo, 'root/cimv2/durable_child', async (cc) => cc.getObject('Durable_Here.K=1'));
    return { classes, objects, leaves, child };
  });
}

describe('durable repository', () => {
  it('reopens with every CIM type, hierarchies, qualifiers and namespaces intact', async () => {
    const file = fresh();
    const repo = createRepository({ path: file });
    assert.equal(repo.path, path.resolve(file));
    assert.equal(createRepository({ path: file }), repo, 'same path, same open repository');
    await withConn(repo, 'root/cimv2', async (c) => {
      await c.putClass(Inner);
      await c.putClass(valuesClass());
      assert.equal(await c.putInstance('Durable_Values', values), 'Durable_Values.Name="v1"');
      await c.putClass(Base);
      await c.putClass(Leaf);
      await c.putInstance('Durable_Leaf', { Id: 'a', Color: 'red' });
      await c.putInstance('Durable_Leaf', { Id: 'b', Color: 'green', Size: 1 });
      await c.deleteInstance('Durable_Leaf.Id="b"');
      await c.putInstance('__NAMESPACE', { Name: 'durable_child' });
    });
    await withConn(repo, 'root/cimv2/durable_child', async (c) => {
      await c.putClass({ name: 'Durable_Here', properties: { K: { type: 'uint8', key: true } } });
      await c.putInstance('Durable_Here', { K: 1 });
    });
    const before = await snapshot(repo);
    repo.close();
    assert.equal(repo.closed, true);

    const again = createRepository({ path: file });
    assert.notEqual(again, repo);
    assert.deepEqual(await snapshot(again), before);
    const leafClass = await withConn(again, 'root/cimv2', (c) => c.getClass('Durable_Leaf'));
    assert.equal(leafClass.superclass, 'Durable_Base');
    again.close();
    // connect({ repository: path }) opens the same file.
    assert.deepEqual(await snapshot(file), before);
    createRepository({ path: file }).close();
  });

  it('a closed repository refuses writes (WBEM_E_SHUTTING_DOWN) and keeps answering reads', async () => {
    const file = fresh();
    const repo = createRepository({ path: file });
    const conn = await connect({ backend: 'embedded', namespace: 'root/cimv2', repository: repo });
    try {
      await conn.putClass(Inner);
      repo.close();
      repo.close(); // idempotent
      await assert.rejects(conn.putClass({ name: 'Durable_Late', properties: {} }), (e) => isWbemError(e, 'WBEM_E_SHUTTING_DOWN'));
      assert.equal((await conn.getClass('Durable_Inner')).name, 'Durable_Inner');
    } finally {
      await conn.close();
    }
  });

  it('a second process gets WBEM_E_ACCESS_DENIED naming the file while the first holds it', () => {
    const file = fresh();
    const repo = createRepository({ path: file });
    const script = `
      const { createRepository } = require(${JSON.stringify(path.join(root, 'dist', 'lib', 'index.js'))});
      try { createRepository({ path: process.argv[1] }); console.log('opened'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const probe = (): string => {
      const r = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8', env: process.env });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const denied = JSON.parse(probe()) as { code: string; message: string };
    assert.equal(denied.code, 'WBEM_E_ACCESS_DENIED');
    assert.ok(denied.message.includes(path.resolve(file)), denied.message);
    assert.match(denied.message, /is in use/);
    repo.close();
    assert.equal(probe(), 'opened');
  });

  it('cuts a torn tail at every offset of the last write and keeps what precedes it', async () => {
    const file = fresh();
    const repo = createRepository({ path: file });
    await withConn(repo, 'root/default', async (c) => {
      await c.putClass({ name: 'Durable_T', properties: { K: { type: 'uint32', key: true }, V: { type: 'string' } } });
      for (let i = 0; i < 3; i++) await c.putInstance('Durable_T', { K: i, V: `v${i}` });
    });
    repo.close();
    const sizeBefore = fs.statSync(file).size;
    const again = createRepository({ path: file });
    await withConn(again, 'root/default', (c) => c.putInstance('Durable_T', { K: 3, V: 'last' }));
    again.close();
    const full = fs.readFileSync(file);
    assert.ok(full.length > sizeBefore + 20);
    const copy = path.join(tmp, `torn-${serial}.wpr`);
    for (let cut = sizeBefore; cut < full.length; cut++) {
      fs.writeFileSync(copy, full.subarray(0, cut));
      const r = createRepository({ path: copy });
      await withConn(r, 'root/default', async (c) => {
        assert.equal((await c.getObject('Durable_T.K=2')).V, 'v2', `cut at ${cut}`);
        await assert.rejects(c.getObject('Durable_T.K=3'), (e) => isWbemError(e, 'WBEM_E_NOT_FOUND'), `cut at ${cut}`);
      });
      r.close();
      assert.equal(fs.statSync(copy).size, sizeBefore, `cut at ${cut}: the torn tail is removed from the file`);
    }
  });

  it('refuses a file damaged before its end (WBEM_E_INVALID_STREAM) and one that is not a repository', async () => {
    const file = fresh();
    const repo = createRepository({ path: file });
    await withConn(repo, 'root/default', async (c) => {
      await c.putClass({ name: 'Durable_T', properties: { K: { type: 'uint32', key: true } } });
      await c.putInstance('Durable_T', { K: 1 });
    });
    repo.close();
    const bytes = fs.readFileSync(file);
    bytes[40] = (bytes[40] as number) ^ 0xff;
    fs.writeFileSync(file, bytes);
    const e = throwsWith(() => createRepository({ path: file }), { code: 'WBEM_E_INVALID_STREAM' });
    assert.match(e.message, /damaged at offset 24/);
    assert.equal(fs.readFileSync(file).length, bytes.length, 'a damaged file is left untouched');
    const junk = fresh();
    fs.writeFileSync(junk, 'definitely not a repository file');
    assert.match(throwsWith(() => createRepository({ path: junk }), { code: 'WBEM_E_INVALID_STREAM' }).message, /not a wmi-put repository file/);
  });
});
