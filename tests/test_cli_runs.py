"""The command line as a person uses it: Ctrl+C keeps --save, a bad --save or --load path is named before any
training, every bad hash key is reported, the seed is printed, pasted hashes are decoded, a resumed run prints its
last epoch, `export --keras`, `--version`, and `serve`'s exit statuses and start-up messages."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from playground import __version__
from playground.cli import EXIT_INTERRUPTED, EXIT_SERVER, EXIT_USAGE, main
from tests.harness import free_port

SCRIPT = Path(sys.executable).parent / "playground"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_ctrl_c_saves_the_network_and_exits_130(tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    child = subprocess.Popen([str(SCRIPT), "train", "--hash", "seed=1", "--epochs", "100000000", "--json",
                              "--save", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = json.loads(child.stdout.readline())  # training has started
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == EXIT_INTERRUPTED == 130
    saved = json.loads(path.read_text())
    assert saved["epoch"] >= first["epoch"] and f"interrupted at epoch {saved['epoch']}" in err
    assert f"saved epoch {saved['epoch']} to {path}" in err


def test_a_save_path_that_cannot_be_written_is_refused_before_training(capsys: pytest.CaptureFixture[str],
                                                                       tmp_path: Path) -> None:
    status, lines, err = run(capsys, "train", "--hash", "seed=1", "--epochs", "5",
                             "--save", str(tmp_path / "missing" / "net.json"))
    assert status == EXIT_USAGE and lines == []
    assert f"--save {tmp_path / 'missing' / 'net.json'}: cannot write there" in err
    status, lines, _ = run(capsys, "train", "--epochs", "5", "--save", str(tmp_path))
    assert status == EXIT_USAGE and lines == []


@pytest.mark.parametrize(("content", "reason"), [("not json", "it is not JSON"),
                                                ('{"config": "seed=1"}', "it is not a network saved by playground"),
                                                ('{"config": "batchSize=0"}', "its config is not allowed")])
def test_a_bad_load_file_is_named_with_what_is_wrong(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     content: str, reason: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content)
    status, lines, err = run(capsys, "train", "--load", str(path), "--epochs", "1")
    assert status == EXIT_USAGE and lines == []
    assert f"{path}: cannot load a saved network: {reason}" in err


def test_every_bad_hash_key_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "train", "--hash", "batchSize=0&dataset=moons&noise=-3", "--epochs", "1")
    assert status == EXIT_USAGE
    for key in ("batchSize=0", "dataset=moons", "noise=-3"):
        assert f"{key} is not allowed" in err


def test_the_seed_of_a_run_is_printed_and_repeats_it(capsys: pytest.CaptureFixture[str]) -> None:
    status, first, err = run(capsys, "train", "--hash", "dataset=xor", "--epochs", "3", "--json")
    assert status == 0
    seed = err.split("seed=")[1].split()[0]
    again = run(capsys, "train", "--hash", f"dataset=xor&seed={seed}", "--epochs", "3", "--json")[1]
    assert again == first


def test_a_percent_encoded_hash_is_decoded(capsys: pytest.CaptureFixture[str]) -> None:
    encoded = run(capsys, "train", "--hash", "seed=1&networkShape=3%2C2&dataset=xor", "--epochs", "2", "--json")
    plain = run(capsys, "train", "--hash", "seed=1&networkShape=3,2&dataset=xor", "--epochs", "2", "--json")
    assert encoded[0] == 0 and encoded[1] == plain[1]


def test_a_resumed_run_prints_its_last_epoch(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "net.json"
    run(capsys, "train", "--hash", "seed=2", "--epochs", "6", "--save", str(path))
    status, lines, _ = run(capsys, "train", "--load", str(path), "--epochs", "4")
    assert status == 0 and lines[-1].startswith("epoch      10  train loss")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"playground {__version__}"


def test_a_busy_port_exits_with_its_own_status(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, _, err = run(capsys, "serve", "--port", str(port))
    assert status == EXIT_SERVER == 4
    assert f"port {port} is in use" in err and "--port" in err


@pytest.mark.parametrize(("argv", "needle"), [(["--port", "99999"], "--port 99999 is not a port"),
                                              (["--port", "0"], "from 1 to 65535")])
def test_a_port_that_is_not_one_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                 needle: str) -> None:
    status, _, err = run(capsys, "serve", *argv)
    assert status == EXIT_USAGE and needle in err and "Traceback" not in err


def test_an_address_of_another_machine_cannot_be_served(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "serve", "--host", "203.0.113.9", "--port", str(free_port()))
    assert status == EXIT_SERVER and "--host must be an address of this machine" in err


def test_serve_says_what_it_does_and_announces_a_real_address_once_it_answers() -> None:
    port = free_port()
    child = subprocess.Popen([str(SCRIPT), "serve", "--host", "0.0.0.0", "--port", str(port)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith(("playground: compiling the engine (first start only", "playground: loading"))
        before: list[str] = []
        announced = child.stdout.readline()
        while announced and not announced.startswith("playground: open"):
            before.append(announced)
            announced = child.stdout.readline()
        assert any('"GET /healthz HTTP/1.1" 200' in line for line in before)  # it answered before the announcement
        assert announced.startswith("playground: open http://") and "0.0.0.0" not in announced
        url = announced.split("open ")[1].split()[0]
        with urllib.request.urlopen(url + "healthz", timeout=10) as response:
            assert response.status == 200
    finally:
        child.terminate()
        child.wait(timeout=30)
