/**
 * Live validation for forms, against a schema from a validation library (zod, or anything with a
 * zod-like `safeParse`). Errors show for fields the user has touched, and for all after a submit.
 * @module
 */
import { signal } from "@preact/signals-core";

/** The part of a schema LiveForm uses: zod's `safeParse`. */
export interface FormSchema<T> {
  /** Validates `input`: the data on success, the issues (with their field paths) otherwise. */
  safeParse(input: unknown): {
    success: boolean;
    data?: T;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  };
}

/** What a {@link LiveForm} holds (see `snapshot` / `restoreState`). */
export interface FormState {
  /** The values as typed. */
  values: Record<string, unknown>;
  /** Fields the user has touched. */
  touched: string[];
  /** True after a submit (every error shows). */
  submitted: boolean;
}

/**
 * Form state for a LiveView: values, per-field errors, touched fields.
 *
 * @example
 * ```ts ignore
 * import { z } from "zod";
 * class Signup extends LiveView {
 *   form = new LiveForm(z.object({ email: z.email(), age: z.coerce.number().min(18) }));
 *   @eventHandler() validate(params: EventParams) { this.form.change(params); }
 *   @eventHandler() save(params: EventParams) { if (this.form.submit(params)) console.log(this.form.data); }
 * }
 * // template: <input name="email" value="{{ form.values.email }}"> {{ form.errors.email }}
 * ```
 */
export class LiveForm<T = Record<string, unknown>> {
  #schema: FormSchema<T>;
  #initial: Record<string, unknown>;
  #values = signal<Record<string, unknown>>({});
  #allErrors = signal<Record<string, string>>({});
  #touched = signal<ReadonlySet<string>>(new Set());
  #submitted = signal(false);
  #data: T | undefined;

  /** A form over `schema`, starting with `initial` values. */
  constructor(schema: FormSchema<T>, initial: Record<string, unknown> = {}) {
    this.#schema = schema;
    this.#initial = { ...initial };
    this.#values.value = { ...initial };
    this.#validate();
  }

  /** Current values, as the user typed them. */
  get values(): Record<string, unknown> {
    return this.#values.value;
  }

  /** Errors of touched fields (every field after a submit), by field name. */
  get errors(): Record<string, string> {
    const all = this.#allErrors.value;
    if (this.#submitted.value) return all;
    const touched = this.#touched.value;
    const out: Record<string, string> = {};
    for (const key in all) if (touched.has(key)) out[key] = all[key];
    return out;
  }

  /** True when the values pass the schema. */
  get valid(): boolean {
    return Object.keys(this.#allErrors.value).length === 0;
  }

  /** The parsed data of the last valid values (undefined while invalid). */
  get data(): T | undefined {
    return this.#data;
  }

  /** For `dj-change` on the form: takes the fields, marks `_target` touched, validates. */
  change(params: Record<string, unknown>): void {
    this.#take(params);
    const target = params._target;
    if (typeof target === "string" && target) {
      this.#touched.value = new Set([...this.#touched.value, target]);
    }
    this.#validate();
  }

  /** For `dj-submit`: takes the fields, shows every error, and returns whether the form is valid. */
  submit(params: Record<string, unknown>): boolean {
    this.#take(params);
    this.#submitted.value = true;
    this.#validate();
    return this.valid;
  }

  /** Back to the initial values, nothing touched. */
  reset(): void {
    this.#values.value = { ...this.#initial };
    this.#touched.value = new Set();
    this.#submitted.value = false;
    this.#validate();
  }

  /** What the form holds, for saving a view's state: values, touched fields, submitted. */
  snapshot(): FormState {
    return {
      values: { ...this.#values.value },
      touched: [...this.#touched.value],
      submitted: this.#submitted.value,
    };
  }

  /** Puts back a state taken by {@link LiveForm.snapshot} (after a restart), and validates it. */
  restoreState(state: FormState): void {
    this.#values.value = { ...state.values };
    this.#touched.value = new Set(state.touched);
    this.#submitted.value = state.submitted;
    this.#validate();
  }

  #take(params: Record<string, unknown>): void {
    const values = { ...this.#values.value };
    for (const key in params) if (key !== "_target") values[key] = params[key];
    this.#values.value = values;
  }

  #validate(): void {
    const result = this.#schema.safeParse(this.#values.value);
    const errors: Record<string, string> = {};
    if (!result.success) {
      for (const issue of result.error?.issues ?? []) {
        const key = String(issue.path[0] ?? "");
        errors[key] ??= issue.message;
      }
      this.#data = undefined;
    } else this.#data = result.data;
    this.#allErrors.value = errors;
  }
}
