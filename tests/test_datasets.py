"""The generators against their formulas at noise 0, sizes and split, and seeding."""

import numpy as np
import pytest

from playground.config import Config
from playground.datasets import GENERATORS, generate
from playground.features import FEATURES, inputs
from playground.seedrandom import SeedRandom


def draw(name: str, n: int = 500, noise: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    return GENERATORS[name](n, noise, SeedRandom("3"))


def test_circle_labels_are_inside_radius_2_5() -> None:
    points, labels = draw("circle")
    radius = np.hypot(points[:, 0], points[:, 1])
    assert np.array_equal(labels, np.where(radius < 2.5, 1.0, -1.0))
    assert (labels == 1).sum() == 250
    assert radius.max() <= 5 and ((radius < 2.5) | (radius >= 3.5)).all()


def test_xor_labels_are_the_sign_of_x_times_y() -> None:
    points, labels = draw("xor")
    assert np.array_equal(labels, np.where(points[:, 0] * points[:, 1] >= 0, 1.0, -1.0))
    assert (np.abs(points) >= 0.3).all() and (np.abs(points) <= 5.3).all()


def test_gauss_has_two_clusters_with_variance_half_at_noise_0() -> None:
    points, labels = draw("gauss", n=4000)
    blue, orange = points[labels == 1], points[labels == -1]
    assert len(blue) == len(orange) == 2000
    assert np.allclose(blue.mean(axis=0), [2, 2], atol=0.05)
    assert np.allclose(orange.mean(axis=0), [-2, -2], atol=0.05)
    assert np.allclose(blue.var(axis=0), 0.5, rtol=0.1)
    wide, wide_labels = draw("gauss", n=4000, noise=0.5)
    assert np.allclose(wide[wide_labels == 1].var(axis=0), 4, rtol=0.1)


def test_spiral_points_lie_on_the_two_arms() -> None:
    points, labels = draw("spiral", n=500)
    i = np.arange(250)
    r = 5 * i / 250
    for label, delta in ((1, 0.0), (-1, np.pi)):
        t = 1.75 * 2 * np.pi * i / 250 + delta
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        assert np.allclose(points[labels == label], arm)


def test_reg_plane_is_x_plus_y_over_10() -> None:
    points, labels = draw("reg-plane", n=1200)
    assert np.allclose(labels, (points[:, 0] + points[:, 1]) / 10)
    assert (np.abs(points) <= 6).all()


def test_reg_gauss_takes_the_strongest_bump() -> None:
    points, labels = draw("reg-gauss", n=1200)
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    for (x, y), label in zip(points, labels, strict=True):
        values = [s * min(max(1 - np.hypot(x - cx, y - cy) / 2, 0), 1) for cx, cy, s in centres]
        assert label == pytest.approx(max(values, key=abs))


@pytest.mark.parametrize(("hash_text", "train", "test"), [
    ("", 250, 250), ("percTrainData=10", 50, 450), ("percTrainData=90", 450, 50),
    ("problem=regression", 600, 600), ("problem=regression&percTrainData=30", 360, 840),
])
def test_sizes_and_split(hash_text: str, train: int, test: int) -> None:
    data = generate(Config.from_hash(hash_text + "&seed=1"))
    assert data.train_points.shape == (train, 2) and data.train_labels.shape == (train,)
    assert data.test_points.shape == (test, 2) and data.test_labels.shape == (test,)


def test_the_split_comes_after_a_shuffle() -> None:
    data = generate(Config(seed="1"))
    # Unshuffled, the first 250 circle points would all be blue.
    assert 80 < (data.train_labels == 1).sum() < 170


def test_same_seed_same_data_different_seed_different_data() -> None:
    for dataset in GENERATORS:
        problem = "regression" if dataset.startswith("reg") else "classification"
        key = "regDataset" if problem == "regression" else "dataset"
        base = f"problem={problem}&{key}={dataset}&noise=20"
        a, b = generate(Config.from_hash(base + "&seed=0.5")), generate(Config.from_hash(base + "&seed=0.5"))
        c = generate(Config.from_hash(base + "&seed=0.6"))
        assert np.array_equal(a.train_points, b.train_points) and np.array_equal(a.test_labels, b.test_labels)
        assert not np.array_equal(a.train_points, c.train_points)


def test_noise_moves_labels_not_points_for_circle() -> None:
    clean = generate(Config.from_hash("seed=4&noise=0"))
    noisy = generate(Config.from_hash("seed=4&noise=50"))
    radius = np.hypot(noisy.train_points[:, 0], noisy.train_points[:, 1])
    wrong = noisy.train_labels != np.where(radius < 2.5, 1.0, -1.0)
    assert wrong.any()
    assert not (clean.train_labels != np.where(np.hypot(*clean.train_points.T) < 2.5, 1.0, -1.0)).any()


def test_features_compute_their_formulas() -> None:
    points = np.array([[1.5, -2.0], [0.0, 3.0]])
    keys = tuple(FEATURES)
    x, y = points.T
    expected = np.column_stack([x, y, x * x, y * y, x * y, np.sin(x), np.sin(y)])
    assert np.allclose(inputs(points, keys), expected)
    assert inputs(points, ("sinY", "x")).tolist() == [[np.sin(-2.0), 1.5], [np.sin(3.0), 0.0]]


def wrong_circle_labels(hash_text: str) -> float:
    """The fraction of training labels that disagree with the noiseless region (inside radius 2.5 is +1)."""
    config, errors = Config.from_hash_lenient(hash_text)
    assert not errors
    data = generate(config)
    inside = np.hypot(data.train_points[:, 0], data.train_points[:, 1]) < 2.5
    return float((data.train_labels != np.where(inside, 1.0, -1.0)).mean())


def test_a_hash_noise_beyond_the_slider_gives_a_noisier_dataset_as_in_the_original() -> None:
    """The same seed draws the same points and noise; only the noise's scale differs, so 60 mislabels more."""
    for seed in ("0.42327", "4", "abc"):
        at = {noise: wrong_circle_labels(f"noise={noise}&seed={seed}") for noise in (0, 25, 50, 60, 100)}
        assert at[0] == 0 < at[25] < at[50] < at[60] < at[100], (seed, at)
