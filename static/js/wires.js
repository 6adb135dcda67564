// The network view's wires canvas, drawn by a worker (wires-worker.js) so that stroking hundreds of dashed curves
// does not hold up the page's drawing of each frame. The view hands over, per frame, each link's shade, width and
// whether it is faded; the worker draws them.

const worker = new Worker(new URL("./wires-worker.js", import.meta.url), { type: "module" });

export class Wires {
  /** A canvas of the view's size (at the screen's pixel density) under the links; curves: each link's SVG path. */
  constructor(root, width, height, curves) {
    const canvas = document.createElement("canvas");
    canvas.className = "wires";
    root.append(canvas);
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const offscreen = canvas.transferControlToOffscreen();
    worker.postMessage({ type: "layout", canvas: offscreen, width, height, ratio, curves }, [offscreen]);
    this.shades = new Int32Array(curves.length);
    this.widths = new Float32Array(curves.length);
    this.faded = new Uint8Array(curves.length);
  }

  /** Draw the links as set in shades, widths and faded; flow counts the frames trained, to move the dashes. */
  draw(flow) {
    worker.postMessage({ type: "draw", shades: this.shades, widths: this.widths, faded: this.faded, flow });
  }
}
