"""Export to Keras: the script `playground export --keras` writes, run by Keras 3 (numpy backend) in a child
process, predicts what our network predicts at 1000 points to 1e-5 (binary, regression, and softmax for K
classes), computes our loss on the test points, and compiles the optimizer and learning-rate schedule we train
with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import playground
from playground.cli import main

# Runs in the child: each job is (script, points file, test points file, test labels file).
DRIVER = '''
import json, runpy, sys
import numpy as np
results = []
for script, points, test_points, test_labels in json.loads(sys.argv[1]):
    ns = runpy.run_path(script)
    model = ns["build_model"]()
    predict = lambda p: model.predict(ns["preprocess"](np.load(p)), batch_size=1000, verbose=0)
    x, t = ns["preprocess"](np.load(test_points)), np.load(test_labels).reshape(-1, 1)  # K classes: indices
    results.append({
        "predictions": predict(points).reshape(-1).tolist(),
        "loss": float(np.mean(np.asarray(model.loss(t.astype("float32"), model.predict(x, verbose=0))))),
        "optimizer": type(model.optimizer).__name__,
        "config": {k: v for k, v in model.optimizer.get_config().items() if k in ("momentum", "nesterov", "rho",
                   "beta_1", "beta_2", "epsilon")},
        "rates": [float(ns["SCHEDULE"](ns["STEPS_PER_EPOCH"] * epoch)) for epoch in (0, 1, 3)],
        "batch": ns["BATCH_SIZE"],
    })
print(json.dumps(results))
'''

CASES = {
    "binary": "seed=1&dataset=xor&activation=leakyRelu&xSquared=true&sinY=true&loss=crossEntropy&optimizer=adam"
              "&learningRate=0.01&learningRateDecay=0.01&networkShape=5,3&batchSize=7",
    "regression": "seed=2&problem=regression&regDataset=reg-gauss&activation=relu&networkShape=6,4"
                  "&optimizer=nesterov&momentum=0.5&learningRate=0.003&xTimesY=true",
    "squared": "seed=3&dataset=circle&activation=sigmoid&optimizer=rmsprop&learningRate=0.003&xSquared=true"
               "&ySquared=true&networkShape=3",
    "regularized": "seed=4&dataset=gauss&regularization=L1&regularizationRate=0.01&networkShape=",
    "softmax": "seed=5&dataset=spiral&classes=4&networkShape=6,5&optimizer=momentum&learningRate=0.03&sinX=true",
}
KERAS_CLASS = {"binary": "Adam", "regression": "SGD", "squared": "RMSprop", "regularized": "SGD", "softmax": "SGD"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[playground.Run, np.ndarray, Any]]:
    """Each case trained here, saved, exported with the command line and run by Keras in one child process."""
    folder = tmp_path_factory.mktemp("keras")
    points = np.random.default_rng(7).uniform(-6, 6, (1000, 2))
    np.save(folder / "points.npy", points)
    runs, jobs = {}, []
    for name, setup in CASES.items():
        run = playground.train(setup, epochs=30)
        run.save(folder / f"{name}.json")
        assert main(["export", "--keras", str(folder / f"{name}.json"), "-o", str(folder / f"{name}.py")]) == 0
        data = run.trainer.data
        np.save(folder / f"{name}_test.npy", data.test_points)
        np.save(folder / f"{name}_labels.npy", data.test_labels)
        jobs.append([str(folder / f"{name}.py"), str(folder / "points.npy"), str(folder / f"{name}_test.npy"),
                     str(folder / f"{name}_labels.npy")])
        runs[name] = run
    env = {**os.environ, "KERAS_BACKEND": "numpy", "KERAS_HOME": str(folder)}
    done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(jobs)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.splitlines()[-1])
    return {name: (runs[name], points, result) for name, result in zip(CASES, results, strict=True)}


@pytest.mark.parametrize("name", list(CASES))
def test_keras_predicts_what_our_network_predicts(exported: dict[str, tuple[playground.Run, np.ndarray, Any]],
                                                  name: str) -> None:
    run, points, result = exported[name]
    ours = run.network.predict(points).reshape(-1)  # K classes: each point's K probabilities in a row
    assert np.abs(np.array(result["predictions"]) - ours).max() < 1e-5
    assert np.ptp(ours) > 0.1  # a network that has learned something, not a constant


@pytest.mark.parametrize("name", ["binary", "regression", "squared", "softmax"])
def test_keras_loss_is_our_loss(exported: dict[str, tuple[playground.Run, np.ndarray, Any]], name: str) -> None:
    run, _, result = exported[name]
    assert result["loss"] == pytest.approx(run.trainer.measure().test_loss, rel=1e-4)


@pytest.mark.parametrize("name", list(CASES))
def test_keras_compiles_our_optimizer_schedule_and_batch(exported: dict[str, tuple[playground.Run, np.ndarray, Any]],
                                                         name: str) -> None:
    run, _, result = exported[name]
    c = run.config
    assert result["optimizer"] == KERAS_CLASS[name] and result["batch"] == c.batchSize
    rates = [c.learningRate / (1 + c.learningRateDecay * epoch) for epoch in (0, 1, 3)]
    assert result["rates"] == pytest.approx(rates, rel=1e-6)
    if c.optimizer == "nesterov":
        assert result["config"]["nesterov"] is True and result["config"]["momentum"] == c.momentum
    if c.optimizer == "adam":
        assert (result["config"]["beta_1"], result["config"]["beta_2"]) == (0.9, 0.999)


def test_the_script_names_its_differences_and_can_be_printed(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    run = playground.train(CASES["regularized"], epochs=3)
    run.save(tmp_path / "net.json")
    assert main(["export", "--keras", str(tmp_path / "net.json")]) == 0
    script = capsys.readouterr().out
    assert script == run.keras_script()
    assert "keras.regularizers.L1(0.01)" in script and "dead" in script
    assert "0.5 (o - t)^2" in script and run.hash in script
    compile(script, "exported.py", "exec")
