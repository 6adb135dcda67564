"""The Python API: docs/python.md's example runs as written; train's setups are checked as a hash is; the run's
history, predictions, grids, saving and loading agree with the engine."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import playground
from playground.config import Config, ConfigError
from playground.pictures import neuron_grids
from playground.train import Trainer

DOCS = Path(__file__).resolve().parent.parent / "docs" / "python.md"


def test_the_worked_example_in_docs_python_md_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1
    exec(compile(blocks[0], str(DOCS), "exec"), {"__name__": "docs_example"})


def test_the_package_root_exports_the_api_and_a_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", playground.__version__)
    assert {"train", "load", "Run", "History", "Model", "Config", "ConfigError"} <= set(playground.__all__)


def test_history_is_the_trainers_metrics_epoch_by_epoch() -> None:
    run = playground.train("seed=3&dataset=gauss", epochs=5)
    trainer = Trainer.fresh(Config.from_hash("seed=3&dataset=gauss"))
    expected = [trainer.run_epoch() for _ in range(5)]
    history = run.history
    assert history.epoch.tolist() == [1, 2, 3, 4, 5]
    assert history.test_loss.tolist() == [m.test_loss for m in expected]
    assert history.train_accuracy is not None
    assert history.train_accuracy.tolist() == [m.train_accuracy for m in expected]


def test_regression_history_has_no_accuracy() -> None:
    history = playground.train(problem="regression", seed="1", epochs=2).history
    assert history.train_accuracy is None and history.test_accuracy is None and len(history.train_loss) == 2


def test_keywords_override_the_hash_and_give_the_same_run_as_the_hash() -> None:
    by_hash = playground.train("seed=2&dataset=spiral&networkShape=3", epochs=3)
    by_words = playground.train("seed=2&dataset=circle", dataset="spiral", networkShape=[3], epochs=3)
    assert by_words.config == by_hash.config
    assert np.array_equal(by_words.history.train_loss, by_hash.history.train_loss)


@pytest.mark.parametrize(("settings", "messages"), [
    ({"dataset": "moons"}, ["dataset=moons is not allowed: dataset must be one of circle, xor, gauss, spiral"]),
    ({"batchSize": 0, "learningRate": -1},
     ["batchSize=0 is not allowed: batchSize must be a whole number from 1 to 1200",
      "learningRate=-1 is not allowed: learningRate must be a number of at least 0"]),
    ({"networkShape": [9]}, ["networkShape=[9] is not allowed"]),
    ({"colour": "red"}, ["colour=red is not allowed: colour must be left out"]),
])
def test_bad_settings_raise_every_error_with_the_hash_messages(settings: dict[str, object],
                                                               messages: list[str]) -> None:
    with pytest.raises(ConfigError) as raised:
        playground.train(epochs=1, **settings)
    for message in messages:
        assert message in str(raised.value)
    hash_text = "&".join(f"{k}={v}" for k, v in settings.items() if k != "networkShape")
    if hash_text:
        with pytest.raises(ConfigError) as from_hash:
            Config.from_hash(hash_text)
        assert str(from_hash.value) == str(raised.value)


@pytest.mark.parametrize("fields", [{"batchSize": 0}, {"dataset": "moons"}, {"noise": -1}, {"x": 1},
                                    {"networkShape": (1, 2, 3, 4, 5, 6, 7)}, {"learningRate": float("nan")}])
def test_a_config_built_directly_is_checked(fields: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=f"^{next(iter(fields))}="):
        Config(**fields)  # type: ignore[arg-type]


def test_a_config_built_directly_takes_what_a_hash_may_carry_and_normalizes_types() -> None:
    config = Config(noise=60, networkShape=[3, 2], batchSize=20.0, seed="été")  # type: ignore[arg-type]
    assert config.networkShape == (3, 2) and config.batchSize == 20 and isinstance(config.batchSize, int)
    assert config == Config.from_hash(config.to_hash())


def test_predict_and_grid_are_the_networks_forward_pass() -> None:
    run = playground.train("seed=4&xSquared=true&networkShape=3", epochs=4)
    model = run.network
    points = np.random.default_rng(0).uniform(-6, 6, (50, 2))
    x, y = points[:, 0], points[:, 1]
    w1, b1, w2, b2 = model.weights(1), model.biases(1), model.weights(2), model.biases(2)
    hidden = np.tanh(np.column_stack([x, y, x * x]) @ w1 + b1)
    assert np.allclose(model.predict(points), np.tanh(hidden @ w2 + b2)[:, 0], atol=1e-12)
    grids = neuron_grids(run.trainer.network, run.config.features)
    assert np.array_equal(model.grid(0, 2), grids[2])
    assert np.array_equal(model.grid(1, 1), grids[3 + 1])
    assert np.array_equal(model.grid(2, 0), grids[-1])
    with pytest.raises(ValueError, match=r"layer 1 has neurons 0\.\.2; there is no 3"):
        model.grid(1, 3)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        model.predict([1.0, 2.0])


def test_saved_and_loaded_runs_carry_on_as_one_run(tmp_path: Path) -> None:
    straight = playground.train("seed=6&optimizer=adam", epochs=8)
    first = playground.train("seed=6&optimizer=adam", epochs=5)
    first.save(tmp_path / "run.json")
    resumed = playground.load(tmp_path / "run.json").train(3)
    assert resumed.epoch == 8
    assert np.array_equal(resumed.history.test_loss, straight.history.test_loss[5:])


def test_a_bad_saved_file_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"config": "seed=1"}')
    with pytest.raises(playground.SavedRunError, match=f"{re.escape(str(path))}: cannot load a saved network"):
        playground.load(path)


def test_a_diverging_run_stops_and_says_so() -> None:
    run = playground.train("seed=1&learningRate=10&activation=relu&problem=regression&networkShape=8,8,8",
                           epochs=200)
    assert run.diverged and run.epoch < 200 and not np.isfinite(run.history.train_loss[-1])


def test_with_k_classes_predict_gives_each_class_probability() -> None:
    run = playground.train(dataset="gauss", classes=3, networkShape=[4], seed="2", epochs=5)
    points = np.random.default_rng(1).uniform(-6, 6, (20, 2))
    probabilities = run.network.predict(points)
    assert probabilities.shape == (20, 3) and np.allclose(probabilities.sum(axis=1), 1)
    grids = neuron_grids(run.trainer.network, run.config.features)
    assert np.array_equal(run.network.grid(2, 1), grids[2 + 4 + 1])
