"""Writes examples/three-clusters.csv: 300 points in three named clusters (red, green, blue), a header, and a test
column marking every fourth point, in the format `playground train --data` and the page's CSV loader read."""

from __future__ import annotations

from pathlib import Path

import numpy as np

CENTRES = {"red": (-3.0, 2.0), "green": (3.0, 2.0), "blue": (0.0, -3.0)}


def main() -> None:
    rng = np.random.default_rng(12)
    lines = ["x,y,label,test"]
    for k in range(300):
        name = list(CENTRES)[k % 3]
        x, y = np.clip(np.array(CENTRES[name]) + rng.normal(0, 1.1, 2), -5.9, 5.9)
        lines.append(f"{x:.3f},{y:.3f},{name},{int(k % 4 == 3)}")
    Path(__file__).parent.parent.joinpath("examples", "three-clusters.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
