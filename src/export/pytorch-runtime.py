# ---------------------------------------------------------------- how a .cnn body runs in PyTorch
#
# Each block and model is a class whose forward() is its .cnn body, line for line. The body runs
# twice over: once at construction, on a zero image, to create the layers (their input sizes come
# from the tensors that reach them, and the names from the same counters cnnc uses: conv1, bn1,
# layer1.0.conv1), and then at every call, to compute. `conv(64, 3)` is a Spec, a layer not yet
# applied, as in the .cnn; self.pipe(x, a, b) is `x -> a -> b`.

import torch
import torch.nn as nn
import torch.nn.functional as F


class Spec:
    """A layer or block with its arguments, not yet applied to a tensor (`conv(64, 3)`)."""

    def __init__(self, kind, prefix, args, block=None, lead=()):
        self.kind, self.prefix, self.args, self.block, self.lead = kind, prefix, args, block, tuple(lead)

    def named(self, name):
        return Stage(self, name=name)

    def times(self, n):
        return Stage(self, times=n)


class Stage:
    """A pipeline step: a Spec, maybe repeated (`* n`: copies named name.0 … name.(n-1)) and named (`as name`)."""

    def __init__(self, spec, name=None, times=None):
        self.spec, self.name, self.count = spec, name, times

    def named(self, name):
        return Stage(self.spec, name=name, times=self.count)

    def times(self, n):
        return Stage(self.spec, name=self.name, times=n)


def _tensors(v):
    """The tensors a value carries (a tensor, or a tuple of them), else None."""
    if isinstance(v, torch.Tensor):
        return [v]
    if isinstance(v, tuple) and v and all(isinstance(t, torch.Tensor) for t in v):
        return list(v)
    return None


def _factory(kind, prefix, block=None):
    """Makes f(...) return a Spec, as calling a layer in the .cnn does; leading tensors are inputs (`relu(y)`, `basic(x, 64)`)."""
    def wrap(f):
        import inspect
        signature = inspect.signature(f)

        def make(*args, **kwargs):
            lead = []
            while args and _tensors(args[0]) is not None:
                lead += _tensors(args[0])
                args = args[1:]
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return Spec(kind, prefix, dict(bound.arguments), block, lead)
        make.__name__, make.__doc__, make.word = f.__name__, f.__doc__, kind
        return make
    return wrap


def layer(kind, prefix):
    return _factory(kind, prefix)


def block(cls, prefix):
    return _factory(cls.__name__, prefix, cls)


class Names:
    """cnnc's names in one scope: a counter per kind (conv1, conv2), skipping names taken by `as`."""

    def __init__(self):
        self.counters, self.taken = {}, set()

    def fresh(self, prefix):
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            if f'{prefix}{n}' not in self.taken:
                break
        self.counters[prefix] = n
        self.taken.add(f'{prefix}{n}')
        return f'{prefix}{n}'

    def claim(self, name):
        self.taken.add(name)


class Body(nn.Module):
    """What the generated classes share: building their layers, and pipelines, calls and `+`."""

    def build(self, *inputs):
        """Runs the body once on example inputs to create the layers, in eval mode (no statistics change)."""
        self._building = True
        with torch.no_grad():
            self.forward(*inputs)
        self._building = False
        self.train()

    def begin(self, *inputs):
        self._names = Names()
        for name in inputs:
            self._names.claim(name)

    def pipe(self, source, *stages):
        """`source -> a -> b …`"""
        cur = source
        for st in stages:
            inputs = _tensors(cur)
            if inputs is None:
                raise TypeError(f'a pipeline carries tensors, not {cur!r}')
            cur = self.apply(st, inputs)
        return cur

    def call(self, callee, *args, **kwargs):
        """A call in the .cnn: applies a layer to the tensors it was given, else returns it configured."""
        if not isinstance(callee, Spec):
            callee = callee(*args, **kwargs)
            args, kwargs = (), {}
        inputs = []
        for a in args:
            if _tensors(a) is None:
                raise TypeError(f'a configured layer takes only tensors, not {a!r}')
            inputs += _tensors(a)
        return self.apply(callee, inputs) if inputs or callee.lead else callee

    def plus(self, a, b):
        """`a + b`: the residual sum (an `add` layer) of two tensors, else arithmetic."""
        if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
            return self.apply(Spec('add', 'add', {}), [a, b])
        return a + b

    def apply(self, st, inputs):
        if not isinstance(st, Stage):
            st = Stage(st if isinstance(st, Spec) else st())
        spec, count = st.spec, st.count or 1
        names = [None] * count
        if st.name is not None:
            self._names.claim(st.name)
            names = [f'{st.name}.{i}' for i in range(count)] if st.count is not None else [st.name]
            if st.count is not None and self._building:
                self.add(st.name, nn.Sequential())
        # Piped tensors first, then the ones the call was given (`x -> concat(y)` is concat(x, y)).
        cur = list(inputs) + list(spec.lead)
        for name in names:
            cur = [self.one(spec, cur, name)]
        return cur[0]

    def one(self, spec, inputs, name):
        local = name or self._names.fresh(spec.prefix)
        if spec.block is None:
            return BUILD[spec.kind](self, local, spec.args, inputs)
        if self._building:
            module = spec.block(*inputs, **spec.args)
            module.eval()
            self.add(local, module)
        return self.get_submodule(local)(*inputs)

    def module(self, name, make):
        """The layer called `name`: made (and registered under its dotted name) while building, then looked up."""
        if self._building:
            m = make()
            m.eval()
            self.add(name, m)
            return m
        return self.get_submodule(name)

    def add(self, path, module):
        parent = self
        *parents, last = path.split('.')
        for part in parents:
            if not hasattr(parent, part):
                parent.add_module(part, nn.Module())
            parent = getattr(parent, part)
        parent.add_module(last, module)


class Shape:
    """What `x.channels`, `.features`, `.height`, `.width` and `.size` read."""

    def __init__(self, t):
        s = tuple(t.shape[1:])
        self.channels = s[0]
        self.features = s[0] if len(s) == 1 else None
        self.height = s[1] if len(s) == 3 else None
        self.width = s[2] if len(s) == 3 else None
        self.size = 1
        for d in s:
            self.size *= d


def shape(t):
    return Shape(t)


def size(*parts):
    """`a x b`: a size from numbers and sizes."""
    out = ()
    for p in parts:
        out += tuple(p) if isinstance(p, tuple) else (p,)
    return out


def example(*dims):
    """A zero batch of one input of this shape, to build the layers with."""
    return torch.zeros(1, *size(*dims))


def _pair(v):
    return (v, v) if not isinstance(v, tuple) else (v * 2 if len(v) == 1 else v)


def _word(v):
    return getattr(v, 'word', v)


def _pad4(x, kernel, dilation, pad):
    """[top, bottom, left, right] as cnnc resolves `pad` (a number, `h x w`, `same` or `valid`)."""
    pad = _word(pad)
    if pad == 'valid':
        return (0, 0, 0, 0)
    if pad == 'same':
        th, tw = dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)
        return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
    ph, pw = _pair(pad)
    return (ph, ph, pw, pw)


def _torch_pad(p):
    """F.pad's order: (left, right, top, bottom)."""
    return (p[2], p[3], p[0], p[1])


def _conv(self, name, a, inputs):
    x, = inputs
    k, s, d = _pair(a['kernel']), _pair(a['stride']), _pair(a['dilation'])
    p = _pad4(x, k, d, a['pad'])
    symmetric = p[0] == p[1] and p[2] == p[3] and _word(a['pad_mode']) == 'zeros'
    m = self.module(name, lambda: nn.Conv2d(x.shape[1], a['out'], k, stride=s, padding=(p[0], p[2]) if symmetric else 0, dilation=d, groups=a['groups'], bias=a['bias']))
    if not symmetric:
        x = F.pad(x, _torch_pad(p), mode='replicate' if _word(a['pad_mode']) == 'replicate' else 'constant')
    return m(x)


def _pool(mode):
    def run(self, name, a, inputs):
        x, = inputs
        k = _pair(a['kernel'])
        s = _pair(a['stride']) if a['stride'] is not None else k
        p = _pad4(x, k, (1, 1), a['pad'])
        ceil = _word(a['round']) == 'ceil'
        padded = any(p)
        pad = (lambda t, value: F.pad(t, _torch_pad(p), value=value)) if padded else (lambda t, value: t)
        if mode == 'max':
            return F.max_pool2d(pad(x, float('-inf')), k, s, ceil_mode=ceil)
        if mode == 'min':
            return -F.max_pool2d(pad(-x, float('-inf')), k, s, ceil_mode=ceil)
        if mode == 'l2':
            return torch.sqrt(F.avg_pool2d(pad(x * x, 0.0), k, s, ceil_mode=ceil, divisor_override=1))
        if not padded:
            return F.avg_pool2d(x, k, s, ceil_mode=ceil)
        # Padded: the windowed sum over a divisor taken the same way from ones (count_pad: padding counts).
        ones = F.pad(torch.ones_like(x[:1, :1]), _torch_pad(p), value=1.0 if a['count_pad'] else 0.0)
        return F.avg_pool2d(pad(x, 0.0), k, s, ceil_mode=ceil, divisor_override=1) / F.avg_pool2d(ones, k, s, ceil_mode=ceil, divisor_override=1)
    return run


def _dense(self, name, a, inputs):
    x, = inputs
    return self.module(name, lambda: nn.Linear(x.shape[1], a['out'], bias=a['bias']))(x)


def _batchnorm(self, name, a, inputs):
    x, = inputs
    kind = nn.BatchNorm2d if x.dim() == 4 else nn.BatchNorm1d
    return self.module(name, lambda: kind(x.shape[1], eps=a['eps'], momentum=a['momentum'], affine=a['affine']))(x)


def _maxout(self, name, a, inputs):
    x, = inputs
    return x.reshape(x.shape[0], x.shape[1] // a['k'], a['k'], *x.shape[2:]).amax(2)


def _one(f):
    return lambda self, name, a, inputs: f(inputs[0], a, self)


BUILD = {
    'conv': _conv,
    'maxpool': _pool('max'), 'avgpool': _pool('avg'), 'minpool': _pool('min'), 'l2pool': _pool('l2'),
    'globalavgpool': _one(lambda x, a, m: x.mean((2, 3), keepdim=True)),
    'globalmaxpool': _one(lambda x, a, m: x.amax((2, 3), keepdim=True)),
    'adaptiveavgpool': _one(lambda x, a, m: F.adaptive_avg_pool2d(x, _pair(a['size']))),
    'adaptivemaxpool': _one(lambda x, a, m: F.adaptive_max_pool2d(x, _pair(a['size']))),
    'maxout': _maxout,
    'dense': _dense,
    'flatten': _one(lambda x, a, m: torch.flatten(x, 1)),
    'dropout': _one(lambda x, a, m: F.dropout(x, a['p'], m.training)),
    'batchnorm': _batchnorm,
    'lrn': _one(lambda x, a, m: F.local_response_norm(x, a['size'], alpha=a['alpha'], beta=a['beta'], k=a['k'])),
    'relu': _one(lambda x, a, m: F.relu(x)),
    'relu6': _one(lambda x, a, m: F.relu6(x)),
    'leaky_relu': _one(lambda x, a, m: F.leaky_relu(x, a['alpha'])),
    'elu': _one(lambda x, a, m: F.elu(x, a['alpha'])),
    'sigmoid': _one(lambda x, a, m: torch.sigmoid(x)),
    'tanh': _one(lambda x, a, m: torch.tanh(x)),
    'silu': _one(lambda x, a, m: F.silu(x)),
    'gelu': _one(lambda x, a, m: F.gelu(x, approximate='tanh' if _word(a['approximate']) == 'tanh' else 'none')),
    'hardswish': _one(lambda x, a, m: F.hardswish(x)),
    'softmax': _one(lambda x, a, m: F.softmax(x, dim=1)),
    'identity': _one(lambda x, a, m: x),
    'add': lambda self, name, a, inputs: sum(inputs[1:], inputs[0]),
    'concat': lambda self, name, a, inputs: torch.cat(inputs, dim=1),
}


def load_safetensors(path):
    """A safetensors file (cnnc's weights and checkpoints) as a dict of tensors, without the safetensors package."""
    import json
    import struct
    with open(path, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}
    out = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        start, end = entry['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[start:end]), dtype=dtypes[entry['dtype']]).reshape(entry['shape'])
    return out
