// The "use it in a classroom" panel: a checkbox per control a teacher can hide (the list comes from the server)
// and one for the texts, and a link to the current setup whose hash hides what is unchecked
// (`<name>_hide=true`, and `hideText=true` for the texts), as the original's.

/** The canonical hash with its hiding keys replaced by the panel's choices. */
export function classroomHash(hash, suffix, hidden, hideText) {
  const kept = hash.split("&").filter((pair) => pair && !pair.split("=")[0].endsWith(suffix))
    .map((pair) => (pair.startsWith("hideText=") ? `hideText=${hideText}` : pair));
  return [...kept, ...[...hidden].sort().map((name) => `${name}${suffix}=true`)].join("&");
}

export class ClassroomPanel {
  /** actions: setClassroomShown(name | null, shown) */
  constructor(actions) {
    this.list = document.getElementById("classroom-controls");
    this.link = document.getElementById("classroom-link");
    this.actions = actions;
    this.boxes = null;
  }

  build(state) {
    this.boxes = new Map();
    const items = [...state.hideable, { name: null, label: "Title and texts" }];
    for (const { name, label } of items) {
      const item = document.createElement("label");
      item.className = "check";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.hideable = name ?? "hideText";
      box.addEventListener("change", () => this.actions.setClassroomShown(name, box.checked));
      item.append(box, ` ${label}`);
      this.list.append(item);
      this.boxes.set(name, box);
    }
  }

  render(state) {
    const classroom = state.classroom;
    if (!classroom) return;
    if (!this.boxes) this.build(state);
    for (const [name, box] of this.boxes) {
      box.checked = name === null ? !classroom.hideText : !classroom.hidden.has(name);
    }
    const hash = classroomHash(state.hash, state.hideSuffix, classroom.hidden, classroom.hideText);
    const href = `${window.location.origin}${window.location.pathname}#${hash}`;
    if (this.link.href !== href) {
      this.link.href = href;
      this.link.textContent = href;
    }
  }
}
