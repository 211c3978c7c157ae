import assert from "node:assert/strict";
import { SessionMacs } from "../../lib/server/session_macs.ts";
import { Signer } from "../../lib/server/tokens.ts";

/** A signer that counts its MACs. */
async function countingSigner() {
  const signer = await Signer.create("secret");
  const counted = { macs: 0 };
  const mac = signer.mac.bind(signer);
  signer.mac = (value, purpose) => {
    counted.macs++;
    return mac(value, purpose);
  };
  return { signer, counted };
}

Deno.test("session MACs: the CSRF token and binding are the signer's MACs for the id", async () => {
  const { signer } = await countingSigner();
  const keys = await new SessionMacs(() => Promise.resolve(signer)).of("sid-1");
  assert.equal(keys.csrf, await signer.mac("sid-1", "csrf"));
  assert.equal(keys.binding, await signer.mac("sid-1", "bind"));
  assert.notEqual(keys.csrf, keys.binding);
});

Deno.test("session MACs: a session's are computed once while it stays among the recent", async () => {
  const { signer, counted } = await countingSigner();
  const macs = new SessionMacs(() => Promise.resolve(signer), 2);
  await Promise.all([macs.of("a"), macs.of("a")]);
  await macs.of("b");
  await macs.of("a");
  assert.equal(counted.macs, 4, "two MACs for a, two for b");
});

Deno.test("session MACs: past the limit the least recently used session is forgotten", async () => {
  const { signer, counted } = await countingSigner();
  const macs = new SessionMacs(() => Promise.resolve(signer), 2);
  await macs.of("a");
  await macs.of("b");
  await macs.of("a"); // a is now the most recent
  await macs.of("c"); // b goes
  counted.macs = 0;
  await macs.of("a");
  await macs.of("c");
  assert.equal(counted.macs, 0, "a and c remembered");
  await macs.of("b");
  assert.equal(counted.macs, 2, "b computed again");
});

Deno.test("session MACs: a failure is not remembered", async () => {
  let fail = true;
  const { signer } = await countingSigner();
  const macs = new SessionMacs(
    () => fail ? Promise.reject(new Error("no key")) : Promise.resolve(signer),
  );
  await assert.rejects(macs.of("a"), /no key/);
  fail = false;
  assert.equal((await macs.of("a")).csrf, await signer.mac("a", "csrf"));
});
