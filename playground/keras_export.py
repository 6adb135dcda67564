"""Export to Keras: a trained network as a self-contained Python script that builds the same model in Keras 3
(inputs computed from (x, y) by a small preprocessing function, Dense layers with our activations, the trained
weights), compiled with the equivalent optimizer, learning rate (decay as a schedule), loss and batch size, and
comments on every difference between our training and Keras's.
"""

from __future__ import annotations

import math
import re

from playground import kernel
from playground.features import FEATURES
from playground.network import Network
from playground.softmax import PROBABILITY_FLOOR
from playground.train import Trainer

# How each of our activations is written in the script: a Keras activation name, or a function the script defines.
ACTIVATIONS = {"relu": '"relu"', "tanh": '"tanh"', "sigmoid": '"sigmoid"', "linear": '"linear"',
               "leakyRelu": "leaky_relu", "softmax": '"softmax"'}
LEAKY_RELU = f'''

def leaky_relu(z):
    """Our leaky ReLU: slope {kernel.LEAKY_SLOPE} below zero (Keras's default slope is 0.2)."""
    return keras.activations.leaky_relu(z, negative_slope={kernel.LEAKY_SLOPE})
'''
HALF_SQUARED = '''

def half_squared_error(y_true, y_pred):
    """Our squared error, 0.5 (o - t)^2 per example (Keras's MeanSquaredError has no 0.5: twice our gradient)."""
    return 0.5 * keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)
'''
TANH_CROSS_ENTROPY = f'''

def tanh_cross_entropy(y_true, y_pred):
    """Our cross-entropy for a tanh output o and a label t of -1 or +1: binary cross-entropy of p = (o + 1) / 2,
    clipped to [{PROBABILITY_FLOOR}, 1 - {PROBABILITY_FLOOR}], against q = (t + 1) / 2."""
    p = keras.ops.clip((y_pred + 1.0) / 2.0, {PROBABILITY_FLOOR}, 1.0 - {PROBABILITY_FLOOR})
    q = (y_true + 1.0) / 2.0
    return keras.ops.mean(-(q * keras.ops.log(p) + (1.0 - q) * keras.ops.log(1.0 - p)), axis=-1)
'''
MAIN = '''

if __name__ == "__main__":
    model = build_model()
    model.summary()
    points = np.array([[0.0, 0.0], [2.0, 2.0], [-3.0, 1.5]])
    for point, output in zip(points, model.predict(preprocess(points), verbose=0)):
        print(f"at (x, y) = {tuple(point.tolist())}: {output}")
'''


def _optimizer(trainer: Trainer, schedule: str) -> tuple[str, list[str]]:
    """The Keras optimizer's source and the notes on how it differs from ours."""
    c = trainer.config
    notes: list[str] = []
    if c.optimizer in ("sgd", "momentum", "nesterov"):
        extra = "" if c.optimizer == "sgd" else f", momentum={c.momentum!r}"
        extra += ", nesterov=True" if c.optimizer == "nesterov" else ""
        if c.optimizer != "sgd":
            notes.append("Our velocity is v = momentum v + g and the step lr v; Keras's is v = momentum v - lr g. "
                         "They are the same steps while the learning rate is constant.")
        return f"keras.optimizers.SGD(learning_rate={schedule}{extra})", notes
    if c.optimizer == "rmsprop":
        notes.append(f"RMSprop: ours divides by sqrt(s) + {kernel.EPSILON}, Keras by sqrt(s + epsilon).")
        return (f"keras.optimizers.RMSprop(learning_rate={schedule}, rho={kernel.RMS_DECAY}, "
                f"epsilon={kernel.EPSILON})"), notes
    notes.append(f"Adam: ours adds epsilon to sqrt of the corrected second moment, Keras to sqrt of the uncorrected "
                 f"one (its 'epsilon hat'); with epsilon {kernel.EPSILON} the steps differ only when gradients are "
                 "tiny.")
    return (f"keras.optimizers.Adam(learning_rate={schedule}, beta_1={kernel.BETA1}, beta_2={kernel.BETA2}, "
            f"epsilon={kernel.EPSILON})"), notes


def _regularizer(trainer: Trainer) -> tuple[str, list[str]]:
    c = trainer.config
    if c.regularization == "none" or c.regularizationRate == 0:
        return "None", []
    notes = ["Regularization: ours steps every weight by -lr x rate x dR/dw after the optimizer's step (biases are "
             "not regularized); Keras adds the penalty to the loss, so with momentum, RMSprop or Adam it goes "
             "through the optimizer."]
    if c.regularization == "L2":
        notes.append("L2: our penalty is rate x w^2 / 2 (slope rate x w); Keras's L2(l2) is l2 x w^2, hence "
                     "l2 = rate / 2.")
        return f"keras.regularizers.L2({c.regularizationRate / 2!r})", notes
    notes.append("L1: a weight that our penalty pushes across zero is set to zero and stays dead (its link is gone); "
                 "Keras's L1 has no dead weights: they are exported as 0 but Keras would train them again.")
    return f"keras.regularizers.L1({c.regularizationRate!r})", notes


def _loss(trainer: Trainer) -> tuple[str, str, list[str]]:
    """The loss's source in compile(), the function the script defines for it, and notes."""
    output = trainer.network.architecture.output_activation
    if output == "softmax":  # K classes: labels are class indices 0..K-1
        return "keras.losses.SparseCategoricalCrossentropy()", "", [
            f"Categorical cross-entropy: ours clips each probability below at {PROBABILITY_FLOOR}, Keras's "
            "at its epsilon (1e-7 by default)."]
    if trainer.loss_code == kernel.LOSSES.index("crossEntropy"):
        return "tanh_cross_entropy", TANH_CROSS_ENTROPY, [
            "The output is tanh in [-1, 1], read as the probability (o + 1) / 2 of the label +1."]
    return "half_squared_error", HALF_SQUARED, []


def _layers(network: Network) -> list[str]:
    sizes = network.architecture.sizes
    lines = []
    for layer in range(1, len(sizes)):
        last = layer == len(sizes) - 1
        activation = network.architecture.output_activation if last else network.architecture.activation
        name = "output" if last else f"hidden_{layer}"
        regularizer = "REGULARIZER" if sizes[layer - 1] else "None"
        lines.append(f"    h = keras.layers.Dense({sizes[layer]}, activation={ACTIVATIONS[activation]}, "
                     f"kernel_regularizer={regularizer}, name={name!r})(h)")
    return lines


def _weights(network: Network) -> str:
    layers = []
    for layer in range(1, network.architecture.layer_count + 1):
        layers.append(f"    ({network.weights(layer).tolist()!r},\n     {network.biases(layer).tolist()!r}),")
    header = "WEIGHTS = [  # per Dense layer: (fan_in x fan_out weights, biases), as trained\n"
    return header + "\n".join(layers) + "\n]"


def file_name(trainer: Trainer) -> str:
    """A file name for the script: playground_<dataset>_epoch<N>.py."""
    dataset = re.sub(r"[^A-Za-z0-9]+", "_", trainer.config.active_dataset)
    return f"playground_{dataset}_epoch{trainer.epoch}.py"


def keras_script(trainer: Trainer) -> str:
    """The whole script for a trainer's network, config and epoch."""
    c, network = trainer.config, trainer.network
    data_size = len(trainer.data.train_labels)
    steps = math.ceil(data_size / c.batchSize)
    schedule = "LEARNING_RATE"
    notes = ["Training order: ours goes through the training points in order and a batch that is not full at the "
             "end of an epoch carries on into the next; fit(..., shuffle=False) keeps the order, but Keras ends "
             "each epoch with a smaller batch."]
    if c.learningRateDecay:
        schedule = "SCHEDULE"
        notes.append("Decay: ours is lr / (1 + decay x epoch), changed once per epoch: InverseTimeDecay with "
                     "staircase=True and one step a batch gives the same while an epoch is STEPS_PER_EPOCH batches.")
    optimizer, optimizer_notes = _optimizer(trainer, schedule)
    regularizer, regularizer_notes = _regularizer(trainer)
    loss, loss_function, loss_notes = _loss(trainer)
    notes += optimizer_notes + regularizer_notes + loss_notes
    helpers = loss_function + (LEAKY_RELU if network.architecture.activation == "leakyRelu" else "")
    features = [FEATURES[key] for key in c.features]
    labels = ("regression: the output is the predicted value" if c.problem != "classification" else
              f"labels: the class indices 0..{c.classes - 1}; the outputs are the classes' probabilities"
              if c.multiclass else "labels: -1 (orange) or +1 (blue); the output's sign is the class")
    columns = ", ".join(f.expression for f in features)
    note_lines = "\n".join(f"# - {note}" for note in notes)
    title = f"A network trained in the playground, rebuilt in Keras 3 with its trained weights (epoch {trainer.epoch})."
    return f'''"""{title}


Written by `playground export --keras`. Setup (paste after the playground's address as #...):
    {c.to_hash()}
Run it with Keras 3 installed (any backend): it builds the model, sets the weights and predicts at three points.
To train on in Keras: model.fit(preprocess(points), labels, batch_size=BATCH_SIZE, shuffle=False, epochs=...);
{labels}.
"""

import numpy as np
import keras

FEATURES = {[f.label for f in features]!r}  # the inputs, computed from (x, y) by preprocess()
BATCH_SIZE = {c.batchSize}
LEARNING_RATE = {c.learningRate!r}
STEPS_PER_EPOCH = {steps}  # batches of BATCH_SIZE in our {data_size} training points
SCHEDULE = keras.optimizers.schedules.InverseTimeDecay(
    LEARNING_RATE, decay_steps=STEPS_PER_EPOCH, decay_rate={c.learningRateDecay!r}, staircase=True)
REGULARIZER = {regularizer}
# How training here differs from the playground's:
{note_lines}

{_weights(network)}


def preprocess(points):
    """The network's inputs ({", ".join(f.label for f in features) or "none"}) from an (n, 2) array of (x, y)."""
    points = np.asarray(points, dtype="float64")
    x, y = points[:, 0], points[:, 1]
    return np.stack([{columns}], axis=1).reshape(len(points), {len(features)}).astype("float32")
{helpers}

def build_model():
    """The network with its trained weights, compiled as the playground trains it."""
    inputs = keras.Input(shape=({len(features)},), name="features")
    h = inputs
{chr(10).join(_layers(network))}
    model = keras.Model(inputs, h, name="playground")
    for layer, (weights, biases) in zip(model.layers[1:], WEIGHTS):
        layer.set_weights([np.array(weights, dtype="float32").reshape(layer.kernel.shape),
                           np.array(biases, dtype="float32")])
    model.compile(optimizer={optimizer}, loss={loss})
    return model
{MAIN}'''
