// The hover card's chart of the loss along one weight or bias (`slice` message): the training loss L as that one
// parameter varies with all others fixed, the current point, the tangent there (its slope is the gradient dL/dw)
// and the point where one plain gradient-descent step lands (w − learning rate × dL/dw).

import { fitCanvas } from "./canvas.js";
import { significant } from "./numbers.js";

const PAD = { left: 6, right: 6, top: 14, bottom: 16 };
const INK = "#183d4e";
const TANGENT = "#c0392b";
const LANDING = "#f59322";

export class SliceChart {
  constructor(container) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "slice";
    this.caption = document.createElement("p");
    this.caption.className = "slice-caption";
    container.append(this.canvas, this.caption);
    this.context = this.canvas.getContext("2d");
  }

  /** Draw a slice, or a note that it is on its way (slice null). symbol: "w" or "b". */
  render(slice, symbol) {
    const { width, height } = fitCanvas(this.canvas, this.context);
    const context = this.context;
    context.clearRect(0, 0, width, height);
    this.canvas.dataset.drawn = slice ? `${slice.epoch}:${slice.value}` : "";
    if (!slice) {
      this.caption.textContent = "Computing the loss along this parameter…";
      return;
    }
    this.caption.textContent = `The training loss L as ${symbol} varies, all else fixed. ● now; the red tangent's `
      + `slope is dL/d${symbol}; ○ where one gradient-descent step lands: ${symbol} − learning rate × `
      + `dL/d${symbol} = ${significant(slice.landing, 3)}, L = ${significant(slice.landingLoss, 3)}.`;
    const span = slice.values[slice.values.length - 1] - slice.values[0];
    if (Math.abs(slice.landing - slice.value) < span / 100) {
      this.caption.textContent += " At this scale the step is too small to see.";
    }
    const box = { x0: PAD.left, x1: width - PAD.right, y0: PAD.top, y1: height - PAD.bottom };
    const scale = this.scale(slice, box);
    if (!scale) return;
    this.drawAxes(slice, symbol, box, scale);
    this.drawCurve(slice, scale);
    this.drawTangent(slice, box, scale);
    this.drawStep(slice, scale);
  }

  scale(slice, box) {
    const { values, losses } = slice;
    const finite = [...losses, slice.loss, slice.landingLoss].filter(Number.isFinite);
    if (values.length < 2 || finite.length === 0) return null;
    const low = Math.min(...finite);
    const high = Math.max(...finite);
    const margin = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
    const [xLow, xHigh] = [values[0], values[values.length - 1]];
    return {
      x: (v) => box.x0 + ((v - xLow) / (xHigh - xLow)) * (box.x1 - box.x0),
      y: (l) => box.y1 - ((l - low + margin) / (high - low + 2 * margin)) * (box.y1 - box.y0),
      xLow, xHigh,
    };
  }

  drawAxes(slice, symbol, box, scale) {
    const context = this.context;
    context.strokeStyle = "#ddd";
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(box.x0, box.y1 + 0.5);
    context.lineTo(box.x1, box.y1 + 0.5);
    context.stroke();
    context.fillStyle = "#777";
    context.font = "10px system-ui, sans-serif";
    context.textBaseline = "top";
    context.textAlign = "left";
    context.fillText(significant(scale.xLow, 2), box.x0, box.y1 + 3);
    context.textAlign = "right";
    context.fillText(significant(scale.xHigh, 2), box.x1, box.y1 + 3);
    context.textAlign = "center";
    context.fillText(symbol, (box.x0 + box.x1) / 2, box.y1 + 3);
    context.textAlign = "left";
    context.textBaseline = "bottom";
    context.fillText(`loss L (now ${significant(slice.loss, 3)})`, box.x0, box.y0 - 1);
  }

  drawCurve(slice, scale) {
    const context = this.context;
    context.strokeStyle = INK;
    context.lineWidth = 1.5;
    context.beginPath();
    let drawing = false;
    slice.values.forEach((v, i) => {
      const loss = slice.losses[i];
      if (!Number.isFinite(loss)) {
        drawing = false;
        return;
      }
      if (drawing) context.lineTo(scale.x(v), scale.y(loss));
      else context.moveTo(scale.x(v), scale.y(loss));
      drawing = true;
    });
    context.stroke();
  }

  drawTangent(slice, box, scale) {
    if (!Number.isFinite(slice.gradient) || !Number.isFinite(slice.loss)) return;
    const context = this.context;
    const reach = (scale.xHigh - scale.xLow) * 0.3;
    const at = (v) => [scale.x(v), scale.y(slice.loss + slice.gradient * (v - slice.value))];
    context.save();
    context.beginPath();
    context.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    context.clip();
    context.strokeStyle = TANGENT;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(...at(slice.value - reach));
    context.lineTo(...at(slice.value + reach));
    context.stroke();
    context.restore();
  }

  drawStep(slice, scale) {
    const context = this.context;
    const from = [scale.x(slice.value), scale.y(slice.loss)];
    if (Number.isFinite(slice.landing) && Number.isFinite(slice.landingLoss)) {
      const to = [scale.x(slice.landing), scale.y(slice.landingLoss)];
      context.strokeStyle = LANDING;
      context.lineWidth = 1.5;
      context.setLineDash([3, 2]);
      context.beginPath();
      context.moveTo(...from);
      context.lineTo(...to);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = "#fff";
      context.beginPath();
      context.arc(to[0], to[1], 4, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
    if (Number.isFinite(slice.loss)) {
      context.fillStyle = INK;
      context.beginPath();
      context.arc(from[0], from[1], 4, 0, 2 * Math.PI);
      context.fill();
    }
  }
}
