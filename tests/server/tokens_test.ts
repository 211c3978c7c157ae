import assert from "node:assert/strict";
import { Signer } from "../../lib/server/tokens.ts";

Deno.test("tokens: a signed payload verifies", async () => {
  const s = await Signer.create("k");
  const v = await s.verify(await s.sign({ a: 1 }, 10_000));
  assert.ok(v.ok);
  assert.equal(v.ok && v.payload.a, 1);
});

Deno.test("tokens: a changed payload fails the signature", async () => {
  const s = await Signer.create("k");
  const token = await s.sign({ a: 1 }, 10_000);
  const body = btoa(JSON.stringify({ a: 2, exp: Date.now() + 10_000 })).replace(/=+$/, "");
  assert.deepEqual(await s.verify(body + token.slice(token.indexOf("."))), {
    ok: false,
    reason: "signature",
  });
});

Deno.test("tokens: another secret fails the signature", async () => {
  const token = await (await Signer.create("a")).sign({}, 10_000);
  assert.deepEqual(await (await Signer.create("b")).verify(token), {
    ok: false,
    reason: "signature",
  });
});

Deno.test("tokens: an expired token is refused", async () => {
  const s = await Signer.create("k");
  assert.deepEqual(await s.verify(await s.sign({}, -1)), { ok: false, reason: "expired" });
});

Deno.test("tokens: garbage is malformed", async () => {
  const s = await Signer.create("k");
  for (const bad of [null, 5, "", "abc", "a.b.c", "x".repeat(9000)]) {
    assert.equal((await s.verify(bad)).ok, false, String(bad));
  }
});

Deno.test("tokens: a token bound to a value verifies only with that value", async () => {
  const s = await Signer.create("k");
  const token = await s.sign({ a: 1 }, 10_000, "session-1");
  assert.ok((await s.verify(token, "session-1")).ok);
  for (const other of ["session-2", ""]) {
    assert.deepEqual(await s.verify(token, other), { ok: false, reason: "signature" }, other);
  }
  assert.deepEqual(await s.verify(await s.sign({}, 10_000), "session-1"), {
    ok: false,
    reason: "signature",
  });
});
