"""The command line: `playground serve | train | bench`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from playground.config import Config, ConfigError
from playground.csvdata import read_csv
from playground.knobs import CUSTOM
from playground.network import Architecture, Network
from playground.protocol import dump_json
from playground.seedrandom import SeedRandom
from playground.train import Metrics, Trainer

EXIT_USAGE = 2
EXIT_DIVERGED = 3


def _progress(metrics: Metrics) -> str:
    line = f"epoch {metrics.epoch:>7,}  train loss {metrics.train_loss:.3f}  test loss {metrics.test_loss:.3f}"
    if metrics.train_accuracy is not None and metrics.test_accuracy is not None:
        line += f"  train accuracy {metrics.train_accuracy:.1%}  test accuracy {metrics.test_accuracy:.1%}"
    return line


def _trainer(args: argparse.Namespace) -> Trainer:
    """A saved trainer, or a fresh one of the hash; on the points of --data when given (dataset becomes custom)."""
    if not args.data:
        return Trainer.from_dict(json.loads(Path(args.load).read_text())) if args.load else Trainer.fresh(
            Config.from_hash(args.hash))
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
        return Trainer.from_dict(json.loads(Path(args.load).read_text()), data)
    stream = SeedRandom(config.seed)
    return Trainer(config, data, Network.initial(Architecture.of(config), config.init, stream))


def train(args: argparse.Namespace) -> int:
    if args.load and args.hash:
        raise ConfigError("--hash", args.hash, "left out with --load: a saved network carries its own config")
    trainer = _trainer(args)
    every = max(1, args.epochs // 10)
    status = 0
    for _ in range(args.epochs):
        metrics = trainer.run_epoch()
        if args.json:
            print(dump_json(metrics.to_dict()), flush=True)
        elif metrics.epoch % every == 0 or metrics.epoch == args.epochs:
            print(_progress(metrics), flush=True)
        if not (metrics.is_finite() and trainer.network.is_finite()):
            print(f"diverged at epoch {metrics.epoch}: the loss or a weight is no longer a finite number; "
                  "try a smaller learning rate or regularization rate", file=sys.stderr)
            status = EXIT_DIVERGED
            break
    if args.save:
        Path(args.save).write_text(dump_json(trainer.to_dict()))
    return status


def bench(args: argparse.Namespace) -> int:
    from playground.bench import run

    for line in run():
        print(line, flush=True)
    return 0


def serve(args: argparse.Namespace) -> int:
    from playground.server import Settings
    from playground.server import serve as run_server

    hosts = tuple(name.strip() for name in args.allowed_hosts.split(",") if name.strip())
    run_server(args.host, args.port, args.workers, Settings(hosts, args.max_sessions))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="playground", description="The neural-network playground.")
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
    run.set_defaults(action=serve)
    learn = commands.add_parser("train", help="train without a browser")
    learn.add_argument("--hash", default="", help="a setup in the URL-hash format (any subset of keys)")
    learn.add_argument("--epochs", type=int, default=500)
    learn.add_argument("--json", action="store_true", help="print one JSON line per epoch")
    learn.add_argument("--save", metavar="PATH", help="save the trained network as JSON")
    learn.add_argument("--load", metavar="PATH", help="carry on training a saved network")
    learn.add_argument("--data", metavar="FILE", help="train on the points of a CSV file (x, y, label[, test])")
    learn.set_defaults(action=train)
    measure = commands.add_parser("bench", help="measure epoch and picture costs")
    measure.set_defaults(action=bench)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "epochs", 1) < 0:
        parser().error("--epochs must be 0 or more")
    try:
        return int(args.action(args))
    except (ConfigError, OSError, ValueError, KeyError) as error:
        print(f"playground {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
