import type { CheckedModel } from '../check/model.js';
import { positionOf, type SourceFile } from '../diagnostics/source.js';
import type { Graph, Op, Pad4, Tensor } from '../ir/graph.js';
import { lowerModel } from '../ir/lower.js';
import { onlyWhatComputes } from '../ir/prune.js';

/**
 * A checked model as a PyTorch module (`model.py`): plain Python that needs only torch, with the
 * layers registered under cnnc's names, so `state_dict()` keys are exactly cnnc's weight names
 * (`layer1.0.conv1.weight`, `bn1.running_mean`) and cnnc's safetensors load by name. Written from
 * the graph IR in training mode (so dropout and batchnorm keep both behaviours under
 * `train()`/`eval()`), where padding, ceil-mode windows and count_pad are already resolved: each
 * op becomes the torch call with the same semantics, with a comment giving its source line.
 */

export interface PyTorchExport {
  /** The Python class name (from the model's name). */
  readonly className: string;
  readonly source: string;
}

export function exportPyTorch(model: CheckedModel, sources: ReadonlyMap<string, SourceFile>): PyTorchExport {
  const g = lowerModel(model, { mode: 'train' });
  const output = g.outputs[0];
  // The forward pass: the ops up to the model's output (the loss is the training script's).
  const ops = onlyWhatComputes(g, output).ops;
  const className = pythonClassName(model.name);
  const modules: string[] = [];
  const body: string[] = [];
  const name = new Map<number, string>();
  const input = g.inputs.find((i) => g.tensors[i].role === 'input')!;
  name.set(input, pyIdent(g.tensors[input].name));
  let temp = 0;
  const v = (t: number) => name.get(t) ?? `t${t}`;
  for (const op of ops) {
    const out = `x${++temp}`;
    name.set(op.outputs[0], out);
    const where = sourceLine(op, sources);
    const call = torchCall(op, g, v, modules, where);
    body.push(`        ${out} = ${call}${where ? `  # ${where}` : ''}`);
  }
  const inputName = v(input);
  const shape = g.tensors[input].shape.join(' × ');
  const source = `"""${model.name}, exported by cnnc from its .cnn file; needs only torch.

Input: N × ${shape} float tensors (NCHW); output: N × ${g.tensors[output].shape.join(' × ')}.
state_dict() keys are cnnc's weight names, so its safetensors load by name (num_batches_tracked,
which cnnc does not keep, aside).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ${className}(nn.Module):
    def __init__(self):
        super().__init__()
${modules.length ? modules.join('\n') : '        pass'}

    def _add(self, path, module):
        """Registers a layer under its dotted cnnc name (layer1.0.conv1), making the parents on the way."""
        parent = self
        *parents, last = path.split('.')
        for part in parents:
            if not hasattr(parent, part):
                parent.add_module(part, nn.Module())
            parent = getattr(parent, part)
        parent.add_module(last, module)

    def forward(self, ${inputName}):
        layer = self.get_submodule
${body.join('\n')}
        return ${v(output)}


def load_safetensors(path):
    """A safetensors file (cnnc's weights and checkpoints) as a dict of tensors, without the safetensors package."""
    import json
    import struct
    with open(path, 'rb') as f:
        (size,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    dtypes = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}
    out = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        start, end = entry['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[start:end]), dtype=dtypes[entry['dtype']]).reshape(entry['shape'])
    return out


def build_model(weights=None):
    """The model, with PyTorch's initialisation or, given a path, the weights of a cnnc safetensors file."""
    model = ${className}()
    if weights is not None:
        state = {k: v for k, v in load_safetensors(weights).items() if not k.startswith('optimizer.')}
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.endswith('num_batches_tracked')]
        if missing or unexpected:
            raise KeyError(f'{weights} does not fit ${className}: missing {missing}, unexpected {unexpected}')
    return model
`;
  return { className, source };
}

function torchCall(op: Op, g: Graph, v: (t: number) => string, modules: string[], where: string): string {
  const x = v(op.inputs[0]);
  const t = (id: number): Tensor => g.tensors[id];
  const add = (ctor: string) => modules.push(`        self._add('${op.layer}', ${ctor})${where ? `  # ${where}` : ''}`);
  const layer = `layer('${op.layer}')`;
  switch (op.kind) {
    case 'conv2d': {
      const w = t(op.inputs[1]).shape;
      const { stride, pad, dilation, groups, padMode } = op.attrs;
      const symmetric = pad[0] === pad[1] && pad[2] === pad[3] && padMode === 'zeros';
      add(`nn.Conv2d(${w[1] * groups}, ${w[0]}, (${w[2]}, ${w[3]}), stride=${tuple(stride)}, padding=${symmetric ? tuple([pad[0], pad[2]]) : '0'}, dilation=${tuple(dilation)}, groups=${groups}, bias=${op.bias ? 'True' : 'False'})`);
      return symmetric ? `${layer}(${x})` : `${layer}(F.pad(${x}, ${torchPad(pad)}, mode='${padMode === 'replicate' ? 'replicate' : 'constant'}'))`;
    }
    case 'dense': {
      const w = t(op.inputs[1]).shape;
      add(`nn.Linear(${w[1]}, ${w[0]}, bias=${op.bias ? 'True' : 'False'})`);
      return `${layer}(${x})`;
    }
    case 'pool2d':
      return poolCall(op, t(op.inputs[0]).shape, t(op.outputs[0]).shape, x);
    case 'adaptive_pool': {
      const [, oh, ow] = t(op.outputs[0]).shape;
      return `F.adaptive_${op.mode}_pool2d(${x}, (${oh}, ${ow}))`;
    }
    case 'maxout': {
      const s = t(op.inputs[0]).shape;
      const rest = s.slice(1).join(', ');
      return `${x}.reshape(${x}.shape[0], ${s[0] / op.k}, ${op.k}${rest ? `, ${rest}` : ''}).amax(2)`;
    }
    case 'reshape':
      return `torch.flatten(${x}, 1)`;
    case 'dropout':
      add(`nn.Dropout(p=${num(op.p)})`);
      return `${layer}(${x})`;
    case 'batchnorm': {
      const c = t(op.inputs[1]).shape[0];
      const affine = !t(op.inputs[1]).name.endsWith('.ones');
      add(`nn.BatchNorm${t(op.inputs[0]).shape.length === 3 ? '2' : '1'}d(${c}, eps=${num(op.eps)}, momentum=${num(op.momentum)}, affine=${affine ? 'True' : 'False'})`);
      return `${layer}(${x})`;
    }
    case 'lrn':
      add(`nn.LocalResponseNorm(${op.size}, alpha=${num(op.alpha)}, beta=${num(op.beta)}, k=${num(op.k)})`);
      return `${layer}(${x})`;
    case 'unary':
      switch (op.fn) {
        case 'relu': return `F.relu(${x})`;
        case 'relu6': return `F.relu6(${x})`;
        case 'leaky_relu': return `F.leaky_relu(${x}, ${num(op.alpha)})`;
        case 'elu': return `F.elu(${x}, ${num(op.alpha)})`;
        case 'sigmoid': return `torch.sigmoid(${x})`;
        case 'tanh': return `torch.tanh(${x})`;
        case 'silu': return `F.silu(${x})`;
        case 'gelu': return `F.gelu(${x})`;
        case 'gelu_tanh': return `F.gelu(${x}, approximate='tanh')`;
        case 'hardswish': return `F.hardswish(${x})`;
        case 'identity': return x;
      }
      break;
    case 'softmax':
      return `F.softmax(${x}, dim=1)`;
    case 'add':
      return op.inputs.map(v).join(' + ');
    case 'concat':
      return `torch.cat([${op.inputs.map(v).join(', ')}], dim=1)`;
    default:
      break;
  }
  throw new Error(`internal: the PyTorch export has no rule for ${op.kind} (layer ${op.layer})`);
}

/**
 * Pools on the input padded by hand ([top, bottom, left, right] may differ), so every padding
 * cnnc accepts exports: max with −inf (padding never wins), min as −max of −x, L2 as the root of
 * the windowed sum of squares (padding adds nothing), average as the windowed sum over a divisor
 * taken the same way from ones (count_pad: padded positions count; otherwise only real ones).
 * ceil_mode where the checker's output size needs it; PyTorch then clips windows as cnnc does.
 */
function poolCall(op: Extract<Op, { kind: 'pool2d' }>, inShape: readonly number[], outShape: readonly number[], x: string): string {
  const { mode, kernel, stride, pad, countPad } = op.attrs;
  const floorOut = [0, 1].map((a) => Math.floor((inShape[a + 1] + pad[2 * a] + pad[2 * a + 1] - kernel[a]) / stride[a]) + 1);
  const ceil = floorOut[0] !== outShape[1] || floorOut[1] !== outShape[2] ? 'True' : 'False';
  const padded = (value: string, of = x) => (pad.some((p) => p > 0) ? `F.pad(${of}, ${torchPad(pad)}, value=${value})` : of);
  const win = `${tuple(kernel)}, ${tuple(stride)}, ceil_mode=${ceil}`;
  switch (mode) {
    case 'max':
      return `F.max_pool2d(${padded("float('-inf')")}, ${win})`;
    case 'min':
      return `-F.max_pool2d(${padded("float('-inf')", `-${x}`)}, ${win})`;
    case 'l2':
      return `torch.sqrt(F.avg_pool2d(${padded('0.0', `${x} * ${x}`)}, ${win}, divisor_override=1))`;
    case 'avg': {
      if (!pad.some((p) => p > 0)) return `F.avg_pool2d(${x}, ${win})`;
      const ones = `torch.ones_like(${x}[:1, :1])`;
      return `F.avg_pool2d(${padded('0.0')}, ${win}, divisor_override=1) / F.avg_pool2d(F.pad(${ones}, ${torchPad(pad)}, value=${countPad ? '1.0' : '0.0'}), ${win}, divisor_override=1)`;
    }
  }
}

/** F.pad's order: (left, right, top, bottom). */
function torchPad(p: Pad4): string {
  return `(${p[2]}, ${p[3]}, ${p[0]}, ${p[1]})`;
}

function tuple(p: readonly number[]): string {
  return `(${p.join(', ')})`;
}

/** A float as Python reads it back exactly (shortest round-trip form). */
function num(n: number): string {
  const s = String(n);
  return /[.e]/.test(s) || !Number.isFinite(n) ? s : `${s}.0`;
}

function sourceLine(op: Op, sources: ReadonlyMap<string, SourceFile>): string {
  const src = op.span && sources.get(op.span.file);
  if (!op.span || !src) return '';
  const p = positionOf(src, op.span.start);
  const text = src.text.slice(op.span.start, op.span.end).replace(/\s+/g, ' ');
  return `${op.span.file.split('/').pop()}:${p.line} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function pythonClassName(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join('') || 'Model';
  return /^\d/.test(camel) ? `Model${camel}` : camel;
}

function pyIdent(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  const reserved = new Set(['layer', 'self', 'F', 'nn', 'torch', 'lambda', 'class', 'def', 'in', 'is', 'not', 'and', 'or', 'input']);
  return /^\d/.test(s) || reserved.has(s) ? `${s}_` : s;
}
