// ---- conv2d_fwd+relu:conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
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
const IN_W = 28u;
const IN_HW = 784u;
const IN_CHW = 784u;
const IN_H_I = 28i;
const IN_W_I = 28i;
const OUT_C = 6u;
const OUT_H = 28u;
const OUT_W = 28u;
const OUT_HW = 784u;
const CG_IN = 1u;
const CG_OUT = 6u;
const GROUPS = 1u;
const KH = 5u;
const KW = 5u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 2i;
const PL = 2i;
const WG = 64u;
const TM = 6u;
const TN = 4u;
const SEGS = 7u;
const TILES_M = 1u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let nseg = params.batch * OUT_H * SEGS;
  let tilesN = (nseg + WG - 1u) / WG;
  if (wg >= tilesN * TILES_M * GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let m0 = (rest % TILES_M) * TM;
  let g = rest / TILES_M;
  let s = tn * WG + lid;
  let ok = s < nseg;
  let sc = min(s, nseg - 1u);
  let row = sc / SEGS;
  let ow0 = (sc % SEGS) * TN;
  let nb = row / OUT_H;
  let oh = row % OUT_H;
  let xb = nb * IN_CHW + g * CG_IN * IN_HW;
  let iw0 = i32(ow0 * SW) - PL + 0i;
  let cok0 = iw0 >= 0i && iw0 < IN_W_I;
  let ic0 = u32(clamp(iw0, 0i, IN_W_I - 1i));
  let iw1 = i32(ow0 * SW) - PL + 1i;
  let cok1 = iw1 >= 0i && iw1 < IN_W_I;
  let ic1 = u32(clamp(iw1, 0i, IN_W_I - 1i));
  let iw2 = i32(ow0 * SW) - PL + 2i;
  let cok2 = iw2 >= 0i && iw2 < IN_W_I;
  let ic2 = u32(clamp(iw2, 0i, IN_W_I - 1i));
  let iw3 = i32(ow0 * SW) - PL + 3i;
  let cok3 = iw3 >= 0i && iw3 < IN_W_I;
  let ic3 = u32(clamp(iw3, 0i, IN_W_I - 1i));
  let iw4 = i32(ow0 * SW) - PL + 4i;
  let cok4 = iw4 >= 0i && iw4 < IN_W_I;
  let ic4 = u32(clamp(iw4, 0i, IN_W_I - 1i));
  let iw5 = i32(ow0 * SW) - PL + 5i;
  let cok5 = iw5 >= 0i && iw5 < IN_W_I;
  let ic5 = u32(clamp(iw5, 0i, IN_W_I - 1i));
  let iw6 = i32(ow0 * SW) - PL + 6i;
  let cok6 = iw6 >= 0i && iw6 < IN_W_I;
  let ic6 = u32(clamp(iw6, 0i, IN_W_I - 1i));
  let iw7 = i32(ow0 * SW) - PL + 7i;
  let cok7 = iw7 >= 0i && iw7 < IN_W_I;
  let ic7 = u32(clamp(iw7, 0i, IN_W_I - 1i));
  let q0 = min(sl + 0u, 29u);
  let wl0 = (g * 6u + min(m0 + q0 / KW, CG_OUT - 1u)) * 25u + (q0 % KW);
  let q1 = min(sl + 8u, 29u);
  let wl1 = (g * 6u + min(m0 + q1 / KW, CG_OUT - 1u)) * 25u + (q1 % KW);
  let q2 = min(sl + 16u, 29u);
  let wl2 = (g * 6u + min(m0 + q2 / KW, CG_OUT - 1u)) * 25u + (q2 % KW);
  let q3 = min(sl + 24u, 29u);
  let wl3 = (g * 6u + min(m0 + q3 / KW, CG_OUT - 1u)) * 25u + (q3 % KW);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  let top = PT - i32(oh * SH);
  let room = IN_H_I + PT - i32(oh * SH);
  let khLo = subgroupMin(u32(clamp((top + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));
  let khHi = subgroupMax(u32(clamp((room + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));
  for (var kh = khLo; kh < khHi; kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    let m4 = rok && cok4;
    let m5 = rok && cok5;
    let m6 = rok && cok6;
    let m7 = rok && cok7;
    var wo = kh * 5u;
    {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let x6 = select(0.0, x[rb + ic6], m6);
      let x7 = select(0.0, x[rb + ic7], m7);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let ws3 = w[wl3 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws3, 1u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws3, 2u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws3, 3u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv0_3 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc0_0 = fma(wv0_3, vec4<f32>(x3, x4, x5, x6), acc0_0);
      let wv1_3 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc1_0 = fma(wv1_3, vec4<f32>(x3, x4, x5, x6), acc1_0);
      let wv2_3 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc2_0 = fma(wv2_3, vec4<f32>(x3, x4, x5, x6), acc2_0);
      let wv3_3 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc3_0 = fma(wv3_3, vec4<f32>(x3, x4, x5, x6), acc3_0);
      let wv4_3 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc4_0 = fma(wv4_3, vec4<f32>(x3, x4, x5, x6), acc4_0);
      let wv5_3 = vec4<f32>(subgroupBroadcast(ws3, 4u));
      acc5_0 = fma(wv5_3, vec4<f32>(x3, x4, x5, x6), acc5_0);
      let wv0_4 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc0_0 = fma(wv0_4, vec4<f32>(x4, x5, x6, x7), acc0_0);
      let wv1_4 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc1_0 = fma(wv1_4, vec4<f32>(x4, x5, x6, x7), acc1_0);
      let wv2_4 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc2_0 = fma(wv2_4, vec4<f32>(x4, x5, x6, x7), acc2_0);
      let wv3_4 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc3_0 = fma(wv3_4, vec4<f32>(x4, x5, x6, x7), acc3_0);
      let wv4_4 = vec4<f32>(subgroupBroadcast(ws3, 0u));
      acc4_0 = fma(wv4_4, vec4<f32>(x4, x5, x6, x7), acc4_0);
      let wv5_4 = vec4<f32>(subgroupBroadcast(ws3, 5u));
      acc5_0 = fma(wv5_4, vec4<f32>(x4, x5, x6, x7), acc5_0);
      rb += IN_HW;
      wo += 25u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    let bias0 = b[o0];
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = epilogue_y(acc0_0[0] + bias0, yb0 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = epilogue_y(acc0_0[1] + bias0, yb0 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = epilogue_y(acc0_0[2] + bias0, yb0 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = epilogue_y(acc0_0[3] + bias0, yb0 + 3u); }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    let bias1 = b[o1];
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = epilogue_y(acc1_0[0] + bias1, yb1 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = epilogue_y(acc1_0[1] + bias1, yb1 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = epilogue_y(acc1_0[2] + bias1, yb1 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = epilogue_y(acc1_0[3] + bias1, yb1 + 3u); }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    let bias2 = b[o2];
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = epilogue_y(acc2_0[0] + bias2, yb2 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = epilogue_y(acc2_0[1] + bias2, yb2 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = epilogue_y(acc2_0[2] + bias2, yb2 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = epilogue_y(acc2_0[3] + bias2, yb2 + 3u); }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    let bias3 = b[o3];
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = epilogue_y(acc3_0[0] + bias3, yb3 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = epilogue_y(acc3_0[1] + bias3, yb3 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = epilogue_y(acc3_0[2] + bias3, yb3 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = epilogue_y(acc3_0[3] + bias3, yb3 + 3u); }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    let bias4 = b[o4];
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = epilogue_y(acc4_0[0] + bias4, yb4 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = epilogue_y(acc4_0[1] + bias4, yb4 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = epilogue_y(acc4_0[2] + bias4, yb4 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = epilogue_y(acc4_0[3] + bias4, yb4 + 3u); }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    let bias5 = b[o5];
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = epilogue_y(acc5_0[0] + bias5, yb5 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = epilogue_y(acc5_0[1] + bias5, yb5 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = epilogue_y(acc5_0[2] + bias5, yb5 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = epilogue_y(acc5_0[3] + bias5, yb5 + 3u); }
  }
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

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 1176u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- conv2d_fwd+relu:conv2
enable subgroups;
diagnostic(off, subgroup_uniformity);
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
const IN_W = 14u;
const IN_HW = 196u;
const IN_CHW = 1176u;
const IN_H_I = 14i;
const IN_W_I = 14i;
const OUT_C = 16u;
const OUT_H = 10u;
const OUT_W = 10u;
const OUT_HW = 100u;
const CG_IN = 6u;
const CG_OUT = 16u;
const GROUPS = 1u;
const KH = 5u;
const KW = 5u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 0i;
const PL = 0i;
const WG = 64u;
const TM = 16u;
const TN = 4u;
const SEGS = 3u;
const TILES_M = 1u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let nseg = params.batch * OUT_H * SEGS;
  let tilesN = (nseg + WG - 1u) / WG;
  if (wg >= tilesN * TILES_M * GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let m0 = (rest % TILES_M) * TM;
  let g = rest / TILES_M;
  let s = tn * WG + lid;
  let ok = s < nseg;
  let sc = min(s, nseg - 1u);
  let row = sc / SEGS;
  let ow0 = (sc % SEGS) * TN;
  let nb = row / OUT_H;
  let oh = row % OUT_H;
  let xb = nb * IN_CHW + g * CG_IN * IN_HW;
  let iw0 = i32(ow0 * SW) - PL + 0i;
  let cok0 = iw0 >= 0i && iw0 < IN_W_I;
  let ic0 = u32(clamp(iw0, 0i, IN_W_I - 1i));
  let iw1 = i32(ow0 * SW) - PL + 1i;
  let cok1 = iw1 >= 0i && iw1 < IN_W_I;
  let ic1 = u32(clamp(iw1, 0i, IN_W_I - 1i));
  let iw2 = i32(ow0 * SW) - PL + 2i;
  let cok2 = iw2 >= 0i && iw2 < IN_W_I;
  let ic2 = u32(clamp(iw2, 0i, IN_W_I - 1i));
  let iw3 = i32(ow0 * SW) - PL + 3i;
  let cok3 = iw3 >= 0i && iw3 < IN_W_I;
  let ic3 = u32(clamp(iw3, 0i, IN_W_I - 1i));
  let iw4 = i32(ow0 * SW) - PL + 4i;
  let cok4 = iw4 >= 0i && iw4 < IN_W_I;
  let ic4 = u32(clamp(iw4, 0i, IN_W_I - 1i));
  let iw5 = i32(ow0 * SW) - PL + 5i;
  let cok5 = iw5 >= 0i && iw5 < IN_W_I;
  let ic5 = u32(clamp(iw5, 0i, IN_W_I - 1i));
  let iw6 = i32(ow0 * SW) - PL + 6i;
  let cok6 = iw6 >= 0i && iw6 < IN_W_I;
  let ic6 = u32(clamp(iw6, 0i, IN_W_I - 1i));
  let iw7 = i32(ow0 * SW) - PL + 7i;
  let cok7 = iw7 >= 0i && iw7 < IN_W_I;
  let ic7 = u32(clamp(iw7, 0i, IN_W_I - 1i));
  let q0 = min(sl + 0u, 79u);
  let wl0 = (g * 16u + min(m0 + q0 / KW, CG_OUT - 1u)) * 150u + (q0 % KW);
  let q1 = min(sl + 8u, 79u);
  let wl1 = (g * 16u + min(m0 + q1 / KW, CG_OUT - 1u)) * 150u + (q1 % KW);
  let q2 = min(sl + 16u, 79u);
  let wl2 = (g * 16u + min(m0 + q2 / KW, CG_OUT - 1u)) * 150u + (q2 % KW);
  let q3 = min(sl + 24u, 79u);
  let wl3 = (g * 16u + min(m0 + q3 / KW, CG_OUT - 1u)) * 150u + (q3 % KW);
  let q4 = min(sl + 32u, 79u);
  let wl4 = (g * 16u + min(m0 + q4 / KW, CG_OUT - 1u)) * 150u + (q4 % KW);
  let q5 = min(sl + 40u, 79u);
  let wl5 = (g * 16u + min(m0 + q5 / KW, CG_OUT - 1u)) * 150u + (q5 % KW);
  let q6 = min(sl + 48u, 79u);
  let wl6 = (g * 16u + min(m0 + q6 / KW, CG_OUT - 1u)) * 150u + (q6 % KW);
  let q7 = min(sl + 56u, 79u);
  let wl7 = (g * 16u + min(m0 + q7 / KW, CG_OUT - 1u)) * 150u + (q7 % KW);
  let q8 = min(sl + 64u, 79u);
  let wl8 = (g * 16u + min(m0 + q8 / KW, CG_OUT - 1u)) * 150u + (q8 % KW);
  let q9 = min(sl + 72u, 79u);
  let wl9 = (g * 16u + min(m0 + q9 / KW, CG_OUT - 1u)) * 150u + (q9 % KW);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  var acc8_0 = vec4<f32>(0.0);
  var acc9_0 = vec4<f32>(0.0);
  var acc10_0 = vec4<f32>(0.0);
  var acc11_0 = vec4<f32>(0.0);
  var acc12_0 = vec4<f32>(0.0);
  var acc13_0 = vec4<f32>(0.0);
  var acc14_0 = vec4<f32>(0.0);
  var acc15_0 = vec4<f32>(0.0);
  for (var kh = 0u; kh < (KH + params.zero); kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    let m4 = rok && cok4;
    let m5 = rok && cok5;
    let m6 = rok && cok6;
    let m7 = rok && cok7;
    var wo = kh * 5u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let x6 = select(0.0, x[rb + ic6], m6);
      let x7 = select(0.0, x[rb + ic7], m7);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let ws3 = w[wl3 + wo];
      let ws4 = w[wl4 + wo];
      let ws5 = w[wl5 + wo];
      let ws6 = w[wl6 + wo];
      let ws7 = w[wl7 + wo];
      let ws8 = w[wl8 + wo];
      let ws9 = w[wl9 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws3, 1u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws3, 6u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws4, 3u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv8_0 = vec4<f32>(subgroupBroadcast(ws5, 0u));
      acc8_0 = fma(wv8_0, vec4<f32>(x0, x1, x2, x3), acc8_0);
      let wv9_0 = vec4<f32>(subgroupBroadcast(ws5, 5u));
      acc9_0 = fma(wv9_0, vec4<f32>(x0, x1, x2, x3), acc9_0);
      let wv10_0 = vec4<f32>(subgroupBroadcast(ws6, 2u));
      acc10_0 = fma(wv10_0, vec4<f32>(x0, x1, x2, x3), acc10_0);
      let wv11_0 = vec4<f32>(subgroupBroadcast(ws6, 7u));
      acc11_0 = fma(wv11_0, vec4<f32>(x0, x1, x2, x3), acc11_0);
      let wv12_0 = vec4<f32>(subgroupBroadcast(ws7, 4u));
      acc12_0 = fma(wv12_0, vec4<f32>(x0, x1, x2, x3), acc12_0);
      let wv13_0 = vec4<f32>(subgroupBroadcast(ws8, 1u));
      acc13_0 = fma(wv13_0, vec4<f32>(x0, x1, x2, x3), acc13_0);
      let wv14_0 = vec4<f32>(subgroupBroadcast(ws8, 6u));
      acc14_0 = fma(wv14_0, vec4<f32>(x0, x1, x2, x3), acc14_0);
      let wv15_0 = vec4<f32>(subgroupBroadcast(ws9, 3u));
      acc15_0 = fma(wv15_0, vec4<f32>(x0, x1, x2, x3), acc15_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws3, 2u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws3, 7u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws4, 4u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv8_1 = vec4<f32>(subgroupBroadcast(ws5, 1u));
      acc8_0 = fma(wv8_1, vec4<f32>(x1, x2, x3, x4), acc8_0);
      let wv9_1 = vec4<f32>(subgroupBroadcast(ws5, 6u));
      acc9_0 = fma(wv9_1, vec4<f32>(x1, x2, x3, x4), acc9_0);
      let wv10_1 = vec4<f32>(subgroupBroadcast(ws6, 3u));
      acc10_0 = fma(wv10_1, vec4<f32>(x1, x2, x3, x4), acc10_0);
      let wv11_1 = vec4<f32>(subgroupBroadcast(ws7, 0u));
      acc11_0 = fma(wv11_1, vec4<f32>(x1, x2, x3, x4), acc11_0);
      let wv12_1 = vec4<f32>(subgroupBroadcast(ws7, 5u));
      acc12_0 = fma(wv12_1, vec4<f32>(x1, x2, x3, x4), acc12_0);
      let wv13_1 = vec4<f32>(subgroupBroadcast(ws8, 2u));
      acc13_0 = fma(wv13_1, vec4<f32>(x1, x2, x3, x4), acc13_0);
      let wv14_1 = vec4<f32>(subgroupBroadcast(ws8, 7u));
      acc14_0 = fma(wv14_1, vec4<f32>(x1, x2, x3, x4), acc14_0);
      let wv15_1 = vec4<f32>(subgroupBroadcast(ws9, 4u));
      acc15_0 = fma(wv15_1, vec4<f32>(x1, x2, x3, x4), acc15_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws3, 3u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws4, 0u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws4, 5u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      let wv8_2 = vec4<f32>(subgroupBroadcast(ws5, 2u));
      acc8_0 = fma(wv8_2, vec4<f32>(x2, x3, x4, x5), acc8_0);
      let wv9_2 = vec4<f32>(subgroupBroadcast(ws5, 7u));
      acc9_0 = fma(wv9_2, vec4<f32>(x2, x3, x4, x5), acc9_0);
      let wv10_2 = vec4<f32>(subgroupBroadcast(ws6, 4u));
      acc10_0 = fma(wv10_2, vec4<f32>(x2, x3, x4, x5), acc10_0);
      let wv11_2 = vec4<f32>(subgroupBroadcast(ws7, 1u));
      acc11_0 = fma(wv11_2, vec4<f32>(x2, x3, x4, x5), acc11_0);
      let wv12_2 = vec4<f32>(subgroupBroadcast(ws7, 6u));
      acc12_0 = fma(wv12_2, vec4<f32>(x2, x3, x4, x5), acc12_0);
      let wv13_2 = vec4<f32>(subgroupBroadcast(ws8, 3u));
      acc13_0 = fma(wv13_2, vec4<f32>(x2, x3, x4, x5), acc13_0);
      let wv14_2 = vec4<f32>(subgroupBroadcast(ws9, 0u));
      acc14_0 = fma(wv14_2, vec4<f32>(x2, x3, x4, x5), acc14_0);
      let wv15_2 = vec4<f32>(subgroupBroadcast(ws9, 5u));
      acc15_0 = fma(wv15_2, vec4<f32>(x2, x3, x4, x5), acc15_0);
      let wv0_3 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc0_0 = fma(wv0_3, vec4<f32>(x3, x4, x5, x6), acc0_0);
      let wv1_3 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc1_0 = fma(wv1_3, vec4<f32>(x3, x4, x5, x6), acc1_0);
      let wv2_3 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc2_0 = fma(wv2_3, vec4<f32>(x3, x4, x5, x6), acc2_0);
      let wv3_3 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc3_0 = fma(wv3_3, vec4<f32>(x3, x4, x5, x6), acc3_0);
      let wv4_3 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc4_0 = fma(wv4_3, vec4<f32>(x3, x4, x5, x6), acc4_0);
      let wv5_3 = vec4<f32>(subgroupBroadcast(ws3, 4u));
      acc5_0 = fma(wv5_3, vec4<f32>(x3, x4, x5, x6), acc5_0);
      let wv6_3 = vec4<f32>(subgroupBroadcast(ws4, 1u));
      acc6_0 = fma(wv6_3, vec4<f32>(x3, x4, x5, x6), acc6_0);
      let wv7_3 = vec4<f32>(subgroupBroadcast(ws4, 6u));
      acc7_0 = fma(wv7_3, vec4<f32>(x3, x4, x5, x6), acc7_0);
      let wv8_3 = vec4<f32>(subgroupBroadcast(ws5, 3u));
      acc8_0 = fma(wv8_3, vec4<f32>(x3, x4, x5, x6), acc8_0);
      let wv9_3 = vec4<f32>(subgroupBroadcast(ws6, 0u));
      acc9_0 = fma(wv9_3, vec4<f32>(x3, x4, x5, x6), acc9_0);
      let wv10_3 = vec4<f32>(subgroupBroadcast(ws6, 5u));
      acc10_0 = fma(wv10_3, vec4<f32>(x3, x4, x5, x6), acc10_0);
      let wv11_3 = vec4<f32>(subgroupBroadcast(ws7, 2u));
      acc11_0 = fma(wv11_3, vec4<f32>(x3, x4, x5, x6), acc11_0);
      let wv12_3 = vec4<f32>(subgroupBroadcast(ws7, 7u));
      acc12_0 = fma(wv12_3, vec4<f32>(x3, x4, x5, x6), acc12_0);
      let wv13_3 = vec4<f32>(subgroupBroadcast(ws8, 4u));
      acc13_0 = fma(wv13_3, vec4<f32>(x3, x4, x5, x6), acc13_0);
      let wv14_3 = vec4<f32>(subgroupBroadcast(ws9, 1u));
      acc14_0 = fma(wv14_3, vec4<f32>(x3, x4, x5, x6), acc14_0);
      let wv15_3 = vec4<f32>(subgroupBroadcast(ws9, 6u));
      acc15_0 = fma(wv15_3, vec4<f32>(x3, x4, x5, x6), acc15_0);
      let wv0_4 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc0_0 = fma(wv0_4, vec4<f32>(x4, x5, x6, x7), acc0_0);
      let wv1_4 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc1_0 = fma(wv1_4, vec4<f32>(x4, x5, x6, x7), acc1_0);
      let wv2_4 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc2_0 = fma(wv2_4, vec4<f32>(x4, x5, x6, x7), acc2_0);
      let wv3_4 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc3_0 = fma(wv3_4, vec4<f32>(x4, x5, x6, x7), acc3_0);
      let wv4_4 = vec4<f32>(subgroupBroadcast(ws3, 0u));
      acc4_0 = fma(wv4_4, vec4<f32>(x4, x5, x6, x7), acc4_0);
      let wv5_4 = vec4<f32>(subgroupBroadcast(ws3, 5u));
      acc5_0 = fma(wv5_4, vec4<f32>(x4, x5, x6, x7), acc5_0);
      let wv6_4 = vec4<f32>(subgroupBroadcast(ws4, 2u));
      acc6_0 = fma(wv6_4, vec4<f32>(x4, x5, x6, x7), acc6_0);
      let wv7_4 = vec4<f32>(subgroupBroadcast(ws4, 7u));
      acc7_0 = fma(wv7_4, vec4<f32>(x4, x5, x6, x7), acc7_0);
      let wv8_4 = vec4<f32>(subgroupBroadcast(ws5, 4u));
      acc8_0 = fma(wv8_4, vec4<f32>(x4, x5, x6, x7), acc8_0);
      let wv9_4 = vec4<f32>(subgroupBroadcast(ws6, 1u));
      acc9_0 = fma(wv9_4, vec4<f32>(x4, x5, x6, x7), acc9_0);
      let wv10_4 = vec4<f32>(subgroupBroadcast(ws6, 6u));
      acc10_0 = fma(wv10_4, vec4<f32>(x4, x5, x6, x7), acc10_0);
      let wv11_4 = vec4<f32>(subgroupBroadcast(ws7, 3u));
      acc11_0 = fma(wv11_4, vec4<f32>(x4, x5, x6, x7), acc11_0);
      let wv12_4 = vec4<f32>(subgroupBroadcast(ws8, 0u));
      acc12_0 = fma(wv12_4, vec4<f32>(x4, x5, x6, x7), acc12_0);
      let wv13_4 = vec4<f32>(subgroupBroadcast(ws8, 5u));
      acc13_0 = fma(wv13_4, vec4<f32>(x4, x5, x6, x7), acc13_0);
      let wv14_4 = vec4<f32>(subgroupBroadcast(ws9, 2u));
      acc14_0 = fma(wv14_4, vec4<f32>(x4, x5, x6, x7), acc14_0);
      let wv15_4 = vec4<f32>(subgroupBroadcast(ws9, 7u));
      acc15_0 = fma(wv15_4, vec4<f32>(x4, x5, x6, x7), acc15_0);
      rb += IN_HW;
      wo += 25u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    let bias0 = b[o0];
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = epilogue_y(acc0_0[0] + bias0, yb0 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = epilogue_y(acc0_0[1] + bias0, yb0 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = epilogue_y(acc0_0[2] + bias0, yb0 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = epilogue_y(acc0_0[3] + bias0, yb0 + 3u); }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    let bias1 = b[o1];
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = epilogue_y(acc1_0[0] + bias1, yb1 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = epilogue_y(acc1_0[1] + bias1, yb1 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = epilogue_y(acc1_0[2] + bias1, yb1 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = epilogue_y(acc1_0[3] + bias1, yb1 + 3u); }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    let bias2 = b[o2];
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = epilogue_y(acc2_0[0] + bias2, yb2 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = epilogue_y(acc2_0[1] + bias2, yb2 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = epilogue_y(acc2_0[2] + bias2, yb2 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = epilogue_y(acc2_0[3] + bias2, yb2 + 3u); }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    let bias3 = b[o3];
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = epilogue_y(acc3_0[0] + bias3, yb3 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = epilogue_y(acc3_0[1] + bias3, yb3 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = epilogue_y(acc3_0[2] + bias3, yb3 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = epilogue_y(acc3_0[3] + bias3, yb3 + 3u); }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    let bias4 = b[o4];
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = epilogue_y(acc4_0[0] + bias4, yb4 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = epilogue_y(acc4_0[1] + bias4, yb4 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = epilogue_y(acc4_0[2] + bias4, yb4 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = epilogue_y(acc4_0[3] + bias4, yb4 + 3u); }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    let bias5 = b[o5];
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = epilogue_y(acc5_0[0] + bias5, yb5 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = epilogue_y(acc5_0[1] + bias5, yb5 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = epilogue_y(acc5_0[2] + bias5, yb5 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = epilogue_y(acc5_0[3] + bias5, yb5 + 3u); }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    let bias6 = b[o6];
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = epilogue_y(acc6_0[0] + bias6, yb6 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = epilogue_y(acc6_0[1] + bias6, yb6 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = epilogue_y(acc6_0[2] + bias6, yb6 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = epilogue_y(acc6_0[3] + bias6, yb6 + 3u); }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    let bias7 = b[o7];
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = epilogue_y(acc7_0[0] + bias7, yb7 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = epilogue_y(acc7_0[1] + bias7, yb7 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = epilogue_y(acc7_0[2] + bias7, yb7 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = epilogue_y(acc7_0[3] + bias7, yb7 + 3u); }
  }
  if (m0 + 8u < CG_OUT) {
    let o8 = g * CG_OUT + m0 + 8u;
    let yb8 = ob + o8 * OUT_HW;
    let bias8 = b[o8];
    if (ow0 + 0u < OUT_W) { y[yb8 + 0u] = epilogue_y(acc8_0[0] + bias8, yb8 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb8 + 1u] = epilogue_y(acc8_0[1] + bias8, yb8 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb8 + 2u] = epilogue_y(acc8_0[2] + bias8, yb8 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb8 + 3u] = epilogue_y(acc8_0[3] + bias8, yb8 + 3u); }
  }
  if (m0 + 9u < CG_OUT) {
    let o9 = g * CG_OUT + m0 + 9u;
    let yb9 = ob + o9 * OUT_HW;
    let bias9 = b[o9];
    if (ow0 + 0u < OUT_W) { y[yb9 + 0u] = epilogue_y(acc9_0[0] + bias9, yb9 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb9 + 1u] = epilogue_y(acc9_0[1] + bias9, yb9 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb9 + 2u] = epilogue_y(acc9_0[2] + bias9, yb9 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb9 + 3u] = epilogue_y(acc9_0[3] + bias9, yb9 + 3u); }
  }
  if (m0 + 10u < CG_OUT) {
    let o10 = g * CG_OUT + m0 + 10u;
    let yb10 = ob + o10 * OUT_HW;
    let bias10 = b[o10];
    if (ow0 + 0u < OUT_W) { y[yb10 + 0u] = epilogue_y(acc10_0[0] + bias10, yb10 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb10 + 1u] = epilogue_y(acc10_0[1] + bias10, yb10 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb10 + 2u] = epilogue_y(acc10_0[2] + bias10, yb10 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb10 + 3u] = epilogue_y(acc10_0[3] + bias10, yb10 + 3u); }
  }
  if (m0 + 11u < CG_OUT) {
    let o11 = g * CG_OUT + m0 + 11u;
    let yb11 = ob + o11 * OUT_HW;
    let bias11 = b[o11];
    if (ow0 + 0u < OUT_W) { y[yb11 + 0u] = epilogue_y(acc11_0[0] + bias11, yb11 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb11 + 1u] = epilogue_y(acc11_0[1] + bias11, yb11 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb11 + 2u] = epilogue_y(acc11_0[2] + bias11, yb11 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb11 + 3u] = epilogue_y(acc11_0[3] + bias11, yb11 + 3u); }
  }
  if (m0 + 12u < CG_OUT) {
    let o12 = g * CG_OUT + m0 + 12u;
    let yb12 = ob + o12 * OUT_HW;
    let bias12 = b[o12];
    if (ow0 + 0u < OUT_W) { y[yb12 + 0u] = epilogue_y(acc12_0[0] + bias12, yb12 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb12 + 1u] = epilogue_y(acc12_0[1] + bias12, yb12 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb12 + 2u] = epilogue_y(acc12_0[2] + bias12, yb12 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb12 + 3u] = epilogue_y(acc12_0[3] + bias12, yb12 + 3u); }
  }
  if (m0 + 13u < CG_OUT) {
    let o13 = g * CG_OUT + m0 + 13u;
    let yb13 = ob + o13 * OUT_HW;
    let bias13 = b[o13];
    if (ow0 + 0u < OUT_W) { y[yb13 + 0u] = epilogue_y(acc13_0[0] + bias13, yb13 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb13 + 1u] = epilogue_y(acc13_0[1] + bias13, yb13 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb13 + 2u] = epilogue_y(acc13_0[2] + bias13, yb13 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb13 + 3u] = epilogue_y(acc13_0[3] + bias13, yb13 + 3u); }
  }
  if (m0 + 14u < CG_OUT) {
    let o14 = g * CG_OUT + m0 + 14u;
    let yb14 = ob + o14 * OUT_HW;
    let bias14 = b[o14];
    if (ow0 + 0u < OUT_W) { y[yb14 + 0u] = epilogue_y(acc14_0[0] + bias14, yb14 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb14 + 1u] = epilogue_y(acc14_0[1] + bias14, yb14 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb14 + 2u] = epilogue_y(acc14_0[2] + bias14, yb14 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb14 + 3u] = epilogue_y(acc14_0[3] + bias14, yb14 + 3u); }
  }
  if (m0 + 15u < CG_OUT) {
    let o15 = g * CG_OUT + m0 + 15u;
    let yb15 = ob + o15 * OUT_HW;
    let bias15 = b[o15];
    if (ow0 + 0u < OUT_W) { y[yb15 + 0u] = epilogue_y(acc15_0[0] + bias15, yb15 + 0u); }
    if (ow0 + 1u < OUT_W) { y[yb15 + 1u] = epilogue_y(acc15_0[1] + bias15, yb15 + 1u); }
    if (ow0 + 2u < OUT_W) { y[yb15 + 2u] = epilogue_y(acc15_0[2] + bias15, yb15 + 2u); }
    if (ow0 + 3u < OUT_W) { y[yb15 + 3u] = epilogue_y(acc15_0[3] + bias15, yb15 + 3u); }
  }
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

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 400u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- dense+relu:fc1
enable subgroups;
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
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 120u;
  let N = params.batch;
  let K = 400u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 400u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 400u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 400u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 400u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 400u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 400u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 400u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 400u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 400u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(w[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(w[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(w[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(w[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(w[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(w[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 1u;
    kb += 1u;
  }
  if (m0 < M) {
    let bias0 = bias[m0];
    if (nb + 0u < N) { y[m0 * 1u + (nb + 0u) * 120u] = epilogue_y(acc0_0[0] + bias0, m0 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m0 * 1u + (nb + 1u) * 120u] = epilogue_y(acc0_0[1] + bias0, m0 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m0 * 1u + (nb + 2u) * 120u] = epilogue_y(acc0_0[2] + bias0, m0 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m0 * 1u + (nb + 3u) * 120u] = epilogue_y(acc0_0[3] + bias0, m0 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m0 * 1u + (nb + 4u) * 120u] = epilogue_y(acc0_1[0] + bias0, m0 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m0 * 1u + (nb + 5u) * 120u] = epilogue_y(acc0_1[1] + bias0, m0 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m0 * 1u + (nb + 6u) * 120u] = epilogue_y(acc0_1[2] + bias0, m0 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m0 * 1u + (nb + 7u) * 120u] = epilogue_y(acc0_1[3] + bias0, m0 * 1u + (nb + 7u) * 120u); }
  }
  if (m1 < M) {
    let bias1 = bias[m1];
    if (nb + 0u < N) { y[m1 * 1u + (nb + 0u) * 120u] = epilogue_y(acc1_0[0] + bias1, m1 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m1 * 1u + (nb + 1u) * 120u] = epilogue_y(acc1_0[1] + bias1, m1 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m1 * 1u + (nb + 2u) * 120u] = epilogue_y(acc1_0[2] + bias1, m1 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m1 * 1u + (nb + 3u) * 120u] = epilogue_y(acc1_0[3] + bias1, m1 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m1 * 1u + (nb + 4u) * 120u] = epilogue_y(acc1_1[0] + bias1, m1 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m1 * 1u + (nb + 5u) * 120u] = epilogue_y(acc1_1[1] + bias1, m1 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m1 * 1u + (nb + 6u) * 120u] = epilogue_y(acc1_1[2] + bias1, m1 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m1 * 1u + (nb + 7u) * 120u] = epilogue_y(acc1_1[3] + bias1, m1 * 1u + (nb + 7u) * 120u); }
  }
  if (m2 < M) {
    let bias2 = bias[m2];
    if (nb + 0u < N) { y[m2 * 1u + (nb + 0u) * 120u] = epilogue_y(acc2_0[0] + bias2, m2 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m2 * 1u + (nb + 1u) * 120u] = epilogue_y(acc2_0[1] + bias2, m2 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m2 * 1u + (nb + 2u) * 120u] = epilogue_y(acc2_0[2] + bias2, m2 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m2 * 1u + (nb + 3u) * 120u] = epilogue_y(acc2_0[3] + bias2, m2 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m2 * 1u + (nb + 4u) * 120u] = epilogue_y(acc2_1[0] + bias2, m2 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m2 * 1u + (nb + 5u) * 120u] = epilogue_y(acc2_1[1] + bias2, m2 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m2 * 1u + (nb + 6u) * 120u] = epilogue_y(acc2_1[2] + bias2, m2 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m2 * 1u + (nb + 7u) * 120u] = epilogue_y(acc2_1[3] + bias2, m2 * 1u + (nb + 7u) * 120u); }
  }
  if (m3 < M) {
    let bias3 = bias[m3];
    if (nb + 0u < N) { y[m3 * 1u + (nb + 0u) * 120u] = epilogue_y(acc3_0[0] + bias3, m3 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m3 * 1u + (nb + 1u) * 120u] = epilogue_y(acc3_0[1] + bias3, m3 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m3 * 1u + (nb + 2u) * 120u] = epilogue_y(acc3_0[2] + bias3, m3 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m3 * 1u + (nb + 3u) * 120u] = epilogue_y(acc3_0[3] + bias3, m3 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m3 * 1u + (nb + 4u) * 120u] = epilogue_y(acc3_1[0] + bias3, m3 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m3 * 1u + (nb + 5u) * 120u] = epilogue_y(acc3_1[1] + bias3, m3 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m3 * 1u + (nb + 6u) * 120u] = epilogue_y(acc3_1[2] + bias3, m3 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m3 * 1u + (nb + 7u) * 120u] = epilogue_y(acc3_1[3] + bias3, m3 * 1u + (nb + 7u) * 120u); }
  }
  if (m4 < M) {
    let bias4 = bias[m4];
    if (nb + 0u < N) { y[m4 * 1u + (nb + 0u) * 120u] = epilogue_y(acc4_0[0] + bias4, m4 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m4 * 1u + (nb + 1u) * 120u] = epilogue_y(acc4_0[1] + bias4, m4 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m4 * 1u + (nb + 2u) * 120u] = epilogue_y(acc4_0[2] + bias4, m4 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m4 * 1u + (nb + 3u) * 120u] = epilogue_y(acc4_0[3] + bias4, m4 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m4 * 1u + (nb + 4u) * 120u] = epilogue_y(acc4_1[0] + bias4, m4 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m4 * 1u + (nb + 5u) * 120u] = epilogue_y(acc4_1[1] + bias4, m4 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m4 * 1u + (nb + 6u) * 120u] = epilogue_y(acc4_1[2] + bias4, m4 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m4 * 1u + (nb + 7u) * 120u] = epilogue_y(acc4_1[3] + bias4, m4 * 1u + (nb + 7u) * 120u); }
  }
  if (m5 < M) {
    let bias5 = bias[m5];
    if (nb + 0u < N) { y[m5 * 1u + (nb + 0u) * 120u] = epilogue_y(acc5_0[0] + bias5, m5 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m5 * 1u + (nb + 1u) * 120u] = epilogue_y(acc5_0[1] + bias5, m5 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m5 * 1u + (nb + 2u) * 120u] = epilogue_y(acc5_0[2] + bias5, m5 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m5 * 1u + (nb + 3u) * 120u] = epilogue_y(acc5_0[3] + bias5, m5 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m5 * 1u + (nb + 4u) * 120u] = epilogue_y(acc5_1[0] + bias5, m5 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m5 * 1u + (nb + 5u) * 120u] = epilogue_y(acc5_1[1] + bias5, m5 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m5 * 1u + (nb + 6u) * 120u] = epilogue_y(acc5_1[2] + bias5, m5 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m5 * 1u + (nb + 7u) * 120u] = epilogue_y(acc5_1[3] + bias5, m5 * 1u + (nb + 7u) * 120u); }
  }
  if (m6 < M) {
    let bias6 = bias[m6];
    if (nb + 0u < N) { y[m6 * 1u + (nb + 0u) * 120u] = epilogue_y(acc6_0[0] + bias6, m6 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m6 * 1u + (nb + 1u) * 120u] = epilogue_y(acc6_0[1] + bias6, m6 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m6 * 1u + (nb + 2u) * 120u] = epilogue_y(acc6_0[2] + bias6, m6 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m6 * 1u + (nb + 3u) * 120u] = epilogue_y(acc6_0[3] + bias6, m6 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m6 * 1u + (nb + 4u) * 120u] = epilogue_y(acc6_1[0] + bias6, m6 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m6 * 1u + (nb + 5u) * 120u] = epilogue_y(acc6_1[1] + bias6, m6 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m6 * 1u + (nb + 6u) * 120u] = epilogue_y(acc6_1[2] + bias6, m6 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m6 * 1u + (nb + 7u) * 120u] = epilogue_y(acc6_1[3] + bias6, m6 * 1u + (nb + 7u) * 120u); }
  }
  if (m7 < M) {
    let bias7 = bias[m7];
    if (nb + 0u < N) { y[m7 * 1u + (nb + 0u) * 120u] = epilogue_y(acc7_0[0] + bias7, m7 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { y[m7 * 1u + (nb + 1u) * 120u] = epilogue_y(acc7_0[1] + bias7, m7 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { y[m7 * 1u + (nb + 2u) * 120u] = epilogue_y(acc7_0[2] + bias7, m7 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { y[m7 * 1u + (nb + 3u) * 120u] = epilogue_y(acc7_0[3] + bias7, m7 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { y[m7 * 1u + (nb + 4u) * 120u] = epilogue_y(acc7_1[0] + bias7, m7 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { y[m7 * 1u + (nb + 5u) * 120u] = epilogue_y(acc7_1[1] + bias7, m7 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { y[m7 * 1u + (nb + 6u) * 120u] = epilogue_y(acc7_1[2] + bias7, m7 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { y[m7 * 1u + (nb + 7u) * 120u] = epilogue_y(acc7_1[3] + bias7, m7 * 1u + (nb + 7u) * 120u); }
  }
}


// ---- dense+relu:fc2
enable subgroups;
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
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 84u;
  let N = params.batch;
  let K = 120u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 120u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 120u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 120u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 120u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 120u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 120u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 120u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 120u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 120u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(w[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(w[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(w[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(w[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(w[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(w[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 1u;
    kb += 1u;
  }
  if (m0 < M) {
    let bias0 = bias[m0];
    if (nb + 0u < N) { y[m0 * 1u + (nb + 0u) * 84u] = epilogue_y(acc0_0[0] + bias0, m0 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m0 * 1u + (nb + 1u) * 84u] = epilogue_y(acc0_0[1] + bias0, m0 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m0 * 1u + (nb + 2u) * 84u] = epilogue_y(acc0_0[2] + bias0, m0 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m0 * 1u + (nb + 3u) * 84u] = epilogue_y(acc0_0[3] + bias0, m0 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m0 * 1u + (nb + 4u) * 84u] = epilogue_y(acc0_1[0] + bias0, m0 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m0 * 1u + (nb + 5u) * 84u] = epilogue_y(acc0_1[1] + bias0, m0 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m0 * 1u + (nb + 6u) * 84u] = epilogue_y(acc0_1[2] + bias0, m0 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m0 * 1u + (nb + 7u) * 84u] = epilogue_y(acc0_1[3] + bias0, m0 * 1u + (nb + 7u) * 84u); }
  }
  if (m1 < M) {
    let bias1 = bias[m1];
    if (nb + 0u < N) { y[m1 * 1u + (nb + 0u) * 84u] = epilogue_y(acc1_0[0] + bias1, m1 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m1 * 1u + (nb + 1u) * 84u] = epilogue_y(acc1_0[1] + bias1, m1 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m1 * 1u + (nb + 2u) * 84u] = epilogue_y(acc1_0[2] + bias1, m1 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m1 * 1u + (nb + 3u) * 84u] = epilogue_y(acc1_0[3] + bias1, m1 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m1 * 1u + (nb + 4u) * 84u] = epilogue_y(acc1_1[0] + bias1, m1 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m1 * 1u + (nb + 5u) * 84u] = epilogue_y(acc1_1[1] + bias1, m1 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m1 * 1u + (nb + 6u) * 84u] = epilogue_y(acc1_1[2] + bias1, m1 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m1 * 1u + (nb + 7u) * 84u] = epilogue_y(acc1_1[3] + bias1, m1 * 1u + (nb + 7u) * 84u); }
  }
  if (m2 < M) {
    let bias2 = bias[m2];
    if (nb + 0u < N) { y[m2 * 1u + (nb + 0u) * 84u] = epilogue_y(acc2_0[0] + bias2, m2 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m2 * 1u + (nb + 1u) * 84u] = epilogue_y(acc2_0[1] + bias2, m2 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m2 * 1u + (nb + 2u) * 84u] = epilogue_y(acc2_0[2] + bias2, m2 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m2 * 1u + (nb + 3u) * 84u] = epilogue_y(acc2_0[3] + bias2, m2 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m2 * 1u + (nb + 4u) * 84u] = epilogue_y(acc2_1[0] + bias2, m2 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m2 * 1u + (nb + 5u) * 84u] = epilogue_y(acc2_1[1] + bias2, m2 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m2 * 1u + (nb + 6u) * 84u] = epilogue_y(acc2_1[2] + bias2, m2 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m2 * 1u + (nb + 7u) * 84u] = epilogue_y(acc2_1[3] + bias2, m2 * 1u + (nb + 7u) * 84u); }
  }
  if (m3 < M) {
    let bias3 = bias[m3];
    if (nb + 0u < N) { y[m3 * 1u + (nb + 0u) * 84u] = epilogue_y(acc3_0[0] + bias3, m3 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m3 * 1u + (nb + 1u) * 84u] = epilogue_y(acc3_0[1] + bias3, m3 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m3 * 1u + (nb + 2u) * 84u] = epilogue_y(acc3_0[2] + bias3, m3 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m3 * 1u + (nb + 3u) * 84u] = epilogue_y(acc3_0[3] + bias3, m3 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m3 * 1u + (nb + 4u) * 84u] = epilogue_y(acc3_1[0] + bias3, m3 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m3 * 1u + (nb + 5u) * 84u] = epilogue_y(acc3_1[1] + bias3, m3 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m3 * 1u + (nb + 6u) * 84u] = epilogue_y(acc3_1[2] + bias3, m3 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m3 * 1u + (nb + 7u) * 84u] = epilogue_y(acc3_1[3] + bias3, m3 * 1u + (nb + 7u) * 84u); }
  }
  if (m4 < M) {
    let bias4 = bias[m4];
    if (nb + 0u < N) { y[m4 * 1u + (nb + 0u) * 84u] = epilogue_y(acc4_0[0] + bias4, m4 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m4 * 1u + (nb + 1u) * 84u] = epilogue_y(acc4_0[1] + bias4, m4 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m4 * 1u + (nb + 2u) * 84u] = epilogue_y(acc4_0[2] + bias4, m4 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m4 * 1u + (nb + 3u) * 84u] = epilogue_y(acc4_0[3] + bias4, m4 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m4 * 1u + (nb + 4u) * 84u] = epilogue_y(acc4_1[0] + bias4, m4 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m4 * 1u + (nb + 5u) * 84u] = epilogue_y(acc4_1[1] + bias4, m4 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m4 * 1u + (nb + 6u) * 84u] = epilogue_y(acc4_1[2] + bias4, m4 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m4 * 1u + (nb + 7u) * 84u] = epilogue_y(acc4_1[3] + bias4, m4 * 1u + (nb + 7u) * 84u); }
  }
  if (m5 < M) {
    let bias5 = bias[m5];
    if (nb + 0u < N) { y[m5 * 1u + (nb + 0u) * 84u] = epilogue_y(acc5_0[0] + bias5, m5 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m5 * 1u + (nb + 1u) * 84u] = epilogue_y(acc5_0[1] + bias5, m5 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m5 * 1u + (nb + 2u) * 84u] = epilogue_y(acc5_0[2] + bias5, m5 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m5 * 1u + (nb + 3u) * 84u] = epilogue_y(acc5_0[3] + bias5, m5 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m5 * 1u + (nb + 4u) * 84u] = epilogue_y(acc5_1[0] + bias5, m5 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m5 * 1u + (nb + 5u) * 84u] = epilogue_y(acc5_1[1] + bias5, m5 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m5 * 1u + (nb + 6u) * 84u] = epilogue_y(acc5_1[2] + bias5, m5 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m5 * 1u + (nb + 7u) * 84u] = epilogue_y(acc5_1[3] + bias5, m5 * 1u + (nb + 7u) * 84u); }
  }
  if (m6 < M) {
    let bias6 = bias[m6];
    if (nb + 0u < N) { y[m6 * 1u + (nb + 0u) * 84u] = epilogue_y(acc6_0[0] + bias6, m6 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m6 * 1u + (nb + 1u) * 84u] = epilogue_y(acc6_0[1] + bias6, m6 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m6 * 1u + (nb + 2u) * 84u] = epilogue_y(acc6_0[2] + bias6, m6 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m6 * 1u + (nb + 3u) * 84u] = epilogue_y(acc6_0[3] + bias6, m6 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m6 * 1u + (nb + 4u) * 84u] = epilogue_y(acc6_1[0] + bias6, m6 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m6 * 1u + (nb + 5u) * 84u] = epilogue_y(acc6_1[1] + bias6, m6 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m6 * 1u + (nb + 6u) * 84u] = epilogue_y(acc6_1[2] + bias6, m6 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m6 * 1u + (nb + 7u) * 84u] = epilogue_y(acc6_1[3] + bias6, m6 * 1u + (nb + 7u) * 84u); }
  }
  if (m7 < M) {
    let bias7 = bias[m7];
    if (nb + 0u < N) { y[m7 * 1u + (nb + 0u) * 84u] = epilogue_y(acc7_0[0] + bias7, m7 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { y[m7 * 1u + (nb + 1u) * 84u] = epilogue_y(acc7_0[1] + bias7, m7 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { y[m7 * 1u + (nb + 2u) * 84u] = epilogue_y(acc7_0[2] + bias7, m7 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { y[m7 * 1u + (nb + 3u) * 84u] = epilogue_y(acc7_0[3] + bias7, m7 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { y[m7 * 1u + (nb + 4u) * 84u] = epilogue_y(acc7_1[0] + bias7, m7 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { y[m7 * 1u + (nb + 5u) * 84u] = epilogue_y(acc7_1[1] + bias7, m7 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { y[m7 * 1u + (nb + 6u) * 84u] = epilogue_y(acc7_1[2] + bias7, m7 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { y[m7 * 1u + (nb + 7u) * 84u] = epilogue_y(acc7_1[3] + bias7, m7 * 1u + (nb + 7u) * 84u); }
  }
}


// ---- dense:fc3
enable subgroups;
// dense: 84 → 10 + bias
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const BM = 16u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 10u;
  let N = params.batch;
  let K = 84u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 84u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 84u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 84u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    ka += 1u;
    kb += 1u;
  }
  if (m0 < M) {
    let bias0 = bias[m0];
    if (nb + 0u < N) { y[m0 * 1u + (nb + 0u) * 10u] = acc0_0[0] + bias0; }
    if (nb + 1u < N) { y[m0 * 1u + (nb + 1u) * 10u] = acc0_0[1] + bias0; }
    if (nb + 2u < N) { y[m0 * 1u + (nb + 2u) * 10u] = acc0_0[2] + bias0; }
    if (nb + 3u < N) { y[m0 * 1u + (nb + 3u) * 10u] = acc0_0[3] + bias0; }
    if (nb + 4u < N) { y[m0 * 1u + (nb + 4u) * 10u] = acc0_1[0] + bias0; }
    if (nb + 5u < N) { y[m0 * 1u + (nb + 5u) * 10u] = acc0_1[1] + bias0; }
    if (nb + 6u < N) { y[m0 * 1u + (nb + 6u) * 10u] = acc0_1[2] + bias0; }
    if (nb + 7u < N) { y[m0 * 1u + (nb + 7u) * 10u] = acc0_1[3] + bias0; }
  }
  if (m1 < M) {
    let bias1 = bias[m1];
    if (nb + 0u < N) { y[m1 * 1u + (nb + 0u) * 10u] = acc1_0[0] + bias1; }
    if (nb + 1u < N) { y[m1 * 1u + (nb + 1u) * 10u] = acc1_0[1] + bias1; }
    if (nb + 2u < N) { y[m1 * 1u + (nb + 2u) * 10u] = acc1_0[2] + bias1; }
    if (nb + 3u < N) { y[m1 * 1u + (nb + 3u) * 10u] = acc1_0[3] + bias1; }
    if (nb + 4u < N) { y[m1 * 1u + (nb + 4u) * 10u] = acc1_1[0] + bias1; }
    if (nb + 5u < N) { y[m1 * 1u + (nb + 5u) * 10u] = acc1_1[1] + bias1; }
    if (nb + 6u < N) { y[m1 * 1u + (nb + 6u) * 10u] = acc1_1[2] + bias1; }
    if (nb + 7u < N) { y[m1 * 1u + (nb + 7u) * 10u] = acc1_1[3] + bias1; }
  }
}


// ---- softmax_cross_entropy&grad:loss
// softmax_cross_entropy: the mean of params.batch * P terms in one workgroup
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const C = 10u;
const P = 1u;

fn rowBase(r: u32) -> u32 { return (r / P) * C * P + r % P; }

fn logSumExp(base: u32) -> f32 {
  var mx = logits[base];
  for (var c = 1u; c < (C + params.zero); c++) { mx = max(mx, logits[base + c * P]); }
  var s = 0.0;
  for (var c = 0u; c < (C + params.zero); c++) { s += exp(logits[base + c * P] - mx); }
  return mx + log(s);
}

fn validClass(t: f32) -> bool { return t >= 0.0 && t < f32(C) && t == floor(t); }

fn rows() -> u32 { return params.batch * P; }

fn term(r: u32) -> f32 {
  let base = rowBase(r);
  let t = labels[r];
  let valid = validClass(t);
  let cls = select(C, u32(max(t, 0.0)), valid);
  let lse = logSumExp(base);
  let scale = 1.0 / f32(rows());
  for (var c = 0u; c < (C + params.zero); c++) {
    let g = (exp(logits[base + c * P] - lse) - select(0.0, 1.0, c == cls)) * scale;
    dx[base + c * P] = select(bitcast<f32>(0x7fc00000u + params.zero), g, valid);
  }
  if (!valid) { return bitcast<f32>(0x7fc00000u + params.zero); }
  return lse - logits[base + cls * P];
}

var<workgroup> part: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  if (wg != 0u) { return; }
  let count = rows();
  var s = 0.0;
  for (var r = lid; r < count; r += 64u) { s += term(r); }
  part[lid] = s;
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < (64u + params.zero); k++) { total += part[k]; }
    loss[0] = total / f32(count);
  }
}


// ---- dense_grad_input+relu_grad:fc3
enable subgroups;
// dense_grad_input: 84 → 10
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> dx_in0: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_dx(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let d = r; let y = dx_in0[i]; r = select(f32(0.0), d, y > f32(0.0)); }
  return r;
}
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 84u;
  let N = params.batch;
  let K = 10u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 1u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 1u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 1u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 1u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 1u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 1u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 10u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = dy[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(w[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(w[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(w[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(w[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(w[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(w[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 84u;
    kb += 1u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dx[m0 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc0_0[0], m0 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m0 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc0_0[1], m0 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m0 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc0_0[2], m0 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m0 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc0_0[3], m0 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m0 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc0_1[0], m0 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m0 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc0_1[1], m0 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m0 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc0_1[2], m0 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m0 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc0_1[3], m0 * 1u + (nb + 7u) * 84u); }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dx[m1 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc1_0[0], m1 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m1 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc1_0[1], m1 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m1 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc1_0[2], m1 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m1 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc1_0[3], m1 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m1 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc1_1[0], m1 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m1 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc1_1[1], m1 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m1 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc1_1[2], m1 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m1 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc1_1[3], m1 * 1u + (nb + 7u) * 84u); }
  }
  if (m2 < M) {
    if (nb + 0u < N) { dx[m2 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc2_0[0], m2 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m2 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc2_0[1], m2 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m2 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc2_0[2], m2 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m2 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc2_0[3], m2 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m2 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc2_1[0], m2 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m2 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc2_1[1], m2 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m2 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc2_1[2], m2 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m2 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc2_1[3], m2 * 1u + (nb + 7u) * 84u); }
  }
  if (m3 < M) {
    if (nb + 0u < N) { dx[m3 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc3_0[0], m3 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m3 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc3_0[1], m3 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m3 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc3_0[2], m3 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m3 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc3_0[3], m3 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m3 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc3_1[0], m3 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m3 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc3_1[1], m3 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m3 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc3_1[2], m3 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m3 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc3_1[3], m3 * 1u + (nb + 7u) * 84u); }
  }
  if (m4 < M) {
    if (nb + 0u < N) { dx[m4 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc4_0[0], m4 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m4 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc4_0[1], m4 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m4 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc4_0[2], m4 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m4 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc4_0[3], m4 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m4 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc4_1[0], m4 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m4 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc4_1[1], m4 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m4 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc4_1[2], m4 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m4 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc4_1[3], m4 * 1u + (nb + 7u) * 84u); }
  }
  if (m5 < M) {
    if (nb + 0u < N) { dx[m5 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc5_0[0], m5 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m5 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc5_0[1], m5 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m5 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc5_0[2], m5 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m5 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc5_0[3], m5 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m5 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc5_1[0], m5 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m5 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc5_1[1], m5 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m5 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc5_1[2], m5 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m5 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc5_1[3], m5 * 1u + (nb + 7u) * 84u); }
  }
  if (m6 < M) {
    if (nb + 0u < N) { dx[m6 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc6_0[0], m6 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m6 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc6_0[1], m6 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m6 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc6_0[2], m6 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m6 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc6_0[3], m6 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m6 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc6_1[0], m6 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m6 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc6_1[1], m6 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m6 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc6_1[2], m6 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m6 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc6_1[3], m6 * 1u + (nb + 7u) * 84u); }
  }
  if (m7 < M) {
    if (nb + 0u < N) { dx[m7 * 1u + (nb + 0u) * 84u] = epilogue_dx(acc7_0[0], m7 * 1u + (nb + 0u) * 84u); }
    if (nb + 1u < N) { dx[m7 * 1u + (nb + 1u) * 84u] = epilogue_dx(acc7_0[1], m7 * 1u + (nb + 1u) * 84u); }
    if (nb + 2u < N) { dx[m7 * 1u + (nb + 2u) * 84u] = epilogue_dx(acc7_0[2], m7 * 1u + (nb + 2u) * 84u); }
    if (nb + 3u < N) { dx[m7 * 1u + (nb + 3u) * 84u] = epilogue_dx(acc7_0[3], m7 * 1u + (nb + 3u) * 84u); }
    if (nb + 4u < N) { dx[m7 * 1u + (nb + 4u) * 84u] = epilogue_dx(acc7_1[0], m7 * 1u + (nb + 4u) * 84u); }
    if (nb + 5u < N) { dx[m7 * 1u + (nb + 5u) * 84u] = epilogue_dx(acc7_1[1], m7 * 1u + (nb + 5u) * 84u); }
    if (nb + 6u < N) { dx[m7 * 1u + (nb + 6u) * 84u] = epilogue_dx(acc7_1[2], m7 * 1u + (nb + 6u) * 84u); }
    if (nb + 7u < N) { dx[m7 * 1u + (nb + 7u) * 84u] = epilogue_dx(acc7_1[3], m7 * 1u + (nb + 7u) * 84u); }
  }
}


// ---- dense_grad_weight&bias_grad:fc3
enable subgroups;
// dense_grad_weight: 84 → 10, with the bias gradient
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<storage, read_write> db: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const BM = 16u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 10u;
  let N = 84u;
  let K = params.batch;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 1u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(dy[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(dy[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    ka += 10u;
    kb += 84u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dw[m0 * 84u + (nb + 0u) * 1u] = acc0_0[0]; }
    if (nb + 1u < N) { dw[m0 * 84u + (nb + 1u) * 1u] = acc0_0[1]; }
    if (nb + 2u < N) { dw[m0 * 84u + (nb + 2u) * 1u] = acc0_0[2]; }
    if (nb + 3u < N) { dw[m0 * 84u + (nb + 3u) * 1u] = acc0_0[3]; }
    if (nb + 4u < N) { dw[m0 * 84u + (nb + 4u) * 1u] = acc0_1[0]; }
    if (nb + 5u < N) { dw[m0 * 84u + (nb + 5u) * 1u] = acc0_1[1]; }
    if (nb + 6u < N) { dw[m0 * 84u + (nb + 6u) * 1u] = acc0_1[2]; }
    if (nb + 7u < N) { dw[m0 * 84u + (nb + 7u) * 1u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dw[m1 * 84u + (nb + 0u) * 1u] = acc1_0[0]; }
    if (nb + 1u < N) { dw[m1 * 84u + (nb + 1u) * 1u] = acc1_0[1]; }
    if (nb + 2u < N) { dw[m1 * 84u + (nb + 2u) * 1u] = acc1_0[2]; }
    if (nb + 3u < N) { dw[m1 * 84u + (nb + 3u) * 1u] = acc1_0[3]; }
    if (nb + 4u < N) { dw[m1 * 84u + (nb + 4u) * 1u] = acc1_1[0]; }
    if (nb + 5u < N) { dw[m1 * 84u + (nb + 5u) * 1u] = acc1_1[1]; }
    if (nb + 6u < N) { dw[m1 * 84u + (nb + 6u) * 1u] = acc1_1[2]; }
    if (nb + 7u < N) { dw[m1 * 84u + (nb + 7u) * 1u] = acc1_1[3]; }
  }
  if (wg % tilesN == 0u) {
    var rs0 = 0.0;
    var rs1 = 0.0;
    var ks = 0u;
    for (var k = 0u; k < (K + params.zero); k++) {
      rs0 += dy[ar0 + ks];
      rs1 += dy[ar1 + ks];
      ks += 10u;
    }
    if (m0 < M) { db[m0] = rs0; }
    if (m1 < M) { db[m1] = rs1; }
  }
}


// ---- dense_grad_input+relu_grad:fc2
enable subgroups;
// dense_grad_input: 120 → 84
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> dx_in0: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_dx(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let d = r; let y = dx_in0[i]; r = select(f32(0.0), d, y > f32(0.0)); }
  return r;
}
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 120u;
  let N = params.batch;
  let K = 84u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 1u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 1u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 1u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 1u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 1u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 1u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 84u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = dy[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(w[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(w[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(w[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(w[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(w[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(w[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 120u;
    kb += 1u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dx[m0 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc0_0[0], m0 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m0 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc0_0[1], m0 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m0 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc0_0[2], m0 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m0 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc0_0[3], m0 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m0 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc0_1[0], m0 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m0 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc0_1[1], m0 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m0 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc0_1[2], m0 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m0 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc0_1[3], m0 * 1u + (nb + 7u) * 120u); }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dx[m1 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc1_0[0], m1 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m1 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc1_0[1], m1 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m1 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc1_0[2], m1 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m1 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc1_0[3], m1 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m1 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc1_1[0], m1 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m1 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc1_1[1], m1 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m1 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc1_1[2], m1 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m1 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc1_1[3], m1 * 1u + (nb + 7u) * 120u); }
  }
  if (m2 < M) {
    if (nb + 0u < N) { dx[m2 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc2_0[0], m2 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m2 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc2_0[1], m2 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m2 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc2_0[2], m2 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m2 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc2_0[3], m2 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m2 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc2_1[0], m2 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m2 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc2_1[1], m2 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m2 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc2_1[2], m2 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m2 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc2_1[3], m2 * 1u + (nb + 7u) * 120u); }
  }
  if (m3 < M) {
    if (nb + 0u < N) { dx[m3 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc3_0[0], m3 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m3 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc3_0[1], m3 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m3 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc3_0[2], m3 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m3 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc3_0[3], m3 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m3 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc3_1[0], m3 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m3 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc3_1[1], m3 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m3 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc3_1[2], m3 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m3 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc3_1[3], m3 * 1u + (nb + 7u) * 120u); }
  }
  if (m4 < M) {
    if (nb + 0u < N) { dx[m4 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc4_0[0], m4 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m4 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc4_0[1], m4 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m4 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc4_0[2], m4 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m4 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc4_0[3], m4 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m4 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc4_1[0], m4 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m4 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc4_1[1], m4 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m4 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc4_1[2], m4 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m4 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc4_1[3], m4 * 1u + (nb + 7u) * 120u); }
  }
  if (m5 < M) {
    if (nb + 0u < N) { dx[m5 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc5_0[0], m5 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m5 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc5_0[1], m5 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m5 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc5_0[2], m5 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m5 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc5_0[3], m5 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m5 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc5_1[0], m5 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m5 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc5_1[1], m5 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m5 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc5_1[2], m5 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m5 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc5_1[3], m5 * 1u + (nb + 7u) * 120u); }
  }
  if (m6 < M) {
    if (nb + 0u < N) { dx[m6 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc6_0[0], m6 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m6 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc6_0[1], m6 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m6 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc6_0[2], m6 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m6 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc6_0[3], m6 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m6 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc6_1[0], m6 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m6 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc6_1[1], m6 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m6 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc6_1[2], m6 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m6 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc6_1[3], m6 * 1u + (nb + 7u) * 120u); }
  }
  if (m7 < M) {
    if (nb + 0u < N) { dx[m7 * 1u + (nb + 0u) * 120u] = epilogue_dx(acc7_0[0], m7 * 1u + (nb + 0u) * 120u); }
    if (nb + 1u < N) { dx[m7 * 1u + (nb + 1u) * 120u] = epilogue_dx(acc7_0[1], m7 * 1u + (nb + 1u) * 120u); }
    if (nb + 2u < N) { dx[m7 * 1u + (nb + 2u) * 120u] = epilogue_dx(acc7_0[2], m7 * 1u + (nb + 2u) * 120u); }
    if (nb + 3u < N) { dx[m7 * 1u + (nb + 3u) * 120u] = epilogue_dx(acc7_0[3], m7 * 1u + (nb + 3u) * 120u); }
    if (nb + 4u < N) { dx[m7 * 1u + (nb + 4u) * 120u] = epilogue_dx(acc7_1[0], m7 * 1u + (nb + 4u) * 120u); }
    if (nb + 5u < N) { dx[m7 * 1u + (nb + 5u) * 120u] = epilogue_dx(acc7_1[1], m7 * 1u + (nb + 5u) * 120u); }
    if (nb + 6u < N) { dx[m7 * 1u + (nb + 6u) * 120u] = epilogue_dx(acc7_1[2], m7 * 1u + (nb + 6u) * 120u); }
    if (nb + 7u < N) { dx[m7 * 1u + (nb + 7u) * 120u] = epilogue_dx(acc7_1[3], m7 * 1u + (nb + 7u) * 120u); }
  }
}


// ---- dense_grad_weight&bias_grad:fc2
enable subgroups;
// dense_grad_weight: 120 → 84, with the bias gradient
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<storage, read_write> db: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 84u;
  let N = 120u;
  let K = params.batch;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 1u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 1u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 1u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 1u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 1u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 1u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 1u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(dy[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(dy[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(dy[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(dy[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(dy[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(dy[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(dy[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(dy[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 84u;
    kb += 120u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dw[m0 * 120u + (nb + 0u) * 1u] = acc0_0[0]; }
    if (nb + 1u < N) { dw[m0 * 120u + (nb + 1u) * 1u] = acc0_0[1]; }
    if (nb + 2u < N) { dw[m0 * 120u + (nb + 2u) * 1u] = acc0_0[2]; }
    if (nb + 3u < N) { dw[m0 * 120u + (nb + 3u) * 1u] = acc0_0[3]; }
    if (nb + 4u < N) { dw[m0 * 120u + (nb + 4u) * 1u] = acc0_1[0]; }
    if (nb + 5u < N) { dw[m0 * 120u + (nb + 5u) * 1u] = acc0_1[1]; }
    if (nb + 6u < N) { dw[m0 * 120u + (nb + 6u) * 1u] = acc0_1[2]; }
    if (nb + 7u < N) { dw[m0 * 120u + (nb + 7u) * 1u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dw[m1 * 120u + (nb + 0u) * 1u] = acc1_0[0]; }
    if (nb + 1u < N) { dw[m1 * 120u + (nb + 1u) * 1u] = acc1_0[1]; }
    if (nb + 2u < N) { dw[m1 * 120u + (nb + 2u) * 1u] = acc1_0[2]; }
    if (nb + 3u < N) { dw[m1 * 120u + (nb + 3u) * 1u] = acc1_0[3]; }
    if (nb + 4u < N) { dw[m1 * 120u + (nb + 4u) * 1u] = acc1_1[0]; }
    if (nb + 5u < N) { dw[m1 * 120u + (nb + 5u) * 1u] = acc1_1[1]; }
    if (nb + 6u < N) { dw[m1 * 120u + (nb + 6u) * 1u] = acc1_1[2]; }
    if (nb + 7u < N) { dw[m1 * 120u + (nb + 7u) * 1u] = acc1_1[3]; }
  }
  if (m2 < M) {
    if (nb + 0u < N) { dw[m2 * 120u + (nb + 0u) * 1u] = acc2_0[0]; }
    if (nb + 1u < N) { dw[m2 * 120u + (nb + 1u) * 1u] = acc2_0[1]; }
    if (nb + 2u < N) { dw[m2 * 120u + (nb + 2u) * 1u] = acc2_0[2]; }
    if (nb + 3u < N) { dw[m2 * 120u + (nb + 3u) * 1u] = acc2_0[3]; }
    if (nb + 4u < N) { dw[m2 * 120u + (nb + 4u) * 1u] = acc2_1[0]; }
    if (nb + 5u < N) { dw[m2 * 120u + (nb + 5u) * 1u] = acc2_1[1]; }
    if (nb + 6u < N) { dw[m2 * 120u + (nb + 6u) * 1u] = acc2_1[2]; }
    if (nb + 7u < N) { dw[m2 * 120u + (nb + 7u) * 1u] = acc2_1[3]; }
  }
  if (m3 < M) {
    if (nb + 0u < N) { dw[m3 * 120u + (nb + 0u) * 1u] = acc3_0[0]; }
    if (nb + 1u < N) { dw[m3 * 120u + (nb + 1u) * 1u] = acc3_0[1]; }
    if (nb + 2u < N) { dw[m3 * 120u + (nb + 2u) * 1u] = acc3_0[2]; }
    if (nb + 3u < N) { dw[m3 * 120u + (nb + 3u) * 1u] = acc3_0[3]; }
    if (nb + 4u < N) { dw[m3 * 120u + (nb + 4u) * 1u] = acc3_1[0]; }
    if (nb + 5u < N) { dw[m3 * 120u + (nb + 5u) * 1u] = acc3_1[1]; }
    if (nb + 6u < N) { dw[m3 * 120u + (nb + 6u) * 1u] = acc3_1[2]; }
    if (nb + 7u < N) { dw[m3 * 120u + (nb + 7u) * 1u] = acc3_1[3]; }
  }
  if (m4 < M) {
    if (nb + 0u < N) { dw[m4 * 120u + (nb + 0u) * 1u] = acc4_0[0]; }
    if (nb + 1u < N) { dw[m4 * 120u + (nb + 1u) * 1u] = acc4_0[1]; }
    if (nb + 2u < N) { dw[m4 * 120u + (nb + 2u) * 1u] = acc4_0[2]; }
    if (nb + 3u < N) { dw[m4 * 120u + (nb + 3u) * 1u] = acc4_0[3]; }
    if (nb + 4u < N) { dw[m4 * 120u + (nb + 4u) * 1u] = acc4_1[0]; }
    if (nb + 5u < N) { dw[m4 * 120u + (nb + 5u) * 1u] = acc4_1[1]; }
    if (nb + 6u < N) { dw[m4 * 120u + (nb + 6u) * 1u] = acc4_1[2]; }
    if (nb + 7u < N) { dw[m4 * 120u + (nb + 7u) * 1u] = acc4_1[3]; }
  }
  if (m5 < M) {
    if (nb + 0u < N) { dw[m5 * 120u + (nb + 0u) * 1u] = acc5_0[0]; }
    if (nb + 1u < N) { dw[m5 * 120u + (nb + 1u) * 1u] = acc5_0[1]; }
    if (nb + 2u < N) { dw[m5 * 120u + (nb + 2u) * 1u] = acc5_0[2]; }
    if (nb + 3u < N) { dw[m5 * 120u + (nb + 3u) * 1u] = acc5_0[3]; }
    if (nb + 4u < N) { dw[m5 * 120u + (nb + 4u) * 1u] = acc5_1[0]; }
    if (nb + 5u < N) { dw[m5 * 120u + (nb + 5u) * 1u] = acc5_1[1]; }
    if (nb + 6u < N) { dw[m5 * 120u + (nb + 6u) * 1u] = acc5_1[2]; }
    if (nb + 7u < N) { dw[m5 * 120u + (nb + 7u) * 1u] = acc5_1[3]; }
  }
  if (m6 < M) {
    if (nb + 0u < N) { dw[m6 * 120u + (nb + 0u) * 1u] = acc6_0[0]; }
    if (nb + 1u < N) { dw[m6 * 120u + (nb + 1u) * 1u] = acc6_0[1]; }
    if (nb + 2u < N) { dw[m6 * 120u + (nb + 2u) * 1u] = acc6_0[2]; }
    if (nb + 3u < N) { dw[m6 * 120u + (nb + 3u) * 1u] = acc6_0[3]; }
    if (nb + 4u < N) { dw[m6 * 120u + (nb + 4u) * 1u] = acc6_1[0]; }
    if (nb + 5u < N) { dw[m6 * 120u + (nb + 5u) * 1u] = acc6_1[1]; }
    if (nb + 6u < N) { dw[m6 * 120u + (nb + 6u) * 1u] = acc6_1[2]; }
    if (nb + 7u < N) { dw[m6 * 120u + (nb + 7u) * 1u] = acc6_1[3]; }
  }
  if (m7 < M) {
    if (nb + 0u < N) { dw[m7 * 120u + (nb + 0u) * 1u] = acc7_0[0]; }
    if (nb + 1u < N) { dw[m7 * 120u + (nb + 1u) * 1u] = acc7_0[1]; }
    if (nb + 2u < N) { dw[m7 * 120u + (nb + 2u) * 1u] = acc7_0[2]; }
    if (nb + 3u < N) { dw[m7 * 120u + (nb + 3u) * 1u] = acc7_0[3]; }
    if (nb + 4u < N) { dw[m7 * 120u + (nb + 4u) * 1u] = acc7_1[0]; }
    if (nb + 5u < N) { dw[m7 * 120u + (nb + 5u) * 1u] = acc7_1[1]; }
    if (nb + 6u < N) { dw[m7 * 120u + (nb + 6u) * 1u] = acc7_1[2]; }
    if (nb + 7u < N) { dw[m7 * 120u + (nb + 7u) * 1u] = acc7_1[3]; }
  }
  if (wg % tilesN == 0u) {
    var rs0 = 0.0;
    var rs1 = 0.0;
    var rs2 = 0.0;
    var rs3 = 0.0;
    var rs4 = 0.0;
    var rs5 = 0.0;
    var rs6 = 0.0;
    var rs7 = 0.0;
    var ks = 0u;
    for (var k = 0u; k < (K + params.zero); k++) {
      rs0 += dy[ar0 + ks];
      rs1 += dy[ar1 + ks];
      rs2 += dy[ar2 + ks];
      rs3 += dy[ar3 + ks];
      rs4 += dy[ar4 + ks];
      rs5 += dy[ar5 + ks];
      rs6 += dy[ar6 + ks];
      rs7 += dy[ar7 + ks];
      ks += 84u;
    }
    if (m0 < M) { db[m0] = rs0; }
    if (m1 < M) { db[m1] = rs1; }
    if (m2 < M) { db[m2] = rs2; }
    if (m3 < M) { db[m3] = rs3; }
    if (m4 < M) { db[m4] = rs4; }
    if (m5 < M) { db[m5] = rs5; }
    if (m6 < M) { db[m6] = rs6; }
    if (m7 < M) { db[m7] = rs7; }
  }
}


// ---- dense_grad_input:fc1
enable subgroups;
// dense_grad_input: 400 → 120
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 400u;
  let N = params.batch;
  let K = 120u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 1u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 1u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 1u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 1u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 1u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 1u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 120u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = dy[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(w[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(w[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(w[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(w[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(w[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(w[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(w[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(w[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 400u;
    kb += 1u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dx[m0 * 1u + (nb + 0u) * 400u] = acc0_0[0]; }
    if (nb + 1u < N) { dx[m0 * 1u + (nb + 1u) * 400u] = acc0_0[1]; }
    if (nb + 2u < N) { dx[m0 * 1u + (nb + 2u) * 400u] = acc0_0[2]; }
    if (nb + 3u < N) { dx[m0 * 1u + (nb + 3u) * 400u] = acc0_0[3]; }
    if (nb + 4u < N) { dx[m0 * 1u + (nb + 4u) * 400u] = acc0_1[0]; }
    if (nb + 5u < N) { dx[m0 * 1u + (nb + 5u) * 400u] = acc0_1[1]; }
    if (nb + 6u < N) { dx[m0 * 1u + (nb + 6u) * 400u] = acc0_1[2]; }
    if (nb + 7u < N) { dx[m0 * 1u + (nb + 7u) * 400u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dx[m1 * 1u + (nb + 0u) * 400u] = acc1_0[0]; }
    if (nb + 1u < N) { dx[m1 * 1u + (nb + 1u) * 400u] = acc1_0[1]; }
    if (nb + 2u < N) { dx[m1 * 1u + (nb + 2u) * 400u] = acc1_0[2]; }
    if (nb + 3u < N) { dx[m1 * 1u + (nb + 3u) * 400u] = acc1_0[3]; }
    if (nb + 4u < N) { dx[m1 * 1u + (nb + 4u) * 400u] = acc1_1[0]; }
    if (nb + 5u < N) { dx[m1 * 1u + (nb + 5u) * 400u] = acc1_1[1]; }
    if (nb + 6u < N) { dx[m1 * 1u + (nb + 6u) * 400u] = acc1_1[2]; }
    if (nb + 7u < N) { dx[m1 * 1u + (nb + 7u) * 400u] = acc1_1[3]; }
  }
  if (m2 < M) {
    if (nb + 0u < N) { dx[m2 * 1u + (nb + 0u) * 400u] = acc2_0[0]; }
    if (nb + 1u < N) { dx[m2 * 1u + (nb + 1u) * 400u] = acc2_0[1]; }
    if (nb + 2u < N) { dx[m2 * 1u + (nb + 2u) * 400u] = acc2_0[2]; }
    if (nb + 3u < N) { dx[m2 * 1u + (nb + 3u) * 400u] = acc2_0[3]; }
    if (nb + 4u < N) { dx[m2 * 1u + (nb + 4u) * 400u] = acc2_1[0]; }
    if (nb + 5u < N) { dx[m2 * 1u + (nb + 5u) * 400u] = acc2_1[1]; }
    if (nb + 6u < N) { dx[m2 * 1u + (nb + 6u) * 400u] = acc2_1[2]; }
    if (nb + 7u < N) { dx[m2 * 1u + (nb + 7u) * 400u] = acc2_1[3]; }
  }
  if (m3 < M) {
    if (nb + 0u < N) { dx[m3 * 1u + (nb + 0u) * 400u] = acc3_0[0]; }
    if (nb + 1u < N) { dx[m3 * 1u + (nb + 1u) * 400u] = acc3_0[1]; }
    if (nb + 2u < N) { dx[m3 * 1u + (nb + 2u) * 400u] = acc3_0[2]; }
    if (nb + 3u < N) { dx[m3 * 1u + (nb + 3u) * 400u] = acc3_0[3]; }
    if (nb + 4u < N) { dx[m3 * 1u + (nb + 4u) * 400u] = acc3_1[0]; }
    if (nb + 5u < N) { dx[m3 * 1u + (nb + 5u) * 400u] = acc3_1[1]; }
    if (nb + 6u < N) { dx[m3 * 1u + (nb + 6u) * 400u] = acc3_1[2]; }
    if (nb + 7u < N) { dx[m3 * 1u + (nb + 7u) * 400u] = acc3_1[3]; }
  }
  if (m4 < M) {
    if (nb + 0u < N) { dx[m4 * 1u + (nb + 0u) * 400u] = acc4_0[0]; }
    if (nb + 1u < N) { dx[m4 * 1u + (nb + 1u) * 400u] = acc4_0[1]; }
    if (nb + 2u < N) { dx[m4 * 1u + (nb + 2u) * 400u] = acc4_0[2]; }
    if (nb + 3u < N) { dx[m4 * 1u + (nb + 3u) * 400u] = acc4_0[3]; }
    if (nb + 4u < N) { dx[m4 * 1u + (nb + 4u) * 400u] = acc4_1[0]; }
    if (nb + 5u < N) { dx[m4 * 1u + (nb + 5u) * 400u] = acc4_1[1]; }
    if (nb + 6u < N) { dx[m4 * 1u + (nb + 6u) * 400u] = acc4_1[2]; }
    if (nb + 7u < N) { dx[m4 * 1u + (nb + 7u) * 400u] = acc4_1[3]; }
  }
  if (m5 < M) {
    if (nb + 0u < N) { dx[m5 * 1u + (nb + 0u) * 400u] = acc5_0[0]; }
    if (nb + 1u < N) { dx[m5 * 1u + (nb + 1u) * 400u] = acc5_0[1]; }
    if (nb + 2u < N) { dx[m5 * 1u + (nb + 2u) * 400u] = acc5_0[2]; }
    if (nb + 3u < N) { dx[m5 * 1u + (nb + 3u) * 400u] = acc5_0[3]; }
    if (nb + 4u < N) { dx[m5 * 1u + (nb + 4u) * 400u] = acc5_1[0]; }
    if (nb + 5u < N) { dx[m5 * 1u + (nb + 5u) * 400u] = acc5_1[1]; }
    if (nb + 6u < N) { dx[m5 * 1u + (nb + 6u) * 400u] = acc5_1[2]; }
    if (nb + 7u < N) { dx[m5 * 1u + (nb + 7u) * 400u] = acc5_1[3]; }
  }
  if (m6 < M) {
    if (nb + 0u < N) { dx[m6 * 1u + (nb + 0u) * 400u] = acc6_0[0]; }
    if (nb + 1u < N) { dx[m6 * 1u + (nb + 1u) * 400u] = acc6_0[1]; }
    if (nb + 2u < N) { dx[m6 * 1u + (nb + 2u) * 400u] = acc6_0[2]; }
    if (nb + 3u < N) { dx[m6 * 1u + (nb + 3u) * 400u] = acc6_0[3]; }
    if (nb + 4u < N) { dx[m6 * 1u + (nb + 4u) * 400u] = acc6_1[0]; }
    if (nb + 5u < N) { dx[m6 * 1u + (nb + 5u) * 400u] = acc6_1[1]; }
    if (nb + 6u < N) { dx[m6 * 1u + (nb + 6u) * 400u] = acc6_1[2]; }
    if (nb + 7u < N) { dx[m6 * 1u + (nb + 7u) * 400u] = acc6_1[3]; }
  }
  if (m7 < M) {
    if (nb + 0u < N) { dx[m7 * 1u + (nb + 0u) * 400u] = acc7_0[0]; }
    if (nb + 1u < N) { dx[m7 * 1u + (nb + 1u) * 400u] = acc7_0[1]; }
    if (nb + 2u < N) { dx[m7 * 1u + (nb + 2u) * 400u] = acc7_0[2]; }
    if (nb + 3u < N) { dx[m7 * 1u + (nb + 3u) * 400u] = acc7_0[3]; }
    if (nb + 4u < N) { dx[m7 * 1u + (nb + 4u) * 400u] = acc7_1[0]; }
    if (nb + 5u < N) { dx[m7 * 1u + (nb + 5u) * 400u] = acc7_1[1]; }
    if (nb + 6u < N) { dx[m7 * 1u + (nb + 6u) * 400u] = acc7_1[2]; }
    if (nb + 7u < N) { dx[m7 * 1u + (nb + 7u) * 400u] = acc7_1[3]; }
  }
}


// ---- dense_grad_weight&bias_grad:fc1
enable subgroups;
// dense_grad_weight: 400 → 120, with the bias gradient
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<storage, read_write> db: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const BM = 64u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 120u;
  let N = 400u;
  let K = params.batch;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 1u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 1u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let m2 = mb + 16u;
  let ar2 = min(m2, M - 1u) * 1u;
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  let m3 = mb + 24u;
  let ar3 = min(m3, M - 1u) * 1u;
  var acc3_0 = vec4<f32>(0.0);
  var acc3_1 = vec4<f32>(0.0);
  let m4 = mb + 32u;
  let ar4 = min(m4, M - 1u) * 1u;
  var acc4_0 = vec4<f32>(0.0);
  var acc4_1 = vec4<f32>(0.0);
  let m5 = mb + 40u;
  let ar5 = min(m5, M - 1u) * 1u;
  var acc5_0 = vec4<f32>(0.0);
  var acc5_1 = vec4<f32>(0.0);
  let m6 = mb + 48u;
  let ar6 = min(m6, M - 1u) * 1u;
  var acc6_0 = vec4<f32>(0.0);
  var acc6_1 = vec4<f32>(0.0);
  let m7 = mb + 56u;
  let ar7 = min(m7, M - 1u) * 1u;
  var acc7_0 = vec4<f32>(0.0);
  var acc7_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 1u;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < (K + params.zero); k++) {
    let own = x[bl + kb];
    let bv0 = vec4<f32>(subgroupBroadcast(own, 0u), subgroupBroadcast(own, 1u), subgroupBroadcast(own, 2u), subgroupBroadcast(own, 3u));
    let bv1 = vec4<f32>(subgroupBroadcast(own, 4u), subgroupBroadcast(own, 5u), subgroupBroadcast(own, 6u), subgroupBroadcast(own, 7u));
    let av0 = vec4<f32>(dy[ar0 + ka]);
    acc0_0 = fma(av0, bv0, acc0_0);
    acc0_1 = fma(av0, bv1, acc0_1);
    let av1 = vec4<f32>(dy[ar1 + ka]);
    acc1_0 = fma(av1, bv0, acc1_0);
    acc1_1 = fma(av1, bv1, acc1_1);
    let av2 = vec4<f32>(dy[ar2 + ka]);
    acc2_0 = fma(av2, bv0, acc2_0);
    acc2_1 = fma(av2, bv1, acc2_1);
    let av3 = vec4<f32>(dy[ar3 + ka]);
    acc3_0 = fma(av3, bv0, acc3_0);
    acc3_1 = fma(av3, bv1, acc3_1);
    let av4 = vec4<f32>(dy[ar4 + ka]);
    acc4_0 = fma(av4, bv0, acc4_0);
    acc4_1 = fma(av4, bv1, acc4_1);
    let av5 = vec4<f32>(dy[ar5 + ka]);
    acc5_0 = fma(av5, bv0, acc5_0);
    acc5_1 = fma(av5, bv1, acc5_1);
    let av6 = vec4<f32>(dy[ar6 + ka]);
    acc6_0 = fma(av6, bv0, acc6_0);
    acc6_1 = fma(av6, bv1, acc6_1);
    let av7 = vec4<f32>(dy[ar7 + ka]);
    acc7_0 = fma(av7, bv0, acc7_0);
    acc7_1 = fma(av7, bv1, acc7_1);
    ka += 120u;
    kb += 400u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dw[m0 * 400u + (nb + 0u) * 1u] = acc0_0[0]; }
    if (nb + 1u < N) { dw[m0 * 400u + (nb + 1u) * 1u] = acc0_0[1]; }
    if (nb + 2u < N) { dw[m0 * 400u + (nb + 2u) * 1u] = acc0_0[2]; }
    if (nb + 3u < N) { dw[m0 * 400u + (nb + 3u) * 1u] = acc0_0[3]; }
    if (nb + 4u < N) { dw[m0 * 400u + (nb + 4u) * 1u] = acc0_1[0]; }
    if (nb + 5u < N) { dw[m0 * 400u + (nb + 5u) * 1u] = acc0_1[1]; }
    if (nb + 6u < N) { dw[m0 * 400u + (nb + 6u) * 1u] = acc0_1[2]; }
    if (nb + 7u < N) { dw[m0 * 400u + (nb + 7u) * 1u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dw[m1 * 400u + (nb + 0u) * 1u] = acc1_0[0]; }
    if (nb + 1u < N) { dw[m1 * 400u + (nb + 1u) * 1u] = acc1_0[1]; }
    if (nb + 2u < N) { dw[m1 * 400u + (nb + 2u) * 1u] = acc1_0[2]; }
    if (nb + 3u < N) { dw[m1 * 400u + (nb + 3u) * 1u] = acc1_0[3]; }
    if (nb + 4u < N) { dw[m1 * 400u + (nb + 4u) * 1u] = acc1_1[0]; }
    if (nb + 5u < N) { dw[m1 * 400u + (nb + 5u) * 1u] = acc1_1[1]; }
    if (nb + 6u < N) { dw[m1 * 400u + (nb + 6u) * 1u] = acc1_1[2]; }
    if (nb + 7u < N) { dw[m1 * 400u + (nb + 7u) * 1u] = acc1_1[3]; }
  }
  if (m2 < M) {
    if (nb + 0u < N) { dw[m2 * 400u + (nb + 0u) * 1u] = acc2_0[0]; }
    if (nb + 1u < N) { dw[m2 * 400u + (nb + 1u) * 1u] = acc2_0[1]; }
    if (nb + 2u < N) { dw[m2 * 400u + (nb + 2u) * 1u] = acc2_0[2]; }
    if (nb + 3u < N) { dw[m2 * 400u + (nb + 3u) * 1u] = acc2_0[3]; }
    if (nb + 4u < N) { dw[m2 * 400u + (nb + 4u) * 1u] = acc2_1[0]; }
    if (nb + 5u < N) { dw[m2 * 400u + (nb + 5u) * 1u] = acc2_1[1]; }
    if (nb + 6u < N) { dw[m2 * 400u + (nb + 6u) * 1u] = acc2_1[2]; }
    if (nb + 7u < N) { dw[m2 * 400u + (nb + 7u) * 1u] = acc2_1[3]; }
  }
  if (m3 < M) {
    if (nb + 0u < N) { dw[m3 * 400u + (nb + 0u) * 1u] = acc3_0[0]; }
    if (nb + 1u < N) { dw[m3 * 400u + (nb + 1u) * 1u] = acc3_0[1]; }
    if (nb + 2u < N) { dw[m3 * 400u + (nb + 2u) * 1u] = acc3_0[2]; }
    if (nb + 3u < N) { dw[m3 * 400u + (nb + 3u) * 1u] = acc3_0[3]; }
    if (nb + 4u < N) { dw[m3 * 400u + (nb + 4u) * 1u] = acc3_1[0]; }
    if (nb + 5u < N) { dw[m3 * 400u + (nb + 5u) * 1u] = acc3_1[1]; }
    if (nb + 6u < N) { dw[m3 * 400u + (nb + 6u) * 1u] = acc3_1[2]; }
    if (nb + 7u < N) { dw[m3 * 400u + (nb + 7u) * 1u] = acc3_1[3]; }
  }
  if (m4 < M) {
    if (nb + 0u < N) { dw[m4 * 400u + (nb + 0u) * 1u] = acc4_0[0]; }
    if (nb + 1u < N) { dw[m4 * 400u + (nb + 1u) * 1u] = acc4_0[1]; }
    if (nb + 2u < N) { dw[m4 * 400u + (nb + 2u) * 1u] = acc4_0[2]; }
    if (nb + 3u < N) { dw[m4 * 400u + (nb + 3u) * 1u] = acc4_0[3]; }
    if (nb + 4u < N) { dw[m4 * 400u + (nb + 4u) * 1u] = acc4_1[0]; }
    if (nb + 5u < N) { dw[m4 * 400u + (nb + 5u) * 1u] = acc4_1[1]; }
    if (nb + 6u < N) { dw[m4 * 400u + (nb + 6u) * 1u] = acc4_1[2]; }
    if (nb + 7u < N) { dw[m4 * 400u + (nb + 7u) * 1u] = acc4_1[3]; }
  }
  if (m5 < M) {
    if (nb + 0u < N) { dw[m5 * 400u + (nb + 0u) * 1u] = acc5_0[0]; }
    if (nb + 1u < N) { dw[m5 * 400u + (nb + 1u) * 1u] = acc5_0[1]; }
    if (nb + 2u < N) { dw[m5 * 400u + (nb + 2u) * 1u] = acc5_0[2]; }
    if (nb + 3u < N) { dw[m5 * 400u + (nb + 3u) * 1u] = acc5_0[3]; }
    if (nb + 4u < N) { dw[m5 * 400u + (nb + 4u) * 1u] = acc5_1[0]; }
    if (nb + 5u < N) { dw[m5 * 400u + (nb + 5u) * 1u] = acc5_1[1]; }
    if (nb + 6u < N) { dw[m5 * 400u + (nb + 6u) * 1u] = acc5_1[2]; }
    if (nb + 7u < N) { dw[m5 * 400u + (nb + 7u) * 1u] = acc5_1[3]; }
  }
  if (m6 < M) {
    if (nb + 0u < N) { dw[m6 * 400u + (nb + 0u) * 1u] = acc6_0[0]; }
    if (nb + 1u < N) { dw[m6 * 400u + (nb + 1u) * 1u] = acc6_0[1]; }
    if (nb + 2u < N) { dw[m6 * 400u + (nb + 2u) * 1u] = acc6_0[2]; }
    if (nb + 3u < N) { dw[m6 * 400u + (nb + 3u) * 1u] = acc6_0[3]; }
    if (nb + 4u < N) { dw[m6 * 400u + (nb + 4u) * 1u] = acc6_1[0]; }
    if (nb + 5u < N) { dw[m6 * 400u + (nb + 5u) * 1u] = acc6_1[1]; }
    if (nb + 6u < N) { dw[m6 * 400u + (nb + 6u) * 1u] = acc6_1[2]; }
    if (nb + 7u < N) { dw[m6 * 400u + (nb + 7u) * 1u] = acc6_1[3]; }
  }
  if (m7 < M) {
    if (nb + 0u < N) { dw[m7 * 400u + (nb + 0u) * 1u] = acc7_0[0]; }
    if (nb + 1u < N) { dw[m7 * 400u + (nb + 1u) * 1u] = acc7_0[1]; }
    if (nb + 2u < N) { dw[m7 * 400u + (nb + 2u) * 1u] = acc7_0[2]; }
    if (nb + 3u < N) { dw[m7 * 400u + (nb + 3u) * 1u] = acc7_0[3]; }
    if (nb + 4u < N) { dw[m7 * 400u + (nb + 4u) * 1u] = acc7_1[0]; }
    if (nb + 5u < N) { dw[m7 * 400u + (nb + 5u) * 1u] = acc7_1[1]; }
    if (nb + 6u < N) { dw[m7 * 400u + (nb + 6u) * 1u] = acc7_1[2]; }
    if (nb + 7u < N) { dw[m7 * 400u + (nb + 7u) * 1u] = acc7_1[3]; }
  }
  if (wg % tilesN == 0u) {
    var rs0 = 0.0;
    var rs1 = 0.0;
    var rs2 = 0.0;
    var rs3 = 0.0;
    var rs4 = 0.0;
    var rs5 = 0.0;
    var rs6 = 0.0;
    var rs7 = 0.0;
    var ks = 0u;
    for (var k = 0u; k < (K + params.zero); k++) {
      rs0 += dy[ar0 + ks];
      rs1 += dy[ar1 + ks];
      rs2 += dy[ar2 + ks];
      rs3 += dy[ar3 + ks];
      rs4 += dy[ar4 + ks];
      rs5 += dy[ar5 + ks];
      rs6 += dy[ar6 + ks];
      rs7 += dy[ar7 + ks];
      ks += 120u;
    }
    if (m0 < M) { db[m0] = rs0; }
    if (m1 < M) { db[m1] = rs1; }
    if (m2 < M) { db[m2] = rs2; }
    if (m3 < M) { db[m3] = rs3; }
    if (m4 < M) { db[m4] = rs4; }
    if (m5 < M) { db[m5] = rs5; }
    if (m6 < M) { db[m6] = rs6; }
    if (m7 < M) { db[m7] = rs7; }
  }
}


// ---- pool2d_grad_max+relu_grad:maxpool2
// pool2d_grad (per window) max: 16×10×10 → 5×5, kernel 2×2, stride 2×2, pad 0,0,0,0
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> yf: array<f32>;
@group(0) @binding(3) var<storage, read> dx_in0: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
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
// The fused epilogue (adds of tensors at the same index, activations), applied once per stored value.
fn epilogue_dx(acc: f32, i: u32) -> f32 {
  var r = acc;
  { let d = r; let y = dx_in0[i]; r = select(f32(0.0), d, y > f32(0.0)); }
  return r;
}
fn item(i: u32) {
  let ow = i32(i % u32(OW));
  let rest = i / u32(OW);
  let oh = i32(rest % u32(OH));
  let nc = rest / u32(OH);
  let plane = nc * u32(H * W);
  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);
  var best = x[plane + u32(y0 * W + x0)];
  var at = y0 * W + x0;
  { let r = y0 + 0i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 0i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 1i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 1i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  let arg = at;
  let g = dy[i];
  { let r = y0 + 0i; let c = x0 + 0i; let t = plane + u32(r * W + c); dx[t] = epilogue_dx(select(0.0, g, r * W + c == arg), t); }
  { let r = y0 + 0i; let c = x0 + 1i; let t = plane + u32(r * W + c); dx[t] = epilogue_dx(select(0.0, g, r * W + c == arg), t); }
  { let r = y0 + 1i; let c = x0 + 0i; let t = plane + u32(r * W + c); dx[t] = epilogue_dx(select(0.0, g, r * W + c == arg), t); }
  { let r = y0 + 1i; let c = x0 + 1i; let t = plane + u32(r * W + c); dx[t] = epilogue_dx(select(0.0, g, r * W + c == arg), t); }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 400u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- conv2d_grad_input:conv2
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d grad input (stride 1, as a forward conv): x 6×14×14, w 16×6×5×5, y 16×10×10, stride 1,1, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 10u;
const IN_HW = 100u;
const IN_CHW = 1600u;
const IN_H_I = 10i;
const IN_W_I = 10i;
const OUT_C = 6u;
const OUT_H = 14u;
const OUT_W = 14u;
const OUT_HW = 196u;
const CG_IN = 16u;
const CG_OUT = 6u;
const GROUPS = 1u;
const KH = 5u;
const KW = 5u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 4i;
const PL = 4i;
const WG = 64u;
const TM = 6u;
const TN = 4u;
const SEGS = 4u;
const TILES_M = 1u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let nseg = params.batch * OUT_H * SEGS;
  let tilesN = (nseg + WG - 1u) / WG;
  if (wg >= tilesN * TILES_M * GROUPS) { return; }
  let tn = wg % tilesN;
  let rest = wg / tilesN;
  let m0 = (rest % TILES_M) * TM;
  let g = rest / TILES_M;
  let s = tn * WG + lid;
  let ok = s < nseg;
  let sc = min(s, nseg - 1u);
  let row = sc / SEGS;
  let ow0 = (sc % SEGS) * TN;
  let nb = row / OUT_H;
  let oh = row % OUT_H;
  let xb = nb * IN_CHW + g * CG_IN * IN_HW;
  let iw0 = i32(ow0 * SW) - PL + 0i;
  let cok0 = iw0 >= 0i && iw0 < IN_W_I;
  let ic0 = u32(clamp(iw0, 0i, IN_W_I - 1i));
  let iw1 = i32(ow0 * SW) - PL + 1i;
  let cok1 = iw1 >= 0i && iw1 < IN_W_I;
  let ic1 = u32(clamp(iw1, 0i, IN_W_I - 1i));
  let iw2 = i32(ow0 * SW) - PL + 2i;
  let cok2 = iw2 >= 0i && iw2 < IN_W_I;
  let ic2 = u32(clamp(iw2, 0i, IN_W_I - 1i));
  let iw3 = i32(ow0 * SW) - PL + 3i;
  let cok3 = iw3 >= 0i && iw3 < IN_W_I;
  let ic3 = u32(clamp(iw3, 0i, IN_W_I - 1i));
  let iw4 = i32(ow0 * SW) - PL + 4i;
  let cok4 = iw4 >= 0i && iw4 < IN_W_I;
  let ic4 = u32(clamp(iw4, 0i, IN_W_I - 1i));
  let iw5 = i32(ow0 * SW) - PL + 5i;
  let cok5 = iw5 >= 0i && iw5 < IN_W_I;
  let ic5 = u32(clamp(iw5, 0i, IN_W_I - 1i));
  let iw6 = i32(ow0 * SW) - PL + 6i;
  let cok6 = iw6 >= 0i && iw6 < IN_W_I;
  let ic6 = u32(clamp(iw6, 0i, IN_W_I - 1i));
  let iw7 = i32(ow0 * SW) - PL + 7i;
  let cok7 = iw7 >= 0i && iw7 < IN_W_I;
  let ic7 = u32(clamp(iw7, 0i, IN_W_I - 1i));
  let q0 = min(sl + 0u, 29u);
  let wl0 = (g * 96u + min(m0 + q0 / KW, CG_OUT - 1u)) * 25u + (4u - (q0 % KW));
  let q1 = min(sl + 8u, 29u);
  let wl1 = (g * 96u + min(m0 + q1 / KW, CG_OUT - 1u)) * 25u + (4u - (q1 % KW));
  let q2 = min(sl + 16u, 29u);
  let wl2 = (g * 96u + min(m0 + q2 / KW, CG_OUT - 1u)) * 25u + (4u - (q2 % KW));
  let q3 = min(sl + 24u, 29u);
  let wl3 = (g * 96u + min(m0 + q3 / KW, CG_OUT - 1u)) * 25u + (4u - (q3 % KW));
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  let top = PT - i32(oh * SH);
  let room = IN_H_I + PT - i32(oh * SH);
  let khLo = subgroupMin(u32(clamp((top + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));
  let khHi = subgroupMax(u32(clamp((room + i32(DH) - 1i) / i32(DH), 0i, i32(KH))));
  for (var kh = khLo; kh < khHi; kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    let m4 = rok && cok4;
    let m5 = rok && cok5;
    let m6 = rok && cok6;
    let m7 = rok && cok7;
    var wo = (4u - kh) * 5u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let x4 = select(0.0, dy[rb + ic4], m4);
      let x5 = select(0.0, dy[rb + ic5], m5);
      let x6 = select(0.0, dy[rb + ic6], m6);
      let x7 = select(0.0, dy[rb + ic7], m7);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let ws3 = w[wl3 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws3, 1u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws3, 2u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws3, 3u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv0_3 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc0_0 = fma(wv0_3, vec4<f32>(x3, x4, x5, x6), acc0_0);
      let wv1_3 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc1_0 = fma(wv1_3, vec4<f32>(x3, x4, x5, x6), acc1_0);
      let wv2_3 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc2_0 = fma(wv2_3, vec4<f32>(x3, x4, x5, x6), acc2_0);
      let wv3_3 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc3_0 = fma(wv3_3, vec4<f32>(x3, x4, x5, x6), acc3_0);
      let wv4_3 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc4_0 = fma(wv4_3, vec4<f32>(x3, x4, x5, x6), acc4_0);
      let wv5_3 = vec4<f32>(subgroupBroadcast(ws3, 4u));
      acc5_0 = fma(wv5_3, vec4<f32>(x3, x4, x5, x6), acc5_0);
      let wv0_4 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc0_0 = fma(wv0_4, vec4<f32>(x4, x5, x6, x7), acc0_0);
      let wv1_4 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc1_0 = fma(wv1_4, vec4<f32>(x4, x5, x6, x7), acc1_0);
      let wv2_4 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc2_0 = fma(wv2_4, vec4<f32>(x4, x5, x6, x7), acc2_0);
      let wv3_4 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc3_0 = fma(wv3_4, vec4<f32>(x4, x5, x6, x7), acc3_0);
      let wv4_4 = vec4<f32>(subgroupBroadcast(ws3, 0u));
      acc4_0 = fma(wv4_4, vec4<f32>(x4, x5, x6, x7), acc4_0);
      let wv5_4 = vec4<f32>(subgroupBroadcast(ws3, 5u));
      acc5_0 = fma(wv5_4, vec4<f32>(x4, x5, x6, x7), acc5_0);
      rb += IN_HW;
      wo += 150u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb0 + 0u] = acc0_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb0 + 1u] = acc0_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb0 + 2u] = acc0_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb0 + 3u] = acc0_0[3]; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb1 + 0u] = acc1_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb1 + 1u] = acc1_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb1 + 2u] = acc1_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb1 + 3u] = acc1_0[3]; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb2 + 0u] = acc2_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb2 + 1u] = acc2_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb2 + 2u] = acc2_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb2 + 3u] = acc2_0[3]; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb3 + 0u] = acc3_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb3 + 1u] = acc3_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb3 + 2u] = acc3_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb3 + 3u] = acc3_0[3]; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb4 + 0u] = acc4_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb4 + 1u] = acc4_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb4 + 2u] = acc4_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb4 + 3u] = acc4_0[3]; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb5 + 0u] = acc5_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb5 + 1u] = acc5_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb5 + 2u] = acc5_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb5 + 3u] = acc5_0[3]; }
  }
}


// ---- conv2d_grad_weight&bias_grad:conv2
enable subgroups;
// conv2d grad weight: x 6×14×14, w 16×6×5×5, y 16×10×10, stride 1,1, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<storage, read_write> db: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
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
const TM = 16u;
const LANES = 8u;
const NQ = 150u;
const TILES_M = 1u;
const TILES_N = 5u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  if (wg >= TILES_N * TILES_M * GROUPS) { return; }
  let qb = (wg % TILES_N) * 32u;
  let rest = wg / TILES_N;
  let m0 = (rest % TILES_M) * TM;
  let g = rest / TILES_M;
  let qv0 = qb + 0u + sl;
  let q0 = min(qv0, NQ - 1u);
  let xc0 = (g * CG + q0 / KHKW) * HW;
  let dh0 = i32(((q0 % KHKW) / KW) * DH) - PT;
  let dw0 = i32((q0 % KW) * DW) - PL;
  let qv1 = qb + 8u + sl;
  let q1 = min(qv1, NQ - 1u);
  let xc1 = (g * CG + q1 / KHKW) * HW;
  let dh1 = i32(((q1 % KHKW) / KW) * DH) - PT;
  let dw1 = i32((q1 % KW) * DW) - PL;
  let qv2 = qb + 16u + sl;
  let q2 = min(qv2, NQ - 1u);
  let xc2 = (g * CG + q2 / KHKW) * HW;
  let dh2 = i32(((q2 % KHKW) / KW) * DH) - PT;
  let dw2 = i32((q2 % KW) * DW) - PL;
  let qv3 = qb + 24u + sl;
  let q3 = min(qv3, NQ - 1u);
  let xc3 = (g * CG + q3 / KHKW) * HW;
  let dh3 = i32(((q3 % KHKW) / KW) * DH) - PT;
  let dw3 = i32((q3 % KW) * DW) - PL;
  let yc0 = (g * OG + min(m0 + sl + 0u, OG - 1u)) * OHW;
  let yc1 = (g * OG + min(m0 + sl + 8u, OG - 1u)) * OHW;
  var bs0 = 0.0;
  var bs1 = 0.0;
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  var acc8_0 = vec4<f32>(0.0);
  var acc9_0 = vec4<f32>(0.0);
  var acc10_0 = vec4<f32>(0.0);
  var acc11_0 = vec4<f32>(0.0);
  var acc12_0 = vec4<f32>(0.0);
  var acc13_0 = vec4<f32>(0.0);
  var acc14_0 = vec4<f32>(0.0);
  var acc15_0 = vec4<f32>(0.0);
  let rows = params.batch * OH;
  for (var r = 0u; r < rows; r++) {
    let nb = r / OH;
    let oh = r % OH;
    let xn = nb * CHW;
    let yr = nb * OHWO + oh * OW;
    let ih0 = i32(oh * SH) + dh0;
    let rowok0 = ih0 >= 0i && ih0 < H_I;
    let xr0 = select(0u, xn + xc0 + u32(ih0) * W, rowok0);
    let ih1 = i32(oh * SH) + dh1;
    let rowok1 = ih1 >= 0i && ih1 < H_I;
    let xr1 = select(0u, xn + xc1 + u32(ih1) * W, rowok1);
    let ih2 = i32(oh * SH) + dh2;
    let rowok2 = ih2 >= 0i && ih2 < H_I;
    let xr2 = select(0u, xn + xc2 + u32(ih2) * W, rowok2);
    let ih3 = i32(oh * SH) + dh3;
    let rowok3 = ih3 >= 0i && ih3 < H_I;
    let xr3 = select(0u, xn + xc3 + u32(ih3) * W, rowok3);
    let rmask0 = vec4<bool>(rowok0, rowok1, rowok2, rowok3);
    for (var ow = 0u; ow < (10u + params.zero); ow++) {
      let iw0 = i32(ow * SW) + dw0;
      let xo0 = xr0 + u32(iw0);
      let iw1 = i32(ow * SW) + dw1;
      let xo1 = xr1 + u32(iw1);
      let iw2 = i32(ow * SW) + dw2;
      let xo2 = xr2 + u32(iw2);
      let iw3 = i32(ow * SW) + dw3;
      let xo3 = xr3 + u32(iw3);
      let xv0 = select(vec4<f32>(0.0), vec4<f32>(x[xo0], x[xo1], x[xo2], x[xo3]), rmask0);
      let ds0 = dy[yc0 + yr + ow];
      let ds1 = dy[yc1 + yr + ow];
      bs0 += ds0;
      bs1 += ds1;
      let d0 = vec4<f32>(subgroupBroadcast(ds0, 0u));
      acc0_0 = fma(d0, xv0, acc0_0);
      let d1 = vec4<f32>(subgroupBroadcast(ds0, 1u));
      acc1_0 = fma(d1, xv0, acc1_0);
      let d2 = vec4<f32>(subgroupBroadcast(ds0, 2u));
      acc2_0 = fma(d2, xv0, acc2_0);
      let d3 = vec4<f32>(subgroupBroadcast(ds0, 3u));
      acc3_0 = fma(d3, xv0, acc3_0);
      let d4 = vec4<f32>(subgroupBroadcast(ds0, 4u));
      acc4_0 = fma(d4, xv0, acc4_0);
      let d5 = vec4<f32>(subgroupBroadcast(ds0, 5u));
      acc5_0 = fma(d5, xv0, acc5_0);
      let d6 = vec4<f32>(subgroupBroadcast(ds0, 6u));
      acc6_0 = fma(d6, xv0, acc6_0);
      let d7 = vec4<f32>(subgroupBroadcast(ds0, 7u));
      acc7_0 = fma(d7, xv0, acc7_0);
      let d8 = vec4<f32>(subgroupBroadcast(ds1, 0u));
      acc8_0 = fma(d8, xv0, acc8_0);
      let d9 = vec4<f32>(subgroupBroadcast(ds1, 1u));
      acc9_0 = fma(d9, xv0, acc9_0);
      let d10 = vec4<f32>(subgroupBroadcast(ds1, 2u));
      acc10_0 = fma(d10, xv0, acc10_0);
      let d11 = vec4<f32>(subgroupBroadcast(ds1, 3u));
      acc11_0 = fma(d11, xv0, acc11_0);
      let d12 = vec4<f32>(subgroupBroadcast(ds1, 4u));
      acc12_0 = fma(d12, xv0, acc12_0);
      let d13 = vec4<f32>(subgroupBroadcast(ds1, 5u));
      acc13_0 = fma(d13, xv0, acc13_0);
      let d14 = vec4<f32>(subgroupBroadcast(ds1, 6u));
      acc14_0 = fma(d14, xv0, acc14_0);
      let d15 = vec4<f32>(subgroupBroadcast(ds1, 7u));
      acc15_0 = fma(d15, xv0, acc15_0);
    }
  }
  if (m0 + 0u < OG) {
    let row0 = (g * OG + m0 + 0u) * NQ;
    if (qv0 < NQ) { dw[row0 + qv0] = acc0_0[0]; }
    if (qv1 < NQ) { dw[row0 + qv1] = acc0_0[1]; }
    if (qv2 < NQ) { dw[row0 + qv2] = acc0_0[2]; }
    if (qv3 < NQ) { dw[row0 + qv3] = acc0_0[3]; }
  }
  if (m0 + 1u < OG) {
    let row1 = (g * OG + m0 + 1u) * NQ;
    if (qv0 < NQ) { dw[row1 + qv0] = acc1_0[0]; }
    if (qv1 < NQ) { dw[row1 + qv1] = acc1_0[1]; }
    if (qv2 < NQ) { dw[row1 + qv2] = acc1_0[2]; }
    if (qv3 < NQ) { dw[row1 + qv3] = acc1_0[3]; }
  }
  if (m0 + 2u < OG) {
    let row2 = (g * OG + m0 + 2u) * NQ;
    if (qv0 < NQ) { dw[row2 + qv0] = acc2_0[0]; }
    if (qv1 < NQ) { dw[row2 + qv1] = acc2_0[1]; }
    if (qv2 < NQ) { dw[row2 + qv2] = acc2_0[2]; }
    if (qv3 < NQ) { dw[row2 + qv3] = acc2_0[3]; }
  }
  if (m0 + 3u < OG) {
    let row3 = (g * OG + m0 + 3u) * NQ;
    if (qv0 < NQ) { dw[row3 + qv0] = acc3_0[0]; }
    if (qv1 < NQ) { dw[row3 + qv1] = acc3_0[1]; }
    if (qv2 < NQ) { dw[row3 + qv2] = acc3_0[2]; }
    if (qv3 < NQ) { dw[row3 + qv3] = acc3_0[3]; }
  }
  if (m0 + 4u < OG) {
    let row4 = (g * OG + m0 + 4u) * NQ;
    if (qv0 < NQ) { dw[row4 + qv0] = acc4_0[0]; }
    if (qv1 < NQ) { dw[row4 + qv1] = acc4_0[1]; }
    if (qv2 < NQ) { dw[row4 + qv2] = acc4_0[2]; }
    if (qv3 < NQ) { dw[row4 + qv3] = acc4_0[3]; }
  }
  if (m0 + 5u < OG) {
    let row5 = (g * OG + m0 + 5u) * NQ;
    if (qv0 < NQ) { dw[row5 + qv0] = acc5_0[0]; }
    if (qv1 < NQ) { dw[row5 + qv1] = acc5_0[1]; }
    if (qv2 < NQ) { dw[row5 + qv2] = acc5_0[2]; }
    if (qv3 < NQ) { dw[row5 + qv3] = acc5_0[3]; }
  }
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { dw[row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { dw[row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { dw[row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { dw[row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { dw[row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { dw[row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { dw[row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { dw[row7 + qv3] = acc7_0[3]; }
  }
  if (m0 + 8u < OG) {
    let row8 = (g * OG + m0 + 8u) * NQ;
    if (qv0 < NQ) { dw[row8 + qv0] = acc8_0[0]; }
    if (qv1 < NQ) { dw[row8 + qv1] = acc8_0[1]; }
    if (qv2 < NQ) { dw[row8 + qv2] = acc8_0[2]; }
    if (qv3 < NQ) { dw[row8 + qv3] = acc8_0[3]; }
  }
  if (m0 + 9u < OG) {
    let row9 = (g * OG + m0 + 9u) * NQ;
    if (qv0 < NQ) { dw[row9 + qv0] = acc9_0[0]; }
    if (qv1 < NQ) { dw[row9 + qv1] = acc9_0[1]; }
    if (qv2 < NQ) { dw[row9 + qv2] = acc9_0[2]; }
    if (qv3 < NQ) { dw[row9 + qv3] = acc9_0[3]; }
  }
  if (m0 + 10u < OG) {
    let row10 = (g * OG + m0 + 10u) * NQ;
    if (qv0 < NQ) { dw[row10 + qv0] = acc10_0[0]; }
    if (qv1 < NQ) { dw[row10 + qv1] = acc10_0[1]; }
    if (qv2 < NQ) { dw[row10 + qv2] = acc10_0[2]; }
    if (qv3 < NQ) { dw[row10 + qv3] = acc10_0[3]; }
  }
  if (m0 + 11u < OG) {
    let row11 = (g * OG + m0 + 11u) * NQ;
    if (qv0 < NQ) { dw[row11 + qv0] = acc11_0[0]; }
    if (qv1 < NQ) { dw[row11 + qv1] = acc11_0[1]; }
    if (qv2 < NQ) { dw[row11 + qv2] = acc11_0[2]; }
    if (qv3 < NQ) { dw[row11 + qv3] = acc11_0[3]; }
  }
  if (m0 + 12u < OG) {
    let row12 = (g * OG + m0 + 12u) * NQ;
    if (qv0 < NQ) { dw[row12 + qv0] = acc12_0[0]; }
    if (qv1 < NQ) { dw[row12 + qv1] = acc12_0[1]; }
    if (qv2 < NQ) { dw[row12 + qv2] = acc12_0[2]; }
    if (qv3 < NQ) { dw[row12 + qv3] = acc12_0[3]; }
  }
  if (m0 + 13u < OG) {
    let row13 = (g * OG + m0 + 13u) * NQ;
    if (qv0 < NQ) { dw[row13 + qv0] = acc13_0[0]; }
    if (qv1 < NQ) { dw[row13 + qv1] = acc13_0[1]; }
    if (qv2 < NQ) { dw[row13 + qv2] = acc13_0[2]; }
    if (qv3 < NQ) { dw[row13 + qv3] = acc13_0[3]; }
  }
  if (m0 + 14u < OG) {
    let row14 = (g * OG + m0 + 14u) * NQ;
    if (qv0 < NQ) { dw[row14 + qv0] = acc14_0[0]; }
    if (qv1 < NQ) { dw[row14 + qv1] = acc14_0[1]; }
    if (qv2 < NQ) { dw[row14 + qv2] = acc14_0[2]; }
    if (qv3 < NQ) { dw[row14 + qv3] = acc14_0[3]; }
  }
  if (m0 + 15u < OG) {
    let row15 = (g * OG + m0 + 15u) * NQ;
    if (qv0 < NQ) { dw[row15 + qv0] = acc15_0[0]; }
    if (qv1 < NQ) { dw[row15 + qv1] = acc15_0[1]; }
    if (qv2 < NQ) { dw[row15 + qv2] = acc15_0[2]; }
    if (qv3 < NQ) { dw[row15 + qv3] = acc15_0[3]; }
  }
  if (qb == 0u) {
    if (sl + 0u < TM && m0 + sl + 0u < OG) { db[g * OG + m0 + sl + 0u] = bs0; }
    if (sl + 8u < TM && m0 + sl + 8u < OG) { db[g * OG + m0 + sl + 8u] = bs1; }
  }
}


// ---- pool2d_grad_max:maxpool1
// pool2d_grad (per window) max: 6×28×28 → 14×14, kernel 2×2, stride 2×2, pad 0,0,0,0
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> yf: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
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
  let plane = nc * u32(H * W);
  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);
  var best = x[plane + u32(y0 * W + x0)];
  var at = y0 * W + x0;
  { let r = y0 + 0i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 0i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 1i; let c = x0 + 0i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  { let r = y0 + 1i; let c = x0 + 1i; let v = x[plane + u32(r * W + c)]; if (v > best) { best = v; at = r * W + c; } }
  let arg = at;
  let g = dy[i];
  { let r = y0 + 0i; let c = x0 + 0i; let t = plane + u32(r * W + c); dx[t] = select(0.0, g, r * W + c == arg); }
  { let r = y0 + 0i; let c = x0 + 1i; let t = plane + u32(r * W + c); dx[t] = select(0.0, g, r * W + c == arg); }
  { let r = y0 + 1i; let c = x0 + 0i; let t = plane + u32(r * W + c); dx[t] = select(0.0, g, r * W + c == arg); }
  { let r = y0 + 1i; let c = x0 + 1i; let t = plane + u32(r * W + c); dx[t] = select(0.0, g, r * W + c == arg); }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 1176u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- relu_grad>conv2d_grad_weight_partial&bias_grad:conv1
enable subgroups;
// conv2d grad weight, 16 slices of the batch: x 1×28×28, w 6×1×5×5, y 6×28×28, stride 1,1, pad 2,2, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy_raw: array<f32>;
@group(0) @binding(1) var<storage, read> dy_y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> part: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
// dy = dy_raw·relu′(dy_y), a fused unary_grad: applied at every read, never stored.
fn read_dy(i: u32) -> f32 {
  let d = dy_raw[i];
  let y = dy_y[i];
  return select(f32(0.0), d, y > f32(0.0));
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
const TM = 6u;
const LANES = 8u;
const NQ = 25u;
const TILES_M = 1u;
const TILES_N = 1u;
const SPLITS = 16u;
const DW_LEN = 150u;
const PART = 156u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  if (wg >= TILES_N * TILES_M * GROUPS * SPLITS) { return; }
  let qb = (wg % TILES_N) * 32u;
  let rest = wg / TILES_N;
  let m0 = (rest % TILES_M) * TM;
  let g = (rest / TILES_M) % GROUPS;
  let slice = rest / (TILES_M * GROUPS);
  let qv0 = qb + 0u + sl;
  let q0 = min(qv0, NQ - 1u);
  let xc0 = (g * CG + q0 / KHKW) * HW;
  let dh0 = i32(((q0 % KHKW) / KW) * DH) - PT;
  let dw0 = i32((q0 % KW) * DW) - PL;
  let qv1 = qb + 8u + sl;
  let q1 = min(qv1, NQ - 1u);
  let xc1 = (g * CG + q1 / KHKW) * HW;
  let dh1 = i32(((q1 % KHKW) / KW) * DH) - PT;
  let dw1 = i32((q1 % KW) * DW) - PL;
  let qv2 = qb + 16u + sl;
  let q2 = min(qv2, NQ - 1u);
  let xc2 = (g * CG + q2 / KHKW) * HW;
  let dh2 = i32(((q2 % KHKW) / KW) * DH) - PT;
  let dw2 = i32((q2 % KW) * DW) - PL;
  let qv3 = qb + 24u + sl;
  let q3 = min(qv3, NQ - 1u);
  let xc3 = (g * CG + q3 / KHKW) * HW;
  let dh3 = i32(((q3 % KHKW) / KW) * DH) - PT;
  let dw3 = i32((q3 % KW) * DW) - PL;
  let yc0 = (g * OG + min(m0 + sl + 0u, OG - 1u)) * OHW;
  var bs0 = 0.0;
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  let rows = params.batch * OH;
  let per = (rows + SPLITS - 1u) / SPLITS;
  let r0 = min(rows, slice * per);
  for (var r = r0; r < min(rows, r0 + per); r++) {
    let nb = r / OH;
    let oh = r % OH;
    let xn = nb * CHW;
    let yr = nb * OHWO + oh * OW;
    let ih0 = i32(oh * SH) + dh0;
    let rowok0 = ih0 >= 0i && ih0 < H_I;
    let xr0 = select(0u, xn + xc0 + u32(ih0) * W, rowok0);
    let ih1 = i32(oh * SH) + dh1;
    let rowok1 = ih1 >= 0i && ih1 < H_I;
    let xr1 = select(0u, xn + xc1 + u32(ih1) * W, rowok1);
    let ih2 = i32(oh * SH) + dh2;
    let rowok2 = ih2 >= 0i && ih2 < H_I;
    let xr2 = select(0u, xn + xc2 + u32(ih2) * W, rowok2);
    let ih3 = i32(oh * SH) + dh3;
    let rowok3 = ih3 >= 0i && ih3 < H_I;
    let xr3 = select(0u, xn + xc3 + u32(ih3) * W, rowok3);
    let rmask0 = vec4<bool>(rowok0, rowok1, rowok2, rowok3);
    for (var ow = 2u; ow < (26u + params.zero); ow++) {
      let iw0 = i32(ow * SW) + dw0;
      let xo0 = xr0 + u32(iw0);
      let iw1 = i32(ow * SW) + dw1;
      let xo1 = xr1 + u32(iw1);
      let iw2 = i32(ow * SW) + dw2;
      let xo2 = xr2 + u32(iw2);
      let iw3 = i32(ow * SW) + dw3;
      let xo3 = xr3 + u32(iw3);
      let xv0 = select(vec4<f32>(0.0), vec4<f32>(x[xo0], x[xo1], x[xo2], x[xo3]), rmask0);
      let ds0 = read_dy(yc0 + yr + ow);
      bs0 += ds0;
      let d0 = vec4<f32>(subgroupBroadcast(ds0, 0u));
      acc0_0 = fma(d0, xv0, acc0_0);
      let d1 = vec4<f32>(subgroupBroadcast(ds0, 1u));
      acc1_0 = fma(d1, xv0, acc1_0);
      let d2 = vec4<f32>(subgroupBroadcast(ds0, 2u));
      acc2_0 = fma(d2, xv0, acc2_0);
      let d3 = vec4<f32>(subgroupBroadcast(ds0, 3u));
      acc3_0 = fma(d3, xv0, acc3_0);
      let d4 = vec4<f32>(subgroupBroadcast(ds0, 4u));
      acc4_0 = fma(d4, xv0, acc4_0);
      let d5 = vec4<f32>(subgroupBroadcast(ds0, 5u));
      acc5_0 = fma(d5, xv0, acc5_0);
    }
    for (var e = 0u; e < (4u + params.zero); e++) {
      let ow = select(e, e + 24u, e >= 2u);
      let iw0 = i32(ow * SW) + dw0;
      let in0 = rowok0 && iw0 >= 0i && iw0 < W_I;
      let xo0 = select(0u, xr0 + u32(iw0), in0);
      let iw1 = i32(ow * SW) + dw1;
      let in1 = rowok1 && iw1 >= 0i && iw1 < W_I;
      let xo1 = select(0u, xr1 + u32(iw1), in1);
      let iw2 = i32(ow * SW) + dw2;
      let in2 = rowok2 && iw2 >= 0i && iw2 < W_I;
      let xo2 = select(0u, xr2 + u32(iw2), in2);
      let iw3 = i32(ow * SW) + dw3;
      let in3 = rowok3 && iw3 >= 0i && iw3 < W_I;
      let xo3 = select(0u, xr3 + u32(iw3), in3);
      let xv0 = select(vec4<f32>(0.0), vec4<f32>(x[xo0], x[xo1], x[xo2], x[xo3]), vec4<bool>(in0, in1, in2, in3));
      let ds0 = read_dy(yc0 + yr + ow);
      bs0 += ds0;
      let d0 = vec4<f32>(subgroupBroadcast(ds0, 0u));
      acc0_0 = fma(d0, xv0, acc0_0);
      let d1 = vec4<f32>(subgroupBroadcast(ds0, 1u));
      acc1_0 = fma(d1, xv0, acc1_0);
      let d2 = vec4<f32>(subgroupBroadcast(ds0, 2u));
      acc2_0 = fma(d2, xv0, acc2_0);
      let d3 = vec4<f32>(subgroupBroadcast(ds0, 3u));
      acc3_0 = fma(d3, xv0, acc3_0);
      let d4 = vec4<f32>(subgroupBroadcast(ds0, 4u));
      acc4_0 = fma(d4, xv0, acc4_0);
      let d5 = vec4<f32>(subgroupBroadcast(ds0, 5u));
      acc5_0 = fma(d5, xv0, acc5_0);
    }
  }
  if (m0 + 0u < OG) {
    let row0 = (g * OG + m0 + 0u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row0 + qv0] = acc0_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row0 + qv1] = acc0_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row0 + qv2] = acc0_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row0 + qv3] = acc0_0[3]; }
  }
  if (m0 + 1u < OG) {
    let row1 = (g * OG + m0 + 1u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row1 + qv0] = acc1_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row1 + qv1] = acc1_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row1 + qv2] = acc1_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row1 + qv3] = acc1_0[3]; }
  }
  if (m0 + 2u < OG) {
    let row2 = (g * OG + m0 + 2u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row2 + qv0] = acc2_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row2 + qv1] = acc2_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row2 + qv2] = acc2_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row2 + qv3] = acc2_0[3]; }
  }
  if (m0 + 3u < OG) {
    let row3 = (g * OG + m0 + 3u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row3 + qv0] = acc3_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row3 + qv1] = acc3_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row3 + qv2] = acc3_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row3 + qv3] = acc3_0[3]; }
  }
  if (m0 + 4u < OG) {
    let row4 = (g * OG + m0 + 4u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row4 + qv0] = acc4_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row4 + qv1] = acc4_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row4 + qv2] = acc4_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row4 + qv3] = acc4_0[3]; }
  }
  if (m0 + 5u < OG) {
    let row5 = (g * OG + m0 + 5u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row5 + qv0] = acc5_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row5 + qv1] = acc5_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row5 + qv2] = acc5_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row5 + qv3] = acc5_0[3]; }
  }
  if (qb == 0u) {
    if (sl + 0u < TM && m0 + sl + 0u < OG) { part[slice * PART + DW_LEN + g * OG + m0 + sl + 0u] = bs0; }
  }
}


// ---- conv2d_grad_weight_sum:conv1
// the sum of 16 slices of partial sums, into 2 tensors
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<storage, read_write> out1: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const SPLITS = 16u;
const STRIDE = 156u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 150u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
  if (i >= 150u && i < 156u) {
    let e = i - 150u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 150u + e]; }
    out1[e] = s;
  }
}


// ---- optimizer_adam:optimizer
// fused adam update over 62080 parameters, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> v: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> hyper: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
alias T = vec4<f32>;
fn item(i: u32) {
  let e = i;
  let lr = hyper[0];
  var p = param[e];
  let g = grad[e];
  let mm = T(0.9) * m[e] + T(0.09999999999999998) * g;
  let vv = T(0.999) * v[e] + T(0.0010000000000000009) * g * g;
  m[e] = mm;
  v[e] = vv;
  param[e] = p - lr * (mm / hyper[1]) / (sqrt(vv / hyper[2]) + T(1e-8));
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = 15520u;
  let base = wg * 512u + lid;
  for (var j = 0u; j < (2u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}

