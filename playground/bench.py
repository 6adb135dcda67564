"""`playground bench`: how long an epoch (with both losses) and the pictures of every neuron take.

Figures are medians over several rounds after a warm-up that compiles the kernels, so a stray pause on a busy
machine does not decide them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from playground.config import Config
from playground.pictures import neuron_grids, thumbnails
from playground.train import Trainer

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true"
           "&sinX=true&sinY=true&dataset=spiral")
SETUPS = {
    "default (2 features, 4,2, batch 10)": "",
    "largest (7 features, 6 x 8, batch 1)": LARGEST + "&batchSize=1",
    "largest (7 features, 6 x 8, batch 10)": LARGEST + "&batchSize=10",
}


def median_ms(action: Callable[[], object], repeat: int, rounds: int = 7) -> float:
    """The median over rounds of the mean time of one call, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        times.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(times)


def run(epochs: int = 200, grids: int = 10) -> list[str]:
    """One line per setup: ms per epoch with both losses, ms per grid of every neuron."""
    lines = [f"{'setup':40} {'epoch + losses':>15} {'all grids':>10}"]
    for name, hash_text in SETUPS.items():
        trainer = Trainer.fresh(Config.from_hash(hash_text + "&seed=bench"))
        features = trainer.config.features

        def pictures(trainer: Trainer = trainer, features: tuple[str, ...] = features) -> None:
            thumbnails(neuron_grids(trainer.network, features))

        for _ in range(20):  # compile and warm up
            trainer.run_epoch()
            pictures()
        epoch_ms = median_ms(trainer.run_epoch, epochs)
        grid_ms = median_ms(pictures, grids)
        lines.append(f"{name:40} {epoch_ms:12.3f} ms {grid_ms:7.2f} ms")
    return lines
