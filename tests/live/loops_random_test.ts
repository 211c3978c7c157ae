/**
 * Live loops against fresh renders: random list edits (insertions, removals, moves, changed rows,
 * runs of each) applied with the browser client's patcher on linkedom, for keyed and unkeyed loops,
 * with nested loops, branches and `forloop`. After every edit the DOM must equal a fresh render.
 * DJUST_SEED replays a run.
 */
import assert from "node:assert/strict";
import { liveDom, signal } from "./helpers.ts";
import { prng } from "../helpers/prng.ts";

const SEED = Number(Deno.env.get("DJUST_SEED") ?? Math.floor(Math.random() * 2 ** 31));

interface Row {
  id: number;
  label: string;
  done: boolean;
  tags: string[];
}

/** One random edit of `rows` (new array; changed rows are new objects). */
function edit(rows: Row[], random: () => number, next: () => number): [Row[], string] {
  const out = [...rows];
  const at = () => Math.floor(random() * (out.length + 1));
  const fresh = (): Row => {
    const id = next();
    return { id, label: `r${id}`, done: random() < 0.3, tags: random() < 0.5 ? ["a"] : [] };
  };
  switch (Math.floor(random() * 7)) {
    case 0: {
      const i = at(), k = 1 + Math.floor(random() * 3);
      out.splice(i, 0, ...Array.from({ length: k }, fresh));
      return [out, `insert ${k} at ${i}`];
    }
    case 1: {
      const i = at(), k = 1 + Math.floor(random() * 3);
      out.splice(i, k);
      return [out, `remove ${k} at ${i}`];
    }
    case 2: {
      if (!out.length) return [out, "nothing"];
      const from = Math.floor(random() * out.length), to = at();
      const [row] = out.splice(from, 1);
      out.splice(Math.min(to, out.length), 0, row);
      return [out, `move ${from} to ${to}`];
    }
    case 3: {
      for (let i = 0; i < out.length; i++) {
        if (random() < 0.2) out[i] = { ...out[i], done: !out[i].done, label: out[i].label + "!" };
      }
      return [out, "change some rows"];
    }
    case 4:
      out.push(fresh());
      return [out, "append"];
    case 5:
      out.reverse();
      return [out, "reverse"];
    default:
      if (random() < 0.2) return [[], "empty"];
      out.pop();
      return [out, "pop"];
  }
}

const BODY = `<td>{{ r.id }}</td><td class="{% if r.done %}done{% endif %}">{{ r.label }}</td>` +
  `<td>{{ forloop.counter }}/{{ forloop.revcounter }}{% if forloop.last %} last{% endif %}</td>` +
  `<td>{% for t in r.tags %}<i>{{ t }}{{ forloop.parentloop.counter }}</i>{% endfor %}</td>` +
  `<td><button dj-click="x" dj-value-id="{{ r.id }}" {% if r.done %}disabled{% endif %}>b</button></td>`;

for (const keyed of [true, false]) {
  Deno.test(`loops: random edits of a ${keyed ? "keyed" : "unkeyed"} list keep the DOM equal to a fresh render (seed ${SEED})`, () => {
    const random = prng(SEED + (keyed ? 1 : 2));
    let id = 0;
    const rows = signal<Row[]>([]);
    const dom = liveDom(
      `<table><tbody>{% for r in rows %}<tr${keyed ? ' dj-key="{{ r.id }}"' : ""}>${BODY}</tr>` +
        `{% empty %}<tr><td>none</td></tr>{% endfor %}</tbody></table>`,
      { rows },
    );
    const history: string[] = [];
    for (let step = 0; step < 300; step++) {
      const [next, what] = edit(rows.value, random, () => ++id);
      history.push(what);
      rows.value = next;
      dom.patch();
      assert.equal(
        dom.visible(),
        dom.fresh(),
        `seed ${SEED}, step ${step + 1}: ${history.slice(-5).join("; ")}`,
      );
    }
  });
}
