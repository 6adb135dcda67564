// The page's entry point: creates the one state object, the connection and the views, and wires them: server
// messages change the state and the views render it; the learner's actions become commands to the server.

import { onResize } from "./canvas.js";
import { ClassLegend } from "./classes.js";
import { ClassroomPanel } from "./classroom.js";
import { Connection } from "./connection.js";
import { ConfusionMatrix } from "./confusion.js";
import { Controls } from "./controls.js";
import { CsvFiles, loadCommand } from "./csvfile.js";
import { DatasetPicker } from "./datasets.js";
import { DisplayBeat } from "./display-beat.js";
import { downloadText } from "./download.js";
import { DrawPanel, drawLabel } from "./draw.js";
import { GradientChart } from "./gradient-chart.js";
import { onHashEdited, readHash, writeHash } from "./hashstate.js";
import { Heatmap } from "./heatmap.js";
import { TEST_ACCURACY, TEST_LOSS, TRAIN_ACCURACY, TRAIN_LOSS } from "./history.js";
import { HoverCard, OFFSET } from "./hovercard.js";
import { readProgress, saveProgress } from "./lesson-progress.js";
import { LessonsPanel } from "./lessons.js";
import { LineChart } from "./linechart.js";
import { Messages } from "./messages.js";
import { NetworkView } from "./network-view.js";
import { Readouts, percent } from "./readouts.js";
import { SliceFeed } from "./slice-feed.js";
import {
  addMessage, applyConfig, applyData, applyDatasetPreviews, applyExample, applyFeaturePictures, applySlice,
  checkLessonGoal, chooseLesson, closeWalkthrough, connectionClosed, connectionOpened, createState, currentLesson,
  dismissMessage, exampleRequested, expireMessages, frameReceived, hoverInput, lessonSetUp, moveDrawCursor,
  moveLessonStep, moveStep, openLessons, openWalkthrough, pointAt, requestsFailed, restoreLessonProgress,
  setClassroomShown, setDrawing, setDrawLabel, showConfusionOf, staleExample, weightEdited,
} from "./state.js";
import { Walkthrough } from "./walkthrough.js";


const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
const state = createState(readJson("page-data"), readJson("schema"));
const scheme = window.location.protocol === "https:" ? "wss" : "ws";
// Every (re)connection carries the current hash, so the session starts as the address bar says: in the address,
// or, when it is too long for a handshake, as the first command.
const urlHash = () => encodeURIComponent(readHash());
const hashFitsUrl = () => urlHash().length <= state.limits.maxUrlHash;
// Each tab keeps its session's id (sessionStorage: a reload keeps it, another tab has its own) and reconnects with
// it, so a reload, a dropped connection or a server restart carries on with the same network.
const SESSION_KEY = "playground-session";
const sessionQuery = () => {
  const id = window.sessionStorage.getItem(SESSION_KEY);
  return id ? `session=${encodeURIComponent(id)}&` : "";
};
const connection = new Connection(
  () => `${scheme}://${window.location.host}/ws?${sessionQuery()}${hashFitsUrl() ? `hash=${urlHash()}` : ""}`,
  { open: onOpen, close: onClose, json: onJson, binary: onBinary },
);
const send = (command) => connection.send(command);
const sliceFeed = new SliceFeed(state, send);
const beat = new DisplayBeat(state, drawFrame, send);
let lessonsToDraw = false; // a lesson goal was met by a frame received since the last frame drawn

const actions = {
  setConfig(values) {
    if (!send({ type: "config", values })) views.controls.render(state);
  },
  command(type) {
    send({ type });
  },
  togglePlay() {
    const playing = state.frame?.header.state === "playing";
    if (!playing && state.walkthrough.open) {
      closeWalkthrough(state); // pressing play ends the walk-through
      renderLearning();
    }
    send({ type: playing ? "pause" : "play" });
  },
  setShape(shape) {
    actions.setConfig({ networkShape: shape });
  },
  addLayer() {
    const shape = state.config?.networkShape ?? [];
    if (shape.length < state.limits.maxLayers) actions.setShape([...shape, 2]);
  },
  removeLayer() {
    const shape = state.config?.networkShape ?? [];
    if (shape.length > 0) actions.setShape(shape.slice(0, -1));
  },
  toggleFeature(key) {
    if (state.config) actions.setConfig({ [key]: !state.config[key] });
  },
  select(layer, neuron) {
    pointAt(state, layer, neuron);
    send(layer === null ? { type: "select" } : { type: "select", layer, neuron });
    views.heatmap.render(state);
  },
  showConfusionOf(set) {
    showConfusionOf(state, set);
    views.confusion.render(state);
  },
  hoverInput(key) {
    hoverInput(state, key);
    views.heatmap.render(state);
  },
  setClassroomShown(name, shown) {
    setClassroomShown(state, name, shown);
    views.classroom.render(state);
  },
  hover(item, event) {
    if (state.hover?.editing) {
      state.hover.pointerLeft = item === null;
      return;
    }
    state.hover = item && { ...item, x: event.clientX + OFFSET, y: event.clientY + OFFSET, editing: false };
    views.card.render(state);
    sliceFeed.update();
  },
  edit(item, event) {
    state.hover = { ...item, x: event.clientX + OFFSET, y: event.clientY + OFFSET, editing: true,
      pointerLeft: false };
    views.card.render(state);
  },
  commitEdit(text) {
    const hover = state.hover;
    const value = Number(text);
    if (hover && text.trim() !== "" && Number.isFinite(value)) {
      const { layer, source, target, neuron } = hover;
      send(hover.kind === "bias" ? { type: "set_bias", layer, neuron, value }
        : { type: "set_weight", layer, source, target, value });
      weightEdited(state);
    } else if (hover) {
      addMessage(state, "error", `"${text}" is not a number: type a value such as 0.5 or -1.2`);
      views.messages.render(state);
    }
    actions.cancelEdit();
  },
  cancelEdit() {
    // Back to showing the value while the pointer is still on the link or bias; gone if it has left.
    state.hover = state.hover && !state.hover.pointerLeft ? { ...state.hover, editing: false } : null;
    views.card.render(state);
    sliceFeed.update();
  },
  openWalkthrough() {
    openWalkthrough(state);
    renderLearning();
  },
  closeWalkthrough() {
    closeWalkthrough(state);
    renderLearning();
  },
  moveStep(delta) {
    moveStep(state, delta);
    renderLearning();
  },
  pickExample(index) {
    // The server pauses training and answers with the example's forward and backward pass.
    if (send({ type: "example", index })) exampleRequested(state, index);
    renderLearning();
  },
  randomExample() {
    const count = state.data?.arrays.trainLabels.length ?? 0;
    if (count > 0) actions.pickExample(Math.floor(Math.random() * count));
  },
  toggleLessons() {
    openLessons(state, !state.lessons.open);
    views.lessons.render(state);
  },
  chooseLesson(name) {
    chooseLesson(state, name);
    actions.setConfig({ lesson: name ?? "" }); // the address names the lesson: a link to it opens it
    views.lessons.render(state);
  },
  moveLessonStep(delta) {
    moveLessonStep(state, delta);
    views.lessons.render(state);
  },
  setUpLessonStep() {
    const lesson = currentLesson(state);
    if (!lesson) return;
    const step = lesson.steps[state.lessons.step];
    if (!send({ type: "hash", hash: `${step.setup}&lesson=${lesson.name}` })) return;
    lessonSetUp(state);
    if (step.view === "walkthrough") actions.openWalkthrough();
    else if (state.walkthrough.open) actions.closeWalkthrough();
    views.lessons.render(state);
  },
  dismiss(id) {
    dismissMessage(state, id);
    views.messages.render(state);
  },
  refuse(text) {
    addMessage(state, "error", text);
    views.messages.render(state);
  },
  setDrawing(on) {
    setDrawing(state, on);
    views.draw.render(state);
    renderLearning();
  },
  setDrawLabel(choice) {
    setDrawLabel(state, choice);
    views.draw.render(state);
  },
  moveDrawCursor(x, y) {
    moveDrawCursor(state, x, y);
    views.draw.render(state);
  },
  addPoint(x, y, test) {
    // A test point is only seen with the test data shown.
    if (send({ type: "add_point", x, y, label: drawLabel(state), test }) && test && !state.config?.showTestData) {
      actions.setConfig({ showTestData: true });
    }
  },
  removePoint(x, y) {
    send({ type: "remove_point", x, y });
  },
  clearPoints() {
    send({ type: "clear_points" });
  },
  loadCsv(text, name) {
    const { command, error } = loadCommand(text, name, state.limits.maxMessageBytes);
    if (error) actions.refuse(error);
    else send(command);
  },
  saveCsv() {
    send({ type: "save_csv" });
  },
};

/** The two lines of a chart: training grey, test black (as in the original). */
function trainAndTest(trainColumn, testColumn) {
  return [{ column: trainColumn, name: "training", color: "#777" }, { column: testColumn, name: "test", color: "#000" }];
}

const views = {
  controls: new Controls(state, actions),
  datasets: new DatasetPicker(document.getElementById("datasets"), actions),
  network: new NetworkView(document.getElementById("network"), actions, document.getElementById("link-legend")),
  heatmap: new Heatmap(document.getElementById("heatmap")),
  draw: new DrawPanel(document.getElementById("heatmap"), actions), // on the heatmap's plane: after the heatmap
  csv: new CsvFiles(actions, document.getElementById("heatmap")),
  classLegend: new ClassLegend(document.getElementById("class-legend")),
  confusion: new ConfusionMatrix(document.getElementById("confusion"), actions),
  readouts: new Readouts(),
  lossChart: new LineChart(document.getElementById("linechart"), {
    series: trainAndTest(TRAIN_LOSS, TEST_LOSS),
    format: (v) => (Number.isFinite(v) ? v.toFixed(3) : "–"),
  }),
  accuracyChart: new LineChart(document.getElementById("accuracychart"), {
    series: trainAndTest(TRAIN_ACCURACY, TEST_ACCURACY),
    fixedMax: 1,
    format: percent,
  }),
  gradientChart: new GradientChart(document.getElementById("gradientchart")),
  card: new HoverCard(document.getElementById("hovercard"), actions),
  walkthrough: new Walkthrough(actions),
  messages: new Messages(actions),
  classroom: new ClassroomPanel(actions),
  lessons: new LessonsPanel(actions),
};

function onOpen() {
  connectionOpened(state);
  beat.connected();
  if (state.connection.wasPlaying) send({ type: "play" });
  state.connection.wasPlaying = false;
  if (!state.datasetPreviews) {
    loadOnce("/api/datasets", (response) => response.json(), (previews) => {
      applyDatasetPreviews(state, previews);
      views.datasets.render(state);
    });
  }
  if (!state.featurePictures) {
    loadOnce("/api/feature-pictures", (response) => response.arrayBuffer(), (buffer) => {
      applyFeaturePictures(state, buffer);
      views.heatmap.render(state);
    });
  }
  renderSetup();
}

function onClose(retryMs, reason, code) {
  // Taken over by another tab with the same id (a duplicated tab): this one starts a session of its own.
  if (code === state.limits.takenOverCode) window.sessionStorage.removeItem(SESSION_KEY);
  connectionClosed(state, retryMs);
  if (reason) addMessage(state, "error", `The server closed the connection: ${reason}`);
  renderSetup();
  views.card.render(state);
}

// Download and open a network (the file `playground train --save` writes; docs/saved-network.md).
const networkFile = document.getElementById("network-file");
document.getElementById("download-network").addEventListener("click", () => send({ type: "save_network" }));
document.getElementById("open-network").addEventListener("click", () => networkFile.click());
networkFile.addEventListener("change", async () => {
  const [file] = networkFile.files;
  networkFile.value = "";
  if (file) send({ type: "open_network", network: await file.text() });
});

function downloadNetwork(saved) {
  const blob = new Blob([JSON.stringify(saved)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `playground-network-epoch-${saved.epoch}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

const messageHandlers = {
  saved_network(message) {
    downloadNetwork(message.network);
  },
  session(message) {
    window.sessionStorage.setItem(SESSION_KEY, message.id);
    // A fresh session whose hash was too long for the address gets it as its first command.
    if (!message.resumed && !hashFitsUrl()) send({ type: "hash", hash: readHash() });
    if (message.message) {
      addMessage(state, "notice", message.message);
      views.messages.render(state);
    }
  },
  config(message) {
    applyConfig(state, message);
    writeHash(message.hash);
    renderSetup();
    renderFrame();
  },
  notice(message) {
    addMessage(state, "notice", message.message);
    views.messages.render(state);
  },
  error(message) {
    requestsFailed(state);
    addMessage(state, "error", message.message);
    renderSetup(); // controls go back to the config the server kept
  },
  slice(message) {
    applySlice(state, message);
    views.card.render(state);
    sliceFeed.update();
  },
  example(message) {
    applyExample(state, message);
    renderLearning();
  },
  diverged(message) {
    addMessage(state, "diverged", message.message);
    views.messages.render(state);
  },
  csv(message) {
    downloadText(message.name, message.text, "text/csv");
  },
  keras(message) {
    downloadText(message.filename, message.script);
  },
};

function onJson(message) {
  messageHandlers[message.type]?.(message);
}

function onBinary(decoded) {
  if (decoded.header.kind === "data") {
    applyData(state, decoded);
    views.heatmap.render(state);
    views.draw.render(state);
    views.datasets.render(state);
    askAgainForExample();
  } else if (decoded.header.kind === "frame") {
    frameReceived(state, decoded);
    // The goal is checked on every frame, drawn or not; the panel shows it with the next frame drawn.
    if (checkLessonGoal(state, decoded)) {
      saveProgress(state.lessons.done);
      lessonsToDraw = true;
    }
    beat.frameArrived();
  }
}

/** The display's beat: the frame received last is on screen now (display-beat.js acknowledges it). */
function drawFrame() {
  renderFrame();
  if (lessonsToDraw) views.lessons.render(state);
  lessonsToDraw = false;
}

/** Everything that follows the config, the connection and the messages. */
function renderSetup() {
  views.controls.render(state);
  views.datasets.render(state);
  views.messages.render(state);
  views.classroom.render(state);
  views.lessons.render(state);
  views.draw.render(state);
}

/** Everything that follows the frames. */
function renderFrame() {
  views.readouts.render(state);
  views.messages.render(state);
  views.heatmap.render(state);
  views.classLegend.render(state);
  views.network.render(state);
  views.lossChart.render(state);
  if (state.config?.problem !== "regression") {
    views.accuracyChart.render(state);
    views.confusion.render(state);
  }
  views.gradientChart.render(state);
  views.walkthrough.render(state);
  if (state.hover) views.card.render(state);
  sliceFeed.update();
  askAgainForExample();
}

/** What follows the walk-through: the panel, the network view's numbers and the card. */
function renderLearning() {
  views.walkthrough.render(state);
  views.network.render(state);
  if (state.hover) views.card.render(state);
}

/** The example shown is out of date (training moved on, a weight was edited, new data): ask for it again. */
function askAgainForExample() {
  const index = staleExample(state);
  if (index !== null && send({ type: "example", index })) exampleRequested(state, index);
}

/** Fetch something the page needs once; if the server went away, the next connection tries again. */
async function loadOnce(url, read, apply) {
  try {
    const response = await fetch(url);
    if (response.ok) apply(await read(response));
  } catch {
    // Not reachable now: onOpen asks again.
  }
}

onHashEdited((hash) => send({ type: "hash", hash }));
onResize(renderFrame);
window.setInterval(() => {
  if (expireMessages(state)) views.messages.render(state);
}, 1000);
restoreLessonProgress(state, readProgress());
window.playground = { state }; // for scripts/pagebench.py and the tests; the page itself never reads it
renderSetup();
connection.open();
