// Heatmaps: painting an int8 grid into a canvas through one reused ImageData, and the big heatmap: the selected
// neuron's picture (the output's by default, a hovered input's feature; with K > 2 classes the class map,
// classes.js) drawn translucent over white, with the training points (white outline) and, when asked, the test
// points (black outline) in full colour over it.

import { paintClasses, pointColor, classCount } from "./classes.js";
import { sizeOf } from "./canvas.js";
import { int8Colors } from "./colors.js";

const PLANE = 6; // the plane shown is [-6, 6] x [-6, 6]
const POINT_RADIUS = 3;
const BACKGROUND_ALPHA = 160; // of 255: the big heatmap's cells are paler than the points' full colours
const TICKS = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6];

/** Paints square grids of int8 values into canvases, reusing one ImageData per grid size. */
export class GridPainter {
  constructor(size, alpha = 255) {
    this.size = size;
    this.alpha = alpha;
    this.image = new ImageData(size, size);
    this.pixels = new Uint32Array(this.image.data.buffer);
  }

  /** Paint values[offset .. offset + size*size) into the canvas's 2D context; discretize shows the sign only. */
  paint(context, values, offset = 0, discretize = false) {
    this.paintWith(context, values, offset, int8Colors(discretize, this.alpha));
  }

  /** Paint through a colour table: packed RGBA per int8 value's byte (q & 255). */
  paintWith(context, values, offset, table) {
    const pixels = this.pixels;
    for (let i = 0, n = pixels.length; i < n; i += 1) pixels[i] = table[values[offset + i] & 255];
    context.putImageData(this.image, 0, 0);
  }
}

function canvas(className, width, height) {
  const element = document.createElement("canvas");
  element.className = className;
  element.width = width;
  element.height = height;
  return element;
}

/** The hovered input's picture in state.featurePictures ({offset}), or null (none hovered, or not loaded yet). */
function hoveredFeature(state) {
  if (state.hoveredInput === null || !state.featurePictures) return null;
  const index = state.features.findIndex((f) => f.key === state.hoveredInput);
  const cells = state.featurePictures.length / state.features.length;
  return index < 0 ? null : { offset: index * cells };
}

/** The big heatmap of the selected neuron (the output by default) with the data points over it. */
export class Heatmap {
  constructor(container, gridSize = 100) {
    this.container = container;
    this.painter = new GridPainter(gridSize, BACKGROUND_ALPHA);
    this.grid = canvas("grid", gridSize, gridSize);
    this.gridContext = this.grid.getContext("2d");
    const plane = document.createElement("div");
    plane.className = "plane";
    this.points = canvas("points", 1, 1);
    this.pointsContext = this.points.getContext("2d");
    plane.append(this.grid, this.points);
    container.append(plane, this.axis("x-axis"), this.axis("y-axis"));
    this.plane = plane;
    this.drawn = { data: null, showTest: null, width: 0 };
  }

  axis(className) {
    const axis = document.createElement("div");
    axis.className = `axis ${className}`;
    for (const tick of TICKS) {
      const label = document.createElement("span");
      label.textContent = String(tick);
      label.style.setProperty("--at", `${((tick + PLANE) / (2 * PLANE)) * 100}%`);
      axis.append(label);
    }
    return axis;
  }

  /** Redraw the grid (a hovered input's feature, else the latest frame's) and the points when the data, the
   *  test-data switch or the size changed. */
  render(state) {
    const discretize = Boolean(state.config?.discretize);
    const feature = hoveredFeature(state);
    if (feature) this.painter.paint(this.gridContext, state.featurePictures, feature.offset, discretize);
    else if (state.frame && !paintClasses(this.painter, this.gridContext, state, discretize)) {
      this.painter.paint(this.gridContext, state.frame.arrays.grid, 0, discretize);
    }
    const showTest = Boolean(state.config?.showTestData);
    const { width } = sizeOf(this.plane);
    if (state.data !== this.drawn.data || showTest !== this.drawn.showTest || width !== this.drawn.width) {
      this.drawPoints(state.data, showTest, width);
      this.drawn = { data: state.data, showTest, width };
    }
  }

  drawPoints(data, showTest, width) {
    const ratio = window.devicePixelRatio || 1;
    const size = Math.max(1, Math.round(width * ratio));
    this.points.width = size;
    this.points.height = size;
    if (!data) return;
    const context = this.pointsContext;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const { trainPoints, trainLabels, testPoints, testLabels } = data.arrays;
    const colorOf = pointColor(classCount(data.header));
    this.drawSet(context, trainPoints, trainLabels, "#fff", width, colorOf);
    if (showTest) this.drawSet(context, testPoints, testLabels, "#000", width, colorOf);
  }

  drawSet(context, points, labels, outline, width, colorOf) {
    const scale = width / (2 * PLANE);
    context.lineWidth = 1;
    context.strokeStyle = outline;
    for (let i = 0; i < labels.length; i += 1) {
      const x = (points[2 * i] + PLANE) * scale;
      const y = (PLANE - points[2 * i + 1]) * scale;
      context.beginPath();
      context.arc(x, y, POINT_RADIUS, 0, 2 * Math.PI);
      context.fillStyle = colorOf(labels[i]);
      context.fill();
      context.stroke();
    }
  }
}
