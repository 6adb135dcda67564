// The walk-through's output steps for K > 2 classes (the `example` message's `output` is then the list of the K
// class probabilities): the softmax, the categorical cross-entropy and its error signal p - y, in the textbook's
// words and the engine's numbers.

import { significant } from "./numbers.js";

const n3 = (value) => significant(value, 3);
const list = (values) => `(${values.map(n3).join(", ")})`;

/** True when the example comes from a network with a softmax output (K > 2 classes). */
export function isSoftmax(example) {
  return Array.isArray(example.output);
}

export function softmaxForward(example, layer, values) {
  const k = example.output.length;
  return {
    title: "Forward pass: the output", layer, values, linkLayer: layer,
    text: `Each of the ${k} output neurons, one per class, does the same with the last hidden layer's outputs: `
      + `z = Σ (weight × input) + bias = ${list(example.z[layer - 1])}. The softmax turns them into `
      + `probabilities that add up to 1, p_j = exp(z_j) / Σ_k exp(z_k): p = ${list(example.output)}. `
      + "The numbers on the output neurons are these probabilities.",
  };
}

export function softmaxOutput(example, values) {
  const p = example.output;
  const t = example.label;
  const best = p.indexOf(Math.max(...p));
  const answer = best === t ? `the right class, ${t}, is also its most probable one`
    : `its most probable class is ${best} (p = ${n3(p[best])}), a mistake`;
  return {
    title: "The output and this point's loss", layer: values.length - 1, values,
    text: `The network gives the label's class t = ${t} the probability p_${t} = ${n3(p[t])}; ${answer}. `
      + "This point's loss is the categorical cross-entropy E = −ln p_t, minus the log of the probability of the "
      + `right class (0 when the network is sure and right): E = ${n3(example.loss)}.`,
  };
}

export function softmaxBackward(example, layer, values) {
  return {
    title: "Backward pass: the output's error signal", layer, values,
    text: "The backward pass starts at the output. The error signal dE/dz_j says how much this point's loss "
      + "changes when output neuron j's z changes; with softmax and categorical cross-entropy it is simply "
      + "p_j − y_j, where y is 1 for the label's class and 0 for the others: "
      + `dE/dz = ${list(example.deltas[layer - 1])}.`,
  };
}
