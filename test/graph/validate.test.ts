import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateGraph } from '../../src/graph/validate.js';
import { graph, testRegistry } from '../helpers.js';

function codes(problems: { code: string; node?: string; field?: string; severity: string }[]) {
  return problems.map((p) => `${p.severity === 'warning' ? 'warn ' : ''}${p.code} ${p.node ?? ''}${p.field ? `.${p.field}` : ''}`).sort();
}

describe('validation', () => {
  test('a valid graph resolves, in topological order', async () => {
    //  src ──> t ──> sink
    const doc = graph([['sink', 'TestChecksum'], ['t', 'TestTransform'], ['src', 'TestSource']], ['src.frames -> t.frames', 't.frames -> sink.frames']);
    const { problems, graph: g } = await validateGraph(doc, await testRegistry());
    assert.deepEqual(problems, []);
    assert.deepEqual(g!.order, ['src', 't', 'sink']);
  });

  test('reports every problem at once, each with its code, node and field', async () => {
    //  src ──> a(TestTransfrom?) ...      dup ids, bad params, type mismatch, cycle, dangling
    const doc = graph(
      [
        ['src', 'TestSource', { frames: -1, chunk: 'x' }],
        ['a', 'TestTransfrom'],
        ['t1', 'TestTransform', { amount: 300, treshold: 2 }],
        ['t1', 'TestTransform'],
        ['t2', 'TestTransform'],
        ['t3', 'TestTransform'],
        ['img', 'TestImage'],
        ['stamp', 'TestStamp'],
        ['sink', 'TestChecksum'],
        ['sink2', 'TestChecksum'],
      ],
      [
        'src.frames -> t2.frames',
        'img.image -> t1.frames',
        't2.frames -> t3.frames',
        't3.frames -> t2.frames',
        'src.frames -> sink.frames',
        't3.frames -> sink.frames',
        'ghost.frames -> stamp.frames',
        'src.franes -> sink2.frames',
      ],
    );
    const { problems, graph: g } = await validateGraph(doc, await testRegistry());
    assert.equal(g, null);
    assert.deepEqual(codes(problems), [
      'FF_CYCLE t2',
      'FF_DANGLING_EDGE src.franes',
      'FF_DANGLING_EDGE stamp',
      'FF_DUPLICATE_ID t1',
      'FF_INPUT_CONNECTED_TWICE sink.frames',
      'FF_INPUT_CONNECTED_TWICE t2.frames',
      'FF_MISSING_INPUT stamp.image',
      'FF_PARAM_INVALID src.chunk',
      'FF_PARAM_INVALID src.frames',
      'FF_PARAM_INVALID t1.amount',
      'FF_PORT_TYPE_MISMATCH t1.frames',
      'FF_UNKNOWN_NODE_TYPE a',
      'warn FF_PARAM_UNKNOWN t1.treshold',
    ]);
    const message = (code: string, node: string) => problems.find((p) => p.code === code && p.node === node)!.message;
    assert.match(message('FF_UNKNOWN_NODE_TYPE', 'a'), /did you mean "TestTransform"/);
    assert.match(message('FF_PARAM_INVALID', 't1'), /amount must be at most 255 \(got 300\)/);
    assert.match(message('FF_PORT_TYPE_MISMATCH', 't1'), /Image output cannot feed a Frames input/);
    assert.match(message('FF_CYCLE', 't2'), /t2 -> t3 -> t2/);
    assert.match(message('FF_DANGLING_EDGE', 'src'), /no output port "franes" \(did you mean "frames"\?\)/);
    assert.match(message('FF_MISSING_INPUT', 'stamp'), /required input "image" \(Image\) is not connected/);
    assert.match(problems.find((p) => p.code === 'FF_PARAM_UNKNOWN')!.message, /did you mean "amount"|Parameters:/);
  });

  test('an empty graph says what to add', async () => {
    const { problems } = await validateGraph(graph([], []), await testRegistry());
    assert.deepEqual(codes(problems), ['FF_EMPTY_GRAPH ']);
  });

  test('a node saved by a newer framefuse is refused with the fix', async () => {
    const doc = graph([['src', 'TestSource']], []);
    doc.nodes[0]!.version = 3;
    const { problems } = await validateGraph(doc, await testRegistry());
    assert.deepEqual(codes(problems), ['FF_NODE_VERSION_TOO_NEW src']);
    assert.match(problems[0]!.message, /upgrade framefuse/);
  });
});
