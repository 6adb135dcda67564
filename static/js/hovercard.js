// The hover card (#hovercard): "Weight" or "Bias" and its value while the mouse (or the keyboard's focus) is on a
// link or a bias square, with the update rule and the loss along it below (weight-card.js); after a click, an
// input whose value (Enter) replaces the weight or bias on the server.

import { hoveredValue } from "./state.js";
import { CardDetails } from "./weight-card.js";

export const OFFSET = 14; // the card sits this far below and right of the pointer

/** A number to two significant digits, as the card shows it. */
export function twoDigits(value) {
  if (!Number.isFinite(value)) return "not a number";
  return String(Number(value.toPrecision(2)));
}

export class HoverCard {
  /** actions: commitEdit(text), cancelEdit() */
  constructor(card, actions) {
    this.card = card;
    this.kind = card.querySelector(".kind");
    this.number = card.querySelector(".number");
    this.input = card.querySelector("input");
    this.details = new CardDetails(card);
    this.editing = false;
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") actions.commitEdit(this.input.value);
      else if (event.key === "Escape") actions.cancelEdit();
    });
    this.input.addEventListener("blur", () => {
      if (this.editing) actions.cancelEdit();
    });
  }

  render(state) {
    const hover = state.hover;
    if (hover === null) {
      this.editing = false;
      this.card.hidden = true;
      return;
    }
    this.card.hidden = false;
    this.kind.textContent = hover.kind === "bias" ? "Bias" : "Weight";
    const value = hoveredValue(state);
    this.number.textContent = twoDigits(value);
    this.card.classList.toggle("editing", hover.editing);
    this.number.hidden = hover.editing;
    this.input.hidden = !hover.editing;
    if (state.frame) this.details.render(state);
    if (hover.editing && !this.editing) {
      this.editing = true;
      this.input.value = Number.isFinite(value) ? String(Number(value.toPrecision(6))) : "";
      this.input.focus();
      this.input.select();
    }
    if (!hover.editing) this.editing = false;
    this.place(hover);
  }

  place(hover) {
    // Keep the card inside the window: near the right or bottom edge it goes to the pointer's other side.
    const { offsetWidth: width, offsetHeight: height } = this.card;
    const x = hover.x + width > window.innerWidth ? hover.x - width - 2 * OFFSET : hover.x;
    const y = hover.y + height > window.innerHeight ? hover.y - height - 2 * OFFSET : hover.y;
    this.card.style.left = `${Math.max(0, x)}px`;
    this.card.style.top = `${Math.max(0, y)}px`;
  }
}
