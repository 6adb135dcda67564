// The chart of the gradient's size per layer: one line per layer of weights ("layer 1" feeds the first hidden
// layer, the last one the output), the root mean square of dL/dw over its weights at each frame (thinned to the
// chart's pixels), on a log scale with a line per power of ten, so that a gradient that vanishes towards the
// inputs of a deep network is seen.
// Hovering reads out the epoch under the mouse and each layer's value there.

import { CHART_LINE, fitCanvas, followMouse } from "./canvas.js";
import { significant } from "./numbers.js";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];
const PAD = { left: 34, right: 4, top: 4, bottom: 4 };

export class GradientChart {
  constructor(container) {
    this.canvas = document.createElement("canvas");
    this.key = document.createElement("div");
    this.key.className = "layer-key";
    this.readout = document.createElement("div");
    this.readout.className = "readout";
    container.append(this.canvas, this.key, this.readout);
    this.context = this.canvas.getContext("2d");
    this.history = null;
    this.mouseX = null;
    this.keyLayers = -1;
    followMouse(this.canvas, (x) => {
      this.mouseX = x;
      this.draw();
    });
  }

  render(state) {
    this.history = state.gradients;
    if (this.history.layers !== this.keyLayers) this.drawKey(this.history.layers);
    this.draw();
  }

  drawKey(layers) {
    this.keyLayers = layers;
    this.key.replaceChildren(...Array.from({ length: layers }, (_, l) => {
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = COLORS[l % COLORS.length];
      item.append(swatch, l === layers - 1 ? `layer ${l + 1} (output)` : `layer ${l + 1}`);
      return item;
    }));
  }

  draw() {
    const history = this.history;
    const { width, height } = fitCanvas(this.canvas, this.context);
    const context = this.context;
    context.clearRect(0, 0, width, height);
    const range = history?.range();
    this.canvas.dataset.lines = "0";
    if (!range || width === 0) {
      this.readout.textContent = "";
      return;
    }
    const low = Math.floor(Math.log10(range.low));
    const high = Math.max(low + 1, Math.ceil(Math.log10(range.high)));
    const first = history.epochs[0];
    const span = Math.max(1, history.epochs[history.length - 1] - first);
    const plot = { x0: PAD.left, x1: width - PAD.right, y0: PAD.top, y1: height - PAD.bottom };
    const xOf = (epoch) => plot.x0 + ((epoch - first) / span) * (plot.x1 - plot.x0);
    const yOf = (v) => plot.y1 - ((Math.log10(v) - low) / (high - low)) * (plot.y1 - plot.y0);
    this.drawDecades(low, high, plot, yOf);
    const steps = Math.min(history.length, Math.ceil(plot.x1 - plot.x0)); // a point per pixel column at most
    let lines = 0;
    for (let l = 0; l < history.layers; l += 1) {
      context.strokeStyle = COLORS[l % COLORS.length];
      context.lineWidth = CHART_LINE;
      context.beginPath();
      let drawing = false;
      for (let s = 0; s < steps; s += 1) {
        const i = steps === 1 ? 0 : Math.round((s / (steps - 1)) * (history.length - 1));
        const v = history.rows[i][l];
        if (!(Number.isFinite(v) && v > 0)) {
          drawing = false;
          continue;
        }
        const x = history.length === 1 ? plot.x1 : xOf(history.epochs[i]);
        if (drawing) context.lineTo(x, yOf(v));
        else context.moveTo(x, yOf(v));
        drawing = true;
      }
      context.stroke();
      lines += 1;
    }
    this.canvas.dataset.lines = String(lines);
    this.drawHover(plot, xOf, first, span);
  }

  /** A faint line and a label at each power of ten (every other one when there are many). */
  drawDecades(low, high, plot, yOf) {
    const context = this.context;
    const every = Math.ceil(12 / ((plot.y1 - plot.y0) / (high - low))); // labels at least 12 px apart
    context.font = "9px system-ui, sans-serif";
    context.textAlign = "right";
    context.textBaseline = "middle";
    context.lineWidth = 1;
    for (let d = low; d <= high; d += 1) {
      const y = Math.round(yOf(10 ** d)) + 0.5;
      context.strokeStyle = "#eee";
      context.beginPath();
      context.moveTo(plot.x0, y);
      context.lineTo(plot.x1, y);
      context.stroke();
      if ((d - low) % every === 0) {
        context.fillStyle = "#888";
        context.fillText(`1e${d}`, plot.x0 - 3, Math.min(Math.max(y, plot.y0 + 4), plot.y1 - 4));
      }
    }
  }

  drawHover(plot, xOf, first, span) {
    const history = this.history;
    if (this.mouseX === null) {
      this.readout.textContent = "";
      return;
    }
    const epoch = first + ((this.mouseX - plot.x0) / Math.max(1, plot.x1 - plot.x0)) * span;
    const i = history.nearest(epoch);
    const x = Math.round(history.length === 1 ? plot.x1 : xOf(history.epochs[i])) + 0.5;
    const context = this.context;
    context.strokeStyle = "rgba(0, 0, 0, 0.35)";
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, plot.y1 + PAD.bottom);
    context.stroke();
    const parts = Array.from(history.rows[i], (v, l) => `layer ${l + 1} ${significant(v, 2)}`);
    this.readout.textContent = `Epoch ${history.epochs[i].toLocaleString("en-US")}: ${parts.join(", ")}`;
  }
}
