/** ResNet-18 for CIFAR input (3×32×32, 3×3 stem, no max pool), as bench/models.ts runs it. */
export const RESNET18_CIFAR = `block basic(c, stride = 1)(x) {
  y = x -> conv(c, 3, stride: stride, pad: 1, bias: false) -> batchnorm -> relu
        -> conv(c, 3, pad: 1, bias: false) -> batchnorm
  skip = if stride != 1 or x.channels != c then x -> conv(c, 1, stride: stride, bias: false) -> batchnorm else x
  return relu(y + skip)
}
model resnet18_cifar {
  input image: 3 x 32 x 32
  image -> conv(64, 3, pad: 1, bias: false) -> batchnorm -> relu
        -> basic(64) * 2 -> basic(128, stride: 2) -> basic(128) -> basic(256, stride: 2) -> basic(256)
        -> basic(512, stride: 2) -> basic(512) -> globalavgpool -> flatten -> dense(10)
}`;
