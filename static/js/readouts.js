// The numbers of the latest frame: the epoch counter ("000,123"), the losses (3 decimals), the accuracies, the
// effective learning rate when it decays, and the play button's look (run, pause, or diverged).

/** The epoch counter in the original's style: six digits at least, with thousands separators. */
export function formatEpoch(epoch) {
  const digits = String(epoch).padStart(6, "0");
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function loss(value) {
  return Number.isFinite(value) ? value.toFixed(3) : "–";
}

function threeDigits(value) {
  return Number.isFinite(value) ? String(Number(value.toPrecision(3))) : "–";
}

export function percent(value) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : "–";
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export class Readouts {
  constructor() {
    this.epoch = document.getElementById("iter-number");
    this.trainLoss = document.getElementById("loss-train");
    this.testLoss = document.getElementById("loss-test");
    this.trainAccuracy = document.getElementById("accuracy-train");
    this.testAccuracy = document.getElementById("accuracy-test");
    this.rate = document.getElementById("effective-learning-rate");
    this.rateRow = document.getElementById("effective-learning-rate-row");
    this.play = document.getElementById("play-pause-button");
    this.step = document.getElementById("next-step-button");
  }

  render(state) {
    const header = state.frame?.header;
    if (!header) return;
    setText(this.epoch, formatEpoch(header.epoch));
    setText(this.trainLoss, loss(header.trainLoss));
    setText(this.testLoss, loss(header.testLoss));
    setText(this.trainAccuracy, percent(header.trainAccuracy));
    setText(this.testAccuracy, percent(header.testAccuracy));
    const decaying = (state.config?.learningRateDecay ?? 0) > 0;
    this.rateRow.hidden = !decaying;
    if (decaying) setText(this.rate, threeDigits(header.learningRate));
    const playing = header.state === "playing";
    const diverged = header.state === "diverged";
    if (this.play.classList.contains("playing") !== playing) {
      this.play.classList.toggle("playing", playing);
      this.play.setAttribute("aria-label", playing ? "Pause" : "Run");
    }
    this.play.disabled = diverged;
    this.step.disabled = diverged;
  }
}
