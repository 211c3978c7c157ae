/**
 * Loops without `dj-key` are keyed by index, in Chromium: a server change to one cell of a row is one
 * small op, and the row's elements (with the focus and the text the user is typing) stay in place.
 */
import assert from "node:assert/strict";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { BROWSER_TEST, launch, openLive, serve, settled } from "./harness.ts";

interface Row {
  id: number;
  label: string;
}

class Rows extends LiveView {
  static override template =
    `<table><tbody>{% for row in rows %}<tr class="row"><td>{{ row.id }}</td>` +
    `<td class="label">{{ row.label }}</td><td><input name="note-{{ row.id }}"></td>` +
    `<td><button class="rename" dj-click="rename" dj-value-id="{{ row.id }}">rename</button></td></tr>` +
    `{% endfor %}</tbody></table><button id="append" dj-click="append">append</button>`;
  rows = signal<Row[]>(
    Array.from({ length: 200 }, (_, i) => ({ id: i + 1, label: `Row ${i + 1}` })),
  );

  @eventHandler()
  rename(params: { id?: string }): void {
    const id = Number(params.id);
    this.rows.value = this.rows.value.map((
      r,
    ) => (r.id === id ? { ...r, label: r.label + "!" } : r));
  }

  @eventHandler()
  append(): void {
    const id = this.rows.value.length + 1;
    this.rows.value = [...this.rows.value, { id, label: `Row ${id}` }];
  }
}

Deno.test({
  name: "e2e: an unkeyed loop keeps a row's elements, focus and typed text when one cell changes",
  ...BROWSER_TEST,
  async fn() {
    const app = new App({ secret: "loops", logger: () => {} });
    app.live("/rows", Rows);
    const server = await serve(app);
    const browser = await launch();
    try {
      const errors: string[] = [];
      const page = await openLive(browser, server.url + "/rows", errors);
      // Mark row 100's elements, type into its input and keep the focus there.
      await page.evaluate(() => {
        const row = document.querySelectorAll("tr.row")[99] as HTMLElement & { mark?: string };
        row.mark = "kept";
        const input = row.querySelector("input")!;
        input.focus();
        input.value = "typed";
      });
      await page.evaluate(() => {
        const root = document.querySelector("[dj-root]")!;
        root.addEventListener("dj:patch", (e) => {
          (globalThis as { patches?: unknown[] }).patches ??= [];
          (globalThis as unknown as { patches: unknown[] }).patches.push((e as CustomEvent).detail);
        });
      });
      // A click elsewhere would move the focus: send the event as the client would, from row 100.
      await page.evaluate(() => {
        const button = document.querySelectorAll("button.rename")[99] as HTMLElement;
        button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        (document.querySelectorAll("tr.row")[99].querySelector("input") as HTMLInputElement)
          .focus();
      });
      await settled(page);
      await page.waitForFunction(() =>
        document.querySelectorAll("td.label")[99].textContent === "Row 100!"
      );
      const state = await page.evaluate(() => {
        const row = document.querySelectorAll("tr.row")[99] as HTMLElement & { mark?: string };
        const input = row.querySelector("input")!;
        const log = (globalThis as { patches?: { ops: unknown[] }[] }).patches ?? [];
        return {
          mark: row.mark,
          value: input.value,
          focused: document.activeElement === input,
          ops: log.at(-1)?.ops,
        };
      });
      assert.equal(state.mark, "kept", "row 100 is the same element");
      assert.equal(state.value, "typed", "the typed text is still there");
      assert.ok(state.focused, "the input still has the focus");
      assert.equal(
        (state.ops as unknown[]).length,
        1,
        `one op for one changed cell: ${JSON.stringify(state.ops)}`,
      );
      assert.ok(
        JSON.stringify({ type: "patch", ref: 1, ops: state.ops }).length <= 150,
        `the op is small: ${JSON.stringify(state.ops)}`,
      );
      await page.click("#append");
      await settled(page);
      await page.waitForFunction(() => document.querySelectorAll("tr.row").length === 201);
      const ops = await page.evaluate(() =>
        ((globalThis as { patches?: { ops: { op: string }[] }[] }).patches ?? []).at(-1)!.ops.map((
          o,
        ) => o.op)
      );
      assert.deepEqual(ops, ["insert"], `appending is one insert: ${JSON.stringify(ops)}`);
      assert.deepEqual(errors, []);
      assert.equal(app.metrics.resyncs, 0);
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});

/** Rows written straight into `<table>`, as many Django templates do (the browser adds <tbody>). */
class BareTable extends LiveView {
  static override template = `<p id="count">{{ count }}</p><table id="t">{% for r in rows %}` +
    `<tr class="row"><td>{{ r }}</td></tr>{% endfor %}</table>` +
    `<button id="go" dj-click="append">more</button>`;
  count = signal(0);
  rows = signal([1, 2]);
  @eventHandler()
  append(): void {
    this.rows.value = [...this.rows.value, this.rows.value.length + 1];
    this.count.value++;
  }
}

Deno.test({
  name: "e2e: rows straight in <table> re-render the table alone, with the browser's <tbody>",
  ...BROWSER_TEST,
  async fn() {
    const app = new App({ secret: "loops", logger: () => {} });
    app.live("/bare", BareTable);
    const server = await serve(app);
    const browser = await launch();
    try {
      const errors: string[] = [];
      const page = await openLive(browser, server.url + "/bare", errors);
      await page.evaluate(() => {
        (document.getElementById("count") as HTMLElement & { mark?: string }).mark = "kept";
      });
      for (let i = 1; i <= 3; i++) {
        await page.click("#go");
        await settled(page);
        await page.waitForFunction(
          (n) => document.getElementById("count")!.textContent === n,
          `${i}`,
        );
      }
      const state = await page.evaluate(() => ({
        rows: [...document.querySelectorAll("#t > tbody > tr.row")].map((r) => r.textContent),
        tables: document.querySelectorAll("table").length,
        mark: (document.getElementById("count") as HTMLElement & { mark?: string }).mark,
      }));
      assert.deepEqual(state, { rows: ["1", "2", "3", "4", "5"], tables: 1, mark: "kept" });
      assert.deepEqual(errors, []);
      assert.equal(app.metrics.resyncs, 0);
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
