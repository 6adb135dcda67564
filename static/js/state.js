// The one state object of the page and the functions that change it when the server speaks. Views read it and
// render; nothing else holds state. Index helpers translate (layer, neuron) into positions in a frame's arrays.

import { History } from "./history.js";

const ERROR_SECONDS = 12;

/** The state of the page before the first message from the server. */
export function createState(page, schema) {
  return {
    schema, // every hash key: kind, default, choices, menu, min, max (from the server's config.py)
    features: page.features, // [{key, label}] in input order
    datasets: page.datasets, // {classification: [...], regression: [...]}
    limits: page.limits, // {maxLayers, maxNeurons, maxSpeed}
    connection: { status: "connecting", retryMs: 0, wasPlaying: false, configsSinceOpen: 0, opened: 0 },
    config: null, // the server's canonical config (hash keys -> JSON values)
    hash: "",
    data: null, // the latest `data` message: points and labels
    frame: null, // the latest `frame` message: {header, arrays}
    run: null, // the run of the history being charted
    history: new History(),
    messages: [], // [{id, kind: "notice" | "error" | "diverged", text, expires}]
    nextMessageId: 1,
    hover: null, // what the hover card shows: {kind: "weight" | "bias", layer, source, target, neuron, editing}
    datasetPreviews: null, // {name: {points, labels}} from /api/datasets, for the dataset thumbnails
    featureThumbs: page.featureThumbnails, // feature key -> its 10 x 10 picture (constant; for inputs that are off)
    featurePictures: null, // Int8Array: every feature's 100 x 100 picture in input order (/api/feature-pictures)
    hoveredInput: null, // the key of the input under the pointer or focus: the big heatmap shows its feature
    pointed: null, // {layer, neuron} under the pointer or focus (the `select` sent), or null: the output
    confusionSet: "test", // which points the confusion matrix counts: "test" or "train"
    hideable: page.hideable, // [{name, label}]: the controls the classroom panel can hide
    hideSuffix: page.hideSuffix, // "<name><hideSuffix>=true" in a hash hides a control
    classroom: null, // {hidden: Set of control names, hideText}: the classroom panel's choices for its link
    stats: { framesDrawn: 0, drawMs: 0, flow: 0 }, // frames drawn, time spent drawing them, dash flow steps
  };
}

export function connectionOpened(state) {
  state.connection = { ...state.connection, status: "open", configsSinceOpen: 0,
    opened: state.connection.opened + 1 };
  state.run = null; // a new session: its history starts afresh
}

export function connectionClosed(state, retryMs) {
  const playing = state.frame?.header.state === "playing";
  state.connection = { ...state.connection, status: "closed", retryMs,
    wasPlaying: state.connection.status === "open" ? playing : state.connection.wasPlaying };
  state.hover = null;
}

/** A `config` message: the server's canonical config and hash. */
export function applyConfig(state, message) {
  state.config = message.config;
  state.hash = message.hash;
  state.connection.configsSinceOpen += 1;
  // The classroom panel starts from what the page was opened with; after that it is the teacher's.
  state.classroom ??= { hidden: new Set(message.config.hidden), hideText: message.config.hideText };
}

/** The classroom panel: show or hide one control (or, with name null, the texts) in the link it makes. */
export function setClassroomShown(state, name, shown) {
  if (!state.classroom) return;
  if (name === null) state.classroom.hideText = !shown;
  else if (shown) state.classroom.hidden.delete(name);
  else state.classroom.hidden.add(name);
}

export function applyDatasetPreviews(state, previews) {
  state.datasetPreviews = previews;
}

export function applyFeaturePictures(state, buffer) {
  state.featurePictures = new Int8Array(buffer);
}

/** The pointer or the focus is on an input (its feature key), or has left it (null). */
export function hoverInput(state, key) {
  state.hoveredInput = key;
}

/** The pointer or the focus is on a neuron (the page asks the server to select it), or has left (null). */
export function pointAt(state, layer, neuron) {
  state.pointed = layer === null ? null : { layer, neuron };
}

/** The confusion matrix counts the test points ("test") or the training points ("train"). */
export function showConfusionOf(state, set) {
  state.confusionSet = set;
}

export function applyData(state, decoded) {
  state.data = decoded;
}

export function applyFrame(state, decoded) {
  const header = decoded.header;
  if (header.run !== state.run) {
    state.history.clear();
    state.run = header.run;
  }
  state.history.append(header.historyStart, decoded.arrays.history);
  state.frame = decoded;
  if (header.state === "playing") state.stats.flow += 1;
  if (header.state !== "diverged") dropMessages(state, "diverged"); // reset or a new network: over
}

export function addMessage(state, kind, text) {
  dropMessages(state, kind === "error" ? "error" : kind);
  const expires = kind === "error" ? Date.now() + ERROR_SECONDS * 1000 : Infinity;
  state.messages = [...state.messages, { id: state.nextMessageId, kind, text, expires }];
  state.nextMessageId += 1;
}

export function dropMessages(state, kind) {
  // A new array only when something goes, so views comparing by identity re-render only then.
  if (state.messages.some((m) => m.kind === kind)) state.messages = state.messages.filter((m) => m.kind !== kind);
}

export function dismissMessage(state, id) {
  state.messages = state.messages.filter((m) => m.id !== id);
}

export function expireMessages(state, now = Date.now()) {
  const before = state.messages.length;
  state.messages = state.messages.filter((m) => m.expires > now);
  return state.messages.length !== before;
}

// --- where things are in a frame's arrays -------------------------------------------------------------------

/** Offset of neuron (layer, neuron) in the thumbnails: inputs first, the output last. */
export function neuronIndex(sizes, layer, neuron) {
  let index = neuron;
  for (let l = 0; l < layer; l += 1) index += sizes[l];
  return index;
}

/** Offset of the weight from `source` in layer-1 to `target` in layer (layer >= 1). */
export function weightIndex(sizes, layer, source, target) {
  let index = 0;
  for (let l = 1; l < layer; l += 1) index += sizes[l - 1] * sizes[l];
  return index + source * sizes[layer] + target;
}

/** Offset of the bias of (layer, neuron) (layer >= 1). */
export function biasIndex(sizes, layer, neuron) {
  let index = neuron;
  for (let l = 1; l < layer; l += 1) index += sizes[l];
  return index;
}

/** The value the hover card is about, from the latest frame (NaN if it no longer exists). */
export function hoveredValue(state) {
  const hover = state.hover;
  const frame = state.frame;
  if (!hover || !frame) return NaN;
  const sizes = frame.header.sizes;
  if (hover.layer < 1 || hover.layer >= sizes.length) return NaN;
  if (hover.kind === "bias") {
    return hover.neuron < sizes[hover.layer] ? frame.arrays.biases[biasIndex(sizes, hover.layer, hover.neuron)] : NaN;
  }
  if (hover.source >= sizes[hover.layer - 1] || hover.target >= sizes[hover.layer]) return NaN;
  return frame.arrays.weights[weightIndex(sizes, hover.layer, hover.source, hover.target)];
}
