// The one state object of the page and the functions that change it when the server speaks. Views read it and
// render; nothing else holds state. Index helpers translate (layer, neuron) into positions in a frame's arrays.

import { biasIndex, weightIndex } from "./frame-index.js";
import { History } from "./history.js";
import { LayerHistory } from "./layer-history.js";
import { goalMet, readings } from "./lesson-goals.js";

const ERROR_SECONDS = 12;

/** The state of the page before the first message from the server. */
export function createState(page, schema) {
  return {
    schema, // every hash key: kind, default, choices, menu, min, max (from the server's config.py)
    features: page.features, // [{key, label}] in input order
    limits: page.limits, // {maxLayers, maxNeurons, maxSpeed, maxUrlHash, maxMessageBytes}
    connection: { status: "connecting", retryMs: 0, wasPlaying: false, configsSinceOpen: 0, opened: 0 },
    config: null, // the server's canonical config (hash keys -> JSON values)
    hash: "",
    data: null, // the latest `data` message: points and labels
    dataVersion: 0, // counts the `data` messages: drawn or loaded points change the data but not its seed
    frame: null, // the frame on screen: the latest `frame` message drawn, {header, arrays}
    nextFrame: null, // the latest `frame` message received since, drawn on the display's next beat (or null)
    run: null, // the run of the history being charted
    history: new History(),
    gradients: new LayerHistory(), // each frame's layerGradients: the size of dL/dw per layer
    messages: [], // [{id, kind: "notice" | "error" | "diverged", text, expires}]
    nextMessageId: 1,
    hover: null, // what the hover card shows: {kind: "weight" | "bias", layer, source, target, neuron, editing}
    slice: null, // the latest `slice` message: the loss along one weight or bias
    sliceFeed: { inFlight: false, sentAt: -Infinity, key: null }, // the slice asked for last
    edits: 0, // weights and biases set by hand: an example computed before an edit is out of date
    // The walk-through of one training example: open, which point, which step, the server's `example` message
    // and what it was computed for (basis), whether a request is on its way and for which state it was made.
    walkthrough: { open: false, index: null, step: 0, example: null, basis: null, inFlight: false, askedFor: null },
    // Drawing on the heatmap: on or off, the class (or regression value) a click adds, the keyboard's cross.
    drawing: { on: false, label: 1, value: 0.5, cursor: [0, 0] },
    datasetPreviews: null, // {name: {points, labels}} from /api/datasets, for the dataset thumbnails
    featureThumbs: page.featureThumbnails, // feature key -> its 10 x 10 picture (constant; for inputs that are off)
    featurePictures: null, // Int8Array: every feature's 100 x 100 picture in input order (/api/feature-pictures)
    hoveredInput: null, // the key of the input under the pointer or focus: the big heatmap shows its feature
    pointed: null, // {layer, neuron} under the pointer or focus (the `select` sent), or null: the output
    confusionSet: "test", // which points the confusion matrix counts: "test" or "train"
    hideable: page.hideable, // [{name, label}]: the controls the classroom panel can hide
    hideSuffix: page.hideSuffix, // "<name><hideSuffix>=true" in a hash hides a control
    classroom: null, // {hidden: Set of control names, hideText}: the classroom panel's choices for its link
    // Frames received, frames drawn and the time spent drawing them, the network view's dash flow steps.
    stats: { framesReceived: 0, framesDrawn: 0, drawMs: 0, flow: 0 },
    // The lessons panel: the lessons (from the server), whether it is open, the lesson and step shown (name null:
    // the list), whether "Set it up" waits for its config (settingUp) or the step's goal is being checked (armed),
    // the steps done per lesson name (kept in localStorage), and whether the hash's `lesson` was followed.
    lessons: { list: page.lessons, open: false, name: null, step: 0, settingUp: false, armed: false, done: {},
      fromHash: false },
  };
}

export function connectionOpened(state) {
  state.connection = { ...state.connection, status: "open", configsSinceOpen: 0,
    opened: state.connection.opened + 1 };
  state.run = null; // a new session: its history starts afresh
  state.nextFrame = null; // numbered on the connection that is gone: never drawn nor acknowledged on this one
  state.sliceFeed = { inFlight: false, sentAt: -Infinity, key: null };
  state.walkthrough.inFlight = false;
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
  const lessons = state.lessons;
  if (lessons.settingUp) lessons.armed = true; // frames from now on are of the step's setup
  lessons.settingUp = false;
  if (!lessons.fromHash && message.config.lesson) { // a link with `lesson=<name>` opens that lesson
    if (currentLesson(state, message.config.lesson)) chooseLesson(state, message.config.lesson);
    lessons.open = true;
  }
  lessons.fromHash = true; // only the hash the page was opened with
}

// --- lessons -----------------------------------------------------------------------------------------------------

/** The lesson of that name (the one shown if no name), or null. */
export function currentLesson(state, name = state.lessons.name) {
  return state.lessons.list.find((lesson) => lesson.name === name) ?? null;
}

export function openLessons(state, open) {
  state.lessons.open = open;
}

/** Show a lesson from its first step (null: the list of lessons). */
export function chooseLesson(state, name) {
  Object.assign(state.lessons, { name, step: 0, settingUp: false, armed: false });
}

export function moveLessonStep(state, delta) {
  const lesson = currentLesson(state);
  if (!lesson) return;
  const step = Math.min(Math.max(state.lessons.step + delta, 0), lesson.steps.length - 1);
  Object.assign(state.lessons, { step, settingUp: false, armed: false });
}

/** "Set it up" was pressed: the goal is checked from the config that answers it on. */
export function lessonSetUp(state) {
  Object.assign(state.lessons, { settingUp: true, armed: false });
}

export function restoreLessonProgress(state, done) {
  state.lessons.done = done;
}

export function lessonStepDone(state, name, step) {
  return (state.lessons.done[name] ?? []).includes(step);
}

/** Check the shown step's goal on a frame as it arrives; true if it was met just now (the progress changed). */
export function checkLessonGoal(state, frame) {
  const { name, step, armed } = state.lessons;
  const goal = currentLesson(state)?.steps[step]?.goal;
  if (!armed || !goal || lessonStepDone(state, name, step)) return false;
  if (!goalMet(goal, readings(frame.header, frame.arrays.layerGradients))) return false;
  state.lessons.done = { ...state.lessons.done, [name]: [...(state.lessons.done[name] ?? []), step] };
  return true;
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
  state.dataVersion += 1;
}

/** A `frame` message arrived: its history rows join the charts' data at once (none is lost when a newer frame
 * replaces it before it is drawn), and it becomes the frame to draw on the display's next beat. */
export function frameReceived(state, decoded) {
  const header = decoded.header;
  if (header.run !== state.run) {
    state.history.clear();
    state.gradients.clear(0);
    state.run = header.run;
  }
  state.history.append(header.historyStart, decoded.arrays.history);
  state.gradients.append(header.epoch, decoded.arrays.layerGradients);
  state.nextFrame = decoded;
  state.stats.framesReceived += 1;
}

/** The display's beat: the frame received last goes on screen; null if none arrived since the last draw. */
export function showNextFrame(state) {
  const frame = state.nextFrame;
  if (!frame) return null;
  state.frame = frame;
  state.nextFrame = null;
  if (frame.header.state === "playing") state.stats.flow += 1;
  if (frame.header.state !== "diverged") dropMessages(state, "diverged"); // reset or a new network: over
  return frame;
}

export function frameDrawn(state, ms) {
  state.stats.framesDrawn += 1;
  state.stats.drawMs += ms;
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

/** Where the hovered weight or bias sits in the frame's (or an example's) arrays: -1 if it no longer exists. */
export function hoveredIndex(state) {
  const hover = state.hover;
  const frame = state.frame;
  if (!hover || !frame) return -1;
  const sizes = frame.header.sizes;
  if (hover.layer < 1 || hover.layer >= sizes.length) return -1;
  if (hover.kind === "bias") {
    return hover.neuron < sizes[hover.layer] ? biasIndex(sizes, hover.layer, hover.neuron) : -1;
  }
  if (hover.source >= sizes[hover.layer - 1] || hover.target >= sizes[hover.layer]) return -1;
  return weightIndex(sizes, hover.layer, hover.source, hover.target);
}

/** The hovered parameter's entry of a pair of arrays such as the frame's {weights, biases} (NaN if none). */
export function hoveredEntry(state, arrays, weightName, biasName) {
  const index = hoveredIndex(state);
  const values = arrays?.[state.hover?.kind === "bias" ? biasName : weightName];
  const value = index < 0 || !values ? NaN : values[index];
  return value === null || value === undefined ? NaN : value;
}

/** The value the hover card is about, from the latest frame (NaN if it no longer exists). */
export function hoveredValue(state) {
  return hoveredEntry(state, state.frame?.arrays, "weights", "biases");
}

// --- the loss along one parameter (`slice`) ------------------------------------------------------------------

/** A name for the hovered parameter, to match a slice to it. */
export function hoverKey(hover) {
  if (!hover) return null;
  return hover.kind === "bias" ? `bias:${hover.layer}:${hover.neuron}`
    : `weight:${hover.layer}:${hover.source}:${hover.target}`;
}

function sliceKey(message) {
  return message.parameter === "bias" ? `bias:${message.layer}:${message.neuron}`
    : `weight:${message.layer}:${message.source}:${message.target}`;
}

/** The `slice` command for the hovered parameter, or null when the card shows no slice. */
export function sliceCommand(state) {
  const hover = state.hover;
  if (!hover || hover.editing || exampleShown(state) || hoveredIndex(state) < 0) return null;
  return hover.kind === "bias" ? { type: "slice", layer: hover.layer, neuron: hover.neuron }
    : { type: "slice", layer: hover.layer, source: hover.source, target: hover.target };
}

/** The slice of the hovered parameter, if one has come (possibly from a few frames ago). */
export function currentSlice(state) {
  return state.slice && state.slice.key === hoverKey(state.hover) ? state.slice : null;
}

/** Whether the slice shown is the one of the parameter's current value, epoch and learning rate. */
export function sliceIsFresh(state) {
  const slice = currentSlice(state);
  const header = state.frame?.header;
  if (!slice || !header) return false;
  const value = hoveredValue(state);
  return slice.epoch === header.epoch && slice.learningRate === header.learningRate
    && slice.optimizer === state.config?.optimizer
    && Math.abs(slice.value - value) <= 1e-6 * Math.max(1, Math.abs(value));
}

export function sliceRequested(state, now) {
  state.sliceFeed = { inFlight: true, sentAt: now, key: hoverKey(state.hover) };
}

export function applySlice(state, message) {
  state.slice = { ...message, key: sliceKey(message) };
  state.sliceFeed.inFlight = false;
}

/** An `error` message: a request that was on its way has been answered by it. */
export function requestsFailed(state) {
  state.sliceFeed.inFlight = false;
  state.walkthrough.inFlight = false;
}

// --- one example, step by step (`example`) -------------------------------------------------------------------

/** The example the walk-through shows, when it fits the network on screen. */
export function exampleShown(state) {
  const { open, example } = state.walkthrough;
  const sizes = state.frame?.header.sizes;
  if (!open || !example || !sizes || example.sizes.length !== sizes.length) return null;
  return example.sizes.every((n, i) => n === sizes[i]) ? example : null;
}

/** How many steps a walk-through has: inputs, forward per layer, output, backward per layer, gradients, update. */
export function walkStepCount(sizes) {
  return 2 * (sizes.length - 1) + 4;
}

export function openWalkthrough(state) {
  state.walkthrough = { ...state.walkthrough, open: true };
  state.drawing = { ...state.drawing, on: false }; // a click on the heatmap picks a point now
}

export function closeWalkthrough(state) {
  state.walkthrough = { open: false, index: null, step: 0, example: null, basis: null, inFlight: false,
    askedFor: null };
}

function basisOf(state) {
  const header = state.frame?.header;
  return [header?.run, header?.epoch, state.edits, state.dataVersion].join("|");
}

export function exampleRequested(state, index) {
  const walk = state.walkthrough;
  if (index !== walk.index) state.walkthrough = { ...walk, index, step: 0, example: null };
  state.walkthrough.inFlight = true;
  state.walkthrough.askedFor = basisOf(state);
}

export function applyExample(state, message) {
  const walk = state.walkthrough;
  walk.inFlight = false;
  if (!walk.open || message.index !== walk.index) return;
  const steps = walkStepCount(message.sizes);
  state.walkthrough = { ...walk, example: message, step: Math.min(walk.step, steps - 1),
    basis: [state.frame?.header.run, message.epoch, state.edits, state.dataVersion].join("|") };
}

/** The index to ask the server about again, when the example shown is out of date (training moved on, a weight
 * was edited, new data); null when it is current or a request for this state has already been made. */
export function staleExample(state) {
  const walk = state.walkthrough;
  if (!walk.open || walk.index === null || walk.inFlight || !state.frame) return null;
  const now = basisOf(state);
  if (walk.basis === now || walk.askedFor === now) return null;
  const count = state.data?.arrays.trainLabels.length ?? 0;
  if (walk.index >= count) {
    state.walkthrough = { ...walk, index: null, example: null, step: 0 };
    return null;
  }
  return walk.index;
}

export function moveStep(state, delta) {
  const walk = state.walkthrough;
  if (!walk.example) return;
  const last = walkStepCount(walk.example.sizes) - 1;
  state.walkthrough = { ...walk, step: Math.max(0, Math.min(last, walk.step + delta)) };
}

export function weightEdited(state) {
  state.edits += 1;
}

// --- drawing points on the heatmap ---------------------------------------------------------------------------

/** Drawing mode on or off; on closes the walk-through, since a click on the heatmap now adds a point. */
export function setDrawing(state, on) {
  state.drawing = { ...state.drawing, on };
  if (on && state.walkthrough.open) closeWalkthrough(state);
}

/** What a drawn point gets: `label` (a class: +1/-1, or an index for K classes) or `value` (regression). */
export function setDrawLabel(state, { label, value }) {
  state.drawing = { ...state.drawing, label: label ?? state.drawing.label, value: value ?? state.drawing.value };
}

/** Where the keyboard's cross is on the plane. */
export function moveDrawCursor(state, x, y) {
  state.drawing = { ...state.drawing, cursor: [x, y] };
}
