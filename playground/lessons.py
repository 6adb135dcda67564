"""Lessons: guided steps through the concepts of an introduction to deep learning, read from TOML files (one
lesson per file: the package's playground/lessons/*.toml, and a teacher's own directory), and their goals: a
small vocabulary (a metric, a comparison, a value, optionally within a number of epochs) that the tests check
here with the engine and the page checks live from the frames with the same rules (docs/lessons.md).

A file that cannot be used is reported with its name, its line and what was wrong; the others still load.
"""

from __future__ import annotations

import operator
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.config import Config, ConfigError

PACKAGED = Path(__file__).resolve().parent / "lessons"
METRICS = ("testLoss", "trainLoss", "testAccuracy", "trainAccuracy", "gradientRatio", "epoch")
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
VIEWS = ("walkthrough",)  # what a step's setup may open besides its hash (linkView and the rest are hash keys)
# The parts of the page a step may point to by name; any other `watch` is a CSS selector of the page.
REGIONS = {
    "network": "#network", "links": "#network", "features": ".features-header", "data": ".data-column",
    "output": ".output-column", "heatmap": "#heatmap", "lossChart": "#linechart", "losses": ".metrics",
    "accuracyChart": "#accuracychart", "gradientChart": "#gradientchart", "walkthrough": "#walkthrough",
    "learningRate": "[data-control=learningRate]", "batchSize": "[data-control=batchSize]",
    "optimizer": "[data-control=optimizer]", "learningRateDecay": "[data-control=learningRateDecay]",
    "init": "[data-control=init]", "activation": "[data-control=activation]", "loss": "[data-control=loss]",
    "regularization": "[data-control=regularization]", "epoch": ".epoch", "confusion": "#confusion",
    "classes": "[data-control=classes]", "classLegend": "#class-legend",
}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class LessonError(ValueError):
    """A lesson file that cannot be used: its name, the line, and what was wrong."""


@dataclass(frozen=True)
class Goal:
    """Met when `metric comparison value` holds at an epoch no later than `within` (any epoch if None).
    gradientRatio is the first layer's RMS weight gradient over the last layer's (a frame's layerGradients)."""

    metric: str
    comparison: str
    value: float
    within: int | None = None

    def met(self, readings: Mapping[str, float | None]) -> bool:
        """Whether the readings of one epoch (METRICS keys; None where not defined) meet the goal."""
        epoch, reading = readings.get("epoch"), readings.get(self.metric)
        if reading is None or epoch is None or (self.within is not None and epoch > self.within):
            return False
        return COMPARISONS[self.comparison](reading, self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "comparison": self.comparison, "value": self.value, "within": self.within}


@dataclass(frozen=True)
class Step:
    text: str
    setup: str  # a hash (Config.from_hash strict)
    watch: str  # a CSS selector of the page (a REGIONS name is resolved on loading)
    view: str | None = None  # VIEWS
    goal: Goal | None = None
    goal_text: str = ""
    epochs: int = 0  # how long the tests train for a goal without `within`

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "setup": self.setup, "watch": self.watch, "view": self.view,
                "goal": self.goal.to_dict() if self.goal else None, "goalText": self.goal_text}


@dataclass(frozen=True)
class Lesson:
    name: str  # the file's stem: `lesson=<name>` in a hash
    title: str
    concept: str
    steps: tuple[Step, ...]
    order: int = 100  # lessons are listed by order, then name

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "concept": self.concept,
                "steps": [step.to_dict() for step in self.steps]}


def _line_of(text: str, needle: str) -> int:
    """The first line of the file holding `needle` (1 if none): where a reader looks for the mistake."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle and needle in line:
            return number
    return 1


def _goal(raw: Any, where: Callable[[str, str], LessonError]) -> Goal:
    if not isinstance(raw, dict):
        raise where("goal", "goal must be a table: metric, comparison, value and optionally within")
    unknown = set(raw) - {"metric", "comparison", "value", "within", "text"}
    if unknown:
        raise where(sorted(unknown)[0], f"goal has unknown keys {sorted(unknown)}")
    metric, comparison, value, within = raw.get("metric"), raw.get("comparison"), raw.get("value"), raw.get("within")
    if metric not in METRICS:
        raise where(f"{metric}", f"goal metric {metric!r} is not one of {', '.join(METRICS)}")
    if comparison not in COMPARISONS:
        raise where(f"{comparison}", f"goal comparison {comparison!r} is not one of {', '.join(COMPARISONS)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where("value", f"goal value must be a number, not {value!r}")
    if within is not None and (isinstance(within, bool) or not isinstance(within, int) or within < 1):
        raise where("within", f"goal within must be a whole number of epochs of at least 1, not {within!r}")
    return Goal(metric, comparison, float(value), within)


def parse_lesson(name: str, text: str, source: str = "") -> Lesson:
    """One lesson from a TOML text; LessonError names the source, the line and what was wrong."""
    source = source or name

    def where(needle: str, problem: str) -> LessonError:
        return LessonError(f"{source}, line {_line_of(text, needle)}: {problem}")

    if not _NAME.fullmatch(name):
        raise LessonError(f"{source}: a lesson's file name must be lower-case letters, digits and '-' (its name "
                          f"in `lesson=<name>`), not {name!r}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"{source}: not valid TOML: {error}") from None
    for key in ("title", "concept"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise where(key, f"the lesson needs a {key} (a text)")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise where("[[steps]]", "the lesson needs at least one [[steps]] table")
    steps = []
    for raw in raw_steps:
        if not isinstance(raw.get("text"), str) or not isinstance(raw.get("setup"), str):
            raise where("[[steps]]", "every step needs a text and a setup (a hash)")
        try:
            Config.from_hash(raw["setup"])
        except ConfigError as error:
            raise where(raw["setup"][:40], f"setup is not a valid hash: {error}") from None
        view = raw.get("view")
        if view is not None and view not in VIEWS:
            raise where(f"{view}", f"view {view!r} is not one of {', '.join(VIEWS)}")
        watch = raw.get("watch", "network")
        if not isinstance(watch, str) or not watch:
            raise where("watch", "watch must be a region name or a CSS selector")
        goal = _goal(raw["goal"], where) if "goal" in raw else None
        epochs = raw.get("epochs", 0)
        if goal is not None and goal.within is None and (not isinstance(epochs, int) or epochs < 1):
            raise where("goal", "a goal without `within` needs the step's `epochs`: how long it may take")
        goal_text = raw["goal"].get("text", "") if goal else ""
        steps.append(Step(raw["text"].strip(), raw["setup"], REGIONS.get(watch, watch), view, goal,
                          str(goal_text), int(epochs)))
    order = data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        raise where("order", f"order must be a whole number, not {order!r}")
    return Lesson(name, data["title"].strip(), data["concept"].strip(), tuple(steps), order)


def load_lessons(directories: Iterable[Path]) -> tuple[list[Lesson], list[str]]:
    """Every *.toml lesson of the directories, in order (a later lesson of the same name replaces an earlier
    one), and an error message per file that could not be used."""
    lessons: dict[str, Lesson] = {}
    errors: list[str] = []
    for directory in directories:
        for path in sorted(Path(directory).glob("*.toml")):
            try:
                lesson = parse_lesson(path.stem, path.read_text(encoding="utf-8"), str(path))
            except (LessonError, OSError, UnicodeDecodeError) as error:
                errors.append(str(error))
                continue
            lessons[lesson.name] = lesson
    return sorted(lessons.values(), key=lambda lesson: (lesson.order, lesson.name)), errors


def lesson_directories(extra: str | None) -> list[Path]:
    """The packaged lessons, then a teacher's directory if given."""
    return [PACKAGED, *([Path(extra)] if extra else [])]
