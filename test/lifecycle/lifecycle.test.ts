// Lifecycle of the addon inside a host process, each case in a child `node`
// (test/lifecycle/fixtures/*.js): exit and crash with work in flight, worker
// termination, close() with work in flight, collected connections, many
// connections, many workers. Each asserts the exit code, the expected stdout
// and that stderr holds no sanitizer report (under npm run test:asan/tsan the
// children inherit LD_PRELOAD and the sanitizer options).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { assertExit, lines, runFixture } from './run-fixture';

describe('lifecycle (child processes)', () => {
  it('process.exit() with 10,000 puts in flight exits 0 without a crash', async () => {
    const r = await runFixture('exit-inflight.js', { args: ['exit'] });
    assertExit(r, 0);
    assert.deepEqual(lines(r), ['in flight: >=1000']);
  });

  it('an uncaught exception with 10,000 puts in flight exits 1 with only that error', async () => {
    const r = await runFixture('exit-inflight.js', { args: ['throw'] });
    assertExit(r, 1);
    assert.deepEqual(lines(r), ['in flight: >=1000']);
    assert.match(r.stderr, /Error: deliberate uncaught exception/);
  });

  it('process.exit() from inside a completion callback exits with that code', async () => {
    const r = await runFixture('exit-inflight.js', { args: ['exit-in-callback'] });
    assertExit(r, 3);
    assert.deepEqual(lines(r), ['in flight: >=1000']);
  });

  it('worker.terminate() in the middle of a putMany: the main thread goes on, counters come back', async () => {
    const r = await runFixture('worker-terminate.js');
    assertExit(r, 0);
    assert.deepEqual(lines(r), [
      'round 0: terminated (1)',
      'round 1: terminated (1)',
      'round 2: terminated (1)',
      'main put: Life_App.Name="main"',
      'counters back',
    ]);
  });

  for (const delivery of ['pooled', 'chaos']) {
    it(`close() with puts, putMany, an enumeration and putAsync in flight (${delivery}): each settles exactly once`, async () => {
      const r = await runFixture('close-inflight.js', { args: [delivery] });
      assertExit(r, 0);
      const out = lines(r);
      assert.equal(out.length, 10, r.stdout);
      assert.equal(out[0], 'pending before close: some');
      assert.equal(out[1], 'pending after close: 0');
      assert.equal(out[2], 'promises settled exactly once: all');
      assert.equal(out[3], 'outcomes: 5000 of 5000 fulfilled or cancelled; other: []');
      assert.equal(out[4], 'sink completions exactly once: all; bad: []');
      // Items the putMany window starts after close() fail with INVALID_OPERATION, those in
      // flight are cancelled (or had completed); the iterator itself ends normally.
      const many = /^putMany: 2000 results, indices unique true; error codes \[([A-Z_,]*)\]; ended normally$/.exec(out[5] ?? '');
      assert.ok(many, out[5]);
      for (const code of (many[1] as string).split(',').filter(Boolean)) {
        assert.ok(code === 'WBEM_E_CALL_CANCELLED' || code === 'WBEM_E_INVALID_OPERATION', code);
      }
      assert.ok(out[6] === 'enumeration: WBEM_E_CALL_CANCELLED' || out[6] === 'enumeration: completed', out[6]);
      assert.equal(out[7], 'after close: WBEM_E_INVALID_OPERATION');
      assert.equal(out[8], 'sink completions still exactly once: true');
      assert.equal(out[9], 'counters back');
    });
  }

  it('unclosed connections are released when collected, and the process exits on its own', async () => {
    const r = await runFixture('gc-connections.js', { nodeArgs: ['--expose-gc'], args: ['50'], timeoutMs: 30_000 });
    assertExit(r, 0);
    assert.deepEqual(lines(r), [
      'connections opened: 50',
      'counters back after gc',
      'instances: 50',
      'leaving one connection open',
    ]);
  });

  it('1,000 connections opened and closed leave every counter at its start value', async () => {
    const r = await runFixture('many-connections.js');
    assertExit(r, 0);
    assert.deepEqual(lines(r), ['connections: 1000, puts read back: 1000', 'counters back']);
  });

  it('the addon in 8 workers at once, all writing into the shared repository', async () => {
    const r = await runFixture('workers-8.js', { timeoutMs: 120_000 });
    assertExit(r, 0);
    const expected: string[] = [];
    for (let w = 0; w < 8; w++) expected.push(`worker ${w}: exit 0, ok 500, errors []`);
    expected.push('read back: 4000 of 4000', 'shared written by a worker: true', 'counters back');
    assert.deepEqual(lines(r), expected);
  });
});
