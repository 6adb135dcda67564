// The colour scale of the playground: 30 shades from orange (-1) through light grey (0) to blue (+1), values
// clamped to [-1, 1]; the first shade is the full orange and the last the full blue. Lookup tables make drawing
// a heatmap one table read per pixel.

export const SHADES = 30;
export const ORANGE = [245, 147, 34]; // #f59322
export const GREY = [232, 234, 235]; // #e8eaeb
export const BLUE = [8, 119, 189]; // #0877bd
const QUANT = 127; // the wire's int8 scale: value = v * 127

/** The colour a fraction t of the way from a to b. */
export function mix(a, b, t) {
  return a.map((channel, i) => Math.round(channel + (b[i] - channel) * t));
}

/** The RGB of a value in [-1, 1] on the continuous scale. */
function rgbAt(v) {
  return v < 0 ? mix(GREY, ORANGE, -v) : mix(GREY, BLUE, v);
}

/** Which of the 30 shades a value falls in (NaN counts as 0). */
export function shadeOf(value) {
  const v = Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
  return Math.min(SHADES - 1, Math.floor(((v + 1) / 2) * SHADES));
}

const SHADE_RGB = Array.from({ length: SHADES }, (_, i) => rgbAt(-1 + (2 * i) / (SHADES - 1)));
const SHADE_CSS = SHADE_RGB.map(([r, g, b]) => `rgb(${r},${g},${b})`);

/** The CSS colour of a value, e.g. for a link or a bias square. */
export function cssColor(value) {
  return SHADE_CSS[shadeOf(value)];
}

/** The CSS colour of one shade index. */
export function shadeCss(index) {
  return SHADE_CSS[index];
}

/** One pixel as a Uint32Array view on ImageData bytes reads it. */
export function packed([r, g, b], alpha) {
  // ImageData bytes are R, G, B, A in memory; a Uint32Array view on them reads little-endian.
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function buildTable(discrete, alpha) {
  const table = new Uint32Array(256);
  for (let q = -128; q <= 127; q += 1) {
    const v = q / QUANT;
    const shown = discrete ? (v >= 0 ? 1 : -1) : v;
    table[q & 255] = packed(SHADE_RGB[shadeOf(shown)], alpha);
  }
  return table;
}

const TABLES = new Map();

/** Packed RGBA per int8 wire value (indexed by the value's byte, q & 255), smooth or discretized (the sign
 *  only), with the given opacity (0..255). */
export function int8Colors(discrete, alpha = 255) {
  const key = `${discrete}|${alpha}`;
  if (!TABLES.has(key)) TABLES.set(key, buildTable(discrete, alpha));
  return TABLES.get(key);
}
