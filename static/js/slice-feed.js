// When the page asks for a `slice` (the loss along the hovered weight or bias): as the card opens, and again
// while it stays open and training moves the network on, at most every INTERVAL_MS and with only one request on
// its way at a time (the reply, or an error, frees the next).

import { hoverKey, sliceCommand, sliceIsFresh, sliceRequested } from "./state.js";

const INTERVAL_MS = 250;

export class SliceFeed {
  /** send(command) -> whether it went out */
  constructor(state, send) {
    this.state = state;
    this.send = send;
    this.timer = null;
  }

  /** Ask for a slice if the card needs a newer one; call after hovering, after each frame and each reply. */
  update(now = performance.now()) {
    clearTimeout(this.timer);
    const state = this.state;
    const command = sliceCommand(state);
    if (!command || state.sliceFeed.inFlight || sliceIsFresh(state)) return;
    const wait = state.sliceFeed.sentAt + INTERVAL_MS - now;
    if (wait > 0 && state.sliceFeed.key === hoverKey(state.hover)) {
      this.timer = setTimeout(() => this.update(), wait);
      return;
    }
    if (this.send(command)) sliceRequested(state, now);
  }
}
