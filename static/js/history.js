// The per-epoch history of one run (train loss, test loss, train accuracy, test accuracy), as the frames bring
// it. Memory stays bounded: past MAX_ROWS rows every other row is dropped and one row then stands for `stride`
// epochs, which is still more rows than a chart has pixels.

const COLUMNS = 4;
const MAX_ROWS = 65536;

export class History {
  constructor() {
    this.clear();
  }

  clear() {
    this.rows = new Float32Array(1024 * COLUMNS);
    this.length = 0; // rows stored
    this.stride = 1; // epochs per stored row
    this.next = 0; // the epoch the next stored row stands for
    this.max = new Float32Array(COLUMNS); // largest finite value of each column
  }

  /** Add the rows of epochs start, start + 1, ... (a Float32Array of k * 4 values). */
  append(start, values) {
    const count = values.length / COLUMNS;
    for (let k = 0; k < count; k += 1) {
      const epoch = start + k;
      if (epoch < this.next - this.stride) this.truncate(epoch);
      while (this.next < epoch) this.push(null, 0); // a gap: rows of NaN keep epochs and rows aligned
      if (epoch === this.next) this.push(values, k * COLUMNS);
    }
  }

  push(values, at) {
    if ((this.length + 1) * COLUMNS > this.rows.length) this.grow();
    const row = this.length * COLUMNS;
    for (let c = 0; c < COLUMNS; c += 1) {
      const v = values === null ? NaN : values[at + c];
      this.rows[row + c] = v;
      if (v > this.max[c]) this.max[c] = v;
    }
    this.length += 1;
    this.next += this.stride;
    if (this.length >= MAX_ROWS) this.thin();
  }

  grow() {
    const rows = new Float32Array(this.rows.length * 2);
    rows.set(this.rows);
    this.rows = rows;
  }

  /** Keep every other row: one row now stands for twice as many epochs. */
  thin() {
    const kept = Math.ceil(this.length / 2);
    for (let i = 0; i < kept; i += 1) {
      this.rows.copyWithin(i * COLUMNS, 2 * i * COLUMNS, (2 * i + 1) * COLUMNS);
    }
    this.length = kept;
    this.stride *= 2;
    this.next = kept * this.stride;
    this.measure();
  }

  /** Forget rows from the given epoch on (the server went back in time without a new run). */
  truncate(epoch) {
    this.length = Math.max(0, Math.ceil(epoch / this.stride));
    this.next = this.length * this.stride;
    this.measure();
  }

  measure() {
    this.max.fill(0);
    for (let i = 0; i < this.length * COLUMNS; i += 1) {
      const c = i % COLUMNS;
      if (this.rows[i] > this.max[c]) this.max[c] = this.rows[i];
    }
  }

  /** The value of column c in stored row i. */
  value(i, c) {
    return this.rows[i * COLUMNS + c];
  }

  /** The epoch stored row i stands for. */
  epochOf(i) {
    return i * this.stride;
  }
}

export const TRAIN_LOSS = 0;
export const TEST_LOSS = 1;
export const TRAIN_ACCURACY = 2;
export const TEST_ACCURACY = 3;
