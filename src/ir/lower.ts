import type { CheckedModel, ModelNode } from '../check/model.js';
import type { AttrValue, WeightSpec } from '../check/layers/types.js';
import type { ConvAttrs, Graph, Init, Op, OpKind, Pad4, Pair, PoolMode, Tensor, TensorRole, UnaryFn } from './graph.js';
import { numel } from './graph.js';

export type Mode = 'train' | 'infer';

export interface LowerOptions {
  readonly mode: Mode;
  /** Training: the loss attached to the output (default: the model's training section, else cross-entropy). */
  readonly loss?: 'cross_entropy' | 'mse';
  /** Seed of dropout's random stream. */
  readonly seed?: number;
}

/** Builds a graph: tensors and ops appended in execution order. */
class GraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly ops: Op[] = [];

  tensor(name: string, shape: readonly number[], batched: boolean, role: TensorRole, init?: Init): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, batched, role, ...(init ? { init } : {}) });
    return id;
  }

  op(kind: OpKind, inputs: readonly number[], outputs: readonly number[], node: Pick<ModelNode, 'name' | 'span'>): void {
    this.ops.push({ ...kind, id: this.ops.length, inputs, outputs, layer: node.name, span: node.span } as Op);
  }
}

const pair = (v: AttrValue | undefined, fallback: Pair = [1, 1]): Pair => (Array.isArray(v) ? [v[0], v[1]] : fallback);
const pad4 = (v: AttrValue | undefined): Pad4 => (Array.isArray(v) && v.length === 4 ? [v[0], v[1], v[2], v[3]] : [0, 0, 0, 0]);

const UNARY: Record<string, UnaryFn> = {
  relu: 'relu', relu6: 'relu6', leaky_relu: 'leaky_relu', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh', silu: 'silu', gelu: 'gelu', hardswish: 'hardswish', identity: 'identity',
};
const POOL: Record<string, PoolMode> = { maxpool: 'max', avgpool: 'avg', minpool: 'min', l2pool: 'l2' };

/**
 * Checked model → graph IR. Every layer becomes one op (flatten a reshape), with its parameters as
 * tensors named as PyTorch names them (`conv1.weight`, `bn1.running_mean`). In training mode the
 * loss is attached and batchnorm/dropout use their training behaviour.
 */
export function lowerModel(model: CheckedModel, opts: LowerOptions): Graph {
  const b = new GraphBuilder();
  const training = opts.mode === 'train';
  const out = new Map<number, number>();
  const params: number[] = [];
  const inputs: number[] = [];
  /**
   * A weight as the checker declared it (check/layers: its PyTorch name, shape and whether it
   * trains), so names and shapes have one source; lowering adds only how it starts.
   */
  const param = (node: ModelNode, spec: WeightSpec | undefined, init: Init): number => {
    if (!spec) throw new Error(`internal: layer ${node.name} (${node.op}) lacks a weight its lowering expects`);
    const id = b.tensor(`${node.name}.${spec.name}`, spec.shape, false, spec.trainable ? 'param' : 'state', init);
    if (spec.trainable) params.push(id);
    return id;
  };
  for (const node of model.nodes) {
    const x = node.inputs.map((i) => out.get(i)!);
    const inShape = node.inputs.length ? model.nodes[node.inputs[0]].shape : [];
    const y = node.op === 'input' ? b.tensor(node.name, node.shape, true, 'input') : b.tensor(node.name, node.shape, true, 'activation');
    out.set(node.id, y);
    const a = node.attrs;
    const emit = (kind: OpKind, ins: readonly number[], outs: readonly number[] = [y]) => b.op(kind, ins, outs, node);
    switch (node.op) {
      case 'input':
        inputs.push(y);
        break;
      case 'conv': {
        const [w, bias] = node.weights;
        const fanIn = numel(w.shape.slice(1));
        const bound = 1 / Math.sqrt(fanIn);
        const ins = [x[0], param(node, w, { kind: 'uniform', bound })];
        if (a.bias) ins.push(param(node, bias, { kind: 'uniform', bound }));
        const attrs: ConvAttrs = { stride: pair(a.stride), pad: pad4(a.pad), dilation: pair(a.dilation), groups: a.groups as number, padMode: a.pad_mode === 'replicate' ? 'replicate' : 'zeros' };
        emit({ kind: 'conv2d', attrs, bias: Boolean(a.bias) }, ins);
        break;
      }
      case 'dense': {
        const [w, bias] = node.weights;
        const bound = 1 / Math.sqrt(w.shape[1]);
        const ins = [x[0], param(node, w, { kind: 'uniform', bound })];
        if (a.bias) ins.push(param(node, bias, { kind: 'uniform', bound }));
        emit({ kind: 'dense', bias: Boolean(a.bias) }, ins);
        break;
      }
      case 'maxpool':
      case 'avgpool':
      case 'minpool':
      case 'l2pool':
        emit({ kind: 'pool2d', attrs: { mode: POOL[node.op], kernel: pair(a.kernel), stride: pair(a.stride), pad: pad4(a.pad), countPad: a.count_pad !== false } }, x);
        break;
      case 'globalavgpool':
      case 'globalmaxpool': {
        const k: Pair = [inShape[1], inShape[2]];
        emit({ kind: 'pool2d', attrs: { mode: node.op === 'globalavgpool' ? 'avg' : 'max', kernel: k, stride: k, pad: [0, 0, 0, 0], countPad: true } }, x);
        break;
      }
      case 'adaptiveavgpool':
      case 'adaptivemaxpool':
        emit({ kind: 'adaptive_pool', mode: node.op === 'adaptiveavgpool' ? 'avg' : 'max' }, x);
        break;
      case 'maxout':
        emit({ kind: 'maxout', k: a.k as number }, x);
        break;
      case 'flatten':
        emit({ kind: 'reshape' }, x);
        break;
      case 'dropout':
        if (training) emit({ kind: 'dropout', p: a.p as number, seed: (opts.seed ?? 0) * 7919 + node.id }, x);
        else emit({ kind: 'reshape' }, x);
        break;
      case 'batchnorm': {
        const c = inShape[0];
        const affine = a.affine !== false;
        // [weight, bias,] running_mean, running_var; without affine, γ = 1 and β = 0 are constants.
        const [g, bt, rm, rv] = affine ? node.weights : [undefined, undefined, ...node.weights];
        const gamma = affine ? param(node, g, { kind: 'const', value: 1 }) : b.tensor(`${node.name}.ones`, [c], false, 'state', { kind: 'const', value: 1 });
        const beta = affine ? param(node, bt, { kind: 'const', value: 0 }) : b.tensor(`${node.name}.zeros`, [c], false, 'state', { kind: 'const', value: 0 });
        const mean = param(node, rm, { kind: 'const', value: 0 });
        const variance = param(node, rv, { kind: 'const', value: 1 });
        const kind: OpKind = { kind: 'batchnorm', eps: a.eps as number, momentum: a.momentum as number, training };
        if (training) {
          const savedMean = b.tensor(`${node.name}.saved_mean`, [c], false, 'saved');
          const savedInvstd = b.tensor(`${node.name}.saved_invstd`, [c], false, 'saved');
          emit(kind, [x[0], gamma, beta, mean, variance], [y, savedMean, savedInvstd]);
        } else emit(kind, [x[0], gamma, beta, mean, variance]);
        break;
      }
      case 'lrn':
        emit({ kind: 'lrn', size: a.size as number, alpha: a.alpha as number, beta: a.beta as number, k: a.k as number }, x);
        break;
      case 'softmax':
        emit({ kind: 'softmax' }, x);
        break;
      case 'add':
        emit({ kind: 'add' }, x);
        break;
      case 'concat':
        emit({ kind: 'concat' }, x);
        break;
      default: {
        const base = UNARY[node.op];
        if (!base) throw new Error(`lowering: no rule for layer op '${node.op}'`);
        // gelu(approximate: tanh) is another function (PyTorch's tanh form), not a parameter of one.
        const fn: UnaryFn = base === 'gelu' && a.approximate === 'tanh' ? 'gelu_tanh' : base;
        emit({ kind: 'unary', fn, alpha: typeof a.alpha === 'number' ? a.alpha : 0 }, x);
      }
    }
  }
  const logits = out.get(model.output)!;
  const outputs = [logits];
  if (training) {
    const loss = opts.loss ?? model.training?.loss ?? 'cross_entropy';
    const logitShape = b.tensors[logits].shape;
    const target = b.tensor('target', loss === 'mse' ? logitShape : [1], true, 'target');
    inputs.push(target);
    const l = b.tensor('loss', [1], false, 'loss');
    const outNode = model.nodes[model.output];
    b.op(loss === 'mse' ? { kind: 'mse' } : { kind: 'softmax_cross_entropy' }, [logits, target], [l], { name: 'loss', span: model.training?.span ?? outNode.span });
    outputs.push(l);
  }
  return { tensors: b.tensors, ops: b.ops, inputs, outputs, params };
}
