// Where everything of the network view goes: pure geometry from the container width and the network's shape.
// Inputs on the left (every feature, switched on or not), hidden layers spread evenly, the output on the right.

export const NODE = 30; // a neuron's square, in CSS pixels
export const BIAS = 7; // a bias square
const PITCH = 40; // vertical distance between neurons
const TOP = 44; // room above the columns for each layer's +/- buttons
const LEFT = 62; // room for the input labels
const RIGHT = 16;
const ROWS = 8; // the tallest column (at most 8 neurons; there are 7 inputs)

/** The height the view needs whatever the shape, so that it does not jump as neurons come and go. */
export function viewHeight() {
  return TOP + ROWS * PITCH;
}

/**
 * @param {number} width            the container's width
 * @param {string[]} featureKeys    every feature, in input order
 * @param {string[]} enabled        the features that are inputs of the network, in input order
 * @param {number[]} hidden         neurons per hidden layer
 * @returns {{inputs, layers, links, columns}}  inputs: one node per feature ({key, x, y, neuron|null});
 *   layers[l]: nodes of layer l >= 1 ({x, y}); links: {layer, source, target, d}; columns: x of each hidden layer
 */
export function layout(width, featureKeys, enabled, hidden) {
  const outputX = width - RIGHT - NODE;
  const step = (outputX - LEFT) / (hidden.length + 1);
  const inputs = featureKeys.map((key, row) => {
    const at = enabled.indexOf(key);
    return { key, x: LEFT, y: TOP + row * PITCH, neuron: at < 0 ? null : at };
  });
  const layers = [inputs.filter((n) => n.neuron !== null).sort((a, b) => a.neuron - b.neuron)];
  const columns = [];
  hidden.forEach((count, i) => {
    const x = Math.round(LEFT + (i + 1) * step);
    columns.push(x + NODE / 2);
    layers.push(Array.from({ length: count }, (_, j) => ({ x, y: TOP + j * PITCH })));
  });
  const outputY = Math.round(TOP + (ROWS * PITCH - (PITCH - NODE)) / 2 - NODE / 2);
  layers.push([{ x: outputX, y: outputY }]);
  const links = [];
  for (let l = 1; l < layers.length; l += 1) {
    layers[l - 1].forEach((from, source) => {
      layers[l].forEach((to, target) => {
        links.push({ layer: l, source, target, d: curve(from, to) });
      });
    });
  }
  return { inputs, layers, links, columns };
}

/** A link from the right middle of one node to the left middle of the next, as an S-shaped cubic curve. */
function curve(from, to) {
  const x1 = from.x + NODE;
  const y1 = from.y + NODE / 2;
  const x2 = to.x;
  // A level link bends by half a pixel, so that it keeps a box of some height (tools that find elements by
  // their box, such as test drivers, treat a box of zero height as invisible).
  const y2 = to.y + NODE / 2 + (to.y === from.y ? 0.5 : 0);
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}
