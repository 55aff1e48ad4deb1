// ---- conv2d_fwd:conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d forward: x 3×16×16, w 8×3×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 768u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 8u;
const OUT_H = 16u;
const OUT_W = 16u;
const OUT_HW = 256u;
const CG_IN = 3u;
const CG_OUT = 8u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 8u;
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
  let q0 = min(sl + 0u, 23u);
  let wl0 = (g * 8u + min(m0 + q0 / KW, CG_OUT - 1u)) * 27u + (q0 % KW);
  let q1 = min(sl + 8u, 23u);
  let wl1 = (g * 8u + min(m0 + q1 / KW, CG_OUT - 1u)) * 27u + (q1 % KW);
  let q2 = min(sl + 16u, 23u);
  let wl2 = (g * 8u + min(m0 + q2 / KW, CG_OUT - 1u)) * 27u + (q2 % KW);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = kh * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      rb += IN_HW;
      wo += 9u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    let bias0 = b[o0];
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = acc0_0[0] + bias0; }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = acc0_0[1] + bias0; }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = acc0_0[2] + bias0; }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = acc0_0[3] + bias0; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    let bias1 = b[o1];
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = acc1_0[0] + bias1; }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = acc1_0[1] + bias1; }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = acc1_0[2] + bias1; }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = acc1_0[3] + bias1; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    let bias2 = b[o2];
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = acc2_0[0] + bias2; }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = acc2_0[1] + bias2; }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = acc2_0[2] + bias2; }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = acc2_0[3] + bias2; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    let bias3 = b[o3];
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = acc3_0[0] + bias3; }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = acc3_0[1] + bias3; }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = acc3_0[2] + bias3; }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = acc3_0[3] + bias3; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    let bias4 = b[o4];
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = acc4_0[0] + bias4; }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = acc4_0[1] + bias4; }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = acc4_0[2] + bias4; }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = acc4_0[3] + bias4; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    let bias5 = b[o5];
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = acc5_0[0] + bias5; }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = acc5_0[1] + bias5; }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = acc5_0[2] + bias5; }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = acc5_0[3] + bias5; }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    let bias6 = b[o6];
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = acc6_0[0] + bias6; }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = acc6_0[1] + bias6; }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = acc6_0[2] + bias6; }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = acc6_0[3] + bias6; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    let bias7 = b[o7];
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = acc7_0[0] + bias7; }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = acc7_0[1] + bias7; }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = acc7_0[2] + bias7; }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = acc7_0[3] + bias7; }
  }
}


// ---- conv2d_fwd:basic1.conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d forward: x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 8u;
const OUT_H = 16u;
const OUT_W = 16u;
const OUT_HW = 256u;
const CG_IN = 8u;
const CG_OUT = 8u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 8u;
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
  let q0 = min(sl + 0u, 23u);
  let wl0 = (g * 8u + min(m0 + q0 / KW, CG_OUT - 1u)) * 72u + (q0 % KW);
  let q1 = min(sl + 8u, 23u);
  let wl1 = (g * 8u + min(m0 + q1 / KW, CG_OUT - 1u)) * 72u + (q1 % KW);
  let q2 = min(sl + 16u, 23u);
  let wl2 = (g * 8u + min(m0 + q2 / KW, CG_OUT - 1u)) * 72u + (q2 % KW);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = kh * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      rb += IN_HW;
      wo += 9u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = acc0_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = acc0_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = acc0_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = acc0_0[3]; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = acc1_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = acc1_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = acc1_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = acc1_0[3]; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = acc2_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = acc2_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = acc2_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = acc2_0[3]; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = acc3_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = acc3_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = acc3_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = acc3_0[3]; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = acc4_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = acc4_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = acc4_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = acc4_0[3]; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = acc5_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = acc5_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = acc5_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = acc5_0[3]; }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = acc7_0[3]; }
  }
}


// ---- batchnorm_train+relu:basic1.bn1
// batchnorm (training): 8 channels × 256 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> runMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(7) var<storage, read_write> saveInvstd: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 8u;
const UNITS = 64u;
const WG = 64u;
const RUN = 8u;
const EPS = 0.00001;
const MOM = 0.1;
var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 256u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = T(hsum(x[at(0u, c)]) * 0.25);
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
  var total = 0.0;
  var sq0 = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { total += partA[k]; sq0 += partB[k]; }
  let meanK = total / mf;
  let mu = shiftK.x + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    {
      var r = (x[j] - mu) * scale + shift;
      { let v = r; r = max(v, vec4<f32>(0.0)); }
      out[j] = r;
    }
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}


// ---- conv2d_fwd:basic1.conv2
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d forward: x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 8u;
const OUT_H = 16u;
const OUT_W = 16u;
const OUT_HW = 256u;
const CG_IN = 8u;
const CG_OUT = 8u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 8u;
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
  let q0 = min(sl + 0u, 23u);
  let wl0 = (g * 8u + min(m0 + q0 / KW, CG_OUT - 1u)) * 72u + (q0 % KW);
  let q1 = min(sl + 8u, 23u);
  let wl1 = (g * 8u + min(m0 + q1 / KW, CG_OUT - 1u)) * 72u + (q1 % KW);
  let q2 = min(sl + 16u, 23u);
  let wl2 = (g * 8u + min(m0 + q2 / KW, CG_OUT - 1u)) * 72u + (q2 % KW);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = kh * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      rb += IN_HW;
      wo += 9u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = acc0_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = acc0_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = acc0_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = acc0_0[3]; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = acc1_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = acc1_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = acc1_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = acc1_0[3]; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = acc2_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = acc2_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = acc2_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = acc2_0[3]; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = acc3_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = acc3_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = acc3_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = acc3_0[3]; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = acc4_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = acc4_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = acc4_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = acc4_0[3]; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = acc5_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = acc5_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = acc5_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = acc5_0[3]; }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = acc7_0[3]; }
  }
}


// ---- batchnorm_train:basic1.bn2
// batchnorm (training): 8 channels × 256 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> runMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(7) var<storage, read_write> saveInvstd: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 8u;
const UNITS = 64u;
const WG = 64u;
const RUN = 8u;
const EPS = 0.00001;
const MOM = 0.1;
var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 256u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = T(hsum(x[at(0u, c)]) * 0.25);
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
  var total = 0.0;
  var sq0 = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { total += partA[k]; sq0 += partB[k]; }
  let meanK = total / mf;
  let mu = shiftK.x + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    out[j] = (x[j] - mu) * scale + shift;
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}


// ---- add+relu:basic1.add1
// add: 8×16×16 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> in1: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 512u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      var r = v0 + v1;
      { let v = r; r = max(v, T(0.0)); }
      result[e] = r;
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      var r = v0 + v1;
      { let v = r; r = max(v, T(0.0)); }
      result[e] = r;
    }
  }
}


// ---- conv2d_fwd:basic2.conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d forward: x 8×16×16, w 16×8×3×3, y 16×8×8, stride 2,2, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 16u;
const OUT_H = 8u;
const OUT_W = 8u;
const OUT_HW = 64u;
const CG_IN = 8u;
const CG_OUT = 16u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 2u;
const SW = 2u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 16u;
const TN = 4u;
const SEGS = 2u;
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
  let iw8 = i32(ow0 * SW) - PL + 8i;
  let cok8 = iw8 >= 0i && iw8 < IN_W_I;
  let ic8 = u32(clamp(iw8, 0i, IN_W_I - 1i));
  let q0 = min(sl + 0u, 47u);
  let wl0 = (g * 16u + min(m0 + q0 / KW, CG_OUT - 1u)) * 72u + (q0 % KW);
  let q1 = min(sl + 8u, 47u);
  let wl1 = (g * 16u + min(m0 + q1 / KW, CG_OUT - 1u)) * 72u + (q1 % KW);
  let q2 = min(sl + 16u, 47u);
  let wl2 = (g * 16u + min(m0 + q2 / KW, CG_OUT - 1u)) * 72u + (q2 % KW);
  let q3 = min(sl + 24u, 47u);
  let wl3 = (g * 16u + min(m0 + q3 / KW, CG_OUT - 1u)) * 72u + (q3 % KW);
  let q4 = min(sl + 32u, 47u);
  let wl4 = (g * 16u + min(m0 + q4 / KW, CG_OUT - 1u)) * 72u + (q4 % KW);
  let q5 = min(sl + 40u, 47u);
  let wl5 = (g * 16u + min(m0 + q5 / KW, CG_OUT - 1u)) * 72u + (q5 % KW);
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
    let m8 = rok && cok8;
    var wo = kh * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x1 = select(0.0, x[rb + ic1], m1);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x3 = select(0.0, x[rb + ic3], m3);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x5 = select(0.0, x[rb + ic5], m5);
      let x6 = select(0.0, x[rb + ic6], m6);
      let x7 = select(0.0, x[rb + ic7], m7);
      let x8 = select(0.0, x[rb + ic8], m8);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let ws3 = w[wl3 + wo];
      let ws4 = w[wl4 + wo];
      let ws5 = w[wl5 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x2, x4, x6), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x2, x4, x6), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x2, x4, x6), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x2, x4, x6), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x2, x4, x6), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x2, x4, x6), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x2, x4, x6), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x2, x4, x6), acc7_0);
      let wv8_0 = vec4<f32>(subgroupBroadcast(ws3, 0u));
      acc8_0 = fma(wv8_0, vec4<f32>(x0, x2, x4, x6), acc8_0);
      let wv9_0 = vec4<f32>(subgroupBroadcast(ws3, 3u));
      acc9_0 = fma(wv9_0, vec4<f32>(x0, x2, x4, x6), acc9_0);
      let wv10_0 = vec4<f32>(subgroupBroadcast(ws3, 6u));
      acc10_0 = fma(wv10_0, vec4<f32>(x0, x2, x4, x6), acc10_0);
      let wv11_0 = vec4<f32>(subgroupBroadcast(ws4, 1u));
      acc11_0 = fma(wv11_0, vec4<f32>(x0, x2, x4, x6), acc11_0);
      let wv12_0 = vec4<f32>(subgroupBroadcast(ws4, 4u));
      acc12_0 = fma(wv12_0, vec4<f32>(x0, x2, x4, x6), acc12_0);
      let wv13_0 = vec4<f32>(subgroupBroadcast(ws4, 7u));
      acc13_0 = fma(wv13_0, vec4<f32>(x0, x2, x4, x6), acc13_0);
      let wv14_0 = vec4<f32>(subgroupBroadcast(ws5, 2u));
      acc14_0 = fma(wv14_0, vec4<f32>(x0, x2, x4, x6), acc14_0);
      let wv15_0 = vec4<f32>(subgroupBroadcast(ws5, 5u));
      acc15_0 = fma(wv15_0, vec4<f32>(x0, x2, x4, x6), acc15_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x3, x5, x7), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x3, x5, x7), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x3, x5, x7), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x3, x5, x7), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x3, x5, x7), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x3, x5, x7), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x3, x5, x7), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x3, x5, x7), acc7_0);
      let wv8_1 = vec4<f32>(subgroupBroadcast(ws3, 1u));
      acc8_0 = fma(wv8_1, vec4<f32>(x1, x3, x5, x7), acc8_0);
      let wv9_1 = vec4<f32>(subgroupBroadcast(ws3, 4u));
      acc9_0 = fma(wv9_1, vec4<f32>(x1, x3, x5, x7), acc9_0);
      let wv10_1 = vec4<f32>(subgroupBroadcast(ws3, 7u));
      acc10_0 = fma(wv10_1, vec4<f32>(x1, x3, x5, x7), acc10_0);
      let wv11_1 = vec4<f32>(subgroupBroadcast(ws4, 2u));
      acc11_0 = fma(wv11_1, vec4<f32>(x1, x3, x5, x7), acc11_0);
      let wv12_1 = vec4<f32>(subgroupBroadcast(ws4, 5u));
      acc12_0 = fma(wv12_1, vec4<f32>(x1, x3, x5, x7), acc12_0);
      let wv13_1 = vec4<f32>(subgroupBroadcast(ws5, 0u));
      acc13_0 = fma(wv13_1, vec4<f32>(x1, x3, x5, x7), acc13_0);
      let wv14_1 = vec4<f32>(subgroupBroadcast(ws5, 3u));
      acc14_0 = fma(wv14_1, vec4<f32>(x1, x3, x5, x7), acc14_0);
      let wv15_1 = vec4<f32>(subgroupBroadcast(ws5, 6u));
      acc15_0 = fma(wv15_1, vec4<f32>(x1, x3, x5, x7), acc15_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x4, x6, x8), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x4, x6, x8), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x4, x6, x8), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x4, x6, x8), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x4, x6, x8), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x4, x6, x8), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x4, x6, x8), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x4, x6, x8), acc7_0);
      let wv8_2 = vec4<f32>(subgroupBroadcast(ws3, 2u));
      acc8_0 = fma(wv8_2, vec4<f32>(x2, x4, x6, x8), acc8_0);
      let wv9_2 = vec4<f32>(subgroupBroadcast(ws3, 5u));
      acc9_0 = fma(wv9_2, vec4<f32>(x2, x4, x6, x8), acc9_0);
      let wv10_2 = vec4<f32>(subgroupBroadcast(ws4, 0u));
      acc10_0 = fma(wv10_2, vec4<f32>(x2, x4, x6, x8), acc10_0);
      let wv11_2 = vec4<f32>(subgroupBroadcast(ws4, 3u));
      acc11_0 = fma(wv11_2, vec4<f32>(x2, x4, x6, x8), acc11_0);
      let wv12_2 = vec4<f32>(subgroupBroadcast(ws4, 6u));
      acc12_0 = fma(wv12_2, vec4<f32>(x2, x4, x6, x8), acc12_0);
      let wv13_2 = vec4<f32>(subgroupBroadcast(ws5, 1u));
      acc13_0 = fma(wv13_2, vec4<f32>(x2, x4, x6, x8), acc13_0);
      let wv14_2 = vec4<f32>(subgroupBroadcast(ws5, 4u));
      acc14_0 = fma(wv14_2, vec4<f32>(x2, x4, x6, x8), acc14_0);
      let wv15_2 = vec4<f32>(subgroupBroadcast(ws5, 7u));
      acc15_0 = fma(wv15_2, vec4<f32>(x2, x4, x6, x8), acc15_0);
      rb += IN_HW;
      wo += 9u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = acc0_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = acc0_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = acc0_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = acc0_0[3]; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = acc1_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = acc1_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = acc1_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = acc1_0[3]; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = acc2_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = acc2_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = acc2_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = acc2_0[3]; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = acc3_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = acc3_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = acc3_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = acc3_0[3]; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = acc4_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = acc4_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = acc4_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = acc4_0[3]; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = acc5_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = acc5_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = acc5_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = acc5_0[3]; }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = acc7_0[3]; }
  }
  if (m0 + 8u < CG_OUT) {
    let o8 = g * CG_OUT + m0 + 8u;
    let yb8 = ob + o8 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb8 + 0u] = acc8_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb8 + 1u] = acc8_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb8 + 2u] = acc8_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb8 + 3u] = acc8_0[3]; }
  }
  if (m0 + 9u < CG_OUT) {
    let o9 = g * CG_OUT + m0 + 9u;
    let yb9 = ob + o9 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb9 + 0u] = acc9_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb9 + 1u] = acc9_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb9 + 2u] = acc9_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb9 + 3u] = acc9_0[3]; }
  }
  if (m0 + 10u < CG_OUT) {
    let o10 = g * CG_OUT + m0 + 10u;
    let yb10 = ob + o10 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb10 + 0u] = acc10_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb10 + 1u] = acc10_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb10 + 2u] = acc10_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb10 + 3u] = acc10_0[3]; }
  }
  if (m0 + 11u < CG_OUT) {
    let o11 = g * CG_OUT + m0 + 11u;
    let yb11 = ob + o11 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb11 + 0u] = acc11_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb11 + 1u] = acc11_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb11 + 2u] = acc11_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb11 + 3u] = acc11_0[3]; }
  }
  if (m0 + 12u < CG_OUT) {
    let o12 = g * CG_OUT + m0 + 12u;
    let yb12 = ob + o12 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb12 + 0u] = acc12_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb12 + 1u] = acc12_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb12 + 2u] = acc12_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb12 + 3u] = acc12_0[3]; }
  }
  if (m0 + 13u < CG_OUT) {
    let o13 = g * CG_OUT + m0 + 13u;
    let yb13 = ob + o13 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb13 + 0u] = acc13_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb13 + 1u] = acc13_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb13 + 2u] = acc13_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb13 + 3u] = acc13_0[3]; }
  }
  if (m0 + 14u < CG_OUT) {
    let o14 = g * CG_OUT + m0 + 14u;
    let yb14 = ob + o14 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb14 + 0u] = acc14_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb14 + 1u] = acc14_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb14 + 2u] = acc14_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb14 + 3u] = acc14_0[3]; }
  }
  if (m0 + 15u < CG_OUT) {
    let o15 = g * CG_OUT + m0 + 15u;
    let yb15 = ob + o15 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb15 + 0u] = acc15_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb15 + 1u] = acc15_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb15 + 2u] = acc15_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb15 + 3u] = acc15_0[3]; }
  }
}


// ---- batchnorm_train+relu:basic2.bn1
// batchnorm (training): 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> runMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(7) var<storage, read_write> saveInvstd: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;
const EPS = 0.00001;
const MOM = 0.1;
var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = T(hsum(x[at(0u, c)]) * 0.25);
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
  var total = 0.0;
  var sq0 = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { total += partA[k]; sq0 += partB[k]; }
  let meanK = total / mf;
  let mu = shiftK.x + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    {
      var r = (x[j] - mu) * scale + shift;
      { let v = r; r = max(v, vec4<f32>(0.0)); }
      out[j] = r;
    }
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}


// ---- conv2d_fwd.input_texture:basic2.conv2
// conv2d forward: x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: the input as NHWC vec4 texels
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> xs: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  for (var item = 0u; item < (4u + params.zero); item++) {
    let i = (wid.x + wid.y * nwg.x) * 1024u + item * 256u + lid;
    if (i >= params.batch * 256u) { return; }
    let w = i % 8u;
    let r = i / 8u;
    let c4 = r % 4u;
    let nh = r / 4u;
    let n = nh / 8u;
    let base = n * 1024u + (nh % 8u) * 8u + w;
    let c = c4 * 4u;
    let v = vec4<f32>(x[base + (c + 0u) * 64u], x[base + (c + 1u) * 64u], x[base + (c + 2u) * 64u], x[base + (c + 3u) * 64u]);
    xs[(nh * 8u + w) * 4u + c4] = v;
  }
}


// ---- conv2d_fwd.weight_texture:basic2.conv2
// conv2d forward: x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: the weights as [m][kh][kw][c4] vec4 texels
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> ws: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (t >= 576u) { return; }
  let c4 = t % 4u;
  let r = t / 4u;
  let kw = r % 3u;
  let kh = (r / 3u) % 3u;
  let m = r / 9u;
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < (4u + params.zero); e++) {
    let c = c4 * 4u + e;
    if (c < 16u) { v[e] = w[((m * 16u + c) * 9u + kh * 3u + kw)]; }
  }
  ws[t] = v;
}


// ---- conv2d_fwd:basic2.conv2
enable subgroups;
// conv2d forward: x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: implicit GEMM from textures, 16 channels × 8·8 pixels per subgroup
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var xt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(1) var wt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let np = params.batch * 64u;
  let tilesN = (np + 511u) / 512u;
  if (wg >= tilesN * 1u) { return; }
  let m0 = (wg / tilesN) * 16u;
  let first = (wg % tilesN) * 512u + lid;
  let p0 = first + 0u;
  let pc0 = min(p0, np - 1u);
  let hw0 = pc0 % 64u;
  let nH0 = (pc0 / 64u) * 8u;
  let ih0 = i32((hw0 / 8u) * 1u) - 1i;
  let iw0 = i32((hw0 % 8u) * 1u) - 1i;
  let p1 = first + 64u;
  let pc1 = min(p1, np - 1u);
  let hw1 = pc1 % 64u;
  let nH1 = (pc1 / 64u) * 8u;
  let ih1 = i32((hw1 / 8u) * 1u) - 1i;
  let iw1 = i32((hw1 % 8u) * 1u) - 1i;
  let p2 = first + 128u;
  let pc2 = min(p2, np - 1u);
  let hw2 = pc2 % 64u;
  let nH2 = (pc2 / 64u) * 8u;
  let ih2 = i32((hw2 / 8u) * 1u) - 1i;
  let iw2 = i32((hw2 % 8u) * 1u) - 1i;
  let p3 = first + 192u;
  let pc3 = min(p3, np - 1u);
  let hw3 = pc3 % 64u;
  let nH3 = (pc3 / 64u) * 8u;
  let ih3 = i32((hw3 / 8u) * 1u) - 1i;
  let iw3 = i32((hw3 % 8u) * 1u) - 1i;
  let p4 = first + 256u;
  let pc4 = min(p4, np - 1u);
  let hw4 = pc4 % 64u;
  let nH4 = (pc4 / 64u) * 8u;
  let ih4 = i32((hw4 / 8u) * 1u) - 1i;
  let iw4 = i32((hw4 % 8u) * 1u) - 1i;
  let p5 = first + 320u;
  let pc5 = min(p5, np - 1u);
  let hw5 = pc5 % 64u;
  let nH5 = (pc5 / 64u) * 8u;
  let ih5 = i32((hw5 / 8u) * 1u) - 1i;
  let iw5 = i32((hw5 % 8u) * 1u) - 1i;
  let p6 = first + 384u;
  let pc6 = min(p6, np - 1u);
  let hw6 = pc6 % 64u;
  let nH6 = (pc6 / 64u) * 8u;
  let ih6 = i32((hw6 / 8u) * 1u) - 1i;
  let iw6 = i32((hw6 % 8u) * 1u) - 1i;
  let p7 = first + 448u;
  let pc7 = min(p7, np - 1u);
  let hw7 = pc7 % 64u;
  let nH7 = (pc7 / 64u) * 8u;
  let ih7 = i32((hw7 / 8u) * 1u) - 1i;
  let iw7 = i32((hw7 % 8u) * 1u) - 1i;
  let wr0 = min(m0 + min(sl + 0u, 15u), 15u) * 36u;
  let wr1 = min(m0 + min(sl + 8u, 15u), 15u) * 36u;
  var c0_0 = 0.0;
  var c0_1 = 0.0;
  var c0_2 = 0.0;
  var c0_3 = 0.0;
  var c0_4 = 0.0;
  var c0_5 = 0.0;
  var c0_6 = 0.0;
  var c0_7 = 0.0;
  var c1_0 = 0.0;
  var c1_1 = 0.0;
  var c1_2 = 0.0;
  var c1_3 = 0.0;
  var c1_4 = 0.0;
  var c1_5 = 0.0;
  var c1_6 = 0.0;
  var c1_7 = 0.0;
  var c2_0 = 0.0;
  var c2_1 = 0.0;
  var c2_2 = 0.0;
  var c2_3 = 0.0;
  var c2_4 = 0.0;
  var c2_5 = 0.0;
  var c2_6 = 0.0;
  var c2_7 = 0.0;
  var c3_0 = 0.0;
  var c3_1 = 0.0;
  var c3_2 = 0.0;
  var c3_3 = 0.0;
  var c3_4 = 0.0;
  var c3_5 = 0.0;
  var c3_6 = 0.0;
  var c3_7 = 0.0;
  var c4_0 = 0.0;
  var c4_1 = 0.0;
  var c4_2 = 0.0;
  var c4_3 = 0.0;
  var c4_4 = 0.0;
  var c4_5 = 0.0;
  var c4_6 = 0.0;
  var c4_7 = 0.0;
  var c5_0 = 0.0;
  var c5_1 = 0.0;
  var c5_2 = 0.0;
  var c5_3 = 0.0;
  var c5_4 = 0.0;
  var c5_5 = 0.0;
  var c5_6 = 0.0;
  var c5_7 = 0.0;
  var c6_0 = 0.0;
  var c6_1 = 0.0;
  var c6_2 = 0.0;
  var c6_3 = 0.0;
  var c6_4 = 0.0;
  var c6_5 = 0.0;
  var c6_6 = 0.0;
  var c6_7 = 0.0;
  var c7_0 = 0.0;
  var c7_1 = 0.0;
  var c7_2 = 0.0;
  var c7_3 = 0.0;
  var c7_4 = 0.0;
  var c7_5 = 0.0;
  var c7_6 = 0.0;
  var c7_7 = 0.0;
  var c8_0 = 0.0;
  var c8_1 = 0.0;
  var c8_2 = 0.0;
  var c8_3 = 0.0;
  var c8_4 = 0.0;
  var c8_5 = 0.0;
  var c8_6 = 0.0;
  var c8_7 = 0.0;
  var c9_0 = 0.0;
  var c9_1 = 0.0;
  var c9_2 = 0.0;
  var c9_3 = 0.0;
  var c9_4 = 0.0;
  var c9_5 = 0.0;
  var c9_6 = 0.0;
  var c9_7 = 0.0;
  var c10_0 = 0.0;
  var c10_1 = 0.0;
  var c10_2 = 0.0;
  var c10_3 = 0.0;
  var c10_4 = 0.0;
  var c10_5 = 0.0;
  var c10_6 = 0.0;
  var c10_7 = 0.0;
  var c11_0 = 0.0;
  var c11_1 = 0.0;
  var c11_2 = 0.0;
  var c11_3 = 0.0;
  var c11_4 = 0.0;
  var c11_5 = 0.0;
  var c11_6 = 0.0;
  var c11_7 = 0.0;
  var c12_0 = 0.0;
  var c12_1 = 0.0;
  var c12_2 = 0.0;
  var c12_3 = 0.0;
  var c12_4 = 0.0;
  var c12_5 = 0.0;
  var c12_6 = 0.0;
  var c12_7 = 0.0;
  var c13_0 = 0.0;
  var c13_1 = 0.0;
  var c13_2 = 0.0;
  var c13_3 = 0.0;
  var c13_4 = 0.0;
  var c13_5 = 0.0;
  var c13_6 = 0.0;
  var c13_7 = 0.0;
  var c14_0 = 0.0;
  var c14_1 = 0.0;
  var c14_2 = 0.0;
  var c14_3 = 0.0;
  var c14_4 = 0.0;
  var c14_5 = 0.0;
  var c14_6 = 0.0;
  var c14_7 = 0.0;
  var c15_0 = 0.0;
  var c15_1 = 0.0;
  var c15_2 = 0.0;
  var c15_3 = 0.0;
  var c15_4 = 0.0;
  var c15_5 = 0.0;
  var c15_6 = 0.0;
  var c15_7 = 0.0;
  for (var kh = 0u; kh < (3u + params.zero); kh++) {
    let y0 = ih0 + i32(kh * 1u);
    let rok0 = y0 >= 0i && y0 < 8i;
    let row0 = (nH0 + u32(clamp(y0, 0i, 7i))) * 8u;
    let y1 = ih1 + i32(kh * 1u);
    let rok1 = y1 >= 0i && y1 < 8i;
    let row1 = (nH1 + u32(clamp(y1, 0i, 7i))) * 8u;
    let y2 = ih2 + i32(kh * 1u);
    let rok2 = y2 >= 0i && y2 < 8i;
    let row2 = (nH2 + u32(clamp(y2, 0i, 7i))) * 8u;
    let y3 = ih3 + i32(kh * 1u);
    let rok3 = y3 >= 0i && y3 < 8i;
    let row3 = (nH3 + u32(clamp(y3, 0i, 7i))) * 8u;
    let y4 = ih4 + i32(kh * 1u);
    let rok4 = y4 >= 0i && y4 < 8i;
    let row4 = (nH4 + u32(clamp(y4, 0i, 7i))) * 8u;
    let y5 = ih5 + i32(kh * 1u);
    let rok5 = y5 >= 0i && y5 < 8i;
    let row5 = (nH5 + u32(clamp(y5, 0i, 7i))) * 8u;
    let y6 = ih6 + i32(kh * 1u);
    let rok6 = y6 >= 0i && y6 < 8i;
    let row6 = (nH6 + u32(clamp(y6, 0i, 7i))) * 8u;
    let y7 = ih7 + i32(kh * 1u);
    let rok7 = y7 >= 0i && y7 < 8i;
    let row7 = (nH7 + u32(clamp(y7, 0i, 7i))) * 8u;
    for (var kw = 0u; kw < (3u + params.zero); kw++) {
      let x0 = iw0 + i32(kw * 1u);
      let ok0 = rok0 && x0 >= 0i && x0 < 8i;
      let xb0 = (row0 + u32(clamp(x0, 0i, 7i))) * 4u;
      let x1 = iw1 + i32(kw * 1u);
      let ok1 = rok1 && x1 >= 0i && x1 < 8i;
      let xb1 = (row1 + u32(clamp(x1, 0i, 7i))) * 4u;
      let x2 = iw2 + i32(kw * 1u);
      let ok2 = rok2 && x2 >= 0i && x2 < 8i;
      let xb2 = (row2 + u32(clamp(x2, 0i, 7i))) * 4u;
      let x3 = iw3 + i32(kw * 1u);
      let ok3 = rok3 && x3 >= 0i && x3 < 8i;
      let xb3 = (row3 + u32(clamp(x3, 0i, 7i))) * 4u;
      let x4 = iw4 + i32(kw * 1u);
      let ok4 = rok4 && x4 >= 0i && x4 < 8i;
      let xb4 = (row4 + u32(clamp(x4, 0i, 7i))) * 4u;
      let x5 = iw5 + i32(kw * 1u);
      let ok5 = rok5 && x5 >= 0i && x5 < 8i;
      let xb5 = (row5 + u32(clamp(x5, 0i, 7i))) * 4u;
      let x6 = iw6 + i32(kw * 1u);
      let ok6 = rok6 && x6 >= 0i && x6 < 8i;
      let xb6 = (row6 + u32(clamp(x6, 0i, 7i))) * 4u;
      let x7 = iw7 + i32(kw * 1u);
      let ok7 = rok7 && x7 >= 0i && x7 < 8i;
      let xb7 = (row7 + u32(clamp(x7, 0i, 7i))) * 4u;
      let wb = (kh * 3u + kw) * 4u;
      for (var c = 0u; c < (4u + params.zero); c++) {
        let b0 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb0 + c) & 2047u, (xb0 + c) >> 11u)), ok0);
        let b1 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb1 + c) & 2047u, (xb1 + c) >> 11u)), ok1);
        let b2 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb2 + c) & 2047u, (xb2 + c) >> 11u)), ok2);
        let b3 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb3 + c) & 2047u, (xb3 + c) >> 11u)), ok3);
        let b4 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb4 + c) & 2047u, (xb4 + c) >> 11u)), ok4);
        let b5 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb5 + c) & 2047u, (xb5 + c) >> 11u)), ok5);
        let b6 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb6 + c) & 2047u, (xb6 + c) >> 11u)), ok6);
        let b7 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb7 + c) & 2047u, (xb7 + c) >> 11u)), ok7);
        let av0 = textureLoad(wt, vec2<u32>((wr0 + wb + c) & 2047u, (wr0 + wb + c) >> 11u));
        let av1 = textureLoad(wt, vec2<u32>((wr1 + wb + c) & 2047u, (wr1 + wb + c) >> 11u));
        let a0 = subgroupBroadcast(av0, 0u);
        c0_0 = fma(a0.x, b0.x, c0_0);
        c0_0 = fma(a0.y, b0.y, c0_0);
        c0_0 = fma(a0.z, b0.z, c0_0);
        c0_0 = fma(a0.w, b0.w, c0_0);
        c0_1 = fma(a0.x, b1.x, c0_1);
        c0_1 = fma(a0.y, b1.y, c0_1);
        c0_1 = fma(a0.z, b1.z, c0_1);
        c0_1 = fma(a0.w, b1.w, c0_1);
        c0_2 = fma(a0.x, b2.x, c0_2);
        c0_2 = fma(a0.y, b2.y, c0_2);
        c0_2 = fma(a0.z, b2.z, c0_2);
        c0_2 = fma(a0.w, b2.w, c0_2);
        c0_3 = fma(a0.x, b3.x, c0_3);
        c0_3 = fma(a0.y, b3.y, c0_3);
        c0_3 = fma(a0.z, b3.z, c0_3);
        c0_3 = fma(a0.w, b3.w, c0_3);
        c0_4 = fma(a0.x, b4.x, c0_4);
        c0_4 = fma(a0.y, b4.y, c0_4);
        c0_4 = fma(a0.z, b4.z, c0_4);
        c0_4 = fma(a0.w, b4.w, c0_4);
        c0_5 = fma(a0.x, b5.x, c0_5);
        c0_5 = fma(a0.y, b5.y, c0_5);
        c0_5 = fma(a0.z, b5.z, c0_5);
        c0_5 = fma(a0.w, b5.w, c0_5);
        c0_6 = fma(a0.x, b6.x, c0_6);
        c0_6 = fma(a0.y, b6.y, c0_6);
        c0_6 = fma(a0.z, b6.z, c0_6);
        c0_6 = fma(a0.w, b6.w, c0_6);
        c0_7 = fma(a0.x, b7.x, c0_7);
        c0_7 = fma(a0.y, b7.y, c0_7);
        c0_7 = fma(a0.z, b7.z, c0_7);
        c0_7 = fma(a0.w, b7.w, c0_7);
        let a1 = subgroupBroadcast(av0, 1u);
        c1_0 = fma(a1.x, b0.x, c1_0);
        c1_0 = fma(a1.y, b0.y, c1_0);
        c1_0 = fma(a1.z, b0.z, c1_0);
        c1_0 = fma(a1.w, b0.w, c1_0);
        c1_1 = fma(a1.x, b1.x, c1_1);
        c1_1 = fma(a1.y, b1.y, c1_1);
        c1_1 = fma(a1.z, b1.z, c1_1);
        c1_1 = fma(a1.w, b1.w, c1_1);
        c1_2 = fma(a1.x, b2.x, c1_2);
        c1_2 = fma(a1.y, b2.y, c1_2);
        c1_2 = fma(a1.z, b2.z, c1_2);
        c1_2 = fma(a1.w, b2.w, c1_2);
        c1_3 = fma(a1.x, b3.x, c1_3);
        c1_3 = fma(a1.y, b3.y, c1_3);
        c1_3 = fma(a1.z, b3.z, c1_3);
        c1_3 = fma(a1.w, b3.w, c1_3);
        c1_4 = fma(a1.x, b4.x, c1_4);
        c1_4 = fma(a1.y, b4.y, c1_4);
        c1_4 = fma(a1.z, b4.z, c1_4);
        c1_4 = fma(a1.w, b4.w, c1_4);
        c1_5 = fma(a1.x, b5.x, c1_5);
        c1_5 = fma(a1.y, b5.y, c1_5);
        c1_5 = fma(a1.z, b5.z, c1_5);
        c1_5 = fma(a1.w, b5.w, c1_5);
        c1_6 = fma(a1.x, b6.x, c1_6);
        c1_6 = fma(a1.y, b6.y, c1_6);
        c1_6 = fma(a1.z, b6.z, c1_6);
        c1_6 = fma(a1.w, b6.w, c1_6);
        c1_7 = fma(a1.x, b7.x, c1_7);
        c1_7 = fma(a1.y, b7.y, c1_7);
        c1_7 = fma(a1.z, b7.z, c1_7);
        c1_7 = fma(a1.w, b7.w, c1_7);
        let a2 = subgroupBroadcast(av0, 2u);
        c2_0 = fma(a2.x, b0.x, c2_0);
        c2_0 = fma(a2.y, b0.y, c2_0);
        c2_0 = fma(a2.z, b0.z, c2_0);
        c2_0 = fma(a2.w, b0.w, c2_0);
        c2_1 = fma(a2.x, b1.x, c2_1);
        c2_1 = fma(a2.y, b1.y, c2_1);
        c2_1 = fma(a2.z, b1.z, c2_1);
        c2_1 = fma(a2.w, b1.w, c2_1);
        c2_2 = fma(a2.x, b2.x, c2_2);
        c2_2 = fma(a2.y, b2.y, c2_2);
        c2_2 = fma(a2.z, b2.z, c2_2);
        c2_2 = fma(a2.w, b2.w, c2_2);
        c2_3 = fma(a2.x, b3.x, c2_3);
        c2_3 = fma(a2.y, b3.y, c2_3);
        c2_3 = fma(a2.z, b3.z, c2_3);
        c2_3 = fma(a2.w, b3.w, c2_3);
        c2_4 = fma(a2.x, b4.x, c2_4);
        c2_4 = fma(a2.y, b4.y, c2_4);
        c2_4 = fma(a2.z, b4.z, c2_4);
        c2_4 = fma(a2.w, b4.w, c2_4);
        c2_5 = fma(a2.x, b5.x, c2_5);
        c2_5 = fma(a2.y, b5.y, c2_5);
        c2_5 = fma(a2.z, b5.z, c2_5);
        c2_5 = fma(a2.w, b5.w, c2_5);
        c2_6 = fma(a2.x, b6.x, c2_6);
        c2_6 = fma(a2.y, b6.y, c2_6);
        c2_6 = fma(a2.z, b6.z, c2_6);
        c2_6 = fma(a2.w, b6.w, c2_6);
        c2_7 = fma(a2.x, b7.x, c2_7);
        c2_7 = fma(a2.y, b7.y, c2_7);
        c2_7 = fma(a2.z, b7.z, c2_7);
        c2_7 = fma(a2.w, b7.w, c2_7);
        let a3 = subgroupBroadcast(av0, 3u);
        c3_0 = fma(a3.x, b0.x, c3_0);
        c3_0 = fma(a3.y, b0.y, c3_0);
        c3_0 = fma(a3.z, b0.z, c3_0);
        c3_0 = fma(a3.w, b0.w, c3_0);
        c3_1 = fma(a3.x, b1.x, c3_1);
        c3_1 = fma(a3.y, b1.y, c3_1);
        c3_1 = fma(a3.z, b1.z, c3_1);
        c3_1 = fma(a3.w, b1.w, c3_1);
        c3_2 = fma(a3.x, b2.x, c3_2);
        c3_2 = fma(a3.y, b2.y, c3_2);
        c3_2 = fma(a3.z, b2.z, c3_2);
        c3_2 = fma(a3.w, b2.w, c3_2);
        c3_3 = fma(a3.x, b3.x, c3_3);
        c3_3 = fma(a3.y, b3.y, c3_3);
        c3_3 = fma(a3.z, b3.z, c3_3);
        c3_3 = fma(a3.w, b3.w, c3_3);
        c3_4 = fma(a3.x, b4.x, c3_4);
        c3_4 = fma(a3.y, b4.y, c3_4);
        c3_4 = fma(a3.z, b4.z, c3_4);
        c3_4 = fma(a3.w, b4.w, c3_4);
        c3_5 = fma(a3.x, b5.x, c3_5);
        c3_5 = fma(a3.y, b5.y, c3_5);
        c3_5 = fma(a3.z, b5.z, c3_5);
        c3_5 = fma(a3.w, b5.w, c3_5);
        c3_6 = fma(a3.x, b6.x, c3_6);
        c3_6 = fma(a3.y, b6.y, c3_6);
        c3_6 = fma(a3.z, b6.z, c3_6);
        c3_6 = fma(a3.w, b6.w, c3_6);
        c3_7 = fma(a3.x, b7.x, c3_7);
        c3_7 = fma(a3.y, b7.y, c3_7);
        c3_7 = fma(a3.z, b7.z, c3_7);
        c3_7 = fma(a3.w, b7.w, c3_7);
        let a4 = subgroupBroadcast(av0, 4u);
        c4_0 = fma(a4.x, b0.x, c4_0);
        c4_0 = fma(a4.y, b0.y, c4_0);
        c4_0 = fma(a4.z, b0.z, c4_0);
        c4_0 = fma(a4.w, b0.w, c4_0);
        c4_1 = fma(a4.x, b1.x, c4_1);
        c4_1 = fma(a4.y, b1.y, c4_1);
        c4_1 = fma(a4.z, b1.z, c4_1);
        c4_1 = fma(a4.w, b1.w, c4_1);
        c4_2 = fma(a4.x, b2.x, c4_2);
        c4_2 = fma(a4.y, b2.y, c4_2);
        c4_2 = fma(a4.z, b2.z, c4_2);
        c4_2 = fma(a4.w, b2.w, c4_2);
        c4_3 = fma(a4.x, b3.x, c4_3);
        c4_3 = fma(a4.y, b3.y, c4_3);
        c4_3 = fma(a4.z, b3.z, c4_3);
        c4_3 = fma(a4.w, b3.w, c4_3);
        c4_4 = fma(a4.x, b4.x, c4_4);
        c4_4 = fma(a4.y, b4.y, c4_4);
        c4_4 = fma(a4.z, b4.z, c4_4);
        c4_4 = fma(a4.w, b4.w, c4_4);
        c4_5 = fma(a4.x, b5.x, c4_5);
        c4_5 = fma(a4.y, b5.y, c4_5);
        c4_5 = fma(a4.z, b5.z, c4_5);
        c4_5 = fma(a4.w, b5.w, c4_5);
        c4_6 = fma(a4.x, b6.x, c4_6);
        c4_6 = fma(a4.y, b6.y, c4_6);
        c4_6 = fma(a4.z, b6.z, c4_6);
        c4_6 = fma(a4.w, b6.w, c4_6);
        c4_7 = fma(a4.x, b7.x, c4_7);
        c4_7 = fma(a4.y, b7.y, c4_7);
        c4_7 = fma(a4.z, b7.z, c4_7);
        c4_7 = fma(a4.w, b7.w, c4_7);
        let a5 = subgroupBroadcast(av0, 5u);
        c5_0 = fma(a5.x, b0.x, c5_0);
        c5_0 = fma(a5.y, b0.y, c5_0);
        c5_0 = fma(a5.z, b0.z, c5_0);
        c5_0 = fma(a5.w, b0.w, c5_0);
        c5_1 = fma(a5.x, b1.x, c5_1);
        c5_1 = fma(a5.y, b1.y, c5_1);
        c5_1 = fma(a5.z, b1.z, c5_1);
        c5_1 = fma(a5.w, b1.w, c5_1);
        c5_2 = fma(a5.x, b2.x, c5_2);
        c5_2 = fma(a5.y, b2.y, c5_2);
        c5_2 = fma(a5.z, b2.z, c5_2);
        c5_2 = fma(a5.w, b2.w, c5_2);
        c5_3 = fma(a5.x, b3.x, c5_3);
        c5_3 = fma(a5.y, b3.y, c5_3);
        c5_3 = fma(a5.z, b3.z, c5_3);
        c5_3 = fma(a5.w, b3.w, c5_3);
        c5_4 = fma(a5.x, b4.x, c5_4);
        c5_4 = fma(a5.y, b4.y, c5_4);
        c5_4 = fma(a5.z, b4.z, c5_4);
        c5_4 = fma(a5.w, b4.w, c5_4);
        c5_5 = fma(a5.x, b5.x, c5_5);
        c5_5 = fma(a5.y, b5.y, c5_5);
        c5_5 = fma(a5.z, b5.z, c5_5);
        c5_5 = fma(a5.w, b5.w, c5_5);
        c5_6 = fma(a5.x, b6.x, c5_6);
        c5_6 = fma(a5.y, b6.y, c5_6);
        c5_6 = fma(a5.z, b6.z, c5_6);
        c5_6 = fma(a5.w, b6.w, c5_6);
        c5_7 = fma(a5.x, b7.x, c5_7);
        c5_7 = fma(a5.y, b7.y, c5_7);
        c5_7 = fma(a5.z, b7.z, c5_7);
        c5_7 = fma(a5.w, b7.w, c5_7);
        let a6 = subgroupBroadcast(av0, 6u);
        c6_0 = fma(a6.x, b0.x, c6_0);
        c6_0 = fma(a6.y, b0.y, c6_0);
        c6_0 = fma(a6.z, b0.z, c6_0);
        c6_0 = fma(a6.w, b0.w, c6_0);
        c6_1 = fma(a6.x, b1.x, c6_1);
        c6_1 = fma(a6.y, b1.y, c6_1);
        c6_1 = fma(a6.z, b1.z, c6_1);
        c6_1 = fma(a6.w, b1.w, c6_1);
        c6_2 = fma(a6.x, b2.x, c6_2);
        c6_2 = fma(a6.y, b2.y, c6_2);
        c6_2 = fma(a6.z, b2.z, c6_2);
        c6_2 = fma(a6.w, b2.w, c6_2);
        c6_3 = fma(a6.x, b3.x, c6_3);
        c6_3 = fma(a6.y, b3.y, c6_3);
        c6_3 = fma(a6.z, b3.z, c6_3);
        c6_3 = fma(a6.w, b3.w, c6_3);
        c6_4 = fma(a6.x, b4.x, c6_4);
        c6_4 = fma(a6.y, b4.y, c6_4);
        c6_4 = fma(a6.z, b4.z, c6_4);
        c6_4 = fma(a6.w, b4.w, c6_4);
        c6_5 = fma(a6.x, b5.x, c6_5);
        c6_5 = fma(a6.y, b5.y, c6_5);
        c6_5 = fma(a6.z, b5.z, c6_5);
        c6_5 = fma(a6.w, b5.w, c6_5);
        c6_6 = fma(a6.x, b6.x, c6_6);
        c6_6 = fma(a6.y, b6.y, c6_6);
        c6_6 = fma(a6.z, b6.z, c6_6);
        c6_6 = fma(a6.w, b6.w, c6_6);
        c6_7 = fma(a6.x, b7.x, c6_7);
        c6_7 = fma(a6.y, b7.y, c6_7);
        c6_7 = fma(a6.z, b7.z, c6_7);
        c6_7 = fma(a6.w, b7.w, c6_7);
        let a7 = subgroupBroadcast(av0, 7u);
        c7_0 = fma(a7.x, b0.x, c7_0);
        c7_0 = fma(a7.y, b0.y, c7_0);
        c7_0 = fma(a7.z, b0.z, c7_0);
        c7_0 = fma(a7.w, b0.w, c7_0);
        c7_1 = fma(a7.x, b1.x, c7_1);
        c7_1 = fma(a7.y, b1.y, c7_1);
        c7_1 = fma(a7.z, b1.z, c7_1);
        c7_1 = fma(a7.w, b1.w, c7_1);
        c7_2 = fma(a7.x, b2.x, c7_2);
        c7_2 = fma(a7.y, b2.y, c7_2);
        c7_2 = fma(a7.z, b2.z, c7_2);
        c7_2 = fma(a7.w, b2.w, c7_2);
        c7_3 = fma(a7.x, b3.x, c7_3);
        c7_3 = fma(a7.y, b3.y, c7_3);
        c7_3 = fma(a7.z, b3.z, c7_3);
        c7_3 = fma(a7.w, b3.w, c7_3);
        c7_4 = fma(a7.x, b4.x, c7_4);
        c7_4 = fma(a7.y, b4.y, c7_4);
        c7_4 = fma(a7.z, b4.z, c7_4);
        c7_4 = fma(a7.w, b4.w, c7_4);
        c7_5 = fma(a7.x, b5.x, c7_5);
        c7_5 = fma(a7.y, b5.y, c7_5);
        c7_5 = fma(a7.z, b5.z, c7_5);
        c7_5 = fma(a7.w, b5.w, c7_5);
        c7_6 = fma(a7.x, b6.x, c7_6);
        c7_6 = fma(a7.y, b6.y, c7_6);
        c7_6 = fma(a7.z, b6.z, c7_6);
        c7_6 = fma(a7.w, b6.w, c7_6);
        c7_7 = fma(a7.x, b7.x, c7_7);
        c7_7 = fma(a7.y, b7.y, c7_7);
        c7_7 = fma(a7.z, b7.z, c7_7);
        c7_7 = fma(a7.w, b7.w, c7_7);
        let a8 = subgroupBroadcast(av1, 0u);
        c8_0 = fma(a8.x, b0.x, c8_0);
        c8_0 = fma(a8.y, b0.y, c8_0);
        c8_0 = fma(a8.z, b0.z, c8_0);
        c8_0 = fma(a8.w, b0.w, c8_0);
        c8_1 = fma(a8.x, b1.x, c8_1);
        c8_1 = fma(a8.y, b1.y, c8_1);
        c8_1 = fma(a8.z, b1.z, c8_1);
        c8_1 = fma(a8.w, b1.w, c8_1);
        c8_2 = fma(a8.x, b2.x, c8_2);
        c8_2 = fma(a8.y, b2.y, c8_2);
        c8_2 = fma(a8.z, b2.z, c8_2);
        c8_2 = fma(a8.w, b2.w, c8_2);
        c8_3 = fma(a8.x, b3.x, c8_3);
        c8_3 = fma(a8.y, b3.y, c8_3);
        c8_3 = fma(a8.z, b3.z, c8_3);
        c8_3 = fma(a8.w, b3.w, c8_3);
        c8_4 = fma(a8.x, b4.x, c8_4);
        c8_4 = fma(a8.y, b4.y, c8_4);
        c8_4 = fma(a8.z, b4.z, c8_4);
        c8_4 = fma(a8.w, b4.w, c8_4);
        c8_5 = fma(a8.x, b5.x, c8_5);
        c8_5 = fma(a8.y, b5.y, c8_5);
        c8_5 = fma(a8.z, b5.z, c8_5);
        c8_5 = fma(a8.w, b5.w, c8_5);
        c8_6 = fma(a8.x, b6.x, c8_6);
        c8_6 = fma(a8.y, b6.y, c8_6);
        c8_6 = fma(a8.z, b6.z, c8_6);
        c8_6 = fma(a8.w, b6.w, c8_6);
        c8_7 = fma(a8.x, b7.x, c8_7);
        c8_7 = fma(a8.y, b7.y, c8_7);
        c8_7 = fma(a8.z, b7.z, c8_7);
        c8_7 = fma(a8.w, b7.w, c8_7);
        let a9 = subgroupBroadcast(av1, 1u);
        c9_0 = fma(a9.x, b0.x, c9_0);
        c9_0 = fma(a9.y, b0.y, c9_0);
        c9_0 = fma(a9.z, b0.z, c9_0);
        c9_0 = fma(a9.w, b0.w, c9_0);
        c9_1 = fma(a9.x, b1.x, c9_1);
        c9_1 = fma(a9.y, b1.y, c9_1);
        c9_1 = fma(a9.z, b1.z, c9_1);
        c9_1 = fma(a9.w, b1.w, c9_1);
        c9_2 = fma(a9.x, b2.x, c9_2);
        c9_2 = fma(a9.y, b2.y, c9_2);
        c9_2 = fma(a9.z, b2.z, c9_2);
        c9_2 = fma(a9.w, b2.w, c9_2);
        c9_3 = fma(a9.x, b3.x, c9_3);
        c9_3 = fma(a9.y, b3.y, c9_3);
        c9_3 = fma(a9.z, b3.z, c9_3);
        c9_3 = fma(a9.w, b3.w, c9_3);
        c9_4 = fma(a9.x, b4.x, c9_4);
        c9_4 = fma(a9.y, b4.y, c9_4);
        c9_4 = fma(a9.z, b4.z, c9_4);
        c9_4 = fma(a9.w, b4.w, c9_4);
        c9_5 = fma(a9.x, b5.x, c9_5);
        c9_5 = fma(a9.y, b5.y, c9_5);
        c9_5 = fma(a9.z, b5.z, c9_5);
        c9_5 = fma(a9.w, b5.w, c9_5);
        c9_6 = fma(a9.x, b6.x, c9_6);
        c9_6 = fma(a9.y, b6.y, c9_6);
        c9_6 = fma(a9.z, b6.z, c9_6);
        c9_6 = fma(a9.w, b6.w, c9_6);
        c9_7 = fma(a9.x, b7.x, c9_7);
        c9_7 = fma(a9.y, b7.y, c9_7);
        c9_7 = fma(a9.z, b7.z, c9_7);
        c9_7 = fma(a9.w, b7.w, c9_7);
        let a10 = subgroupBroadcast(av1, 2u);
        c10_0 = fma(a10.x, b0.x, c10_0);
        c10_0 = fma(a10.y, b0.y, c10_0);
        c10_0 = fma(a10.z, b0.z, c10_0);
        c10_0 = fma(a10.w, b0.w, c10_0);
        c10_1 = fma(a10.x, b1.x, c10_1);
        c10_1 = fma(a10.y, b1.y, c10_1);
        c10_1 = fma(a10.z, b1.z, c10_1);
        c10_1 = fma(a10.w, b1.w, c10_1);
        c10_2 = fma(a10.x, b2.x, c10_2);
        c10_2 = fma(a10.y, b2.y, c10_2);
        c10_2 = fma(a10.z, b2.z, c10_2);
        c10_2 = fma(a10.w, b2.w, c10_2);
        c10_3 = fma(a10.x, b3.x, c10_3);
        c10_3 = fma(a10.y, b3.y, c10_3);
        c10_3 = fma(a10.z, b3.z, c10_3);
        c10_3 = fma(a10.w, b3.w, c10_3);
        c10_4 = fma(a10.x, b4.x, c10_4);
        c10_4 = fma(a10.y, b4.y, c10_4);
        c10_4 = fma(a10.z, b4.z, c10_4);
        c10_4 = fma(a10.w, b4.w, c10_4);
        c10_5 = fma(a10.x, b5.x, c10_5);
        c10_5 = fma(a10.y, b5.y, c10_5);
        c10_5 = fma(a10.z, b5.z, c10_5);
        c10_5 = fma(a10.w, b5.w, c10_5);
        c10_6 = fma(a10.x, b6.x, c10_6);
        c10_6 = fma(a10.y, b6.y, c10_6);
        c10_6 = fma(a10.z, b6.z, c10_6);
        c10_6 = fma(a10.w, b6.w, c10_6);
        c10_7 = fma(a10.x, b7.x, c10_7);
        c10_7 = fma(a10.y, b7.y, c10_7);
        c10_7 = fma(a10.z, b7.z, c10_7);
        c10_7 = fma(a10.w, b7.w, c10_7);
        let a11 = subgroupBroadcast(av1, 3u);
        c11_0 = fma(a11.x, b0.x, c11_0);
        c11_0 = fma(a11.y, b0.y, c11_0);
        c11_0 = fma(a11.z, b0.z, c11_0);
        c11_0 = fma(a11.w, b0.w, c11_0);
        c11_1 = fma(a11.x, b1.x, c11_1);
        c11_1 = fma(a11.y, b1.y, c11_1);
        c11_1 = fma(a11.z, b1.z, c11_1);
        c11_1 = fma(a11.w, b1.w, c11_1);
        c11_2 = fma(a11.x, b2.x, c11_2);
        c11_2 = fma(a11.y, b2.y, c11_2);
        c11_2 = fma(a11.z, b2.z, c11_2);
        c11_2 = fma(a11.w, b2.w, c11_2);
        c11_3 = fma(a11.x, b3.x, c11_3);
        c11_3 = fma(a11.y, b3.y, c11_3);
        c11_3 = fma(a11.z, b3.z, c11_3);
        c11_3 = fma(a11.w, b3.w, c11_3);
        c11_4 = fma(a11.x, b4.x, c11_4);
        c11_4 = fma(a11.y, b4.y, c11_4);
        c11_4 = fma(a11.z, b4.z, c11_4);
        c11_4 = fma(a11.w, b4.w, c11_4);
        c11_5 = fma(a11.x, b5.x, c11_5);
        c11_5 = fma(a11.y, b5.y, c11_5);
        c11_5 = fma(a11.z, b5.z, c11_5);
        c11_5 = fma(a11.w, b5.w, c11_5);
        c11_6 = fma(a11.x, b6.x, c11_6);
        c11_6 = fma(a11.y, b6.y, c11_6);
        c11_6 = fma(a11.z, b6.z, c11_6);
        c11_6 = fma(a11.w, b6.w, c11_6);
        c11_7 = fma(a11.x, b7.x, c11_7);
        c11_7 = fma(a11.y, b7.y, c11_7);
        c11_7 = fma(a11.z, b7.z, c11_7);
        c11_7 = fma(a11.w, b7.w, c11_7);
        let a12 = subgroupBroadcast(av1, 4u);
        c12_0 = fma(a12.x, b0.x, c12_0);
        c12_0 = fma(a12.y, b0.y, c12_0);
        c12_0 = fma(a12.z, b0.z, c12_0);
        c12_0 = fma(a12.w, b0.w, c12_0);
        c12_1 = fma(a12.x, b1.x, c12_1);
        c12_1 = fma(a12.y, b1.y, c12_1);
        c12_1 = fma(a12.z, b1.z, c12_1);
        c12_1 = fma(a12.w, b1.w, c12_1);
        c12_2 = fma(a12.x, b2.x, c12_2);
        c12_2 = fma(a12.y, b2.y, c12_2);
        c12_2 = fma(a12.z, b2.z, c12_2);
        c12_2 = fma(a12.w, b2.w, c12_2);
        c12_3 = fma(a12.x, b3.x, c12_3);
        c12_3 = fma(a12.y, b3.y, c12_3);
        c12_3 = fma(a12.z, b3.z, c12_3);
        c12_3 = fma(a12.w, b3.w, c12_3);
        c12_4 = fma(a12.x, b4.x, c12_4);
        c12_4 = fma(a12.y, b4.y, c12_4);
        c12_4 = fma(a12.z, b4.z, c12_4);
        c12_4 = fma(a12.w, b4.w, c12_4);
        c12_5 = fma(a12.x, b5.x, c12_5);
        c12_5 = fma(a12.y, b5.y, c12_5);
        c12_5 = fma(a12.z, b5.z, c12_5);
        c12_5 = fma(a12.w, b5.w, c12_5);
        c12_6 = fma(a12.x, b6.x, c12_6);
        c12_6 = fma(a12.y, b6.y, c12_6);
        c12_6 = fma(a12.z, b6.z, c12_6);
        c12_6 = fma(a12.w, b6.w, c12_6);
        c12_7 = fma(a12.x, b7.x, c12_7);
        c12_7 = fma(a12.y, b7.y, c12_7);
        c12_7 = fma(a12.z, b7.z, c12_7);
        c12_7 = fma(a12.w, b7.w, c12_7);
        let a13 = subgroupBroadcast(av1, 5u);
        c13_0 = fma(a13.x, b0.x, c13_0);
        c13_0 = fma(a13.y, b0.y, c13_0);
        c13_0 = fma(a13.z, b0.z, c13_0);
        c13_0 = fma(a13.w, b0.w, c13_0);
        c13_1 = fma(a13.x, b1.x, c13_1);
        c13_1 = fma(a13.y, b1.y, c13_1);
        c13_1 = fma(a13.z, b1.z, c13_1);
        c13_1 = fma(a13.w, b1.w, c13_1);
        c13_2 = fma(a13.x, b2.x, c13_2);
        c13_2 = fma(a13.y, b2.y, c13_2);
        c13_2 = fma(a13.z, b2.z, c13_2);
        c13_2 = fma(a13.w, b2.w, c13_2);
        c13_3 = fma(a13.x, b3.x, c13_3);
        c13_3 = fma(a13.y, b3.y, c13_3);
        c13_3 = fma(a13.z, b3.z, c13_3);
        c13_3 = fma(a13.w, b3.w, c13_3);
        c13_4 = fma(a13.x, b4.x, c13_4);
        c13_4 = fma(a13.y, b4.y, c13_4);
        c13_4 = fma(a13.z, b4.z, c13_4);
        c13_4 = fma(a13.w, b4.w, c13_4);
        c13_5 = fma(a13.x, b5.x, c13_5);
        c13_5 = fma(a13.y, b5.y, c13_5);
        c13_5 = fma(a13.z, b5.z, c13_5);
        c13_5 = fma(a13.w, b5.w, c13_5);
        c13_6 = fma(a13.x, b6.x, c13_6);
        c13_6 = fma(a13.y, b6.y, c13_6);
        c13_6 = fma(a13.z, b6.z, c13_6);
        c13_6 = fma(a13.w, b6.w, c13_6);
        c13_7 = fma(a13.x, b7.x, c13_7);
        c13_7 = fma(a13.y, b7.y, c13_7);
        c13_7 = fma(a13.z, b7.z, c13_7);
        c13_7 = fma(a13.w, b7.w, c13_7);
        let a14 = subgroupBroadcast(av1, 6u);
        c14_0 = fma(a14.x, b0.x, c14_0);
        c14_0 = fma(a14.y, b0.y, c14_0);
        c14_0 = fma(a14.z, b0.z, c14_0);
        c14_0 = fma(a14.w, b0.w, c14_0);
        c14_1 = fma(a14.x, b1.x, c14_1);
        c14_1 = fma(a14.y, b1.y, c14_1);
        c14_1 = fma(a14.z, b1.z, c14_1);
        c14_1 = fma(a14.w, b1.w, c14_1);
        c14_2 = fma(a14.x, b2.x, c14_2);
        c14_2 = fma(a14.y, b2.y, c14_2);
        c14_2 = fma(a14.z, b2.z, c14_2);
        c14_2 = fma(a14.w, b2.w, c14_2);
        c14_3 = fma(a14.x, b3.x, c14_3);
        c14_3 = fma(a14.y, b3.y, c14_3);
        c14_3 = fma(a14.z, b3.z, c14_3);
        c14_3 = fma(a14.w, b3.w, c14_3);
        c14_4 = fma(a14.x, b4.x, c14_4);
        c14_4 = fma(a14.y, b4.y, c14_4);
        c14_4 = fma(a14.z, b4.z, c14_4);
        c14_4 = fma(a14.w, b4.w, c14_4);
        c14_5 = fma(a14.x, b5.x, c14_5);
        c14_5 = fma(a14.y, b5.y, c14_5);
        c14_5 = fma(a14.z, b5.z, c14_5);
        c14_5 = fma(a14.w, b5.w, c14_5);
        c14_6 = fma(a14.x, b6.x, c14_6);
        c14_6 = fma(a14.y, b6.y, c14_6);
        c14_6 = fma(a14.z, b6.z, c14_6);
        c14_6 = fma(a14.w, b6.w, c14_6);
        c14_7 = fma(a14.x, b7.x, c14_7);
        c14_7 = fma(a14.y, b7.y, c14_7);
        c14_7 = fma(a14.z, b7.z, c14_7);
        c14_7 = fma(a14.w, b7.w, c14_7);
        let a15 = subgroupBroadcast(av1, 7u);
        c15_0 = fma(a15.x, b0.x, c15_0);
        c15_0 = fma(a15.y, b0.y, c15_0);
        c15_0 = fma(a15.z, b0.z, c15_0);
        c15_0 = fma(a15.w, b0.w, c15_0);
        c15_1 = fma(a15.x, b1.x, c15_1);
        c15_1 = fma(a15.y, b1.y, c15_1);
        c15_1 = fma(a15.z, b1.z, c15_1);
        c15_1 = fma(a15.w, b1.w, c15_1);
        c15_2 = fma(a15.x, b2.x, c15_2);
        c15_2 = fma(a15.y, b2.y, c15_2);
        c15_2 = fma(a15.z, b2.z, c15_2);
        c15_2 = fma(a15.w, b2.w, c15_2);
        c15_3 = fma(a15.x, b3.x, c15_3);
        c15_3 = fma(a15.y, b3.y, c15_3);
        c15_3 = fma(a15.z, b3.z, c15_3);
        c15_3 = fma(a15.w, b3.w, c15_3);
        c15_4 = fma(a15.x, b4.x, c15_4);
        c15_4 = fma(a15.y, b4.y, c15_4);
        c15_4 = fma(a15.z, b4.z, c15_4);
        c15_4 = fma(a15.w, b4.w, c15_4);
        c15_5 = fma(a15.x, b5.x, c15_5);
        c15_5 = fma(a15.y, b5.y, c15_5);
        c15_5 = fma(a15.z, b5.z, c15_5);
        c15_5 = fma(a15.w, b5.w, c15_5);
        c15_6 = fma(a15.x, b6.x, c15_6);
        c15_6 = fma(a15.y, b6.y, c15_6);
        c15_6 = fma(a15.z, b6.z, c15_6);
        c15_6 = fma(a15.w, b6.w, c15_6);
        c15_7 = fma(a15.x, b7.x, c15_7);
        c15_7 = fma(a15.y, b7.y, c15_7);
        c15_7 = fma(a15.z, b7.z, c15_7);
        c15_7 = fma(a15.w, b7.w, c15_7);
      }
    }
  }
  if (m0 + 0u < 16u) {
    let o0 = m0 + 0u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o0 * 64u + hw0] = c0_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o0 * 64u + hw1] = c0_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o0 * 64u + hw2] = c0_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o0 * 64u + hw3] = c0_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o0 * 64u + hw4] = c0_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o0 * 64u + hw5] = c0_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o0 * 64u + hw6] = c0_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o0 * 64u + hw7] = c0_7; }
  }
  if (m0 + 1u < 16u) {
    let o1 = m0 + 1u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o1 * 64u + hw0] = c1_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o1 * 64u + hw1] = c1_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o1 * 64u + hw2] = c1_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o1 * 64u + hw3] = c1_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o1 * 64u + hw4] = c1_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o1 * 64u + hw5] = c1_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o1 * 64u + hw6] = c1_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o1 * 64u + hw7] = c1_7; }
  }
  if (m0 + 2u < 16u) {
    let o2 = m0 + 2u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o2 * 64u + hw0] = c2_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o2 * 64u + hw1] = c2_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o2 * 64u + hw2] = c2_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o2 * 64u + hw3] = c2_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o2 * 64u + hw4] = c2_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o2 * 64u + hw5] = c2_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o2 * 64u + hw6] = c2_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o2 * 64u + hw7] = c2_7; }
  }
  if (m0 + 3u < 16u) {
    let o3 = m0 + 3u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o3 * 64u + hw0] = c3_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o3 * 64u + hw1] = c3_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o3 * 64u + hw2] = c3_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o3 * 64u + hw3] = c3_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o3 * 64u + hw4] = c3_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o3 * 64u + hw5] = c3_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o3 * 64u + hw6] = c3_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o3 * 64u + hw7] = c3_7; }
  }
  if (m0 + 4u < 16u) {
    let o4 = m0 + 4u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o4 * 64u + hw0] = c4_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o4 * 64u + hw1] = c4_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o4 * 64u + hw2] = c4_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o4 * 64u + hw3] = c4_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o4 * 64u + hw4] = c4_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o4 * 64u + hw5] = c4_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o4 * 64u + hw6] = c4_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o4 * 64u + hw7] = c4_7; }
  }
  if (m0 + 5u < 16u) {
    let o5 = m0 + 5u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o5 * 64u + hw0] = c5_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o5 * 64u + hw1] = c5_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o5 * 64u + hw2] = c5_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o5 * 64u + hw3] = c5_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o5 * 64u + hw4] = c5_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o5 * 64u + hw5] = c5_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o5 * 64u + hw6] = c5_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o5 * 64u + hw7] = c5_7; }
  }
  if (m0 + 6u < 16u) {
    let o6 = m0 + 6u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o6 * 64u + hw0] = c6_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o6 * 64u + hw1] = c6_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o6 * 64u + hw2] = c6_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o6 * 64u + hw3] = c6_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o6 * 64u + hw4] = c6_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o6 * 64u + hw5] = c6_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o6 * 64u + hw6] = c6_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o6 * 64u + hw7] = c6_7; }
  }
  if (m0 + 7u < 16u) {
    let o7 = m0 + 7u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o7 * 64u + hw0] = c7_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o7 * 64u + hw1] = c7_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o7 * 64u + hw2] = c7_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o7 * 64u + hw3] = c7_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o7 * 64u + hw4] = c7_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o7 * 64u + hw5] = c7_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o7 * 64u + hw6] = c7_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o7 * 64u + hw7] = c7_7; }
  }
  if (m0 + 8u < 16u) {
    let o8 = m0 + 8u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o8 * 64u + hw0] = c8_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o8 * 64u + hw1] = c8_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o8 * 64u + hw2] = c8_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o8 * 64u + hw3] = c8_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o8 * 64u + hw4] = c8_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o8 * 64u + hw5] = c8_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o8 * 64u + hw6] = c8_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o8 * 64u + hw7] = c8_7; }
  }
  if (m0 + 9u < 16u) {
    let o9 = m0 + 9u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o9 * 64u + hw0] = c9_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o9 * 64u + hw1] = c9_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o9 * 64u + hw2] = c9_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o9 * 64u + hw3] = c9_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o9 * 64u + hw4] = c9_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o9 * 64u + hw5] = c9_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o9 * 64u + hw6] = c9_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o9 * 64u + hw7] = c9_7; }
  }
  if (m0 + 10u < 16u) {
    let o10 = m0 + 10u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o10 * 64u + hw0] = c10_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o10 * 64u + hw1] = c10_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o10 * 64u + hw2] = c10_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o10 * 64u + hw3] = c10_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o10 * 64u + hw4] = c10_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o10 * 64u + hw5] = c10_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o10 * 64u + hw6] = c10_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o10 * 64u + hw7] = c10_7; }
  }
  if (m0 + 11u < 16u) {
    let o11 = m0 + 11u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o11 * 64u + hw0] = c11_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o11 * 64u + hw1] = c11_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o11 * 64u + hw2] = c11_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o11 * 64u + hw3] = c11_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o11 * 64u + hw4] = c11_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o11 * 64u + hw5] = c11_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o11 * 64u + hw6] = c11_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o11 * 64u + hw7] = c11_7; }
  }
  if (m0 + 12u < 16u) {
    let o12 = m0 + 12u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o12 * 64u + hw0] = c12_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o12 * 64u + hw1] = c12_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o12 * 64u + hw2] = c12_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o12 * 64u + hw3] = c12_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o12 * 64u + hw4] = c12_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o12 * 64u + hw5] = c12_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o12 * 64u + hw6] = c12_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o12 * 64u + hw7] = c12_7; }
  }
  if (m0 + 13u < 16u) {
    let o13 = m0 + 13u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o13 * 64u + hw0] = c13_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o13 * 64u + hw1] = c13_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o13 * 64u + hw2] = c13_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o13 * 64u + hw3] = c13_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o13 * 64u + hw4] = c13_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o13 * 64u + hw5] = c13_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o13 * 64u + hw6] = c13_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o13 * 64u + hw7] = c13_7; }
  }
  if (m0 + 14u < 16u) {
    let o14 = m0 + 14u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o14 * 64u + hw0] = c14_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o14 * 64u + hw1] = c14_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o14 * 64u + hw2] = c14_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o14 * 64u + hw3] = c14_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o14 * 64u + hw4] = c14_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o14 * 64u + hw5] = c14_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o14 * 64u + hw6] = c14_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o14 * 64u + hw7] = c14_7; }
  }
  if (m0 + 15u < 16u) {
    let o15 = m0 + 15u;
    if (p0 < np) { y[(pc0 / 64u) * 1024u + o15 * 64u + hw0] = c15_0; }
    if (p1 < np) { y[(pc1 / 64u) * 1024u + o15 * 64u + hw1] = c15_1; }
    if (p2 < np) { y[(pc2 / 64u) * 1024u + o15 * 64u + hw2] = c15_2; }
    if (p3 < np) { y[(pc3 / 64u) * 1024u + o15 * 64u + hw3] = c15_3; }
    if (p4 < np) { y[(pc4 / 64u) * 1024u + o15 * 64u + hw4] = c15_4; }
    if (p5 < np) { y[(pc5 / 64u) * 1024u + o15 * 64u + hw5] = c15_5; }
    if (p6 < np) { y[(pc6 / 64u) * 1024u + o15 * 64u + hw6] = c15_6; }
    if (p7 < np) { y[(pc7 / 64u) * 1024u + o15 * 64u + hw7] = c15_7; }
  }
}


// ---- batchnorm_train:basic2.bn2
// batchnorm (training): 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> runMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(7) var<storage, read_write> saveInvstd: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;
const EPS = 0.00001;
const MOM = 0.1;
var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = T(hsum(x[at(0u, c)]) * 0.25);
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
  var total = 0.0;
  var sq0 = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { total += partA[k]; sq0 += partB[k]; }
  let meanK = total / mf;
  let mu = shiftK.x + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    out[j] = (x[j] - mu) * scale + shift;
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}


// ---- conv2d_fwd:basic2.conv3
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d forward: x 8×16×16, w 16×8×1×1, y 16×8×8, stride 2,2, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 16u;
const OUT_H = 8u;
const OUT_W = 8u;
const OUT_HW = 64u;
const CG_IN = 8u;
const CG_OUT = 16u;
const GROUPS = 1u;
const KH = 1u;
const KW = 1u;
const SH = 2u;
const SW = 2u;
const DH = 1u;
const PT = 0i;
const PL = 0i;
const WG = 64u;
const TM = 16u;
const TN = 4u;
const SEGS = 2u;
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
  let iw2 = i32(ow0 * SW) - PL + 2i;
  let cok2 = iw2 >= 0i && iw2 < IN_W_I;
  let ic2 = u32(clamp(iw2, 0i, IN_W_I - 1i));
  let iw4 = i32(ow0 * SW) - PL + 4i;
  let cok4 = iw4 >= 0i && iw4 < IN_W_I;
  let ic4 = u32(clamp(iw4, 0i, IN_W_I - 1i));
  let iw6 = i32(ow0 * SW) - PL + 6i;
  let cok6 = iw6 >= 0i && iw6 < IN_W_I;
  let ic6 = u32(clamp(iw6, 0i, IN_W_I - 1i));
  let q0 = min(sl + 0u, 15u);
  let wl0 = (g * 16u + min(m0 + q0 / KW, CG_OUT - 1u)) * 8u + (q0 % KW);
  let q1 = min(sl + 8u, 15u);
  let wl1 = (g * 16u + min(m0 + q1 / KW, CG_OUT - 1u)) * 8u + (q1 % KW);
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
    let m2 = rok && cok2;
    let m4 = rok && cok4;
    let m6 = rok && cok6;
    var wo = kh * 1u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, x[rb + ic0], m0);
      let x2 = select(0.0, x[rb + ic2], m2);
      let x4 = select(0.0, x[rb + ic4], m4);
      let x6 = select(0.0, x[rb + ic6], m6);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x2, x4, x6), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x2, x4, x6), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x2, x4, x6), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x2, x4, x6), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x2, x4, x6), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x2, x4, x6), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x2, x4, x6), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x2, x4, x6), acc7_0);
      let wv8_0 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc8_0 = fma(wv8_0, vec4<f32>(x0, x2, x4, x6), acc8_0);
      let wv9_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc9_0 = fma(wv9_0, vec4<f32>(x0, x2, x4, x6), acc9_0);
      let wv10_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc10_0 = fma(wv10_0, vec4<f32>(x0, x2, x4, x6), acc10_0);
      let wv11_0 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc11_0 = fma(wv11_0, vec4<f32>(x0, x2, x4, x6), acc11_0);
      let wv12_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc12_0 = fma(wv12_0, vec4<f32>(x0, x2, x4, x6), acc12_0);
      let wv13_0 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc13_0 = fma(wv13_0, vec4<f32>(x0, x2, x4, x6), acc13_0);
      let wv14_0 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc14_0 = fma(wv14_0, vec4<f32>(x0, x2, x4, x6), acc14_0);
      let wv15_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc15_0 = fma(wv15_0, vec4<f32>(x0, x2, x4, x6), acc15_0);
      rb += IN_HW;
      wo += 1u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb0 + 0u] = acc0_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb0 + 1u] = acc0_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb0 + 2u] = acc0_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb0 + 3u] = acc0_0[3]; }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb1 + 0u] = acc1_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb1 + 1u] = acc1_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb1 + 2u] = acc1_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb1 + 3u] = acc1_0[3]; }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb2 + 0u] = acc2_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb2 + 1u] = acc2_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb2 + 2u] = acc2_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb2 + 3u] = acc2_0[3]; }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb3 + 0u] = acc3_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb3 + 1u] = acc3_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb3 + 2u] = acc3_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb3 + 3u] = acc3_0[3]; }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb4 + 0u] = acc4_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb4 + 1u] = acc4_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb4 + 2u] = acc4_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb4 + 3u] = acc4_0[3]; }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb5 + 0u] = acc5_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb5 + 1u] = acc5_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb5 + 2u] = acc5_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb5 + 3u] = acc5_0[3]; }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb7 + 3u] = acc7_0[3]; }
  }
  if (m0 + 8u < CG_OUT) {
    let o8 = g * CG_OUT + m0 + 8u;
    let yb8 = ob + o8 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb8 + 0u] = acc8_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb8 + 1u] = acc8_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb8 + 2u] = acc8_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb8 + 3u] = acc8_0[3]; }
  }
  if (m0 + 9u < CG_OUT) {
    let o9 = g * CG_OUT + m0 + 9u;
    let yb9 = ob + o9 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb9 + 0u] = acc9_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb9 + 1u] = acc9_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb9 + 2u] = acc9_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb9 + 3u] = acc9_0[3]; }
  }
  if (m0 + 10u < CG_OUT) {
    let o10 = g * CG_OUT + m0 + 10u;
    let yb10 = ob + o10 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb10 + 0u] = acc10_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb10 + 1u] = acc10_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb10 + 2u] = acc10_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb10 + 3u] = acc10_0[3]; }
  }
  if (m0 + 11u < CG_OUT) {
    let o11 = g * CG_OUT + m0 + 11u;
    let yb11 = ob + o11 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb11 + 0u] = acc11_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb11 + 1u] = acc11_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb11 + 2u] = acc11_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb11 + 3u] = acc11_0[3]; }
  }
  if (m0 + 12u < CG_OUT) {
    let o12 = g * CG_OUT + m0 + 12u;
    let yb12 = ob + o12 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb12 + 0u] = acc12_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb12 + 1u] = acc12_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb12 + 2u] = acc12_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb12 + 3u] = acc12_0[3]; }
  }
  if (m0 + 13u < CG_OUT) {
    let o13 = g * CG_OUT + m0 + 13u;
    let yb13 = ob + o13 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb13 + 0u] = acc13_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb13 + 1u] = acc13_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb13 + 2u] = acc13_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb13 + 3u] = acc13_0[3]; }
  }
  if (m0 + 14u < CG_OUT) {
    let o14 = g * CG_OUT + m0 + 14u;
    let yb14 = ob + o14 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb14 + 0u] = acc14_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb14 + 1u] = acc14_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb14 + 2u] = acc14_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb14 + 3u] = acc14_0[3]; }
  }
  if (m0 + 15u < CG_OUT) {
    let o15 = g * CG_OUT + m0 + 15u;
    let yb15 = ob + o15 * OUT_HW;
    if (ow0 + 0u < OUT_W) { y[yb15 + 0u] = acc15_0[0]; }
    if (ow0 + 1u < OUT_W) { y[yb15 + 1u] = acc15_0[1]; }
    if (ow0 + 2u < OUT_W) { y[yb15 + 2u] = acc15_0[2]; }
    if (ow0 + 3u < OUT_W) { y[yb15 + 3u] = acc15_0[3]; }
  }
}


// ---- batchnorm_train:basic2.bn3
// batchnorm (training): 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> runMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> runVar: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> saveMean: array<f32>;
@group(0) @binding(7) var<storage, read_write> saveInvstd: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;
const EPS = 0.00001;
const MOM = 0.1;
var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  // Sums of x − K and (x − K)² in one pass, K the mean of the channel's first unit: shifted by a
  // value of the data, E[(x − K)²] − E[x − K]² does not cancel the way E[x²] − E[x]² does.
  let shiftK = T(hsum(x[at(0u, c)]) * 0.25);
  var s = T(0.0);
  var q = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let dv = x[at(e, c)] - shiftK;
    s += dv;
    q += dv * dv;
  }
  partA[lid] = hsum(s);
  partB[lid] = hsum(q);
  workgroupBarrier();
  var total = 0.0;
  var sq0 = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { total += partA[k]; sq0 += partB[k]; }
  let meanK = total / mf;
  let mu = shiftK.x + meanK;
  let variance = max(sq0 / mf - meanK * meanK, 0.0);
  let sq = variance * mf;
  let inv = 1.0 / sqrt(variance + EPS);
  let scale = gamma[c] * inv;
  let shift = beta[c];
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    out[j] = (x[j] - mu) * scale + shift;
  }
  if (lid == 0u) {
    saveMean[c] = mu;
    saveInvstd[c] = inv;
    let unbiased = select(variance, sq / (mf - 1.0), mf > 1.0);
    runMean[c] = (1.0 - MOM) * runMean[c] + MOM * mu;
    runVar[c] = (1.0 - MOM) * runVar[c] + MOM * unbiased;
  }
}


// ---- add+relu:basic2.add1
// add: 16×8×8 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> in1: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 256u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      var r = v0 + v1;
      { let v = r; r = max(v, T(0.0)); }
      result[e] = r;
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      var r = v0 + v1;
      { let v = r; r = max(v, T(0.0)); }
      result[e] = r;
    }
  }
}


// ---- pool2d_avg:globalavgpool1
// pool2d avg: 16×8×8 → 1×1, kernel 8×8, stride 8×8, pad 0,0,0,0, countPad true
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const H = 8i;
const W = 8i;
const OH = 1i;
const OW = 1i;
const KH = 8i;
const KW = 8i;
const SH = 8i;
const SW = 8i;
const PT = 0i;
const PL = 0i;
const HE = 8i;
const WE = 8i;
fn item(i: u32) {
  let ow = i32(i % u32(OW));
  let rest = i / u32(OW);
  let oh = i32(rest % u32(OH));
  let nc = rest / u32(OH);
  let plane = nc * 64u;
  let ys = oh * SH - PT;
  let ye = min(ys + KH, HE);
  let xs = ow * SW - PL;
  let xe = min(xs + KW, WE);
  let y0 = max(ys, 0);
  let y1 = min(ye, H);
  let x0 = max(xs, 0);
  let x1 = min(xe, W);
  if (y0 >= y1 || x0 >= x1) { out[i] = 0.0; return; }
  var s = 0.0;
  for (var r = y0; r < y1 + i32(params.zero); r++) {
    for (var c = x0; c < x1 + i32(params.zero); c++) {
      let v = x[plane + u32(r * W + c)];
      s += v;
    }
  }
  let red = s / f32((ye - ys) * (xe - xs));
  out[i] = red;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 16u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- dense:fc1
enable subgroups;
// dense: 16 → 10 + bias
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
  let K = 16u;
  let tilesN = (N + BN - 1u) / BN;
  if (wg >= tilesN * ((M + BM - 1u) / BM)) { return; }
  let mb = (wg / tilesN) * BM + sl;
  let nb = (wg % tilesN) * BN;
  let m0 = mb + 0u;
  let ar0 = min(m0, M - 1u) * 16u;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  let m1 = mb + 8u;
  let ar1 = min(m1, M - 1u) * 16u;
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  let bl = min(nb + sl, N - 1u) * 16u;
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


// ---- dense_grad_input:fc1
enable subgroups;
// dense_grad_input: 16 → 10
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const BM = 16u;
const BN = 8u;

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let M = 16u;
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
    ka += 16u;
    kb += 1u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dx[m0 * 1u + (nb + 0u) * 16u] = acc0_0[0]; }
    if (nb + 1u < N) { dx[m0 * 1u + (nb + 1u) * 16u] = acc0_0[1]; }
    if (nb + 2u < N) { dx[m0 * 1u + (nb + 2u) * 16u] = acc0_0[2]; }
    if (nb + 3u < N) { dx[m0 * 1u + (nb + 3u) * 16u] = acc0_0[3]; }
    if (nb + 4u < N) { dx[m0 * 1u + (nb + 4u) * 16u] = acc0_1[0]; }
    if (nb + 5u < N) { dx[m0 * 1u + (nb + 5u) * 16u] = acc0_1[1]; }
    if (nb + 6u < N) { dx[m0 * 1u + (nb + 6u) * 16u] = acc0_1[2]; }
    if (nb + 7u < N) { dx[m0 * 1u + (nb + 7u) * 16u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dx[m1 * 1u + (nb + 0u) * 16u] = acc1_0[0]; }
    if (nb + 1u < N) { dx[m1 * 1u + (nb + 1u) * 16u] = acc1_0[1]; }
    if (nb + 2u < N) { dx[m1 * 1u + (nb + 2u) * 16u] = acc1_0[2]; }
    if (nb + 3u < N) { dx[m1 * 1u + (nb + 3u) * 16u] = acc1_0[3]; }
    if (nb + 4u < N) { dx[m1 * 1u + (nb + 4u) * 16u] = acc1_1[0]; }
    if (nb + 5u < N) { dx[m1 * 1u + (nb + 5u) * 16u] = acc1_1[1]; }
    if (nb + 6u < N) { dx[m1 * 1u + (nb + 6u) * 16u] = acc1_1[2]; }
    if (nb + 7u < N) { dx[m1 * 1u + (nb + 7u) * 16u] = acc1_1[3]; }
  }
}


// ---- dense_grad_weight&bias_grad:fc1
enable subgroups;
// dense_grad_weight: 16 → 10, with the bias gradient
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
  let N = 16u;
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
    kb += 16u;
  }
  if (m0 < M) {
    if (nb + 0u < N) { dw[m0 * 16u + (nb + 0u) * 1u] = acc0_0[0]; }
    if (nb + 1u < N) { dw[m0 * 16u + (nb + 1u) * 1u] = acc0_0[1]; }
    if (nb + 2u < N) { dw[m0 * 16u + (nb + 2u) * 1u] = acc0_0[2]; }
    if (nb + 3u < N) { dw[m0 * 16u + (nb + 3u) * 1u] = acc0_0[3]; }
    if (nb + 4u < N) { dw[m0 * 16u + (nb + 4u) * 1u] = acc0_1[0]; }
    if (nb + 5u < N) { dw[m0 * 16u + (nb + 5u) * 1u] = acc0_1[1]; }
    if (nb + 6u < N) { dw[m0 * 16u + (nb + 6u) * 1u] = acc0_1[2]; }
    if (nb + 7u < N) { dw[m0 * 16u + (nb + 7u) * 1u] = acc0_1[3]; }
  }
  if (m1 < M) {
    if (nb + 0u < N) { dw[m1 * 16u + (nb + 0u) * 1u] = acc1_0[0]; }
    if (nb + 1u < N) { dw[m1 * 16u + (nb + 1u) * 1u] = acc1_0[1]; }
    if (nb + 2u < N) { dw[m1 * 16u + (nb + 2u) * 1u] = acc1_0[2]; }
    if (nb + 3u < N) { dw[m1 * 16u + (nb + 3u) * 1u] = acc1_0[3]; }
    if (nb + 4u < N) { dw[m1 * 16u + (nb + 4u) * 1u] = acc1_1[0]; }
    if (nb + 5u < N) { dw[m1 * 16u + (nb + 5u) * 1u] = acc1_1[1]; }
    if (nb + 6u < N) { dw[m1 * 16u + (nb + 6u) * 1u] = acc1_1[2]; }
    if (nb + 7u < N) { dw[m1 * 16u + (nb + 7u) * 1u] = acc1_1[3]; }
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


// ---- pool2d_grad_avg+relu_grad:globalavgpool1
// pool2d_grad (per window) avg: 16×8×8 → 1×1, kernel 8×8, stride 8×8, pad 0,0,0,0, countPad true
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> yf: array<f32>;
@group(0) @binding(3) var<storage, read> dx_in0: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;
const H = 8i;
const W = 8i;
const OH = 1i;
const OW = 1i;
const KH = 8i;
const KW = 8i;
const SH = 8i;
const SW = 8i;
const PT = 0i;
const PL = 0i;
const HE = 8i;
const WE = 8i;
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
  let g = dy[i] / f32((ye - ys) * (xe - xs));
  for (var r = y0; r < y1 + i32(params.zero); r++) {
    for (var c = x0; c < x1 + i32(params.zero); c++) {
      let t = plane + u32(r * W + c);
      dx[t] = epilogue_dx(g, t);
    }
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = params.batch * 16u;
  let base = wg * 1024u + lid;
  for (var j = 0u; j < (4u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}


// ---- batchnorm_grad:basic2.bn3
// batchnorm_grad: 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;

var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
  var db = 0.0;
  var dgc = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { db += partA[k]; dgc += partB[k]; }
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}


// ---- conv2d_grad_input:basic2.conv3
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d grad input (stride 2×2 as 4 stride phases): x 8×16×16, w 16×8×1×1, y 16×8×8, stride 2,2, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const DX_HW = 256u;
const DX_W = 16u;

/** Workgroups per phase (every phase gets as many as the largest needs). */
fn PER_PHASE() -> u32 { return ((params.batch * 16u + 63u) / 64u) * 1u; }

/** Index into dx of element i of a phase's output (sample·channel, row a, column b of the phase). */
fn phaseAt(i: u32, nh: u32, nw: u32, h0: u32, w0: u32) -> u32 {
  let b = i % nw;
  let a = (i / nw) % nh;
  return (i / (nh * nw)) * DX_HW + (h0 + a * 2u) * DX_W + w0 + b * 2u;
}

fn phase0(wg: u32, lid: u32, sl: u32) {
  const IN_W = 8u;
  const IN_HW = 64u;
  const IN_CHW = 1024u;
  const IN_H_I = 8i;
  const IN_W_I = 8i;
  const OUT_C = 8u;
  const OUT_H = 8u;
  const OUT_W = 8u;
  const OUT_HW = 64u;
  const CG_IN = 16u;
  const CG_OUT = 8u;
  const GROUPS = 1u;
  const KH = 1u;
  const KW = 1u;
  const SH = 1u;
  const SW = 1u;
  const DH = 1u;
  const PT = 0i;
  const PL = 0i;
  const WG = 64u;
  const TM = 8u;
  const TN = 4u;
  const SEGS = 2u;
  const TILES_M = 1u;
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
  let q0 = min(sl + 0u, 7u);
  let wl0 = (g * 128u + min(m0 + q0 / KW, CG_OUT - 1u)) * 1u + (0u + (0u - (q0 % KW)) * 2u);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  for (var kh = 0u; kh < (KH + params.zero); kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    var wo = (0u + (0u - kh) * 2u) * 1u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let ws0 = w[wl0 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      rb += IN_HW;
      wo += 8u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb0 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb0 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb0 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb0 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[3]; } }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb1 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb1 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb1 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb1 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[3]; } }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb2 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb2 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb2 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb2 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[3]; } }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb3 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb3 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb3 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb3 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[3]; } }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb4 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb4 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb4 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb4 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[3]; } }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb5 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb5 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb5 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb5 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[3]; } }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb6 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb6 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb6 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb6 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[3]; } }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb7 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb7 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb7 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb7 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[3]; } }
  }
}

fn phase1(wg: u32, lid: u32, sl: u32) {
  let total = params.batch * 512u;
  for (var e = wg * 64u + lid; e < total; e += PER_PHASE() * 64u) { let at = phaseAt(e, 8u, 8u, 0u, 1u); dx[at] = 0.0; }
}

fn phase2(wg: u32, lid: u32, sl: u32) {
  let total = params.batch * 512u;
  for (var e = wg * 64u + lid; e < total; e += PER_PHASE() * 64u) { let at = phaseAt(e, 8u, 8u, 1u, 0u); dx[at] = 0.0; }
}

fn phase3(wg: u32, lid: u32, sl: u32) {
  let total = params.batch * 512u;
  for (var e = wg * 64u + lid; e < total; e += PER_PHASE() * 64u) { let at = phaseAt(e, 8u, 8u, 1u, 1u); dx[at] = 0.0; }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let flat = wid.x + wid.y * nwg.x;
  let phase = flat / PER_PHASE();
  let local = flat % PER_PHASE();
  if (phase == 0u) { phase0(local, lid, sl); return; }
  if (phase == 1u) { phase1(local, lid, sl); return; }
  if (phase == 2u) { phase2(local, lid, sl); return; }
  if (phase == 3u) { phase3(local, lid, sl); return; }
}


// ---- conv2d_grad_weight_partial:basic2.conv3
enable subgroups;
// conv2d grad weight, 16 slices of the batch: x 8×16×16, w 16×8×1×1, y 16×8×8, stride 2,2, pad 0,0, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const C = 8u;
const H = 16u;
const W = 16u;
const HW = 256u;
const CHW = 2048u;
const O = 16u;
const OH = 8u;
const OW = 8u;
const OHW = 64u;
const OHWO = 1024u;
const KH = 1u;
const KW = 1u;
const KHKW = 1u;
const CG = 8u;
const OG = 16u;
const GROUPS = 1u;
const SH = 2u;
const SW = 2u;
const DH = 1u;
const DW = 1u;
const H_I = 16i;
const W_I = 16i;
const OH_I = 8i;
const OW_I = 8i;
const PT = 0i;
const PL = 0i;
const SH_I = 2i;
const SW_I = 2i;
const DH_I = 1i;
const DW_I = 1i;
const TM = 16u;
const LANES = 8u;
const NQ = 8u;
const TILES_M = 1u;
const TILES_N = 1u;
const SPLITS = 16u;
const DW_LEN = 128u;
const PART = 128u;

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
  let yc1 = (g * OG + min(m0 + sl + 8u, OG - 1u)) * OHW;
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
    for (var ow = 0u; ow < (8u + params.zero); ow++) {
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
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row7 + qv3] = acc7_0[3]; }
  }
  if (m0 + 8u < OG) {
    let row8 = (g * OG + m0 + 8u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row8 + qv0] = acc8_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row8 + qv1] = acc8_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row8 + qv2] = acc8_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row8 + qv3] = acc8_0[3]; }
  }
  if (m0 + 9u < OG) {
    let row9 = (g * OG + m0 + 9u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row9 + qv0] = acc9_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row9 + qv1] = acc9_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row9 + qv2] = acc9_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row9 + qv3] = acc9_0[3]; }
  }
  if (m0 + 10u < OG) {
    let row10 = (g * OG + m0 + 10u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row10 + qv0] = acc10_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row10 + qv1] = acc10_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row10 + qv2] = acc10_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row10 + qv3] = acc10_0[3]; }
  }
  if (m0 + 11u < OG) {
    let row11 = (g * OG + m0 + 11u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row11 + qv0] = acc11_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row11 + qv1] = acc11_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row11 + qv2] = acc11_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row11 + qv3] = acc11_0[3]; }
  }
  if (m0 + 12u < OG) {
    let row12 = (g * OG + m0 + 12u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row12 + qv0] = acc12_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row12 + qv1] = acc12_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row12 + qv2] = acc12_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row12 + qv3] = acc12_0[3]; }
  }
  if (m0 + 13u < OG) {
    let row13 = (g * OG + m0 + 13u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row13 + qv0] = acc13_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row13 + qv1] = acc13_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row13 + qv2] = acc13_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row13 + qv3] = acc13_0[3]; }
  }
  if (m0 + 14u < OG) {
    let row14 = (g * OG + m0 + 14u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row14 + qv0] = acc14_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row14 + qv1] = acc14_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row14 + qv2] = acc14_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row14 + qv3] = acc14_0[3]; }
  }
  if (m0 + 15u < OG) {
    let row15 = (g * OG + m0 + 15u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row15 + qv0] = acc15_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row15 + qv1] = acc15_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row15 + qv2] = acc15_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row15 + qv3] = acc15_0[3]; }
  }
}


// ---- conv2d_grad_weight_sum:basic2.conv3
// the sum of 16 slices of partial sums, into one tensor
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const SPLITS = 16u;
const STRIDE = 128u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 128u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
}


// ---- batchnorm_grad:basic2.bn2
// batchnorm_grad: 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;

var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
  var db = 0.0;
  var dgc = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { db += partA[k]; dgc += partB[k]; }
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}


// ---- conv2d_grad_input.input_texture:basic2.conv2
// conv2d grad input (stride 1, as a forward conv): x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: the input as NHWC vec4 texels
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> xs: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  for (var item = 0u; item < (4u + params.zero); item++) {
    let i = (wid.x + wid.y * nwg.x) * 1024u + item * 256u + lid;
    if (i >= params.batch * 256u) { return; }
    let w = i % 8u;
    let r = i / 8u;
    let c4 = r % 4u;
    let nh = r / 4u;
    let n = nh / 8u;
    let base = n * 1024u + (nh % 8u) * 8u + w;
    let c = c4 * 4u;
    let v = vec4<f32>(dy[base + (c + 0u) * 64u], dy[base + (c + 1u) * 64u], dy[base + (c + 2u) * 64u], dy[base + (c + 3u) * 64u]);
    xs[(nh * 8u + w) * 4u + c4] = v;
  }
}


// ---- conv2d_grad_input.weight_texture:basic2.conv2
// conv2d grad input (stride 1, as a forward conv): x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: the weights as [m][kh][kw][c4] vec4 texels
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> ws: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (t >= 576u) { return; }
  let c4 = t % 4u;
  let r = t / 4u;
  let kw = r % 3u;
  let kh = (r / 3u) % 3u;
  let m = r / 9u;
  var v = vec4<f32>(0.0);
  for (var e = 0u; e < (4u + params.zero); e++) {
    let c = c4 * 4u + e;
    if (c < 16u) { v[e] = w[((c * 16u + m) * 9u + (2u - kh) * 3u + 2u - kw)]; }
  }
  ws[t] = v;
}


// ---- conv2d_grad_input:basic2.conv2
enable subgroups;
// conv2d grad input (stride 1, as a forward conv): x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: implicit GEMM from textures, 16 channels × 8·8 pixels per subgroup
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var xt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(1) var wt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  let np = params.batch * 64u;
  let tilesN = (np + 511u) / 512u;
  if (wg >= tilesN * 1u) { return; }
  let m0 = (wg / tilesN) * 16u;
  let first = (wg % tilesN) * 512u + lid;
  let p0 = first + 0u;
  let pc0 = min(p0, np - 1u);
  let hw0 = pc0 % 64u;
  let nH0 = (pc0 / 64u) * 8u;
  let ih0 = i32((hw0 / 8u) * 1u) - 1i;
  let iw0 = i32((hw0 % 8u) * 1u) - 1i;
  let p1 = first + 64u;
  let pc1 = min(p1, np - 1u);
  let hw1 = pc1 % 64u;
  let nH1 = (pc1 / 64u) * 8u;
  let ih1 = i32((hw1 / 8u) * 1u) - 1i;
  let iw1 = i32((hw1 % 8u) * 1u) - 1i;
  let p2 = first + 128u;
  let pc2 = min(p2, np - 1u);
  let hw2 = pc2 % 64u;
  let nH2 = (pc2 / 64u) * 8u;
  let ih2 = i32((hw2 / 8u) * 1u) - 1i;
  let iw2 = i32((hw2 % 8u) * 1u) - 1i;
  let p3 = first + 192u;
  let pc3 = min(p3, np - 1u);
  let hw3 = pc3 % 64u;
  let nH3 = (pc3 / 64u) * 8u;
  let ih3 = i32((hw3 / 8u) * 1u) - 1i;
  let iw3 = i32((hw3 % 8u) * 1u) - 1i;
  let p4 = first + 256u;
  let pc4 = min(p4, np - 1u);
  let hw4 = pc4 % 64u;
  let nH4 = (pc4 / 64u) * 8u;
  let ih4 = i32((hw4 / 8u) * 1u) - 1i;
  let iw4 = i32((hw4 % 8u) * 1u) - 1i;
  let p5 = first + 320u;
  let pc5 = min(p5, np - 1u);
  let hw5 = pc5 % 64u;
  let nH5 = (pc5 / 64u) * 8u;
  let ih5 = i32((hw5 / 8u) * 1u) - 1i;
  let iw5 = i32((hw5 % 8u) * 1u) - 1i;
  let p6 = first + 384u;
  let pc6 = min(p6, np - 1u);
  let hw6 = pc6 % 64u;
  let nH6 = (pc6 / 64u) * 8u;
  let ih6 = i32((hw6 / 8u) * 1u) - 1i;
  let iw6 = i32((hw6 % 8u) * 1u) - 1i;
  let p7 = first + 448u;
  let pc7 = min(p7, np - 1u);
  let hw7 = pc7 % 64u;
  let nH7 = (pc7 / 64u) * 8u;
  let ih7 = i32((hw7 / 8u) * 1u) - 1i;
  let iw7 = i32((hw7 % 8u) * 1u) - 1i;
  let wr0 = min(m0 + min(sl + 0u, 15u), 15u) * 36u;
  let wr1 = min(m0 + min(sl + 8u, 15u), 15u) * 36u;
  var c0_0 = 0.0;
  var c0_1 = 0.0;
  var c0_2 = 0.0;
  var c0_3 = 0.0;
  var c0_4 = 0.0;
  var c0_5 = 0.0;
  var c0_6 = 0.0;
  var c0_7 = 0.0;
  var c1_0 = 0.0;
  var c1_1 = 0.0;
  var c1_2 = 0.0;
  var c1_3 = 0.0;
  var c1_4 = 0.0;
  var c1_5 = 0.0;
  var c1_6 = 0.0;
  var c1_7 = 0.0;
  var c2_0 = 0.0;
  var c2_1 = 0.0;
  var c2_2 = 0.0;
  var c2_3 = 0.0;
  var c2_4 = 0.0;
  var c2_5 = 0.0;
  var c2_6 = 0.0;
  var c2_7 = 0.0;
  var c3_0 = 0.0;
  var c3_1 = 0.0;
  var c3_2 = 0.0;
  var c3_3 = 0.0;
  var c3_4 = 0.0;
  var c3_5 = 0.0;
  var c3_6 = 0.0;
  var c3_7 = 0.0;
  var c4_0 = 0.0;
  var c4_1 = 0.0;
  var c4_2 = 0.0;
  var c4_3 = 0.0;
  var c4_4 = 0.0;
  var c4_5 = 0.0;
  var c4_6 = 0.0;
  var c4_7 = 0.0;
  var c5_0 = 0.0;
  var c5_1 = 0.0;
  var c5_2 = 0.0;
  var c5_3 = 0.0;
  var c5_4 = 0.0;
  var c5_5 = 0.0;
  var c5_6 = 0.0;
  var c5_7 = 0.0;
  var c6_0 = 0.0;
  var c6_1 = 0.0;
  var c6_2 = 0.0;
  var c6_3 = 0.0;
  var c6_4 = 0.0;
  var c6_5 = 0.0;
  var c6_6 = 0.0;
  var c6_7 = 0.0;
  var c7_0 = 0.0;
  var c7_1 = 0.0;
  var c7_2 = 0.0;
  var c7_3 = 0.0;
  var c7_4 = 0.0;
  var c7_5 = 0.0;
  var c7_6 = 0.0;
  var c7_7 = 0.0;
  var c8_0 = 0.0;
  var c8_1 = 0.0;
  var c8_2 = 0.0;
  var c8_3 = 0.0;
  var c8_4 = 0.0;
  var c8_5 = 0.0;
  var c8_6 = 0.0;
  var c8_7 = 0.0;
  var c9_0 = 0.0;
  var c9_1 = 0.0;
  var c9_2 = 0.0;
  var c9_3 = 0.0;
  var c9_4 = 0.0;
  var c9_5 = 0.0;
  var c9_6 = 0.0;
  var c9_7 = 0.0;
  var c10_0 = 0.0;
  var c10_1 = 0.0;
  var c10_2 = 0.0;
  var c10_3 = 0.0;
  var c10_4 = 0.0;
  var c10_5 = 0.0;
  var c10_6 = 0.0;
  var c10_7 = 0.0;
  var c11_0 = 0.0;
  var c11_1 = 0.0;
  var c11_2 = 0.0;
  var c11_3 = 0.0;
  var c11_4 = 0.0;
  var c11_5 = 0.0;
  var c11_6 = 0.0;
  var c11_7 = 0.0;
  var c12_0 = 0.0;
  var c12_1 = 0.0;
  var c12_2 = 0.0;
  var c12_3 = 0.0;
  var c12_4 = 0.0;
  var c12_5 = 0.0;
  var c12_6 = 0.0;
  var c12_7 = 0.0;
  var c13_0 = 0.0;
  var c13_1 = 0.0;
  var c13_2 = 0.0;
  var c13_3 = 0.0;
  var c13_4 = 0.0;
  var c13_5 = 0.0;
  var c13_6 = 0.0;
  var c13_7 = 0.0;
  var c14_0 = 0.0;
  var c14_1 = 0.0;
  var c14_2 = 0.0;
  var c14_3 = 0.0;
  var c14_4 = 0.0;
  var c14_5 = 0.0;
  var c14_6 = 0.0;
  var c14_7 = 0.0;
  var c15_0 = 0.0;
  var c15_1 = 0.0;
  var c15_2 = 0.0;
  var c15_3 = 0.0;
  var c15_4 = 0.0;
  var c15_5 = 0.0;
  var c15_6 = 0.0;
  var c15_7 = 0.0;
  for (var kh = 0u; kh < (3u + params.zero); kh++) {
    let y0 = ih0 + i32(kh * 1u);
    let rok0 = y0 >= 0i && y0 < 8i;
    let row0 = (nH0 + u32(clamp(y0, 0i, 7i))) * 8u;
    let y1 = ih1 + i32(kh * 1u);
    let rok1 = y1 >= 0i && y1 < 8i;
    let row1 = (nH1 + u32(clamp(y1, 0i, 7i))) * 8u;
    let y2 = ih2 + i32(kh * 1u);
    let rok2 = y2 >= 0i && y2 < 8i;
    let row2 = (nH2 + u32(clamp(y2, 0i, 7i))) * 8u;
    let y3 = ih3 + i32(kh * 1u);
    let rok3 = y3 >= 0i && y3 < 8i;
    let row3 = (nH3 + u32(clamp(y3, 0i, 7i))) * 8u;
    let y4 = ih4 + i32(kh * 1u);
    let rok4 = y4 >= 0i && y4 < 8i;
    let row4 = (nH4 + u32(clamp(y4, 0i, 7i))) * 8u;
    let y5 = ih5 + i32(kh * 1u);
    let rok5 = y5 >= 0i && y5 < 8i;
    let row5 = (nH5 + u32(clamp(y5, 0i, 7i))) * 8u;
    let y6 = ih6 + i32(kh * 1u);
    let rok6 = y6 >= 0i && y6 < 8i;
    let row6 = (nH6 + u32(clamp(y6, 0i, 7i))) * 8u;
    let y7 = ih7 + i32(kh * 1u);
    let rok7 = y7 >= 0i && y7 < 8i;
    let row7 = (nH7 + u32(clamp(y7, 0i, 7i))) * 8u;
    for (var kw = 0u; kw < (3u + params.zero); kw++) {
      let x0 = iw0 + i32(kw * 1u);
      let ok0 = rok0 && x0 >= 0i && x0 < 8i;
      let xb0 = (row0 + u32(clamp(x0, 0i, 7i))) * 4u;
      let x1 = iw1 + i32(kw * 1u);
      let ok1 = rok1 && x1 >= 0i && x1 < 8i;
      let xb1 = (row1 + u32(clamp(x1, 0i, 7i))) * 4u;
      let x2 = iw2 + i32(kw * 1u);
      let ok2 = rok2 && x2 >= 0i && x2 < 8i;
      let xb2 = (row2 + u32(clamp(x2, 0i, 7i))) * 4u;
      let x3 = iw3 + i32(kw * 1u);
      let ok3 = rok3 && x3 >= 0i && x3 < 8i;
      let xb3 = (row3 + u32(clamp(x3, 0i, 7i))) * 4u;
      let x4 = iw4 + i32(kw * 1u);
      let ok4 = rok4 && x4 >= 0i && x4 < 8i;
      let xb4 = (row4 + u32(clamp(x4, 0i, 7i))) * 4u;
      let x5 = iw5 + i32(kw * 1u);
      let ok5 = rok5 && x5 >= 0i && x5 < 8i;
      let xb5 = (row5 + u32(clamp(x5, 0i, 7i))) * 4u;
      let x6 = iw6 + i32(kw * 1u);
      let ok6 = rok6 && x6 >= 0i && x6 < 8i;
      let xb6 = (row6 + u32(clamp(x6, 0i, 7i))) * 4u;
      let x7 = iw7 + i32(kw * 1u);
      let ok7 = rok7 && x7 >= 0i && x7 < 8i;
      let xb7 = (row7 + u32(clamp(x7, 0i, 7i))) * 4u;
      let wb = (kh * 3u + kw) * 4u;
      for (var c = 0u; c < (4u + params.zero); c++) {
        let b0 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb0 + c) & 2047u, (xb0 + c) >> 11u)), ok0);
        let b1 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb1 + c) & 2047u, (xb1 + c) >> 11u)), ok1);
        let b2 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb2 + c) & 2047u, (xb2 + c) >> 11u)), ok2);
        let b3 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb3 + c) & 2047u, (xb3 + c) >> 11u)), ok3);
        let b4 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb4 + c) & 2047u, (xb4 + c) >> 11u)), ok4);
        let b5 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb5 + c) & 2047u, (xb5 + c) >> 11u)), ok5);
        let b6 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb6 + c) & 2047u, (xb6 + c) >> 11u)), ok6);
        let b7 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>((xb7 + c) & 2047u, (xb7 + c) >> 11u)), ok7);
        let av0 = textureLoad(wt, vec2<u32>((wr0 + wb + c) & 2047u, (wr0 + wb + c) >> 11u));
        let av1 = textureLoad(wt, vec2<u32>((wr1 + wb + c) & 2047u, (wr1 + wb + c) >> 11u));
        let a0 = subgroupBroadcast(av0, 0u);
        c0_0 = fma(a0.x, b0.x, c0_0);
        c0_0 = fma(a0.y, b0.y, c0_0);
        c0_0 = fma(a0.z, b0.z, c0_0);
        c0_0 = fma(a0.w, b0.w, c0_0);
        c0_1 = fma(a0.x, b1.x, c0_1);
        c0_1 = fma(a0.y, b1.y, c0_1);
        c0_1 = fma(a0.z, b1.z, c0_1);
        c0_1 = fma(a0.w, b1.w, c0_1);
        c0_2 = fma(a0.x, b2.x, c0_2);
        c0_2 = fma(a0.y, b2.y, c0_2);
        c0_2 = fma(a0.z, b2.z, c0_2);
        c0_2 = fma(a0.w, b2.w, c0_2);
        c0_3 = fma(a0.x, b3.x, c0_3);
        c0_3 = fma(a0.y, b3.y, c0_3);
        c0_3 = fma(a0.z, b3.z, c0_3);
        c0_3 = fma(a0.w, b3.w, c0_3);
        c0_4 = fma(a0.x, b4.x, c0_4);
        c0_4 = fma(a0.y, b4.y, c0_4);
        c0_4 = fma(a0.z, b4.z, c0_4);
        c0_4 = fma(a0.w, b4.w, c0_4);
        c0_5 = fma(a0.x, b5.x, c0_5);
        c0_5 = fma(a0.y, b5.y, c0_5);
        c0_5 = fma(a0.z, b5.z, c0_5);
        c0_5 = fma(a0.w, b5.w, c0_5);
        c0_6 = fma(a0.x, b6.x, c0_6);
        c0_6 = fma(a0.y, b6.y, c0_6);
        c0_6 = fma(a0.z, b6.z, c0_6);
        c0_6 = fma(a0.w, b6.w, c0_6);
        c0_7 = fma(a0.x, b7.x, c0_7);
        c0_7 = fma(a0.y, b7.y, c0_7);
        c0_7 = fma(a0.z, b7.z, c0_7);
        c0_7 = fma(a0.w, b7.w, c0_7);
        let a1 = subgroupBroadcast(av0, 1u);
        c1_0 = fma(a1.x, b0.x, c1_0);
        c1_0 = fma(a1.y, b0.y, c1_0);
        c1_0 = fma(a1.z, b0.z, c1_0);
        c1_0 = fma(a1.w, b0.w, c1_0);
        c1_1 = fma(a1.x, b1.x, c1_1);
        c1_1 = fma(a1.y, b1.y, c1_1);
        c1_1 = fma(a1.z, b1.z, c1_1);
        c1_1 = fma(a1.w, b1.w, c1_1);
        c1_2 = fma(a1.x, b2.x, c1_2);
        c1_2 = fma(a1.y, b2.y, c1_2);
        c1_2 = fma(a1.z, b2.z, c1_2);
        c1_2 = fma(a1.w, b2.w, c1_2);
        c1_3 = fma(a1.x, b3.x, c1_3);
        c1_3 = fma(a1.y, b3.y, c1_3);
        c1_3 = fma(a1.z, b3.z, c1_3);
        c1_3 = fma(a1.w, b3.w, c1_3);
        c1_4 = fma(a1.x, b4.x, c1_4);
        c1_4 = fma(a1.y, b4.y, c1_4);
        c1_4 = fma(a1.z, b4.z, c1_4);
        c1_4 = fma(a1.w, b4.w, c1_4);
        c1_5 = fma(a1.x, b5.x, c1_5);
        c1_5 = fma(a1.y, b5.y, c1_5);
        c1_5 = fma(a1.z, b5.z, c1_5);
        c1_5 = fma(a1.w, b5.w, c1_5);
        c1_6 = fma(a1.x, b6.x, c1_6);
        c1_6 = fma(a1.y, b6.y, c1_6);
        c1_6 = fma(a1.z, b6.z, c1_6);
        c1_6 = fma(a1.w, b6.w, c1_6);
        c1_7 = fma(a1.x, b7.x, c1_7);
        c1_7 = fma(a1.y, b7.y, c1_7);
        c1_7 = fma(a1.z, b7.z, c1_7);
        c1_7 = fma(a1.w, b7.w, c1_7);
        let a2 = subgroupBroadcast(av0, 2u);
        c2_0 = fma(a2.x, b0.x, c2_0);
        c2_0 = fma(a2.y, b0.y, c2_0);
        c2_0 = fma(a2.z, b0.z, c2_0);
        c2_0 = fma(a2.w, b0.w, c2_0);
        c2_1 = fma(a2.x, b1.x, c2_1);
        c2_1 = fma(a2.y, b1.y, c2_1);
        c2_1 = fma(a2.z, b1.z, c2_1);
        c2_1 = fma(a2.w, b1.w, c2_1);
        c2_2 = fma(a2.x, b2.x, c2_2);
        c2_2 = fma(a2.y, b2.y, c2_2);
        c2_2 = fma(a2.z, b2.z, c2_2);
        c2_2 = fma(a2.w, b2.w, c2_2);
        c2_3 = fma(a2.x, b3.x, c2_3);
        c2_3 = fma(a2.y, b3.y, c2_3);
        c2_3 = fma(a2.z, b3.z, c2_3);
        c2_3 = fma(a2.w, b3.w, c2_3);
        c2_4 = fma(a2.x, b4.x, c2_4);
        c2_4 = fma(a2.y, b4.y, c2_4);
        c2_4 = fma(a2.z, b4.z, c2_4);
        c2_4 = fma(a2.w, b4.w, c2_4);
        c2_5 = fma(a2.x, b5.x, c2_5);
        c2_5 = fma(a2.y, b5.y, c2_5);
        c2_5 = fma(a2.z, b5.z, c2_5);
        c2_5 = fma(a2.w, b5.w, c2_5);
        c2_6 = fma(a2.x, b6.x, c2_6);
        c2_6 = fma(a2.y, b6.y, c2_6);
        c2_6 = fma(a2.z, b6.z, c2_6);
        c2_6 = fma(a2.w, b6.w, c2_6);
        c2_7 = fma(a2.x, b7.x, c2_7);
        c2_7 = fma(a2.y, b7.y, c2_7);
        c2_7 = fma(a2.z, b7.z, c2_7);
        c2_7 = fma(a2.w, b7.w, c2_7);
        let a3 = subgroupBroadcast(av0, 3u);
        c3_0 = fma(a3.x, b0.x, c3_0);
        c3_0 = fma(a3.y, b0.y, c3_0);
        c3_0 = fma(a3.z, b0.z, c3_0);
        c3_0 = fma(a3.w, b0.w, c3_0);
        c3_1 = fma(a3.x, b1.x, c3_1);
        c3_1 = fma(a3.y, b1.y, c3_1);
        c3_1 = fma(a3.z, b1.z, c3_1);
        c3_1 = fma(a3.w, b1.w, c3_1);
        c3_2 = fma(a3.x, b2.x, c3_2);
        c3_2 = fma(a3.y, b2.y, c3_2);
        c3_2 = fma(a3.z, b2.z, c3_2);
        c3_2 = fma(a3.w, b2.w, c3_2);
        c3_3 = fma(a3.x, b3.x, c3_3);
        c3_3 = fma(a3.y, b3.y, c3_3);
        c3_3 = fma(a3.z, b3.z, c3_3);
        c3_3 = fma(a3.w, b3.w, c3_3);
        c3_4 = fma(a3.x, b4.x, c3_4);
        c3_4 = fma(a3.y, b4.y, c3_4);
        c3_4 = fma(a3.z, b4.z, c3_4);
        c3_4 = fma(a3.w, b4.w, c3_4);
        c3_5 = fma(a3.x, b5.x, c3_5);
        c3_5 = fma(a3.y, b5.y, c3_5);
        c3_5 = fma(a3.z, b5.z, c3_5);
        c3_5 = fma(a3.w, b5.w, c3_5);
        c3_6 = fma(a3.x, b6.x, c3_6);
        c3_6 = fma(a3.y, b6.y, c3_6);
        c3_6 = fma(a3.z, b6.z, c3_6);
        c3_6 = fma(a3.w, b6.w, c3_6);
        c3_7 = fma(a3.x, b7.x, c3_7);
        c3_7 = fma(a3.y, b7.y, c3_7);
        c3_7 = fma(a3.z, b7.z, c3_7);
        c3_7 = fma(a3.w, b7.w, c3_7);
        let a4 = subgroupBroadcast(av0, 4u);
        c4_0 = fma(a4.x, b0.x, c4_0);
        c4_0 = fma(a4.y, b0.y, c4_0);
        c4_0 = fma(a4.z, b0.z, c4_0);
        c4_0 = fma(a4.w, b0.w, c4_0);
        c4_1 = fma(a4.x, b1.x, c4_1);
        c4_1 = fma(a4.y, b1.y, c4_1);
        c4_1 = fma(a4.z, b1.z, c4_1);
        c4_1 = fma(a4.w, b1.w, c4_1);
        c4_2 = fma(a4.x, b2.x, c4_2);
        c4_2 = fma(a4.y, b2.y, c4_2);
        c4_2 = fma(a4.z, b2.z, c4_2);
        c4_2 = fma(a4.w, b2.w, c4_2);
        c4_3 = fma(a4.x, b3.x, c4_3);
        c4_3 = fma(a4.y, b3.y, c4_3);
        c4_3 = fma(a4.z, b3.z, c4_3);
        c4_3 = fma(a4.w, b3.w, c4_3);
        c4_4 = fma(a4.x, b4.x, c4_4);
        c4_4 = fma(a4.y, b4.y, c4_4);
        c4_4 = fma(a4.z, b4.z, c4_4);
        c4_4 = fma(a4.w, b4.w, c4_4);
        c4_5 = fma(a4.x, b5.x, c4_5);
        c4_5 = fma(a4.y, b5.y, c4_5);
        c4_5 = fma(a4.z, b5.z, c4_5);
        c4_5 = fma(a4.w, b5.w, c4_5);
        c4_6 = fma(a4.x, b6.x, c4_6);
        c4_6 = fma(a4.y, b6.y, c4_6);
        c4_6 = fma(a4.z, b6.z, c4_6);
        c4_6 = fma(a4.w, b6.w, c4_6);
        c4_7 = fma(a4.x, b7.x, c4_7);
        c4_7 = fma(a4.y, b7.y, c4_7);
        c4_7 = fma(a4.z, b7.z, c4_7);
        c4_7 = fma(a4.w, b7.w, c4_7);
        let a5 = subgroupBroadcast(av0, 5u);
        c5_0 = fma(a5.x, b0.x, c5_0);
        c5_0 = fma(a5.y, b0.y, c5_0);
        c5_0 = fma(a5.z, b0.z, c5_0);
        c5_0 = fma(a5.w, b0.w, c5_0);
        c5_1 = fma(a5.x, b1.x, c5_1);
        c5_1 = fma(a5.y, b1.y, c5_1);
        c5_1 = fma(a5.z, b1.z, c5_1);
        c5_1 = fma(a5.w, b1.w, c5_1);
        c5_2 = fma(a5.x, b2.x, c5_2);
        c5_2 = fma(a5.y, b2.y, c5_2);
        c5_2 = fma(a5.z, b2.z, c5_2);
        c5_2 = fma(a5.w, b2.w, c5_2);
        c5_3 = fma(a5.x, b3.x, c5_3);
        c5_3 = fma(a5.y, b3.y, c5_3);
        c5_3 = fma(a5.z, b3.z, c5_3);
        c5_3 = fma(a5.w, b3.w, c5_3);
        c5_4 = fma(a5.x, b4.x, c5_4);
        c5_4 = fma(a5.y, b4.y, c5_4);
        c5_4 = fma(a5.z, b4.z, c5_4);
        c5_4 = fma(a5.w, b4.w, c5_4);
        c5_5 = fma(a5.x, b5.x, c5_5);
        c5_5 = fma(a5.y, b5.y, c5_5);
        c5_5 = fma(a5.z, b5.z, c5_5);
        c5_5 = fma(a5.w, b5.w, c5_5);
        c5_6 = fma(a5.x, b6.x, c5_6);
        c5_6 = fma(a5.y, b6.y, c5_6);
        c5_6 = fma(a5.z, b6.z, c5_6);
        c5_6 = fma(a5.w, b6.w, c5_6);
        c5_7 = fma(a5.x, b7.x, c5_7);
        c5_7 = fma(a5.y, b7.y, c5_7);
        c5_7 = fma(a5.z, b7.z, c5_7);
        c5_7 = fma(a5.w, b7.w, c5_7);
        let a6 = subgroupBroadcast(av0, 6u);
        c6_0 = fma(a6.x, b0.x, c6_0);
        c6_0 = fma(a6.y, b0.y, c6_0);
        c6_0 = fma(a6.z, b0.z, c6_0);
        c6_0 = fma(a6.w, b0.w, c6_0);
        c6_1 = fma(a6.x, b1.x, c6_1);
        c6_1 = fma(a6.y, b1.y, c6_1);
        c6_1 = fma(a6.z, b1.z, c6_1);
        c6_1 = fma(a6.w, b1.w, c6_1);
        c6_2 = fma(a6.x, b2.x, c6_2);
        c6_2 = fma(a6.y, b2.y, c6_2);
        c6_2 = fma(a6.z, b2.z, c6_2);
        c6_2 = fma(a6.w, b2.w, c6_2);
        c6_3 = fma(a6.x, b3.x, c6_3);
        c6_3 = fma(a6.y, b3.y, c6_3);
        c6_3 = fma(a6.z, b3.z, c6_3);
        c6_3 = fma(a6.w, b3.w, c6_3);
        c6_4 = fma(a6.x, b4.x, c6_4);
        c6_4 = fma(a6.y, b4.y, c6_4);
        c6_4 = fma(a6.z, b4.z, c6_4);
        c6_4 = fma(a6.w, b4.w, c6_4);
        c6_5 = fma(a6.x, b5.x, c6_5);
        c6_5 = fma(a6.y, b5.y, c6_5);
        c6_5 = fma(a6.z, b5.z, c6_5);
        c6_5 = fma(a6.w, b5.w, c6_5);
        c6_6 = fma(a6.x, b6.x, c6_6);
        c6_6 = fma(a6.y, b6.y, c6_6);
        c6_6 = fma(a6.z, b6.z, c6_6);
        c6_6 = fma(a6.w, b6.w, c6_6);
        c6_7 = fma(a6.x, b7.x, c6_7);
        c6_7 = fma(a6.y, b7.y, c6_7);
        c6_7 = fma(a6.z, b7.z, c6_7);
        c6_7 = fma(a6.w, b7.w, c6_7);
        let a7 = subgroupBroadcast(av0, 7u);
        c7_0 = fma(a7.x, b0.x, c7_0);
        c7_0 = fma(a7.y, b0.y, c7_0);
        c7_0 = fma(a7.z, b0.z, c7_0);
        c7_0 = fma(a7.w, b0.w, c7_0);
        c7_1 = fma(a7.x, b1.x, c7_1);
        c7_1 = fma(a7.y, b1.y, c7_1);
        c7_1 = fma(a7.z, b1.z, c7_1);
        c7_1 = fma(a7.w, b1.w, c7_1);
        c7_2 = fma(a7.x, b2.x, c7_2);
        c7_2 = fma(a7.y, b2.y, c7_2);
        c7_2 = fma(a7.z, b2.z, c7_2);
        c7_2 = fma(a7.w, b2.w, c7_2);
        c7_3 = fma(a7.x, b3.x, c7_3);
        c7_3 = fma(a7.y, b3.y, c7_3);
        c7_3 = fma(a7.z, b3.z, c7_3);
        c7_3 = fma(a7.w, b3.w, c7_3);
        c7_4 = fma(a7.x, b4.x, c7_4);
        c7_4 = fma(a7.y, b4.y, c7_4);
        c7_4 = fma(a7.z, b4.z, c7_4);
        c7_4 = fma(a7.w, b4.w, c7_4);
        c7_5 = fma(a7.x, b5.x, c7_5);
        c7_5 = fma(a7.y, b5.y, c7_5);
        c7_5 = fma(a7.z, b5.z, c7_5);
        c7_5 = fma(a7.w, b5.w, c7_5);
        c7_6 = fma(a7.x, b6.x, c7_6);
        c7_6 = fma(a7.y, b6.y, c7_6);
        c7_6 = fma(a7.z, b6.z, c7_6);
        c7_6 = fma(a7.w, b6.w, c7_6);
        c7_7 = fma(a7.x, b7.x, c7_7);
        c7_7 = fma(a7.y, b7.y, c7_7);
        c7_7 = fma(a7.z, b7.z, c7_7);
        c7_7 = fma(a7.w, b7.w, c7_7);
        let a8 = subgroupBroadcast(av1, 0u);
        c8_0 = fma(a8.x, b0.x, c8_0);
        c8_0 = fma(a8.y, b0.y, c8_0);
        c8_0 = fma(a8.z, b0.z, c8_0);
        c8_0 = fma(a8.w, b0.w, c8_0);
        c8_1 = fma(a8.x, b1.x, c8_1);
        c8_1 = fma(a8.y, b1.y, c8_1);
        c8_1 = fma(a8.z, b1.z, c8_1);
        c8_1 = fma(a8.w, b1.w, c8_1);
        c8_2 = fma(a8.x, b2.x, c8_2);
        c8_2 = fma(a8.y, b2.y, c8_2);
        c8_2 = fma(a8.z, b2.z, c8_2);
        c8_2 = fma(a8.w, b2.w, c8_2);
        c8_3 = fma(a8.x, b3.x, c8_3);
        c8_3 = fma(a8.y, b3.y, c8_3);
        c8_3 = fma(a8.z, b3.z, c8_3);
        c8_3 = fma(a8.w, b3.w, c8_3);
        c8_4 = fma(a8.x, b4.x, c8_4);
        c8_4 = fma(a8.y, b4.y, c8_4);
        c8_4 = fma(a8.z, b4.z, c8_4);
        c8_4 = fma(a8.w, b4.w, c8_4);
        c8_5 = fma(a8.x, b5.x, c8_5);
        c8_5 = fma(a8.y, b5.y, c8_5);
        c8_5 = fma(a8.z, b5.z, c8_5);
        c8_5 = fma(a8.w, b5.w, c8_5);
        c8_6 = fma(a8.x, b6.x, c8_6);
        c8_6 = fma(a8.y, b6.y, c8_6);
        c8_6 = fma(a8.z, b6.z, c8_6);
        c8_6 = fma(a8.w, b6.w, c8_6);
        c8_7 = fma(a8.x, b7.x, c8_7);
        c8_7 = fma(a8.y, b7.y, c8_7);
        c8_7 = fma(a8.z, b7.z, c8_7);
        c8_7 = fma(a8.w, b7.w, c8_7);
        let a9 = subgroupBroadcast(av1, 1u);
        c9_0 = fma(a9.x, b0.x, c9_0);
        c9_0 = fma(a9.y, b0.y, c9_0);
        c9_0 = fma(a9.z, b0.z, c9_0);
        c9_0 = fma(a9.w, b0.w, c9_0);
        c9_1 = fma(a9.x, b1.x, c9_1);
        c9_1 = fma(a9.y, b1.y, c9_1);
        c9_1 = fma(a9.z, b1.z, c9_1);
        c9_1 = fma(a9.w, b1.w, c9_1);
        c9_2 = fma(a9.x, b2.x, c9_2);
        c9_2 = fma(a9.y, b2.y, c9_2);
        c9_2 = fma(a9.z, b2.z, c9_2);
        c9_2 = fma(a9.w, b2.w, c9_2);
        c9_3 = fma(a9.x, b3.x, c9_3);
        c9_3 = fma(a9.y, b3.y, c9_3);
        c9_3 = fma(a9.z, b3.z, c9_3);
        c9_3 = fma(a9.w, b3.w, c9_3);
        c9_4 = fma(a9.x, b4.x, c9_4);
        c9_4 = fma(a9.y, b4.y, c9_4);
        c9_4 = fma(a9.z, b4.z, c9_4);
        c9_4 = fma(a9.w, b4.w, c9_4);
        c9_5 = fma(a9.x, b5.x, c9_5);
        c9_5 = fma(a9.y, b5.y, c9_5);
        c9_5 = fma(a9.z, b5.z, c9_5);
        c9_5 = fma(a9.w, b5.w, c9_5);
        c9_6 = fma(a9.x, b6.x, c9_6);
        c9_6 = fma(a9.y, b6.y, c9_6);
        c9_6 = fma(a9.z, b6.z, c9_6);
        c9_6 = fma(a9.w, b6.w, c9_6);
        c9_7 = fma(a9.x, b7.x, c9_7);
        c9_7 = fma(a9.y, b7.y, c9_7);
        c9_7 = fma(a9.z, b7.z, c9_7);
        c9_7 = fma(a9.w, b7.w, c9_7);
        let a10 = subgroupBroadcast(av1, 2u);
        c10_0 = fma(a10.x, b0.x, c10_0);
        c10_0 = fma(a10.y, b0.y, c10_0);
        c10_0 = fma(a10.z, b0.z, c10_0);
        c10_0 = fma(a10.w, b0.w, c10_0);
        c10_1 = fma(a10.x, b1.x, c10_1);
        c10_1 = fma(a10.y, b1.y, c10_1);
        c10_1 = fma(a10.z, b1.z, c10_1);
        c10_1 = fma(a10.w, b1.w, c10_1);
        c10_2 = fma(a10.x, b2.x, c10_2);
        c10_2 = fma(a10.y, b2.y, c10_2);
        c10_2 = fma(a10.z, b2.z, c10_2);
        c10_2 = fma(a10.w, b2.w, c10_2);
        c10_3 = fma(a10.x, b3.x, c10_3);
        c10_3 = fma(a10.y, b3.y, c10_3);
        c10_3 = fma(a10.z, b3.z, c10_3);
        c10_3 = fma(a10.w, b3.w, c10_3);
        c10_4 = fma(a10.x, b4.x, c10_4);
        c10_4 = fma(a10.y, b4.y, c10_4);
        c10_4 = fma(a10.z, b4.z, c10_4);
        c10_4 = fma(a10.w, b4.w, c10_4);
        c10_5 = fma(a10.x, b5.x, c10_5);
        c10_5 = fma(a10.y, b5.y, c10_5);
        c10_5 = fma(a10.z, b5.z, c10_5);
        c10_5 = fma(a10.w, b5.w, c10_5);
        c10_6 = fma(a10.x, b6.x, c10_6);
        c10_6 = fma(a10.y, b6.y, c10_6);
        c10_6 = fma(a10.z, b6.z, c10_6);
        c10_6 = fma(a10.w, b6.w, c10_6);
        c10_7 = fma(a10.x, b7.x, c10_7);
        c10_7 = fma(a10.y, b7.y, c10_7);
        c10_7 = fma(a10.z, b7.z, c10_7);
        c10_7 = fma(a10.w, b7.w, c10_7);
        let a11 = subgroupBroadcast(av1, 3u);
        c11_0 = fma(a11.x, b0.x, c11_0);
        c11_0 = fma(a11.y, b0.y, c11_0);
        c11_0 = fma(a11.z, b0.z, c11_0);
        c11_0 = fma(a11.w, b0.w, c11_0);
        c11_1 = fma(a11.x, b1.x, c11_1);
        c11_1 = fma(a11.y, b1.y, c11_1);
        c11_1 = fma(a11.z, b1.z, c11_1);
        c11_1 = fma(a11.w, b1.w, c11_1);
        c11_2 = fma(a11.x, b2.x, c11_2);
        c11_2 = fma(a11.y, b2.y, c11_2);
        c11_2 = fma(a11.z, b2.z, c11_2);
        c11_2 = fma(a11.w, b2.w, c11_2);
        c11_3 = fma(a11.x, b3.x, c11_3);
        c11_3 = fma(a11.y, b3.y, c11_3);
        c11_3 = fma(a11.z, b3.z, c11_3);
        c11_3 = fma(a11.w, b3.w, c11_3);
        c11_4 = fma(a11.x, b4.x, c11_4);
        c11_4 = fma(a11.y, b4.y, c11_4);
        c11_4 = fma(a11.z, b4.z, c11_4);
        c11_4 = fma(a11.w, b4.w, c11_4);
        c11_5 = fma(a11.x, b5.x, c11_5);
        c11_5 = fma(a11.y, b5.y, c11_5);
        c11_5 = fma(a11.z, b5.z, c11_5);
        c11_5 = fma(a11.w, b5.w, c11_5);
        c11_6 = fma(a11.x, b6.x, c11_6);
        c11_6 = fma(a11.y, b6.y, c11_6);
        c11_6 = fma(a11.z, b6.z, c11_6);
        c11_6 = fma(a11.w, b6.w, c11_6);
        c11_7 = fma(a11.x, b7.x, c11_7);
        c11_7 = fma(a11.y, b7.y, c11_7);
        c11_7 = fma(a11.z, b7.z, c11_7);
        c11_7 = fma(a11.w, b7.w, c11_7);
        let a12 = subgroupBroadcast(av1, 4u);
        c12_0 = fma(a12.x, b0.x, c12_0);
        c12_0 = fma(a12.y, b0.y, c12_0);
        c12_0 = fma(a12.z, b0.z, c12_0);
        c12_0 = fma(a12.w, b0.w, c12_0);
        c12_1 = fma(a12.x, b1.x, c12_1);
        c12_1 = fma(a12.y, b1.y, c12_1);
        c12_1 = fma(a12.z, b1.z, c12_1);
        c12_1 = fma(a12.w, b1.w, c12_1);
        c12_2 = fma(a12.x, b2.x, c12_2);
        c12_2 = fma(a12.y, b2.y, c12_2);
        c12_2 = fma(a12.z, b2.z, c12_2);
        c12_2 = fma(a12.w, b2.w, c12_2);
        c12_3 = fma(a12.x, b3.x, c12_3);
        c12_3 = fma(a12.y, b3.y, c12_3);
        c12_3 = fma(a12.z, b3.z, c12_3);
        c12_3 = fma(a12.w, b3.w, c12_3);
        c12_4 = fma(a12.x, b4.x, c12_4);
        c12_4 = fma(a12.y, b4.y, c12_4);
        c12_4 = fma(a12.z, b4.z, c12_4);
        c12_4 = fma(a12.w, b4.w, c12_4);
        c12_5 = fma(a12.x, b5.x, c12_5);
        c12_5 = fma(a12.y, b5.y, c12_5);
        c12_5 = fma(a12.z, b5.z, c12_5);
        c12_5 = fma(a12.w, b5.w, c12_5);
        c12_6 = fma(a12.x, b6.x, c12_6);
        c12_6 = fma(a12.y, b6.y, c12_6);
        c12_6 = fma(a12.z, b6.z, c12_6);
        c12_6 = fma(a12.w, b6.w, c12_6);
        c12_7 = fma(a12.x, b7.x, c12_7);
        c12_7 = fma(a12.y, b7.y, c12_7);
        c12_7 = fma(a12.z, b7.z, c12_7);
        c12_7 = fma(a12.w, b7.w, c12_7);
        let a13 = subgroupBroadcast(av1, 5u);
        c13_0 = fma(a13.x, b0.x, c13_0);
        c13_0 = fma(a13.y, b0.y, c13_0);
        c13_0 = fma(a13.z, b0.z, c13_0);
        c13_0 = fma(a13.w, b0.w, c13_0);
        c13_1 = fma(a13.x, b1.x, c13_1);
        c13_1 = fma(a13.y, b1.y, c13_1);
        c13_1 = fma(a13.z, b1.z, c13_1);
        c13_1 = fma(a13.w, b1.w, c13_1);
        c13_2 = fma(a13.x, b2.x, c13_2);
        c13_2 = fma(a13.y, b2.y, c13_2);
        c13_2 = fma(a13.z, b2.z, c13_2);
        c13_2 = fma(a13.w, b2.w, c13_2);
        c13_3 = fma(a13.x, b3.x, c13_3);
        c13_3 = fma(a13.y, b3.y, c13_3);
        c13_3 = fma(a13.z, b3.z, c13_3);
        c13_3 = fma(a13.w, b3.w, c13_3);
        c13_4 = fma(a13.x, b4.x, c13_4);
        c13_4 = fma(a13.y, b4.y, c13_4);
        c13_4 = fma(a13.z, b4.z, c13_4);
        c13_4 = fma(a13.w, b4.w, c13_4);
        c13_5 = fma(a13.x, b5.x, c13_5);
        c13_5 = fma(a13.y, b5.y, c13_5);
        c13_5 = fma(a13.z, b5.z, c13_5);
        c13_5 = fma(a13.w, b5.w, c13_5);
        c13_6 = fma(a13.x, b6.x, c13_6);
        c13_6 = fma(a13.y, b6.y, c13_6);
        c13_6 = fma(a13.z, b6.z, c13_6);
        c13_6 = fma(a13.w, b6.w, c13_6);
        c13_7 = fma(a13.x, b7.x, c13_7);
        c13_7 = fma(a13.y, b7.y, c13_7);
        c13_7 = fma(a13.z, b7.z, c13_7);
        c13_7 = fma(a13.w, b7.w, c13_7);
        let a14 = subgroupBroadcast(av1, 6u);
        c14_0 = fma(a14.x, b0.x, c14_0);
        c14_0 = fma(a14.y, b0.y, c14_0);
        c14_0 = fma(a14.z, b0.z, c14_0);
        c14_0 = fma(a14.w, b0.w, c14_0);
        c14_1 = fma(a14.x, b1.x, c14_1);
        c14_1 = fma(a14.y, b1.y, c14_1);
        c14_1 = fma(a14.z, b1.z, c14_1);
        c14_1 = fma(a14.w, b1.w, c14_1);
        c14_2 = fma(a14.x, b2.x, c14_2);
        c14_2 = fma(a14.y, b2.y, c14_2);
        c14_2 = fma(a14.z, b2.z, c14_2);
        c14_2 = fma(a14.w, b2.w, c14_2);
        c14_3 = fma(a14.x, b3.x, c14_3);
        c14_3 = fma(a14.y, b3.y, c14_3);
        c14_3 = fma(a14.z, b3.z, c14_3);
        c14_3 = fma(a14.w, b3.w, c14_3);
        c14_4 = fma(a14.x, b4.x, c14_4);
        c14_4 = fma(a14.y, b4.y, c14_4);
        c14_4 = fma(a14.z, b4.z, c14_4);
        c14_4 = fma(a14.w, b4.w, c14_4);
        c14_5 = fma(a14.x, b5.x, c14_5);
        c14_5 = fma(a14.y, b5.y, c14_5);
        c14_5 = fma(a14.z, b5.z, c14_5);
        c14_5 = fma(a14.w, b5.w, c14_5);
        c14_6 = fma(a14.x, b6.x, c14_6);
        c14_6 = fma(a14.y, b6.y, c14_6);
        c14_6 = fma(a14.z, b6.z, c14_6);
        c14_6 = fma(a14.w, b6.w, c14_6);
        c14_7 = fma(a14.x, b7.x, c14_7);
        c14_7 = fma(a14.y, b7.y, c14_7);
        c14_7 = fma(a14.z, b7.z, c14_7);
        c14_7 = fma(a14.w, b7.w, c14_7);
        let a15 = subgroupBroadcast(av1, 7u);
        c15_0 = fma(a15.x, b0.x, c15_0);
        c15_0 = fma(a15.y, b0.y, c15_0);
        c15_0 = fma(a15.z, b0.z, c15_0);
        c15_0 = fma(a15.w, b0.w, c15_0);
        c15_1 = fma(a15.x, b1.x, c15_1);
        c15_1 = fma(a15.y, b1.y, c15_1);
        c15_1 = fma(a15.z, b1.z, c15_1);
        c15_1 = fma(a15.w, b1.w, c15_1);
        c15_2 = fma(a15.x, b2.x, c15_2);
        c15_2 = fma(a15.y, b2.y, c15_2);
        c15_2 = fma(a15.z, b2.z, c15_2);
        c15_2 = fma(a15.w, b2.w, c15_2);
        c15_3 = fma(a15.x, b3.x, c15_3);
        c15_3 = fma(a15.y, b3.y, c15_3);
        c15_3 = fma(a15.z, b3.z, c15_3);
        c15_3 = fma(a15.w, b3.w, c15_3);
        c15_4 = fma(a15.x, b4.x, c15_4);
        c15_4 = fma(a15.y, b4.y, c15_4);
        c15_4 = fma(a15.z, b4.z, c15_4);
        c15_4 = fma(a15.w, b4.w, c15_4);
        c15_5 = fma(a15.x, b5.x, c15_5);
        c15_5 = fma(a15.y, b5.y, c15_5);
        c15_5 = fma(a15.z, b5.z, c15_5);
        c15_5 = fma(a15.w, b5.w, c15_5);
        c15_6 = fma(a15.x, b6.x, c15_6);
        c15_6 = fma(a15.y, b6.y, c15_6);
        c15_6 = fma(a15.z, b6.z, c15_6);
        c15_6 = fma(a15.w, b6.w, c15_6);
        c15_7 = fma(a15.x, b7.x, c15_7);
        c15_7 = fma(a15.y, b7.y, c15_7);
        c15_7 = fma(a15.z, b7.z, c15_7);
        c15_7 = fma(a15.w, b7.w, c15_7);
      }
    }
  }
  if (m0 + 0u < 16u) {
    let o0 = m0 + 0u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o0 * 64u + hw0] = c0_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o0 * 64u + hw1] = c0_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o0 * 64u + hw2] = c0_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o0 * 64u + hw3] = c0_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o0 * 64u + hw4] = c0_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o0 * 64u + hw5] = c0_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o0 * 64u + hw6] = c0_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o0 * 64u + hw7] = c0_7; }
  }
  if (m0 + 1u < 16u) {
    let o1 = m0 + 1u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o1 * 64u + hw0] = c1_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o1 * 64u + hw1] = c1_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o1 * 64u + hw2] = c1_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o1 * 64u + hw3] = c1_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o1 * 64u + hw4] = c1_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o1 * 64u + hw5] = c1_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o1 * 64u + hw6] = c1_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o1 * 64u + hw7] = c1_7; }
  }
  if (m0 + 2u < 16u) {
    let o2 = m0 + 2u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o2 * 64u + hw0] = c2_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o2 * 64u + hw1] = c2_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o2 * 64u + hw2] = c2_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o2 * 64u + hw3] = c2_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o2 * 64u + hw4] = c2_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o2 * 64u + hw5] = c2_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o2 * 64u + hw6] = c2_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o2 * 64u + hw7] = c2_7; }
  }
  if (m0 + 3u < 16u) {
    let o3 = m0 + 3u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o3 * 64u + hw0] = c3_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o3 * 64u + hw1] = c3_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o3 * 64u + hw2] = c3_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o3 * 64u + hw3] = c3_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o3 * 64u + hw4] = c3_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o3 * 64u + hw5] = c3_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o3 * 64u + hw6] = c3_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o3 * 64u + hw7] = c3_7; }
  }
  if (m0 + 4u < 16u) {
    let o4 = m0 + 4u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o4 * 64u + hw0] = c4_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o4 * 64u + hw1] = c4_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o4 * 64u + hw2] = c4_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o4 * 64u + hw3] = c4_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o4 * 64u + hw4] = c4_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o4 * 64u + hw5] = c4_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o4 * 64u + hw6] = c4_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o4 * 64u + hw7] = c4_7; }
  }
  if (m0 + 5u < 16u) {
    let o5 = m0 + 5u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o5 * 64u + hw0] = c5_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o5 * 64u + hw1] = c5_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o5 * 64u + hw2] = c5_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o5 * 64u + hw3] = c5_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o5 * 64u + hw4] = c5_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o5 * 64u + hw5] = c5_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o5 * 64u + hw6] = c5_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o5 * 64u + hw7] = c5_7; }
  }
  if (m0 + 6u < 16u) {
    let o6 = m0 + 6u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o6 * 64u + hw0] = c6_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o6 * 64u + hw1] = c6_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o6 * 64u + hw2] = c6_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o6 * 64u + hw3] = c6_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o6 * 64u + hw4] = c6_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o6 * 64u + hw5] = c6_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o6 * 64u + hw6] = c6_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o6 * 64u + hw7] = c6_7; }
  }
  if (m0 + 7u < 16u) {
    let o7 = m0 + 7u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o7 * 64u + hw0] = c7_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o7 * 64u + hw1] = c7_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o7 * 64u + hw2] = c7_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o7 * 64u + hw3] = c7_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o7 * 64u + hw4] = c7_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o7 * 64u + hw5] = c7_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o7 * 64u + hw6] = c7_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o7 * 64u + hw7] = c7_7; }
  }
  if (m0 + 8u < 16u) {
    let o8 = m0 + 8u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o8 * 64u + hw0] = c8_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o8 * 64u + hw1] = c8_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o8 * 64u + hw2] = c8_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o8 * 64u + hw3] = c8_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o8 * 64u + hw4] = c8_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o8 * 64u + hw5] = c8_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o8 * 64u + hw6] = c8_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o8 * 64u + hw7] = c8_7; }
  }
  if (m0 + 9u < 16u) {
    let o9 = m0 + 9u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o9 * 64u + hw0] = c9_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o9 * 64u + hw1] = c9_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o9 * 64u + hw2] = c9_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o9 * 64u + hw3] = c9_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o9 * 64u + hw4] = c9_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o9 * 64u + hw5] = c9_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o9 * 64u + hw6] = c9_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o9 * 64u + hw7] = c9_7; }
  }
  if (m0 + 10u < 16u) {
    let o10 = m0 + 10u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o10 * 64u + hw0] = c10_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o10 * 64u + hw1] = c10_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o10 * 64u + hw2] = c10_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o10 * 64u + hw3] = c10_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o10 * 64u + hw4] = c10_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o10 * 64u + hw5] = c10_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o10 * 64u + hw6] = c10_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o10 * 64u + hw7] = c10_7; }
  }
  if (m0 + 11u < 16u) {
    let o11 = m0 + 11u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o11 * 64u + hw0] = c11_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o11 * 64u + hw1] = c11_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o11 * 64u + hw2] = c11_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o11 * 64u + hw3] = c11_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o11 * 64u + hw4] = c11_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o11 * 64u + hw5] = c11_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o11 * 64u + hw6] = c11_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o11 * 64u + hw7] = c11_7; }
  }
  if (m0 + 12u < 16u) {
    let o12 = m0 + 12u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o12 * 64u + hw0] = c12_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o12 * 64u + hw1] = c12_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o12 * 64u + hw2] = c12_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o12 * 64u + hw3] = c12_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o12 * 64u + hw4] = c12_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o12 * 64u + hw5] = c12_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o12 * 64u + hw6] = c12_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o12 * 64u + hw7] = c12_7; }
  }
  if (m0 + 13u < 16u) {
    let o13 = m0 + 13u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o13 * 64u + hw0] = c13_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o13 * 64u + hw1] = c13_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o13 * 64u + hw2] = c13_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o13 * 64u + hw3] = c13_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o13 * 64u + hw4] = c13_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o13 * 64u + hw5] = c13_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o13 * 64u + hw6] = c13_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o13 * 64u + hw7] = c13_7; }
  }
  if (m0 + 14u < 16u) {
    let o14 = m0 + 14u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o14 * 64u + hw0] = c14_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o14 * 64u + hw1] = c14_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o14 * 64u + hw2] = c14_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o14 * 64u + hw3] = c14_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o14 * 64u + hw4] = c14_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o14 * 64u + hw5] = c14_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o14 * 64u + hw6] = c14_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o14 * 64u + hw7] = c14_7; }
  }
  if (m0 + 15u < 16u) {
    let o15 = m0 + 15u;
    if (p0 < np) { dx[(pc0 / 64u) * 1024u + o15 * 64u + hw0] = c15_0; }
    if (p1 < np) { dx[(pc1 / 64u) * 1024u + o15 * 64u + hw1] = c15_1; }
    if (p2 < np) { dx[(pc2 / 64u) * 1024u + o15 * 64u + hw2] = c15_2; }
    if (p3 < np) { dx[(pc3 / 64u) * 1024u + o15 * 64u + hw3] = c15_3; }
    if (p4 < np) { dx[(pc4 / 64u) * 1024u + o15 * 64u + hw4] = c15_4; }
    if (p5 < np) { dx[(pc5 / 64u) * 1024u + o15 * 64u + hw5] = c15_5; }
    if (p6 < np) { dx[(pc6 / 64u) * 1024u + o15 * 64u + hw6] = c15_6; }
    if (p7 < np) { dx[(pc7 / 64u) * 1024u + o15 * 64u + hw7] = c15_7; }
  }
}


// ---- conv2d_grad_weight_partial:basic2.conv2
enable subgroups;
// conv2d grad weight: x 16×8×8, w 16×16×3×3, y 16×8×8, stride 1,1, pad 1,1, dilation 1,1, groups 1: GEMM from textures, 16 output channels × 8 column texels per subgroup, 4 slices of the rows
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var xt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(1) var gt: texture_storage_2d<rgba32float, read>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const PART = 2304u;
const DW_LEN = 2304u;
@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(subgroup_invocation_id) sl: u32) {
  let wg = wid.x + wid.y * nwg.x;
  if (wg >= 20u) { return; }
  let col = (wg % 5u) * 8u + sl;
  let rest = wg / 5u;
  let m0 = (rest % 1u) * 16u;
  let slice = rest / 1u;
  let cc = min(col, 35u);
  let c4 = cc % 4u;
  let tap = cc / 4u;
  let dh = i32((tap / 3u) * 1u) - 1i;
  let dw0 = i32((tap % 3u) * 1u) - 1i;
  let gm0 = min(m0 / 4u + min(sl + 0u, 3u), 3u);
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var a4 = vec4<f32>(0.0);
  var a5 = vec4<f32>(0.0);
  var a6 = vec4<f32>(0.0);
  var a7 = vec4<f32>(0.0);
  var a8 = vec4<f32>(0.0);
  var a9 = vec4<f32>(0.0);
  var a10 = vec4<f32>(0.0);
  var a11 = vec4<f32>(0.0);
  var a12 = vec4<f32>(0.0);
  var a13 = vec4<f32>(0.0);
  var a14 = vec4<f32>(0.0);
  var a15 = vec4<f32>(0.0);
  let rows = params.batch * 8u;
  let per = (rows + 3u) / 4u;
  let r0 = min(rows, slice * per);
  let r1 = min(rows, r0 + per);
  for (var r = r0; r < r1; r++) {
    let n = r / 8u;
    let oh = r % 8u;
    let ih = i32(oh * 1u) + dh;
    let rok = ih >= 0i && ih < 8i;
    let xrow = (n * 8u + u32(clamp(ih, 0i, 7i))) * 8u;
    let grow = r * 8u;
    for (var ow = 0u; ow < (8u + params.zero); ow += 4u) {
      let iw0 = i32((ow + 0u) * 1u) + dw0;
      let xv0 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>(((xrow + u32(clamp(iw0, 0i, 7i))) * 4u + c4) & 2047u, ((xrow + u32(clamp(iw0, 0i, 7i))) * 4u + c4) >> 11u)), rok && iw0 >= 0i && iw0 < 8i);
      let gv0_0 = textureLoad(gt, vec2<u32>(((grow + ow + 0u) * 4u + gm0) & 2047u, ((grow + ow + 0u) * 4u + gm0) >> 11u));
      let iw1 = i32((ow + 1u) * 1u) + dw0;
      let xv1 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>(((xrow + u32(clamp(iw1, 0i, 7i))) * 4u + c4) & 2047u, ((xrow + u32(clamp(iw1, 0i, 7i))) * 4u + c4) >> 11u)), rok && iw1 >= 0i && iw1 < 8i);
      let gv0_1 = textureLoad(gt, vec2<u32>(((grow + ow + 1u) * 4u + gm0) & 2047u, ((grow + ow + 1u) * 4u + gm0) >> 11u));
      let iw2 = i32((ow + 2u) * 1u) + dw0;
      let xv2 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>(((xrow + u32(clamp(iw2, 0i, 7i))) * 4u + c4) & 2047u, ((xrow + u32(clamp(iw2, 0i, 7i))) * 4u + c4) >> 11u)), rok && iw2 >= 0i && iw2 < 8i);
      let gv0_2 = textureLoad(gt, vec2<u32>(((grow + ow + 2u) * 4u + gm0) & 2047u, ((grow + ow + 2u) * 4u + gm0) >> 11u));
      let iw3 = i32((ow + 3u) * 1u) + dw0;
      let xv3 = select(vec4<f32>(0.0), textureLoad(xt, vec2<u32>(((xrow + u32(clamp(iw3, 0i, 7i))) * 4u + c4) & 2047u, ((xrow + u32(clamp(iw3, 0i, 7i))) * 4u + c4) >> 11u)), rok && iw3 >= 0i && iw3 < 8i);
      let gv0_3 = textureLoad(gt, vec2<u32>(((grow + ow + 3u) * 4u + gm0) & 2047u, ((grow + ow + 3u) * 4u + gm0) >> 11u));
      let g0_0 = subgroupBroadcast(gv0_0, 0u);
      let g0_1 = subgroupBroadcast(gv0_1, 0u);
      let g0_2 = subgroupBroadcast(gv0_2, 0u);
      let g0_3 = subgroupBroadcast(gv0_3, 0u);
      a0 = fma(vec4<f32>(g0_0.x), xv0, a0);
      a0 = fma(vec4<f32>(g0_1.x), xv1, a0);
      a0 = fma(vec4<f32>(g0_2.x), xv2, a0);
      a0 = fma(vec4<f32>(g0_3.x), xv3, a0);
      a1 = fma(vec4<f32>(g0_0.y), xv0, a1);
      a1 = fma(vec4<f32>(g0_1.y), xv1, a1);
      a1 = fma(vec4<f32>(g0_2.y), xv2, a1);
      a1 = fma(vec4<f32>(g0_3.y), xv3, a1);
      a2 = fma(vec4<f32>(g0_0.z), xv0, a2);
      a2 = fma(vec4<f32>(g0_1.z), xv1, a2);
      a2 = fma(vec4<f32>(g0_2.z), xv2, a2);
      a2 = fma(vec4<f32>(g0_3.z), xv3, a2);
      a3 = fma(vec4<f32>(g0_0.w), xv0, a3);
      a3 = fma(vec4<f32>(g0_1.w), xv1, a3);
      a3 = fma(vec4<f32>(g0_2.w), xv2, a3);
      a3 = fma(vec4<f32>(g0_3.w), xv3, a3);
      let g1_0 = subgroupBroadcast(gv0_0, 1u);
      let g1_1 = subgroupBroadcast(gv0_1, 1u);
      let g1_2 = subgroupBroadcast(gv0_2, 1u);
      let g1_3 = subgroupBroadcast(gv0_3, 1u);
      a4 = fma(vec4<f32>(g1_0.x), xv0, a4);
      a4 = fma(vec4<f32>(g1_1.x), xv1, a4);
      a4 = fma(vec4<f32>(g1_2.x), xv2, a4);
      a4 = fma(vec4<f32>(g1_3.x), xv3, a4);
      a5 = fma(vec4<f32>(g1_0.y), xv0, a5);
      a5 = fma(vec4<f32>(g1_1.y), xv1, a5);
      a5 = fma(vec4<f32>(g1_2.y), xv2, a5);
      a5 = fma(vec4<f32>(g1_3.y), xv3, a5);
      a6 = fma(vec4<f32>(g1_0.z), xv0, a6);
      a6 = fma(vec4<f32>(g1_1.z), xv1, a6);
      a6 = fma(vec4<f32>(g1_2.z), xv2, a6);
      a6 = fma(vec4<f32>(g1_3.z), xv3, a6);
      a7 = fma(vec4<f32>(g1_0.w), xv0, a7);
      a7 = fma(vec4<f32>(g1_1.w), xv1, a7);
      a7 = fma(vec4<f32>(g1_2.w), xv2, a7);
      a7 = fma(vec4<f32>(g1_3.w), xv3, a7);
      let g2_0 = subgroupBroadcast(gv0_0, 2u);
      let g2_1 = subgroupBroadcast(gv0_1, 2u);
      let g2_2 = subgroupBroadcast(gv0_2, 2u);
      let g2_3 = subgroupBroadcast(gv0_3, 2u);
      a8 = fma(vec4<f32>(g2_0.x), xv0, a8);
      a8 = fma(vec4<f32>(g2_1.x), xv1, a8);
      a8 = fma(vec4<f32>(g2_2.x), xv2, a8);
      a8 = fma(vec4<f32>(g2_3.x), xv3, a8);
      a9 = fma(vec4<f32>(g2_0.y), xv0, a9);
      a9 = fma(vec4<f32>(g2_1.y), xv1, a9);
      a9 = fma(vec4<f32>(g2_2.y), xv2, a9);
      a9 = fma(vec4<f32>(g2_3.y), xv3, a9);
      a10 = fma(vec4<f32>(g2_0.z), xv0, a10);
      a10 = fma(vec4<f32>(g2_1.z), xv1, a10);
      a10 = fma(vec4<f32>(g2_2.z), xv2, a10);
      a10 = fma(vec4<f32>(g2_3.z), xv3, a10);
      a11 = fma(vec4<f32>(g2_0.w), xv0, a11);
      a11 = fma(vec4<f32>(g2_1.w), xv1, a11);
      a11 = fma(vec4<f32>(g2_2.w), xv2, a11);
      a11 = fma(vec4<f32>(g2_3.w), xv3, a11);
      let g3_0 = subgroupBroadcast(gv0_0, 3u);
      let g3_1 = subgroupBroadcast(gv0_1, 3u);
      let g3_2 = subgroupBroadcast(gv0_2, 3u);
      let g3_3 = subgroupBroadcast(gv0_3, 3u);
      a12 = fma(vec4<f32>(g3_0.x), xv0, a12);
      a12 = fma(vec4<f32>(g3_1.x), xv1, a12);
      a12 = fma(vec4<f32>(g3_2.x), xv2, a12);
      a12 = fma(vec4<f32>(g3_3.x), xv3, a12);
      a13 = fma(vec4<f32>(g3_0.y), xv0, a13);
      a13 = fma(vec4<f32>(g3_1.y), xv1, a13);
      a13 = fma(vec4<f32>(g3_2.y), xv2, a13);
      a13 = fma(vec4<f32>(g3_3.y), xv3, a13);
      a14 = fma(vec4<f32>(g3_0.z), xv0, a14);
      a14 = fma(vec4<f32>(g3_1.z), xv1, a14);
      a14 = fma(vec4<f32>(g3_2.z), xv2, a14);
      a14 = fma(vec4<f32>(g3_3.z), xv3, a14);
      a15 = fma(vec4<f32>(g3_0.w), xv0, a15);
      a15 = fma(vec4<f32>(g3_1.w), xv1, a15);
      a15 = fma(vec4<f32>(g3_2.w), xv2, a15);
      a15 = fma(vec4<f32>(g3_3.w), xv3, a15);
    }
  }
  if (col < 36u) {
    if (m0 + 0u < 16u) {
      part[slice * PART + (m0 + 0u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a0.x;
      part[slice * PART + (m0 + 0u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a0.y;
      part[slice * PART + (m0 + 0u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a0.z;
      part[slice * PART + (m0 + 0u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a0.w;
    }
    if (m0 + 1u < 16u) {
      part[slice * PART + (m0 + 1u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a1.x;
      part[slice * PART + (m0 + 1u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a1.y;
      part[slice * PART + (m0 + 1u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a1.z;
      part[slice * PART + (m0 + 1u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a1.w;
    }
    if (m0 + 2u < 16u) {
      part[slice * PART + (m0 + 2u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a2.x;
      part[slice * PART + (m0 + 2u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a2.y;
      part[slice * PART + (m0 + 2u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a2.z;
      part[slice * PART + (m0 + 2u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a2.w;
    }
    if (m0 + 3u < 16u) {
      part[slice * PART + (m0 + 3u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a3.x;
      part[slice * PART + (m0 + 3u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a3.y;
      part[slice * PART + (m0 + 3u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a3.z;
      part[slice * PART + (m0 + 3u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a3.w;
    }
    if (m0 + 4u < 16u) {
      part[slice * PART + (m0 + 4u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a4.x;
      part[slice * PART + (m0 + 4u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a4.y;
      part[slice * PART + (m0 + 4u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a4.z;
      part[slice * PART + (m0 + 4u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a4.w;
    }
    if (m0 + 5u < 16u) {
      part[slice * PART + (m0 + 5u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a5.x;
      part[slice * PART + (m0 + 5u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a5.y;
      part[slice * PART + (m0 + 5u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a5.z;
      part[slice * PART + (m0 + 5u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a5.w;
    }
    if (m0 + 6u < 16u) {
      part[slice * PART + (m0 + 6u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a6.x;
      part[slice * PART + (m0 + 6u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a6.y;
      part[slice * PART + (m0 + 6u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a6.z;
      part[slice * PART + (m0 + 6u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a6.w;
    }
    if (m0 + 7u < 16u) {
      part[slice * PART + (m0 + 7u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a7.x;
      part[slice * PART + (m0 + 7u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a7.y;
      part[slice * PART + (m0 + 7u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a7.z;
      part[slice * PART + (m0 + 7u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a7.w;
    }
    if (m0 + 8u < 16u) {
      part[slice * PART + (m0 + 8u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a8.x;
      part[slice * PART + (m0 + 8u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a8.y;
      part[slice * PART + (m0 + 8u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a8.z;
      part[slice * PART + (m0 + 8u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a8.w;
    }
    if (m0 + 9u < 16u) {
      part[slice * PART + (m0 + 9u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a9.x;
      part[slice * PART + (m0 + 9u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a9.y;
      part[slice * PART + (m0 + 9u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a9.z;
      part[slice * PART + (m0 + 9u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a9.w;
    }
    if (m0 + 10u < 16u) {
      part[slice * PART + (m0 + 10u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a10.x;
      part[slice * PART + (m0 + 10u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a10.y;
      part[slice * PART + (m0 + 10u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a10.z;
      part[slice * PART + (m0 + 10u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a10.w;
    }
    if (m0 + 11u < 16u) {
      part[slice * PART + (m0 + 11u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a11.x;
      part[slice * PART + (m0 + 11u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a11.y;
      part[slice * PART + (m0 + 11u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a11.z;
      part[slice * PART + (m0 + 11u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a11.w;
    }
    if (m0 + 12u < 16u) {
      part[slice * PART + (m0 + 12u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a12.x;
      part[slice * PART + (m0 + 12u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a12.y;
      part[slice * PART + (m0 + 12u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a12.z;
      part[slice * PART + (m0 + 12u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a12.w;
    }
    if (m0 + 13u < 16u) {
      part[slice * PART + (m0 + 13u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a13.x;
      part[slice * PART + (m0 + 13u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a13.y;
      part[slice * PART + (m0 + 13u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a13.z;
      part[slice * PART + (m0 + 13u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a13.w;
    }
    if (m0 + 14u < 16u) {
      part[slice * PART + (m0 + 14u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a14.x;
      part[slice * PART + (m0 + 14u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a14.y;
      part[slice * PART + (m0 + 14u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a14.z;
      part[slice * PART + (m0 + 14u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a14.w;
    }
    if (m0 + 15u < 16u) {
      part[slice * PART + (m0 + 15u) * 144u + (c4 * 4u + 0u) * 9u + tap] = a15.x;
      part[slice * PART + (m0 + 15u) * 144u + (c4 * 4u + 1u) * 9u + tap] = a15.y;
      part[slice * PART + (m0 + 15u) * 144u + (c4 * 4u + 2u) * 9u + tap] = a15.z;
      part[slice * PART + (m0 + 15u) * 144u + (c4 * 4u + 3u) * 9u + tap] = a15.w;
    }
  }
}


// ---- conv2d_grad_weight_sum:basic2.conv2
// the sum of 4 slices of partial sums, into one tensor
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const SPLITS = 4u;
const STRIDE = 2304u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 2304u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
}


// ---- unary_grad_relu:basic2.relu1
// unary_grad_relu: 16×8×8 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> yf: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 256u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let d = dy[e];
      let y = yf[e];
      result[e] = select(T(0.0), d, y > T(0.0));
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let d = dy[e];
      let y = yf[e];
      result[e] = select(T(0.0), d, y > T(0.0));
    }
  }
}


// ---- batchnorm_grad:basic2.bn1
// batchnorm_grad: 16 channels × 64 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 16u;
const UNITS = 16u;
const WG = 64u;
const RUN = 8u;

var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 64u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
  var db = 0.0;
  var dgc = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { db += partA[k]; dgc += partB[k]; }
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}


// ---- conv2d_grad_input:basic2.conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d grad input (stride 2×2 as 4 stride phases): x 8×16×16, w 16×8×3×3, y 16×8×8, stride 2,2, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const DX_HW = 256u;
const DX_W = 16u;

/** Workgroups per phase (every phase gets as many as the largest needs). */
fn PER_PHASE() -> u32 { return ((params.batch * 16u + 63u) / 64u) * 1u; }

/** Index into dx of element i of a phase's output (sample·channel, row a, column b of the phase). */
fn phaseAt(i: u32, nh: u32, nw: u32, h0: u32, w0: u32) -> u32 {
  let b = i % nw;
  let a = (i / nw) % nh;
  return (i / (nh * nw)) * DX_HW + (h0 + a * 2u) * DX_W + w0 + b * 2u;
}

fn phase0(wg: u32, lid: u32, sl: u32) {
  const IN_W = 8u;
  const IN_HW = 64u;
  const IN_CHW = 1024u;
  const IN_H_I = 8i;
  const IN_W_I = 8i;
  const OUT_C = 8u;
  const OUT_H = 8u;
  const OUT_W = 8u;
  const OUT_HW = 64u;
  const CG_IN = 16u;
  const CG_OUT = 8u;
  const GROUPS = 1u;
  const KH = 2u;
  const KW = 2u;
  const SH = 1u;
  const SW = 1u;
  const DH = 1u;
  const PT = 0i;
  const PL = 0i;
  const WG = 64u;
  const TM = 8u;
  const TN = 4u;
  const SEGS = 2u;
  const TILES_M = 1u;
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
  let q0 = min(sl + 0u, 15u);
  let wl0 = (g * 128u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (0u + (1u - (q0 % KW)) * 2u);
  let q1 = min(sl + 8u, 15u);
  let wl1 = (g * 128u + min(m0 + q1 / KW, CG_OUT - 1u)) * 9u + (0u + (1u - (q1 % KW)) * 2u);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = (0u + (1u - kh) * 2u) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let x4 = select(0.0, dy[rb + ic4], m4);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      rb += IN_HW;
      wo += 72u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb0 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc0_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb0 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc0_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb0 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc0_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb0 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc0_0[3]; } }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb1 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc1_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb1 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc1_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb1 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc1_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb1 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc1_0[3]; } }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb2 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc2_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb2 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc2_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb2 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc2_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb2 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc2_0[3]; } }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb3 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc3_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb3 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc3_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb3 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc3_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb3 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc3_0[3]; } }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb4 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc4_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb4 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc4_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb4 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc4_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb4 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc4_0[3]; } }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb5 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc5_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb5 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc5_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb5 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc5_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb5 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc5_0[3]; } }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb6 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc6_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb6 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc6_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb6 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc6_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb6 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc6_0[3]; } }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb7 + 0u, 8u, 8u, 1u, 1u); dx[at] = acc7_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb7 + 1u, 8u, 8u, 1u, 1u); dx[at] = acc7_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb7 + 2u, 8u, 8u, 1u, 1u); dx[at] = acc7_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb7 + 3u, 8u, 8u, 1u, 1u); dx[at] = acc7_0[3]; } }
  }
}

fn phase1(wg: u32, lid: u32, sl: u32) {
  const IN_W = 8u;
  const IN_HW = 64u;
  const IN_CHW = 1024u;
  const IN_H_I = 8i;
  const IN_W_I = 8i;
  const OUT_C = 8u;
  const OUT_H = 8u;
  const OUT_W = 8u;
  const OUT_HW = 64u;
  const CG_IN = 16u;
  const CG_OUT = 8u;
  const GROUPS = 1u;
  const KH = 2u;
  const KW = 1u;
  const SH = 1u;
  const SW = 1u;
  const DH = 1u;
  const PT = 0i;
  const PL = 0i;
  const WG = 64u;
  const TM = 8u;
  const TN = 4u;
  const SEGS = 2u;
  const TILES_M = 1u;
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
  let q0 = min(sl + 0u, 7u);
  let wl0 = (g * 128u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (1u + (0u - (q0 % KW)) * 2u);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = (0u + (1u - kh) * 2u) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let ws0 = w[wl0 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      rb += IN_HW;
      wo += 72u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb0 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc0_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb0 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc0_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb0 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc0_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb0 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc0_0[3]; } }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb1 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc1_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb1 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc1_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb1 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc1_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb1 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc1_0[3]; } }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb2 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc2_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb2 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc2_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb2 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc2_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb2 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc2_0[3]; } }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb3 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc3_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb3 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc3_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb3 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc3_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb3 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc3_0[3]; } }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb4 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc4_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb4 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc4_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb4 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc4_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb4 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc4_0[3]; } }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb5 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc5_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb5 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc5_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb5 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc5_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb5 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc5_0[3]; } }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb6 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc6_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb6 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc6_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb6 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc6_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb6 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc6_0[3]; } }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb7 + 0u, 8u, 8u, 1u, 0u); dx[at] = acc7_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb7 + 1u, 8u, 8u, 1u, 0u); dx[at] = acc7_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb7 + 2u, 8u, 8u, 1u, 0u); dx[at] = acc7_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb7 + 3u, 8u, 8u, 1u, 0u); dx[at] = acc7_0[3]; } }
  }
}

fn phase2(wg: u32, lid: u32, sl: u32) {
  const IN_W = 8u;
  const IN_HW = 64u;
  const IN_CHW = 1024u;
  const IN_H_I = 8i;
  const IN_W_I = 8i;
  const OUT_C = 8u;
  const OUT_H = 8u;
  const OUT_W = 8u;
  const OUT_HW = 64u;
  const CG_IN = 16u;
  const CG_OUT = 8u;
  const GROUPS = 1u;
  const KH = 1u;
  const KW = 2u;
  const SH = 1u;
  const SW = 1u;
  const DH = 1u;
  const PT = 0i;
  const PL = 0i;
  const WG = 64u;
  const TM = 8u;
  const TN = 4u;
  const SEGS = 2u;
  const TILES_M = 1u;
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
  let q0 = min(sl + 0u, 15u);
  let wl0 = (g * 128u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (0u + (1u - (q0 % KW)) * 2u);
  let q1 = min(sl + 8u, 15u);
  let wl1 = (g * 128u + min(m0 + q1 / KW, CG_OUT - 1u)) * 9u + (0u + (1u - (q1 % KW)) * 2u);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  for (var kh = 0u; kh < (KH + params.zero); kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    let m4 = rok && cok4;
    var wo = (1u + (0u - kh) * 2u) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let x4 = select(0.0, dy[rb + ic4], m4);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      rb += IN_HW;
      wo += 72u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb0 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc0_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb0 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc0_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb0 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc0_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb0 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc0_0[3]; } }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb1 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc1_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb1 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc1_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb1 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc1_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb1 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc1_0[3]; } }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb2 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc2_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb2 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc2_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb2 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc2_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb2 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc2_0[3]; } }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb3 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc3_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb3 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc3_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb3 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc3_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb3 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc3_0[3]; } }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb4 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc4_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb4 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc4_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb4 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc4_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb4 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc4_0[3]; } }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb5 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc5_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb5 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc5_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb5 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc5_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb5 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc5_0[3]; } }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb6 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc6_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb6 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc6_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb6 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc6_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb6 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc6_0[3]; } }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb7 + 0u, 8u, 8u, 0u, 1u); dx[at] = acc7_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb7 + 1u, 8u, 8u, 0u, 1u); dx[at] = acc7_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb7 + 2u, 8u, 8u, 0u, 1u); dx[at] = acc7_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb7 + 3u, 8u, 8u, 0u, 1u); dx[at] = acc7_0[3]; } }
  }
}

fn phase3(wg: u32, lid: u32, sl: u32) {
  const IN_W = 8u;
  const IN_HW = 64u;
  const IN_CHW = 1024u;
  const IN_H_I = 8i;
  const IN_W_I = 8i;
  const OUT_C = 8u;
  const OUT_H = 8u;
  const OUT_W = 8u;
  const OUT_HW = 64u;
  const CG_IN = 16u;
  const CG_OUT = 8u;
  const GROUPS = 1u;
  const KH = 1u;
  const KW = 1u;
  const SH = 1u;
  const SW = 1u;
  const DH = 1u;
  const PT = 0i;
  const PL = 0i;
  const WG = 64u;
  const TM = 8u;
  const TN = 4u;
  const SEGS = 2u;
  const TILES_M = 1u;
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
  let q0 = min(sl + 0u, 7u);
  let wl0 = (g * 128u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (1u + (0u - (q0 % KW)) * 2u);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
  for (var kh = 0u; kh < (KH + params.zero); kh++) {
    let ih = i32(oh * SH + kh * DH) - PT;
    var rb = xb + u32(clamp(ih, 0i, IN_H_I - 1i)) * IN_W;
    let rok = ih >= 0i && ih < IN_H_I;
    let m0 = rok && cok0;
    let m1 = rok && cok1;
    let m2 = rok && cok2;
    let m3 = rok && cok3;
    var wo = (1u + (0u - kh) * 2u) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let ws0 = w[wl0 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      rb += IN_HW;
      wo += 72u;
    }
  }
  if (!ok) { return; }
  let ob = nb * OUT_C * OUT_HW + oh * OUT_W + ow0;
  if (m0 + 0u < CG_OUT) {
    let o0 = g * CG_OUT + m0 + 0u;
    let yb0 = ob + o0 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb0 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb0 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb0 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb0 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc0_0[3]; } }
  }
  if (m0 + 1u < CG_OUT) {
    let o1 = g * CG_OUT + m0 + 1u;
    let yb1 = ob + o1 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb1 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb1 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb1 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb1 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc1_0[3]; } }
  }
  if (m0 + 2u < CG_OUT) {
    let o2 = g * CG_OUT + m0 + 2u;
    let yb2 = ob + o2 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb2 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb2 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb2 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb2 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc2_0[3]; } }
  }
  if (m0 + 3u < CG_OUT) {
    let o3 = g * CG_OUT + m0 + 3u;
    let yb3 = ob + o3 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb3 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb3 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb3 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb3 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc3_0[3]; } }
  }
  if (m0 + 4u < CG_OUT) {
    let o4 = g * CG_OUT + m0 + 4u;
    let yb4 = ob + o4 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb4 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb4 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb4 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb4 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc4_0[3]; } }
  }
  if (m0 + 5u < CG_OUT) {
    let o5 = g * CG_OUT + m0 + 5u;
    let yb5 = ob + o5 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb5 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb5 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb5 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb5 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc5_0[3]; } }
  }
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb6 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb6 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb6 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb6 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc6_0[3]; } }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { { let at = phaseAt(yb7 + 0u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[0]; } }
    if (ow0 + 1u < OUT_W) { { let at = phaseAt(yb7 + 1u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[1]; } }
    if (ow0 + 2u < OUT_W) { { let at = phaseAt(yb7 + 2u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[2]; } }
    if (ow0 + 3u < OUT_W) { { let at = phaseAt(yb7 + 3u, 8u, 8u, 0u, 0u); dx[at] = acc7_0[3]; } }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let flat = wid.x + wid.y * nwg.x;
  let phase = flat / PER_PHASE();
  let local = flat % PER_PHASE();
  if (phase == 0u) { phase0(local, lid, sl); return; }
  if (phase == 1u) { phase1(local, lid, sl); return; }
  if (phase == 2u) { phase2(local, lid, sl); return; }
  if (phase == 3u) { phase3(local, lid, sl); return; }
}


// ---- conv2d_grad_weight_partial:basic2.conv1
enable subgroups;
// conv2d grad weight, 6 slices of the batch: x 8×16×16, w 16×8×3×3, y 16×8×8, stride 2,2, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const C = 8u;
const H = 16u;
const W = 16u;
const HW = 256u;
const CHW = 2048u;
const O = 16u;
const OH = 8u;
const OW = 8u;
const OHW = 64u;
const OHWO = 1024u;
const KH = 3u;
const KW = 3u;
const KHKW = 9u;
const CG = 8u;
const OG = 16u;
const GROUPS = 1u;
const SH = 2u;
const SW = 2u;
const DH = 1u;
const DW = 1u;
const H_I = 16i;
const W_I = 16i;
const OH_I = 8i;
const OW_I = 8i;
const PT = 1i;
const PL = 1i;
const SH_I = 2i;
const SW_I = 2i;
const DH_I = 1i;
const DW_I = 1i;
const TM = 16u;
const LANES = 8u;
const NQ = 72u;
const TILES_M = 1u;
const TILES_N = 3u;
const SPLITS = 6u;
const DW_LEN = 1152u;
const PART = 1152u;

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
  let yc1 = (g * OG + min(m0 + sl + 8u, OG - 1u)) * OHW;
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
    for (var ow = 1u; ow < (8u + params.zero); ow++) {
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
    for (var e = 0u; e < (1u + params.zero); e++) {
      let ow = select(e, e + 7u, e >= 1u);
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
      let ds0 = dy[yc0 + yr + ow];
      let ds1 = dy[yc1 + yr + ow];
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
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row7 + qv3] = acc7_0[3]; }
  }
  if (m0 + 8u < OG) {
    let row8 = (g * OG + m0 + 8u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row8 + qv0] = acc8_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row8 + qv1] = acc8_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row8 + qv2] = acc8_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row8 + qv3] = acc8_0[3]; }
  }
  if (m0 + 9u < OG) {
    let row9 = (g * OG + m0 + 9u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row9 + qv0] = acc9_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row9 + qv1] = acc9_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row9 + qv2] = acc9_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row9 + qv3] = acc9_0[3]; }
  }
  if (m0 + 10u < OG) {
    let row10 = (g * OG + m0 + 10u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row10 + qv0] = acc10_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row10 + qv1] = acc10_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row10 + qv2] = acc10_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row10 + qv3] = acc10_0[3]; }
  }
  if (m0 + 11u < OG) {
    let row11 = (g * OG + m0 + 11u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row11 + qv0] = acc11_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row11 + qv1] = acc11_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row11 + qv2] = acc11_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row11 + qv3] = acc11_0[3]; }
  }
  if (m0 + 12u < OG) {
    let row12 = (g * OG + m0 + 12u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row12 + qv0] = acc12_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row12 + qv1] = acc12_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row12 + qv2] = acc12_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row12 + qv3] = acc12_0[3]; }
  }
  if (m0 + 13u < OG) {
    let row13 = (g * OG + m0 + 13u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row13 + qv0] = acc13_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row13 + qv1] = acc13_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row13 + qv2] = acc13_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row13 + qv3] = acc13_0[3]; }
  }
  if (m0 + 14u < OG) {
    let row14 = (g * OG + m0 + 14u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row14 + qv0] = acc14_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row14 + qv1] = acc14_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row14 + qv2] = acc14_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row14 + qv3] = acc14_0[3]; }
  }
  if (m0 + 15u < OG) {
    let row15 = (g * OG + m0 + 15u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row15 + qv0] = acc15_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row15 + qv1] = acc15_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row15 + qv2] = acc15_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row15 + qv3] = acc15_0[3]; }
  }
}


// ---- conv2d_grad_weight_sum:basic2.conv1
// the sum of 6 slices of partial sums, into one tensor
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const SPLITS = 6u;
const STRIDE = 1152u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 1152u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
}


// ---- add+relu_grad:basic1.relu2
// add: 8×16×16 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> in1: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> ep0: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 512u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      let e0 = ep0[e];
      var r = v0 + v1;
      { let d = r; let y = e0; r = select(T(0.0), d, y > T(0.0)); }
      result[e] = r;
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      let e0 = ep0[e];
      var r = v0 + v1;
      { let d = r; let y = e0; r = select(T(0.0), d, y > T(0.0)); }
      result[e] = r;
    }
  }
}


// ---- batchnorm_grad:basic1.bn2
// batchnorm_grad: 8 channels × 256 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 8u;
const UNITS = 64u;
const WG = 64u;
const RUN = 8u;

var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 256u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
  var db = 0.0;
  var dgc = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { db += partA[k]; dgc += partB[k]; }
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}


// ---- conv2d_grad_input:basic1.conv2
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d grad input (stride 1, as a forward conv): x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 8u;
const OUT_H = 16u;
const OUT_W = 16u;
const OUT_HW = 256u;
const CG_IN = 8u;
const CG_OUT = 8u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 8u;
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
  let q0 = min(sl + 0u, 23u);
  let wl0 = (g * 64u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (2u - (q0 % KW));
  let q1 = min(sl + 8u, 23u);
  let wl1 = (g * 64u + min(m0 + q1 / KW, CG_OUT - 1u)) * 9u + (2u - (q1 % KW));
  let q2 = min(sl + 16u, 23u);
  let wl2 = (g * 64u + min(m0 + q2 / KW, CG_OUT - 1u)) * 9u + (2u - (q2 % KW));
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = (2u - kh) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let x4 = select(0.0, dy[rb + ic4], m4);
      let x5 = select(0.0, dy[rb + ic5], m5);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      rb += IN_HW;
      wo += 72u;
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
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb7 + 3u] = acc7_0[3]; }
  }
}


// ---- conv2d_grad_weight_partial:basic1.conv2
enable subgroups;
// conv2d grad weight, 6 slices of the batch: x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const C = 8u;
const H = 16u;
const W = 16u;
const HW = 256u;
const CHW = 2048u;
const O = 8u;
const OH = 16u;
const OW = 16u;
const OHW = 256u;
const OHWO = 2048u;
const KH = 3u;
const KW = 3u;
const KHKW = 9u;
const CG = 8u;
const OG = 8u;
const GROUPS = 1u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const DW = 1u;
const H_I = 16i;
const W_I = 16i;
const OH_I = 16i;
const OW_I = 16i;
const PT = 1i;
const PL = 1i;
const SH_I = 1i;
const SW_I = 1i;
const DH_I = 1i;
const DW_I = 1i;
const TM = 8u;
const LANES = 8u;
const NQ = 72u;
const TILES_M = 1u;
const TILES_N = 3u;
const SPLITS = 6u;
const DW_LEN = 576u;
const PART = 576u;

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
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    for (var ow = 1u; ow < (15u + params.zero); ow++) {
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
    }
    for (var e = 0u; e < (2u + params.zero); e++) {
      let ow = select(e, e + 14u, e >= 1u);
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
      let ds0 = dy[yc0 + yr + ow];
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
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row7 + qv3] = acc7_0[3]; }
  }
}


// ---- conv2d_grad_weight_sum:basic1.conv2
// the sum of 6 slices of partial sums, into one tensor
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const SPLITS = 6u;
const STRIDE = 576u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 576u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
}


// ---- unary_grad_relu:basic1.relu1
// unary_grad_relu: 8×16×16 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> yf: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 512u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let d = dy[e];
      let y = yf[e];
      result[e] = select(T(0.0), d, y > T(0.0));
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let d = dy[e];
      let y = yf[e];
      result[e] = select(T(0.0), d, y > T(0.0));
    }
  }
}


// ---- batchnorm_grad:basic1.bn1
// batchnorm_grad: 8 channels × 256 positions × batch, one workgroup per channel, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
alias T = vec4<f32>;
const C = 8u;
const UNITS = 64u;
const WG = 64u;
const RUN = 8u;

var<workgroup> partA: array<f32, 64>;
var<workgroup> partB: array<f32, 64>;

/** Index of the e-th unit (sample e / UNITS, unit e % UNITS) of channel c. */
fn at(e: u32, c: u32) -> u32 {
  return ((e / UNITS) * C + c) * UNITS + e % UNITS;
}

fn hsum(v: T) -> f32 {
  return v.x + v.y + v.z + v.w;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let c = wg;
  if (c >= C) { return; }
  let m = params.batch * UNITS;
  let mf = f32(params.batch * 256u);
  // Each run of RUN neighbouring invocations sweeps its own contiguous part of the channel, RUN
  // neighbouring units at a time (variants.ts reductionRun: 8 on software adapters, WG on GPUs).
  let part = (m + WG - 1u) / WG * RUN;
  let e0 = (lid / RUN) * part + lid % RUN;
  let e1 = min(m, (lid / RUN + 1u) * part);
  let mu = mean[c];
  let inv = invstd[c];
  var sdy = T(0.0);
  var sdyx = T(0.0);
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    let g = dy[j];
    sdy += g;
    sdyx += g * (x[j] - mu);
  }
  partA[lid] = hsum(sdy);
  partB[lid] = hsum(sdyx);
  workgroupBarrier();
  var db = 0.0;
  var dgc = 0.0;
  for (var k = 0u; k < (WG + params.zero); k++) { db += partA[k]; dgc += partB[k]; }
  let dg = dgc * inv;
  // dx = k·(M·dy − dβ − x̂·dγ) as a·dy + b·x + c: two FMAs per value.
  let k = gamma[c] * inv / mf;
  let a = T(k * mf);
  let b = T(-k * inv * dg);
  let cc = T(k * (mu * inv * dg - db));
  for (var e = e0; e < e1; e += RUN) {
    let j = at(e, c);
    dx[j] = fma(a, dy[j], fma(b, x[j], cc));
  }
  if (lid == 0u) {
    dgamma[c] = dg;
    dbeta[c] = db;
  }
}


// ---- conv2d_grad_input:basic1.conv1
enable subgroups;
diagnostic(off, subgroup_uniformity);
// conv2d grad input (stride 1, as a forward conv): x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const IN_W = 16u;
const IN_HW = 256u;
const IN_CHW = 2048u;
const IN_H_I = 16i;
const IN_W_I = 16i;
const OUT_C = 8u;
const OUT_H = 16u;
const OUT_W = 16u;
const OUT_HW = 256u;
const CG_IN = 8u;
const CG_OUT = 8u;
const GROUPS = 1u;
const KH = 3u;
const KW = 3u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const PT = 1i;
const PL = 1i;
const WG = 64u;
const TM = 8u;
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
  let q0 = min(sl + 0u, 23u);
  let wl0 = (g * 64u + min(m0 + q0 / KW, CG_OUT - 1u)) * 9u + (2u - (q0 % KW));
  let q1 = min(sl + 8u, 23u);
  let wl1 = (g * 64u + min(m0 + q1 / KW, CG_OUT - 1u)) * 9u + (2u - (q1 % KW));
  let q2 = min(sl + 16u, 23u);
  let wl2 = (g * 64u + min(m0 + q2 / KW, CG_OUT - 1u)) * 9u + (2u - (q2 % KW));
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    var wo = (2u - kh) * 3u;
    for (var c = 0u; c < (CG_IN + params.zero); c++) {
      let x0 = select(0.0, dy[rb + ic0], m0);
      let x1 = select(0.0, dy[rb + ic1], m1);
      let x2 = select(0.0, dy[rb + ic2], m2);
      let x3 = select(0.0, dy[rb + ic3], m3);
      let x4 = select(0.0, dy[rb + ic4], m4);
      let x5 = select(0.0, dy[rb + ic5], m5);
      let ws0 = w[wl0 + wo];
      let ws1 = w[wl1 + wo];
      let ws2 = w[wl2 + wo];
      let wv0_0 = vec4<f32>(subgroupBroadcast(ws0, 0u));
      acc0_0 = fma(wv0_0, vec4<f32>(x0, x1, x2, x3), acc0_0);
      let wv1_0 = vec4<f32>(subgroupBroadcast(ws0, 3u));
      acc1_0 = fma(wv1_0, vec4<f32>(x0, x1, x2, x3), acc1_0);
      let wv2_0 = vec4<f32>(subgroupBroadcast(ws0, 6u));
      acc2_0 = fma(wv2_0, vec4<f32>(x0, x1, x2, x3), acc2_0);
      let wv3_0 = vec4<f32>(subgroupBroadcast(ws1, 1u));
      acc3_0 = fma(wv3_0, vec4<f32>(x0, x1, x2, x3), acc3_0);
      let wv4_0 = vec4<f32>(subgroupBroadcast(ws1, 4u));
      acc4_0 = fma(wv4_0, vec4<f32>(x0, x1, x2, x3), acc4_0);
      let wv5_0 = vec4<f32>(subgroupBroadcast(ws1, 7u));
      acc5_0 = fma(wv5_0, vec4<f32>(x0, x1, x2, x3), acc5_0);
      let wv6_0 = vec4<f32>(subgroupBroadcast(ws2, 2u));
      acc6_0 = fma(wv6_0, vec4<f32>(x0, x1, x2, x3), acc6_0);
      let wv7_0 = vec4<f32>(subgroupBroadcast(ws2, 5u));
      acc7_0 = fma(wv7_0, vec4<f32>(x0, x1, x2, x3), acc7_0);
      let wv0_1 = vec4<f32>(subgroupBroadcast(ws0, 1u));
      acc0_0 = fma(wv0_1, vec4<f32>(x1, x2, x3, x4), acc0_0);
      let wv1_1 = vec4<f32>(subgroupBroadcast(ws0, 4u));
      acc1_0 = fma(wv1_1, vec4<f32>(x1, x2, x3, x4), acc1_0);
      let wv2_1 = vec4<f32>(subgroupBroadcast(ws0, 7u));
      acc2_0 = fma(wv2_1, vec4<f32>(x1, x2, x3, x4), acc2_0);
      let wv3_1 = vec4<f32>(subgroupBroadcast(ws1, 2u));
      acc3_0 = fma(wv3_1, vec4<f32>(x1, x2, x3, x4), acc3_0);
      let wv4_1 = vec4<f32>(subgroupBroadcast(ws1, 5u));
      acc4_0 = fma(wv4_1, vec4<f32>(x1, x2, x3, x4), acc4_0);
      let wv5_1 = vec4<f32>(subgroupBroadcast(ws2, 0u));
      acc5_0 = fma(wv5_1, vec4<f32>(x1, x2, x3, x4), acc5_0);
      let wv6_1 = vec4<f32>(subgroupBroadcast(ws2, 3u));
      acc6_0 = fma(wv6_1, vec4<f32>(x1, x2, x3, x4), acc6_0);
      let wv7_1 = vec4<f32>(subgroupBroadcast(ws2, 6u));
      acc7_0 = fma(wv7_1, vec4<f32>(x1, x2, x3, x4), acc7_0);
      let wv0_2 = vec4<f32>(subgroupBroadcast(ws0, 2u));
      acc0_0 = fma(wv0_2, vec4<f32>(x2, x3, x4, x5), acc0_0);
      let wv1_2 = vec4<f32>(subgroupBroadcast(ws0, 5u));
      acc1_0 = fma(wv1_2, vec4<f32>(x2, x3, x4, x5), acc1_0);
      let wv2_2 = vec4<f32>(subgroupBroadcast(ws1, 0u));
      acc2_0 = fma(wv2_2, vec4<f32>(x2, x3, x4, x5), acc2_0);
      let wv3_2 = vec4<f32>(subgroupBroadcast(ws1, 3u));
      acc3_0 = fma(wv3_2, vec4<f32>(x2, x3, x4, x5), acc3_0);
      let wv4_2 = vec4<f32>(subgroupBroadcast(ws1, 6u));
      acc4_0 = fma(wv4_2, vec4<f32>(x2, x3, x4, x5), acc4_0);
      let wv5_2 = vec4<f32>(subgroupBroadcast(ws2, 1u));
      acc5_0 = fma(wv5_2, vec4<f32>(x2, x3, x4, x5), acc5_0);
      let wv6_2 = vec4<f32>(subgroupBroadcast(ws2, 4u));
      acc6_0 = fma(wv6_2, vec4<f32>(x2, x3, x4, x5), acc6_0);
      let wv7_2 = vec4<f32>(subgroupBroadcast(ws2, 7u));
      acc7_0 = fma(wv7_2, vec4<f32>(x2, x3, x4, x5), acc7_0);
      rb += IN_HW;
      wo += 72u;
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
  if (m0 + 6u < CG_OUT) {
    let o6 = g * CG_OUT + m0 + 6u;
    let yb6 = ob + o6 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb6 + 0u] = acc6_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb6 + 1u] = acc6_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb6 + 2u] = acc6_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb6 + 3u] = acc6_0[3]; }
  }
  if (m0 + 7u < CG_OUT) {
    let o7 = g * CG_OUT + m0 + 7u;
    let yb7 = ob + o7 * OUT_HW;
    if (ow0 + 0u < OUT_W) { dx[yb7 + 0u] = acc7_0[0]; }
    if (ow0 + 1u < OUT_W) { dx[yb7 + 1u] = acc7_0[1]; }
    if (ow0 + 2u < OUT_W) { dx[yb7 + 2u] = acc7_0[2]; }
    if (ow0 + 3u < OUT_W) { dx[yb7 + 3u] = acc7_0[3]; }
  }
}


// ---- conv2d_grad_weight_partial:basic1.conv1
enable subgroups;
// conv2d grad weight, 6 slices of the batch: x 8×16×16, w 8×8×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const C = 8u;
const H = 16u;
const W = 16u;
const HW = 256u;
const CHW = 2048u;
const O = 8u;
const OH = 16u;
const OW = 16u;
const OHW = 256u;
const OHWO = 2048u;
const KH = 3u;
const KW = 3u;
const KHKW = 9u;
const CG = 8u;
const OG = 8u;
const GROUPS = 1u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const DW = 1u;
const H_I = 16i;
const W_I = 16i;
const OH_I = 16i;
const OW_I = 16i;
const PT = 1i;
const PL = 1i;
const SH_I = 1i;
const SW_I = 1i;
const DH_I = 1i;
const DW_I = 1i;
const TM = 8u;
const LANES = 8u;
const NQ = 72u;
const TILES_M = 1u;
const TILES_N = 3u;
const SPLITS = 6u;
const DW_LEN = 576u;
const PART = 576u;

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
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var acc4_0 = vec4<f32>(0.0);
  var acc5_0 = vec4<f32>(0.0);
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    for (var ow = 1u; ow < (15u + params.zero); ow++) {
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
    }
    for (var e = 0u; e < (2u + params.zero); e++) {
      let ow = select(e, e + 14u, e >= 1u);
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
      let ds0 = dy[yc0 + yr + ow];
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
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row7 + qv3] = acc7_0[3]; }
  }
}


// ---- conv2d_grad_weight_sum:basic1.conv1
// the sum of 6 slices of partial sums, into one tensor
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
const SPLITS = 6u;
const STRIDE = 576u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 576u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
}


// ---- add:conv1
// add: 8×16×16 per sample, vec4
alias T = vec4<f32>;
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> in1: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> result: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let total = params.batch * 512u;
  let base = (wid.x + wid.y * nwg.x) * 512u + lid;
  {
    let e = base + 0u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      result[e] = v0 + v1;
    }
  }
  {
    let e = base + 256u;
    if (e < total) {
      let v0 = in0[e];
      let v1 = in1[e];
      result[e] = v0 + v1;
    }
  }
}


// ---- conv2d_grad_weight_partial&bias_grad:conv1
enable subgroups;
// conv2d grad weight, 16 slices of the batch: x 3×16×16, w 8×3×3×3, y 8×16×16, stride 1,1, pad 1,1, dilation 1,1, groups 1
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> part: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
const C = 3u;
const H = 16u;
const W = 16u;
const HW = 256u;
const CHW = 768u;
const O = 8u;
const OH = 16u;
const OW = 16u;
const OHW = 256u;
const OHWO = 2048u;
const KH = 3u;
const KW = 3u;
const KHKW = 9u;
const CG = 3u;
const OG = 8u;
const GROUPS = 1u;
const SH = 1u;
const SW = 1u;
const DH = 1u;
const DW = 1u;
const H_I = 16i;
const W_I = 16i;
const OH_I = 16i;
const OW_I = 16i;
const PT = 1i;
const PL = 1i;
const SH_I = 1i;
const SW_I = 1i;
const DH_I = 1i;
const DW_I = 1i;
const TM = 8u;
const LANES = 8u;
const NQ = 27u;
const TILES_M = 1u;
const TILES_N = 1u;
const SPLITS = 16u;
const DW_LEN = 216u;
const PART = 224u;

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
  var acc6_0 = vec4<f32>(0.0);
  var acc7_0 = vec4<f32>(0.0);
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
    for (var ow = 1u; ow < (15u + params.zero); ow++) {
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
      let d6 = vec4<f32>(subgroupBroadcast(ds0, 6u));
      acc6_0 = fma(d6, xv0, acc6_0);
      let d7 = vec4<f32>(subgroupBroadcast(ds0, 7u));
      acc7_0 = fma(d7, xv0, acc7_0);
    }
    for (var e = 0u; e < (2u + params.zero); e++) {
      let ow = select(e, e + 14u, e >= 1u);
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
      let ds0 = dy[yc0 + yr + ow];
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
      let d6 = vec4<f32>(subgroupBroadcast(ds0, 6u));
      acc6_0 = fma(d6, xv0, acc6_0);
      let d7 = vec4<f32>(subgroupBroadcast(ds0, 7u));
      acc7_0 = fma(d7, xv0, acc7_0);
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
  if (m0 + 6u < OG) {
    let row6 = (g * OG + m0 + 6u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row6 + qv0] = acc6_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row6 + qv1] = acc6_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row6 + qv2] = acc6_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row6 + qv3] = acc6_0[3]; }
  }
  if (m0 + 7u < OG) {
    let row7 = (g * OG + m0 + 7u) * NQ;
    if (qv0 < NQ) { part[slice * PART + row7 + qv0] = acc7_0[0]; }
    if (qv1 < NQ) { part[slice * PART + row7 + qv1] = acc7_0[1]; }
    if (qv2 < NQ) { part[slice * PART + row7 + qv2] = acc7_0[2]; }
    if (qv3 < NQ) { part[slice * PART + row7 + qv3] = acc7_0[3]; }
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
const STRIDE = 224u;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * 256u + lid;
  if (i < 216u) {
    let e = i - 0u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 0u + e]; }
    out0[e] = s;
  }
  if (i >= 216u && i < 224u) {
    let e = i - 216u;
    var s = 0.0;
    for (var sl = 0u; sl < (SPLITS + params.zero); sl++) { s += part[sl * STRIDE + 216u + e]; }
    out1[e] = s;
  }
}


// ---- optimizer_sgd:optimizer
// fused sgd update over 5952 parameters, vec4
struct Params { batch: u32, step: u32, zero: u32, pad: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> hyper: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
alias T = vec4<f32>;
fn item(i: u32) {
  let e = i;
  let lr = hyper[0];
  var p = param[e];
  var g = grad[e];
  param[e] = p - lr * g;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32, @builtin(local_invocation_id) lxy: vec3<u32>) {
  let wg = wid.x + wid.y * nwg.x;
  let total = 1488u;
  let base = wg * 512u + lid;
  for (var j = 0u; j < (2u + params.zero); j++) {
    let i = base + j * 256u;
    if (i < total) { item(i); }
  }
}

