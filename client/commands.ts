/**
 * JS commands: client-only changes with no round trip, written in a binding as
 * `dj-click="js:toggle('#menu'); add_class('#menu', 'open')"`. They are sticky: what a command set is
 * applied again after every patch, so server updates do not undo it.
 *
 * Commands: show, hide, toggle (selector); add_class, remove_class, toggle_class (selector, classes);
 * set_attr (selector, name, value); remove_attr (selector, name); focus (selector);
 * dispatch (selector, event); push (event name, sent to the server).
 */

/** One parsed command. */
export interface Command {
  name: string;
  args: string[];
}

const CALL_RE = /(\w+)\s*\(([^)]*)\)/g;
const ARG_RE = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;

/** Parses `js:cmd('a', 'b'); cmd2('c')`. */
export function parseCommands(text: string): Command[] {
  const out: Command[] = [];
  for (const m of text.slice(3).matchAll(CALL_RE)) {
    const args = [...m[2].matchAll(ARG_RE)].map((a) => (a[1] ?? a[2]).replace(/\\(.)/g, "$1"));
    out.push({ name: m[1], args });
  }
  return out;
}

/** A change to keep applying: selector → class and attribute overrides. */
interface Sticky {
  classes: Map<string, boolean>;
  attrs: Map<string, string | null>;
}

/** Runs commands and re-applies their sticky effects after patches. */
export class Commands {
  #sticky = new Map<string, Sticky>();

  constructor(readonly root: Element, readonly push: (event: string, source: Element) => void) {}

  /** Runs the commands of `text` (which starts with "js:") for `source`. */
  run(text: string, source: Element): void {
    for (const { name, args } of parseCommands(text)) {
      const [selector = "", a = "", b = ""] = args;
      const targets = selector ? [...this.root.ownerDocument.querySelectorAll(selector)] : [source];
      switch (name) {
        case "show":
        case "hide":
        case "toggle":
          for (const el of targets) {
            const hidden = name === "toggle" ? !el.hasAttribute("hidden") : name === "hide";
            this.#attr(selector, el, "hidden", hidden ? "" : null);
          }
          break;
        case "add_class":
        case "remove_class":
        case "toggle_class":
          for (const el of targets) {
            for (const cls of a.split(/\s+/).filter(Boolean)) {
              const on = name === "toggle_class"
                ? !el.classList.contains(cls)
                : name === "add_class";
              this.#class(selector, el, cls, on);
            }
          }
          break;
        case "set_attr":
          for (const el of targets) this.#attr(selector, el, a, b);
          break;
        case "remove_attr":
          for (const el of targets) this.#attr(selector, el, a, null);
          break;
        case "focus":
          (targets[0] as HTMLElement | undefined)?.focus();
          break;
        case "dispatch":
          for (const el of targets) {
            el.dispatchEvent(new CustomEvent(a || "dj:dispatch", { bubbles: true }));
          }
          break;
        case "push":
          this.push(selector, source);
          break;
      }
    }
  }

  /** Applies every sticky effect again (after a patch replaced or updated elements). */
  reapply(): void {
    for (const [selector, sticky] of this.#sticky) {
      for (const el of this.root.ownerDocument.querySelectorAll(selector)) {
        for (const [cls, on] of sticky.classes) el.classList.toggle(cls, on);
        for (const [name, value] of sticky.attrs) {
          if (value === null) el.removeAttribute(name);
          else el.setAttribute(name, value);
        }
      }
    }
  }

  #entry(selector: string): Sticky | null {
    if (!selector) return null;
    let s = this.#sticky.get(selector);
    if (!s) this.#sticky.set(selector, s = { classes: new Map(), attrs: new Map() });
    return s;
  }

  #class(selector: string, el: Element, cls: string, on: boolean): void {
    el.classList.toggle(cls, on);
    this.#entry(selector)?.classes.set(cls, on);
  }

  #attr(selector: string, el: Element, name: string, value: string | null): void {
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
    this.#entry(selector)?.attrs.set(name, value);
  }
}
