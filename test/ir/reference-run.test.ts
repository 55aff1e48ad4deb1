import { describe, expect, it } from 'vitest';
import { numel, type ConvAttrs, type Graph, type Op, type OpKind, type PoolAttrs, type Tensor } from '../../src/ir/graph.js';
import { evalOp, runGraph } from '../../src/ir/reference/run.js';
import { randomArray, relError, seededRandom, singleOpGraph, type TensorSpec } from '../../src/ir/reference/testing.js';

/** evalOp's invariant checks and runGraph on a small hand-built training graph. */

const SEED = Number(process.env.REF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rand = seededRandom(SEED);
const seedNote = `REF_SEED=${SEED}`;

const B = (shape: readonly number[]): TensorSpec => ({ shape, batched: true });
const arr = (...v: number[]): Float64Array => Float64Array.from(v);

function close(got: Float64Array, want: ArrayLike<number>, tol = 1e-14): void {
  expect(relError(got, want), `got [${Array.from(got).join(', ')}] (${seedNote})`).toBeLessThan(tol);
}

describe('evalOp and runGraph', () => {
  it('evalOp throws on arrays that do not match their tensors (a broken invariant)', () => {
    const { graph, op } = singleOpGraph({ kind: 'unary', fn: 'relu', alpha: 0 }, [B([3])], [B([3])]);
    expect(() => evalOp(op, graph, [arr(1, 2)], { batch: 1, step: 0 })).toThrow(/2 elements, expected 3/);
    expect(() => evalOp(op, graph, [arr(1, 2, 3)], { batch: 2, step: 0 })).toThrow(/expected 6/);
    expect(() => evalOp(op, graph, [], { batch: 1, step: 0 })).toThrow(/inputs/);
  });

  /**
   * A small training graph by hand: conv → batchnorm (training) → relu → maxpool → flatten → dense
   * → cross-entropy, and its backward ops. runGraph's gradients must match finite differences of
   * its own loss, and the running statistics come back as new arrays.
   */
  function tinyNet(): { graph: Graph; ids: Record<string, number> } {
    const tensors: Tensor[] = [];
    const ids: Record<string, number> = {};
    const t = (name: string, shape: readonly number[], batched: boolean, role: Tensor['role']): number => {
      tensors.push({ id: tensors.length, name, shape, batched, role });
      return (ids[name] = tensors.length - 1);
    };
    const [x, tgt] = [t('x', [2, 5, 6], true, 'input'), t('target', [1], true, 'target')];
    const [w, b, g, be] = [t('w', [3, 2, 3, 3], false, 'param'), t('b', [3], false, 'param'), t('gamma', [3], false, 'param'), t('beta', [3], false, 'param')];
    const [rm, rv] = [t('rm', [3], false, 'state'), t('rv', [3], false, 'state')];
    const [dw, db] = [t('dense.w', [4, 12], false, 'param'), t('dense.b', [4], false, 'param')];
    const c = t('conv', [3, 5, 6], true, 'activation');
    const [bn, mean, invstd] = [t('bn', [3, 5, 6], true, 'activation'), t('mean', [3], false, 'saved'), t('invstd', [3], false, 'saved')];
    const [r, p, f, logits, loss] = [t('relu', [3, 5, 6], true, 'activation'), t('pool', [3, 2, 2], true, 'activation'), t('flat', [12], true, 'activation'), t('logits', [4], true, 'activation'), t('loss', [], false, 'loss')];
    const G = (name: string, of: number): number => t(name, tensors[of].shape, tensors[of].batched, 'grad');
    const [gLogits, gFlat, gDw, gDb, gP, gR, gBn] = [G('dlogits', logits), G('dflat', f), G('ddense.w', dw), G('ddense.b', db), G('dpool', p), G('drelu', r), G('dbn', bn)];
    const [gC, gG, gBe, gW, gB] = [G('dconv', c), G('dgamma', g), G('dbeta', be), G('dw', w), G('db', b)];
    const conv: ConvAttrs = { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, padMode: 'zeros' };
    const pool: PoolAttrs = { mode: 'max', kernel: [3, 3], stride: [2, 3], pad: [0, 0, 0, 0], countPad: false };
    const kinds: [OpKind, number[], number[]][] = [
      [{ kind: 'conv2d', attrs: conv, bias: true }, [x, w, b], [c]],
      [{ kind: 'batchnorm', eps: 1e-5, momentum: 0.1, training: true }, [c, g, be, rm, rv], [bn, mean, invstd]],
      [{ kind: 'unary', fn: 'relu', alpha: 0 }, [bn], [r]],
      [{ kind: 'pool2d', attrs: pool }, [r], [p]],
      [{ kind: 'reshape' }, [p], [f]],
      [{ kind: 'dense', bias: true }, [f, dw, db], [logits]],
      [{ kind: 'softmax_cross_entropy' }, [logits, tgt], [loss]],
      [{ kind: 'softmax_cross_entropy_grad' }, [logits, tgt], [gLogits]],
      [{ kind: 'dense_grad_input' }, [gLogits, dw], [gFlat]],
      [{ kind: 'dense_grad_weight' }, [gLogits, f], [gDw]],
      [{ kind: 'bias_grad' }, [gLogits], [gDb]],
      [{ kind: 'reshape' }, [gFlat], [gP]],
      [{ kind: 'pool2d_grad', attrs: pool }, [gP, r, p], [gR]],
      [{ kind: 'unary_grad', fn: 'relu', alpha: 0 }, [gR, r], [gBn]],
      [{ kind: 'batchnorm_grad' }, [gBn, c, g, mean, invstd], [gC, gG, gBe]],
      [{ kind: 'conv2d_grad_weight', attrs: conv }, [gC, x], [gW]],
      [{ kind: 'bias_grad' }, [gC], [gB]],
    ];
    const ops: Op[] = kinds.map(([k, inputs, outputs], id) => ({ ...k, id, inputs, outputs, layer: k.kind }));
    const params = [w, b, g, be, dw, db];
    const grads = new Map([[w, gW], [b, gB], [g, gG], [be, gBe], [dw, gDw], [db, gDb]]);
    return { graph: { tensors, ops, inputs: [x], outputs: [logits, loss], params, grads }, ids };
  }

  it('runs a training graph: gradients match finite differences of the loss; running stats updated', () => {
    const { graph, ids } = tinyNet();
    const n = 3;
    const ctx = { batch: n, step: 0 };
    const values = new Map<number, Float64Array>();
    for (const id of [ids.x, ids.w, ids.b, ids.gamma, ids.beta, ids.rm, ids['dense.w'], ids['dense.b']]) values.set(id, randomArray(rand, (graph.tensors[id].batched ? n : 1) * numel(graph.tensors[id].shape)));
    values.set(ids.rv, randomArray(rand, 3, 0.5, 2));
    values.set(ids.target, Float64Array.from({ length: n }, () => Math.floor(rand() * 4)));
    const out = runGraph(graph, values, ctx);
    expect(out.size).toBe(graph.tensors.length);
    const lossOf = (id: number, i: number, v: number): number => {
      const changed = new Map(values);
      const a = (values.get(id) ?? arr()).slice();
      a[i] = v;
      changed.set(id, a);
      return (runGraph(graph, changed, ctx).get(ids.loss) ?? arr())[0];
    };
    for (const [param, grad] of graph.grads ?? []) {
      const p = values.get(param) ?? arr();
      const fd = p.map((v, i) => (lossOf(param, i, v + 1e-6) - lossOf(param, i, v - 1e-6)) / 2e-6);
      const got = out.get(grad) ?? arr();
      const what = `${graph.tensors[param].name} (${seedNote})`;
      // The conv bias is cancelled by the batchnorm after it: its gradient is exactly zero.
      if (param === ids.b) expect(got.every((v, i) => Math.abs(v) < 1e-12 && Math.abs(fd[i]) < 1e-8), what).toBe(true);
      else expect(relError(got, fd), what).toBeLessThan(1e-6);
    }
    // Running statistics: new arrays from this batch's statistics; the inputs left alone.
    const mean = out.get(ids.mean) ?? arr();
    const rm0 = values.get(ids.rm) ?? arr();
    close(out.get(ids.rm) ?? arr(), rm0.map((v, c) => 0.9 * v + 0.1 * mean[c]));
    expect(out.get(ids.rm)).not.toBe(rm0);
    expect(() => runGraph(graph, new Map([...values].filter(([id]) => id !== ids.w)), ctx)).toThrow(/no value/);
  });
});
