"""The page in a real browser with more than two classes: the Classes menu, the class map and its legend in the big
heatmap, one probability thumbnail per output neuron (hovering one shows it large), the categorical loss in the
loss menu, and the confusion matrix (for two classes too) read from the frame's counts."""

from __future__ import annotations

import colorsys
import math
import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import heatmap_picture, open_playground, screen_pixel, wait_hash
from tests.harness import LiveServer

PALE_ORANGE, PALE_BLUE = (246, 184, 113), (100, 170, 214)  # the full colours at alpha 160 of 255 over white


def heatmap_hues(page: Page) -> list[int]:
    """The hues of the big heatmap's coloured cells (greyish cells, saturation under 0.15, are left out), in
    degrees: one per run of 10-degree hue bins that each hold at least 2% of the cells, their weighted mean."""
    pixels: list[int] = page.evaluate("""() => Array.from(document.querySelector('#heatmap canvas.grid')
        .getContext('2d').getImageData(0, 0, 100, 100).data)""")
    bins = [0] * 36
    for at in range(0, len(pixels), 4):
        hue, _, saturation = colorsys.rgb_to_hsv(*(channel / 255 for channel in pixels[at:at + 3]))
        if saturation >= 0.15:
            bins[int(hue * 36) % 36] += 1
    full = [count >= 0.02 * len(pixels) / 4 for count in bins]
    hues = []
    for start in (b for b in range(36) if full[b] and not full[b - 1]):
        run = [start]
        while full[(run[-1] + 1) % 36] and len(run) < 36:
            run.append((run[-1] + 1) % 36)
        weights = [bins[b] for b in run]
        hues.append(round(sum((10 * (start + i) + 5) * w for i, w in enumerate(weights)) / sum(weights)) % 360)
    return hues


def confusion(page: Page) -> list[list[int]]:
    """The confusion matrix as the page shows it: the numbers in its cells, row by row."""
    rows: list[list[int]] = page.evaluate("""() => Array.from(document.querySelectorAll('#confusion tr'))
        .filter(row => row.querySelector('td'))
        .map(row => Array.from(row.querySelectorAll('td')).map(td => Number(td.textContent)))""")
    return rows


def point_counts(page: Page) -> dict[str, Any]:
    counts: dict[str, Any] = page.evaluate("""() => ({test: window.playground.state.data.arrays.testLabels.length,
        train: window.playground.state.data.arrays.trainLabels.length})""")
    return counts


def test_three_classes_train_to_three_colours_a_legend_and_a_filled_confusion_matrix(page: Page,
                                                                                    live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=gauss&networkShape=&seed=c2&showTestData=true")
    expect(page.locator("#class-legend")).to_be_hidden()
    page.select_option("#classes", "3")
    wait_hash(page, classes="3")
    page.wait_for_function("() => window.playground.state.frame.header.classes === 3")
    expect(page.locator(".node.output")).to_have_count(3)
    expect(page.locator('.link[data-layer="1"][data-target="2"]')).to_have_count(2)  # X1 and X2 feed each class
    expect(page.locator("#loss")).to_be_disabled()
    expect(page.locator("#loss option:checked")).to_have_text("Categorical cross-entropy")
    expect(page.locator("#class-legend .class-key")).to_have_text(["class 0", "class 1", "class 2"])
    start = float(page.inner_text("#accuracy-test").rstrip("%"))
    page.click("#play-pause-button")
    page.wait_for_function("() => parseFloat(document.querySelector('#accuracy-test').textContent) >= 90")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
    assert float(page.inner_text("#accuracy-test").rstrip("%")) > start
    hues = heatmap_hues(page)
    assert len(hues) == 3, f"the heatmap shows the hues {hues}, not three classes' colours"
    counts = point_counts(page)
    matrix = confusion(page)
    assert len(matrix) == 3 and all(len(row) == 3 for row in matrix)
    assert sum(map(sum, matrix)) == counts["test"]
    accuracy = float(page.inner_text("#accuracy-test").rstrip("%"))
    assert abs(100 * sum(matrix[k][k] for k in range(3)) / counts["test"] - accuracy) < 0.06
    expect(page.locator("#confusion .caption")).to_contain_text("rows: the true class".capitalize())
    page.click('#confusion button[data-set="train"]')
    expect(page.locator('#confusion button[data-set="train"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#confusion .caption")).to_contain_text(f"training points ({counts['train']} in all)")
    assert sum(map(sum, confusion(page))) == counts["train"]


def test_two_classes_keep_the_pale_orange_and_blue_and_get_a_confusion_matrix_regression_neither(page: Page,
                                                                             live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=gauss&seed=c4&networkShape=2")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.epoch >= 30")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
    expect(page.locator("#class-legend")).to_be_hidden()
    expect(page.locator(".node.output")).to_have_count(1)
    expect(page.locator("#loss")).to_be_enabled()
    matrix = confusion(page)
    assert len(matrix) == 2 and sum(map(sum, matrix)) == point_counts(page)["test"]
    expect(page.locator("#confusion th.class-head")).to_have_count(4)  # 0 and 1 above, 0 and 1 beside
    box = page.locator("#heatmap .plane").bounding_box()
    assert box is not None
    # Far from the two clusters' boundary: (-5.5, -5.5) is the orange class's side, (5.5, 5.5) the blue one's.
    orange = screen_pixel(page, box["x"] + box["width"] / 24, box["y"] + box["height"] * 23 / 24)
    blue = screen_pixel(page, box["x"] + box["width"] * 23 / 24, box["y"] + box["height"] / 24)
    assert all(abs(a - b) <= 6 for a, b in zip(orange, PALE_ORANGE, strict=True)), orange
    assert all(abs(a - b) <= 6 for a, b in zip(blue, PALE_BLUE, strict=True)), blue
    page.select_option("#problem", "regression")  # no classes: no Classes menu and no confusion matrix
    wait_hash(page, problem="regression")
    expect(page.locator("#classes")).to_be_hidden()
    expect(page.locator("#confusion")).to_be_hidden()


def test_hovering_an_output_neuron_of_three_classes_shows_its_probability(page: Page,
                                                                          live_server: LiveServer) -> None:
    open_playground(page, live_server, "classes=3&dataset=gauss&networkShape=&seed=c3")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    classes = heatmap_picture(page)
    assert len(heatmap_hues(page)) == 3
    page.hover('.node.output[data-neuron="1"]')
    page.wait_for_function("() => window.playground.state.frame.header.selected.neuron === 1")
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() !== {classes!r}")
    hues = heatmap_hues(page)
    assert len(hues) == 1 and 190 <= hues[0] <= 210, f"class 1's probability shows in the hues {hues}, not blue"
    expect(page.locator('.node.output[data-neuron="1"]')).to_have_attribute("title", re.compile("class 1"))
    page.mouse.move(5, 5)
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() === {classes!r}")


def test_the_walk_through_of_three_classes_shows_the_softmax_and_its_loss(page: Page,
                                                                          live_server: LiveServer) -> None:
    open_playground(page, live_server, "classes=3&dataset=gauss&networkShape=3&seed=c3")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    page.click("#walk-open")
    x, y = page.evaluate("Array.from(window.playground.state.data.arrays.trainPoints.slice(0, 2))")
    plane = page.locator("#heatmap .plane").bounding_box()
    assert plane is not None
    page.mouse.click(plane["x"] + (x + 6) / 12 * plane["width"], plane["y"] + (6 - y) / 12 * plane["height"])
    page.wait_for_function("() => window.playground.state.walkthrough.example !== null")
    example: dict[str, Any] = page.evaluate("window.playground.state.walkthrough.example")
    p, t = example["output"], int(example["label"])
    title, text = page.locator("#walkthrough .walk-title"), page.locator("#walkthrough .walk-text")
    for _ in range(2):
        page.click("#walk-next")
    expect(title).to_have_text("Forward pass: the output")
    expect(text).to_contain_text("softmax")
    shown = page.evaluate("""[...document.querySelectorAll('.node.output .value:not([hidden])')]
        .map(v => Number(v.textContent))""")
    assert len(shown) == 3 and abs(sum(shown) - 1) <= 0.015 and shown == [round(v, 2) for v in p], (shown, p)
    page.click("#walk-next")
    expect(title).to_have_text("The output and this point's loss")
    expect(text).to_contain_text("categorical cross-entropy E = \u2212ln p_t")
    expect(text).to_contain_text(f"E = {float(f'{-math.log(p[t]):.3g}'):g}.")
    page.click("#walk-next")
    expect(title).to_have_text("Backward pass: the output's error signal")
    signal = ", ".join(f"{float(f'{v - (k == t):.3g}'):g}" for k, v in enumerate(p))
    expect(text).to_contain_text("p_j \u2212 y_j")
    expect(text).to_contain_text(f"dE/dz = ({signal})")
