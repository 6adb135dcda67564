"""The same seed gives the same run as the original: its stream, every point and label of every dataset and the
split, the first network, the network after reset, and the seed regenerate draws, against values the original
drew (tests/fixtures/original-seeds.json); then the stream's own properties (toFixed ties, any text as a seed,
copying its state)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from playground.cli import main
from playground.config import FEATURE_KEYS, Config
from playground.network import Architecture, Network
from playground.seedrandom import SeedRandom, key_of, to_fixed
from playground.session import Session
from playground.train import Trainer

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "original-seeds.json").read_text())
CASES: list[dict[str, Any]] = FIXTURE["cases"]
TOLERANCE = 1e-12  # the original's sin, cos and log are V8's: they may differ from ours in the last bit


def case_id(case: dict[str, Any]) -> str:
    return f"{case['dataset']}-noise{case['noise']}-shape{'x'.join(map(str, case['shape']))}"


def hash_of(case: dict[str, Any]) -> str:
    """The case as a hash: its features are the first sizes[0] of ours (the draws depend only on the counts)."""
    key = "dataset" if case["problem"] == "classification" else "regDataset"
    features = "&".join(f"{k}={'true' if i < case['shape'][0] else 'false'}" for i, k in enumerate(FEATURE_KEYS))
    shape = ",".join(str(size) for size in case["shape"][1:-1])
    return (f"problem={case['problem']}&{key}={case['dataset']}&noise={case['noise']}"
            f"&percTrainData={case['percTrainData']}&networkShape={shape}&{features}&seed={case['seed']}")


def assert_points(points: np.ndarray, labels: np.ndarray, expected: dict[str, list[float]]) -> None:
    assert points.shape == (len(expected["x"]), 2)
    assert np.abs(points - np.column_stack([expected["x"], expected["y"]])).max() < TOLERANCE
    assert np.abs(labels - np.array(expected["label"])).max() < TOLERANCE


def assert_network(network: Network, expected: dict[str, Any]) -> None:
    for layer, (weights, biases) in enumerate(zip(expected["weights"], expected["biases"], strict=True), start=1):
        assert np.array_equal(network.weights(layer), np.array(weights)), f"layer {layer} weights"
        assert np.array_equal(network.biases(layer), np.array(biases)), f"layer {layer} biases"
    assert network.architecture.layer_count == len(expected["weights"])


@pytest.mark.parametrize("seed", list(FIXTURE["random"]))
def test_the_stream_gives_the_originals_first_twelve_values(seed: str) -> None:
    assert SeedRandom(seed).uniforms(12).tolist() == FIXTURE["random"][seed]
    one_by_one = SeedRandom(seed)
    assert [one_by_one.random() for _ in range(12)] == FIXTURE["random"][seed]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_seed_gives_the_originals_points_labels_and_split(case: dict[str, Any]) -> None:
    data = Trainer.fresh(Config.from_hash(hash_of(case))).data
    assert_points(data.train_points, data.train_labels, case["train"])
    assert_points(data.test_points, data.test_labels, case["test"])


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_seed_gives_the_originals_first_network_reset_and_next_seed(case: dict[str, Any]) -> None:
    session = Session(Config.from_hash(hash_of(case)))
    assert_network(session.trainer.network, case["firstNetwork"])
    session.reset()
    assert_network(session.trainer.network, case["afterReset"])
    session.regenerate()
    assert session.config.seed == case["nextSeedAfterReset"]
    assert_network(session.trainer.network, case["afterReset"])  # regenerate keeps the network
    again = Trainer.fresh(session.config).data
    assert np.array_equal(session.trainer.data.train_points, again.train_points), "the new seed's own data"


def test_zero_init_makes_the_draws_so_reset_gives_the_originals_second_network() -> None:
    case = CASES[0]
    session = Session(Config.from_hash(hash_of(case) + "&initZero=true"))
    assert not session.trainer.network.params.any()
    session.update({"init": "uniform"})  # a network change: as the hash with init=uniform opens
    assert_network(session.trainer.network, case["firstNetwork"])
    stream = SeedRandom(case["seed"])
    Trainer.fresh(Config.from_hash(hash_of(case) + "&initZero=true"), stream)
    assert_network(Network.initial(Architecture.of(Config.from_hash(hash_of(case))), "uniform", stream),
                   case["afterReset"])


def test_train_from_a_hash_starts_from_the_originals_data_and_weights(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    case = next(c for c in CASES if c["dataset"] == "spiral" and c["noise"] == 0)
    saved = tmp_path / "start.json"
    assert main(["train", "--hash", "dataset=spiral&seed=0.42327", "--epochs", "0", "--save", str(saved)]) == 0
    start = Trainer.from_dict(json.loads(saved.read_text()))
    assert start.epoch == 0
    assert_network(start.network, case["firstNetwork"])
    assert_points(start.data.train_points, start.data.train_labels, case["train"])
    assert main(["train", "--hash", "dataset=spiral&seed=0.42327", "--epochs", "1", "--json"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert first == start.run_epoch().to_dict()


def test_to_fixed_rounds_a_tie_of_the_exact_binary_value_up_as_javascript() -> None:
    """Each expected string is what node's (0.015625).toFixed(5) etc. print."""
    assert 0.015625 == 1 / 64 and f"{0.015625:.5f}" == "0.01562"  # Python rounds the tie to even
    assert to_fixed(0.015625, 5) == "0.01563"
    assert to_fixed(0.000005, 5) == "0.00001"  # 5e-6 is a little above the tie in binary
    assert to_fixed(0.123455, 5) == "0.12345"  # and this one a little below
    assert (to_fixed(0.0, 5), to_fixed(0.5, 5), to_fixed(0.9999999, 5)) == ("0.00000", "0.50000", "1.00000")


def test_any_text_is_a_seed_and_the_same_text_the_same_stream() -> None:
    assert key_of("").tolist() == [0]
    assert key_of("ab").tolist() == [97, 98]
    assert key_of("a" * 257).tolist() == [255 & ((97 * 19) + 97)] + [97] * 255  # slot 0 again, smeared
    assert key_of("\u00e9").tolist() == [0xE9]
    assert key_of("\U0001f600").tolist() == [0x3D, 0x00]  # two UTF-16 code units, 0xD83D 0xDE00
    for seed in ("", "\u00e9t\u00e9 \U0001f600", "a" * 300, "0.42327"):
        draws = SeedRandom(seed).uniforms(100)
        assert np.array_equal(draws, SeedRandom(seed).uniforms(100))
        assert ((draws >= 0) & (draws < 1)).all()
    assert not np.array_equal(SeedRandom("").uniforms(5), SeedRandom("\u00e9").uniforms(5))
    data = Trainer.fresh(Config(seed="\u00e9t\u00e9")).data
    assert np.array_equal(data.train_points, Trainer.fresh(Config(seed="\u00e9t\u00e9")).data.train_points)


def test_a_copied_state_continues_the_stream_exactly() -> None:
    stream = SeedRandom("0.42327")
    stream.uniforms(1000)
    sbox, i, j = stream.state()
    copy = SeedRandom.from_state(sbox, i, j)
    assert np.array_equal(stream.uniforms(50), copy.uniforms(50))
    assert np.array_equal(stream.copy().normals(20), copy.normals(20))
    with pytest.raises(ValueError, match="permutation"):
        SeedRandom.from_state(np.zeros(256, dtype=np.int64), 0, 0)


def test_normal_draws_are_standard_normal() -> None:
    draws = SeedRandom("normal").normals(20000)
    assert abs(draws.mean()) < 0.03 and abs(draws.std() - 1) < 0.03
