// Canvases drawn at the screen's pixel density: the backing store follows the CSS size times devicePixelRatio,
// and drawing is in CSS pixels.

/** Resize the canvas's backing store to its CSS size (only when it changed) and set the context's scale. */
export function fitCanvas(canvas, context) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
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
