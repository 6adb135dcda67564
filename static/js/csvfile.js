// CSV files in and out: "Load CSV" (a file picker) and a .csv file dropped on the heatmap are read as text and
// handed on whole (the server reads it: csvdata.py owns the format and names a bad line); "Download CSV" asks the
// server for the data (its `csv` reply is saved by download.js).

const encoder = new TextEncoder();

/** The `load_csv` command for a file's text, or an error when it would not fit in one websocket message. */
export function loadCommand(text, name, maxBytes) {
  const command = { type: "load_csv", text, name };
  const bytes = encoder.encode(JSON.stringify(command)).length;
  if (bytes <= maxBytes) return { command };
  const kib = (n) => `${Math.ceil(n / 1024)} KiB`;
  return { error: `"${name}" is too large to load: ${kib(bytes)}, and a file can be at most about ${kib(maxBytes)}` };
}

function isCsv(file) {
  return /\.csv$/i.test(file.name) || file.type === "text/csv";
}

export class CsvFiles {
  /** actions: loadCsv(text, name), saveCsv(), refuse(text); dropTarget: the element a file may be dropped on */
  constructor(actions, dropTarget) {
    this.actions = actions;
    this.input = document.getElementById("csv-file");
    document.getElementById("csv-load").addEventListener("click", () => this.input.click());
    document.getElementById("csv-save").addEventListener("click", () => actions.saveCsv());
    this.input.addEventListener("change", () => {
      const file = this.input.files[0];
      this.input.value = ""; // choosing the same file again loads it again
      if (file) this.read(file);
    });
    const carriesFiles = (event) => event.dataTransfer?.types.includes("Files");
    dropTarget.addEventListener("dragover", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      dropTarget.classList.add("dropping");
    });
    dropTarget.addEventListener("dragleave", () => dropTarget.classList.remove("dropping"));
    dropTarget.addEventListener("drop", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      dropTarget.classList.remove("dropping");
      const file = event.dataTransfer.files[0];
      if (file && isCsv(file)) this.read(file);
      else if (file) actions.refuse(`"${file.name}" is not a CSV file: drop a .csv file with x, y and a label per line`);
    });
  }

  async read(file) {
    try {
      this.actions.loadCsv(await file.text(), file.name);
    } catch {
      this.actions.refuse(`"${file.name}" could not be read`);
    }
  }
}
