/**
 * Tail probabilities for the significance tests the detectors use. Counts get count tests (Poisson,
 * binomial) rather than a normal approximation, which would call 0 -> 2 mentions a 5-sigma event.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, |error| < 2e-10). */
export function logGamma(x: number): number {
  const g = [
    676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
    -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.9999999999998099;
  const t = z + 7.5;
  for (let i = 0; i < 8; i++) a += (g[i] as number) / (z + i + 1);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) (series for x < a + 1, continued fraction beyond). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  return 1 - gammaQcf(a, x, lead);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the far tail. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - gammaP(a, x);
  return gammaQcf(a, x, -x + a * Math.log(x) - logGamma(a));
}

function gammaQcf(a: number, x: number, lead: number): number {
  // Lentz's continued fraction (Numerical Recipes 6.2).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}

/** P(X >= k) for X ~ Poisson(mu). */
export function poissonUpper(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu <= 0) return 0;
  return gammaP(k, mu);
}

/** P(X <= k) for X ~ Poisson(mu). */
export function poissonLower(k: number, mu: number): number {
  if (k < 0) return 0;
  if (mu <= 0) return 1;
  return gammaQ(k + 1, mu);
}

/** Upper tail of the standard normal, P(Z >= z) (Abramowitz-Stegun 7.1.26 refined via erfc). */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes erfcc: fractional error < 1.2e-7 everywhere, and it keeps relative accuracy in
  // the far tail (where 1 - erf(x) would round to 0).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(X >= k) for X ~ Binomial(n, p): is the share k/n (negative mentions, a signal) higher than the
 * baseline share p? Exact sum for small n, the regularized incomplete beta identity otherwise.
 */
export function binomialUpper(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let sum = 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logChoose(n, i) + i * lp + (n - i) * lq);
    sum += term;
    if (i > k + 10 && term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/** A p-value as "surprise" in decimal digits, -log10(p), capped so that p = 0 stays finite. */
export function surprise(p: number): number {
  return Math.max(0, Math.min(300, -Math.log10(Math.max(p, 1e-300))));
}

/** Maps a surprise to an anomaly score in [0, 1): p = 1e-4 gives 0.5, p = 1e-12 gives 0.75. */
export function scoreFromP(p: number): number {
  const s = surprise(p);
  return s / (s + 4);
}
