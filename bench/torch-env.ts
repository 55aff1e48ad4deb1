/**
 * The environment bench/peer-torch.py runs in: OpenBLAS tuning variables set for other tools would
 * skew the peer, whose own defaults are what its users get.
 */
export function torchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}
