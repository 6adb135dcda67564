// How the page writes the numbers of learning. Gradients and steps span many decades, so a small one is written
// with an exponent (1.2e-5) instead of a row of zeros that hides its size.

/** A number to `digits` significant digits; below 0.001 (or from 100,000 on) with an exponent. */
export function significant(value, digits = 2) {
  if (!Number.isFinite(value)) return "not a number";
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size < 1e-3 || size >= 1e5) {
    return value.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e"); // 3.70e-4 -> 3.7e-4
  }
  return String(Number(value.toPrecision(digits)));
}

/** The same with its sign always written, for a change: "+0.012", "-3.1e-4". */
export function signed(value, digits = 2) {
  const text = significant(value, digits);
  return Number.isFinite(value) && value > 0 ? `+${text}` : text;
}
