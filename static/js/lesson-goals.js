// A lesson goal, checked live on every frame: the vocabulary of lessons.py (metric, comparison, value, within),
// met by the same rule as Goal.met there. The goals themselves come from the server (the page context).

const COMPARE = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** A frame's readings by metric name: its losses and accuracies, its epoch, and gradientRatio, the first layer's
 * RMS weight gradient over the last layer's (null where not defined). */
export function readings(header, layerGradients) {
  const first = layerGradients?.[0];
  const last = layerGradients?.[layerGradients.length - 1];
  return {
    epoch: header.epoch, trainLoss: header.trainLoss, testLoss: header.testLoss,
    trainAccuracy: header.trainAccuracy, testAccuracy: header.testAccuracy,
    gradientRatio: last > 0 && Number.isFinite(first) ? first / last : null,
  };
}

/** Whether one frame's readings meet the goal. */
export function goalMet(goal, reading) {
  const value = reading[goal.metric];
  if (value === null || value === undefined || !Number.isFinite(value)) return false;
  if (goal.within !== null && reading.epoch > goal.within) return false;
  return COMPARE[goal.comparison]?.(value, goal.value) ?? false;
}
