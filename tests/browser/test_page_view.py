"""The page in a real browser against a real server, as the original reads and fits: the window sizes it fits, the
heatmap's colours, discretize and hovered inputs, sliders that act while dragged, the classroom panel and its
link, and the small controls (loss in regression, speed in the hash, a new loss while paused)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import heatmap_picture, open_playground, screen_pixel, wait_hash
from tests.harness import LiveServer

PALE_ORANGE = (246, 184, 113)  # the full orange at alpha 160 of 255 over white, as the original shows it
ORANGE, BLUE = (245, 147, 34), (8, 119, 189)
NEAR = 6  # per channel


def near(colour: tuple[int, int, int], expected: tuple[int, int, int], tolerance: int = NEAR) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def right_edge(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["x"] + box["width"]


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (800, 900)])
def test_the_page_fits_the_window_without_sideways_scrolling(new_page: Callable[[int, int], Page],
                                                              live_server: LiveServer, width: int,
                                                              height: int) -> None:
    page = new_page(width, height)
    open_playground(page, live_server, "seed=20&networkShape=8,8,8,8,8,8&xSquared=true&sinX=true&sinY=true")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for selector in ("#heatmap .plane", "#loss-test", "#loss-train", "#linechart canvas", ".node.output"):
        assert right_edge(page, selector) <= width, f"{selector} reaches past the window's right edge"
    if height == 768:  # the whole output column down to the heatmap is on the first screen
        box = page.locator("#heatmap .plane").bounding_box()
        assert box is not None and box["y"] + box["height"] <= height
    for control in page.locator("select[data-key], input[type=range]:visible, button:visible").all():
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport()


def test_the_heatmap_is_pale_under_points_in_full_colour(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=21&dataset=circle")
    page.hover('.node.input[data-feature="x"]')  # X1 is -1 (full orange) over the left tenth of the plane
    page.wait_for_function("() => window.playground.state.hoveredInput === 'x'")
    box = page.locator("#heatmap .plane").bounding_box()
    assert box is not None
    # The top-left corner: no circle point is out there (they lie within a radius of 5 of the centre).
    corner = screen_pixel(page, box["x"] + 0.02 * box["width"], box["y"] + 0.02 * box["height"])
    assert near(corner, PALE_ORANGE), f"an orange cell shows as {corner}, not about {PALE_ORANGE}"
    # The training point farthest from every other one: its centre shows its label's full colour.
    x, y, label = page.evaluate("""() => {
        const { trainPoints: p, trainLabels: l } = window.playground.state.data.arrays;
        let best = 0, gap = 0;
        for (let i = 0; i < l.length; i += 1) {
            let nearest = Infinity;
            for (let j = 0; j < l.length; j += 1) {
                if (j !== i) nearest = Math.min(nearest, Math.hypot(p[2*i] - p[2*j], p[2*i+1] - p[2*j+1]));
            }
            if (nearest > gap) { gap = nearest; best = i; }
        }
        return [p[2 * best], p[2 * best + 1], l[best]];
    }""")
    centre = screen_pixel(page, box["x"] + (x + 6) / 12 * box["width"], box["y"] + (6 - y) / 12 * box["height"])
    assert near(centre, ORANGE if label < 0 else BLUE, 12), f"a point's centre shows as {centre}"


def test_discretize_applies_to_the_neuron_thumbnails(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=22&networkShape=4&discretize=false")
    thumb = "document.querySelector('.node[data-layer=\"1\"][data-neuron=\"0\"] canvas')"
    colours = f"new Set(new Uint32Array({thumb}.getContext('2d').getImageData(0, 0, 10, 10).data.buffer)).size"
    before = page.evaluate(f"{thumb}.toDataURL()")
    assert page.evaluate(colours) > 2
    page.check("#discretize")
    wait_hash(page, discretize="true")
    page.wait_for_function(f"() => {thumb}.toDataURL() !== {before!r} && {colours} <= 2")


def test_each_neuron_shows_its_own_thumbnail_inputs_from_their_constant_pictures(page: Page,
                                                                                  live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=25&networkShape=3,2&x=true&y=true&sinX=true")
    # Each node's canvas against the page's own painter given the values it must show: an input's (on or off)
    # from the page context's feature pictures, a hidden or output neuron's from the frame's thumbnails, which
    # hold the hidden layers' neurons, then the output's (no inputs').
    mismatches = page.evaluate("""async () => {
        const { GridPainter } = await import("/static/js/heatmap.js");
        const state = window.playground.state;
        const painter = new GridPainter(10);
        const probe = document.createElement("canvas");
        probe.width = probe.height = 10;
        const pixels = (canvas) => canvas.getContext("2d").getImageData(0, 0, 10, 10).data.join();
        const shows = (node, values) => {
            painter.paint(probe.getContext("2d"), values, 0, false);
            return pixels(node.querySelector("canvas")) === pixels(probe);
        };
        const thumbnails = state.frame.arrays.thumbnails;
        const offsets = {"1,0": 0, "1,1": 1, "1,2": 2, "2,0": 3, "2,1": 4, "3,0": 5};
        const wrong = [];
        if (thumbnails.length !== 6 * 100) wrong.push(`thumbnails hold ${thumbnails.length / 100} neurons`);
        for (const node of document.querySelectorAll(".node.input")) {
            if (!shows(node, state.featureThumbs[node.dataset.feature])) wrong.push(node.dataset.feature);
        }
        for (const [at, offset] of Object.entries(offsets)) {
            const [layer, neuron] = at.split(",");
            const node = document.querySelector(`.node[data-layer="${layer}"][data-neuron="${neuron}"]`);
            if (!shows(node, thumbnails.subarray(offset * 100, offset * 100 + 100))) wrong.push(at);
        }
        return wrong;
    }""")
    assert mismatches == []
    assert page.locator(".node.input").count() == 7 and page.locator(".node.input.off").count() == 4


def test_hovering_a_switched_off_input_shows_its_feature(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=23&xSquared=false")
    output = heatmap_picture(page)
    page.hover('.node.input[data-feature="xSquared"]')
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() !== {output!r}")
    box = page.locator("#heatmap .plane").bounding_box()
    assert box is not None
    # X1 squared: 0 down the middle (grey, shown pale), 36 at the sides (clamped to 1: blue, shown pale)
    middle = screen_pixel(page, box["x"] + box["width"] / 2, box["y"] + 0.02 * box["height"])
    side = screen_pixel(page, box["x"] + 0.02 * box["width"], box["y"] + 0.5 * box["height"])
    assert side[2] > side[0] + 40 and abs(middle[0] - middle[2]) < 25, (middle, side)
    assert page.evaluate("window.playground.state.frame.header.selected.layer") == 3  # still the output
    page.mouse.move(5, 5)
    page.wait_for_function(f"() => document.querySelector('#heatmap canvas.grid').toDataURL() === {output!r}")


def test_the_noise_slider_acts_while_it_is_dragged(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=24&noise=0")
    points = "document.querySelector('#heatmap canvas.points').toDataURL()"
    before = page.evaluate(points)
    box = page.locator("#noise").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 4, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2, steps=8)
    # The button is still down: the server has new data already, and the page shows it.
    page.wait_for_function("() => window.playground.state.config.noise > 0")
    page.wait_for_function(f"() => {points} !== {before!r}")
    expect(page.locator("#noise")).not_to_have_value("0")
    page.mouse.up()
    value = page.locator("#noise").input_value()
    page.wait_for_function(f"() => window.playground.state.config.noise === {value}")  # the last value counts
    wait_hash(page, noise=value)


def test_the_classroom_link_hides_what_was_unchecked(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=25&xSquared=false")
    for name in ("noise", "xSquared"):
        page.uncheck(f"#classroom-controls input[data-hideable={name}]")
    link = page.locator("#classroom-link")
    expect(link).to_have_attribute("href", re.compile(r"&noise_hide=true&xSquared_hide=true$"))
    expect(page.locator("#noise")).to_be_visible()  # the panel only makes the link
    page.goto(link.get_attribute("href") or "")
    page.wait_for_function("() => window.playground?.state.frame !== null")
    expect(page.locator("#noise")).to_be_hidden()
    expect(page.locator("#batchSize")).to_be_visible()
    expect(page.locator("#classroom-controls input[data-hideable=noise]")).not_to_be_checked()
    # The hidden input leaves no gap: the inputs shown stand at equal distances.
    expect(page.locator(".node.input")).to_have_count(6)
    tops = [box["y"] for box in (n.bounding_box() for n in page.locator(".node.input").all()) if box]
    assert len({round(b - a) for a, b in pairwise(tops)}) == 1, tops
    page.uncheck("#classroom-controls input[data-hideable=hideText]")
    expect(link).to_have_attribute("href", re.compile(r"&hideText=true&"))
    page.goto(link.get_attribute("href") or "")
    page.wait_for_function("() => window.playground?.state.frame !== null")
    expect(page.locator(".about")).to_be_hidden()
    expect(page.locator(".brand")).to_be_hidden()


def test_the_loss_menu_shows_squared_error_in_regression(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=26&loss=crossEntropy")
    expect(page.locator("#loss")).to_have_value("crossEntropy")
    page.select_option("#problem", "regression")
    wait_hash(page, problem="regression")
    expect(page.locator("#loss")).to_be_disabled()
    expect(page.locator("#loss")).to_have_value("squared")
    expect(page.locator("#loss option:checked")).to_have_text("Squared error")


def test_the_speed_is_kept_in_the_hash(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=27&speed=10")
    expect(page.locator("#speed")).to_have_value("10")
    assert page.evaluate("window.playground.state.frame.header.speed") == 10
    page.select_option("#speed", "20")
    wait_hash(page, speed="20")
    page.wait_for_function("() => window.playground.state.frame.header.speed === 20")
    page.select_option("#speed", "1")
    page.wait_for_function("() => !window.location.hash.includes('speed=')")  # the default stays out


def test_a_new_loss_shows_at_once_while_paused(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=28&dataset=xor&networkShape=3")
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    squared = page.inner_text("#loss-train")
    page.select_option("#loss", "crossEntropy")
    wait_hash(page, loss="crossEntropy")
    expect(page.locator("#loss-train")).not_to_have_text(squared)
    expect(page.locator("#iter-number")).to_have_text("000,001")
