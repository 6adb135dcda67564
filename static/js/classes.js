// The colours of the classes and what is drawn with them. Two classes keep the original's orange (class 0, the
// label -1) and blue (class 1, +1) on its scale (colors.js); K > 2 classes take the first K colours of the
// Okabe-Ito palette, which people with the common colour-vision deficiencies can tell apart. A probability p
// shows as its class's colour blended from light grey (p at chance, 1 / K, or 0 for one neuron's probability)
// to the full colour (p = 1): the binary scale is exactly this rule for two classes. Also: the class map of the
// big heatmap (each cell in its most probable class's colour, paler where the network is unsure) and the legend
// of the classes.

import { cssColor, mix, packed, GREY, ORANGE, BLUE } from "./colors.js";

const PALETTE = [
  [230, 159, 0], // orange
  [0, 114, 178], // blue
  [0, 158, 115], // bluish green
  [204, 121, 167], // reddish purple
  [213, 94, 0], // vermillion
  [86, 180, 233], // sky blue
];
const QUANT = 127; // the wire's int8 scale: p = q / 127

/** How many classes a message's header says (K), or 0 for regression. */
export function classCount(header) {
  return header?.classes ?? 0;
}

/** The RGB of class k among `count` classes. */
export function classRgb(k, count) {
  if (count <= 2) return k === 0 ? ORANGE : BLUE;
  return PALETTE[k % PALETTE.length];
}

/** The CSS colour of class k among `count` classes. */
export function classCss(k, count) {
  const [r, g, b] = classRgb(k, count);
  return `rgb(${r},${g},${b})`;
}

/** The fill colour of a data point: its class's colour (K > 2: the label is the class index), else its value's. */
export function pointColor(count) {
  return count > 2 ? (label) => classCss(label, count) : cssColor;
}

const TABLES = new Map();

/**
 * Packed RGBA per int8 probability byte (q & 255, p = q / 127) for class k: grey at p <= floor, the full colour
 * at p = 1, in between linearly; discrete: the full colour from p > floor on (a mask of 0 / 127 then shows the
 * class where it is 127).
 */
function classTable(k, count, floor, discrete, alpha) {
  const key = `${k}|${count}|${floor}|${discrete}|${alpha}`;
  if (!TABLES.has(key)) {
    const table = new Uint32Array(256);
    const colour = classRgb(k, count);
    for (let q = -128; q <= 127; q += 1) {
      const t = Math.max(0, (q / QUANT - floor) / (1 - floor));
      table[q & 255] = packed(mix(GREY, colour, discrete ? (t > 0 ? 1 : 0) : Math.min(1, t)), alpha);
    }
    TABLES.set(key, table);
  }
  return TABLES.get(key);
}

/** The table that paints one output neuron's probability picture (p_j) in class j's colours. */
export function probabilityTable(k, count, discrete, alpha = 255) {
  return classTable(k, count, 0, discrete, alpha);
}

/** Where class j is the most probable, as a probability picture: 127 there, 0 elsewhere (discretize). */
export function winnerMask(classGrid, j, out) {
  for (let i = 0; i < classGrid.length; i += 1) out[i] = classGrid[i] === j ? QUANT : 0;
  return out;
}

/**
 * Paint the class map into a painter's pixels: each cell in its arg-max class's colour, from grey where the
 * probability is at chance (1 / K) to the full colour where it is 1; discrete: the full colour everywhere.
 */
export function paintClassMap(painter, context, classGrid, confidence, count, discrete) {
  // Discrete: from 0 on, so every cell (its probability is at least 1 / K) gets its class's full colour.
  const floor = discrete ? 0 : 1 / count;
  const tables = Array.from({ length: count }, (_, k) => classTable(k, count, floor, discrete, painter.alpha));
  const pixels = painter.pixels;
  for (let i = 0, n = pixels.length; i < n; i += 1) pixels[i] = tables[classGrid[i]][confidence[i] & 255];
  context.putImageData(painter.image, 0, 0);
}

/** The legend of the classes beside the big heatmap (K > 2): a swatch and "class k" for each. */
export class ClassLegend {
  constructor(container) {
    this.container = container;
    this.count = -1;
  }

  render(state) {
    const count = classCount(state.frame?.header);
    const shown = count > 2 && state.config?.problem === "classification";
    this.container.hidden = !shown;
    if (!shown || count === this.count) return;
    this.count = count;
    this.container.replaceChildren(...Array.from({ length: count }, (_, k) => {
      const item = document.createElement("span");
      item.className = "class-key";
      const swatch = document.createElement("i");
      swatch.className = "class-swatch";
      swatch.style.background = classCss(k, count);
      item.append(swatch, `class ${k}`);
      return item;
    }));
  }
}

/**
 * K > 2 classes and the output selected: paint the big heatmap's picture of the frame, the class map, or the
 * probability of the output neuron the learner points at (state.pointed) in its class's colours (discretize:
 * where that class is the most probable), and return true. False: the frame's grid is drawn as any neuron's.
 */
export function paintClasses(painter, context, state, discretize) {
  const { header, arrays } = state.frame;
  const count = classCount(header);
  const { sizes, selected } = header;
  if (count <= 2 || !arrays.classGrid || selected.layer !== sizes.length - 1) return false;
  const pointed = state.pointed;
  if (pointed?.layer === selected.layer && pointed.neuron === selected.neuron) {
    const j = selected.neuron;
    const values = discretize ? winnerMask(arrays.classGrid, j, scratch(painter, arrays.grid.length)) : arrays.grid;
    painter.paintWith(context, values, 0, probabilityTable(j, count, false, painter.alpha));
  } else {
    paintClassMap(painter, context, arrays.classGrid, arrays.confidence, count, discretize);
  }
  return true;
}

/** Output neuron j's thumbnail (K > 2): its probability in class j's colours; discretize: the cells where its
 *  probability is the largest of the K (as the big heatmap's class map, at the thumbnail's resolution). */
export function paintOutputThumbnail(painter, context, thumbnails, first, j, count, discretize) {
  const cells = painter.pixels.length;
  let values = thumbnails.subarray((first + j) * cells, (first + j + 1) * cells);
  if (discretize) {
    const mask = scratch(painter, cells);
    for (let c = 0; c < cells; c += 1) {
      let best = 0;
      for (let k = 1; k < count; k += 1) {
        if (thumbnails[(first + k) * cells + c] > thumbnails[(first + best) * cells + c]) best = k;
      }
      mask[c] = best === j ? QUANT : 0;
    }
    values = mask;
  }
  painter.paintWith(context, values, 0, probabilityTable(j, count, false, painter.alpha));
}

function scratch(painter, length) {
  if (painter.scratch?.length !== length) painter.scratch = new Int8Array(length);
  return painter.scratch;
}
