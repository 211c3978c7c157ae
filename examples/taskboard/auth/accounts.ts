/**
 * Signing up, in and out: plain pages and POST handlers (no live view needed to fill in a form).
 * The App checks each POST's CSRF token (`{% csrf_token %}` in the forms); pages render through
 * `app.render`, and a successful POST redirects (303) with a flash message for the next page.
 */
import { type App, safeNextUrl } from "../../../mod.ts";
import { LIMITS } from "../data/model.ts";
import { EmailTaken } from "../data/store.ts";
import type { Services } from "../services.ts";
import { decoyHash, hashPassword, verifyPassword } from "./passwords.ts";
import { userOf } from "./permissions.ts";

/** Largest form body these handlers read (a form of a few fields; anything bigger is not ours). */
const MAX_FORM_BYTES = 16 * 1024;
/** Password length bounds (characters). */
export const PASSWORD = { min: 8, max: 128 } as const;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Adds GET/POST /login, GET/POST /signup and POST /logout to `app`. */
export function addAccountRoutes(app: App, services: Services): void {
  const { store, throttle } = services;

  const loginPage = (request: Request, context: Record<string, unknown> = {}) =>
    app.render(request, "login.html", {
      title: "Sign in · Taskboard",
      next: new URL(request.url).searchParams.get("next") ?? "/",
      email: "",
      error: "",
      ...context,
    });

  app.get("/login", async (request) => {
    if (userOf(store, await app.session(request))) return redirect(request, "/");
    return loginPage(request);
  }, { name: "login" });

  app.post("/login", async (request) => {
    const form = await readForm(request);
    if (!form) return badForm();
    const email = field(form, "email").trim();
    const password = field(form, "password");
    const next = safeNextUrl(field(form, "next") || "/", request);
    if (!throttle.allows(email)) {
      return loginPage(request, {
        email,
        next,
        error: "Too many failed attempts for this email. Wait a few minutes and try again.",
      });
    }
    const found = email ? store.credentials(email) : null;
    // An unknown email costs as much as a wrong password: the timing says nothing.
    const result = await verifyPassword(
      password,
      found?.passwordHash ?? await decoyHash(services.passwordIterations),
      services.passwordIterations,
    );
    if (!found || !result.ok) {
      throttle.failed(email);
      return loginPage(request, { email, next, error: "Wrong email or password." });
    }
    throttle.succeeded(email);
    if (result.needsRehash) {
      store.setPasswordHash(
        found.user.id,
        await hashPassword(password, services.passwordIterations),
      );
    }
    await (await app.session(request)).login(String(found.user.id));
    await app.putFlash(request, "info", `Welcome back, ${found.user.name}.`);
    return redirect(request, next);
  });

  const signupPage = (request: Request, context: Record<string, unknown> = {}) =>
    app.render(request, "signup.html", {
      title: "Sign up · Taskboard",
      values: { name: "", email: "" },
      errors: {},
      firstUser: store.countUsers() === 0,
      password: PASSWORD,
      ...context,
    });

  app.get("/signup", async (request) => {
    if (userOf(store, await app.session(request))) return redirect(request, "/");
    return signupPage(request);
  }, { name: "signup" });

  app.post("/signup", async (request) => {
    const form = await readForm(request);
    if (!form) return badForm();
    const values = { name: field(form, "name").trim(), email: field(form, "email").trim() };
    const password = field(form, "password");
    const errors = signupErrors(values, password, field(form, "confirm"));
    if (Object.keys(errors).length) return signupPage(request, { values, errors });
    try {
      const passwordHash = await hashPassword(password, services.passwordIterations);
      const user = store.createUser({ ...values, passwordHash });
      await (await app.session(request)).login(String(user.id));
      await app.putFlash(
        request,
        "info",
        user.isAdmin
          ? `Welcome, ${user.name}! You are the first member, so you are the admin.`
          : `Welcome, ${user.name}!`,
      );
      return redirect(request, "/");
    } catch (error) {
      if (!(error instanceof EmailTaken)) throw error;
      return signupPage(request, {
        values,
        errors: { email: "An account with this email already exists. Sign in instead?" },
      });
    }
  });

  app.post("/logout", async (request) => {
    await (await app.session(request)).logout(); // also ends this session's live views everywhere
    await app.putFlash(request, "info", "You are signed out.");
    return redirect(request, "/login");
  }, { name: "logout" });
}

/** What is wrong with a sign-up, by field (empty when nothing is). */
export function signupErrors(
  values: { name: string; email: string },
  password: string,
  confirm: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name) errors.name = "Tell your team what to call you.";
  else if (values.name.length > LIMITS.name) errors.name = `At most ${LIMITS.name} characters.`;
  if (!EMAIL_RE.test(values.email) || values.email.length > 254) {
    errors.email = "Enter an email address like ann@example.com.";
  }
  if (password.length < PASSWORD.min) errors.password = `At least ${PASSWORD.min} characters.`;
  else if (password.length > PASSWORD.max) {
    errors.password = `At most ${PASSWORD.max} characters.`;
  } else if (password !== confirm) errors.confirm = "The two passwords differ.";
  return errors;
}

/** The form of a small urlencoded or multipart body, or null when it is too large or unreadable. */
async function readForm(request: Request): Promise<FormData | null> {
  // formData() reads the whole body into memory: bound it first (browsers send the length).
  const length = Number(request.headers.get("content-length"));
  if (!(length <= MAX_FORM_BYTES)) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function badForm(): Response {
  return new Response("This form could not be read (too large or malformed).", { status: 400 });
}

function redirect(request: Request, path: string): Response {
  return Response.redirect(new URL(path, request.url), 303);
}
