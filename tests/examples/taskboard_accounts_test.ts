/**
 * Signing up, in and out through the plain handlers, as a browser does it: the form page gives a
 * session cookie and a CSRF token, the POST carries both, answers redirect (303) with a flash.
 * The first account is the admin; wrong passwords and unknown emails get the same answer; five
 * failures lock an email for a while; `next` never leaves the site; posts without the token fail.
 */
import assert from "node:assert/strict";
import { createTaskboardApp, type Taskboard } from "../../examples/taskboard/app.ts";
import { hashPassword } from "../../examples/taskboard/auth/passwords.ts";
import { TEST_ITERATIONS } from "./taskboard_fixtures.ts";

const ORIGIN = "http://taskboard.test";

/** A browser of one visitor: keeps the session cookie, reads CSRF tokens from pages. */
class Visitor {
  cookie = "";
  constructor(readonly taskboard: Taskboard) {}

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    const response = await this.taskboard.app.fetch(
      new Request(ORIGIN + path, { headers: { cookie: this.cookie } }),
    );
    this.#keep(response);
    return {
      status: response.status,
      html: await response.text(),
      location: response.headers.get("location"),
    };
  }

  /** Loads `formPath`, then posts `fields` with its CSRF token to `action`. */
  async post(
    formPath: string,
    action: string,
    fields: Record<string, string>,
    options: { csrf?: boolean } = {},
  ): Promise<{ status: number; html: string; location: string | null }> {
    const page = await this.get(formPath);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.html)?.[1] ?? "";
    const body = new URLSearchParams(
      options.csrf === false ? fields : { csrfmiddlewaretoken: token, ...fields },
    ).toString();
    const response = await this.taskboard.app.fetch(
      new Request(ORIGIN + action, {
        method: "POST",
        body,
        headers: {
          cookie: this.cookie,
          origin: ORIGIN,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(new TextEncoder().encode(body).length),
        },
      }),
    );
    this.#keep(response);
    return {
      status: response.status,
      html: await response.text(),
      location: response.headers.get("location"),
    };
  }

  #keep(response: Response): void {
    const set = response.headers.getSetCookie().find((c) => c.startsWith("djust_sid="));
    if (set) this.cookie = set.split(";")[0];
  }
}

async function withTaskboard(
  fn: (taskboard: Taskboard) => Promise<void>,
  passwordIterations = TEST_ITERATIONS,
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "taskboard-accounts-" });
  const taskboard = await createTaskboardApp({
    dataDir,
    secret: "accounts-test",
    passwordIterations,
    logger: () => {},
  });
  try {
    await fn(taskboard);
  } finally {
    await taskboard.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

const ANN = { name: "Ann Lee", email: "ann@example.com", password: "correct horse" };

function signUp(visitor: Visitor, who = ANN) {
  return visitor.post("/signup", "/signup", {
    name: who.name,
    email: who.email,
    password: who.password,
    confirm: who.password,
  });
}

Deno.test("anonymous visitors of a page are sent to the login form with next", async () => {
  await withTaskboard(async (taskboard) => {
    const page = await new Visitor(taskboard).get("/boards/1?label=bug");
    assert.equal(page.status, 302);
    assert.equal(page.location, "/login?next=%2Fboards%2F1%3Flabel%3Dbug");
  });
});

Deno.test("signing up signs in; the first account is the admin, the second is not", async () => {
  await withTaskboard(async (taskboard) => {
    const ann = new Visitor(taskboard);
    const signup = await ann.get("/signup");
    assert.match(
      signup.html,
      /your account will be the team&#x27;s admin|will be the team's admin/,
    );
    const done = await signUp(ann);
    assert.equal(done.status, 303);
    assert.equal(new URL(done.location!).pathname, "/");
    const index = await ann.get("/");
    assert.equal(index.status, 200);
    assert.match(index.html, /You are the first member, so you are the admin/);
    assert.match(index.html, /<span class="badge">admin<\/span>/);

    const bo = new Visitor(taskboard);
    await signUp(bo, { name: "Bo", email: "bo@example.com", password: "another pass" });
    const boIndex = await bo.get("/");
    assert.doesNotMatch(boIndex.html, /class="badge">admin/);
    assert.equal((await bo.get("/members")).status, 403, "members page is for admins");
    assert.equal((await ann.get("/members")).status, 200);
  });
});

Deno.test("sign-up errors are shown per field and nothing is created", async () => {
  await withTaskboard(async (taskboard) => {
    const visitor = new Visitor(taskboard);
    const page = await visitor.post("/signup", "/signup", {
      name: "",
      email: "not an email",
      password: "short",
      confirm: "short",
    });
    assert.equal(page.status, 200);
    assert.match(page.html, /data-for="name">Tell your team what to call you/);
    assert.match(page.html, /data-for="email">Enter an email address/);
    assert.match(page.html, /data-for="password">At least 8 characters/);
    assert.equal(taskboard.services.store.countUsers(), 0);
    const mismatch = await visitor.post("/signup", "/signup", {
      name: "Ann",
      email: "ann@example.com",
      password: "long enough",
      confirm: "long enougH",
    });
    assert.match(mismatch.html, /data-for="confirm">The two passwords differ/);
    assert.match(mismatch.html, /value="ann@example.com"/, "what was typed is kept");
  });
});

Deno.test("an email cannot sign up twice, whatever its case", async () => {
  await withTaskboard(async (taskboard) => {
    await signUp(new Visitor(taskboard));
    const again = await signUp(new Visitor(taskboard), { ...ANN, email: "ANN@example.com" });
    assert.equal(again.status, 200);
    assert.match(again.html, /already exists/);
    assert.equal(taskboard.services.store.countUsers(), 1);
  });
});

Deno.test("the password is stored hashed, never as typed", async () => {
  await withTaskboard(async (taskboard) => {
    await signUp(new Visitor(taskboard));
    const stored = taskboard.services.store.credentials(ANN.email)!.passwordHash;
    assert.doesNotMatch(stored, /correct horse/);
    assert.match(stored, new RegExp(`^pbkdf2_sha256\\$${TEST_ITERATIONS}\\$`));
  });
});

Deno.test("signing in goes to next; a wrong password and an unknown email answer alike", async () => {
  await withTaskboard(async (taskboard) => {
    await signUp(new Visitor(taskboard));
    const visitor = new Visitor(taskboard);
    const wrong = await visitor.post("/login", "/login", { email: ANN.email, password: "nope" });
    const unknown = await visitor.post("/login", "/login", {
      email: "who@example.com",
      password: "nope",
    });
    assert.match(wrong.html, /Wrong email or password/);
    assert.match(unknown.html, /Wrong email or password/);
    assert.equal((await visitor.get("/")).status, 302, "still signed out");
    const ok = await visitor.post("/login?next=/boards/7", "/login", {
      email: ANN.email,
      password: ANN.password,
      next: "/boards/7",
    });
    assert.equal(ok.status, 303);
    assert.equal(new URL(ok.location!).pathname, "/boards/7");
    assert.equal((await visitor.get("/")).status, 200, "signed in");
  });
});

Deno.test("next never leads off the site", async () => {
  await withTaskboard(async (taskboard) => {
    await signUp(new Visitor(taskboard));
    for (const next of ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]) {
      const visitor = new Visitor(taskboard);
      const ok = await visitor.post("/login", "/login", { ...ANN, next });
      assert.equal(new URL(ok.location!).href, ORIGIN + "/", `next=${next}`);
    }
  });
});

Deno.test("five wrong passwords lock the email, even for the right one", async () => {
  await withTaskboard(async (taskboard) => {
    await signUp(new Visitor(taskboard));
    const visitor = new Visitor(taskboard);
    for (let i = 0; i < 5; i++) {
      await visitor.post("/login", "/login", { email: ANN.email, password: `guess ${i}` });
    }
    const locked = await visitor.post("/login", "/login", ANN);
    assert.equal(locked.status, 200);
    assert.match(locked.html, /Too many failed attempts/);
    assert.equal((await visitor.get("/")).status, 302);
  });
});

Deno.test("a sign-in with an older, weaker hash upgrades it", async () => {
  await withTaskboard(async (taskboard) => {
    const { store } = taskboard.services;
    // The app now asks for twice the iterations this hash was made with.
    const weak = await hashPassword(ANN.password, TEST_ITERATIONS);
    store.createUser({ name: ANN.name, email: ANN.email, passwordHash: weak });
    const visitor = new Visitor(taskboard);
    assert.equal((await visitor.post("/login", "/login", ANN)).status, 303);
    const upgraded = store.credentials(ANN.email)!.passwordHash;
    assert.match(upgraded, new RegExp(`^pbkdf2_sha256\\$${TEST_ITERATIONS * 2}\\$`));
  }, TEST_ITERATIONS * 2);
});

Deno.test("posts without the CSRF token are refused and change nothing", async () => {
  await withTaskboard(async (taskboard) => {
    const visitor = new Visitor(taskboard);
    const refused = await visitor.post("/signup", "/signup", {
      name: "Mallory",
      email: "m@example.com",
      password: "long enough",
      confirm: "long enough",
    }, { csrf: false });
    assert.equal(refused.status, 403);
    assert.equal(taskboard.services.store.countUsers(), 0);
  });
});

Deno.test("signing out ends the session and says so on the login page", async () => {
  await withTaskboard(async (taskboard) => {
    const visitor = new Visitor(taskboard);
    await signUp(visitor);
    const out = await visitor.post("/", "/logout", {});
    assert.equal(out.status, 303);
    assert.equal(new URL(out.location!).pathname, "/login");
    const login = await visitor.get("/login");
    assert.match(login.html, /You are signed out/);
    assert.equal((await visitor.get("/")).status, 302);
  });
});
