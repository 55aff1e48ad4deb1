#!/usr/bin/env bash
# The `gpu` target on a real GPU (bench/gpu-check.ts), for a machine that has no network.
#
#   bash scripts/gpu-check.sh prepare   # here: bundle the check into out/gpu-check/ with Dawn's Linux x64 binary
#   bash scripts/gpu-check.sh run [DIR] # there, from the repository root: run it, results in DIR (default bench/results)
#
# out/gpu-check/ (about 22 MB) is all the run needs besides the repository's tracked files and
# Node 20+; with the device tool, carry `out/gpu-check` (and `.gl` where the machine lacks the
# Vulkan loader: see the tool's README) and run `bash scripts/gpu-check.sh run $OUT`.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  prepare)
    rm -rf out/gpu-check
    mkdir -p out/gpu-check/node_modules/webgpu/dist/linux-x64
    npx esbuild bench/gpu-check.ts --bundle --platform=node --format=esm --target=node20 \
      --external:webgpu --outfile=out/gpu-check/gpu-check.mjs --log-level=warning \
      --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
    cp node_modules/webgpu/index.js node_modules/webgpu/package.json out/gpu-check/node_modules/webgpu/
    cp node_modules/webgpu/dist/linux-x64/dawn.node out/gpu-check/node_modules/webgpu/dist/linux-x64/
    du -sh out/gpu-check
    ;;
  run)
    dir="${2:-bench/results}"
    mkdir -p "$dir"
    export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$dir/nvidia-smi.txt" || true
    node out/gpu-check/gpu-check.mjs --out "$dir/gpu-check.json" "${@:3}" 2>&1 | tee "$dir/gpu-check.log"
    ;;
  *)
    echo "usage: bash scripts/gpu-check.sh prepare | run [DIR] [--quick]" >&2
    exit 2
    ;;
esac
