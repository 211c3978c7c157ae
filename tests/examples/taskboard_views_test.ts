/**
 * The task board's pages in-process (the toolkit): two members on one board see each other and
 * each other's changes; columns and cards are live components (their own state, sendParent,
 * sendUpdate); moves by keyboard and by drop respect hidden cards; filters live in the URL; the
 * card dialog saves; admin actions are refused to members; ids from another board change nothing.
 */
import assert from "node:assert/strict";
import { liveTest, LiveTestError, type LiveViewTest, renderView } from "../../lib/testing/mod.ts";
import { type Fixture, fixture } from "./taskboard_fixtures.ts";

/** The titles of the cards shown in column `name`, top to bottom. */
function titles(view: LiveViewTest, column: string): string[] {
  const list = view.element(`section[data-column="${column}"] ol.cards`);
  return [...list.querySelectorAll(".card-title")].map((el) => el.textContent!.trim());
}

/** The activity lines shown, as text. */
function activity(view: LiveViewTest): string[] {
  return [...view.element("#activity").querySelectorAll("li p")].map((p) =>
    p.textContent!.replace(/\s+/g, " ").trim()
  );
}

async function addCard(view: LiveViewTest, column: string, title: string): Promise<void> {
  await view.click(`section[data-column="${column}"] .add-card-open`);
  await view.submit(`section[data-column="${column}"] form.add-card`, { title });
}

/** The id of the card titled `title` on the fixture's board. */
function cardId(f: Fixture, title: string): number {
  return f.taskboard.services.store.cards(f.board.id).find((c) => c.title === title)!.id;
}

async function withBoard(fn: (f: Fixture, path: string) => Promise<void>): Promise<void> {
  const f = await fixture();
  try {
    await fn(f, `/boards/${f.board.id}`);
  } finally {
    await f.close();
  }
}

Deno.test("two members on a board see each other in presence", async () => {
  await withBoard(async (f, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await ann.settle();
    await bo.settle();
    const viewers = (v: LiveViewTest) =>
      [...v.element(".avatar-stack").querySelectorAll("[data-viewer]")].map((li) =>
        li.getAttribute("data-viewer")
      );
    assert.deepEqual(viewers(ann), [String(f.ann.id), String(f.bo.id)]);
    assert.deepEqual(viewers(bo), [String(f.ann.id), String(f.bo.id)]);
    await bo.close();
    await ann.settle();
    assert.deepEqual(viewers(ann), [String(f.ann.id)], "Bo left");
    await ann.close();
  });
});

Deno.test("a card one member adds shows on the other's page, with its activity", async () => {
  await withBoard(async (f, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await addCard(ann, "To do", "Write the press release");
    assert.deepEqual(titles(ann, "To do"), ["Write the press release"]);
    assert.ok(!ann.has("form.add-card"), "the column's form closed after adding");
    await bo.settle();
    assert.deepEqual(titles(bo, "To do"), ["Write the press release"]);
    for (const view of [ann, bo]) {
      assert.deepEqual(activity(view), ["Ann Lee added “Write the press release” to To do"]);
    }
    await ann.close();
    await bo.close();
  });
});

Deno.test("the arrow buttons move a card across columns and within one", async () => {
  await withBoard(async (f, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    for (const t of ["a", "b", "c"]) await addCard(ann, "To do", t);
    await ann.click(`#move-up-${cardId(f, "c")}`);
    assert.deepEqual(titles(ann, "To do"), ["a", "c", "b"]);
    await ann.click(`#move-down-${cardId(f, "a")}`);
    assert.deepEqual(titles(ann, "To do"), ["c", "a", "b"]);
    await ann.click(`#move-right-${cardId(f, "a")}`);
    assert.deepEqual([titles(ann, "To do"), titles(ann, "In progress")], [["c", "b"], ["a"]]);
    assert.ok(!ann.has(`#move-up-${cardId(f, "c")}`), "the top card has no up button");
    assert.ok(!ann.has(`#move-left-${cardId(f, "c")}`), "the first column has no left button");
    assert.ok(activity(ann).includes("Ann Lee moved “a” to In progress"), `${activity(ann)}`);
    // Back to an earlier column: the card's component moves from a later loop to an earlier one.
    await ann.click(`#move-left-${cardId(f, "a")}`);
    assert.deepEqual([titles(ann, "To do"), titles(ann, "In progress")], [["c", "b", "a"], []]);
    await ann.close();
  });
});

Deno.test("a drop puts the card where it was dropped among the cards shown", async () => {
  await withBoard(async (f, path) => {
    const { store } = f.taskboard.services;
    const [todo, , done] = f.columns;
    for (
      const [column, title] of [[todo, "bug one"], [todo, "chore"], [todo, "bug two"]] as const
    ) {
      store.createCard(f.board.id, column.id, title, f.ann.id);
    }
    store.createCard(f.board.id, done.id, "bug three", f.ann.id);
    for (const t of ["bug one", "bug two", "bug three"]) {
      store.updateCard(cardId(f, t), { labels: ["bug"] });
    }
    // With only bugs shown, "bug three" dropped between "bug one" and "bug two" (index 1)...
    const ann = await liveTest(f.taskboard.app, `${path}?label=bug`, f.as(f.ann));
    assert.deepEqual(titles(ann, "To do"), ["bug one", "bug two"]);
    await ann.event("drop", { id: cardId(f, "bug three"), column: todo.id, index: 1 });
    // ...lands right before "bug two", after the hidden "chore".
    await ann.follow(".clear-filters");
    assert.deepEqual(titles(ann, "To do"), ["bug one", "chore", "bug three", "bug two"]);
    await ann.close();
  });
});

Deno.test("filters come from the URL, and links keep the others", async () => {
  await withBoard(async (f, path) => {
    const { store } = f.taskboard.services;
    const todo = f.columns[0].id;
    const mine = store.createCard(f.board.id, todo, "Mine", f.ann.id)!;
    store.updateCard(mine.id, { assigneeId: f.ann.id, labels: ["bug"] });
    const bos = store.createCard(f.board.id, todo, "Bo's login bug", f.ann.id)!;
    store.updateCard(bos.id, { assigneeId: f.bo.id, labels: ["bug"] });
    store.createCard(f.board.id, todo, "Nobody's", f.ann.id);

    const view = await liveTest(f.taskboard.app, `${path}?assignee=me`, f.as(f.ann));
    assert.deepEqual(titles(view, "To do"), ["Mine"]);
    assert.equal(view.text(".filter-summary .shown"), "1 of 3 cards");
    // The label chip keeps the assignee filter.
    await view.follow('.chips a[data-label="bug"]');
    assert.equal(new URL(view.url()).search, "?assignee=me&label=bug");
    await view.follow('.chips a[data-assignee=""]');
    assert.deepEqual(titles(view, "To do"), ["Mine", "Bo's login bug"]);
    await view.submit("form#search", { q: "LOGIN" });
    assert.equal(new URL(view.url()).search, "?label=bug&q=LOGIN");
    assert.deepEqual(titles(view, "To do"), ["Bo's login bug"]);
    await view.follow(".clear-filters");
    assert.deepEqual(titles(view, "To do"), ["Mine", "Bo's login bug", "Nobody's"]);
    await view.close();
  });
});

Deno.test("unknown filter values in the URL mean no filter", async () => {
  await withBoard(async (f, path) => {
    f.taskboard.services.store.createCard(f.board.id, f.columns[0].id, "Visible", f.ann.id);
    const view = await liveTest(
      f.taskboard.app,
      `${path}?assignee=<x>&label=nonsense`,
      f.as(f.ann),
    );
    assert.deepEqual(titles(view, "To do"), ["Visible"]);
    assert.ok(!view.has(".filter-summary"));
    await view.close();
  });
});

Deno.test("the card dialog opens from the URL and saves title, assignee and labels", async () => {
  await withBoard(async (f, path) => {
    const card = f.taskboard.services.store.createCard(
      f.board.id,
      f.columns[0].id,
      "Draft",
      f.ann.id,
    )!;
    const ann = await liveTest(f.taskboard.app, `${path}?label=bug`, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    assert.ok(!ann.has("#card-dialog"));
    // Opened from a card that the label filter hides? No: open it by URL, as a shared link does.
    await ann.navigate(`${path}?card=${card.id}`);
    assert.equal(ann.text("#card-dialog-title"), "Draft");
    await ann.submit("#card-form", {
      title: "Fix the login redirect",
      description: "Users land on /",
      assignee: String(f.bo.id),
      labels: ["bug", "urgent"],
    });
    assert.ok(!ann.has("#card-dialog"), "closed after saving");
    assert.ok(!new URL(ann.url()).searchParams.has("card"));
    await bo.settle();
    const saved = bo.element(`#card-${card.id}`);
    assert.equal(saved.querySelector(".card-title")!.textContent, "Fix the login redirect");
    assert.deepEqual(
      [...saved.querySelectorAll(".label")].map((l) => l.textContent),
      ["bug", "urgent"],
    );
    assert.equal(saved.querySelector(".avatar")!.getAttribute("title"), "Bo");
    assert.ok(activity(bo).includes("Ann Lee assigned “Fix the login redirect” to Bo"));
    await ann.close();
    await bo.close();
  });
});

Deno.test("renaming in place goes from the card component to the board (sendParent)", async () => {
  await withBoard(async (f, path) => {
    const card = f.taskboard.services.store.createCard(
      f.board.id,
      f.columns[0].id,
      "Old",
      f.ann.id,
    )!;
    const view = await liveTest(f.taskboard.app, path, f.as(f.ann));
    await view.click(`#card-${card.id} button.edit`);
    assert.ok(view.has(`#rename-${card.id}`), "the card's own editing state");
    await view.submit(`#card-${card.id} form.card-rename`, { title: "New" });
    assert.deepEqual(titles(view, "To do"), ["New"]);
    assert.equal(f.taskboard.services.store.card(card.id)!.title, "New");
    await view.close();
  });
});

Deno.test("expanding is each card's own state; the column's button sets all (sendUpdate)", async () => {
  await withBoard(async (f, path) => {
    const { store } = f.taskboard.services;
    const a = store.createCard(f.board.id, f.columns[0].id, "A", f.ann.id)!;
    const b = store.createCard(f.board.id, f.columns[0].id, "B", f.ann.id)!;
    store.updateCard(a.id, { description: "about A" });
    const view = await liveTest(f.taskboard.app, path, f.as(f.ann));
    await view.click(`#card-${a.id} button.toggle`);
    assert.equal(view.text(`#card-${a.id} .card-description`), "about A");
    assert.ok(!view.has(`#card-${b.id} .card-details`), "B is not expanded");
    await view.click('section[data-column="To do"] button.collapse-all');
    assert.ok(!view.has(`#card-${a.id} .card-details`));
    await view.click('section[data-column="To do"] button.expand-all');
    assert.ok(view.has(`#card-${a.id} .card-details`) && view.has(`#card-${b.id} .card-details`));
    // A change someone else makes to the board does not reset a card's own state.
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await addCard(bo, "To do", "C");
    await view.settle();
    assert.deepEqual(titles(view, "To do"), ["A", "B", "C"]);
    assert.ok(view.has(`#card-${a.id} .card-details`), "A is still expanded");
    await bo.close();
    await view.close();
  });
});

Deno.test("members cannot delete a board; admins can, and everyone there is sent away", async () => {
  await withBoard(async (f, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    assert.ok(!bo.has("button.delete-board"), "no button for members");
    await assert.rejects(
      () => bo.event("deleteBoard"),
      (e: unknown) => e instanceof LiveTestError && e.code === "auth.forbidden",
    );
    await assert.rejects(() => bo.event("askDeleteBoard"), LiveTestError);
    assert.ok(f.taskboard.services.store.board(f.board.id), "still there");

    await ann.click("button.delete-board");
    assert.ok(ann.has("#delete-board-dialog"));
    await ann.click("button.confirm-delete-board");
    assert.equal(f.taskboard.services.store.board(f.board.id), null);
    assert.equal(new URL(ann.url()).pathname, "/");
    await bo.settle();
    assert.equal(new URL(bo.url()).pathname, "/", "Bo's page left the deleted board");
    assert.match(Object.values(bo.flash()).join(" "), /Ann Lee deleted this board/);
    await ann.close();
    await bo.close();
  });
});

Deno.test("the members page is for admins only, page and events", async () => {
  await withBoard(async (f) => {
    assert.equal((await renderView(f.taskboard.app, "/members", f.as(f.bo))).status, 403);
    const ann = await liveTest(f.taskboard.app, "/members", f.as(f.ann));
    assert.ok(ann.has(`#member-${f.bo.id}`));
    await ann.click(`#member-${f.bo.id} button.make-admin`);
    assert.equal(f.taskboard.services.store.activeUser(f.bo.id)!.isAdmin, true);
    await ann.close();
  });
});

Deno.test("a removed member's open board leaves, and their next event is refused", async () => {
  await withBoard(async (f, path) => {
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    const admin = await liveTest(f.taskboard.app, "/members", f.as(f.ann));
    await admin.click(`#member-${f.bo.id} button.remove`);
    assert.match(admin.text("#remove-dialog"), /Remove Bo/);
    await admin.click("#remove-dialog button.confirm-remove");
    assert.ok(!admin.has(`#member-${f.bo.id}`));
    await assert.rejects(
      () => bo.event("drop", { id: 1, column: f.columns[0].id, index: 0 }),
      (e: unknown) => e instanceof LiveTestError && e.code === "auth.forbidden",
    );
    await bo.settle();
    assert.equal(new URL(bo.url()).pathname, "/login");
    await admin.close();
    await bo.close();
  });
});

Deno.test("ids of another board's cards and columns change nothing", async () => {
  await withBoard(async (f, path) => {
    const { store } = f.taskboard.services;
    const other = store.createBoard("Other", f.ann.id);
    const [otherColumn] = store.columns(other.id);
    const foreign = store.createCard(other.id, otherColumn.id, "Not yours", f.ann.id)!;
    const mine = store.createCard(f.board.id, f.columns[0].id, "Mine", f.ann.id)!;
    const view = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await view.event("drop", { id: foreign.id, column: f.columns[1].id, index: 0 });
    await view.event("drop", { id: mine.id, column: otherColumn.id, index: 0 });
    await view.event("saveCard", { id: foreign.id, title: "Hijacked" });
    await view.event("deleteCard", { id: foreign.id });
    assert.deepEqual(store.card(foreign.id), foreign);
    assert.equal(store.card(mine.id)!.columnId, f.columns[0].id);
    assert.deepEqual(store.recentActivity(other.id, 10), []);
    await view.close();
  });
});

Deno.test("a board that does not exist is a 404; anonymous visitors go to the login page", async () => {
  await withBoard(async (f) => {
    assert.equal((await renderView(f.taskboard.app, "/boards/999", f.as(f.ann))).status, 404);
    assert.equal((await renderView(f.taskboard.app, "/boards/abc", f.as(f.ann))).status, 404);
    const anonymous = await renderView(f.taskboard.app, "/boards/1");
    assert.equal(anonymous.status, 302);
  });
});

Deno.test("creating a board on the index opens it, and other indexes list it", async () => {
  await withBoard(async (f) => {
    const ann = await liveTest(f.taskboard.app, "/", f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, "/", f.as(f.bo));
    await ann.submit("form#new-board", { name: "Roadmap" });
    const created = f.taskboard.services.store.boards().find((b) => b.name === "Roadmap")!;
    assert.equal(new URL(ann.url()).pathname, `/boards/${created.id}`);
    await bo.settle();
    assert.match(bo.text(".board-list"), /Roadmap/);
    await ann.close();
    await bo.close();
  });
});

Deno.test("the activity stream shows the newest line first, on every open page", async () => {
  await withBoard(async (f, path) => {
    const { store } = f.taskboard.services;
    store.addActivity(f.board.id, f.ann.id, "wrote the plan");
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await addCard(ann, "To do", "first");
    await addCard(bo, "Done", "second");
    await ann.settle();
    const expected = [
      "Bo added “second” to Done",
      "Ann Lee added “first” to To do",
      "Ann Lee wrote the plan",
    ];
    assert.deepEqual(activity(ann), expected);
    assert.deepEqual(activity(bo), expected);
    await ann.close();
    await bo.close();
  });
});

Deno.test("saving a card dialog that changed nothing closes it and logs nothing", async () => {
  await withBoard(async (f, path) => {
    const card = f.taskboard.services.store.createCard(
      f.board.id,
      f.columns[0].id,
      "Same",
      f.ann.id,
    )!;
    const view = await liveTest(f.taskboard.app, `${path}?card=${card.id}`, f.as(f.ann));
    await view.submit("#card-form");
    assert.ok(!view.has("#card-dialog"));
    assert.deepEqual(activity(view), []);
    assert.deepEqual(f.taskboard.services.store.recentActivity(f.board.id, 5), []);
    await view.close();
  });
});

Deno.test("a card dialog refuses an empty title and says why", async () => {
  await withBoard(async (f, path) => {
    const card = f.taskboard.services.store.createCard(
      f.board.id,
      f.columns[0].id,
      "Keep",
      f.ann.id,
    )!;
    const view = await liveTest(f.taskboard.app, `${path}?card=${card.id}`, f.as(f.ann));
    await view.submit("#card-form", { title: "   " });
    assert.match(view.text("#card-form .form-error"), /could not be saved/);
    assert.equal(f.taskboard.services.store.card(card.id)!.title, "Keep");
    await view.close();
  });
});
