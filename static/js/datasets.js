// The dataset picker: a thumbnail per dataset of the current problem type, drawn from points the server really
// generated (/api/datasets); a click chooses it. The "custom" entry (your own data: drawn or loaded) shows the
// current points while it is the active dataset.

import { classCount, pointColor } from "./classes.js";
import { cssColor } from "./colors.js";

const SIZE = 56; // CSS pixels
const PLANE = 6;
const NAMES = {
  circle: "Circle", xor: "Exclusive or", gauss: "Gaussian", spiral: "Spiral",
  "reg-plane": "Plane", "reg-gauss": "Multi Gaussian", custom: "Your own data (drawn or loaded)",
};
const CUSTOM = "custom";

export class DatasetPicker {
  /** actions: setConfig(values) */
  constructor(container, actions) {
    this.container = container;
    this.actions = actions;
    this.built = null;
    this.buttons = new Map();
    this.customData = null; // the data the custom thumbnail shows
  }

  render(state) {
    const config = state.config;
    if (!config) return;
    const problem = config.problem;
    const knob = problem === "classification" ? "dataset" : "regDataset";
    // Every choice of the knob: the generated datasets (with previews) and, where the server has it, custom.
    const names = state.schema[knob].choices;
    const key = `${problem}|${Boolean(state.datasetPreviews)}`;
    if (key !== this.built) {
      this.build(names, state.datasetPreviews, knob);
      this.built = key;
    }
    const active = problem === "classification" ? config.dataset : config.regDataset;
    for (const [name, button] of this.buttons) {
      button.classList.toggle("selected", name === active);
      button.setAttribute("aria-pressed", String(name === active));
    }
    const custom = this.buttons.get(CUSTOM);
    if (custom && active === CUSTOM && state.data && state.data !== this.customData) {
      this.customData = state.data;
      const { trainPoints, trainLabels } = state.data.arrays;
      const points = Array.from({ length: trainLabels.length }, (_, i) => [trainPoints[2 * i], trainPoints[2 * i + 1]]);
      const color = pointColor(classCount(state.data.header)); // K > 2: the labels are class indices
      this.draw(custom.querySelector("canvas"), { points, labels: trainLabels }, color);
    }
  }

  build(names, previews, key) {
    this.buttons.clear();
    this.customData = null;
    this.container.replaceChildren();
    for (const name of names) {
      const button = document.createElement("button");
      button.className = "dataset";
      button.dataset.dataset = name;
      button.title = NAMES[name] ?? name;
      button.setAttribute("aria-label", `Dataset: ${NAMES[name] ?? name}`);
      const canvas = document.createElement("canvas");
      button.append(canvas);
      if (previews?.[name]) this.draw(canvas, previews[name]);
      button.addEventListener("click", () => this.actions.setConfig({ [key]: name }));
      this.container.append(button);
      this.buttons.set(name, button);
    }
  }

  draw(canvas, { points, labels }, color = cssColor) {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = SIZE * ratio;
    canvas.height = SIZE * ratio;
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const scale = SIZE / (2 * PLANE);
    points.forEach(([x, y], i) => {
      context.fillStyle = color(labels[i]);
      context.beginPath();
      context.arc((x + PLANE) * scale, (PLANE - y) * scale, 1.1, 0, 2 * Math.PI);
      context.fill();
    });
  }
}
