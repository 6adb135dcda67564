// The controls: the top bars' menus, the data column's sliders, the checkboxes and the buttons. Option lists and
// ranges come from the server's schema (config.py), never typed here; the controls show the server's canonical
// config, and an edit is sent as a `config` command whose answer then sets them.

export const LABELS = {
  relu: "ReLU", tanh: "Tanh", sigmoid: "Sigmoid", linear: "Linear", leakyRelu: "Leaky ReLU",
  none: "None", classification: "Classification", regression: "Regression",
  sgd: "SGD", momentum: "Momentum", nesterov: "Nesterov momentum", rmsprop: "RMSprop", adam: "Adam",
  uniform: "Uniform ±0.5", zero: "Zero", xavier: "Xavier", he: "He",
  weights: "weights", gradients: "gradients", steps: "last step",
};
const USES_MOMENTUM = ["momentum", "nesterov"];

function option(select, value, text) {
  const item = document.createElement("option");
  item.value = String(value);
  item.textContent = text;
  select.append(item);
}

/** The whole numbers from low to high: the menu of a whole-number knob that has no menu of its own. */
function wholeNumbers(low, high) {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** Show a value in a select, adding it as an option when a link carries a value the menu lacks. */
function showValue(select, value) {
  const text = String(value);
  if (![...select.options].some((o) => o.value === text)) option(select, text, text);
  if (select.value !== text) select.value = text;
}

export class Controls {
  /** actions: setConfig(values), command(type), togglePlay(), addLayer(), removeLayer() */
  constructor(state, actions) {
    this.schema = state.schema;
    this.selects = [...document.querySelectorAll("select[data-key]")];
    this.ranges = [...document.querySelectorAll("input[type=range][data-key]")];
    this.checks = [...document.querySelectorAll("input[type=checkbox][data-key]")];
    this.fill(state.schema);
    this.listen(actions);
  }

  fill(schema) {
    for (const select of this.selects) {
      const knob = schema[select.dataset.key];
      const labels = knob.labels ?? LABELS;
      let values = knob.menu.length ? knob.menu : wholeNumbers(knob.min, knob.max);
      if (knob.kind === "choice") values = knob.choices;
      values.forEach((v) => option(select, v, labels[v] ?? String(v)));
      // A labelled value that is not a choice (the loss of K > 2 classes) is only ever shown, never offered.
      for (const [value, label] of Object.entries(knob.labels ?? {})) {
        if (knob.choices.includes(value)) continue;
        option(select, value, label);
        select.lastElementChild.hidden = true;
      }
    }
  }

  listen(actions) {
    for (const select of this.selects) {
      select.addEventListener("change", () => {
        const key = select.dataset.key;
        actions.setConfig({ [key]: this.schema[key].kind === "choice" ? select.value : Number(select.value) });
      });
    }
    // Sliders act while dragged: at most one change per displayed frame, and always the last value.
    this.sliding = new Set(); // keys of the sliders under the pointer: the server's config does not move them
    this.sent = {}; // the value last sent per slider
    this.frameRequest = 0;
    const flush = () => {
      this.frameRequest = 0;
      const values = {};
      for (const range of this.ranges) {
        const value = Number(range.value);
        if (value !== this.sent[range.dataset.key]) values[range.dataset.key] = value;
      }
      if (Object.keys(values).length === 0) return;
      Object.assign(this.sent, values);
      actions.setConfig(values);
    };
    for (const range of this.ranges) {
      range.addEventListener("pointerdown", () => this.sliding.add(range.dataset.key));
      range.addEventListener("input", () => {
        this.label(range);
        this.frameRequest ||= requestAnimationFrame(flush);
      });
      range.addEventListener("change", () => {
        cancelAnimationFrame(this.frameRequest);
        flush();
      });
    }
    window.addEventListener("pointerup", () => this.sliding.clear());
    for (const check of this.checks) {
      check.addEventListener("change", () => actions.setConfig({ [check.dataset.key]: check.checked }));
    }
    document.getElementById("play-pause-button").addEventListener("click", () => actions.togglePlay());
    const buttons = { "reset-button": "reset", "next-step-button": "step", "data-regen-button": "regenerate",
      "export-keras-button": "export_keras" };
    for (const [id, type] of Object.entries(buttons)) {
      document.getElementById(id).addEventListener("click", () => actions.command(type));
    }
    document.getElementById("add-layers").addEventListener("click", () => actions.addLayer());
    document.getElementById("remove-layers").addEventListener("click", () => actions.removeLayer());
  }

  label(range) {
    const shown = document.querySelector(`[data-value-for="${range.dataset.key}"]`);
    shown.textContent = `${range.value}${range.dataset.unit ?? ""}`;
  }

  /** Show the server's config in every control. */
  render(state) {
    const config = state.config;
    if (!config) return;
    for (const select of this.selects) showValue(select, config[select.dataset.key]);
    // Regression always trains on squared error (cross-entropy reads outputs as probabilities), more than two
    // classes on categorical cross-entropy: show it so.
    const regression = config.problem === "regression";
    const multiclass = !regression && config.classes > 2;
    const loss = document.getElementById("loss");
    loss.disabled = regression || multiclass;
    if (regression) showValue(loss, "squared");
    if (multiclass) showValue(loss, "categoricalCrossEntropy");
    for (const range of this.ranges) {
      this.sent[range.dataset.key] = config[range.dataset.key];
      if (this.sliding.has(range.dataset.key)) continue;
      range.value = config[range.dataset.key];
      this.label(range);
    }
    for (const check of this.checks) check.checked = Boolean(config[check.dataset.key]);
    document.getElementById("momentum").disabled = !USES_MOMENTUM.includes(config.optimizer);
    const layers = config.networkShape.length;
    document.getElementById("num-layers").textContent = String(layers);
    document.getElementById("layers-label").textContent = layers === 1 ? "hidden layer" : "hidden layers";
    document.getElementById("add-layers").disabled = layers >= state.limits.maxLayers;
    document.getElementById("remove-layers").disabled = layers === 0;
    for (const element of document.querySelectorAll("[data-control]")) {
      element.hidden = config.hidden.includes(element.dataset.control);
    }
    document.body.classList.toggle("regression", regression);
    document.body.classList.toggle("hide-text", config.hideText);
  }
}
