"""The lessons panel in a real browser: a link opens a lesson, a step is set up and its part of the page
outlined, its goal is reached by training and marked done, the progress survives a reload; the full batch on the
batch-size slider; a teacher's lesson directory (`serve --lessons`) shows its lesson."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import open_playground, wait_hash
from tests.harness import LiveServer, running_server

TEACHER_LESSON = """title = "Our own lesson"
concept = "Written by a teacher."
[[steps]]
text = "Look at the heatmap of the spiral."
setup = "seed=7&dataset=spiral"
watch = "heatmap"
"""


def test_a_lesson_link_sets_up_a_step_outlines_it_marks_its_goal_done_and_keeps_it_after_a_reload(
        page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=1&lesson=learning-rate")
    panel = page.locator("#lessons")
    expect(panel).to_be_visible()
    expect(panel.locator(".lessons-title")).to_have_text("Gradient descent and the learning rate")
    expect(panel.locator(".lesson-count")).to_have_text("step 1 of 3")
    page.click("#lesson-next")
    expect(panel.locator(".lesson-count")).to_have_text("step 2 of 3")
    expect(page.locator("[data-control=learningRate].lesson-watch")).to_be_visible()
    expect(page.locator(".lesson-watch")).to_have_count(1)
    expect(panel.locator(".lesson-goal")).to_contain_text("Set it up first")
    page.click("#lesson-setup")
    wait_hash(page, seed="0.1", learningRate="0.03", speed="10", lesson="learning-rate")
    expect(page.locator("#learningRate")).to_have_value("0.03")
    page.click("#play-pause-button")
    goal = panel.locator(".lesson-goal.done")
    expect(goal).to_contain_text("Done: get the test loss below 0.05")
    page.click("#play-pause-button")
    met = page.evaluate("window.playground.state.frame.header")
    assert met["testLoss"] < 0.05 and met["epoch"] <= 300

    page.reload()
    expect(panel).to_be_visible()
    page.click("#lessons-index")
    entry = panel.locator("li[data-name=learning-rate]")
    expect(entry).to_have_class("complete")
    expect(entry.locator(".progress")).to_have_text("1/1 goals")
    page.wait_for_function("() => !window.location.hash.includes('lesson=')")  # the list: no lesson in the link
    entry.locator("button").click()
    wait_hash(page, lesson="learning-rate")
    page.click("#lesson-next")
    expect(panel.locator(".lesson-goal.done")).to_contain_text("Done")


def test_the_header_opens_the_lessons_and_a_step_can_open_the_walk_through(page: Page,
                                                                          live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=1")
    expect(page.locator("#lessons")).to_be_hidden()
    page.click("#lessons-open")
    items = page.locator("#lessons-list li")
    expect(items).to_have_count(13)
    page.locator("#lessons-list button[data-lesson=forward-pass]").click()
    wait_hash(page, lesson="forward-pass")
    page.click("#lesson-setup")
    expect(page.locator("#walkthrough")).to_be_visible()
    expect(page.locator("#walkthrough.lesson-watch")).to_have_count(1)
    page.click("#lessons-close")
    expect(page.locator("#lessons")).to_be_hidden()
    expect(page.locator(".lesson-watch")).to_have_count(0)


def test_the_batch_size_slider_offers_all_the_full_batch(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, "seed=1&batchSize=0")
    expect(page.locator("[data-value-for=batchSize]")).to_have_text("all")
    expect(page.locator("#batchSize")).to_have_value("0")


@pytest.fixture(scope="module")
def teacher_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory: Path = tmp_path_factory.mktemp("lessons")
    (directory / "our-spiral.toml").write_text(TEACHER_LESSON)
    (directory / "broken.toml").write_text("title = \n")
    with running_server("--lessons", str(directory)) as server:
        yield server


def test_a_teachers_lesson_directory_shows_its_lesson_beside_ours(page: Page, teacher_server: LiveServer) -> None:
    open_playground(page, teacher_server, "seed=1&lesson=our-spiral")
    panel = page.locator("#lessons")
    expect(panel.locator(".lessons-title")).to_have_text("Our own lesson")
    expect(page.locator("#heatmap.lesson-watch")).to_have_count(1)
    page.click("#lesson-setup")
    wait_hash(page, dataset="spiral", seed="7")
    page.click("#lessons-index")
    expect(page.locator("#lessons-list li")).to_have_count(14)


def test_the_page_meets_a_goal_exactly_when_lessons_py_does(page: Page, live_server: LiveServer) -> None:
    from playground.lessons import COMPARISONS, Goal

    open_playground(page, live_server, "seed=1")
    cases = []
    readings_of = [("testLoss", 0.05), ("testLoss", 0.04), ("gradientRatio", 0.06), ("testAccuracy", None)]
    for comparison in COMPARISONS:
        for metric, reading in readings_of:
            for epoch in (100, 300, 301):
                goal = Goal(metric, comparison, 0.05, within=300 if epoch != 100 else None)
                readings = {"epoch": epoch, metric: reading}
                cases.append((goal.to_dict(), readings, goal.met(readings)))
    page_says = page.evaluate("""async (cases) => {
        const { goalMet } = await import("/static/js/lesson-goals.js");
        return cases.map(([goal, readings]) => goalMet(goal, readings));
    }""", cases)
    assert page_says == [expected for _, _, expected in cases]
    assert any(page_says) and not all(page_says)
