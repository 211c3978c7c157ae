/**
 * What an event carries: `dj-value-*` attributes, control values, form fields, and key filters.
 *
 * Shared by the browser client and the test toolkit (which runs it on linkedom), so a test cannot pass
 * where the browser would fail. Hence no `instanceof HTMLSelectElement` and no `form.elements`: what
 * the user changes (value, checked, selected) is read from the property when the DOM has it (the
 * browser's live state) and from the attribute otherwise (a server-side DOM, where attributes are the
 * state); everything else is read from attributes in both.
 */
import { VALUE_PREFIX } from "../lib/live/protocol.ts";

/** The live state of a control as a browser exposes it (absent on linkedom). */
type Control = Element & { value?: string; checked?: boolean; selected?: boolean };

/** `dj-value-*` attributes of `el` as params (names kept as written after the prefix). */
export function valueParams(el: Element): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const attr of el.attributes) {
    if (attr.name.startsWith(VALUE_PREFIX)) {
      params[attr.name.slice(VALUE_PREFIX.length)] = attr.value;
    }
  }
  return params;
}

/** The control's type in lower case: `text`, `checkbox`, …, `select`, `textarea`. */
export function controlType(el: Element): string {
  const tag = el.tagName;
  if (tag === "SELECT") return "select";
  if (tag === "TEXTAREA") return "textarea";
  // The attribute, as the `type` property would say (an unknown type behaves as text).
  return (el.getAttribute("type") || "text").toLowerCase();
}

/** True for controls whose value is typed (text-like inputs and textareas). */
export function isTextControl(el: Element): boolean {
  if (el.tagName === "TEXTAREA") return true;
  return el.tagName === "INPUT" &&
    !/^(checkbox|radio|range|color|file)$/.test(controlType(el));
}

/** A checkbox's or option's live state: the property in a browser, the attribute elsewhere. */
function isOn(el: Element, prop: "checked" | "selected"): boolean {
  const v = (el as Control)[prop];
  return typeof v === "boolean" ? v : el.hasAttribute(prop);
}

function optionValue(option: Element): string {
  const v = (option as Control).value;
  if (typeof v === "string" && v !== "") return v;
  return option.getAttribute("value") ?? option.textContent ?? "";
}

/** Values of the selected options of a `<select>` (the first option when none is marked). */
function selectedValues(select: Element): string[] {
  const options = [...select.querySelectorAll("option")];
  const chosen = options.filter((o) => isOn(o, "selected")).map(optionValue);
  if (!chosen.length && !select.hasAttribute("multiple") && options.length) {
    return [optionValue(options[0])];
  }
  return chosen;
}

/** The text value of an input or textarea. */
function textValue(el: Element): string {
  const v = (el as Control).value;
  if (typeof v === "string") return v;
  return el.tagName === "TEXTAREA" ? el.textContent ?? "" : el.getAttribute("value") ?? "";
}

/** The current value of a control (checkboxes: boolean unless they carry a value). */
export function controlValue(el: Element): unknown {
  const type = controlType(el);
  if (type === "checkbox") {
    return el.hasAttribute("value")
      ? (isOn(el, "checked") ? textValue(el) : null)
      : isOn(el, "checked");
  }
  if (type === "select") {
    const values = selectedValues(el);
    return el.hasAttribute("multiple") ? values : values[0] ?? "";
  }
  return textValue(el);
}

/** The name of a control (empty when it has none). */
export function controlName(el: Element): string {
  return el.getAttribute("name") ?? "";
}

const SKIPPED = /^(submit|button|reset|image|file)$/;

/**
 * All fields of a form: repeated names and multi-selects as arrays, checkboxes as booleans or their
 * values, radios as the checked value (null when none is).
 */
export function formParams(form: Element): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  // The form's controls, in document order.
  const controls = form.querySelectorAll("input, select, textarea");
  const counts: Record<string, number> = {};
  for (const el of controls) {
    const name = controlName(el);
    if (name && controlType(el) !== "radio") counts[name] = (counts[name] ?? 0) + 1;
  }
  for (const el of controls) {
    const name = controlName(el);
    const type = controlType(el);
    if (!name || el.hasAttribute("disabled") || SKIPPED.test(type)) continue;
    if (type === "radio") {
      if (isOn(el, "checked")) params[name] = textValue(el) || "on";
      else if (!(name in params)) params[name] = null;
      continue;
    }
    const value = controlValue(el);
    const multi = counts[name] > 1 || (type === "select" && el.hasAttribute("multiple"));
    if (!multi) params[name] = value;
    else if (Array.isArray(value)) params[name] = value;
    else if (value !== null && value !== false) ((params[name] ??= []) as unknown[]).push(value);
    else params[name] ??= [];
  }
  return params;
}

/** Short names a key filter may use for `KeyboardEvent.key` values. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  esc: "escape",
  space: " ",
  return: "enter",
};

/** True when `key` (a `KeyboardEvent.key`) passes `filter` (`enter`, `esc`, `Escape`, …). */
export function keyMatches(filter: string, key: string): boolean {
  if (!filter) return true;
  const wanted = filter.toLowerCase();
  return (KEY_ALIASES[wanted] ?? wanted) === key.toLowerCase();
}

/**
 * The key bindings of `el` for `type` (`keydown`/`keyup`) that `key` fires, as handler names:
 * `dj-keydown` always, `dj-keydown.enter` only for Enter.
 */
export function keyBindings(el: Element, type: "keydown" | "keyup", key: string): string[] {
  const plain = `dj-${type}`;
  const names: string[] = [];
  for (const attr of el.attributes) {
    if (attr.name === plain) names.push(attr.value);
    else if (attr.name.startsWith(plain + ".")) {
      if (keyMatches(attr.name.slice(plain.length + 1), key)) names.push(attr.value);
    }
  }
  return names;
}

/** Params of a key event on `el`: its `dj-value-*`, the key, and the value of a control. */
export function keyParams(el: Element, key: string): Record<string, unknown> {
  const params: Record<string, unknown> = { ...valueParams(el), key };
  if (isControl(el)) params.value = controlValue(el);
  return params;
}

/** True for input, select and textarea elements. */
export function isControl(el: Element): boolean {
  return el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA";
}

/** Params of a `dj-change`: all fields plus `_target` on a form, else the control's value. */
export function changeParams(bound: Element, target: Element): Record<string, unknown> {
  const params = bound.tagName === "FORM"
    ? { ...formParams(bound), _target: controlName(target) }
    : { value: controlValue(bound) };
  return { ...valueParams(bound), ...params };
}

/** Params of a `dj-submit`: the form's `dj-value-*` and all its fields. */
export function submitParams(form: Element): Record<string, unknown> {
  return { ...valueParams(form), ...formParams(form) };
}
