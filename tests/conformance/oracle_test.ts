/**
 * The stored answers are Django's: re-render every stored case with real Django 3.2 (Debian's
 * python3-django, through the shared oracle script kept in tests/conformance/django_oracle.py) and
 * compare. Fails if a case file was edited by hand or the oracle disagrees.
 */
import assert from "node:assert/strict";
import { readCases } from "./decode.ts";

const PYTHON = "/usr/bin/python3";

// The i18n cases run with USE_I18N=True and the catalogs in locale/ (the oracle's --i18n mode).
const FILES: [string, string[]][] = [
  ["django_cases.jsonl", []],
  ["extra_cases.jsonl", []],
  ["i18n_cases.jsonl", ["--i18n"]],
];

for (const [file, flags] of FILES) {
  Deno.test(`oracle: every case in ${file} is what real Django renders`, async () => {
    const cases = readCases(new URL(file, import.meta.url));
    const child = new Deno.Command(PYTHON, {
      args: [new URL("./django_oracle.py", import.meta.url).pathname, ...flags],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(
      new TextEncoder().encode(cases.map((c) => JSON.stringify(c)).join("\n") + "\n"),
    );
    await writer.close();
    const out = await child.output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const answers = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.equal(answers.length, cases.length);
    for (let i = 0; i < cases.length; i++) {
      assert.deepEqual(
        { output: answers[i].output, error: answers[i].error },
        { output: cases[i].output, error: cases[i].error },
        `case ${cases[i].id}`,
      );
    }
  });
}
