/** Models for the export tests (PyTorch, ONNX): every layer kind and option, and awkward windows. */

/** Every layer kind and option the language has, in one model. */
export const EVERY_LAYER = `block branch(c)(x) {
  a = x -> conv(c, 1) -> elu(alpha: 0.7)
  b = x -> conv(c, 3, pad: 1, dilation: 1, pad_mode: replicate) -> leaky_relu(alpha: 0.2)
  return (a, b) -> concat
}
model every {
  input x: 3 x 15 x 13
  x -> conv(8, 2, pad: same) -> conv(8, 3, stride: 2, pad: 1) -> batchnorm -> relu6
    -> conv(8, 3, groups: 4, pad: 1, bias: false) -> batchnorm(affine: false, eps: 0.001, momentum: 0.3) -> silu
    -> maxpool(3, stride: 2, pad: 1, round: ceil) -> branch(4)
    -> avgpool(2, stride: 1, pad: 1, count_pad: false) -> gelu -> avgpool(3, stride: 2, pad: 1, round: ceil) -> hardswish
    -> lrn(size: 3, alpha: 0.001, beta: 0.75, k: 2) -> minpool(2, stride: 1) -> sigmoid -> l2pool(2, stride: 1, pad: 1) -> tanh
    -> maxout(2) -> adaptiveavgpool(2x3) -> gelu(approximate: tanh) -> dropout(0.3) -> flatten -> dense(12, bias: false) -> identity
    -> dense(7) -> softmax
}`;

/**
 * Windows where ONNX's attributes and cnnc's semantics part: ceil-mode windows past the padding
 * (average with and without count_pad, max, L2), LRN of even size, adaptive windows that do not
 * divide the input.
 */
export const AWKWARD_WINDOWS = `model windows {
  input x: 3 x 13 x 11
  x -> avgpool(3, stride: 2, pad: 1, round: ceil, count_pad: false) -> lrn(size: 4, alpha: 0.01, k: 1.5) -> conv(6, 3, pad: same)
    -> avgpool(2, stride: 2, pad: 1, round: ceil) -> relu -> l2pool(2, stride: 2, round: ceil) -> maxpool(3, stride: 2, pad: 1, round: ceil)
    -> adaptivemaxpool(3x2) -> adaptiveavgpool(2x1) -> flatten -> dense(5)
}`;
