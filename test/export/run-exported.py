"""Runs models exported by `cnnc export --to pytorch` for test/export/pytorch.test.ts.

    python3 run-exported.py JOB.json

For each case: imports DIR/model.py, loads DIR/weights.safetensors by name, runs the float64
model in eval mode on DIR/x.bin and writes the output (y.bin), the gradient of the sum of output
column `k` with respect to the input (dx.bin) and the state_dict keys (keys.json).
"""
import importlib.util
import json
import sys

import numpy as np
import torch

torch.set_num_threads(2)
for case in json.load(open(sys.argv[1])):
    d = case['dir']
    spec = importlib.util.spec_from_file_location(f"exported_{case['name']}", f'{d}/model.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model(f'{d}/weights.safetensors').double().eval()
    x = torch.from_numpy(np.fromfile(f'{d}/x.bin', dtype=np.float64).reshape(case['shape'])).requires_grad_(True)
    y = model(x)
    y[:, case['k']].sum().backward()
    y.detach().numpy().astype(np.float64).tofile(f'{d}/y.bin')
    x.grad.numpy().astype(np.float64).tofile(f'{d}/dx.bin')
    json.dump(sorted(model.state_dict().keys()), open(f'{d}/keys.json', 'w'))
