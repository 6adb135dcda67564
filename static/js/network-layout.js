// Where everything of the network view goes: pure geometry from the container width and the network's shape.
// Inputs on the left (every feature shown, switched on or not), hidden layers spread evenly, the output on the
// right. A wide view grows its neurons (up to 1.6 times), so a large window shows a larger network.

export const BIAS = 7; // a bias square, in CSS pixels
const NODE = 30; // a neuron's square at scale 1
const PITCH = 40; // vertical distance between neurons at scale 1
const TOP = 44; // room above the columns for each layer's +/- buttons
const LEFT = 62; // room for the input labels
const RIGHT = 16;
const ROWS = 8; // the tallest column (at most 8 neurons; there are 7 inputs)
const NATURAL_WIDTH = 640; // at this width and below the scale is 1
const MAX_SCALE = 1.6;

/**
 * @param {number} width            the container's width
 * @param {string[]} featureKeys    the features shown (every one the network uses, and those not hidden), in order
 * @param {string[]} enabled        the features that are inputs of the network, in input order
 * @param {number[]} hidden         neurons per hidden layer
 * @param {number} outputs          output neurons (1, or one per class for K > 2 classes), centred one above another
 * @returns {{node, height, inputs, layers, links, columns}}  node: a neuron's size; height: the view's, the same
 *   whatever the shape (so it does not jump as neurons come and go); inputs: one node per feature shown
 *   ({key, x, y, neuron|null}); layers[l]: nodes of layer l >= 1 ({x, y}); links: {layer, source, target, d};
 *   columns: x of each hidden layer's middle
 */
export function layout(width, featureKeys, enabled, hidden, outputs = 1) {
  const scale = Math.min(MAX_SCALE, Math.max(1, width / NATURAL_WIDTH));
  const node = Math.round(NODE * scale);
  const pitch = Math.round(PITCH * scale);
  const outputX = width - RIGHT - node;
  const step = (outputX - LEFT) / (hidden.length + 1);
  const inputs = featureKeys.map((key, row) => {
    const at = enabled.indexOf(key);
    return { key, x: LEFT, y: TOP + row * pitch, neuron: at < 0 ? null : at };
  });
  const layers = [inputs.filter((n) => n.neuron !== null).sort((a, b) => a.neuron - b.neuron)];
  const columns = [];
  hidden.forEach((count, i) => {
    const x = Math.round(LEFT + (i + 1) * step);
    columns.push(x + node / 2);
    layers.push(Array.from({ length: count }, (_, j) => ({ x, y: TOP + j * pitch })));
  });
  const outputTop = Math.round(TOP + (ROWS - outputs) * pitch / 2);
  layers.push(Array.from({ length: outputs }, (_, j) => ({ x: outputX, y: outputTop + j * pitch })));
  const links = [];
  for (let l = 1; l < layers.length; l += 1) {
    layers[l - 1].forEach((from, source) => {
      layers[l].forEach((to, target) => {
        links.push({ layer: l, source, target, d: curve(from, to, node) });
      });
    });
  }
  return { node, height: TOP + ROWS * pitch, inputs, layers, links, columns };
}

/** A link from the right middle of one node to the left middle of the next, as an S-shaped cubic curve. */
function curve(from, to, node) {
  const x1 = from.x + node;
  const y1 = from.y + node / 2;
  const x2 = to.x;
  // A level link bends by half a pixel, so that it keeps a box of some height (tools that find elements by
  // their box, such as test drivers, treat a box of zero height as invisible).
  const y2 = to.y + node / 2 + (to.y === from.y ? 0.5 : 0);
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}
