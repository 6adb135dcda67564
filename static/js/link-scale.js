// What the links and bias squares of the network view show, and on which scale: the weights (linear: 1 px at 0,
// full width from |w| = 5 on), or a quantity of learning on a log scale relative to the largest in the network,
// so that a gradient a thousand times smaller than the largest is still seen: the full-batch gradients dL/dw, the
// last step each weight took, or, in the walk-through, one example's dE/dw and its update. The legend says which.

import { shadeOf } from "./colors.js";
import { significant } from "./numbers.js";

const MIN_WIDTH = 1;
const MAX_WIDTH = 10;
const MAX_WEIGHT = 5; // weights: full width from |w| = 5 on
export const DECADES = 3; // log scales: 1 px at 1/1000 of the largest value or less

/** Each quantity: where its arrays come from and how the legend names it. */
const QUANTITIES = {
  weights: { arrays: ["weights", "biases"], log: false },
  gradients: {
    arrays: ["weightGradients", "biasGradients"], log: true,
    what: "the gradient dL/dw of the training loss", symbol: "|dL/dw|",
    signs: "blue: dL/dw > 0, so the update lowers the weight; orange: dL/dw < 0, it raises it",
  },
  steps: {
    arrays: ["weightSteps", "biasSteps"], log: true,
    what: "the last step each weight took (new − old)", symbol: "|step|",
    signs: "blue: the weight went up; orange: it went down",
  },
  exampleGradients: {
    arrays: ["weightGradients", "biasGradients"], log: true, fromExample: true,
    what: "this example's gradient dE/dw = a × dE/dz", symbol: "|dE/dw|",
    signs: "blue: dE/dw > 0; orange: dE/dw < 0",
  },
  exampleUpdates: {
    arrays: ["weightUpdates", "biasUpdates"], log: true, fromExample: true,
    what: "this example's update −learning rate × dE/dw / batch size", symbol: "|update|",
    signs: "blue: it raises the weight; orange: it lowers it",
  },
};

/**
 * What the links show now: the walk-through's example quantity when its step asks for one, else the "Links
 * show" choice. Returns {kind, weights, biases, top}; top is the largest |value| (for log scales).
 */
export function linkQuantity(state, exampleKind = null) {
  const kind = exampleKind ?? state.config?.linkView ?? "weights";
  const quantity = QUANTITIES[kind] ?? QUANTITIES.weights;
  const source = quantity.fromExample ? state.walkthrough.example : state.frame?.arrays;
  const [weights, biases] = quantity.arrays.map((name) => source?.[name] ?? []);
  let top = 0;
  if (quantity.log) {
    for (const values of [weights, biases]) {
      for (const v of values) if (Number.isFinite(v) && Math.abs(v) > top) top = Math.abs(v);
    }
  }
  return { kind: QUANTITIES[kind] ? kind : "weights", log: quantity.log, weights, biases, top };
}

/** Where a value sits on the scale, from 0 (thinnest, grey) to 1 (full width, full colour). */
function strength(scale, value) {
  if (!Number.isFinite(value) || value === 0) return 0;
  const size = Math.abs(value);
  if (!scale.log) return Math.min(size, MAX_WEIGHT) / MAX_WEIGHT;
  if (scale.top === 0) return 0;
  return Math.max(0, Math.min(1, (Math.log10(size / scale.top) + DECADES) / DECADES));
}

/** A link's width in CSS pixels, in half pixels. */
export function widthOf(scale, value) {
  return Math.round((MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * strength(scale, value)) * 2) / 2;
}

/** The shade (colors.js) of a link or bias square: the weight itself, or the sign times the strength. */
export function shadeFor(scale, value) {
  if (!scale.log) return shadeOf(value);
  return shadeOf(Math.sign(value) * strength(scale, value));
}

/** The legend under the network: what width and colour mean for the quantity shown. */
export function legendText(scale) {
  if (!scale.log) {
    return "Links show each weight w: thin and grey near 0, full width from |w| = 5; blue positive, orange "
      + "negative. The small squares are the biases.";
  }
  const quantity = QUANTITIES[scale.kind];
  if (scale.top === 0) return `Links show ${quantity.what}: all zero for now.`;
  const floor = significant(scale.top / 10 ** DECADES);
  return `Links show ${quantity.what} on a log scale: full width at ${quantity.symbol} = ${significant(scale.top)}, `
    + `the largest in the network; 1 px at ${floor} or less. ${quantity.signs[0].toUpperCase()}`
    + `${quantity.signs.slice(1)}. Bias squares likewise.`;
}
