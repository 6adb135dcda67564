// The gradient's size per layer over a run, one row per frame: the frame's epoch and its `layerGradients` (the
// root mean square of dL/dw over each layer's weights). Frames skip epochs while training runs fast, so each row
// keeps its epoch. Memory stays bounded: past MAX_ROWS rows every other row is dropped.

const MAX_ROWS = 4096;

export class LayerHistory {
  constructor() {
    this.clear(0);
  }

  clear(layers) {
    this.layers = layers;
    this.epochs = [];
    this.rows = []; // one Float32Array of `layers` values per row
    this.low = Infinity; // the smallest and largest finite positive value of the rows, kept as they come
    this.high = 0;
  }

  /** Add a frame's values; a new layer count or an epoch that went back starts afresh. */
  append(epoch, values) {
    if (!values || values.length !== this.layers) this.clear(values ? values.length : 0);
    if (!values) return;
    const last = this.epochs.length - 1;
    if (last >= 0 && epoch < this.epochs[last]) this.clear(values.length);
    if (last >= 0 && epoch === this.epochs[this.epochs.length - 1]) {
      this.rows[this.rows.length - 1] = Float32Array.from(values); // the same epoch again: an edit, say
      this.measure();
      return;
    }
    this.epochs.push(epoch);
    this.rows.push(Float32Array.from(values));
    this.include(values);
    if (this.epochs.length > MAX_ROWS) {
      this.epochs = this.epochs.filter((_, i) => i % 2 === 0);
      this.rows = this.rows.filter((_, i) => i % 2 === 0);
      this.measure();
    }
  }

  include(values) {
    for (const v of values) {
      if (Number.isFinite(v) && v > 0) {
        if (v < this.low) this.low = v;
        if (v > this.high) this.high = v;
      }
    }
  }

  measure() {
    this.low = Infinity;
    this.high = 0;
    for (const row of this.rows) this.include(row);
  }

  get length() {
    return this.epochs.length;
  }

  /** The smallest and largest finite positive value of all rows: the chart's log range. */
  range() {
    return this.high > 0 ? { low: this.low, high: this.high } : null;
  }

  /** The row whose epoch is nearest to `epoch`. */
  nearest(epoch) {
    let best = 0;
    for (let i = 1; i < this.epochs.length; i += 1) {
      if (Math.abs(this.epochs[i] - epoch) < Math.abs(this.epochs[best] - epoch)) best = i;
    }
    return best;
  }
}
