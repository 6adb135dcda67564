"""Lessons: every packaged lesson loads, its setups are strict hashes, every goal is reached by the engine from
its seeded setup; the goal vocabulary; a malformed file is reported with its name, line and problem while the
others load; the `lesson` hash key."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.config import Config, ConfigError, Effect
from playground.lesson_check import first_epoch_meeting
from playground.lessons import PACKAGED, REGIONS, Goal, Lesson, Step, load_lessons, parse_lesson

CONCEPTS = ("forward-pass", "loss", "backpropagation", "learning-rate", "batches", "momentum",
            "learning-rate-decay", "initialization", "vanishing-gradients", "relu", "softmax", "overfitting",
            "features")
LESSONS, ERRORS = load_lessons([PACKAGED])
GOAL_STEPS = [pytest.param(step, id=f"{lesson.name}-{n + 1}")
              for lesson in LESSONS for n, step in enumerate(lesson.steps) if step.goal]


def test_every_packaged_lesson_loads_one_per_concept_in_order() -> None:
    assert ERRORS == []
    assert [lesson.name for lesson in LESSONS] == list(CONCEPTS)
    assert len(GOAL_STEPS) >= 13


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_every_step_sets_up_a_seeded_strict_hash_and_points_at_the_page(lesson: Lesson) -> None:
    for step in lesson.steps:
        config = Config.from_hash(step.setup)  # strict: raises on any key or value we cannot use
        assert "seed=" in step.setup, "a setup names its seed, so the run is the one the tests check"
        assert config.lesson == ""
        assert step.watch and step.watch not in REGIONS, "a region name is resolved to its selector"
        assert step.text


@pytest.mark.parametrize("step", GOAL_STEPS)
def test_every_goal_is_reached_by_the_engine_from_its_seeded_setup_within_its_epochs(step: Step) -> None:
    assert step.goal is not None
    epoch = first_epoch_meeting(step)
    assert epoch is not None, f"{step.goal} not met within {step.goal.within or step.epochs} epochs"


def test_the_contrasts_of_the_lessons_do_not_meet_the_goal_of_the_improved_step() -> None:
    """The learning rate, zero init, x and y alone and plain SGD are the slow or failing side of their lessons."""
    by_name = {lesson.name: lesson for lesson in LESSONS}
    for name, slow, fast in [("learning-rate", 0, 1), ("initialization", 0, 1), ("features", 0, 1),
                             ("momentum", 0, 1), ("learning-rate-decay", 0, 1)]:
        steps = by_name[name].steps
        contrast = Step(steps[slow].text, steps[slow].setup, "", goal=steps[fast].goal)
        assert first_epoch_meeting(contrast) is None, name


def test_a_goal_reads_its_metric_against_its_value_and_its_epoch_limit() -> None:
    goal = Goal("testLoss", "<", 0.05, within=200)
    assert goal.met({"epoch": 200, "testLoss": 0.04})
    assert not goal.met({"epoch": 201, "testLoss": 0.04})
    assert not goal.met({"epoch": 10, "testLoss": 0.05})
    assert not goal.met({"epoch": 10, "testLoss": None})
    assert Goal("testAccuracy", ">=", 0.95).met({"epoch": 5000, "testAccuracy": 0.95})
    assert Goal("gradientRatio", "<", 0.01).met({"epoch": 1, "gradientRatio": 0.001})


VALID = """title = "T"\nconcept = "C"\n[[steps]]\ntext = "t"\nsetup = "seed=1"\n"""


@pytest.mark.parametrize(("text", "line", "problem"), [
    (VALID.replace('setup = "seed=1"', 'setup = "seed=1&learningRate=lots"'), 5, "learningRate=lots is not allowed"),
    (VALID + "[steps.goal]\nmetric = \"happiness\"\ncomparison = \"<\"\nvalue = 1\nwithin = 5\n", 7,
     "metric 'happiness' is not one of testLoss"),
    (VALID + "[steps.goal]\nmetric = \"testLoss\"\ncomparison = \"=~\"\nvalue = 1\nwithin = 5\n", 8,
     "comparison '=~' is not one of <"),
    (VALID + "[steps.goal]\nmetric = \"testLoss\"\ncomparison = \"<\"\nvalue = 1\n", 6, "needs the step's `epochs`"),
    (VALID + 'view = "confusion"\n', 6, "view 'confusion' is not one of walkthrough"),
    ('title = "T"\nconcept = "C"\n[[steps]\ntext = 1\n', 3, "not valid TOML"),
])
def test_a_malformed_lesson_is_reported_with_its_file_line_and_problem(text: str, line: int, problem: str,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text(text)
    (tmp_path / "mine.toml").write_text(VALID)
    lessons, errors = load_lessons([PACKAGED, tmp_path])
    assert [lesson.name for lesson in lessons][-1] == "mine", "the others still load"
    assert len(errors) == 1
    assert str(tmp_path / "broken.toml") in errors[0] and f"line {line}" in errors[0] and problem in errors[0]


def test_a_teachers_lesson_of_a_packaged_name_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "loss.toml").write_text(VALID.replace('"T"', '"Our loss"'))
    lessons, errors = load_lessons([PACKAGED, tmp_path])
    assert errors == []
    assert [lesson.title for lesson in lessons if lesson.name == "loss"] == ["Our loss"]


def test_a_lesson_file_name_must_be_usable_in_a_hash() -> None:
    with pytest.raises(ValueError, match="file name must be lower-case"):
        parse_lesson("My Lesson", VALID)


def test_the_lesson_key_is_an_own_view_key_of_the_hash() -> None:
    config = Config.from_hash("seed=1&lesson=learning-rate")
    assert config.lesson == "learning-rate"
    assert config.to_hash().endswith("&lesson=learning-rate")
    assert "lesson=" not in Config(seed="1").to_hash()
    assert config.effect_of(config.updated({"lesson": "loss"})) == Effect.VIEW
    with pytest.raises(ConfigError, match="lesson=a b is not allowed"):
        Config.from_hash("lesson=a b")


def test_the_server_sends_ours_and_a_teachers_lessons_and_logs_a_broken_file_by_name(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from playground.server import Settings, create_app

    (tmp_path / "mine.toml").write_text(VALID.replace('"T"', '"Mine"'))
    (tmp_path / "broken.toml").write_text(VALID + "view = 3\n")
    with caplog.at_level("WARNING"), TestClient(create_app(
            replace(Settings.from_env(), lessons_dir=str(tmp_path)))) as client:
        sent = client.get("/api/lessons").json()
        page = client.get("/").text
    assert [lesson["name"] for lesson in sent] == [*CONCEPTS, "mine"]
    assert sent[3]["steps"][1] == {
        "text": LESSONS[3].steps[1].text, "setup": "seed=0.1&learningRate=0.03&speed=10",
        "watch": "[data-control=learningRate]", "view": None,
        "goalText": "get the test loss below 0.05 within 300 epochs",
        "goal": {"metric": "testLoss", "comparison": "<", "value": 0.05, "within": 300}}
    assert '"title": "Mine"' in page
    assert any("broken.toml, line 6: view 3 is not one of walkthrough" in r.getMessage() for r in caplog.records)
