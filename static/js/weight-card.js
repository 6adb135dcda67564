// What the hover card says about a weight or bias beyond its value. While training: the update rule in numbers,
// dL/dw and the step the next update takes (both from a `slice` message, so they belong together), the learning
// rate in force and the chart of the loss along this parameter. In the walk-through: this one example's part, the activation at the
// link's start, the error signal dE/dz at its end, their product dE/dw and the update it contributes.

import { LABELS } from "./controls.js";
import { significant } from "./numbers.js";
import { SliceChart } from "./slice-chart.js";
import { currentSlice, exampleShown, hoveredEntry, hoveredValue } from "./state.js";

/** How the card names a neuron: an input by its feature, the output (of class k), or "layer l neuron n". */
export function neuronName(state, layer, neuron) {
  const sizes = state.frame.header.sizes;
  if (layer === 0) {
    const key = state.frame.header.features[neuron];
    return state.features.find((f) => f.key === key)?.label ?? key;
  }
  if (layer < sizes.length - 1) return `layer ${layer} neuron ${neuron + 1}`;
  return sizes[layer] > 1 ? `the output of class ${neuron}` : "the output"; // K > 2: one per class
}

/** A negative number in brackets, as it reads inside a product. */
function bracketed(value) {
  return value < 0 ? `(${significant(value, 3)})` : significant(value, 3);
}

function row(label, value, quantity) {
  const line = document.createElement("tr");
  if (quantity) line.dataset.quantity = quantity;
  const name = document.createElement("th");
  name.textContent = label;
  const number = document.createElement("td");
  number.textContent = value;
  line.append(name, number);
  return line;
}

export class CardDetails {
  constructor(card) {
    this.where = card.querySelector(".where");
    this.symbol = card.querySelector(".symbol");
    this.rows = card.querySelector(".rule tbody");
    this.note = card.querySelector(".card-note");
    this.chartBox = card.querySelector(".slice-box");
    this.chart = new SliceChart(this.chartBox);
  }

  render(state) {
    const hover = state.hover;
    const bias = hover.kind === "bias";
    const symbol = bias ? "b" : "w";
    const target = neuronName(state, hover.layer, bias ? hover.neuron : hover.target);
    const source = bias ? null : neuronName(state, hover.layer - 1, hover.source);
    this.where.textContent = bias ? `of ${target}` : `${source} → ${target}`;
    this.symbol.textContent = `${symbol} =`;
    const example = exampleShown(state);
    const rows = example ? this.exampleRows(state, example, symbol) : this.trainingRows(state, symbol);
    this.rows.replaceChildren(...rows);
    this.chartBox.hidden = Boolean(example);
    if (!example) this.chart.render(currentSlice(state), symbol);
  }

  trainingRows(state, symbol) {
    const slice = currentSlice(state);
    const gradient = slice?.gradient ?? NaN;
    const rate = state.frame.header.learningRate;
    const optimizer = state.config?.optimizer ?? "sgd";
    const name = LABELS[optimizer] ?? optimizer;
    const rows = [
      row(`dL/d${symbol}`, slice ? significant(gradient, 3) : "…", "gradient"),
      row("learning rate", significant(rate, 3), "learningRate"),
    ];
    const step = slice ? slice.nextStep : NaN;
    const stepText = !slice ? "…" : optimizer === "sgd"
      ? `= −learning rate × dL/d${symbol}\n= −${significant(rate, 3)} × ${bracketed(gradient)} = `
        + significant(step, 3)
      : `${significant(step, 3)}\n(${name}'s step, shaped by past gradients)`;
    rows.push(row("next step", stepText, "nextStep"));
    if (slice && Number.isFinite(step)) {
      // Enough digits that the change shows: a step 1000 times smaller than the weight needs 3 more.
      const value = hoveredValue(state);
      const ratio = Math.abs(value) / Math.abs(step) || 1;
      const digits = Math.min(8, Math.max(4, Math.ceil(Math.log10(ratio)) + 2));
      rows.push(row(`new ${symbol} = ${symbol} + step`, `${significant(value, digits)} ${step < 0 ? "−" : "+"} `
        + `${significant(Math.abs(step), 3)} = ${significant(value + step, digits)}`, "newValue"));
    }
    this.note.textContent = optimizer === "sgd"
      ? "new weight = old weight − learning rate × gradient (the gradient of all training points at these weights)"
      : `${name} does not step by −learning rate × gradient: it shapes each step from past gradients. The chart's `
        + "circle shows where a plain gradient-descent step would land.";
    return rows;
  }

  exampleRows(state, example, symbol) {
    const hover = state.hover;
    const bias = hover.kind === "bias";
    const delta = example.deltas[hover.layer - 1]?.[bias ? hover.neuron : hover.target];
    const gradient = hoveredEntry(state, example, "weightGradients", "biasGradients");
    const update = hoveredEntry(state, example, "weightUpdates", "biasUpdates");
    const rows = [];
    if (!bias) {
      const activation = example.activations[hover.layer - 1]?.[hover.source];
      rows.push(row(`a of ${neuronName(state, hover.layer - 1, hover.source)}`, significant(activation, 3),
        "activation"));
    }
    rows.push(row(`dE/dz of ${neuronName(state, hover.layer, bias ? hover.neuron : hover.target)}`,
      significant(delta, 3), "delta"));
    rows.push(row(bias ? "dE/db = dE/dz" : "dE/dw = a × dE/dz", significant(gradient, 3), "exampleGradient"));
    rows.push(row(`update −lr × dE/d${symbol} / batch (${example.batchSize})`, significant(update, 3),
      "exampleUpdate"));
    this.note.textContent = `This example alone (training point ${example.index + 1}, loss E = `
      + `${significant(example.loss, 3)}).`;
    return rows;
  }
}
