"""`playground bench`: how long an epoch (with both losses), a frame's pictures (every hidden and output neuron's
thumbnail and the output's grid, as Session.frame makes them) and its learning arrays (the full-batch gradient and
the per-layer RMS, as the default link view has them) take, and how long generating each dataset takes (seeding its
stream, drawing the points, shuffling and splitting).

Figures are medians over several rounds after a warm-up that compiles the kernels, so a stray pause on a busy
machine does not decide them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial

from playground.config import KNOBS, Config
from playground.datasets import GENERATORS, generate
from playground.insight import learning_arrays
from playground.pictures import pictures
from playground.train import Trainer

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true"
           "&sinX=true&sinY=true&dataset=spiral")
SETUPS = {
    "default (2 features, 4,2, batch 10)": "",
    "largest (7 features, 6 x 8, batch 1)": LARGEST + "&batchSize=1",
    "largest (7 features, 6 x 8, batch 10)": LARGEST + "&batchSize=10",
    "3 classes (7 features, 8,8,8, batch 10)": LARGEST.replace("8,8,8,8,8,8", "8,8,8") + "&classes=3&batchSize=10",
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


def run(epochs: int = 200, pictures_per_round: int = 50, gradients: int = 50, generations: int = 20) -> list[str]:
    """One line per setup: ms per epoch with both losses, per frame's pictures, per frame's learning arrays; then
    one line per dataset: ms to generate its data."""
    lines = [f"{'setup':40} {'epoch + losses':>15} {'pictures':>10} {'gradients':>10}"]
    for name, hash_text in SETUPS.items():
        trainer = Trainer.fresh(Config.from_hash(hash_text + "&seed=bench"))
        output = (len(trainer.config.layer_sizes) - 1, 0)

        def frame_pictures(trainer: Trainer = trainer, output: tuple[int, int] = output) -> None:
            pictures(trainer.network, trainer.config.features, output)

        def learning(trainer: Trainer = trainer) -> None:
            learning_arrays(trainer, "gradients")

        for _ in range(20):  # compile and warm up
            trainer.run_epoch()
            frame_pictures()
            learning()
        epoch_ms = median_ms(trainer.run_epoch, epochs)
        picture_ms = median_ms(frame_pictures, pictures_per_round)
        gradient_ms = median_ms(learning, gradients)
        lines.append(f"{name:40} {epoch_ms:12.3f} ms {picture_ms:7.3f} ms {gradient_ms:7.3f} ms")
    lines.append(f"{'dataset (seed, draw, shuffle, split)':40} {'generate':>15}")
    for problem, key in (("classification", "dataset"), ("regression", "regDataset")):
        for dataset in (name for name in KNOBS[key].choices if name in GENERATORS):
            config = Config.from_hash(f"problem={problem}&{key}={dataset}&noise=25&seed=bench")
            generate(config)  # compile and warm up
            lines.append(f"{dataset:40} {median_ms(partial(generate, config), generations):12.3f} ms")
    return lines
