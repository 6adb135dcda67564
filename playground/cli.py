"""The command line: `playground serve | train | lessons | bench`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from playground import __version__, api
from playground.api import Run
from playground.config import Config, ConfigError
from playground.csvdata import read_csv
from playground.knobs import CUSTOM
from playground.launch import ServerStartError, announced
from playground.messages import dump_json
from playground.network import Architecture, Network
from playground.seedrandom import SeedRandom
from playground.train import Metrics, Trainer

# Exit statuses (README: "Exit statuses").
EXIT_LESSONS = 1  # playground lessons: a lesson file left out, or a goal its setup does not reach
EXIT_USAGE = 2  # a bad option, setting or file
EXIT_DIVERGED = 3  # training diverged
EXIT_SERVER = 4  # the server could not start (a busy port, an address that is not this machine's)
EXIT_INTERRUPTED = 130  # Ctrl+C (after saving, with --save)


def _progress(metrics: Metrics) -> str:
    line = f"epoch {metrics.epoch:>7,}  train loss {metrics.train_loss:.3f}  test loss {metrics.test_loss:.3f}"
    if metrics.train_accuracy is not None and metrics.test_accuracy is not None:
        line += f"  train accuracy {metrics.train_accuracy:.1%}  test accuracy {metrics.test_accuracy:.1%}"
    return line


def _check_writable(path: str) -> None:
    """Refuse a --save path before training, not after it (a missing folder, a folder, no permission)."""
    target = Path(path)
    folder = target.parent
    if target.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK) or (
            target.exists() and not os.access(target, os.W_OK)):
        raise ValueError(f"--save {path}: cannot write there (the folder must exist and be writable, and the path "
                         "must not be a folder)")


def _run(args: argparse.Namespace) -> Run:
    """A saved run, or a fresh one of the hash; on the points of --data when given (dataset becomes custom)."""
    if not args.data:
        return api.load(args.load) if args.load else Run(Trainer.fresh(Config.from_hash(args.hash)))
    config = Config.from_hash(args.hash) if not args.load else Config.from_hash(
        json.loads(Path(args.load).read_text())["config"])
    loaded = read_csv(Path(args.data).read_text(encoding="utf-8"), args.data, config.problem)
    notice = loaded.scale_notice(args.data)
    if notice:
        print(notice, file=sys.stderr)
    key = "dataset" if config.problem == "classification" else "regDataset"
    config = config.updated({key: CUSTOM, **({} if loaded.classes is None else {"classes": loaded.classes})})
    data = loaded.split(config.percTrainData, config.seed)
    if args.load:
        return api.load(args.load, data)
    stream = SeedRandom(config.seed)
    return Run(Trainer(config, data, Network.initial(Architecture.of(config), config.init, stream)))


def train(args: argparse.Namespace) -> int:
    if args.load and args.hash:
        raise ConfigError("--hash", args.hash, "left out with --load: a saved network carries its own config")
    if args.save:
        _check_writable(args.save)
    run = _run(args)
    print(f"playground train: seed={run.config.seed} (add it to --hash to repeat this run)", file=sys.stderr)
    every = max(1, args.epochs // 10)
    status = 0
    try:
        for count, metrics in enumerate(run.epochs(args.epochs), start=1):
            if args.json:
                print(dump_json(metrics.to_dict()), flush=True)
            elif count % every == 0 or count == args.epochs or run.diverged:
                print(_progress(metrics), flush=True)
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
        print(f"interrupted at epoch {run.epoch}", file=sys.stderr)
    if run.diverged:
        print(f"diverged at epoch {run.epoch}: the loss or a weight is no longer a finite number; "
              "try a smaller learning rate or regularization rate", file=sys.stderr)
        status = EXIT_DIVERGED
    if args.save:
        run.save(args.save)
        print(f"saved epoch {run.epoch} to {args.save}", file=sys.stderr)
    return status


def export(args: argparse.Namespace) -> int:
    from playground.keras_export import keras_script

    script = keras_script(api.load(args.keras).trainer)
    if args.output:
        Path(args.output).write_text(script)
        print(f"wrote {args.output}: run it with Keras 3 installed (python {args.output})", file=sys.stderr)
    else:
        sys.stdout.write(script)
    return 0


def bench(args: argparse.Namespace) -> int:
    from playground.bench import run

    for line in run():
        print(line, flush=True)
    return 0


def lessons(args: argparse.Namespace) -> int:
    from playground.lesson_check import check_report
    from playground.lessons import PACKAGED, load_lessons

    if args.dir and not Path(args.dir).is_dir():
        raise ValueError(f"{args.dir}: not a directory; give the directory of your lesson files")
    found, errors = load_lessons([Path(args.dir) if args.dir else PACKAGED])
    lines, all_met = check_report(found)
    for line in lines:
        print(line, flush=True)
    for error in errors:
        print(f"left out: {error}", file=sys.stderr)
    return 0 if all_met and not errors else EXIT_LESSONS


def serve(args: argparse.Namespace) -> int:
    from playground.server import Settings
    from playground.server import serve as run_server

    hosts = tuple(name.strip() for name in args.allowed_hosts.split(",") if name.strip())
    if args.lessons and not Path(args.lessons).is_dir():
        raise ValueError(f"--lessons {args.lessons}: not a directory; give the directory of your lesson files")
    lessons = str(Path(args.lessons).resolve()) if args.lessons else ""
    with announced(args.host, args.port):  # launch.py: a busy port, the engine's first compile, the address to open
        run_server(args.host, args.port, args.workers,
                   Settings(hosts, args.max_sessions, args.store, args.keep, lessons))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="playground", description="The neural-network playground.")
    top.add_argument("--version", action="version", version=f"playground {__version__}")
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the playground page")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1); see README: sizing")
    run.add_argument("--max-sessions", type=int, default=200, metavar="N",
                     help="learners one process holds at once (default 200); with --workers W the server holds up to "
                          "W x N, but each connection goes to whichever process takes it")
    run.add_argument("--allowed-hosts", default="", metavar="NAMES",
                     help="comma-separated domain names this server answers to, besides localhost and IP "
                          "addresses (e.g. class.example.org); any other Host is refused (DNS rebinding)")
    run.add_argument("--store", default="", metavar="URL",
                     help="where sessions are kept across reloads and restarts: sqlite:///path/file (default: "
                          "sessions.sqlite3 in $XDG_DATA_HOME/playground or ~/.local/share/playground), "
                          "redis://host:port/db (shared by several servers; pip install 'playground[redis]'), or "
                          "none; see docs/stores.md")
    run.add_argument("--keep", type=float, default=86400, metavar="SECONDS",
                     help="how long a session is kept after its last change (default 86400, a day)")
    run.add_argument("--lessons", default="", metavar="DIR",
                     help="a directory of your own lesson files (*.toml, see docs/lessons.md), besides ours")
    run.set_defaults(action=serve)
    learn = commands.add_parser("train", help="train without a browser")
    learn.add_argument("--hash", default="", help="a setup in the URL-hash format (any subset of keys)")
    learn.add_argument("--epochs", type=int, default=500)
    learn.add_argument("--json", action="store_true", help="print one JSON line per epoch")
    learn.add_argument("--save", metavar="PATH", help="save the trained network as JSON")
    learn.add_argument("--load", metavar="PATH", help="carry on training a saved network")
    learn.add_argument("--data", metavar="FILE", help="train on the points of a CSV file (x, y, label[, test])")
    learn.set_defaults(action=train)
    out = commands.add_parser("export", help="export a saved network (train --save) to another framework")
    out.add_argument("--keras", metavar="SAVED", required=True,
                     help="a network saved by `playground train --save`: write it as a Keras 3 script")
    out.add_argument("-o", "--output", metavar="PATH", help="write the script here (default: standard output)")
    out.set_defaults(action=export)
    check = commands.add_parser("lessons", help="check lesson files: load them and train every goal's setup")
    check.add_argument("dir", nargs="?", default="", help="a directory of lesson files (default: ours)")
    check.set_defaults(action=lessons)
    measure = commands.add_parser("bench", help="measure epoch and picture costs")
    measure.set_defaults(action=bench)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "epochs", 1) < 0:
        parser().error("--epochs must be 0 or more")
    try:
        return int(args.action(args))
    except ServerStartError as error:
        print(f"playground {args.command}: {error}", file=sys.stderr)
        return EXIT_SERVER
    except (ConfigError, OSError, ValueError) as error:
        print(f"playground {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
