// Drawing your own data on the big heatmap: the "Draw points" toggle, the chooser of what a new point is (orange or
// blue, one of K classes, or a value for regression), "Clear", the hint, and the plane's clicks: a click adds a
// training point, Alt+click a test point, Shift+click removes the nearest point. With the keyboard, the plane is
// one Tab stop: the arrows move a cross, Enter adds a point there (Alt+Enter a test point), Delete removes the
// nearest. The server owns the points; this view only sends where the learner clicked.

import { classCss } from "./classes.js";
import { cssColor } from "./colors.js";
import { clampToPlane, planeAt, planePercent } from "./plane.js";

const STEP = 0.25; // plane units per arrow key (Shift: 1)
const BINARY = [{ label: -1, name: "orange" }, { label: 1, name: "blue" }];

/** The label a new point gets now: the chosen class if it exists in this problem, else the first one. */
export function drawLabel(state) {
  const config = state.config;
  const { label, value } = state.drawing;
  if (config?.problem === "regression") return value;
  const classes = config?.classes ?? 2;
  if (classes <= 2) return label === -1 ? -1 : 1;
  return Number.isInteger(label) && label >= 0 && label < classes ? label : 0;
}

/** How many points the data has, training and test. */
function pointCount(data) {
  return data ? data.arrays.trainLabels.length + data.arrays.testLabels.length : 0;
}

export class DrawPanel {
  /** actions: setDrawing(on), setDrawLabel({label, value}), addPoint(x, y, test), removePoint(x, y),
   *  clearPoints(), moveDrawCursor(x, y) */
  constructor(heatmap, actions) {
    this.actions = actions;
    this.plane = heatmap.querySelector(".plane");
    this.toggle = document.getElementById("draw-toggle");
    this.tools = document.getElementById("draw-tools");
    this.classes = document.getElementById("draw-classes");
    this.valueLabel = document.getElementById("draw-value-label");
    this.value = document.getElementById("draw-value");
    this.valueText = this.valueLabel.querySelector("b");
    this.hint = document.getElementById("draw-hint");
    this.batch = document.getElementById("draw-batch");
    this.cross = document.createElement("div");
    this.cross.className = "draw-cursor";
    this.note = document.createElement("p");
    this.note.className = "plane-note";
    this.note.textContent = "No points yet: draw some or load a CSV";
    this.plane.append(this.cross, this.note);
    this.on = false;
    this.cursor = [0, 0];
    this.built = null; // the classes the chooser was built for
    this.toggle.addEventListener("click", () => actions.setDrawing(!this.on));
    document.getElementById("draw-clear").addEventListener("click", () => actions.clearPoints());
    this.value.addEventListener("input", () => actions.setDrawLabel({ value: Number(this.value.value) }));
    this.plane.addEventListener("click", (event) => this.click(event));
    this.plane.addEventListener("keydown", (event) => this.key(event));
  }

  click(event) {
    if (!this.on) return;
    event.stopPropagation(); // the click is a drawn point, not a pick of the walk-through
    const [x, y] = planeAt(this.plane.getBoundingClientRect(), event.clientX, event.clientY);
    if (event.shiftKey) this.actions.removePoint(x, y);
    else this.actions.addPoint(x, y, event.altKey);
  }

  key(event) {
    if (!this.on || event.ctrlKey || event.metaKey) return;
    const step = event.shiftKey ? 1 : STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    const [x, y] = this.cursor;
    if (move) {
      this.actions.moveDrawCursor(clampToPlane(x + move[0]), clampToPlane(y + move[1]));
    } else if (event.key === "Enter") {
      this.actions.addPoint(x, y, event.altKey);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      this.actions.removePoint(x, y);
    } else {
      return;
    }
    event.preventDefault();
  }

  render(state) {
    const { on, cursor } = state.drawing;
    this.on = on;
    this.cursor = cursor;
    this.toggle.setAttribute("aria-pressed", String(on));
    this.toggle.classList.toggle("pressed", on);
    this.tools.hidden = !on;
    this.hint.hidden = !on;
    this.plane.classList.toggle("drawing", on);
    if (on) {
      this.plane.tabIndex = 0;
      this.plane.setAttribute("aria-label", "Drawing area: arrow keys move the cross, Enter adds a point there "
        + "(Alt+Enter a test point), Delete removes the nearest point");
    } else {
      this.plane.removeAttribute("tabindex");
      this.plane.removeAttribute("aria-label");
    }
    this.cross.style.left = `${planePercent(cursor[0])}%`;
    this.cross.style.top = `${planePercent(-cursor[1])}%`;
    this.note.hidden = !state.data || pointCount(state.data) > 0;
    this.renderBatch(state);
    if (state.config) this.renderChooser(state);
  }

  /** A batch larger than the training set never fills, so nothing is learned: say so while drawing. */
  renderBatch(state) {
    const count = state.data?.arrays.trainLabels.length ?? 0;
    const batch = state.config?.batchSize ?? 1;
    const starved = state.drawing.on && count > 0 && count < batch;
    this.batch.hidden = !starved;
    if (starved) {
      this.batch.textContent = `${count} training point${count === 1 ? "" : "s"}, batch size ${batch}: the weights `
        + "change only once a batch is full. Draw more points or lower the batch size.";
    }
  }

  renderChooser(state) {
    const regression = state.config.problem === "regression";
    this.classes.hidden = regression;
    this.valueLabel.hidden = !regression;
    const value = state.drawing.value;
    if (Number(this.value.value) !== value) this.value.value = String(value);
    this.valueText.textContent = value.toFixed(1);
    this.valueText.style.color = cssColor(value);
    if (regression) return;
    const classes = state.config.classes ?? 2;
    if (this.built !== classes) this.buildChooser(classes);
    const chosen = drawLabel(state);
    for (const button of this.classes.children) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.label) === chosen));
    }
  }

  buildChooser(classes) {
    this.built = classes;
    const choices = classes <= 2 ? BINARY
      : Array.from({ length: classes }, (_, i) => ({ label: i, name: `class ${i}` }));
    this.classes.replaceChildren(...choices.map(({ label, name }) => {
      const button = document.createElement("button");
      button.className = "draw-class";
      button.dataset.label = String(label);
      button.title = `New points are ${name}`;
      button.setAttribute("aria-label", `New points: ${name}`);
      // The classes' own colours (classes.js); K > 2 also shows the index, as the class legend names them.
      button.style.setProperty("--swatch", classes <= 2 ? cssColor(label) : classCss(label, classes));
      if (classes > 2) button.textContent = String(label);
      button.addEventListener("click", () => this.actions.setDrawLabel({ label }));
      return button;
    }));
  }
}
