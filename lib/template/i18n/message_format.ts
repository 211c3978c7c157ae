/**
 * Python's `message % data` for a translated `{% blocktrans %}` message: `%(name)s` takes a
 * value from `data`, `%%` is a percent sign. A message that does not fit its data (an unknown
 * name, a stray `%`) raises {@link MessageFormatError}, as Python raises KeyError or ValueError,
 * and the tag then renders the untranslated text.
 * @module
 */
import { pythonError } from "../filters/python.ts";
import { pyStr, stringRepr } from "../values.ts";

/** A message whose placeholders do not fit its data (Python's KeyError or ValueError). */
export class MessageFormatError extends Error {
  override name = "MessageFormatError";
}

const SPEC = /%(?:\(([^)]*)\))?([#0\- +]*\d*(?:\.\d+)?)([a-zA-Z%])/y;

/**
 * Fills `%(name)s` placeholders of `message` from `data`.
 *
 * @example
 * ```ts
 * import { formatMessage } from "./message_format.ts";
 * formatMessage("%(n)s%% of %(total)s", { n: "5", total: "20" }); // "5% of 20"
 * ```
 */
export function formatMessage(message: string, data: Readonly<Record<string, string>>): string {
  let out = "";
  let last = 0;
  for (let at = message.indexOf("%"); at !== -1; at = message.indexOf("%", last)) {
    out += message.slice(last, at);
    SPEC.lastIndex = at;
    const m = SPEC.exec(message);
    if (!m) throw new MessageFormatError(`incomplete format at ${at}: ${message}`);
    const [whole, name, flags, conversion] = m;
    last = at + whole.length;
    if (conversion === "%" && name === undefined) {
      out += "%";
      continue;
    }
    let value: string;
    if (name === undefined) value = pyStr(data); // Python formats the whole mapping
    else if (Object.hasOwn(data, name)) value = data[name];
    else throw new MessageFormatError(`KeyError: '${name}'`);
    if (conversion === "s") out += pad(value, flags);
    else if (conversion === "r" || conversion === "a") out += pad(stringRepr(value), flags);
    else if ("diouxXeEfFgGc".includes(conversion)) {
      // Python raises TypeError for a number format on text, which Django does not catch.
      throw pythonError("TypeError", `%${conversion} format: a real number is required, not str`);
    } else throw new MessageFormatError(`unsupported format character '${conversion}'`);
  }
  return out + message.slice(last);
}

function pad(text: string, flags: string): string {
  const width = Number(/\d+/.exec(flags.replace(/^[#0\- +]*/, ""))?.[0] ?? 0);
  const length = [...text].length;
  if (length >= width) return text;
  return flags.includes("-")
    ? text + " ".repeat(width - length)
    : " ".repeat(width - length) + text;
}
