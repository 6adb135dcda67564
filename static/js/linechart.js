// A line chart of the run's history, one point per epoch (thinned to the chart's pixels): the loss chart
// (training grey, test black, y scaled to what is drawn) and the accuracy chart (0 to 100 %). Hovering reads out
// the epoch under the mouse and each series' value there.

import { CHART_LINE, fitCanvas, followMouse } from "./canvas.js";

const PAD = 2;

export class LineChart {
  /**
   * @param {HTMLElement} container
   * @param {{series: {column: number, name: string, color: string}[], fixedMax?: number,
   *          format: (v: number) => string}} options
   */
  constructor(container, options) {
    this.options = options;
    this.canvas = document.createElement("canvas");
    this.readout = document.createElement("div");
    this.readout.className = "readout";
    container.append(this.canvas, this.readout);
    this.context = this.canvas.getContext("2d");
    this.container = container;
    this.mouseX = null;
    this.history = null;
    followMouse(this.canvas, (x) => {
      this.mouseX = x;
      this.draw();
    });
  }

  render(state) {
    this.history = state.history;
    this.draw();
  }

  draw() {
    const history = this.history;
    const { width, height } = fitCanvas(this.canvas, this.context);
    const context = this.context;
    context.clearRect(0, 0, width, height);
    if (!history || history.length === 0 || width === 0) {
      this.readout.textContent = "";
      return;
    }
    const { series, fixedMax } = this.options;
    const top = fixedMax ?? (Math.max(...series.map((s) => history.max[s.column])) || 1);
    const n = history.length;
    const xOf = (i) => (n === 1 ? 0 : (i / (n - 1)) * width);
    const yOf = (v) => height - PAD - (Math.min(v, top) / top) * (height - 2 * PAD);
    const steps = Math.min(n, Math.ceil(width));
    context.lineWidth = CHART_LINE;
    for (const { column, color } of series) {
      context.strokeStyle = color;
      context.beginPath();
      let drawing = false;
      for (let s = 0; s < steps; s += 1) {
        const i = steps === 1 ? 0 : Math.round((s / (steps - 1)) * (n - 1));
        const v = history.value(i, column);
        if (!Number.isFinite(v)) {
          drawing = false;
          continue;
        }
        if (drawing) context.lineTo(xOf(i), yOf(v));
        else context.moveTo(xOf(i), yOf(v));
        drawing = true;
      }
      context.stroke();
    }
    this.drawHover(history, width, height, xOf);
  }

  drawHover(history, width, height, xOf) {
    if (this.mouseX === null) {
      this.readout.textContent = "";
      return;
    }
    const n = history.length;
    const i = Math.max(0, Math.min(n - 1, Math.round((this.mouseX / Math.max(1, width)) * (n - 1))));
    const context = this.context;
    context.strokeStyle = "rgba(0, 0, 0, 0.35)";
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(Math.round(xOf(i)) + 0.5, 0);
    context.lineTo(Math.round(xOf(i)) + 0.5, height);
    context.stroke();
    const parts = this.options.series.map((s) => `${s.name} ${this.options.format(history.value(i, s.column))}`);
    this.readout.textContent = `Epoch ${history.epochOf(i).toLocaleString("en-US")}: ${parts.join(", ")}`;
  }
}
