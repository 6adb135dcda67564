// What the server and the connection have to tell the learner: notices (a link's bad values that fell back to
// defaults), errors, divergence, and whether the page is connected, all where they will be seen.

const STATUS = { connecting: "connecting…", open: "connected", closed: "disconnected — reconnecting…" };
const TITLES = { notice: "Note", error: "Not done", diverged: "Training diverged" };

export class Messages {
  /** actions: dismiss(id) */
  constructor(actions) {
    this.list = document.getElementById("messages");
    this.status = document.getElementById("connection-status");
    this.actions = actions;
    this.shown = null;
  }

  render(state) {
    this.renderConnection(state.connection);
    if (this.shown === state.messages) return;
    this.shown = state.messages;
    this.list.replaceChildren(...state.messages.map((message) => this.item(message)));
  }

  item(message) {
    const box = document.createElement("div");
    box.className = `message ${message.kind}`;
    box.setAttribute("role", message.kind === "notice" ? "status" : "alert");
    const title = document.createElement("b");
    title.textContent = `${TITLES[message.kind] ?? message.kind}: `;
    const text = document.createElement("span");
    text.textContent = message.text;
    const close = document.createElement("button");
    close.className = "close";
    close.textContent = "×";
    close.title = "Dismiss";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", () => this.actions.dismiss(message.id));
    box.append(title, text, close);
    return box;
  }

  renderConnection(connection) {
    const text = STATUS[connection.status];
    if (this.status.textContent !== text) this.status.textContent = text;
    if (document.body.dataset.connection !== connection.status) document.body.dataset.connection = connection.status;
  }
}
