// The network view: every input (click to switch it on or off), the hidden neurons and the output, each with a
// live thumbnail of what it computes; links whose width and colour follow the quantity chosen under "Links show"
// (link-scale.js) and whose dashes flow while training; bias squares; and the +/- buttons of each hidden layer.
// Links and biases are reachable from the keyboard (one Tab stop, then the up and down arrows). In the
// walk-through it highlights the active layer and prints the step's numbers on the neurons. It is rebuilt only
// when the shape changes; each frame then repaints the thumbnails, hands the wires' looks to their worker
// (wires.js) and recolours the biases.

import { sizeOf } from "./canvas.js";
import { BIAS, layout } from "./network-layout.js";
import { GridPainter } from "./heatmap.js";
import { shadeCss } from "./colors.js";
import { classCount, classCss, paintOutputThumbnail } from "./classes.js";
import { legendText, linkQuantity, shadeFor, widthOf } from "./link-scale.js";
import { significant } from "./numbers.js";
import { middleOf, rovingFocus } from "./roving-focus.js";
import { biasIndex, neuronIndex, weightIndex } from "./frame-index.js";
import { currentStep } from "./walkthrough-steps.js";
import { Wires } from "./wires.js";

const SVG = "http://www.w3.org/2000/svg";
const NARROW_COLUMN = 70; // pixels between layer columns below which a layer's label is only its count

function element(tag, className, parent) {
  const node = tag === "path" || tag === "svg"
    ? document.createElementNS(SVG, tag) : document.createElement(tag);
  if (className) node.setAttribute("class", className);
  if (parent) parent.append(node);
  return node;
}

function place(node, x, y) {
  node.style.left = `${x}px`;
  node.style.top = `${y}px`;
}

export class NetworkView {
  /** actions: select(layer, neuron), hoverInput(key), toggleFeature(key), setShape(list), hover(item, event),
   *  edit(item, event); legend: the element that says what a link's full width means */
  constructor(container, actions, legend) {
    this.container = container;
    this.legend = legend;
    this.actions = actions;
    this.painter = new GridPainter(10);
    this.key = null;
  }

  render(state) {
    if (!state.frame || !state.config) return;
    const header = state.frame.header;
    const hidden = header.sizes.slice(1, -1);
    const outputs = header.sizes.at(-1);
    const { width } = sizeOf(this.container);
    const key = [width, header.features, hidden, outputs, state.config.hidden, state.config.networkShape].join("|");
    if (key !== this.key) {
      this.build(state, width, header.features, hidden, outputs);
      this.key = key;
    }
    this.update(state);
  }

  build(state, width, enabled, hidden, outputs) {
    const sizes = [enabled.length, ...hidden, outputs];
    // A hidden input (the classroom panel's `x_hide`) leaves no gap; one the network uses stays in view.
    const shown = state.features.filter((f) => enabled.includes(f.key) || !state.config.hidden.includes(f.key));
    const geometry = layout(width, shown.map((f) => f.key), enabled, hidden, outputs);
    const root = this.container;
    const focused = root.contains(document.activeElement) ? document.activeElement.dataset.feature : undefined;
    root.replaceChildren();
    root.style.height = `${geometry.height}px`;
    root.style.setProperty("--node", `${geometry.node}px`);
    this.wires = new Wires(root, width, geometry.height, geometry.links.map((link) => link.d));
    const svg = element("svg", "links", root);
    svg.setAttribute("width", width);
    svg.setAttribute("height", geometry.height);
    this.links = geometry.links.map((link) => this.buildLink(link, sizes, svg));
    this.nodes = [];
    this.inputs = [];
    this.biases = [];
    this.shownStep = null;
    geometry.inputs.forEach((input, row) => this.buildInput(state, input, shown[row]));
    geometry.layers.slice(1).forEach((nodes, i) => {
      nodes.forEach((at, neuron) => this.buildNeuron(sizes, i + 1, neuron, at, geometry.node));
    });
    this.buildLayerButtons(state, geometry.columns);
    rovingFocus([...this.links.map((l) => l.path), ...this.biases.map((b) => b.bias)]);
    // Toggling an input from the keyboard rebuilds the view: keep the focus on that input.
    if (focused) root.querySelector(`.node.input[data-feature="${focused}"]`)?.focus();
  }

  buildLink(link, sizes, parent) {
    // One SVG path per link (class "link"), transparent and wider than the wire, to hover and click; its
    // data-color and data-width say how the canvas draws the wire.
    const path = element("path", "link", parent);
    path.setAttribute("d", link.d);
    path.dataset.layer = link.layer;
    path.dataset.source = link.source;
    path.dataset.target = link.target;
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", `Weight into layer ${link.layer} from neuron ${link.source + 1} to neuron `
      + `${link.target + 1}`);
    this.hoverable(path, { kind: "weight", layer: link.layer, source: link.source, target: link.target });
    return { path, layer: link.layer,
      index: weightIndex(sizes, link.layer, link.source, link.target), width: -1, shade: -1 };
  }

  hoverable(target, item) {
    target.addEventListener("mouseenter", (event) => this.actions.hover(item, event));
    target.addEventListener("mouseleave", () => this.actions.hover(null));
    target.addEventListener("click", (event) => this.actions.edit(item, event));
    // The keyboard's focus shows the card as the mouse does; a click's focus leaves the card to the mouse.
    target.addEventListener("focus", () => {
      if (!target.matches(":focus-visible")) return;
      this.keyboardFocus = target;
      this.actions.hover(item, middleOf(target));
    });
    target.addEventListener("blur", () => {
      if (this.keyboardFocus !== target) return;
      this.keyboardFocus = null;
      this.actions.hover(null);
    });
    target.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      this.actions.edit(item, middleOf(target));
    });
  }

  buildInput(state, input, feature) {
    const on = input.neuron !== null;
    const node = element("div", on ? "node input" : "node input off", this.container);
    place(node, input.x, input.y);
    node.dataset.feature = feature.key;
    node.dataset.layer = 0;
    if (on) node.dataset.neuron = input.neuron;
    const label = element("span", "label", node);
    label.textContent = feature.label;
    const canvas = this.thumbnail(node);
    // An input's picture is its feature's, on or off: constant, from the page context (frames do not carry it).
    this.inputs.push({ context: canvas.getContext("2d"), values: state.featureThumbs[feature.key] });
    if (on) this.nodes.push(this.neuronEntry(node, canvas, 0, input.neuron, null));
    // Hovering or focusing an input, on or off, shows its feature in the big heatmap.
    for (const [enter, leave] of [["mouseenter", "mouseleave"], ["focus", "blur"]]) {
      node.addEventListener(enter, () => this.actions.hoverInput(feature.key));
      node.addEventListener(leave, () => this.actions.hoverInput(null));
    }
    if (state.config.hidden.includes(feature.key)) {
      node.title = `${feature.label}: an input of the network`; // hidden by the teacher: shown, not switchable
      return;
    }
    node.title = on ? `${feature.label}: click to switch this input off` : `${feature.label}: click to use it`;
    // A button for the keyboard too: Tab to it, Enter or Space toggles it; focus shows it like a hover.
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    node.setAttribute("aria-pressed", String(on));
    node.setAttribute("aria-label", `${feature.label} input`);
    node.addEventListener("click", () => this.actions.toggleFeature(feature.key));
    node.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      this.actions.toggleFeature(feature.key);
    });
  }

  buildNeuron(sizes, layer, neuron, at, size) {
    const output = layer === sizes.length - 1;
    const node = element("div", output ? "node output" : "node", this.container);
    place(node, at.x, at.y);
    node.dataset.layer = layer;
    node.dataset.neuron = neuron;
    node.title = output ? "The output neuron" : `Layer ${layer}, neuron ${neuron + 1}`;
    const classes = output && sizes[layer] > 1; // K > 2 classes: one softmax neuron per class
    if (classes) {
      node.title = `Output: the probability of class ${neuron}`;
      node.classList.add("class-output");
      node.style.setProperty("--class-colour", classCss(neuron, sizes[layer]));
    }
    const canvas = this.thumbnail(node);
    this.nodes.push({ ...this.neuronEntry(node, canvas, layer, neuron, neuronIndex(sizes, layer, neuron)),
      ...(classes && { outputClass: neuron }) });
    this.selectable(node, layer, neuron);
    const bias = element("div", "bias", this.container);
    place(bias, at.x - BIAS - 2, at.y + size - BIAS);
    bias.dataset.layer = layer;
    bias.dataset.neuron = neuron;
    bias.setAttribute("role", "button");
    bias.setAttribute("aria-label", `Bias of layer ${layer} neuron ${neuron + 1}`);
    this.hoverable(bias, { kind: "bias", layer, neuron });
    this.biases.push({ bias, index: biasIndex(sizes, layer, neuron), shade: -1 });
  }

  /** A neuron: its thumbnail's context, its place in the frame's thumbnails (null for an input), and the label of
   *  its number. */
  neuronEntry(node, canvas, layer, neuron, index) {
    const value = element("span", "value", node);
    value.hidden = true;
    return { node, context: canvas.getContext("2d"), index, layer, neuron, value };
  }

  thumbnail(node) {
    const canvas = element("canvas", null, node);
    canvas.width = 10;
    canvas.height = 10;
    return canvas;
  }

  selectable(node, layer, neuron) {
    for (const [enter, leave] of [["mouseenter", "mouseleave"], ["focus", "blur"]]) {
      node.addEventListener(enter, () => this.actions.select(layer, neuron));
      node.addEventListener(leave, () => this.actions.select(null, null));
    }
  }

  buildLayerButtons(state, columns) {
    const shape = state.config.networkShape;
    const { maxNeurons } = state.limits;
    // Close columns (many layers in a narrow window) say only the number, so their labels do not overlap.
    const narrow = columns.length > 1 && columns[1] - columns[0] < NARROW_COLUMN;
    columns.forEach((x, i) => {
      const box = element("div", "layer-buttons", this.container);
      box.style.left = `${x}px`;
      box.hidden = state.config.hidden.includes("numHiddenLayers");
      const add = element("button", "round-button small", box);
      add.textContent = "+";
      add.title = "Add a neuron to this layer";
      add.disabled = shape[i] >= maxNeurons;
      add.addEventListener("click", () => this.actions.setShape(shape.map((n, j) => (j === i ? n + 1 : n))));
      const remove = element("button", "round-button small", box);
      remove.textContent = "\u2212";
      remove.title = "Remove a neuron from this layer";
      remove.disabled = shape[i] <= 1;
      remove.addEventListener("click", () => this.actions.setShape(shape.map((n, j) => (j === i ? n - 1 : n))));
      const count = element("div", "count", box);
      const words = shape[i] === 1 ? "1 neuron" : `${shape[i]} neurons`;
      count.textContent = narrow ? String(shape[i]) : words;
      count.title = words;
    });
  }

  update(state) {
    const { thumbnails } = state.frame.arrays;
    const cells = thumbnails.shape[1] * thumbnails.shape[2];
    const discretize = Boolean(state.config.discretize);
    const count = classCount(state.frame.header);
    for (const { context, index, outputClass } of this.nodes) {
      if (index === null) continue; // an input: painted from its feature's picture below
      if (outputClass === undefined || count <= 2) this.painter.paint(context, thumbnails, index * cells, discretize);
      else paintOutputThumbnail(this.painter, context, thumbnails, index - outputClass, outputClass, count, discretize);
    }
    for (const { context, values } of this.inputs) this.painter.paint(context, values, 0, discretize);
    const step = currentStep(state);
    const scale = linkQuantity(state, step?.links);
    this.drawWires(scale, state.stats.flow, step);
    for (const entry of this.biases) {
      const shade = shadeFor(scale, scale.biases[entry.index]);
      if (shade !== entry.shade) {
        entry.bias.style.background = shadeCss(shade);
        entry.shade = shade;
      }
    }
    this.markSelected(state.frame.header.selected);
    this.showStep(step);
    const legend = legendText(scale);
    if (this.legend && this.legend.textContent !== legend) this.legend.textContent = legend;
  }

  /** The wires of the quantity shown; in a walk-through step about one layer's links, the others faded. */
  drawWires(scale, flow, step) {
    const { shades, widths, faded } = this.wires;
    this.links.forEach((link, i) => {
      const value = scale.weights[link.index];
      const lineWidth = widthOf(scale, value);
      const shade = shadeFor(scale, value);
      if (lineWidth !== link.width || shade !== link.shade) {
        link.path.dataset.color = shadeCss(shade);
        link.path.dataset.width = lineWidth;
        link.width = lineWidth;
        link.shade = shade;
      }
      shades[i] = shade;
      widths[i] = lineWidth;
      faded[i] = !step || step.links || step.linkLayer === link.layer ? 0 : 1;
    });
    this.wires.draw(flow);
  }

  /** The walk-through's step: its layer highlighted, its numbers printed on the neurons (none without a step). */
  showStep(step) {
    if (step === this.shownStep) return;
    this.shownStep = step;
    this.container.classList.toggle("walking", step !== null);
    for (const { node, layer, neuron, value } of this.nodes) {
      node.classList.toggle("active", step !== null && step.layer === layer);
      const number = step?.values?.[layer]?.[neuron];
      const shown = number !== undefined && number !== null;
      value.hidden = !shown;
      if (shown) value.textContent = significant(number, 2);
    }
  }

  markSelected(selected) {
    for (const { node } of this.nodes) {
      const on = Number(node.dataset.layer) === selected.layer && Number(node.dataset.neuron) === selected.neuron;
      if (on !== node.classList.contains("selected")) node.classList.toggle("selected", on);
    }
  }
}
