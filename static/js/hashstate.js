// The URL hash: the whole setup in the original playground's format. The server parses and writes it; the page
// only reads it (to send it on connect) and writes the server's canonical hash back without adding history.

/** The current hash without its leading "#". */
export function readHash() {
  return window.location.hash.replace(/^#/, "");
}

/** Show the server's canonical hash in the address bar (no new history entry, no hashchange event). */
export function writeHash(hash) {
  if (readHash() === hash) return;
  window.history.replaceState(null, "", `#${hash}`);
}

/** Call back with the new hash when the learner edits the address bar or follows a link to another hash. */
export function onHashEdited(callback) {
  window.addEventListener("hashchange", () => callback(readHash()));
}
