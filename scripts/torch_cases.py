"""Golden values for test/ir/reference-torch.test.ts, computed by PyTorch in float64 (CPU).

Inputs are not stored: both sides regenerate them with `det` (integer arithmetic, then one
correctly-rounded division), so the test file holds only op descriptions and PyTorch's outputs.
Run from the repository root: /usr/bin/python3 scripts/torch_cases.py > test/fixtures/torch-cases.json  (torch 1.13 or 2.x, CPU build suffices).
Each op is computed the way PyTorch users would write it (F.conv2d after F.pad for asymmetric or
replicate padding, F.local_response_norm, native_batch_norm, ...); backward values come from autograd
with a deterministic upstream gradient.
"""
import json, math, sys
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

def det(seed, n, scale=1.0):
    out = []
    for i in range(n):
        k = i + 1 + seed * 1009
        out.append((((k * k * 7919 + k * 104729) % 1000003) / 1000003 * 2 - 1) * scale)
    return out

CASES = []
SEED = [0]

def inp(shape, batched=True, n=None, scale=1.0, values=None, role=None):
    """A deterministic input tensor: per-sample `shape`, batch n when batched."""
    full = ([n] if batched else []) + list(shape)
    cnt = math.prod(full)
    spec = {'shape': list(shape), 'batched': batched}
    if values is not None:
        spec['values'] = list(values)
        data = list(values)
    else:
        SEED[0] += 1
        spec['gen'] = [SEED[0], scale]
        data = det(SEED[0], cnt, scale)
    if role: spec['role'] = role
    return spec, torch.tensor(data).reshape(full)

def outspec(t, batched=True):
    return {'shape': list(t.shape[1:] if batched else t.shape), 'batched': batched}

def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]

def case(name, kind, n, ins, outs, expect, state=None):
    c = {'name': name, 'kind': kind, 'batch': n, 'inputs': ins, 'outputs': outs, 'expect': [flat(e) for e in expect]}
    if state: c['state'] = {str(k): flat(v) for k, v in state.items()}
    CASES.append(c)

def leaf(t):
    return t.clone().requires_grad_(True)

# ---- conv ----
def conv(name, n, c, h, w, o, k, stride, pad, dil, groups, mode, bias):
    attrs = {'stride': list(stride), 'pad': list(pad), 'dilation': list(dil), 'groups': groups, 'padMode': mode}
    xs, x = inp([c, h, w], n=n)
    ws, wt = inp([o, c // groups, k[0], k[1]], batched=False, role='param')
    bs, b = inp([o], batched=False, role='param')
    x, wt, b = leaf(x), leaf(wt), leaf(b)
    t, btm, l, r = pad
    xp = F.pad(x, (l, r, t, btm), mode='replicate' if mode == 'replicate' else 'constant')
    y = F.conv2d(xp, wt, b if bias else None, stride, 0, dil, groups)
    ins = [xs, ws] + ([bs] if bias else [])
    case(name, {'kind': 'conv2d', 'attrs': attrs, 'bias': bias}, n, ins, [outspec(y)], [y])
    rs, r_ = inp(list(y.shape[1:]), n=n)
    y.backward(r_)
    case(name + ' grad_input', {'kind': 'conv2d_grad_input', 'attrs': attrs}, n, [rs, ws], [xs], [x.grad])
    case(name + ' grad_weight', {'kind': 'conv2d_grad_weight', 'attrs': attrs}, n, [rs, xs], [ws | {'role': 'grad'}], [wt.grad])
    if bias:
        case(name + ' bias_grad', {'kind': 'bias_grad'}, n, [rs], [bs], [b.grad])

conv('conv asym pad, stride (2,1), dilation (1,2)', 2, 3, 7, 5, 4, (3, 2), (2, 1), (1, 0, 2, 1), (1, 2), 1, 'zeros', True)
conv('conv groups 2, stride 3, dilation 2', 2, 4, 8, 7, 6, (3, 3), (3, 3), (1, 1, 1, 1), (2, 2), 2, 'zeros', True)
conv('depthwise ×2, stride 2, asym replicate pad', 3, 3, 6, 5, 6, (3, 3), (2, 2), (1, 2, 0, 1), (1, 1), 3, 'replicate', True)
conv('replicate pad 2, no bias', 2, 2, 5, 5, 3, (3, 3), (1, 1), (2, 2, 2, 2), (1, 1), 1, 'replicate', False)
conv('replicate pad, dilation 2, stride 2', 2, 2, 7, 6, 2, (3, 2), (2, 2), (2, 1, 1, 3), (2, 2), 1, 'replicate', True)
conv('1x1 stride 2', 2, 3, 5, 7, 2, (1, 1), (2, 2), (0, 0, 0, 0), (1, 1), 1, 'zeros', True)

# ---- pooling ----
def pool_out(h, k, s, pb, pa, ceil):
    span = h + pb + pa - k
    if ceil:
        o = -(-span // s) + 1
        if (o - 1) * s >= h + pb: o -= 1
        return o
    return span // s + 1

def pool(name, n, c, h, w, mode, k, s, pad, ceil, count_pad):
    attrs = {'mode': mode, 'kernel': list(k), 'stride': list(s), 'pad': list(pad), 'countPad': count_pad}
    xs, x = inp([c, h, w], n=n)
    x = leaf(x)
    oh, ow = pool_out(h, k[0], s[0], pad[0], pad[1], ceil), pool_out(w, k[1], s[1], pad[2], pad[3], ceil)
    t, b, l, r = pad
    # Explicit padding, then an unpadded pool whose windows are clipped to the padded extent:
    # the same windows as PyTorch's own padding (which only takes symmetric pads).
    def sumpool(v):
        return F.avg_pool2d(F.pad(v, (l, r, t, b)), k, s, 0, ceil_mode=True, divisor_override=1)[:, :, :oh, :ow]
    if mode == 'max':
        y = F.max_pool2d(F.pad(x, (l, r, t, b), value=-math.inf), k, s, 0, ceil_mode=True)
    elif mode == 'min':
        y = -F.max_pool2d(F.pad(-x, (l, r, t, b), value=-math.inf), k, s, 0, ceil_mode=True)
    elif mode == 'l2':
        # Not nn.LPPool2d: it takes no padding, and in ceil mode it scales a clipped window's sum by
        # K²/(clipped size). graph.ts's L2 is the square root of the sum over real pixels.
        y = sumpool(x * x).sqrt()
    elif count_pad:
        y = F.avg_pool2d(F.pad(x, (l, r, t, b)), k, s, 0, ceil_mode=True, count_include_pad=True)
    else:
        y = sumpool(x) / sumpool(torch.ones_like(x))
    y = y[:, :, :oh, :ow]
    if t == b and l == r and mode in ('max', 'avg'):
        # Cross-check against PyTorch's own padding where it applies.
        if mode == 'max': y2 = F.max_pool2d(x, k, s, (t, l), ceil_mode=ceil)
        else: y2 = F.avg_pool2d(x, k, s, (t, l), ceil_mode=ceil, count_include_pad=count_pad)
        assert y2.shape == y.shape and torch.allclose(y2, y, rtol=1e-14, atol=1e-14), name
    case(name, {'kind': 'pool2d', 'attrs': attrs}, n, [xs], [outspec(y)], [y])
    rs, r_ = inp(list(y.shape[1:]), n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'pool2d_grad', 'attrs': attrs}, n, [rs, xs, outspec(y) | {'values': flat(y)}], [xs], [x.grad])

pool('maxpool 3 s2 pad 1 ceil', 2, 2, 7, 5, 'max', (3, 3), (2, 2), (1, 1, 1, 1), True, False)
pool('maxpool 2 s2 asym pad', 2, 2, 6, 5, 'max', (2, 2), (2, 2), (0, 1, 1, 0), False, False)
pool('maxpool 3x2 s(3,1)', 3, 1, 7, 5, 'max', (3, 2), (3, 1), (0, 0, 0, 0), True, False)
pool('minpool 3 s3 pad 1 ceil', 2, 2, 7, 5, 'min', (3, 3), (3, 3), (1, 1, 1, 1), True, False)
pool('avgpool 3 s2 pad 1 ceil countPad', 2, 2, 7, 5, 'avg', (3, 3), (2, 2), (1, 1, 1, 1), True, True)
pool('avgpool 3 s2 pad 1 ceil no countPad', 2, 2, 7, 5, 'avg', (3, 3), (2, 2), (1, 1, 1, 1), True, False)
pool('avgpool 2 s2 ceil asym pad countPad', 2, 1, 6, 5, 'avg', (2, 2), (2, 2), (1, 0, 0, 1), True, True)
pool('avgpool 2 s2 ceil asym pad no countPad', 2, 1, 6, 5, 'avg', (2, 2), (2, 2), (1, 0, 0, 1), True, False)
pool('avgpool 3 s3 ceil countPad', 2, 2, 8, 7, 'avg', (3, 3), (3, 3), (1, 1, 0, 0), True, True)
pool('l2pool 3x2 s(2,1) pad ceil', 2, 2, 7, 5, 'l2', (3, 2), (2, 1), (1, 1, 0, 1), True, False)

def adaptive(name, n, c, h, w, oh, ow, mode):
    xs, x = inp([c, h, w], n=n)
    x = leaf(x)
    y = F.adaptive_avg_pool2d(x, (oh, ow)) if mode == 'avg' else F.adaptive_max_pool2d(x, (oh, ow))
    case(name, {'kind': 'adaptive_pool', 'mode': mode}, n, [xs], [outspec(y)], [y])
    rs, r_ = inp(list(y.shape[1:]), n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'adaptive_pool_grad', 'mode': mode}, n, [rs, xs], [xs], [x.grad])

adaptive('adaptive avg 7x5→3x2', 2, 2, 7, 5, 3, 2, 'avg')
adaptive('adaptive max 7x5→4x3', 2, 2, 7, 5, 4, 3, 'max')
adaptive('adaptive avg 3x2→5x4', 2, 2, 3, 2, 5, 4, 'avg')
adaptive('adaptive max 3x2→5x4', 2, 2, 3, 2, 5, 4, 'max')

def maxout(name, n, shape, k):
    xs, x = inp(shape, n=n)
    x = leaf(x)
    y = x.reshape(n, shape[0] // k, k, *shape[1:]).amax(dim=2)
    case(name, {'kind': 'maxout', 'k': k}, n, [xs], [outspec(y)], [y])
    rs, r_ = inp(list(y.shape[1:]), n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'maxout_grad', 'k': k}, n, [rs, xs], [xs], [x.grad])

maxout('maxout k3 on 6x3x2', 2, [6, 3, 2], 3)
maxout('maxout k2 on flat 6', 3, [6], 2)

def dense(name, n, fin, fout, bias):
    xs, x = inp([fin], n=n)
    ws, wt = inp([fout, fin], batched=False, role='param')
    bs, b = inp([fout], batched=False, role='param')
    x, wt, b = leaf(x), leaf(wt), leaf(b)
    y = F.linear(x, wt, b if bias else None)
    case(name, {'kind': 'dense', 'bias': bias}, n, [xs, ws] + ([bs] if bias else []), [outspec(y)], [y])
    rs, r_ = inp([fout], n=n)
    y.backward(r_)
    case(name + ' grad_input', {'kind': 'dense_grad_input'}, n, [rs, ws], [xs], [x.grad])
    case(name + ' grad_weight', {'kind': 'dense_grad_weight'}, n, [rs, xs], [ws], [wt.grad])
    if bias: case(name + ' bias_grad', {'kind': 'bias_grad'}, n, [rs], [bs], [b.grad])

dense('dense 7→5', 3, 7, 5, True)
dense('dense 4→6 no bias', 2, 4, 6, False)

def batchnorm(name, n, shape, eps, momentum):
    c = shape[0]
    xs, x = inp(shape, n=n, scale=2.0)
    gs, g = inp([c], batched=False, role='param')
    bs, b = inp([c], batched=False, role='param')
    ms, rm = inp([c], batched=False, role='state')
    vs, rv0 = inp([c], batched=False, role='state')
    vs = vs | {'gen': [vs['gen'][0], 0.5]}
    rv = torch.tensor(det(vs['gen'][0], c, 0.5)) + 1.0  # positive running variance
    vs = {k: v for k, v in vs.items() if k != 'gen'} | {'values': flat(rv)}
    x, g, b = leaf(x), leaf(g), leaf(b)
    rm2, rv2 = rm.clone(), rv.clone()
    y, mean, invstd = torch.native_batch_norm(x, g, b, rm2, rv2, True, momentum, eps)
    kind = {'kind': 'batchnorm', 'eps': eps, 'momentum': momentum, 'training': True}
    cs = {'shape': [c], 'batched': False, 'role': 'saved'}
    case(name + ' training', kind, n, [xs, gs, bs, ms, vs], [outspec(y), cs, cs], [y, mean, invstd], state={3: rm2, 4: rv2})
    rs, r_ = inp(shape, n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'batchnorm_grad'}, n, [rs, xs, gs, cs | {'values': flat(mean)}, cs | {'values': flat(invstd)}],
         [xs, gs, gs], [x.grad, g.grad, b.grad])
    yi = F.batch_norm(x, rm, rv, g, b, False, momentum, eps)
    case(name + ' inference', kind | {'training': False}, n, [xs, gs, bs, ms, vs], [outspec(yi)], [yi])

batchnorm('batchnorm 4x3x2', 3, [4, 3, 2], 1e-5, 0.1)
batchnorm('batchnorm flat 3', 5, [3], 1e-3, 0.3)

def lrn(name, n, shape, size, alpha, beta, k):
    xs, x = inp(shape, n=n, scale=3.0)
    x = leaf(x)
    y = F.local_response_norm(x, size, alpha, beta, k)
    attrs = {'size': size, 'alpha': alpha, 'beta': beta, 'k': k}
    case(name, {'kind': 'lrn'} | attrs, n, [xs], [outspec(y)], [y])
    rs, r_ = inp(shape, n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'lrn_grad'} | attrs, n, [rs, xs], [xs], [x.grad])

for size in (1, 2, 3, 4, 5):
    lrn(f'lrn size {size}', 2, [6, 2, 3], size, 0.7, 0.75, 1.5)
lrn('lrn AlexNet constants', 2, [7, 2, 2], 5, 1e-4, 0.75, 2.0)

KINKS = [0.0, 6.0, -0.0, 1e-3, -1e-3, 5.999, 6.001, 7.5, -7.5, 30.0, -30.0, 2.0]

def unary(fn, alpha, kinks=KINKS):
    n = 2
    xs, x = inp([3, 2, 2], n=n, scale=8.0)
    xs = {k: v for k, v in xs.items() if k != 'gen'} | {'values': kinks + flat(x)[len(kinks):]}
    x = leaf(torch.tensor(xs['values']).reshape(n, 3, 2, 2))
    f = {'relu': F.relu, 'relu6': F.relu6, 'leaky_relu': lambda v: F.leaky_relu(v, alpha), 'elu': lambda v: F.elu(v, alpha),
         'sigmoid': torch.sigmoid, 'tanh': torch.tanh, 'identity': lambda v: v * 1,
         'silu': F.silu, 'gelu': F.gelu, 'gelu_tanh': lambda v: F.gelu(v, approximate='tanh'), 'hardswish': F.hardswish}[fn]
    y = f(x)
    case(f'unary {fn}', {'kind': 'unary', 'fn': fn, 'alpha': alpha}, n, [xs], [outspec(y)], [y])
    rs, r_ = inp([3, 2, 2], n=n)
    y.backward(r_)
    grad, note = x.grad, None
    if fn == 'hardswish':
        grad, note = hardswish_kinks(x.detach(), r_, grad)
    case(f'unary {fn} grad', {'kind': 'unary_grad', 'fn': fn, 'alpha': alpha}, n, [rs, xs], [xs], [grad])
    if note: CASES[-1]['note'] = note

def hardswish_kinks(x, r, grad):
    """hardswish's gradient at exactly ±3 as current PyTorch gives it: 0 at −3 and 1 at 3, the outer
    slopes (pytorch/pytorch#148049, 2025). Older versions differ there (1.13: −1/2 at −3, and 3/2 or 1
    at 3 depending on whether the CPU kernel's scalar or vectorised path took the element); with
    one of those, the two points are set by the current rule and the case says so."""
    probe = leaf(torch.tensor([-3.0, 3.0]))
    F.hardswish(probe).backward(torch.ones(2))
    if probe.grad.tolist() == [0.0, 1.0]:
        return grad, None
    at = (x == -3) | (x == 3)
    slopes = [round(v, 12) for v in (grad[at] / r[at]).tolist()]
    grad = torch.where(x == -3, torch.zeros_like(grad), torch.where(x == 3, r, grad))
    note = (f'x = -3, 3 set by the rule of PyTorch since pytorch/pytorch#148049 (slopes 0, 1); torch {torch.__version__} '
            f'gives slopes {slopes} here and {probe.grad.tolist()} for a tensor of just [-3, 3]')
    print(f'torch_cases.py: hardswish grad: {note}', file=sys.stderr)
    return grad, note

for fn, a in [('relu', 0), ('relu6', 0), ('leaky_relu', 0.1), ('elu', 1.3), ('sigmoid', 0), ('tanh', 0), ('identity', 0)]:
    unary(fn, a)

def softmax(name, n, shape):
    xs, x = inp(shape, n=n, scale=4.0)
    x = leaf(x)
    y = F.softmax(x, dim=1)
    case(name, {'kind': 'softmax'}, n, [xs], [outspec(y)], [y])
    rs, r_ = inp(shape, n=n)
    y.backward(r_)
    case(name + ' grad', {'kind': 'softmax_grad'}, n, [rs, outspec(y) | {'values': flat(y)}], [xs], [x.grad])

softmax('softmax flat 7', 3, [7])
softmax('softmax 5x2x3', 2, [5, 2, 3])

def xent(name, n, c, targets):
    xs, x = inp([c], n=n, scale=3.0)
    x = leaf(x)
    ts = {'shape': [1], 'batched': True, 'role': 'target', 'values': [float(t) for t in targets]}
    loss = F.cross_entropy(x, torch.tensor(targets))
    ls = {'shape': [], 'batched': False, 'role': 'loss'}
    case(name, {'kind': 'softmax_cross_entropy'}, n, [xs, ts], [ls], [loss])
    loss.backward()
    case(name + ' grad', {'kind': 'softmax_cross_entropy_grad'}, n, [xs, ts], [xs], [x.grad])

xent('cross-entropy 6 classes', 4, 6, [0, 5, 2, 2])
xent('cross-entropy 3 classes', 3, 3, [1, 0, 2])

def mse(name, n, shape):
    ps, p = inp(shape, n=n)
    ts, t = inp(shape, n=n)
    ts['role'] = 'target'
    p = leaf(p)
    loss = F.mse_loss(p, t)
    ls = {'shape': [], 'batched': False, 'role': 'loss'}
    case(name, {'kind': 'mse'}, n, [ps, ts], [ls], [loss])
    loss.backward()
    case(name + ' grad', {'kind': 'mse_grad'}, n, [ps, ts], [ps], [p.grad])

mse('mse flat 5', 3, [5])
mse('mse 2x3x2', 2, [2, 3, 2])

# Activations whose gradient cnnc computes from the input (added after every other case, so the
# seeds of the cases above stay as they were). hardswish's kinks at ±3 exactly: PyTorch's backward
# takes x/3 + 1/2 on the closed interval [−3, 3]. Large |x| for the tails of silu and gelu.
INPUT_KINKS = [-3.0, 3.0, -2.999, 2.999, -3.001, 3.001, 0.0, -0.0, -9.5, 9.5, -30.0, 1e-3]
for fn in ('silu', 'gelu', 'gelu_tanh', 'hardswish'):
    unary(fn, 0, INPUT_KINKS)

json.dump({'torch': torch.__version__, 'cases': CASES}, sys.stdout, separators=(',', ':'))
