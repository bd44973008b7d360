// A smoke test of the 'wmi' backend against the host's own WMI. In CI that is
// Wine's wbemprox (`npm run test:wine`). Wine 8 implements ConnectServer,
// GetObject, CreateInstanceEnum and ExecQuery(Async); PutInstance(Async),
// PutClass(Async), GetObjectAsync and CreateInstanceEnumAsync are stubs that
// fail synchronously with WBEM_E_FAILED, and its class objects have no
// qualifier sets. So under Wine this checks the connection and COM security
// set-up, enumeration through our sink's Indicate path (fed by the
// semisynchronous poller), the synchronous-error path of every async call,
// namespace and credential errors and connect cancellation. The put semantics
// themselves are the conformance suite's job (embedded backend).
// Runs only on Windows (skipped elsewhere, with the reason).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { connect, createRepository, WbemError, type Connection, type ConnectOptions } from '../lib/index';
import { checkLeaksAtEnd } from './leak-check';

// Every live counter of the addon is back at its start value once this file is done.
checkLeaksAtEnd();

const onWindows = process.platform === 'win32';
// scripts/test-wine.js sets WMI_PUT_WINE=1; a few expectations are Wine's.
const underWine = onWindows && process.env.WMI_PUT_WINE === '1';
const skip = onWindows ? false : `needs Windows' WMI (this is ${process.platform}); run \`npm run test:wine\` for Wine's`;

async function rejectsWithCode(p: Promise<unknown>, code: string, hresult: number): Promise<WbemError> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`expected a rejection with ${code}`),
    (e: unknown) => {
      caught = e;
    },
  );
  assert.ok(caught instanceof WbemError, `expected a WbemError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.hresult, hresult);
  return caught;
}

async function withWmi<T>(fn: (conn: Connection) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
  const conn = await connect({ backend: 'wmi', namespace: 'root\\cimv2', ...options });
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

describe('WMI smoke (host WMI)', { skip }, () => {
  it('connects to root\\cimv2', async () => {
    await withWmi(async (conn) => {
      assert.equal(conn.backend, 'wmi');
      assert.equal(conn.namespace, 'root\\cimv2');
      assert.equal(conn.closed, false);
    });
  });

  it('enumerates Win32_OperatingSystem through the sink (Indicate, then SetStatus)', { skip: underWine ? "Wine's CreateInstanceEnumAsync is a stub (see the semisync and sync-failure tests)" : false }, async () => {
    await withWmi(async (conn) => {
      const objects: Record<string, unknown>[] = [];
      for await (const o of conn.enumerateInstances('Win32_OperatingSystem')) objects.push(o as Record<string, unknown>);
      assert.equal(objects.length, 1);
      const os = objects[0];
      assert.equal(os.__CLASS, 'Win32_OperatingSystem');
      assert.equal(os.__GENUS, 2);
      assert.equal(typeof os.Caption, 'string');
      assert.ok((os.Caption as string).length > 0);
    });
  });

  it("async calls Wine does not implement reject with its synchronous WBEM_E_FAILED", { skip: underWine ? false : 'Wine-specific' }, async () => {
    await withWmi(async (conn) => {
      await rejectsWithCode(
        (async () => {
          for await (const _ of conn.enumerateInstances('Win32_OperatingSystem')) assert.fail('no object expected');
        })(),
        'WBEM_E_FAILED',
        0x80041001,
      );
      await rejectsWithCode(conn.getClass('Win32_OperatingSystem'), 'WBEM_E_FAILED', 0x80041001);
      // The connection is still usable afterwards.
      await rejectsWithCode(conn.getClass('Win32_OperatingSystem'), 'WBEM_E_FAILED', 0x80041001);
      assert.equal(conn.pending, 0);
    });
  });

  it('reads a class with getClass and an instance with getObject', { skip: underWine ? "Wine's GetObjectAsync is a stub" : false }, async () => {
    await withWmi(async (conn) => {
      const cls = await conn.getClass('Win32_OperatingSystem');
      assert.equal(cls.name, 'Win32_OperatingSystem');
      const objects: Record<string, unknown>[] = [];
      for await (const o of conn.enumerateInstances('Win32_OperatingSystem')) objects.push(o as Record<string, unknown>);
      const relpath = objects[0].__RELPATH;
      assert.equal(typeof relpath, 'string');
      const again = (await conn.getObject(relpath as string)) as Record<string, unknown>;
      assert.equal(again.__CLASS, 'Win32_OperatingSystem');
      assert.equal(again.Caption, objects[0].Caption);
    });
  });

  it('putInstance reports the server\'s synchronous failure (Wine: WBEM_E_FAILED)', { skip: underWine ? false : 'Wine-specific: real WMI refuses this put differently' }, async () => {
    await withWmi(async (conn) => {
      await rejectsWithCode(conn.putInstance('Win32_OperatingSystem', {}), 'WBEM_E_FAILED', 0x80041001);
      await rejectsWithCode(conn.putInstance('Win32_OperatingSystem', {}, { mode: 'createOnly' }), 'WBEM_E_FAILED', 0x80041001);
      assert.equal(conn.pending, 0);
    });
  });

  it("putClass fails before the put: Wine's class objects have no qualifier sets", { skip: underWine ? false : 'Wine-specific: on Windows this would create a class in root\\cimv2' }, async () => {
    await withWmi(async (conn) => {
      const e = await rejectsWithCode(
        conn.putClass({ name: 'WmiPut_SmokeClass', properties: { Name: { type: 'string', key: true } } }),
        'E_OUTOFMEMORY',
        0x8007000e,
      );
      assert.match(e.message, /GetQualifierSet/);
    });
  });

  it('a missing namespace rejects with WBEM_E_INVALID_NAMESPACE', async () => {
    const e = await rejectsWithCode(
      connect({ backend: 'wmi', namespace: 'root\\wmiput_no_such_namespace' }),
      'WBEM_E_INVALID_NAMESPACE',
      0x8004100e,
    );
    assert.match(e.message, /wmiput_no_such_namespace/);
  });

  it('credentials on a local connection reject with WBEM_E_LOCAL_CREDENTIALS, never echoing them', async () => {
    const e = await rejectsWithCode(
      connect({ backend: 'wmi', user: 'CONTOSO\\smoke-user', password: 'Sm0ke-s3cret' }),
      'WBEM_E_LOCAL_CREDENTIALS',
      0x80041064,
    );
    assert.doesNotMatch(e.message, /Sm0ke-s3cret|smoke-user/);
  });

  it('aborting a connect rejects with WBEM_E_CALL_CANCELLED and the reason as cause', async () => {
    const before = new AbortController();
    const reason = new Error('not now');
    before.abort(reason);
    const early = await rejectsWithCode(connect({ backend: 'wmi', signal: before.signal }), 'WBEM_E_CALL_CANCELLED', 0x80041032);
    assert.equal(early.cause, reason);

    const during = new AbortController();
    const pending = connect({ backend: 'wmi', signal: during.signal });
    during.abort(reason);
    const late = await rejectsWithCode(pending, 'WBEM_E_CALL_CANCELLED', 0x80041032);
    assert.equal(late.cause, reason);
    // And a later connect still works.
    await withWmi(async (conn) => assert.equal(conn.backend, 'wmi'));
  });
});

describe('Windows call options (sinkSecurity, callMode)', { skip }, () => {
  it('semisync reads through a polled enumerator and call result', async (t) => {
    await withWmi(
      async (conn) => {
        // The enumerator is polled on the worker and fed to the sink's Indicate.
        const objects: Record<string, unknown>[] = [];
        for await (const o of conn.enumerateInstances('Win32_OperatingSystem')) objects.push(o as Record<string, unknown>);
        assert.equal(objects.length, 1);
        assert.equal(typeof objects[0].Caption, 'string');
        assert.ok((objects[0].Caption as string).length > 0);
        if (!underWine) {
          // (Wine's objects list no system properties, and its GetObject
          // ignores WBEM_FLAG_RETURN_IMMEDIATELY.)
          assert.equal(objects[0].__CLASS, 'Win32_OperatingSystem');
          const cls = await conn.getClass('Win32_OperatingSystem');
          assert.equal(cls.name, 'Win32_OperatingSystem');
        } else {
          await rejectsWithCode(conn.putInstance('Win32_OperatingSystem', {}), 'WBEM_E_FAILED', 0x80041001);
        }
      },
      { callMode: 'semisync' } as ConnectOptions,
    );
  });

  it('semisync gives the async results on the embedded backend', async (t) => {
    const repository = createRepository();
    const conn = await connect({ backend: 'embedded', repository, callMode: 'semisync' } as ConnectOptions);
    try {
      assert.equal(await conn.putClass({ name: 'Smoke_Item', properties: { Name: { type: 'string', key: true }, Size: { type: 'uint64' } } }), 'Smoke_Item');
      assert.equal(await conn.putInstance('Smoke_Item', { Name: 'a', Size: 2n ** 60n }, { mode: 'createOnly' }), 'Smoke_Item.Name="a"');
      await rejectsWithCode(conn.putInstance('Smoke_Item', { Name: 'a' }, { mode: 'createOnly' }), 'WBEM_E_ALREADY_EXISTS', 0x80041019);
      await rejectsWithCode(conn.putInstance('Smoke_Item', { Name: 'zz' }, { mode: 'updateOnly' }), 'WBEM_E_NOT_FOUND', 0x80041002);
      const got = (await conn.getObject('Smoke_Item.Name="a"')) as Record<string, unknown>;
      assert.equal(got.Size, 2n ** 60n);
      const names: unknown[] = [];
      for await (const o of conn.enumerateInstances('Smoke_Item')) names.push((o as Record<string, unknown>).Name);
      assert.deepEqual(names, ['a']);
      await conn.deleteInstance('Smoke_Item.Name="a"');
      await rejectsWithCode(conn.getObject('Smoke_Item.Name="a"'), 'WBEM_E_NOT_FOUND', 0x80041002);
    } finally {
      await conn.close();
    }
  });

  it("sinkSecurity 'unsecapp-check-access' needs Unsecapp.exe (Wine has none: a clear connect error)", async (t) => {
    const options = { backend: 'wmi', sinkSecurity: 'unsecapp-check-access' } as ConnectOptions;
    if (!underWine) {
      await withWmi(async (conn) => {
        const cls = await conn.getClass('Win32_OperatingSystem');
        assert.equal(cls.name, 'Win32_OperatingSystem');
      }, options);
      return;
    }
    let caught: unknown;
    await connect(options).then(
      (c) => c.close().then(() => assert.fail('expected the connect to fail')),
      (e: unknown) => {
        caught = e;
      },
    );
    assert.ok(caught instanceof WbemError);
    assert.equal(caught.hresult, 0x80040154); // REGDB_E_CLASSNOTREG
    assert.match(caught.message, /Unsecapp/);
  });
});
