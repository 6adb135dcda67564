// The network view's wires, drawn off the page's main thread: a module worker that owns the wires canvas (an
// OffscreenCanvas handed over by wires.js) and strokes every link as a dashed curve in its shade, width and
// opacity, the dashes flowing with the epochs. Drawing hundreds of dashed curves is the costliest part of a frame;
// here it runs beside the page's own drawing instead of inside it.

import { shadeCss } from "./colors.js";

const DASHES = [8, 2]; // dash and gap of the wires, in pixels
const DASH_PERIOD = 10; // their sum: the dashes move one pixel per frame while training
const FADED = 0.15; // the opacity of the links the walk-through's step is not about

let canvas = null;
let curves = [];
let size = { width: 0, height: 0 };

self.onmessage = ({ data }) => {
  if (data.type === "layout") {
    ({ canvas } = data);
    size = { width: data.width, height: data.height };
    curves = data.curves.map((d) => new Path2D(d));
    const context = canvas.getContext("2d");
    context.scale(data.ratio, data.ratio);
  } else if (data.type === "draw" && canvas) {
    draw(canvas.getContext("2d"), data);
  }
};

/** shades (colors.js indices), widths (CSS pixels), faded (1 for a link the walk-through's step is not about). */
function draw(context, { shades, widths, faded, flow }) {
  context.clearRect(0, 0, size.width, size.height);
  context.setLineDash(DASHES);
  context.lineDashOffset = -(flow % DASH_PERIOD);
  for (let i = 0; i < curves.length; i += 1) {
    context.globalAlpha = faded[i] ? FADED : 1;
    context.lineWidth = widths[i];
    context.strokeStyle = shadeCss(shades[i]);
    context.stroke(curves[i]);
  }
  context.globalAlpha = 1;
}
