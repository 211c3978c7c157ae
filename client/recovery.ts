/**
 * Form recovery (loaded on demand, when the view has a `form[id]`): what the user typed survives a
 * reconnect, and a reload forced by a stale token. Values are captured before the rejoin (or the
 * reload, through sessionStorage) and put back into the fields afterwards; each form's `dj-change`
 * then tells the server.
 */
import type { formParams } from "./params.ts";
import type { Push } from "./rate_limit.ts";

/** Field values by form id. */
export type SavedForms = Record<string, Record<string, unknown>>;

/** sessionStorage key prefix of forms saved across a reload. */
const STASH = "djust:forms:";

/** The values of every `form[id]` in `root`. */
export function captureForms(root: Element, params: typeof formParams): SavedForms {
  const forms: SavedForms = {};
  for (const form of root.querySelectorAll("form[id]")) forms[form.id] = params(form);
  return forms;
}

/** Keeps `forms` for this page in sessionStorage, then reloads it. */
export function stashAndReload(forms: SavedForms): void {
  try {
    sessionStorage.setItem(STASH + location.pathname, JSON.stringify(forms));
  } catch {
    // storage unavailable: the values are lost, the page still reloads
  }
  location.reload();
}

/** Forms this page stashed before a reload (removed from storage), or null. */
export function takeStash(): SavedForms | null {
  try {
    const text = sessionStorage.getItem(STASH + location.pathname);
    sessionStorage.removeItem(STASH + location.pathname);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Puts `forms` back into the forms of `root` and sends each one's `dj-change`. */
export function restoreForms(
  root: Element,
  forms: SavedForms,
  params: typeof formParams,
  push: Push,
): void {
  for (const [id, values] of Object.entries(forms)) {
    const form = document.getElementById(id) as HTMLFormElement | null;
    if (!form || !root.contains(form)) continue;
    restoreForm(form, values);
    const change = form.getAttribute("dj-change");
    if (change) push(change, { ...params(form), _target: "" }, form);
  }
}

/** Puts captured values back into a form's fields. */
function restoreForm(form: HTMLFormElement, values: Record<string, unknown>): void {
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    if (!el.name || !(el.name in values)) continue;
    const value = values[el.name];
    if (el.type === "checkbox") {
      el.checked = Array.isArray(value)
        ? value.includes(el.value)
        : value === true || value === el.value;
    } else if (el.type === "radio") el.checked = value === el.value;
    else if (el instanceof HTMLSelectElement && el.multiple && Array.isArray(value)) {
      for (const o of el.options) o.selected = value.includes(o.value);
    } else if (typeof value === "string") el.value = value;
  }
}
