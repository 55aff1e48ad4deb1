import { execFileSync } from 'node:child_process';

/**
 * Debian's PyTorch (python3-torch, with numpy), for the tests that run exported models or write
 * .pth files. CI installs it and sets CNNC_REQUIRE_TORCH=1, so there a missing torch fails the run
 * instead of skipping those tests.
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

if (!hasTorch && process.env.CNNC_REQUIRE_TORCH === '1') throw new Error(`CNNC_REQUIRE_TORCH=1 but ${python} cannot import torch and numpy`);
