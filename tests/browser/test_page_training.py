"""The page in a real browser against a real server: training (play, step, reset, regenerate, optimizers,
divergence), the charts and readouts, and editing weights and biases. The `page` fixture fails any test whose
page logs an error."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import epoch, heatmap_picture, open_playground, wait_hash
from tests.harness import LiveServer


def test_play_raises_the_epoch_and_lowers_the_test_loss(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=circle&learningRate=0.03&networkShape=4,2&seed=7")
    expect(page.locator("#iter-number")).to_have_text("000,000")
    start_loss = float(page.inner_text("#loss-test"))
    page.click("#play-pause-button")
    page.wait_for_function("() => parseInt(document.querySelector('#iter-number').textContent.replace(/,/g, '')) > 150")
    page.wait_for_function(f"() => parseFloat(document.querySelector('#loss-test').textContent) < {start_loss / 2}")
    expect(page.locator("#play-pause-button")).to_have_class(re.compile(r"\bplaying\b"))
    page.click("#play-pause-button")
    expect(page.locator("#play-pause-button")).not_to_have_class(re.compile(r"\bplaying\b"))
    expect(page.locator("#iter-number")).to_have_text(re.compile(r"^\d{3},\d{3}$"))
    assert page.evaluate("window.playground.state.history.length") > 100  # the loss chart got every epoch
    chart = page.locator("#linechart canvas")
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    readout = re.compile(r"^Epoch [\d,]+: training \d\.\d{3}, test \d\.\d{3}$")
    expect(page.locator("#linechart .readout")).to_have_text(readout)
    page.mouse.move(5, 5)
    expect(page.locator("#linechart .readout")).to_have_text("")


def test_step_and_reset(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=1")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,002")
    before = heatmap_picture(page)
    page.click("#reset-button")
    expect(page.locator("#iter-number")).to_have_text("000,000")
    page.wait_for_function("() => window.playground.state.history.length === 1")
    assert heatmap_picture(page) != before  # new initial weights


def test_regenerate_draws_new_data_and_keeps_training(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=2&noise=10")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    points = "document.querySelector('#heatmap canvas.points').toDataURL()"
    before = page.evaluate(points)
    page.click("#data-regen-button")
    page.wait_for_function("() => !window.location.hash.includes('&seed=2&')")
    page.wait_for_function(f"() => {points} !== {before!r}")
    expect(page.locator("#iter-number")).to_have_text("000,001")  # the network and its training are kept


def test_edit_a_weight_and_a_bias_while_paused(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=1&seed=5")
    card = page.locator("#hovercard")
    link = page.locator('.link[data-layer="1"][data-source="0"][data-target="0"]')
    link.hover()
    expect(card).to_be_visible()
    expect(card.locator(".kind")).to_have_text("Weight")
    expect(card.locator(".number")).to_have_text(re.compile(r"^-?\d"))
    before = heatmap_picture(page)
    link.click()
    card.locator("input").fill("4.2")
    card.locator("input").press("Enter")
    expect(card.locator("input")).to_be_hidden()
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() !== {before!r}")
    expect(card.locator(".number")).to_have_text("4.2")  # the pointer is still on the link
    page.mouse.move(5, 5)
    expect(card).to_be_hidden()
    link.hover()
    expect(card.locator(".number")).to_have_text("4.2")
    expect(page.locator("#iter-number")).to_have_text("000,000")  # still paused: the picture changed anyway

    bias = page.locator('.bias[data-layer="2"][data-neuron="0"]')
    bias.hover()
    expect(card.locator(".kind")).to_have_text("Bias")
    expect(card.locator(".number")).to_have_text("0.1")
    before = heatmap_picture(page)
    bias.click()
    card.locator("input").fill("-0.75")
    card.locator("input").press("Enter")
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() !== {before!r}")
    page.mouse.move(5, 5)
    bias.hover()
    expect(card.locator(".number")).to_have_text("-0.75")


def test_hovering_a_neuron_shows_it_in_the_heatmap(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=4,2&seed=3")
    output = heatmap_picture(page)
    page.hover('.node[data-layer="1"][data-neuron="0"]')
    page.wait_for_function("() => window.playground.state.frame.header.selected.layer === 1")
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() !== {output!r}")
    page.mouse.move(5, 5)
    page.wait_for_function("() => window.playground.state.frame.header.selected.layer === 3")
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() === {output!r}")


def test_adam_with_decay_raises_the_accuracy(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=circle&seed=11&learningRate=0.03")
    page.select_option("#optimizer", "adam")
    wait_hash(page, optimizer="adam")
    page.select_option("#learningRateDecay", "0.001")
    wait_hash(page, optimizer="adam", learningRateDecay="0.001")
    expect(page.locator("#effective-learning-rate")).to_be_visible()
    start = float(page.inner_text("#accuracy-test").rstrip("%"))
    page.click("#play-pause-button")
    page.wait_for_function("() => parseFloat(document.querySelector('#accuracy-test').textContent) >= 90")
    page.click("#play-pause-button")
    assert float(page.inner_text("#accuracy-test").rstrip("%")) > start
    assert float(page.inner_text("#effective-learning-rate")) < 0.03
    assert epoch(page) > 0


def test_divergence_is_shown_until_a_reset(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "learningRate=10&activation=linear&problem=regression&networkShape=8,8,8"
                                       "&seed=13")
    page.click("#play-pause-button")
    message = page.locator("#messages .message.diverged")
    expect(message).to_be_visible()
    expect(message).to_contain_text("learning rate")
    expect(page.locator("#play-pause-button")).to_be_disabled()
    expect(page.locator("#loss-test")).to_have_text("\u2013")  # an en dash: no number
    page.hover('.node[data-layer="1"][data-neuron="0"]')  # more frames of the diverged session: the message stays
    page.wait_for_function("() => window.playground.state.frame.header.selected.layer === 1")
    expect(message).to_be_visible()
    page.select_option("#learningRate", "0.001")
    wait_hash(page, learningRate="0.001")
    page.click("#reset-button")
    expect(message).to_have_count(0)
    expect(page.locator("#play-pause-button")).to_be_enabled()
    expect(page.locator("#loss-test")).to_have_text(re.compile(r"^\d+\.\d{3}$"))


def test_a_value_that_is_not_a_number_is_refused_visibly(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=1&seed=14")
    link = page.locator('.link[data-layer="1"][data-source="0"][data-target="0"]')
    link.hover()
    expect(page.locator("#hovercard .number")).to_be_visible()
    before = page.inner_text("#hovercard .number")
    link.click()
    page.locator("#hovercard input").fill("big")
    page.locator("#hovercard input").press("Enter")
    expect(page.locator("#messages .message.error")).to_contain_text("not a number")
    expect(page.locator("#hovercard .number")).to_have_text(before)
