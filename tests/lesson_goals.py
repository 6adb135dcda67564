"""Training a lesson step's setup with the engine and reading each epoch as a goal reads a frame."""

from __future__ import annotations

from playground.config import Config
from playground.insight import learning_arrays
from playground.lessons import Step
from playground.train import Trainer


def first_epoch_meeting(step: Step) -> int | None:
    """The first epoch (after training it) at which the step's goal is met, None if never within its budget."""
    assert step.goal is not None
    goal = step.goal
    trainer = Trainer.fresh(Config.from_hash(step.setup))
    for _ in range(goal.within or step.epochs):
        metrics = trainer.run_epoch()
        readings: dict[str, float | None] = {**metrics.to_dict()}
        if goal.metric == "gradientRatio":
            layers = learning_arrays(trainer).layer_gradients
            readings["gradientRatio"] = float(layers[0] / layers[-1]) if layers[-1] > 0 else None
        if goal.met(readings):
            return metrics.epoch
    return None
