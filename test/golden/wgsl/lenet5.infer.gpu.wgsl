// ---- conv2d_fwd+relu:conv1
// conv2d forward: x 1×28×28, w 6×1×5×5, y 6×28×28, stride 1,1, pad 2,2, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_y(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let v = r; r = max(v, f32(0.0)); }
  return r;
}
const C = 1u;
const H = 28u;
const W = 28u;
const HW = 784u;
const CHW = 784u;
const O = 6u;
const OH = 28u;
const OW = 28u;
const OHW = 784u;
const OHWO = 4704u;
const KH = 5u;
const KW = 5u;
const KHKW = 25u;
const CG = 1u;
const OG = 6u;
const GROUPS = 1u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const DW = 1u;
const H_I = 28i;
const W_I = 28i;
const OH_I = 28i;
const OW_I = 28i;
const PT = 2i;
const PL = 2i;
const SH_I = 1i;
const SW_I = 1i;
const DH_I = 1i;
const DW_I = 1i;
fn loadA(g: u32, m: u32, k: u32) -> f32 {
  return w[(g * OG + m) * CG * KHKW + k];
}
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  let c = k / KHKW;
  let r = k % KHKW;
  let nb = n / OHW;
  let p = n % OHW;
  let ih = i32((p / OW) * SH + (r / KW) * DH) - PT;
  let iw = i32((p % OW) * SW + (r % KW) * DW) - PL;
  if (ih < 0i || ih >= H_I || iw < 0i || iw >= W_I) { return 0.0; }
  return x[nb * CHW + (g * CG + c) * HW + u32(ih) * W + u32(iw)];
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  let o = g * OG + m;
  y[((n / OHW) * O + o) * OHW + n % OHW] = epilogue_y(v + b[o], ((n / OHW) * O + o) * OHW + n % OHW);
}

const BM = 64u;
const BN = 64u;
const BK = 16u;
const GEMM_GROUPS = 1u;
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = OG;
  let N = (params.batch * OHW);
  let K = (CG * KHKW);
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += 256u) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += 256u) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a0 = tileA[kk * BM + ty + 0u * 16u];
      let a1 = tileA[kk * BM + ty + 1u * 16u];
      let a2 = tileA[kk * BM + ty + 2u * 16u];
      let a3 = tileA[kk * BM + ty + 3u * 16u];
      let b0 = tileB[kk * BN + tx + 0u * 16u];
      let b1 = tileB[kk * BN + tx + 1u * 16u];
      let b2 = tileB[kk * BN + tx + 2u * 16u];
      let b3 = tileB[kk * BN + tx + 3u * 16u];
      acc0_0 = fma(a0, b0, acc0_0);
      acc0_1 = fma(a0, b1, acc0_1);
      acc0_2 = fma(a0, b2, acc0_2);
      acc0_3 = fma(a0, b3, acc0_3);
      acc1_0 = fma(a1, b0, acc1_0);
      acc1_1 = fma(a1, b1, acc1_1);
      acc1_2 = fma(a1, b2, acc1_2);
      acc1_3 = fma(a1, b3, acc1_3);
      acc2_0 = fma(a2, b0, acc2_0);
      acc2_1 = fma(a2, b1, acc2_1);
      acc2_2 = fma(a2, b2, acc2_2);
      acc2_3 = fma(a2, b3, acc2_3);
      acc3_0 = fma(a3, b0, acc3_0);
      acc3_1 = fma(a3, b1, acc3_1);
      acc3_2 = fma(a3, b2, acc3_2);
      acc3_3 = fma(a3, b3, acc3_3);
    }
    workgroupBarrier();
  }
  if (m0 + 0u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 0u * 16u, acc0_0); }
  if (m0 + 0u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 1u * 16u, acc0_1); }
  if (m0 + 0u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 2u * 16u, acc0_2); }
  if (m0 + 0u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 3u * 16u, acc0_3); }
  if (m0 + 1u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 0u * 16u, acc1_0); }
  if (m0 + 1u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 1u * 16u, acc1_1); }
  if (m0 + 1u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 2u * 16u, acc1_2); }
  if (m0 + 1u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 3u * 16u, acc1_3); }
  if (m0 + 2u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 0u * 16u, acc2_0); }
  if (m0 + 2u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 1u * 16u, acc2_1); }
  if (m0 + 2u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 2u * 16u, acc2_2); }
  if (m0 + 2u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 3u * 16u, acc2_3); }
  if (m0 + 3u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 0u * 16u, acc3_0); }
  if (m0 + 3u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 1u * 16u, acc3_1); }
  if (m0 + 3u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 2u * 16u, acc3_2); }
  if (m0 + 3u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 3u * 16u, acc3_3); }
}


// ---- pool2d_max:maxpool1
// pool2d max: 6×28×28 → 14×14, kernel 2×2, stride 2×2, pad 0,0,0,0
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const H = 28i;
const W = 28i;
const OH = 14i;
const OW = 14i;
const KH = 2i;
const KW = 2i;
const SH = 2i;
const SW = 2i;
const PT = 0i;
const PL = 0i;
const HE = 28i;
const WE = 28i;
fn item(i: u32) {
  let ow = i32(i % u32(OW));
  let rest = i / u32(OW);
  let oh = i32(rest % u32(OH));
  let nc = rest / u32(OH);
  let plane = nc * 784u;
  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);
  var best = x[plane + u32(y0 * W + x0)];
  { let r = y0 + 0i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 0i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 1i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 1i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  let red = best;
  out[i] = red;
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 1176u;
  let base = wg * 128u + lid;
  for (var j = 0u; j < (1u + params.zero); j++) {
    let i = base + j * 128u;
    if (i < total) { item(i); }
  }
}


// ---- conv2d_fwd+relu:conv2
// conv2d forward: x 6×14×14, w 16×6×5×5, y 16×10×10, stride 1,1, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_y(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let v = r; r = max(v, f32(0.0)); }
  return r;
}
const C = 6u;
const H = 14u;
const W = 14u;
const HW = 196u;
const CHW = 1176u;
const O = 16u;
const OH = 10u;
const OW = 10u;
const OHW = 100u;
const OHWO = 1600u;
const KH = 5u;
const KW = 5u;
const KHKW = 25u;
const CG = 6u;
const OG = 16u;
const GROUPS = 1u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const DW = 1u;
const H_I = 14i;
const W_I = 14i;
const OH_I = 10i;
const OW_I = 10i;
const PT = 0i;
const PL = 0i;
const SH_I = 1i;
const SW_I = 1i;
const DH_I = 1i;
const DW_I = 1i;
fn loadA(g: u32, m: u32, k: u32) -> f32 {
  return w[(g * OG + m) * CG * KHKW + k];
}
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  let c = k / KHKW;
  let r = k % KHKW;
  let nb = n / OHW;
  let p = n % OHW;
  let ih = i32((p / OW) * SH + (r / KW) * DH) - PT;
  let iw = i32((p % OW) * SW + (r % KW) * DW) - PL;
  if (ih < 0i || ih >= H_I || iw < 0i || iw >= W_I) { return 0.0; }
  return x[nb * CHW + (g * CG + c) * HW + u32(ih) * W + u32(iw)];
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  let o = g * OG + m;
  y[((n / OHW) * O + o) * OHW + n % OHW] = epilogue_y(v + b[o], ((n / OHW) * O + o) * OHW + n % OHW);
}

const BM = 64u;
const BN = 64u;
const BK = 16u;
const GEMM_GROUPS = 1u;
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = OG;
  let N = (params.batch * OHW);
  let K = (CG * KHKW);
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += 256u) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += 256u) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a0 = tileA[kk * BM + ty + 0u * 16u];
      let a1 = tileA[kk * BM + ty + 1u * 16u];
      let a2 = tileA[kk * BM + ty + 2u * 16u];
      let a3 = tileA[kk * BM + ty + 3u * 16u];
      let b0 = tileB[kk * BN + tx + 0u * 16u];
      let b1 = tileB[kk * BN + tx + 1u * 16u];
      let b2 = tileB[kk * BN + tx + 2u * 16u];
      let b3 = tileB[kk * BN + tx + 3u * 16u];
      acc0_0 = fma(a0, b0, acc0_0);
      acc0_1 = fma(a0, b1, acc0_1);
      acc0_2 = fma(a0, b2, acc0_2);
      acc0_3 = fma(a0, b3, acc0_3);
      acc1_0 = fma(a1, b0, acc1_0);
      acc1_1 = fma(a1, b1, acc1_1);
      acc1_2 = fma(a1, b2, acc1_2);
      acc1_3 = fma(a1, b3, acc1_3);
      acc2_0 = fma(a2, b0, acc2_0);
      acc2_1 = fma(a2, b1, acc2_1);
      acc2_2 = fma(a2, b2, acc2_2);
      acc2_3 = fma(a2, b3, acc2_3);
      acc3_0 = fma(a3, b0, acc3_0);
      acc3_1 = fma(a3, b1, acc3_1);
      acc3_2 = fma(a3, b2, acc3_2);
      acc3_3 = fma(a3, b3, acc3_3);
    }
    workgroupBarrier();
  }
  if (m0 + 0u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 0u * 16u, acc0_0); }
  if (m0 + 0u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 1u * 16u, acc0_1); }
  if (m0 + 0u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 2u * 16u, acc0_2); }
  if (m0 + 0u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 3u * 16u, acc0_3); }
  if (m0 + 1u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 0u * 16u, acc1_0); }
  if (m0 + 1u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 1u * 16u, acc1_1); }
  if (m0 + 1u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 2u * 16u, acc1_2); }
  if (m0 + 1u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 3u * 16u, acc1_3); }
  if (m0 + 2u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 0u * 16u, acc2_0); }
  if (m0 + 2u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 1u * 16u, acc2_1); }
  if (m0 + 2u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 2u * 16u, acc2_2); }
  if (m0 + 2u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 3u * 16u, acc2_3); }
  if (m0 + 3u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 0u * 16u, acc3_0); }
  if (m0 + 3u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 1u * 16u, acc3_1); }
  if (m0 + 3u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 2u * 16u, acc3_2); }
  if (m0 + 3u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 3u * 16u, acc3_3); }
}


// ---- pool2d_max:maxpool2
// pool2d max: 16×10×10 → 5×5, kernel 2×2, stride 2×2, pad 0,0,0,0
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const H = 10i;
const W = 10i;
const OH = 5i;
const OW = 5i;
const KH = 2i;
const KW = 2i;
const SH = 2i;
const SW = 2i;
const PT = 0i;
const PL = 0i;
const HE = 10i;
const WE = 10i;
fn item(i: u32) {
  let ow = i32(i % u32(OW));
  let rest = i / u32(OW);
  let oh = i32(rest % u32(OH));
  let nc = rest / u32(OH);
  let plane = nc * 100u;
  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);
  var best = x[plane + u32(y0 * W + x0)];
  { let r = y0 + 0i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 0i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 1i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  { let r = y0 + 1i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; best = select(best, v, v > best); }
  let red = best;
  out[i] = red;
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 400u;
  let base = wg * 128u + lid;
  for (var j = 0u; j < (1u + params.zero); j++) {
    let i = base + j * 128u;
    if (i < total) { item(i); }
  }
}


// ---- dense+relu:fc1
// dense: 400 → 120 + bias
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_y(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let v = r; r = max(v, f32(0.0)); }
  return r;
}
fn loadA(g: u32, m: u32, k: u32) -> f32 { return w[m * 400u + k * 1u]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  return x[k * 1u + n * 400u];
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  y[m * 1u + n * 120u] = epilogue_y(v + bias[m], m * 1u + n * 120u);
}

const BM = 64u;
const BN = 64u;
const BK = 16u;
const GEMM_GROUPS = 1u;
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 120u;
  let N = params.batch;
  let K = 400u;
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += 256u) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += 256u) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a0 = tileA[kk * BM + ty + 0u * 16u];
      let a1 = tileA[kk * BM + ty + 1u * 16u];
      let a2 = tileA[kk * BM + ty + 2u * 16u];
      let a3 = tileA[kk * BM + ty + 3u * 16u];
      let b0 = tileB[kk * BN + tx + 0u * 16u];
      let b1 = tileB[kk * BN + tx + 1u * 16u];
      let b2 = tileB[kk * BN + tx + 2u * 16u];
      let b3 = tileB[kk * BN + tx + 3u * 16u];
      acc0_0 = fma(a0, b0, acc0_0);
      acc0_1 = fma(a0, b1, acc0_1);
      acc0_2 = fma(a0, b2, acc0_2);
      acc0_3 = fma(a0, b3, acc0_3);
      acc1_0 = fma(a1, b0, acc1_0);
      acc1_1 = fma(a1, b1, acc1_1);
      acc1_2 = fma(a1, b2, acc1_2);
      acc1_3 = fma(a1, b3, acc1_3);
      acc2_0 = fma(a2, b0, acc2_0);
      acc2_1 = fma(a2, b1, acc2_1);
      acc2_2 = fma(a2, b2, acc2_2);
      acc2_3 = fma(a2, b3, acc2_3);
      acc3_0 = fma(a3, b0, acc3_0);
      acc3_1 = fma(a3, b1, acc3_1);
      acc3_2 = fma(a3, b2, acc3_2);
      acc3_3 = fma(a3, b3, acc3_3);
    }
    workgroupBarrier();
  }
  if (m0 + 0u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 0u * 16u, acc0_0); }
  if (m0 + 0u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 1u * 16u, acc0_1); }
  if (m0 + 0u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 2u * 16u, acc0_2); }
  if (m0 + 0u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 3u * 16u, acc0_3); }
  if (m0 + 1u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 0u * 16u, acc1_0); }
  if (m0 + 1u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 1u * 16u, acc1_1); }
  if (m0 + 1u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 2u * 16u, acc1_2); }
  if (m0 + 1u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 3u * 16u, acc1_3); }
  if (m0 + 2u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 0u * 16u, acc2_0); }
  if (m0 + 2u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 1u * 16u, acc2_1); }
  if (m0 + 2u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 2u * 16u, acc2_2); }
  if (m0 + 2u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 3u * 16u, acc2_3); }
  if (m0 + 3u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 0u * 16u, acc3_0); }
  if (m0 + 3u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 1u * 16u, acc3_1); }
  if (m0 + 3u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 2u * 16u, acc3_2); }
  if (m0 + 3u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 3u * 16u, acc3_3); }
}


// ---- dense+relu:fc2
// dense: 120 → 84 + bias
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_y(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let v = r; r = max(v, f32(0.0)); }
  return r;
}
fn loadA(g: u32, m: u32, k: u32) -> f32 { return w[m * 120u + k * 1u]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  return x[k * 1u + n * 120u];
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  y[m * 1u + n * 84u] = epilogue_y(v + bias[m], m * 1u + n * 84u);
}

const BM = 64u;
const BN = 64u;
const BK = 16u;
const GEMM_GROUPS = 1u;
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 84u;
  let N = params.batch;
  let K = 120u;
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += 256u) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += 256u) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a0 = tileA[kk * BM + ty + 0u * 16u];
      let a1 = tileA[kk * BM + ty + 1u * 16u];
      let a2 = tileA[kk * BM + ty + 2u * 16u];
      let a3 = tileA[kk * BM + ty + 3u * 16u];
      let b0 = tileB[kk * BN + tx + 0u * 16u];
      let b1 = tileB[kk * BN + tx + 1u * 16u];
      let b2 = tileB[kk * BN + tx + 2u * 16u];
      let b3 = tileB[kk * BN + tx + 3u * 16u];
      acc0_0 = fma(a0, b0, acc0_0);
      acc0_1 = fma(a0, b1, acc0_1);
      acc0_2 = fma(a0, b2, acc0_2);
      acc0_3 = fma(a0, b3, acc0_3);
      acc1_0 = fma(a1, b0, acc1_0);
      acc1_1 = fma(a1, b1, acc1_1);
      acc1_2 = fma(a1, b2, acc1_2);
      acc1_3 = fma(a1, b3, acc1_3);
      acc2_0 = fma(a2, b0, acc2_0);
      acc2_1 = fma(a2, b1, acc2_1);
      acc2_2 = fma(a2, b2, acc2_2);
      acc2_3 = fma(a2, b3, acc2_3);
      acc3_0 = fma(a3, b0, acc3_0);
      acc3_1 = fma(a3, b1, acc3_1);
      acc3_2 = fma(a3, b2, acc3_2);
      acc3_3 = fma(a3, b3, acc3_3);
    }
    workgroupBarrier();
  }
  if (m0 + 0u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 0u * 16u, acc0_0); }
  if (m0 + 0u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 1u * 16u, acc0_1); }
  if (m0 + 0u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 2u * 16u, acc0_2); }
  if (m0 + 0u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 3u * 16u, acc0_3); }
  if (m0 + 1u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 0u * 16u, acc1_0); }
  if (m0 + 1u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 1u * 16u, acc1_1); }
  if (m0 + 1u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 2u * 16u, acc1_2); }
  if (m0 + 1u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 3u * 16u, acc1_3); }
  if (m0 + 2u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 0u * 16u, acc2_0); }
  if (m0 + 2u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 1u * 16u, acc2_1); }
  if (m0 + 2u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 2u * 16u, acc2_2); }
  if (m0 + 2u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 3u * 16u, acc2_3); }
  if (m0 + 3u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 0u * 16u, acc3_0); }
  if (m0 + 3u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 1u * 16u, acc3_1); }
  if (m0 + 3u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 2u * 16u, acc3_2); }
  if (m0 + 3u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 3u * 16u, acc3_3); }
}


// ---- dense:fc3
// dense: 84 → 10 + bias
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
fn loadA(g: u32, m: u32, k: u32) -> f32 { return w[m * 84u + k * 1u]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  return x[k * 1u + n * 84u];
}
fn storeC(g: u32, m: u32, n: u32, v: f32) {
  y[m * 1u + n * 10u] = v + bias[m];
}

const BM = 64u;
const BN = 64u;
const BK = 16u;
const GEMM_GROUPS = 1u;
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 10u;
  let N = params.batch;
  let K = 84u;
  let tilesM = (M + BM - 1u) / BM;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesM * tilesN * GEMM_GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let tm = rest % tilesM;
  let g = rest / tilesM;
  let tx = lxy.x;
  let ty = lxy.y;
  // Rows and columns of this invocation are strided by the workgroup's extent, so neighbouring
  // invocations read neighbouring words of the tiles.
  let m0 = tm * BM + ty;
  let n0 = tn * BN + tx;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += 256u) {
      let kk = e / BM;
      let m = tm * BM + e % BM;
      let k = k0 + kk;
      var v = 0.0;
      if (m < M && k < K) { v = loadA(g, m, k); }
      tileA[e] = v;
    }
    for (var e = lid; e < BK * BN; e += 256u) {
      let kk = e / BN;
      let n = tn * BN + e % BN;
      let k = k0 + kk;
      var v = 0.0;
      if (n < N && k < K) { v = loadB(g, k, n); }
      tileB[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a0 = tileA[kk * BM + ty + 0u * 16u];
      let a1 = tileA[kk * BM + ty + 1u * 16u];
      let a2 = tileA[kk * BM + ty + 2u * 16u];
      let a3 = tileA[kk * BM + ty + 3u * 16u];
      let b0 = tileB[kk * BN + tx + 0u * 16u];
      let b1 = tileB[kk * BN + tx + 1u * 16u];
      let b2 = tileB[kk * BN + tx + 2u * 16u];
      let b3 = tileB[kk * BN + tx + 3u * 16u];
      acc0_0 = fma(a0, b0, acc0_0);
      acc0_1 = fma(a0, b1, acc0_1);
      acc0_2 = fma(a0, b2, acc0_2);
      acc0_3 = fma(a0, b3, acc0_3);
      acc1_0 = fma(a1, b0, acc1_0);
      acc1_1 = fma(a1, b1, acc1_1);
      acc1_2 = fma(a1, b2, acc1_2);
      acc1_3 = fma(a1, b3, acc1_3);
      acc2_0 = fma(a2, b0, acc2_0);
      acc2_1 = fma(a2, b1, acc2_1);
      acc2_2 = fma(a2, b2, acc2_2);
      acc2_3 = fma(a2, b3, acc2_3);
      acc3_0 = fma(a3, b0, acc3_0);
      acc3_1 = fma(a3, b1, acc3_1);
      acc3_2 = fma(a3, b2, acc3_2);
      acc3_3 = fma(a3, b3, acc3_3);
    }
    workgroupBarrier();
  }
  if (m0 + 0u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 0u * 16u, acc0_0); }
  if (m0 + 0u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 1u * 16u, acc0_1); }
  if (m0 + 0u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 2u * 16u, acc0_2); }
  if (m0 + 0u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 0u * 16u, n0 + 3u * 16u, acc0_3); }
  if (m0 + 1u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 0u * 16u, acc1_0); }
  if (m0 + 1u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 1u * 16u, acc1_1); }
  if (m0 + 1u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 2u * 16u, acc1_2); }
  if (m0 + 1u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 1u * 16u, n0 + 3u * 16u, acc1_3); }
  if (m0 + 2u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 0u * 16u, acc2_0); }
  if (m0 + 2u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 1u * 16u, acc2_1); }
  if (m0 + 2u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 2u * 16u, acc2_2); }
  if (m0 + 2u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 2u * 16u, n0 + 3u * 16u, acc2_3); }
  if (m0 + 3u * 16u < M && n0 + 0u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 0u * 16u, acc3_0); }
  if (m0 + 3u * 16u < M && n0 + 1u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 1u * 16u, acc3_1); }
  if (m0 + 3u * 16u < M && n0 + 2u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 2u * 16u, acc3_2); }
  if (m0 + 3u * 16u < M && n0 + 3u * 16u < N) { storeC(g, m0 + 3u * 16u, n0 + 3u * 16u, acc3_3); }
}

