"""The page in a real browser against a real server: the setup (URL hash, controls, network shape, problem,
view switches) and the connection. The `page` fixture fails any test whose page logs an error."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import ConsoleLog, hash_values, open_playground, wait_hash, wait_ready
from tests.harness import LiveServer

SHARED = ("activation=relu&batchSize=17&dataset=xor&regDataset=reg-gauss&learningRate=0.1&regularizationRate=0.003"
          "&noise=15&networkShape=3,5,2&seed=abc123&showTestData=true&discretize=true&percTrainData=70&x=true"
          "&y=false&xTimesY=false&xSquared=true&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=true"
          "&collectStats=false&problem=classification&initZero=false&hideText=false&regularization=L2"
          "&optimizer=momentum&momentum=0.5&learningRateDecay=0.01&loss=crossEntropy&init=xavier&noise_hide=true")


def test_a_shared_hash_sets_every_control(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, SHARED)
    expected_selects = {"#learningRate": "0.1", "#activations": "relu", "#regularizations": "L2",
                        "#regularRate": "0.003", "#problem": "classification", "#optimizer": "momentum",
                        "#momentum": "0.5", "#learningRateDecay": "0.01", "#loss": "crossEntropy", "#init": "xavier"}
    for selector, value in expected_selects.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#percTrainData")).to_have_value("70")
    expect(page.locator("#batchSize")).to_have_value("17")
    expect(page.locator("#noise")).to_have_value("15")
    expect(page.locator("[data-value-for=percTrainData]")).to_have_text("70%")
    expect(page.locator("[data-value-for=batchSize]")).to_have_text("17")
    expect(page.locator("#show-test-data")).to_be_checked()
    expect(page.locator("#discretize")).to_be_checked()
    expect(page.locator("#num-layers")).to_have_text("3")
    expect(page.locator(".layer-buttons .count")).to_have_text(["3 neurons", "5 neurons", "2 neurons"])
    for key, on in {"x": True, "y": False, "xSquared": True, "ySquared": False, "xTimesY": False, "sinX": False,
                    "sinY": True}.items():
        node = page.locator(f".node.input[data-feature={key}]")
        expect(node).to_have_class(re.compile(r"\boff\b") if not on else re.compile(r"^(?!.*\boff\b)"))
    expect(page.locator(".dataset.selected")).to_have_attribute("data-dataset", "xor")
    expect(page.locator(".node.output")).to_have_count(1)
    expect(page.locator(".link")).to_have_count(3 * 3 + 3 * 5 + 5 * 2 + 2)
    expect(page.locator("#noise")).to_be_hidden()  # noise_hide=true: the classroom panel hid it
    expect(page.locator("#effective-learning-rate")).to_be_visible()
    wait_hash(page, activation="relu", networkShape="3,5,2", seed="abc123", optimizer="momentum", init="xavier")
    assert hash_values(page)["noise_hide"] == "true"


def test_features_layers_and_neurons_follow_the_url(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "networkShape=4,2&x=true&y=true&xSquared=false")
    page.click(".node.input[data-feature=xSquared]")
    wait_hash(page, xSquared="true")
    expect(page.locator(".node.input[data-feature=xSquared]")).not_to_have_class(re.compile(r"\boff\b"))
    expect(page.locator(".link")).to_have_count(3 * 4 + 4 * 2 + 2)
    page.click("#add-layers")
    wait_hash(page, networkShape="4,2,2")
    expect(page.locator("#num-layers")).to_have_text("3")
    page.locator(".layer-buttons").nth(0).get_by_role("button", name="+").click()
    wait_hash(page, networkShape="5,2,2")
    expect(page.locator(".layer-buttons .count").nth(0)).to_have_text("5 neurons")
    page.locator(".layer-buttons").nth(1).locator("button").nth(1).click()
    wait_hash(page, networkShape="5,1,2")
    page.click("#remove-layers")
    wait_hash(page, networkShape="5,1")
    expect(page.locator(".link")).to_have_count(3 * 5 + 5 * 1 + 1)
    page.click(".node.input[data-feature=x]")
    wait_hash(page, x="false")
    expect(page.locator(".link")).to_have_count(2 * 5 + 5 * 1 + 1)


def test_inputs_toggle_from_the_keyboard(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=5&xSquared=false")
    page.focus(".node.input[data-feature=xSquared]")
    page.keyboard.press("Enter")
    wait_hash(page, xSquared="true")
    expect(page.locator(".node.input[data-feature=xSquared]")).to_be_focused()
    expect(page.locator(".node.input[data-feature=xSquared]")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press(" ")
    wait_hash(page, xSquared="false")


def test_switch_to_regression(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=4")
    expect(page.locator("#accuracy-test")).to_be_visible()
    page.select_option("#problem", "regression")
    wait_hash(page, problem="regression")
    expect(page.locator(".dataset")).to_have_count(3)  # the plane, the Gaussians and your own data
    expect(page.locator(".dataset[data-dataset=custom]")).to_have_count(1)
    expect(page.locator(".dataset.selected")).to_have_attribute("data-dataset", "reg-plane")
    expect(page.locator("#accuracy-test")).to_be_hidden()
    expect(page.locator("#loss")).to_be_disabled()  # regression always uses squared error
    page.click(".dataset[data-dataset=reg-gauss]")
    wait_hash(page, regDataset="reg-gauss")
    expect(page.locator(".dataset.selected")).to_have_attribute("data-dataset", "reg-gauss")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    expect(page.locator("#loss-test")).to_have_text(re.compile(r"^\d+\.\d{3}$"))


def test_discretize_and_show_test_data(page: Page, live_server: LiveServer) -> None:
    # seed 11's first network (the original's) crosses zero on the plane: many shades, two when discretized
    open_playground(page, live_server, "seed=11&discretize=false&showTestData=false")
    colours = "() => new Set(new Uint32Array(document.querySelector('#heatmap canvas.grid').getContext('2d')" \
              ".getImageData(0, 0, 100, 100).data.buffer)).size"
    assert page.evaluate(colours) > 2
    page.check("#discretize")
    wait_hash(page, discretize="true")
    page.wait_for_function(f"() => ({colours})() <= 2")
    points = "document.querySelector('#heatmap canvas.points').toDataURL()"
    before = page.evaluate(points)
    page.check("#show-test-data")
    wait_hash(page, showTestData="true")
    page.wait_for_function(f"() => {points} !== {before!r}")
    page.uncheck("#discretize")
    wait_hash(page, discretize="false")
    page.wait_for_function(f"() => ({colours})() > 2")


def test_a_malformed_hash_value_shows_a_notice_and_uses_the_default(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "learningRate=banana&activation=relu&networkShape=4,99&seed=12")
    notice = page.locator("#messages .message.notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("learningRate")
    expect(notice).to_contain_text("networkShape")
    expect(page.locator("#learningRate")).to_have_value("0.03")
    expect(page.locator("#activations")).to_have_value("relu")
    expect(page.locator("#num-layers")).to_have_text("2")
    wait_hash(page, learningRate="0.03", activation="relu", networkShape="4,2")
    notice.get_by_role("button", name="Dismiss").click()
    expect(notice).to_have_count(0)


def test_a_hash_too_long_for_the_address_opens_and_the_page_acknowledges_frames(page: Page,
                                                                                live_server: LiveServer) -> None:
    """Over maxUrlHash it goes in the first command (a handshake over 8 KiB is refused); playing, the page
    acknowledges every frame it draws, and the server, which then keeps one frame in flight, goes on sending."""
    open_playground(page, live_server, "seed=long&networkShape=5&" + "&".join(f"n{i}=x" for i in range(800)))
    assert page.evaluate("window.playground.state.config.networkShape") == [5]
    expect(page.locator("#messages .message.notice")).to_contain_text("n799=x is not allowed")
    page.locator("#play-pause-button").click()
    page.wait_for_function("() => window.playground.state.stats.framesDrawn > 60")
    page.locator("#play-pause-button").click()


def test_editing_the_address_bar_hash_applies_it(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=15&activation=tanh")
    page.evaluate("window.location.hash = 'activation=sigmoid&networkShape=6&seed=15'")
    expect(page.locator("#activations")).to_have_value("sigmoid")
    expect(page.locator(".layer-buttons .count")).to_have_text(["6 neurons"])
    wait_hash(page, activation="sigmoid", networkShape="6", learningRate="0.03")  # made canonical


def test_the_page_reconnects_after_a_server_restart(page: Page, live_server: LiveServer,
                                                     console: ConsoleLog) -> None:
    # While the server is down Chromium itself logs the refused connection attempts; nothing else is excused.
    console.allowed.append(re.compile(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws' failed"))
    console.allowed.append(re.compile(r"net::ERR_CONNECTION_REFUSED"))
    open_playground(page, live_server, "dataset=xor&networkShape=3&x=true&y=true&xTimesY=true&seed=9")
    page.click("#play-pause-button")
    page.wait_for_function("() => parseInt(document.querySelector('#iter-number').textContent.replace(/,/g, '')) > 20")
    assert page.evaluate("window.playground.state.connection.opened") == 1
    live_server.restart()
    page.wait_for_function("() => window.playground.state.connection.opened === 2")
    expect(page.locator("#connection-status")).to_have_text("connected")
    wait_ready(page)
    wait_hash(page, dataset="xor", networkShape="3", xTimesY="true", seed="9")
    expect(page.locator("#learningRate")).to_have_value("0.03")
    # the new session plays on, as the old one did
    page.wait_for_function("() => parseInt(document.querySelector('#iter-number').textContent.replace(/,/g, '')) > 20")
    expect(page.locator("#play-pause-button")).to_have_class(re.compile(r"\bplaying\b"))
    page.click("#play-pause-button")


def test_disconnected_state_is_visible(page: Page, live_server: LiveServer, console: ConsoleLog) -> None:
    console.allowed.append(re.compile(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws' failed"))
    console.allowed.append(re.compile(r"net::ERR_CONNECTION_REFUSED"))
    open_playground(page, live_server, "seed=10")
    live_server.stop()
    try:
        expect(page.locator("#connection-status")).to_have_text(re.compile("disconnected"))
        expect(page.locator("body")).to_have_attribute("data-connection", "closed")
    finally:
        live_server.start()
    expect(page.locator("#connection-status")).to_have_text("connected")
