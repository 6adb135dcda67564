// The plane every heatmap shows: [-6, 6] x [-6, 6], x to the right and y up; where a pointer over it is on the
// plane, and where a plane coordinate is across it.

export const PLANE = 6;

/** The plane point under client position (clientX, clientY) over an element whose box shows the whole plane. */
export function planeAt(box, clientX, clientY) {
  const x = ((clientX - box.left) / box.width) * 2 * PLANE - PLANE;
  const y = PLANE - ((clientY - box.top) / box.height) * 2 * PLANE;
  return [clampToPlane(x), clampToPlane(y)];
}

/** A coordinate kept on the plane. */
export function clampToPlane(v) {
  return Math.max(-PLANE, Math.min(PLANE, v));
}

/** How far across the plane (in percent, from the left) x lies; for y from the top, pass -y. */
export function planePercent(v) {
  return ((v + PLANE) / (2 * PLANE)) * 100;
}
