"""PyTorch CPU, the peer on the same silicon: LeNet-5 training and inference at batch 64, and the
3x3 conv 64->64 on 56x56 at batch 8 (forward, and forward + both gradients), and a ResNet-20 CIFAR
training step at batch 128, as bench/models.ts
and bench/conv.ts time them in cnnc. Two threads (this machine's cores). Medians after warm-up.

    python3 bench/peer-torch.py [--quick] [--out bench/results/peer-torch.json]

With --serve it times nothing on its own: it reads lines `<workload> <runs> <warm-up runs>`
(lenet5.train, resnet20.train) on stdin and answers each with `{"ms": median}` on stdout, so that
bench/paired.ts can alternate rounds of cnnc and PyTorch in the same minutes.
"""
import json, statistics, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
quick = '--quick' in sys.argv
out = sys.argv[sys.argv.index('--out') + 1] if '--out' in sys.argv else 'bench/results/peer-torch.json'


def median_ms(f, runs, warm=3):
    for _ in range(warm):
        f()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


# examples/lenet5.cnn, trained as its train section says (Adam, cross-entropy).
lenet = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
opt = torch.optim.Adam(lenet.parameters(), lr=0.002)
B = 64
x = torch.rand(B, 1, 28, 28)
y = torch.randint(0, 10, (B,))


def step():
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(lenet(x), y)
    loss.backward()
    opt.step()
    return loss.item()



class Basic(nn.Module):
    # examples/resnet_cifar.cnn's block: two 3x3 convs with batchnorm, a 1x1 projection where the shape changes.
    def __init__(self, cin, c, stride):
        super().__init__()
        s = stride if cin != c else 1
        self.body = nn.Sequential(
            nn.Conv2d(cin, c, 3, s, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))
        self.skip = nn.Sequential(nn.Conv2d(cin, c, 1, s, bias=False), nn.BatchNorm2d(c)) if s != 1 or cin != c else nn.Identity()

    def forward(self, x):
        return F.relu(self.body(x) + self.skip(x))


def stage(cin, c, stride, n=3):
    return [Basic(cin, c, stride)] + [Basic(c, c, 1) for _ in range(n - 1)]


# examples/resnet_cifar.cnn (ResNet-20, 272,474 parameters), trained as its train section says.
resnet20 = nn.Sequential(
    nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
    *stage(16, 16, 1), *stage(16, 32, 2), *stage(32, 64, 2),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
assert sum(p.numel() for p in resnet20.parameters()) == 272474
ropt = torch.optim.SGD(resnet20.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
RB = 128
rx = torch.rand(RB, 3, 32, 32)
ry = torch.randint(0, 10, (RB,))


def rstep():
    ropt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(resnet20(rx), ry)
    loss.backward()
    ropt.step()
    return loss.item()


if '--serve' in sys.argv:
    workloads = {'lenet5.train': step, 'resnet20.train': rstep}
    print('ready', flush=True)
    for line in sys.stdin:
        name, runs, warm = line.split()
        print(json.dumps({'ms': median_ms(workloads[name], int(runs), int(warm))}), flush=True)
    sys.exit(0)

results = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'workloads': {}}
train_ms = median_ms(step, 20 if quick else 60)
with torch.no_grad():
    infer_ms = median_ms(lambda: lenet(x).sum().item(), 20 if quick else 60)
results['workloads']['lenet5.train'] = {'batch': B, 'medianMs': train_ms, 'imgPerSec': B * 1000 / train_ms}
results['workloads']['lenet5.infer'] = {'batch': B, 'medianMs': infer_ms, 'imgPerSec': B * 1000 / infer_ms}
r_ms = median_ms(rstep, 3 if quick else 7, warm=2)
results['workloads']['resnet20.train'] = {'batch': RB, 'medianMs': r_ms, 'imgPerSec': RB * 1000 / r_ms}

N, C, H = 8, 64, 56
xc = torch.randn(N, C, H, H, requires_grad=True)
w = torch.randn(C, C, 3, 3, requires_grad=True)
flops = 2 * N * C * H * H * C * 9
with torch.no_grad():
    fwd_ms = median_ms(lambda: F.conv2d(xc, w, padding=1).sum().item(), 3 if quick else 7)
g = torch.randn(N, C, H, H)


def fwdbwd():
    xc.grad = None
    w.grad = None
    F.conv2d(xc, w, padding=1).backward(g)
    return w.grad.sum().item()


fb_ms = median_ms(fwdbwd, 3 if quick else 7)
results['workloads']['conv3x3.fwd'] = {'medianMs': fwd_ms, 'gflops': flops / fwd_ms / 1e6}
results['workloads']['conv3x3.fwdbwd'] = {'medianMs': fb_ms, 'gflops': 3 * flops / fb_ms / 1e6}
with open(out, 'w') as f:
    json.dump(results, f, indent=2)
for k, v in results['workloads'].items():
    print(f"torch {k}: " + ', '.join(f'{a} {b:.2f}' if isinstance(b, float) else f'{a} {b}' for a, b in v.items()))
