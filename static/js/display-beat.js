// Drawing on the display's beat. A frame from the server waits in the state until the next animation frame
// (requestAnimationFrame), which draws the latest one received and then acknowledges it: the page draws at most
// once per displayed frame however fast frames come, and nothing when none came. A hidden tab draws nothing and
// asks the server for no frames (training goes on); shown again it asks for them, and the frame the server sends
// at once catches the loss chart up with every epoch trained meanwhile.

import { frameDrawn, showNextFrame } from "./state.js";

export class DisplayBeat {
  /**
   * @param {object} state  the page's one state object
   * @param {() => void} draw  renders everything that follows the frames
   * @param {(command: object) => boolean} send  sends a command to the server
   */
  constructor(state, draw, send) {
    this.state = state;
    this.draw = draw;
    this.send = send;
    this.request = 0; // the animation frame asked for, 0 if none
    document.addEventListener("visibilitychange", () => this.visibilityChanged());
  }

  /** A frame arrived (it is the state's nextFrame): draw it on the next beat, unless the tab is hidden. */
  frameArrived() {
    if (!document.hidden && !this.request) this.request = requestAnimationFrame(() => this.beat());
  }

  beat() {
    this.request = 0;
    if (document.hidden) return; // kept for when the tab is shown again
    const start = performance.now();
    const frame = showNextFrame(this.state);
    if (!frame) return;
    this.draw();
    // Drawn: the server sends the next frame only now, so a slow link or machine never falls behind.
    this.send({ type: "ack", frame: frame.header.frame });
    frameDrawn(this.state, performance.now() - start);
  }

  /** A new connection starts with frames on: a tab hidden at that moment asks for none. */
  connected() {
    if (document.hidden) this.send({ type: "frames", send: false });
  }

  visibilityChanged() {
    const shown = !document.hidden;
    this.send({ type: "frames", send: shown });
    if (shown && this.state.nextFrame) this.frameArrived();
  }
}
