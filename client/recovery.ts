/**
 * Form recovery (loaded on demand): puts values captured before a reconnect back into the fields.
 */

/** Puts captured values back into a form's fields (form recovery after a reconnect). */
export function restoreForm(form: HTMLFormElement, values: Record<string, unknown>): void {
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
