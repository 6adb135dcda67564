"""Learning made visible, in a real browser against a real server: the links showing the weights, the gradients
or the last step (log scale), the weight card's update rule and loss slice, keyboard access to the links, and one
example walked forward and backward through the network. The expected widths and numbers are computed here from
what the server sent, independently of the page's code. The `page` fixture fails any test whose page logs an
error."""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import open_playground, wait_hash
from tests.harness import LiveServer

DECADES = 3  # gradients and steps: full width at the largest, 1 px at 1/1000 of it or less
MAX_WEIGHT = 5  # weights: full width from |w| = 5


def link_width(value: float, top: float, log: bool) -> float:
    """The documented scale: 1 px to 10 px in half pixels."""
    if not math.isfinite(value) or value == 0:
        strength = 0.0
    elif not log:
        strength = min(abs(value), MAX_WEIGHT) / MAX_WEIGHT
    else:
        strength = 0.0 if top == 0 else min(1.0, max(0.0, (math.log10(abs(value) / top) + DECADES) / DECADES))
    return math.floor((1 + 9 * strength) * 2 + 0.5) / 2


def weight_index(sizes: list[int], layer: int, source: int, target: int) -> int:
    return sum(sizes[k - 1] * sizes[k] for k in range(1, layer)) + source * sizes[layer] + target


def links(page: Page) -> list[tuple[int, int, int, float]]:
    """Every link element's (layer, source, target, drawn width)."""
    rows: list[list[float]] = page.evaluate("""[...document.querySelectorAll('.link')].map(l =>
        [+l.dataset.layer, +l.dataset.source, +l.dataset.target, +l.dataset.width])""")
    return [(int(a), int(b), int(c), w) for a, b, c, w in rows]


def check_widths(page: Page, weights: list[float], biases: list[float], log: bool) -> list[float]:
    """Every link is as wide as the scale says for its value; returns the widths."""
    sizes: list[int] = page.evaluate("window.playground.state.frame.header.sizes")
    finite = [abs(v) for v in weights + biases if v is not None and math.isfinite(v)]
    top = max(finite, default=0.0)
    drawn = links(page)
    assert len(drawn) == len(weights)
    for layer, source, target, width in drawn:
        value = weights[weight_index(sizes, layer, source, target)]
        assert width == link_width(value, top, log), (layer, source, target, value, top)
    return [width for *_, width in drawn]


def frame_arrays(page: Page, *names: str) -> list[list[float]]:
    return [page.evaluate(f"Array.from(window.playground.state.frame.arrays.{name})") for name in names]


def number(text: str) -> float:
    """The last number in a text, as the page writes it (a minus sign may be U+2212)."""
    found = re.findall(r"[-\u2212]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)
    assert found, text
    return float(found[-1].replace("\u2212", "-"))


def test_links_show_the_gradients_and_the_last_step_on_a_log_scale(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=xor&networkShape=4,3&seed=21&learningRate=0.1")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    weight_widths = check_widths(page, *frame_arrays(page, "weights", "biases"), log=False)
    expect(page.locator("#link-legend")).to_contain_text("each weight w")

    page.select_option("#linkView", "gradients")
    wait_hash(page, linkView="gradients")
    expect(page.locator("#link-legend")).to_contain_text("dL/dw")
    # Frames carry the gradients only in this view: the frame that answers the config change has them.
    page.wait_for_function("() => window.playground.state.frame.arrays.weightGradients !== undefined")
    gradients, bias_gradients = frame_arrays(page, "weightGradients", "biasGradients")
    gradient_widths = check_widths(page, gradients, bias_gradients, log=True)
    assert gradient_widths != weight_widths
    largest = max(abs(v) for v in gradients + bias_gradients)
    assert number(page.inner_text("#link-legend").split("the largest")[0]) == float(f"{largest:.2g}")

    page.select_option("#linkView", "steps")
    wait_hash(page, linkView="steps")
    expect(page.locator("#link-legend")).to_contain_text("last step")
    # Likewise the steps.
    page.wait_for_function("() => window.playground.state.frame.arrays.weightSteps !== undefined")
    steps, bias_steps = frame_arrays(page, "weightSteps", "biasSteps")
    assert any(v != 0 for v in steps)  # one epoch has been trained
    check_widths(page, steps, bias_steps, log=True)


def card_row(page: Page, quantity: str) -> str:
    return page.inner_text(f'#hovercard tr[data-quantity="{quantity}"] td')


def test_the_weight_card_shows_the_update_rule_and_the_loss_along_the_weight(page: Page,
                                                                             live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=1&seed=5&learningRate=0.1&dataset=gauss")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    page.locator('.link[data-layer="1"][data-source="0"][data-target="0"]').hover()
    card = page.locator("#hovercard")
    expect(card.locator(".where")).to_have_text("X1 \u2192 layer 1 neuron 1")
    expect(card.locator('tr[data-quantity="newValue"]')).to_be_visible()  # the slice has come
    slice_: dict[str, Any] = page.evaluate("window.playground.state.slice")
    gradient = slice_["gradient"]  # tests/test_slice.py checks it against the frames' and finite differences
    assert abs(gradient) > 1e-4, "a gradient that is there to show"
    assert math.isclose(number(card_row(page, "gradient")), gradient, rel_tol=5e-3)
    assert number(card_row(page, "learningRate")) == 0.1
    step_text = card_row(page, "nextStep")
    assert step_text.startswith("= \u2212learning rate \u00d7 dL/dw")
    assert math.isclose(number(step_text), -0.1 * gradient, rel_tol=5e-3)  # SGD: -learning rate x gradient
    chart = card.locator("canvas.slice")
    expect(chart).to_have_attribute("data-drawn", re.compile(r"^1:"))  # the slice of epoch 1 is drawn
    inked = "() => { const c = document.querySelector('#hovercard canvas.slice'); const d = c.getContext('2d')" \
            ".getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) " \
            "n += d[i] > 0; return n; }"
    assert page.evaluate(inked) > 300  # curve, tangent, points and labels
    expect(card.locator(".slice-caption")).to_contain_text("slope is dL/dw")

    # While training runs with the card open, the slice follows the weight (the pointer stays on the link).
    page.evaluate("document.getElementById('play-pause-button').click()")
    page.wait_for_function("() => window.playground.state.slice.epoch >= 5")
    page.evaluate("document.getElementById('play-pause-button').click()")
    expect(page.locator("#play-pause-button")).not_to_have_class(re.compile(r"\bplaying\b"))
    expect(chart).not_to_have_attribute("data-drawn", re.compile(r"^1:"))


def test_links_and_biases_are_reachable_from_the_keyboard(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=2&seed=6")
    card = page.locator("#hovercard")
    page.focus(".link[tabindex='0']")
    expect(card).to_be_visible()
    expect(card.locator(".where")).to_have_text("X1 \u2192 layer 1 neuron 1")
    page.keyboard.press("ArrowDown")
    expect(card.locator(".where")).to_have_text("X1 \u2192 layer 1 neuron 2")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # round to the last of the group: the output's bias
    expect(card.locator(".kind")).to_have_text("Bias")
    expect(card.locator(".where")).to_have_text("of the output")
    page.keyboard.press("Enter")
    expect(card.locator("input")).to_be_focused()
    card.locator("input").press("Escape")
    expect(card.locator("input")).to_be_hidden()


def printed_numbers(page: Page) -> dict[tuple[int, int], float]:
    rows: list[list[Any]] = page.evaluate("""[...document.querySelectorAll('.node .value:not([hidden])')].map(v =>
        [+v.parentElement.dataset.layer, +v.parentElement.dataset.neuron, v.textContent])""")
    return {(layer, neuron): number(text) for layer, neuron, text in rows}


def active_layers(page: Page) -> set[int]:
    return set(page.evaluate("[...document.querySelectorAll('.node.active')].map(n => +n.dataset.layer)"))


def close_to(shown: dict[tuple[int, int], float], values: dict[tuple[int, int], float]) -> bool:
    """Printed with two significant digits."""
    return shown.keys() == values.keys() and all(
        math.isclose(shown[k], values[k], rel_tol=0.05, abs_tol=1e-12) for k in values)


def test_walk_one_example_forward_and_backward(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=circle&networkShape=3,2&seed=17&batchSize=1")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.epoch >= 3")
    page.click("#walk-open")
    expect(page.locator("#walkthrough")).to_be_visible()
    # Pick training point 0 by clicking it on the heatmap: the server pauses training and sends its passes.
    x, y = page.evaluate("Array.from(window.playground.state.data.arrays.trainPoints.slice(0, 2))")
    plane = page.locator("#heatmap .plane").bounding_box()
    assert plane is not None
    page.mouse.click(plane["x"] + (x + 6) / 12 * plane["width"], plane["y"] + (6 - y) / 12 * plane["height"])
    page.wait_for_function("() => window.playground.state.walkthrough.example !== null")
    expect(page.locator("#play-pause-button")).not_to_have_class(re.compile(r"\bplaying\b"))
    expect(page.locator("#heatmap .example-marker")).to_be_visible()
    example: dict[str, Any] = page.evaluate("window.playground.state.walkthrough.example")
    index = example["index"]
    points = page.evaluate(f"Array.from(window.playground.state.data.arrays.trainPoints.slice({2 * index}, "
                           f"{2 * index + 2}))")
    assert math.dist(points, (x, y)) < 12 * 12 / plane["width"]  # the point under the click (or one as near)
    expect(page.locator("#walkthrough .walk-count")).to_have_text("step 1 of 10")

    def values(layers: range, of: str) -> dict[tuple[int, int], float]:
        rows = example["activations"] if of == "a" else [None, *example["deltas"]]
        return {(layer, n): v for layer in layers for n, v in enumerate(rows[layer])}

    expected = [values(range(0, 1), "a"), values(range(0, 2), "a"), values(range(0, 3), "a"),
                values(range(0, 4), "a"), values(range(3, 4), "a"), values(range(3, 4), "dE/dz"),
                values(range(2, 4), "dE/dz"), values(range(1, 4), "dE/dz")]
    layers = [{0}, {1}, {2}, {3}, {3}, {3}, {2}, {1}]
    titles = ["The inputs", "Forward pass: layer 1", "Forward pass: layer 2", "Forward pass: the output",
              "The output and this point's loss", "Backward pass: the output's error signal",
              "Backward pass: layer 2", "Backward pass: layer 1"]
    seen = []
    for step, (numbers, layer, title) in enumerate(zip(expected, layers, titles, strict=True)):
        if step % 2:
            page.click("#walk-next")
        elif step > 0:
            page.keyboard.press("ArrowRight")
        expect(page.locator("#walkthrough .walk-title")).to_have_text(title)
        assert close_to(printed_numbers(page), numbers), (step, printed_numbers(page), numbers)
        assert active_layers(page) == layer
        seen.append(printed_numbers(page))
    assert all(a != b for a, b in itertools.pairwise(seen))  # every step prints other numbers

    # The gradients: links as this example's dE/dw; the card shows the product a x dE/dz for one link.
    page.keyboard.press("ArrowRight")
    expect(page.locator("#walkthrough .walk-title")).to_have_text("The gradient of each weight")
    assert printed_numbers(page) == {}
    check_widths(page, example["weightGradients"], example["biasGradients"], log=True)
    page.locator('.link[data-layer="1"][data-source="0"][data-target="0"]').hover()
    activation, delta = example["activations"][0][0], example["deltas"][0][0]
    assert math.isclose(number(card_row(page, "activation")), activation, rel_tol=5e-3)
    assert math.isclose(number(card_row(page, "delta")), delta, rel_tol=5e-3)
    assert math.isclose(number(card_row(page, "exampleGradient")), activation * delta, rel_tol=5e-3)
    page.mouse.move(5, 5)
    page.click("#walk-next")
    expect(page.locator("#walkthrough .walk-title")).to_have_text("The update this point contributes")
    expect(page.locator("#walkthrough .walk-text")).to_contain_text("With batch size 1 this is the whole update")
    check_widths(page, example["weightUpdates"], example["biasUpdates"], log=True)
    page.click("#walk-back")
    expect(page.locator("#walkthrough .walk-title")).to_have_text("The gradient of each weight")

    page.click("#play-pause-button")  # play ends the walk-through
    expect(page.locator("#walkthrough")).to_be_hidden()
    expect(page.locator("#play-pause-button")).to_have_class(re.compile(r"\bplaying\b"))
    expect(page.locator("#heatmap .example-marker")).to_be_hidden()
    assert printed_numbers(page) == {}
    page.click("#play-pause-button")


def test_the_gradient_chart_draws_a_line_per_layer(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=5,4,3&activation=sigmoid&seed=8")
    for epoch in ("000,001", "000,002"):
        page.click("#next-step-button")
        expect(page.locator("#iter-number")).to_have_text(epoch)
    expect(page.locator("#gradientchart .layer-key span")).to_have_text(
        ["layer 1", "layer 2", "layer 3", "layer 4 (output)"])
    expect(page.locator("#gradientchart canvas")).to_have_attribute("data-lines", "4")
    assert page.evaluate("window.playground.state.gradients.length") == 3  # epochs 0, 1 and 2
    page.locator("#gradientchart canvas").scroll_into_view_if_needed()  # it sits below the heatmap
    box = page.locator("#gradientchart canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    expect(page.locator("#gradientchart .readout")).to_have_text(re.compile(r"^Epoch 2: layer 1 \S+, layer 2"))
