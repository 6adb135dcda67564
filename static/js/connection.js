// The websocket to the server: opens it, hands every message to the page, sends commands, and reconnects by
// itself with a growing delay when the connection drops (for example while the server restarts).

import { decodeBinary } from "./protocol.js";

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

export class Connection {
  /**
   * @param {() => string} url  gives the ws:// or wss:// address of /ws at each (re)connection
   * @param {{open: Function, close: (retryMs, reason, code) => void, json: Function, binary: Function}} handlers
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.delay = FIRST_DELAY_MS;
    this.timer = null;
  }

  open() {
    clearTimeout(this.timer);
    const socket = new WebSocket(this.url());
    socket.binaryType = "arraybuffer";
    socket.onopen = () => {
      this.delay = FIRST_DELAY_MS;
      this.handlers.open();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") this.handlers.json(JSON.parse(event.data));
      else this.handlers.binary(decodeBinary(event.data));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const delay = this.delay;
      this.delay = Math.min(MAX_DELAY_MS, this.delay * 2);
      this.handlers.close(delay, event.reason, event.code);
      this.timer = setTimeout(() => this.open(), delay);
    };
    // An error is always followed by close, which does the reconnecting.
    socket.onerror = () => {};
    this.socket = socket;
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Send one command; while disconnected it is dropped (the page restores its setup on reconnect). */
  send(command) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(command));
    return true;
  }
}
