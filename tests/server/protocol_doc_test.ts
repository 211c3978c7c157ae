/**
 * docs/protocol.md documents every message type, op and error code lib/live/protocol.ts defines: a
 * name added to the protocol without a line in the docs fails here.
 */
import assert from "node:assert/strict";
import {
  CLIENT_MESSAGES,
  ERROR_CODES,
  PATCH_OPS,
  SERVER_MESSAGES,
} from "../../lib/live/protocol.ts";

const doc = Deno.readTextFileSync(new URL("../../docs/protocol.md", import.meta.url));

/** The first cells of the table rows under the heading `title`. */
function tableNames(title: string): Set<string> {
  const start = doc.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `docs/protocol.md has a "## ${title}" section`);
  const end = doc.indexOf("\n## ", start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    const cell = /^\|\s*`([^`]+)`/.exec(line);
    if (cell) names.add(cell[1]);
  }
  return names;
}

const cases: [string, readonly string[]][] = [
  ["Client → server", CLIENT_MESSAGES],
  ["Server → client", SERVER_MESSAGES],
  ["Ops", PATCH_OPS],
  ["Error codes", ERROR_CODES],
];

for (const [section, names] of cases) {
  Deno.test(`protocol docs: every name in "${section}" is documented, and nothing else`, () => {
    const documented = tableNames(section);
    const missing = names.filter((n) => !documented.has(n));
    assert.deepEqual(missing, [], `missing from docs/protocol.md "${section}": ${missing}`);
    const stale = [...documented].filter((n) => !names.includes(n));
    assert.deepEqual(stale, [], `documented but not in protocol.ts: ${stale}`);
  });
}
