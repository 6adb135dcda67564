// Keyboard access to many small targets (the links and bias squares): one Tab stop for the whole group, the up
// and down arrows move between them (a roving tabindex), so Tab does not have to walk through hundreds of links.

/** Make the targets one Tab stop; the arrows move the focus along the list, round at the ends. */
export function rovingFocus(targets) {
  targets.forEach((target, i) => {
    target.setAttribute("tabindex", i === 0 ? "0" : "-1");
    target.addEventListener("keydown", (event) => {
      const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (!move) return;
      event.preventDefault();
      const next = targets[(i + move + targets.length) % targets.length];
      target.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    });
  });
}

/** Where a card goes for an element the keyboard's focus (not the mouse) is on: at its middle. */
export function middleOf(target) {
  const box = target.getBoundingClientRect();
  return { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
}
