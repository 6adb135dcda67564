// The steps of one training example's walk-through, as the engine computed them (`example` message): for each
// step, which layer is active, the numbers printed on the neurons, what the links show, and a sentence in the
// textbook's words. Steps: the inputs; the forward pass layer by layer; the output and its loss; the backward
// pass from the output back; each weight's gradient; the update this example contributes.

import { LABELS } from "./controls.js";
import { significant } from "./numbers.js";
import { exampleShown, walkStepCount } from "./state.js";
import { isSoftmax, softmaxBackward, softmaxForward, softmaxOutput } from "./walkthrough-softmax.js";

const n3 = (value) => significant(value, 3);

/** The step the walk-through is at: {number, count, title, text, layer, values, links, linkLayer}, or null. */
export function currentStep(state) {
  const example = exampleShown(state);
  if (!example) return null;
  const layers = example.sizes.length - 1; // L: layers with weights; L is the output
  const step = state.walkthrough.step;
  const described = describe(example, step, layers, state);
  return { number: step + 1, count: walkStepCount(example.sizes), links: null, linkLayer: null, ...described };
}

function describe(example, step, last, state) {
  const activations = (from, upTo) => example.activations.map((a, l) => (l >= from && l <= upTo ? a : null));
  const deltas = (from) => [null, ...example.deltas].map((d, l) => (l >= from ? d : null));
  if (step === 0) return inputs(example, state, activations(0, 0));
  if (step <= last) return forward(example, step, last, state, activations(0, step));
  if (step === last + 1) return output(example, state, activations(last, last)); // the output alone
  const back = 2 * last + 2 - step; // the backward pass goes from layer `last` down to 1
  if (step <= 2 * last + 1) return backward(example, back, last, state, deltas(back));
  if (step === 2 * last + 2) return gradients();
  return updates(example);
}

function inputs(example, state, values) {
  const labels = Object.fromEntries(state.features.map((f) => [f.key, f.label]));
  const [x, y] = example.point;
  const features = example.features.map((key, i) => `${labels[key] ?? key} = ${n3(example.inputs[i])}`);
  return {
    title: "The inputs", layer: 0, values,
    text: `Training point ${example.index + 1} lies at (${n3(x)}, ${n3(y)}) with label t = ${n3(example.label)}. `
      + `Each input neuron holds one of its features: ${features.join(", ")}.`,
  };
}

function forward(example, layer, last, state, values) {
  const sum = "z = Σ (weight × input) + bias";
  if (layer === last && isSoftmax(example)) return softmaxForward(example, layer, values);
  if (layer === last) {
    const regression = state.config?.problem === "regression";
    return {
      title: "Forward pass: the output", layer, values, linkLayer: layer,
      text: `The output neuron does the same with the last hidden layer's outputs: ${sum} = `
        + `${n3(example.z[layer - 1][0])}, then o = ${regression ? "z (a linear output)" : "tanh(z)"} = `
        + `${n3(example.output)}.`,
    };
  }
  const name = LABELS[state.config?.activation] ?? state.config?.activation;
  return {
    title: `Forward pass: layer ${layer}`, layer, values, linkLayer: layer,
    text: `Each neuron of layer ${layer} multiplies the values coming in along its links by their weights, adds `
      + `them up with its bias, ${sum}, and applies the activation function f (${name}): a = f(z). `
      + "The numbers on the neurons are their outputs a for this point.",
  };
}

function output(example, state, values) {
  if (isSoftmax(example)) return softmaxOutput(example, values);
  const squared = state.config?.problem === "regression" || state.config?.loss !== "crossEntropy";
  const loss = squared ? "E = ½ (o − t)²" : "the cross-entropy E = −ln p, where p = (1 + o × t) / 2 is the "
    + "probability the network gives the right label";
  return {
    title: "The output and this point's loss", layer: values.length - 1, values,
    text: `The network answers o = ${n3(example.output)}; the label is t = ${n3(example.label)}. `
      + `This point's loss is ${loss}: E = ${n3(example.loss)}.`,
  };
}

function backward(example, layer, last, state, values) {
  if (layer === last && isSoftmax(example)) return softmaxBackward(example, layer, values);
  if (layer === last) {
    const crossEntropy = state.config?.problem !== "regression" && state.config?.loss === "crossEntropy";
    const rule = crossEntropy ? "with cross-entropy and a tanh output it is simply o − t"
      : "for E = ½ (o − t)² it is (o − t) × f′(z)";
    return {
      title: "Backward pass: the output's error signal", layer, values,
      text: "The backward pass starts at the output. The error signal dE/dz says how much this point's loss "
        + `changes when the output's z changes; ${rule}: dE/dz = ${n3(example.deltas[layer - 1][0])}.`,
    };
  }
  return {
    title: `Backward pass: layer ${layer}`, layer, values, linkLayer: layer + 1,
    text: `The error signal flows back along the same links: each neuron of layer ${layer} gets `
      + `dE/dz = f′(z) × Σ (weight × dE/dz of the neuron it feeds in layer ${layer + 1}). `
      + "The numbers on the neurons are their error signals dE/dz.",
  };
}

function gradients() {
  return {
    title: "The gradient of each weight", layer: null, values: null, links: "exampleGradients",
    text: "Every link's gradient for this point is dE/dw = a × dE/dz: the output a of the neuron it starts from "
      + "times the error signal dE/dz of the neuron it ends at (a bias's is dE/db = dE/dz). Link width and "
      + "colour show dE/dw; hover a link to see the product.",
  };
}

function updates(example) {
  const lr = n3(example.learningRate);
  const batch = example.batchSize;
  const whole = batch === 1 ? "With batch size 1 this is the whole update: new w = old w − learning rate × dE/dw."
    : `The ${batch} points of a batch add up their shares into one update of the weights.`;
  return {
    title: "The update this point contributes", layer: null, values: null, links: "exampleUpdates",
    text: `Gradient descent moves each weight against its gradient. This point's share of the next update is `
      + `−learning rate × dE/dw / batch size = −${lr} × dE/dw / ${batch}. ${whole}`,
  };
}
