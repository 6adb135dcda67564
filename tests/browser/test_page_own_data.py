"""Your own data in a real browser against a real server: points drawn on the heatmap (by mouse and by keyboard)
land where they were clicked, in their class's colour, and the network keeps training on them; a CSV file loads
through the file picker and downloads back the same; a bad CSV is refused by line and changes nothing. The `page`
fixture fails any test whose page logs an error."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.helpers import heatmap_picture, open_playground, screen_pixel, wait_hash
from tests.harness import LiveServer

PLANE = 6
ORANGE = (245, 147, 34)  # the full colours of -1 and +1 (colors.js), as a point is painted
BLUE = (8, 119, 189)
DATA = "window.playground.state.data"


def plane_pixel(page: Page, x: float, y: float) -> tuple[float, float]:
    """Where plane point (x, y) is on the screen (CSS pixels): the plane shows [-6, 6] x [-6, 6], y up."""
    box = page.locator("#heatmap .plane").bounding_box()
    assert box is not None
    return box["x"] + (x + PLANE) / (2 * PLANE) * box["width"], box["y"] + (PLANE - y) / (2 * PLANE) * box["height"]


def click_plane(page: Page, x: float, y: float, modifier: str | None = None) -> None:
    """Click plane point (x, y), holding a modifier key if given."""
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.click(*plane_pixel(page, x, y))
    if modifier:
        page.keyboard.up(modifier)


def one_pixel(page: Page) -> float:
    """One screen pixel in plane units: how exactly a click can name a place."""
    box = page.locator("#heatmap .plane").bounding_box()
    assert box is not None
    return 2 * PLANE / box["width"]


def points(page: Page, kind: str = "train") -> list[tuple[float, float, float]]:
    """The data's (x, y, label) of the training or test points, as the page holds them."""
    rows: list[list[float]] = page.evaluate(f"""() => {{
        const a = {DATA}.arrays;
        return Array.from(a.{kind}Labels, (label, i) => [a.{kind}Points[2 * i], a.{kind}Points[2 * i + 1], label]);
    }}""")
    return [(x, y, label) for x, y, label in rows]


def wait_points(page: Page, train: int, test: int | None = None) -> None:
    test_check = "" if test is None else f" && d.arrays.testLabels.length === {test}"
    page.wait_for_function(f"() => {{ const d = {DATA}; return d && d.arrays.trainLabels.length === {train}"
                           f"{test_check}; }}")


def frame_value(page: Page, field: str) -> int:
    value: int = page.evaluate(f"window.playground.state.frame.header.{field}")
    return value


def assert_near(point: tuple[float, float, float], expected: tuple[float, float, float], tolerance: float) -> None:
    assert math.dist(point[:2], expected[:2]) <= tolerance, f"{point} is not at {expected}"
    assert point[2] == expected[2], f"{point} has not the label of {expected}"


def test_drawn_points_land_where_clicked_and_the_network_keeps_training_on_them(
        page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=custom&seed=21&networkShape=4&learningRate=0.3&batchSize=3")
    wait_points(page, 0, 0)
    expect(page.locator("#heatmap .plane-note")).to_have_text("No points yet: draw some or load a CSV")
    expect(page.locator('#datasets [data-dataset="custom"]')).to_have_attribute("aria-pressed", "true")
    toggle = page.locator("#draw-toggle")
    toggle.focus()
    page.keyboard.press("Enter")  # the toggle works from the keyboard
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#draw-hint")).to_contain_text("Alt+click: a test point")
    run = frame_value(page, "run")

    page.click('.draw-class[aria-label="New points: orange"]')
    click_plane(page, -3, -2)
    page.click('.draw-class[aria-label="New points: blue"]')
    click_plane(page, 3, 2.5)
    wait_points(page, 2)
    # Two points, a batch of three: no update would ever happen, and the page says why.
    expect(page.locator("#draw-batch")).to_contain_text("2 training points, batch size 3")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.epoch >= 10")
    epoch_before = frame_value(page, "epoch")
    click_plane(page, 2, -4)  # while training: the network and its epochs go on
    wait_points(page, 3)
    expect(page.locator("#draw-batch")).to_be_hidden()
    assert frame_value(page, "epoch") >= epoch_before
    assert frame_value(page, "run") == run
    expect(page.locator("#heatmap .plane-note")).to_be_hidden()

    tolerance = one_pixel(page)
    drawn = sorted(points(page))
    for point, expected in zip(drawn, [(-3, -2, -1), (2, -4, 1), (3, 2.5, 1)], strict=True):
        assert_near(point, expected, tolerance)
    for (x, y, label) in drawn:
        assert screen_pixel(page, *plane_pixel(page, x, y)) == (BLUE if label > 0 else ORANGE)

    # The boundary bends towards the new point as training goes on, in the same run.
    picture = heatmap_picture(page)
    page.wait_for_function(f"() => window.playground.state.frame.header.epoch >= {epoch_before + 40}")
    page.click("#play-pause-button")
    page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
    assert heatmap_picture(page) != picture
    assert frame_value(page, "run") == run

    click_plane(page, -4, 4, "Alt")  # a test point; the test data come into view to show it
    wait_points(page, 3, 1)
    assert_near(points(page, "test")[0], (-4, 4, 1), tolerance)
    expect(page.locator("#show-test-data")).to_be_checked()
    click_plane(page, 2.2, -3.8, "Shift")  # removes the nearest point: (2, -4)
    wait_points(page, 2, 1)
    assert sorted(round(x) for x, _, _ in points(page)) == [-3, 3]
    page.click("#draw-clear")
    wait_points(page, 0, 0)
    expect(page.locator("#heatmap .plane-note")).to_be_visible()


def test_points_drawn_from_the_keyboard_with_a_regression_value(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "problem=regression&regDataset=custom&seed=22")
    page.click("#draw-toggle")
    expect(page.locator("#draw-classes")).to_be_hidden()
    page.locator("#draw-value").focus()
    for _ in range(10):  # from 0.5 in steps of 0.1
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#draw-value-label b")).to_have_text("-0.5")
    plane = page.locator("#heatmap .plane")
    plane.focus()
    for key in ["ArrowRight"] * 4 + ["Shift+ArrowUp"] * 2:  # the cross moves 0.25 a key, 1 with Shift
        page.keyboard.press(key)
    expect(plane.locator(".draw-cursor")).to_be_visible()
    page.keyboard.press("Enter")
    wait_points(page, 1)
    assert points(page) == [(1.0, 2.0, -0.5)]
    page.keyboard.press("Delete")
    wait_points(page, 0)


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def parsed(text: str) -> list[tuple[float, float, float, int]]:
    """A CSV's rows (x, y, label, test) as numbers, sorted, header left out."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    body = rows[1:] if rows[0][0].strip().lower() == "x" else rows
    return sorted((float(x), float(y), float(label), int(test)) for x, y, label, test in body)


MINE = ["x,y,label,test", "-2.5,1.25,1,0", "3,-4,-1,0", "0.5,0.5,1,0", "-5,-5,-1,0", "4,4.5,1,1", "-1,3,-1,1"]


def test_a_csv_file_loads_and_downloads_back_the_same(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    open_playground(page, live_server, "dataset=circle&seed=23")
    page.set_input_files("#csv-file", str(write_csv(tmp_path / "mine.csv", MINE)))
    wait_points(page, 4, 2)
    wait_hash(page, dataset="custom")
    expect(page.locator('#datasets [data-dataset="custom"]')).to_have_attribute("aria-pressed", "true")
    loaded = parsed("\n".join(MINE))
    on_page = sorted([(x, y, label, 0) for x, y, label in points(page)]
                     + [(x, y, label, 1) for x, y, label in points(page, "test")])
    assert on_page == loaded
    assert screen_pixel(page, *plane_pixel(page, -2.5, 1.25)) == BLUE
    assert screen_pixel(page, *plane_pixel(page, 3, -4)) == ORANGE

    with page.expect_download() as download:
        page.click("#csv-save")
    assert download.value.suggested_filename == "playground-data.csv"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert parsed(saved) == loaded


def test_a_bad_csv_is_refused_by_line_and_changes_nothing(
        page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    open_playground(page, live_server, "dataset=xor&seed=24")
    before = points(page)
    version = page.evaluate("window.playground.state.dataVersion")
    bad = write_csv(tmp_path / "bad.csv", ["x,y,label", "1,2,1", "3,abc,-1", "0,0,1"])
    page.set_input_files("#csv-file", str(bad))
    error = page.locator("#messages .message.error")
    expect(error).to_contain_text("bad.csv")
    expect(error).to_contain_text("line 3")
    assert page.evaluate("window.playground.state.dataVersion") == version  # no new data came
    assert points(page) == before
    wait_hash(page, dataset="xor")
