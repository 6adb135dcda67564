// Canvases drawn at the screen's pixel density: the backing store follows the CSS size times devicePixelRatio,
// and drawing is in CSS pixels. The sizes of what a frame draws come from a ResizeObserver, not from reading the
// layout while drawing: after a frame's new numbers are written, each such read would force a layout of its own
// (several a frame).

// The charts' lines: one CSS pixel, a hairline where a pixel is a pixel, which the rasterizer draws several
// times faster than a wider stroke (1.5 cost the page about 2 ms a frame in software rendering).
export const CHART_LINE = 1;

const sizes = new WeakMap();
const resized = [];
const observer = new ResizeObserver((entries) => {
  for (const { target } of entries) sizes.set(target, { width: target.clientWidth, height: target.clientHeight });
  for (const callback of resized) callback();
});

/** An element's clientWidth and clientHeight, as of the last layout that changed them. */
export function sizeOf(element) {
  let size = sizes.get(element);
  if (!size) {
    size = { width: element.clientWidth, height: element.clientHeight }; // once: then the observer keeps it
    sizes.set(element, size);
    observer.observe(element);
  }
  return size;
}

/** Call back after the size of an element read through sizeOf changed (the page redraws what it shows). */
export function onResize(callback) {
  resized.push(callback);
}

/** Resize the canvas's backing store to its CSS size (only when it changed) and set the context's scale. */
export function fitCanvas(canvas, context) {
  const ratio = window.devicePixelRatio || 1;
  const { width, height } = sizeOf(canvas);
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { width, height };
}

/** Call back with the mouse's x over the canvas (CSS pixels) as it moves, and null when it leaves. */
export function followMouse(canvas, callback) {
  canvas.addEventListener("mousemove", (event) => callback(event.offsetX));
  canvas.addEventListener("mouseleave", () => callback(null));
}
