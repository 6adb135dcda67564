"""The commands a page sends, carried out: each names one Session method (nothing else); what it changed, the
session notes itself (Session.take_changes), and a command that asks for a reply gets it encoded here."""

from __future__ import annotations

from playground.messages import csv_message, example_message, keras_message, saved_network_message, slice_message
from playground.protocol import (
    AddPoint,
    ClearPoints,
    Command,
    ConfigCommand,
    ExampleCommand,
    ExportKeras,
    HashCommand,
    LoadCsv,
    OpenNetwork,
    Pause,
    Play,
    Regenerate,
    RemovePoint,
    Reset,
    SaveCsv,
    SaveNetwork,
    Select,
    SetBias,
    SetWeight,
    SliceCommand,
    Speed,
    Step,
)
from playground.session import Session


def carry_out(session: Session, command: Command) -> str | None:
    """The session method a command names; what it changed, the session notes itself (Session.take_changes).
    Returns the reply of a command that asks for one (`slice`, `example`, `export_keras`, `save_csv`,
    `save_network`), encoded, to go out before the frame."""
    match command:
        case HashCommand(hash=text):
            session.open_hash(text)
        case ConfigCommand(values=values):
            session.update(values)
        case Regenerate():
            session.regenerate()
        case Play():
            session.play()
        case Pause():
            session.pause()
        case Step():
            session.step()
        case Reset():
            session.reset()
        case Select(layer=layer, neuron=neuron):
            session.select(layer, neuron)
        case SetWeight(layer=layer, source=source, target=target, value=value):
            session.set_weight(layer, source, target, value)
        case SetBias(layer=layer, neuron=neuron, value=value):
            session.set_bias(layer, neuron, value)
        case Speed(epochs=epochs):
            session.set_speed(epochs)
        case SliceCommand(layer=layer, source=source, target=target, neuron=neuron):
            return slice_message(session.slice(layer, source, target, neuron))
        case ExampleCommand(index=index):
            return example_message(session.example(index))
        case OpenNetwork(network=text):
            session.open_network(text)
        case SaveNetwork():
            return saved_network_message(session.saved_network())
        case ExportKeras():
            return keras_message(*session.export_keras())
        case AddPoint(x=x, y=y, label=label, test=test):
            session.add_point(x, y, label, test)
        case RemovePoint(x=x, y=y):
            session.remove_point(x, y)
        case ClearPoints():
            session.clear_points()
        case LoadCsv(text=text, name=name):
            session.load_csv(text, name)
        case SaveCsv():
            return csv_message(session.save_csv())
    return None
