import type { LayerDef, ParamSpec } from './types.js';

function activation(name: string, summary: string, params: readonly ParamSpec[] = []): LayerDef {
  return {
    name,
    summary,
    // A digit at the end would run into the counter (relu61): separate it.
    prefix: /\d$/.test(name) ? `${name}_` : name,
    family: 'activation',
    arity: 1,
    params,
    infer: (ctx) => ({ shape: ctx.inputs[0].shape, rf: ctx.inputs[0].rf }),
  };
}

export const activations: readonly LayerDef[] = [
  activation('relu', 'max(0, x)'),
  activation('relu6', 'min(max(0, x), 6)'),
  // α ≥ 0 keeps it monotonic, so its gradient can be computed from its output.
  activation('leaky_relu', 'x if x > 0 else αx', [{ name: 'alpha', type: { kind: 'float', min: 0 }, default: 0.01, doc: 'slope for x < 0' }]),
  activation('elu', 'x if x > 0 else α(eˣ − 1)', [{ name: 'alpha', type: { kind: 'float', min: 0 }, default: 1, doc: 'scale for x < 0' }]),
  activation('sigmoid', '1 / (1 + e⁻ˣ)'),
  activation('tanh', 'hyperbolic tangent'),
  // Not monotonic: their gradients read the input, which training keeps beside the output.
  activation('silu', 'x·σ(x) (swish)'),
  activation('gelu', 'x·Φ(x), Φ the standard normal CDF', [
    { name: 'approximate', type: { kind: 'enum', values: ['none', 'tanh'] }, default: 'none', doc: "none: the exact erf form; tanh: PyTorch's tanh approximation" },
  ]),
  activation('hardswish', 'x·min(max(x + 3, 0), 6)/6'),
  activation('softmax', 'exponentials normalised over the channels (features)'),
  activation('identity', 'returns its input'),
];
