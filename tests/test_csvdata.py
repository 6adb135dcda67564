"""The CSV rules of the learner's own data (playground/csvdata.py): what a file may look like, what each bad line
is told, and that writing then reading gives the same data."""

from __future__ import annotations

import numpy as np
import pytest

from playground.csvdata import MAX_POINTS, CsvError, read_csv, write_csv
from playground.datasets import DataSplit


def classify(text: str) -> tuple[list[list[float]], list[float], list[bool] | None, int | None]:
    data = read_csv(text, "pts.csv", "classification")
    return data.points.tolist(), data.labels.tolist(), None if data.test is None else data.test.tolist(), data.classes


def test_header_or_not_gives_the_same_points() -> None:
    assert classify("x,y,label\n1,2,1\n-3,4,-1\n") == classify("1,2,1\n-3,4,-1\n")
    assert classify("1,2,1\n-3,4,-1\n") == ([[1, 2], [-3, 4]], [1, -1], None, 2)


def test_semicolons_bom_quotes_and_blank_lines_are_read() -> None:
    text = '\ufeffx;y;label\n\n"1.5";"2";"1"\n\n  \n-1;-2;-1\n'
    assert classify(text) == ([[1.5, 2], [-1, -2]], [1, -1], None, 2)


def test_zero_one_labels_become_minus_and_plus_one() -> None:
    assert classify("0,0,1\n1,1,0\n")[1] == [1, -1]


def test_two_class_names_map_to_minus_then_plus_one_in_order_of_appearance() -> None:
    assert classify("0,0,cat\n1,1,dog\n2,2,cat\n")[1:] == ([-1, 1, -1], None, 2)


def test_three_class_names_become_indices_and_set_three_classes() -> None:
    assert classify("0,0,red\n1,1,green\n2,2,blue\n3,3,green\n")[1:] == ([0, 1, 2, 1], None, 3)


def test_class_indices_set_the_class_count() -> None:
    assert classify("0,0,0\n1,1,3\n2,2,1\n")[1:] == ([0, 3, 1], None, 4)


def test_test_column_marks_test_points_in_each_spelling() -> None:
    _, _, test, _ = classify("x,y,label,test\n0,0,1,1\n1,1,1,0\n2,2,1,true\n3,3,1,FALSE\n4,4,1,test\n5,5,1,train\n")
    assert test == [True, False, True, False, True, False]


def test_test_column_decides_the_split_and_keeps_order() -> None:
    split = read_csv("0,0,1,1\n1,1,-1,0\n2,2,1,0\n", "f.csv", "classification").split(50, "x")
    assert split.train_points.tolist() == [[1, 1], [2, 2]] and split.test_points.tolist() == [[0, 0]]


def test_without_test_column_the_seed_shuffles_and_the_ratio_cuts() -> None:
    data = read_csv("".join(f"{i / 10},0,1\n" for i in range(10)), "f.csv", "classification")
    first, again = data.split(70, "abc"), data.split(70, "abc")
    assert len(first.train_labels) == 7 and len(first.test_labels) == 3
    assert first.train_points.tolist() == again.train_points.tolist()
    assert sorted(first.train_points[:, 0].tolist() + first.test_points[:, 0].tolist()) == [i / 10 for i in range(10)]


def test_points_beyond_the_plane_are_scaled_with_one_factor_and_a_notice() -> None:
    data = read_csv("12,3,1\n-6,-1.5,-1\n", "big.csv", "classification")
    assert data.points.tolist() == [[6, 1.5], [-3, -0.75]] and data.scale == 0.5
    notice = data.scale_notice("big.csv")
    assert notice is not None and "big.csv" in notice and "scaled by 0.5" in notice
    assert read_csv("6,-6,1\n", "f.csv", "classification").scale_notice("f.csv") is None


def test_regression_reads_numbers_from_minus_one_to_one() -> None:
    data = read_csv("0,0,0.25\n1,1,-1\n", "r.csv", "regression")
    assert data.labels.tolist() == [0.25, -1] and data.classes is None


@pytest.mark.parametrize(("text", "problem", "needle"), [
    ("x,y,label\n1,2,1\n1,abc,1\n", "classification", "f.csv, line 3: y is 'abc', not a number"),
    ("1,2,1\n\n1,2\n", "classification", "f.csv, line 3: the label column is missing"),
    ("1,2,1,0\n1,2,1\n", "classification", "f.csv, line 2: the test column is missing"),
    ("1,2,1,0\n1,2,1,maybe\n", "classification", "f.csv, line 2: the test mark is 'maybe'"),
    ("1,2,1\n1,2,0.5\n", "classification", "f.csv, line 2: the label '0.5' does not fit classification"),
    ("1,2,1\n1,2,7\n", "classification", "f.csv, line 2: the label '7' does not fit classification"),
    ("".join(f"0,0,c{i}\n" for i in range(7)), "classification", "f.csv, line 7: the label 'c6' would be class 7"),
    ("1,2,0.5\n1,2,cat\n", "regression", "f.csv, line 2: the label 'cat' does not fit regression"),
    ("1,2,0.5\n1,2,1.5\n", "regression", "f.csv, line 2: the label '1.5' does not fit regression"),
    ("1,nan,1\n", "classification", "f.csv, line 1: y is 'nan', not a number"),
    ("x,y,label\n\n", "classification", "f.csv: no points"),
])
def test_each_bad_line_is_named_with_what_was_wrong(text: str, problem: str, needle: str) -> None:
    with pytest.raises(CsvError) as error:
        read_csv(text, "f.csv", problem)
    assert needle in str(error.value)


def test_more_than_ten_thousand_points_is_an_error_at_the_first_line_too_many() -> None:
    text = "x,y,label\n" + "0,0,1\n" * (MAX_POINTS + 1)
    with pytest.raises(CsvError, match=f"f.csv, line {MAX_POINTS + 2}: too many points"):
        read_csv(text, "f.csv", "classification")
    assert len(read_csv("0,0,1\n" * MAX_POINTS, "f.csv", "classification").labels) == MAX_POINTS


@pytest.mark.parametrize(("problem", "labels"), [
    ("classification", [1.0, -1.0, -1.0, 1.0, 1.0]),
    ("classification", [0.0, 2.0, 1.0, 2.0, 0.0]),
    ("regression", [0.125, -0.3333333333333333, 1.0, -1.0, 0.1]),
])
def test_written_data_reads_back_identically(problem: str, labels: list[float]) -> None:
    points = np.random.default_rng(3).uniform(-6, 6, size=(5, 2))
    data = DataSplit(points[:3], np.array(labels[:3]), points[3:], np.array(labels[3:]))
    text = write_csv(data, problem)
    assert text.startswith("x,y,label,test\n")
    back = read_csv(text, "saved.csv", problem).split(50, "any")
    for mine, read in zip((data.train_points, data.train_labels, data.test_points, data.test_labels),
                          (back.train_points, back.train_labels, back.test_points, back.test_labels), strict=True):
        assert mine.tolist() == read.tolist()
