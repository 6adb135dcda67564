// The walk-through panel: open it, pick a training point (click it on the heatmap, or "a random example"), then
// go through what the network does with it one step per click (Back / Next, or the arrow keys; Esc closes). It
// shows the step's title and sentence (walkthrough-steps.js) and rings the chosen point on the heatmap; the
// network view prints the step's numbers on the neurons.

import { significant } from "./numbers.js";
import { currentStep } from "./walkthrough-steps.js";

const PLANE = 6; // the heatmap shows [-6, 6] x [-6, 6]
const PICK_RADIUS = 12; // CSS pixels: how near a click must be to a point to pick it

/** The training point nearest to (x, y) in plane units within `radius` plane units, or null. */
function nearestPoint(points, x, y, radius) {
  let best = null;
  let bestDistance = radius * radius;
  for (let i = 0; i < points.length / 2; i += 1) {
    const distance = (points[2 * i] - x) ** 2 + (points[2 * i + 1] - y) ** 2;
    if (distance <= bestDistance) {
      best = i;
      bestDistance = distance;
    }
  }
  return best;
}

function isTyping(target) {
  return target instanceof HTMLElement && (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)
    || target.isContentEditable);
}

export class Walkthrough {
  /** actions: openWalkthrough(), closeWalkthrough(), moveStep(delta), pickExample(index), randomExample() */
  constructor(actions) {
    this.panel = document.getElementById("walkthrough");
    this.openButton = document.getElementById("walk-open");
    this.title = this.panel.querySelector(".walk-title");
    this.count = this.panel.querySelector(".walk-count");
    this.text = this.panel.querySelector(".walk-text");
    this.point = this.panel.querySelector(".walk-point");
    this.back = document.getElementById("walk-back");
    this.next = document.getElementById("walk-next");
    this.heatmap = document.getElementById("heatmap");
    this.marker = document.createElement("div");
    this.marker.className = "example-marker";
    this.marker.hidden = true;
    this.points = null; // the training points, to find the one clicked
    this.open = false;
    this.shown = null; // the example and step last shown
    this.openButton.addEventListener("click", () => actions.openWalkthrough());
    document.getElementById("walk-close").addEventListener("click", () => actions.closeWalkthrough());
    document.getElementById("walk-random").addEventListener("click", () => actions.randomExample());
    this.back.addEventListener("click", () => actions.moveStep(-1));
    this.next.addEventListener("click", () => actions.moveStep(1));
    this.heatmap.addEventListener("click", (event) => {
      const index = this.open ? this.pointAt(event) : null;
      if (index !== null) actions.pickExample(index);
    });
    document.addEventListener("keydown", (event) => {
      if (!this.open || isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      const move = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (move) actions.moveStep(move);
      else if (event.key === "Escape") actions.closeWalkthrough();
      else return;
      event.preventDefault();
    });
  }

  pointAt(event) {
    const plane = this.heatmap.querySelector(".plane");
    if (!plane || !this.points) return null;
    const box = plane.getBoundingClientRect();
    const perPixel = (2 * PLANE) / box.width;
    const x = (event.clientX - box.left) * perPixel - PLANE;
    const y = PLANE - (event.clientY - box.top) * perPixel;
    return nearestPoint(this.points, x, y, PICK_RADIUS * perPixel);
  }

  render(state) {
    const walk = state.walkthrough;
    this.open = walk.open;
    this.points = state.data?.arrays.trainPoints ?? null;
    this.panel.hidden = !walk.open;
    this.openButton.hidden = walk.open;
    document.body.classList.toggle("walking", walk.open);
    const step = currentStep(state);
    this.renderMarker(walk.open ? step && state.walkthrough.example : null);
    if (!walk.open) {
      this.shown = null;
      return;
    }
    this.back.disabled = !step || step.number === 1;
    this.next.disabled = !step || step.number === step.count;
    if (step) {
      this.title.textContent = step.title;
      this.count.textContent = `step ${step.number} of ${step.count}`;
      this.text.textContent = step.text;
      const { index, point, label } = state.walkthrough.example;
      this.point.textContent = `Training point ${index + 1} at (${significant(point[0], 3)}, `
        + `${significant(point[1], 3)}), label ${significant(label, 3)}, at epoch ${state.walkthrough.example.epoch}`;
    } else {
      this.point.textContent = "";
      this.title.textContent = "One example, step by step";
      this.count.textContent = "";
      this.text.textContent = walk.index === null
        ? "Pick a training point: click one on the heatmap, or take a random example. Training pauses while you "
          + "follow it through the network; press play to go on training."
        : `Asking the server about training point ${walk.index + 1}…`;
    }
    // On a small screen the panel may lie below the fold: bring it into view when it opens or moves on.
    const shown = `${walk.index}|${step?.number}`;
    if (shown !== this.shown) {
      this.shown = shown;
      this.panel.scrollIntoView({ block: "nearest" });
    }
  }

  renderMarker(example) {
    const plane = this.heatmap.querySelector(".plane");
    if (plane && this.marker.parentElement !== plane) plane.append(this.marker);
    this.marker.hidden = !example;
    if (!example) return;
    const [x, y] = example.point;
    this.marker.style.left = `${((x + PLANE) / (2 * PLANE)) * 100}%`;
    this.marker.style.top = `${((PLANE - y) / (2 * PLANE)) * 100}%`;
    this.marker.title = `Training point ${example.index + 1} at (${significant(x, 3)}, ${significant(y, 3)})`;
  }
}
