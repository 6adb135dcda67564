// The confusion matrix of a classifier (the frame's `confusion` array; nothing is counted here): rows are the
// true classes, columns the classes the network predicts, each cell the number of test points (or, switched,
// training points) of that row's class predicted as that column's. A cell is shaded by its share of its row: the
// diagonal (right answers) in the page's dark blue-grey and outlined, the mistakes in red. Headers carry the
// class colours.

import { classCount, classCss } from "./classes.js";

const SETS = { test: 0, train: 1 }; // the first axis of `confusion`
const NAMES = { test: "test points", train: "training points" };
const RIGHT = [24, 61, 78]; // --dark
const WRONG = [200, 45, 40];
const INK_FLIP = 0.45; // from this share on, the count is written in white

function cell(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function classHeader(tag, k, count, scope) {
  const header = cell(tag, "class-head");
  header.scope = scope;
  const swatch = cell("i", "class-swatch");
  swatch.style.background = classCss(k, count);
  header.append(swatch, String(k));
  header.title = `class ${k}`;
  return header;
}

export class ConfusionMatrix {
  /** actions: showConfusionOf("test" | "train") */
  constructor(container, actions) {
    this.table = container.querySelector("table");
    this.caption = container.querySelector(".caption");
    this.buttons = [...container.querySelectorAll("button[data-set]")];
    for (const button of this.buttons) {
      button.addEventListener("click", () => actions.showConfusionOf(button.dataset.set));
    }
    this.count = -1;
    this.cells = [];
  }

  render(state) {
    const confusion = state.frame?.arrays.confusion;
    const count = classCount(state.frame?.header);
    if (!confusion || count < 2) return;
    if (count !== this.count) this.build(count);
    const set = state.confusionSet;
    for (const button of this.buttons) {
      const on = button.dataset.set === set;
      if (button.getAttribute("aria-pressed") !== String(on)) button.setAttribute("aria-pressed", String(on));
    }
    const base = SETS[set] * count * count;
    let total = 0;
    for (let t = 0; t < count; t += 1) {
      let row = 0;
      for (let p = 0; p < count; p += 1) row += confusion[base + t * count + p];
      total += row;
      for (let p = 0; p < count; p += 1) {
        const n = confusion[base + t * count + p];
        this.fill(this.cells[t * count + p], n, row, t, p, set);
      }
    }
    const text = `Rows: the true class; columns: what the network predicts. Each cell counts ${NAMES[set]} `
      + `(${total} in all); the outlined diagonal holds the right answers.`;
    if (this.caption.textContent !== text) this.caption.textContent = text;
  }

  build(count) {
    this.count = count;
    const columns = cell("colgroup");
    columns.append(cell("col", "heads"), ...Array.from({ length: count }, () => cell("col")));
    const axis = cell("tr");
    const predicted = cell("th", "axis", "predicted \u2192");
    predicted.colSpan = count;
    axis.append(cell("th"), predicted);
    const head = cell("tr");
    head.append(cell("th", "axis", "true \u2193"));
    for (let p = 0; p < count; p += 1) head.append(classHeader("th", p, count, "col"));
    const rows = [columns, axis, head];
    this.cells = [];
    for (let t = 0; t < count; t += 1) {
      const row = cell("tr");
      row.append(classHeader("th", t, count, "row"));
      for (let p = 0; p < count; p += 1) {
        const td = cell("td", t === p ? "count right" : "count", "0");
        td.dataset.row = t;
        td.dataset.column = p;
        row.append(td);
        this.cells.push(td);
      }
      rows.push(row);
    }
    this.table.replaceChildren(...rows);
    this.table.style.setProperty("--classes", count);
  }

  fill(td, n, row, t, p, set) {
    const key = `${set}|${n}|${row}`;
    if (td.dataset.key === key) return;
    td.dataset.key = key;
    td.textContent = String(n);
    const share = row > 0 ? n / row : 0;
    const [r, g, b] = t === p ? RIGHT : WRONG;
    td.style.background = n > 0 ? `rgba(${r},${g},${b},${(0.08 + 0.92 * share).toFixed(3)})` : "";
    td.style.color = share >= INK_FLIP ? "#fff" : "";
    td.title = `${n} of the ${row} ${NAMES[set]} of class ${t} ${t === p ? "predicted right" : `taken for class ${p}`}`;
  }
}
