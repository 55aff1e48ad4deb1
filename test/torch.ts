import { execFileSync } from 'node:child_process';

/**
 * Debian's PyTorch (python3-torch, with numpy and python3-torchvision), for the tests that run
 * exported models, write .pth files or load torchvision's weights. CI installs them and sets
 * CNNC_REQUIRE_TORCH=1, so there a missing one fails the run instead of skipping those tests.
 */
export const python = '/usr/bin/python3';

export const hasTorch = (() => {
  try {
    execFileSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** torchvision (python3-torchvision), for the tests that load its models' weights into the examples. */
export const hasTorchvision = hasTorch && (() => {
  try {
    execFileSync(python, ['-c', 'import torchvision'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

if (!hasTorchvision && process.env.CNNC_REQUIRE_TORCH === '1') throw new Error(`CNNC_REQUIRE_TORCH=1 but ${python} cannot import torch, numpy and torchvision`);
