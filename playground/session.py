"""Session: one learner's playground: config, data, the network in training, its loss history, play state and the
selected neuron; the commands a page can give; and the Frame it shows (the values it hands over are in reports.py).

Nothing here knows about websockets or JSON: the server calls these methods (from a worker thread) and encodes
what they return. A refused command raises SessionError with a message for the learner and changes nothing. What
a command or a stretch of training changed (config, data, divergence) the session notes in one place, as it
happens, and hands over as Changes; the connection turns those into messages, so no command can forget one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator, Mapping

from playground.config import MAX_SPEED, Config, ConfigError, Effect
from playground.confusion import class_arrays
from playground.csvdata import read_csv, write_csv
from playground.customdata import check_point, empty_split, relabel, with_point, without_nearest
from playground.datasets import DataSplit, generate
from playground.history import LossHistory
from playground.insight import (
    ExamplePass,
    LossSlice,
    bias_slice,
    example_pass,
    learning_arrays,
    weight_slice,
)
from playground.keras_export import file_name, keras_script
from playground.knobs import CUSTOM
from playground.network import Architecture, Network
from playground.pictures import float16_for_page, float32_for_page, pictures
from playground.reports import Changes, Frame, State
from playground.seedrandom import SeedRandom
from playground.train import Metrics, SavedNetworkError, Trainer


class SessionError(ValueError):
    """A command the session cannot carry out now; the message says why and what would work."""


def _history_row(metrics: Metrics) -> tuple[float, float, float, float]:
    train, test = (math.nan if a is None else a for a in (metrics.train_accuracy, metrics.test_accuracy))
    return metrics.train_loss, metrics.test_loss, train, test


@contextlib.contextmanager
def _refusal() -> Iterator[None]:
    """A ValueError raised inside (a point or file the learner gave) refuses the command."""
    try:
        yield
    except ValueError as error:
        raise SessionError(str(error)) from None


class Session:
    """One playground: created on connect, dropped on disconnect."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.state = State.PAUSED
        self.run = 0
        self._changes = Changes()
        self._changes.set_config(None)
        self.custom: dict[str, tuple[DataSplit, int]] = {}  # the learner's own points per problem, their classes
        self._open()

    def take_changes(self) -> Changes:
        """What changed since the last call (the first call: the config and data a new session starts with)."""
        changes, self._changes = self._changes, Changes()
        return changes

    # --- building blocks -------------------------------------------------------------------------------------
    def _open(self, new_data: bool = True) -> None:
        """The data and first network of the config's seed, from a fresh stream of it: what opening the config's
        hash gives, anywhere, any time. new_data: whether the points differ from the last ones the page got."""
        self.stream = SeedRandom(self.config.seed)
        if self.config.active_dataset == CUSTOM:
            self.trainer = Trainer(self.config, self._custom_data(), self._initial_network())
        else:
            self.trainer = Trainer.fresh(self.config, self.stream)
        self._changes.data = self._changes.data or new_data
        self._start_run()

    def _initial_network(self) -> Network:
        return Network.initial(Architecture.of(self.config), self.config.init, self.stream)

    def _custom_data(self) -> DataSplit:
        """The learner's own points of the problem (none yet if there are none), labelled for the classes now."""
        data, classes = self.custom.get(self.config.problem, (empty_split(), self.config.classes))
        return data if self.config.problem == "regression" else relabel(data, classes, self.config.classes)

    def _replace_network(self) -> None:
        """A new network on the same data: the next draw from where the stream is (the original's reset)."""
        self.trainer = Trainer(self.config, self.trainer.data, self._initial_network())
        self._start_run()

    def _start_run(self) -> None:
        """A new network is in place: epoch 0, paused (as the original pauses on a new network)."""
        self.run += 1
        self.selected = self.output_neuron
        self.state = State.PAUSED
        self.metrics = self.trainer.measure()
        self.history = LossHistory(self.trainer.epoch)
        self.history.append(_history_row(self.metrics))
        self.sent_rows = 0  # rows of the history already in a frame
        self._check_finite()

    def _check_finite(self) -> None:
        """Every way into `diverged` passes here, and is noted for the page once."""
        if self.state is not State.DIVERGED and not (self.metrics.is_finite() and self.trainer.network.is_finite()):
            self.state = State.DIVERGED
            self._changes.diverged = True

    @property
    def output_neuron(self) -> tuple[int, int]:
        return len(self.config.layer_sizes) - 1, 0

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    # --- commands --------------------------------------------------------------------------------------------
    def open_hash(self, text: str) -> None:
        """Replace the whole config from a URL hash, keeping defaults for what is not allowed (noted)."""
        config, errors = Config.from_hash_lenient(text)
        self.config = config
        self._changes.set_config(Effect.DATA)
        self._changes.notices += errors
        self._open()

    def update(self, values: Mapping[str, object]) -> None:
        """Change some knobs (raising ConfigError and changing nothing if any is not allowed)."""
        new = self.config.updated(values)
        effect = self.config.effect_of(new)
        self.config = new
        self._changes.set_config(effect)
        if effect is None or effect <= Effect.OPTIMIZER:
            self.trainer.config = new
            if effect is Effect.OPTIMIZER:
                self.trainer.reset_optimizer()
            if effect is not None and effect >= Effect.TRAIN:
                self._edited()  # the shown losses follow at once (a new loss function, even while paused)
        else:
            # A network or data change gives what opening the new hash gives: any hash always opens the same way.
            # After a network change the data come out as they were; the stream lands after the new weights.
            self._open(new_data=effect is Effect.DATA)

    def open_network(self, text: str) -> None:
        """A saved network (docs/saved-network.md) in place of this one: its config, its seed's data, its weights,
        optimizer state and epoch; a new run, paused. A text that is not one changes nothing."""
        try:
            trainer = Trainer.from_json(text)
        except (SavedNetworkError, ConfigError) as error:
            raise SessionError(f"open_network: this file is not a saved network the playground can open: {error}; "
                               "nothing was changed") from None
        self.config = trainer.config
        self.stream = SeedRandom(self.config.seed)
        Trainer.fresh(self.config, self.stream)  # the stream goes on from after the seed's data and first weights
        self.trainer = trainer
        self._changes.set_config(Effect.DATA)
        self._changes.data = True
        self._start_run()

    def saved_network(self) -> dict[str, object]:
        """What `playground train --save` writes: the network in training, to open here or there later."""
        return self.trainer.to_dict()

    def play(self) -> None:
        self._refuse_if_diverged("play")
        self.state = State.PLAYING

    def pause(self) -> None:
        if self.state is State.PLAYING:
            self.state = State.PAUSED

    def step(self) -> None:
        self._refuse_if_diverged("step")
        self.state = State.PAUSED
        self.advance(1)

    def reset(self) -> None:
        self._replace_network()

    def regenerate(self) -> None:
        """A new seed drawn from the stream as the original draws it, and that seed's data; the network and its
        training carry on."""
        if self.config.active_dataset == CUSTOM:
            raise SessionError("regenerate: your own points are not drawn from the seed; choose a generated dataset "
                               "to draw new points, or clear_points to start yours again")
        self.config = dataclasses.replace(self.config, seed=self.stream.next_seed())
        self.stream = SeedRandom(self.config.seed)
        self.trainer.config = self.config
        self.trainer.set_data(generate(self.config, self.stream))
        self._changes.set_config(Effect.DATA)
        self._changes.data = True
        self.metrics = self.trainer.measure()
        self._check_finite()

    def use_custom(self, data: DataSplit, classes: int | None = None) -> None:
        """The learner's own points in place of the data (dataset becomes custom); the network and its training go
        on, unless `classes` changes the output layer (then a new network)."""
        key = "dataset" if self.config.problem == "classification" else "regDataset"
        changes: dict[str, object] = {key: CUSTOM} if classes is None else {key: CUSTOM, "classes": classes}
        new = self.config.updated(changes)
        rebuilt = new.layer_sizes != self.config.layer_sizes
        if new != self.config:
            self._changes.set_config(Effect.DATA)
        self.config = new
        self.custom[new.problem] = (data, new.classes)
        self._changes.data = True
        if rebuilt:
            self.trainer = Trainer(new, data, self._initial_network())
            self._start_run()
        else:
            self.trainer.config = new
            self.trainer.set_data(data)
            self._edited()

    def add_point(self, x: float, y: float, label: float, test: bool) -> None:
        """One more point (the current points become the learner's first)."""
        with _refusal():
            check_point(self.config, x, y, label)
        self.use_custom(with_point(self.trainer.data, x, y, label, test))

    def remove_point(self, x: float, y: float) -> None:
        with _refusal():
            data = without_nearest(self.trainer.data, x, y)
        self.use_custom(data)

    def clear_points(self) -> None:
        self.use_custom(empty_split())

    def load_csv(self, text: str, name: str) -> None:
        """A file's points in place of the data (its class names may set `classes`), or SessionError naming the
        line and changing nothing; a scaled load notes a notice."""
        with _refusal():
            loaded = read_csv(text, name, self.config.problem)
        data = loaded.split(self.config.percTrainData, self.config.seed)
        self.use_custom(data, loaded.classes)
        notice = loaded.scale_notice(name)
        if notice is not None:
            self._changes.notes.append(notice)

    def save_csv(self) -> str:
        return write_csv(self.trainer.data, self.config.problem)

    def select(self, layer: int | None, neuron: int | None) -> None:
        if layer is None and neuron is None:
            self.selected = self.output_neuron
            return
        sizes = self.config.layer_sizes
        if layer is None or neuron is None:
            raise SessionError("select needs both layer and neuron, or neither (for the output)")
        if not 0 <= layer < len(sizes) or not 0 <= neuron < sizes[layer]:
            raise SessionError(f"select: there is no neuron {neuron} in layer {layer}; layers are 0 (inputs) to "
                               f"{len(sizes) - 1} (output) with sizes {list(sizes)}")
        self.selected = (layer, neuron)

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        self._check_weight("set_weight", layer, source, target)
        self.trainer.set_weight(layer, source, target, value)
        self._edited()

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        self._check_bias("set_bias", layer, neuron)
        self.trainer.network.set_bias(layer, neuron, value)
        self._edited()

    def slice(self, layer: int, source: int | None, target: int | None, neuron: int | None) -> LossSlice:
        """The training loss along one weight (source and target) or bias (neuron); the network is unchanged."""
        if neuron is None and source is not None and target is not None:
            self._check_weight("slice", layer, source, target)
            return weight_slice(self.trainer, layer, source, target)
        if neuron is not None and source is None and target is None:
            self._check_bias("slice", layer, neuron)
            return bias_slice(self.trainer, layer, neuron)
        raise SessionError("slice: give either source and target (for a weight) or neuron (for a bias), with layer")

    def example(self, index: int) -> ExamplePass:
        """Training point `index` forward and backward through the network; training pauses for the walk-through."""
        count = len(self.trainer.data.train_labels)
        if not 0 <= index < count:
            raise SessionError(f"example: index must be a training point from 0 to {count - 1}, not {index}")
        self.pause()
        return example_pass(self.trainer, index)

    def export_keras(self) -> tuple[str, str]:
        """The `export_keras` command: the network as it is now as a Keras script, and a file name for it."""
        self._refuse_if_diverged("export_keras")
        return keras_script(self.trainer), file_name(self.trainer)

    @property
    def speed(self) -> int:
        """Epochs per frame while playing: the config's `speed`."""
        return self.config.speed

    def set_speed(self, epochs: int) -> None:
        """The `speed` command: the same as a config change of `speed` (so the hash keeps it)."""
        if not 1 <= epochs <= MAX_SPEED:
            raise SessionError(f"speed: epochs per frame must be a whole number from 1 to {MAX_SPEED}, not {epochs}")
        self.update({"speed": epochs})

    def _refuse_if_diverged(self, command: str) -> None:
        if self.state is State.DIVERGED:
            raise SessionError(f"{command}: training has diverged (a loss or weight is no longer a finite number); "
                               "press reset, or change the learning rate and reset")

    def _check_layer(self, command: str, layer: int) -> tuple[int, ...]:
        sizes = self.config.layer_sizes
        if not 1 <= layer < len(sizes):
            raise SessionError(f"{command}: layer must be from 1 (the first layer after the inputs) to "
                               f"{len(sizes) - 1} (the output), not {layer}")
        return sizes

    def _check_weight(self, command: str, layer: int, source: int, target: int) -> None:
        sizes = self._check_layer(command, layer)
        if not (0 <= source < sizes[layer - 1] and 0 <= target < sizes[layer]):
            raise SessionError(f"{command}: layer {layer} has weights from neurons 0..{sizes[layer - 1] - 1} to "
                               f"neurons 0..{sizes[layer] - 1}; there is none from {source} to {target}")

    def _check_bias(self, command: str, layer: int, neuron: int) -> None:
        sizes = self._check_layer(command, layer)
        if not 0 <= neuron < sizes[layer]:
            raise SessionError(f"{command}: layer {layer} has neurons 0..{sizes[layer] - 1}; there is no {neuron}")

    def _edited(self) -> None:
        self.metrics = self.trainer.measure()
        self._check_finite()

    # --- training and what the page sees ---------------------------------------------------------------------
    def advance(self, epochs: int) -> bool:
        """Train up to `epochs` epochs, stopping at divergence; True if training diverged."""
        for _ in range(epochs):
            self.metrics = self.trainer.run_epoch()
            self.history.append(_history_row(self.metrics))
            self._check_finite()
            if self.state is State.DIVERGED:
                return True
        return False

    def reopened(self) -> None:
        """A page (re)connects to this session: its config and data go out again, and its next frame carries the
        whole history of the run."""
        self._changes.set_config(None)
        self._changes.data = True
        self.sent_rows = 0

    def frame(self) -> Frame:
        """What the page shows now; its history holds the epochs since the previous frame."""
        start = self.sent_rows
        rows, self.sent_rows = self.history.since(start), len(self.history)
        network = self.trainer.network
        shown = pictures(network, self.config.features, self.selected)
        weights, biases = network.flat(network.params)
        return Frame(
            epoch=self.epoch, state=self.state, metrics=self.metrics, learning_rate=self.trainer.learning_rate,
            sizes=self.config.layer_sizes, features=self.config.features, selected=self.selected, speed=self.speed,
            run=self.run, history_start=self.history.first_epoch + start, grid=shown.grid,
            thumbnails=shown.thumbnails, weights=float32_for_page(weights), biases=float32_for_page(biases),
            history=float16_for_page(rows), learning=learning_arrays(self.trainer, self.config.linkView),
            classes=class_arrays(self.trainer, shown))
