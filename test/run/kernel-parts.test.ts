/**
 * The scheduler's named parts on their own: the Batcher's deadline on a clock the test
 * moves, in-order bounded concurrency, buffer ownership, port taps (inside a real run too),
 * and the node/port key.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchFormer } from '../../src/run/batch-former.js';
import { FrameQueue, type QueueItem } from '../../src/run/frame-queue.js';
import type { Clock } from '../../src/run/clock.js';
import { runInOrder } from '../../src/run/in-order-window.js';
import { BufferOwnership } from '../../src/run/buffer-ownership.js';
import { PortTap } from '../../src/run/port-tap.js';
import { runPlan } from '../../src/run/run-plan.js';
import { nodeOfKey, portKey, portOfKey } from '../../src/model/port-key.js';
import { graph, resolveAndPlan } from '../helpers.js';

/** A clock that moves only when told: timers due by then fire, in order. */
class HandClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.time;
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const item = (index: number): QueueItem => ({ index, pts: index / 25, value: { index } });

describe('scheduler parts', () => {
  test('a partial batch leaves at its deadline on the clock it was given, not before', async () => {
    const clock = new HandClock();
    const queue = new FrameQueue(8, 'in');
    const former = new BatchFormer([queue], 4, 100, clock);
    await queue.push(item(0));
    let formed: { indices: number[] } | null = null;
    const next = former.next().then((b) => (formed = b));
    await settle();
    assert.equal(clock.pending, 1, 'the former waits on the given clock');
    clock.advance(60);
    await queue.push(item(1)); // arrives before the deadline: joins the batch
    await settle();
    assert.equal(formed, null);
    clock.advance(39);
    await settle();
    assert.equal(formed, null, '99 ms after the first frame the batch still waits');
    clock.advance(1);
    await next;
    assert.deepEqual(formed!.indices, [0, 1], 'at 100 ms it leaves with the two frames it has');
    assert.equal(clock.pending, 0, 'no timer is left behind');
  });

  test('in-order window: at most `window` jobs in flight, results handed on in the order sent', async () => {
    const jobs = [0, 1, 2, 3, 4, 5];
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    await runInOrder({
      next: async () => jobs.shift() ?? null,
      send: async (job) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, (6 - job) * 3)); // later jobs finish first
        inFlight--;
        return job * 10;
      },
      settle: async (job, result) => {
        assert.equal(result, job * 10);
        order.push(job);
      },
      window: 3,
    });
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(most, 3);
  });

  test('buffer ownership: the last worker reader moves a value; a value also read here is never moved', () => {
    const ownership = new BufferOwnership();
    const a = { data: new Uint8Array(4) };
    const b = { data: new Uint8Array(4) };
    ownership.handedOn([a], 2, false);
    ownership.handedOn([b], 1, true);
    assert.deepEqual(ownership.takenBy([[a]]), [], 'the first of two readers copies');
    assert.deepEqual(ownership.takenBy([[a]]), [a], 'the last one moves');
    assert.deepEqual(ownership.takenBy([[b]]), [], 'read on this thread too: never moved');
  });

  test('a port tap drops its oldest value when its observer is behind, and never waits for it', async () => {
    const seen: number[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const tap = new PortTap(
      {
        port: { node: 'a', port: 'frames' },
        capacity: 2,
        observe: async ({ index }) => {
          seen.push(index);
          if (index === 0) await blocked;
        },
      },
      (error) => assert.fail(String(error)),
    );
    tap.offer(item(0));
    await settle();
    for (let i = 1; i < 10; i++) tap.offer(item(i)); // returns at once every time
    await settle();
    assert.deepEqual(seen, [0], 'the observer is still on the first value');
    release();
    await settle();
    await settle();
    assert.deepEqual(seen, [0, 8, 9], 'only the newest two waited');
    assert.equal(tap.dropped, 7);
    tap.close();
  });

  test('a run shows a tap the frames crossing a port, and a tap that never returns does not hold the run', async () => {
    //  src ──> batch(4) ──> a (worker) ──> sink ; taps on batch.frames (looked through) and a.frames
    const doc = graph(
      [['src', 'TestSource', { frames: 12, chunk: 3 }], ['batch', 'Batcher', { size: 4, deadlineMs: 20 }], ['a', 'TestAccel'], ['sink', 'TestChecksum']],
      ['src.frames -> batch.frames', 'batch.frames -> a.frames', 'a.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveAndPlan(doc);
    const fromSource: number[] = [];
    const sizes = new Set<number>();
    const { outputs, metrics } = await runPlan(g, plan, {
      taps: [
        { port: { node: 'batch', port: 'frames' }, capacity: 64, observe: ({ index, value }) => {
            fromSource.push(index);
            const frame = value as { width: number; height: number; data: Uint8Array };
            sizes.add(frame.data.length - frame.width * frame.height * 3);
          },
        },
        { port: { node: 'a', port: 'frames' }, observe: () => new Promise(() => undefined) },
      ],
    });
    await settle();
    assert.deepEqual(fromSource, Array.from({ length: 12 }, (_, i) => i), 'every source frame, in order');
    assert.deepEqual([...sizes], [0], 'each intact: a tapped frame is copied to the worker, never moved');
    assert.equal((outputs.sink as { frames: number }).frames, 12);
    assert.deepEqual(Object.keys(metrics.nodes).sort(), ['a', 'sink', 'src'], 'taps are not nodes');
    assert.equal(plan.stages.length, 3);
  });

  test('node/port keys', () => {
    const key = portKey({ node: 'enhancer_2', port: 'frames' });
    assert.equal(key, 'enhancer_2.frames');
    assert.equal(nodeOfKey(key), 'enhancer_2');
    assert.equal(portOfKey(key), 'frames');
  });
});
