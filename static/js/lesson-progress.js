// The learner's lesson progress, kept in the browser (localStorage): for each lesson, the steps whose goal was met.

const KEY = "playground.lessons";

/** {lessonName: [step indices done]}; empty when nothing is stored or storage is unavailable. */
export function readProgress() {
  try {
    const stored = JSON.parse(window.localStorage.getItem(KEY) ?? "{}");
    return stored && typeof stored === "object" ? stored : {};
  } catch {
    return {};
  }
}

export function saveProgress(done) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(done));
  } catch {
    // Private mode or full storage: the progress lasts as long as the page.
  }
}
