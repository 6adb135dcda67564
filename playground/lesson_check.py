"""Checking lessons with the engine, no browser: train a goal's setup and read every epoch as the page reads a
frame (`playground lessons`, and the tests of every packaged lesson)."""

from __future__ import annotations

from playground.config import Config
from playground.insight import learning_arrays
from playground.lessons import Lesson, Step
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
            layers = learning_arrays(trainer, "weights").layer_gradients
            readings["gradientRatio"] = float(layers[0] / layers[-1]) if layers[-1] > 0 else None
        if goal.met(readings):
            return metrics.epoch
    return None


def check_report(lessons: list[Lesson]) -> tuple[list[str], bool]:
    """A line per lesson and per goal (the epoch it is met at, or that it is not met in time), and whether every
    goal was met."""
    lines, all_met = [], True
    for lesson in lessons:
        lines.append(f"{lesson.name}: {lesson.title} ({len(lesson.steps)} steps)")
        for number, step in enumerate(lesson.steps, 1):
            if step.goal is None:
                continue
            epoch = first_epoch_meeting(step)
            budget = step.goal.within or step.epochs
            if epoch is None:
                all_met = False
                lines.append(f"  step {number}: goal NOT met within {budget} epochs: {step.goal_text or step.goal}")
            else:
                lines.append(f"  step {number}: goal met at epoch {epoch} (of {budget}): {step.goal_text}")
    return lines, all_met
