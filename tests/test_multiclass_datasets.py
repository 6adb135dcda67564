"""The K-class datasets (the `classes` knob) against their definitions at noise 0, their sizes and split,
determinism per seed, noise moving labels as in the binary forms, and K = 2 left exactly as it was."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from playground.config import Config, ConfigError
from playground.datasets import CLASS_GENERATORS, GENERATORS, class_sizes, generate
from playground.seedrandom import SeedRandom

KS = (3, 4, 5, 6)


def draw(name: str, classes: int, n: int = 500, noise: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    return CLASS_GENERATORS[name](n, noise, SeedRandom("3"), classes)


def assert_drawn_class_after_class(labels: np.ndarray, classes: int, n: int = 500) -> None:
    """Labels are the class indices, in order, n // K each and one more for the first n % K classes."""
    sizes = [n // classes + (k < n % classes) for k in range(classes)]
    assert labels.tolist() == [float(k) for k in range(classes) for _ in range(sizes[k])]


def test_class_sizes_share_the_points_out_evenly() -> None:
    assert class_sizes(500, 3).tolist() == [167, 167, 166]
    assert class_sizes(500, 6).tolist() == [84, 84, 83, 83, 83, 83]
    assert class_sizes(500, 4).tolist() == [125] * 4


@pytest.mark.parametrize("classes", KS)
def test_rings_lie_in_equal_width_bands_and_are_labelled_by_their_band(classes: int) -> None:
    points, labels = draw("circle", classes)
    assert_drawn_class_after_class(labels, classes)
    width = 5 / classes
    radius = np.hypot(points[:, 0], points[:, 1])
    assert np.array_equal(labels, np.floor(radius / width)), "the label is the band the radius falls in"
    inner = labels * width + np.where(labels > 0, 0.4 * width, 0)  # the gap inside every ring but the first
    assert (radius >= inner - 1e-12).all() and (radius < (labels + 1) * width).all()
    assert radius.max() < 5


@pytest.mark.parametrize("classes", KS)
def test_arms_are_the_spiral_turned_by_2_pi_over_k(classes: int) -> None:
    points, labels = draw("spiral", classes)
    assert_drawn_class_after_class(labels, classes)
    for k in range(classes):
        m = int((labels == k).sum())
        i = np.arange(m)
        t = 1.75 * 2 * np.pi * i / m + 2 * np.pi * k / classes
        arm = np.column_stack([5 * i / m * np.sin(t), 5 * i / m * np.cos(t)])
        assert np.allclose(points[labels == k], arm, rtol=0, atol=1e-12)


@pytest.mark.parametrize("classes", KS)
def test_sectors_label_the_xor_points_by_the_angle(classes: int) -> None:
    points, labels = draw("xor", classes)
    binary_points, _ = GENERATORS["xor"](500, 0.0, SeedRandom("3"))
    assert np.array_equal(points, binary_points), "the same points as the binary xor draws"
    degrees = np.degrees(np.arctan2(points[:, 1], points[:, 0])) % 360
    for k in range(classes):
        low, high = 360 * k / classes, 360 * (k + 1) / classes
        assert ((degrees[labels == k] >= low) & (degrees[labels == k] < high)).all(), k
    assert set(labels.tolist()) == set(map(float, range(classes)))


def test_four_sectors_are_the_quadrants() -> None:
    points, labels = draw("xor", 4)
    x, y = points.T
    quadrant = np.select([(x > 0) & (y > 0), (x < 0) & (y > 0), (x < 0) & (y < 0)], [0, 1, 2], 3)
    assert np.array_equal(labels, quadrant)


@pytest.mark.parametrize("classes", KS)
def test_clusters_sit_evenly_around_the_origin_with_the_gauss_variance(classes: int) -> None:
    points, labels = draw("gauss", classes, n=600 * classes)
    assert_drawn_class_after_class(labels, classes, n=600 * classes)
    for k in range(classes):
        angle = math.pi / 4 + 2 * math.pi * k / classes
        cluster = points[labels == k]
        assert np.allclose(cluster.mean(axis=0), [3.5 * math.cos(angle), 3.5 * math.sin(angle)], atol=0.1)
        assert np.allclose(cluster.var(axis=0), 0.5, rtol=0.15)
    wide, wide_labels = draw("gauss", classes, n=600 * classes, noise=0.5)
    assert np.allclose(wide[wide_labels == 0].var(axis=0), 4, rtol=0.15)


def test_four_clusters_one_per_quadrant() -> None:
    points, labels = draw("gauss", 4)
    centres = np.array([points[labels == k].mean(axis=0) for k in range(4)])
    assert np.array_equal(np.sign(centres), [[1, 1], [-1, 1], [-1, -1], [1, -1]])


@pytest.mark.parametrize(("dataset", "region"), [
    ("circle", lambda p, k: np.minimum(np.floor(np.hypot(*p.T) / (5 / k)), k - 1)),
    ("xor", lambda p, k: np.floor((np.arctan2(p[:, 1], p[:, 0]) % (2 * np.pi)) * k / (2 * np.pi))),
])
def test_noise_moves_labels_not_points_as_in_the_binary_forms(
        dataset: str, region: Callable[[np.ndarray, int], np.ndarray]) -> None:
    clean, noisy = draw(dataset, 3), draw(dataset, 3, noise=0.5)
    assert np.array_equal(clean[0], noisy[0]), "the same points"
    assert np.array_equal(clean[1], region(clean[0], 3))
    wrong = (noisy[1] != region(noisy[0], 3)).mean()
    assert 0.05 < wrong < 0.6


@pytest.mark.parametrize(("hash_text", "train", "test"), [
    ("classes=3", 250, 250), ("classes=4&percTrainData=10", 50, 450), ("classes=6&dataset=spiral&percTrainData=90",
                                                                        450, 50),
])
def test_sizes_and_split(hash_text: str, train: int, test: int) -> None:
    data = generate(Config.from_hash(hash_text + "&seed=1"))
    assert data.train_points.shape == (train, 2) and data.train_labels.shape == (train,)
    assert data.test_points.shape == (test, 2) and data.test_labels.shape == (test,)
    classes = Config.from_hash(hash_text).classes
    both = np.concatenate([data.train_labels, data.test_labels])
    assert np.bincount(both.astype(int)).tolist() == class_sizes(500, classes).tolist(), "every point is there"
    assert 0.15 < (data.train_labels == 0).mean() < 0.5, "shuffled before the split"


@pytest.mark.parametrize("dataset", list(CLASS_GENERATORS))
def test_same_seed_same_data_different_seed_different_data(dataset: str) -> None:
    base = f"dataset={dataset}&classes=5&noise=20"
    a, b = generate(Config.from_hash(base + "&seed=0.5")), generate(Config.from_hash(base + "&seed=0.5"))
    c = generate(Config.from_hash(base + "&seed=0.6"))
    assert np.array_equal(a.train_points, b.train_points) and np.array_equal(a.test_labels, b.test_labels)
    assert not np.array_equal(a.train_points, c.train_points)
    assert set(np.unique(a.train_labels)) <= {0.0, 1.0, 2.0, 3.0, 4.0}


@pytest.mark.parametrize("dataset", list(CLASS_GENERATORS))
def test_two_classes_are_the_binary_dataset_exactly(dataset: str) -> None:
    plain = generate(Config.from_hash(f"dataset={dataset}&noise=30&seed=0.42327"))
    two = generate(Config.from_hash(f"dataset={dataset}&noise=30&seed=0.42327&classes=2"))
    for got, want in zip((two.train_points, two.train_labels, two.test_points, two.test_labels),
                         (plain.train_points, plain.train_labels, plain.test_points, plain.test_labels), strict=True):
        assert np.array_equal(got, want)
    assert set(np.unique(two.train_labels)) == {-1.0, 1.0}


def test_regression_ignores_classes() -> None:
    config = Config.from_hash("problem=regression&classes=4&seed=1")
    assert config.classes == 4 and config.class_count is None and not config.multiclass
    plain = generate(Config.from_hash("problem=regression&seed=1"))
    assert np.array_equal(generate(config).train_labels, plain.train_labels)


def test_classes_knob_range_hash_and_layer_sizes() -> None:
    assert Config().classes == 2 and "classes" not in Config(seed="1").to_hash()
    config = Config.from_hash("classes=4&networkShape=5&seed=1")
    assert config.to_hash().endswith("&classes=4") and config.multiclass
    assert Config.from_hash(config.to_hash()) == config
    for bad in ("1", "7", "3.5", "three"):
        with pytest.raises(ConfigError, match="classes must be a whole number from 2 to 6"):
            Config.from_hash(f"classes={bad}")
