/**
 * Special functions the float64 reference needs and JavaScript's Math lacks, accurate to a few
 * ulps: the reference is the oracle that PyTorch's float64 values are checked against (1e-12).
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** erf(z) for 0 ≤ z < 1.5 from its series with positive terms, 2/√π·e^(−z²)·Σ 2ⁿz^(2n+1)/(1·3·…·(2n+1)): no cancellation. */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
}

/**
 * erfc(z) for z ≥ 1.5 from the continued fraction
 * erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated by the modified Lentz
 * method: a few dozen terms there, and full relative accuracy in the tail.
 */
function erfcFraction(z: number): number {
  if (!Number.isFinite(z)) return 0;
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = z + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-z * z)) / f;
}

/** Below 1.5, 1 − erf(z): erfc(1.5) = 0.034, so the subtraction loses under five bits. */
function erfcNonNegative(z: number): number {
  return z < 1.5 ? 1 - erfSeries(z) : erfcFraction(z);
}

/** The complementary error function, 1 − erf(z). */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return z < 0 ? 2 - erfcNonNegative(-z) : erfcNonNegative(z);
}

export function erf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const a = Math.abs(z);
  const v = a < 1.5 ? erfSeries(a) : 1 - erfcFraction(a);
  return z < 0 ? -v : v;
}

/** The standard normal CDF Φ(x) = erfc(−x/√2)/2: accurate relative to itself in the lower tail too. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** The standard normal density φ(x) = e^(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
