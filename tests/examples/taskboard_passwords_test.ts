/**
 * Password hashes: PBKDF2-SHA256 with a random salt and the iteration count stored in the hash;
 * verification succeeds only for the right password, reports hashes weaker than today's setting,
 * and treats malformed stored values as mismatches.
 */
import assert from "node:assert/strict";
import {
  decoyHash,
  DEFAULT_ITERATIONS,
  hashPassword,
  verifyPassword,
} from "../../examples/taskboard/auth/passwords.ts";

const FEW = 1_000; // the tests' iteration count: fast, and still a real PBKDF2

Deno.test("a hash names the algorithm and iterations, with a 16-byte salt and 32-byte hash", async () => {
  const stored = await hashPassword("correct horse", FEW);
  const [algorithm, iterations, salt, hash] = stored.split("$");
  assert.equal(algorithm, "pbkdf2_sha256");
  assert.equal(iterations, String(FEW));
  assert.equal(atob(salt).length, 16);
  assert.equal(atob(hash).length, 32);
});

Deno.test("the default is OWASP's 600 000 iterations", async () => {
  assert.equal(DEFAULT_ITERATIONS, 600_000);
  assert.match(await hashPassword("x"), /^pbkdf2_sha256\$600000\$/);
});

Deno.test("the right password verifies; a wrong one, even one letter off, does not", async () => {
  const stored = await hashPassword("correct horse", FEW);
  assert.deepEqual(await verifyPassword("correct horse", stored, FEW), {
    ok: true,
    needsRehash: false,
  });
  for (const wrong of ["correct horsE", "correct horse ", "", "correct"]) {
    assert.equal((await verifyPassword(wrong, stored, FEW)).ok, false, JSON.stringify(wrong));
  }
});

Deno.test("the same password hashes differently each time (random salt)", async () => {
  const a = await hashPassword("same", FEW), b = await hashPassword("same", FEW);
  assert.notEqual(a, b);
  assert.ok((await verifyPassword("same", a, FEW)).ok && (await verifyPassword("same", b, FEW)).ok);
});

Deno.test("a hash with fewer iterations than asked for now verifies and asks to be redone", async () => {
  const old = await hashPassword("pw", FEW);
  assert.deepEqual(await verifyPassword("pw", old, FEW * 2), { ok: true, needsRehash: true });
  assert.deepEqual(await verifyPassword("nope", old, FEW * 2), { ok: false, needsRehash: false });
});

Deno.test("non-ASCII passwords round-trip", async () => {
  const stored = await hashPassword("zażółć gęślą jaźń 🔑", FEW);
  assert.ok((await verifyPassword("zażółć gęślą jaźń 🔑", stored, FEW)).ok);
  assert.ok(!(await verifyPassword("zazolc gesla jazn 🔑", stored, FEW)).ok);
});

Deno.test("malformed or forged stored values are mismatches, never exceptions", async () => {
  const good = await hashPassword("pw", FEW);
  const [, , salt, hash] = good.split("$");
  for (
    const stored of [
      "",
      "plain text password",
      "md5$1000$abc$def",
      `pbkdf2_sha256$1$${salt}$${hash}`, // too few iterations to be ours
      `pbkdf2_sha256$99999999$${salt}$${hash}`, // would take minutes
      `pbkdf2_sha256$1000$!!!$${hash}`,
      `pbkdf2_sha256$1000$${salt}$`,
      `pbkdf2_sha256$1000$${salt}$${hash}$extra`,
      `pbkdf2_sha256$1000$${salt}$${btoa("short")}`,
    ]
  ) {
    assert.deepEqual(
      await verifyPassword("pw", stored, FEW),
      { ok: false, needsRehash: false },
      stored,
    );
  }
});

Deno.test("hashing refuses an iteration count too low to protect anything", async () => {
  await assert.rejects(() => hashPassword("pw", 10), RangeError);
});

Deno.test("the decoy hash is made once and matches no ordinary password", async () => {
  const decoy = await decoyHash(FEW);
  assert.equal(await decoyHash(FEW), decoy);
  assert.equal((await verifyPassword("", decoy, FEW)).ok, false);
  assert.equal((await verifyPassword("password", decoy, FEW)).ok, false);
});
