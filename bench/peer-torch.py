"""PyTorch CPU, the peer on the same silicon: LeNet-5 training and inference at batch 64, and the
3x3 conv 64->64 on 56x56 at batch 8 (forward, and forward + both gradients), as bench/models.ts
and bench/conv.ts time them in cnnc. Two threads (this machine's cores). Medians after warm-up.

    python3 bench/peer-torch.py [--quick] [--out bench/results/peer-torch.json]
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


results = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'workloads': {}}
train_ms = median_ms(step, 20 if quick else 60)
with torch.no_grad():
    infer_ms = median_ms(lambda: lenet(x).sum().item(), 20 if quick else 60)
results['workloads']['lenet5.train'] = {'batch': B, 'medianMs': train_ms, 'imgPerSec': B * 1000 / train_ms}
results['workloads']['lenet5.infer'] = {'batch': B, 'medianMs': infer_ms, 'imgPerSec': B * 1000 / infer_ms}

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
