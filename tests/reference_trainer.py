"""An independent, deliberately plain re-statement of the training rules (the original playground's, as
docs/architecture.md states them, plus our optimizers) in pure Python floats, to check the compiled kernel's
updates against, example by example.

Nothing here is shared with playground/: it reads weights from a Network once and then keeps its own lists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

ACT = {
    "tanh": (math.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: max(z, 0.0), lambda z, a: 1.0 if z > 0 else 0.0),
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z, a: a * (1 - a)),
    "linear": (lambda z: z, lambda z, a: 1.0),
    "leakyRelu": (lambda z: z if z > 0 else 0.01 * z, lambda z, a: 1.0 if z > 0 else 0.01),
}


@dataclass
class Param:
    value: float
    is_weight: bool
    grad: float = 0.0
    dead: bool = False
    first: float = 0.0
    second: float = 0.0


@dataclass
class ReferenceNet:
    """weights[l][i][j] feeds neuron j of layer l + 1 from neuron i of layer l; biases[l][j]."""

    weights: list[list[list[Param]]]
    biases: list[list[Param]]
    activation: str
    output_activation: str
    loss: str = "squared"
    pending: int = 0
    steps: int = 0
    rule: dict[str, float | str] = field(default_factory=dict)

    def revive(self, layer: int, source: int, target: int, value: float) -> None:
        """A hand edit of weights[layer][source][target]: alive again, with its moments from zero."""
        p = self.weights[layer][source][target]
        p.value, p.dead, p.first, p.second = value, False, 0.0, 0.0

    def params(self) -> list[Param]:
        flat = [p for layer in self.weights for row in layer for p in row]
        return flat + [p for layer in self.biases for p in layer]

    def forward(self, x: list[float]) -> tuple[list[list[float]], list[list[float]]]:
        zs, activations = [list(x)], [list(x)]
        for layer, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            name = self.output_activation if layer == len(self.weights) - 1 else self.activation
            z = [b[j].value + sum(activations[-1][i] * w[i][j].value for i in range(len(w)))
                 for j in range(len(b))]
            zs.append(z)
            activations.append([ACT[name][0](v) for v in z])
        return zs, activations

    def accumulate(self, x: list[float], target: float) -> None:
        zs, acts = self.forward(x)
        out = acts[-1][0]
        if self.loss == "crossEntropy":
            delta = [out - target]
        else:
            delta = [(out - target) * ACT[self.output_activation][1](zs[-1][0], out)]
        for layer in range(len(self.weights) - 1, -1, -1):
            w, b = self.weights[layer], self.biases[layer]
            for j in range(len(b)):
                b[j].grad += delta[j]
                for i in range(len(w)):
                    w[i][j].grad += acts[layer][i] * delta[j]
            if layer > 0:
                delta = [sum(w[i][j].value * delta[j] for j in range(len(b)))
                         * ACT[self.activation][1](zs[layer][i], acts[layer][i]) for i in range(len(w))]
        self.pending += 1

    def update(self, lr: float, regularization: str, rate: float) -> None:
        optimizer = self.rule.get("optimizer", "sgd")
        mu = float(self.rule.get("momentum", 0.9))
        self.steps += 1
        for p in self.params():
            if p.dead:
                p.grad = 0.0
                continue
            g = p.grad / self.pending
            p.grad = 0.0
            old = p.value
            if optimizer == "momentum":
                p.first = mu * p.first + g
                step = p.first
            elif optimizer == "nesterov":
                p.first = mu * p.first + g
                step = g + mu * p.first
            elif optimizer == "rmsprop":
                p.second = 0.9 * p.second + 0.1 * g * g
                step = g / (math.sqrt(p.second) + 1e-8)
            elif optimizer == "adam":
                p.first = 0.9 * p.first + 0.1 * g
                p.second = 0.999 * p.second + 0.001 * g * g
                m_hat = p.first / (1 - 0.9**self.steps)
                v_hat = p.second / (1 - 0.999**self.steps)
                step = m_hat / (math.sqrt(v_hat) + 1e-8)
            else:
                step = g
            stepped = old - lr * step
            derivative = 0.0
            if p.is_weight and regularization == "L1":
                derivative = (old > 0) - (old < 0)
            elif p.is_weight and regularization == "L2":
                derivative = old
            regularized = stepped - lr * rate * derivative
            if regularization == "L1" and p.is_weight and stepped * regularized < 0:
                p.value, p.dead = 0.0, True  # frozen from now on, moments included (skipped above)
            else:
                p.value = regularized
        self.pending = 0

    def epoch(self, points: list[list[float]], labels: list[float], batch: int, lr: float,
              regularization: str = "none", rate: float = 0.0) -> None:
        for i, (x, t) in enumerate(zip(points, labels, strict=True)):
            self.accumulate(x, t)
            if (i + 1) % batch == 0:
                self.update(lr, regularization, rate)
