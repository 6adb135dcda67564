// The lessons panel: the list of lessons with the learner's progress, then one lesson step by step: its text,
// "Set it up" (the step's setup hash, and the walk-through where the step asks for it), the part of the page to
// watch outlined, and the step's goal, marked done when a frame meets it (state.js checks it).

import { currentLesson, lessonStepDone } from "./state.js";

const WATCH_CLASS = "lesson-watch";

/** The elements a step points at; none if a teacher's selector is not one the page can use. */
function watched(selector) {
  try {
    return [...document.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

export class LessonsPanel {
  /** actions: toggleLessons(), chooseLesson(name | null), moveLessonStep(delta), setUpLessonStep() */
  constructor(actions) {
    this.panel = document.getElementById("lessons");
    this.openButton = document.getElementById("lessons-open");
    this.list = document.getElementById("lessons-list");
    this.stepBox = document.getElementById("lesson-step");
    this.indexButton = document.getElementById("lessons-index");
    this.title = this.panel.querySelector(".lessons-title");
    this.concept = this.panel.querySelector(".lesson-concept");
    this.count = this.panel.querySelector(".lesson-count");
    this.text = this.panel.querySelector(".lesson-text");
    this.goal = this.panel.querySelector(".lesson-goal");
    this.back = document.getElementById("lesson-back");
    this.next = document.getElementById("lesson-next");
    this.highlighted = [];
    this.shown = null; // the lesson, step and set-up state last shown
    this.openButton.addEventListener("click", () => actions.toggleLessons());
    document.getElementById("lessons-close").addEventListener("click", () => actions.toggleLessons());
    this.indexButton.addEventListener("click", () => actions.chooseLesson(null));
    this.back.addEventListener("click", () => actions.moveLessonStep(-1));
    this.next.addEventListener("click", () => actions.moveLessonStep(1));
    document.getElementById("lesson-setup").addEventListener("click", () => actions.setUpLessonStep());
    this.list.addEventListener("click", (event) => {
      const name = event.target.closest("button[data-lesson]")?.dataset.lesson;
      if (name) actions.chooseLesson(name);
    });
  }

  render(state) {
    const lessons = state.lessons;
    this.panel.hidden = !lessons.open;
    this.openButton.setAttribute("aria-expanded", String(lessons.open));
    const lesson = lessons.open ? currentLesson(state) : null;
    this.list.hidden = lesson !== null;
    this.stepBox.hidden = lesson === null;
    this.indexButton.hidden = lesson === null;
    this.title.textContent = lesson ? lesson.title : "Lessons";
    if (lesson) this.renderStep(state, lesson);
    else this.renderList(state);
    const shown = lesson ? `${lesson.name}:${lessons.step}:${lessons.settingUp || lessons.armed}` : null;
    this.highlight(lesson ? lesson.steps[lessons.step].watch : null, shown !== this.shown);
    this.shown = shown;
  }

  renderList(state) {
    const items = state.lessons.list.map((lesson) => {
      const goals = lesson.steps.map((step, i) => (step.goal ? i : -1)).filter((i) => i >= 0);
      const met = goals.filter((i) => lessonStepDone(state, lesson.name, i)).length;
      const item = document.createElement("li");
      item.dataset.name = lesson.name;
      item.classList.toggle("complete", goals.length > 0 && met === goals.length);
      const button = document.createElement("button");
      button.dataset.lesson = lesson.name;
      button.textContent = lesson.title;
      const progress = document.createElement("span");
      progress.className = "progress";
      progress.textContent = goals.length ? `${met}/${goals.length} goals` : "";
      item.append(button, progress);
      return item;
    });
    this.list.replaceChildren(...items);
  }

  renderStep(state, lesson) {
    const { step: index, armed, settingUp } = state.lessons;
    const step = lesson.steps[index];
    this.concept.textContent = lesson.concept;
    this.count.textContent = `step ${index + 1} of ${lesson.steps.length}`;
    this.back.disabled = index === 0;
    this.next.disabled = index === lesson.steps.length - 1;
    this.text.textContent = step.text;
    const done = lessonStepDone(state, lesson.name, index);
    this.goal.classList.toggle("done", done);
    if (!step.goal) this.goal.textContent = "";
    else if (done) this.goal.textContent = `✓ Done: ${step.goalText}`;
    else if (armed || settingUp) this.goal.textContent = `Goal: ${step.goalText}. Press run and watch.`;
    else this.goal.textContent = `Goal: ${step.goalText}. Set it up first.`;
  }

  /** Outline what the step points at, and nothing else. When the step (or its setting up) is new, the part is
   * scrolled into view, and the panel moves to the left edge if it would cover it. */
  highlight(selector, newStep) {
    const now = selector ? watched(selector) : [];
    for (const element of this.highlighted) if (!now.includes(element)) element.classList.remove(WATCH_CLASS);
    for (const element of now) element.classList.add(WATCH_CLASS);
    this.highlighted = now;
    if (!newStep || now.length === 0) return;
    now[0].scrollIntoView({ block: "center" });
    this.panel.classList.remove("left");
    const target = now[0].getBoundingClientRect();
    const panel = this.panel.getBoundingClientRect();
    const covers = target.right > panel.left && target.left < panel.right && target.bottom > panel.top
      && target.top < panel.bottom;
    this.panel.classList.toggle("left", covers);
  }
}
