"""The command line: `playground train` output, saving and loading, errors; the console script itself."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import EXIT_DIVERGED, EXIT_USAGE, main

EXAMPLE = Path(__file__).parent.parent / "examples" / "three-clusters.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_json_lines_carry_losses_and_accuracies(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "train", "--hash", "seed=1&optimizer=adam&learningRate=0.01", "--epochs", "3",
                           "--json")
    assert status == 0
    records = [json.loads(line) for line in lines]
    assert [r["epoch"] for r in records] == [1, 2, 3]
    for record in records:
        assert set(record) == {"epoch", "trainLoss", "testLoss", "trainAccuracy", "testAccuracy"}
        assert 0 <= record["trainAccuracy"] <= 1 and record["testLoss"] > 0


def test_regression_has_no_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    _, lines, _ = run(capsys, "train", "--hash", "seed=1&problem=regression", "--epochs", "1", "--json")
    assert json.loads(lines[0])["trainAccuracy"] is None


def test_same_seed_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "train", "--hash", "seed=5&dataset=xor", "--epochs", "20", "--json")[1]
    second = run(capsys, "train", "--hash", "seed=5&dataset=xor", "--epochs", "20", "--json")[1]
    assert first == second


def test_readable_progress(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "train", "--hash", "seed=1", "--epochs", "20")
    assert status == 0 and len(lines) == 10
    assert lines[-1].startswith("epoch      20  train loss 0.") and "test accuracy" in lines[-1]


def test_save_then_load_carries_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    straight = run(capsys, "train", "--hash", "seed=2", "--epochs", "10", "--json")[1]
    run(capsys, "train", "--hash", "seed=2", "--epochs", "6", "--json", "--save", str(path))
    saved = json.loads(path.read_text())
    assert saved["epoch"] == 6 and "seed=2" in saved["config"]
    status, resumed, _ = run(capsys, "train", "--load", str(path), "--epochs", "4", "--json")
    assert status == 0 and resumed == straight[6:]


@pytest.mark.parametrize(("argv", "needle"), [
    (["train", "--hash", "batchSize=0"], "batchSize=0 is not allowed: batchSize must be a whole number from 1 to 1200"),
    (["train", "--hash", "activation=softmax"], "activation must be one of relu, tanh"),
    (["train", "--load", "/nonexistent/net.json"], "No such file"),
    (["train", "--load", "x.json", "--hash", "seed=1"], "--hash"),
])
def test_bad_config_exits_non_zero_with_the_error(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                  needle: str) -> None:
    status, lines, err = run(capsys, *argv)
    assert status == EXIT_USAGE and not lines
    assert needle in err


def test_bad_option_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["train", "--epochs", "many"])
    assert caught.value.code == EXIT_USAGE
    assert "--epochs" in capsys.readouterr().err


def test_divergence_stops_with_its_own_status_and_null_losses(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = run(capsys, "train", "--hash", "seed=1&learningRate=10&activation=relu&problem=regression"
                             "&networkShape=8,8,8", "--epochs", "200", "--json")
    assert status == EXIT_DIVERGED and "diverged at epoch" in err
    last = json.loads(lines[-1])
    assert last["trainLoss"] is None and last["testLoss"] is None
    assert math.isfinite(json.loads(lines[0])["trainLoss"]) and len(lines) < 200


def test_console_script_runs() -> None:
    script = Path(sys.executable).parent / "playground"
    done = subprocess.run([str(script), "train", "--hash", "seed=1", "--epochs", "2", "--json"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["epoch"] == 2


def test_data_trains_on_a_csv_file_with_its_class_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, lines, err = run(capsys, "train", "--data", str(EXAMPLE), "--hash",
                             "seed=1&networkShape=4&learningRate=0.03", "--epochs", "60", "--json", "--save",
                             str(tmp_path / "net.json"))
    assert status == 0, err
    assert json.loads(lines[-1])["testAccuracy"] > 0.9
    saved = json.loads((tmp_path / "net.json").read_text())
    assert "dataset=custom" in saved["config"] and "classes=3" in saved["config"]


def test_a_bad_data_file_exits_2_naming_the_file_and_line(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("x,y,label\n1,2,1\n\n1,2,cat\n")
    status, lines, err = run(capsys, "train", "--data", str(path), "--hash", "problem=regression", "--epochs", "1")
    assert status == EXIT_USAGE and lines == []
    assert f"{path}, line 4: the label 'cat' does not fit regression" in err
