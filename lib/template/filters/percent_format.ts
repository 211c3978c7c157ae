/**
 * Python's `%` operator for one conversion (`"%5.2f" % value`), for the `stringformat` filter.
 * @module
 */
import { SafeString } from "../safe.ts";
import { pyRepr, pyStr, pyTypeName } from "../values.ts";
import { pythonError } from "./python.ts";

const SPEC_RE = /^%([#0\- +]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])$/;

/** Python's `"%<spec>" % value` for one conversion. Throws on what Python rejects. */
export function percentFormat(spec: string, value: unknown): string {
  const m = SPEC_RE.exec(spec);
  if (!m) throw pythonError("ValueError", `unsupported format: '${spec}'`);
  const [, flags, widthText, precText, conv] = m;
  if (widthText === "*") throw pythonError("TypeError", "* wants int");
  const width = widthText ? Number(widthText) : 0;
  const precision = precText === undefined ? undefined : Number(precText);
  if (value instanceof SafeString) value = value.value;
  let body: string;
  let sign = "";
  const numeric = "diouxXeEfFgG".includes(conv);
  if (numeric) {
    let n: number;
    if (typeof value === "number") n = value;
    else if (typeof value === "boolean") n = value ? 1 : 0;
    else {
      throw pythonError(
        "TypeError",
        `%${conv} format: a real number is required, not ${pyTypeName(value)}`,
      );
    }
    if ("diouxX".includes(conv)) {
      // Python truncates a float for %d, %i and %u, but %o, %x and %X want an integer.
      if ("oxX".includes(conv) && !Number.isInteger(n)) {
        throw pythonError("TypeError", `%${conv} format: an integer is required, not float`);
      }
      if (!Number.isFinite(n)) {
        throw pythonError("OverflowError", "cannot convert float infinity or NaN to integer");
      }
      n = Math.trunc(n);
    }
    if (n < 0 || Object.is(n, -0)) sign = n < 0 || conv === "f" || conv === "e" ? "-" : "";
    else if (flags.includes("+")) sign = "+";
    else if (flags.includes(" ")) sign = " ";
    const abs = Math.abs(n);
    switch (conv) {
      case "d":
      case "i":
      case "u":
        body = BigInt(abs).toString();
        if (precision !== undefined) body = body.padStart(precision, "0");
        break;
      case "o":
        body = BigInt(abs).toString(8);
        if (flags.includes("#")) body = "0o" + body;
        break;
      case "x":
      case "X":
        body = BigInt(abs).toString(16);
        if (flags.includes("#")) body = "0x" + body;
        if (conv === "X") body = body.toUpperCase();
        break;
      case "e":
      case "E":
        body = expFormat(abs, precision ?? 6);
        if (conv === "E") body = body.toUpperCase();
        break;
      case "f":
      case "F":
        body = Number.isFinite(abs)
          ? fixedFormat(abs, precision ?? 6)
          : abs === Infinity
          ? "inf"
          : "nan";
        if (conv === "F") body = body.toUpperCase();
        break;
      default: { // g, G
        const p = precision === 0 ? 1 : precision ?? 6;
        const exp = abs === 0 ? 0 : Math.floor(Math.log10(Number(abs.toExponential(p - 1))));
        if (exp < -4 || exp >= p) {
          body = expFormat(abs, p - 1);
          if (!flags.includes("#")) body = body.replace(/\.?0+e/, "e");
        } else {
          body = fixedFormat(abs, Math.max(0, p - 1 - exp));
          if (!flags.includes("#") && body.includes(".")) body = body.replace(/\.?0+$/, "");
        }
        if (conv === "G") body = body.toUpperCase();
      }
    }
  } else if (conv === "s") {
    body = pyStr(value);
    if (precision !== undefined) body = [...body].slice(0, precision).join("");
  } else if (conv === "r" || conv === "a") {
    body = pyRepr(value);
    if (precision !== undefined) body = [...body].slice(0, precision).join("");
  } else if (conv === "c") {
    if (typeof value === "number") body = String.fromCodePoint(value);
    else if (typeof value === "string" && [...value].length === 1) body = value;
    else throw pythonError("TypeError", "%c requires an int or a unicode character");
  } else body = "%";
  const total = sign + body;
  const len = [...total].length;
  if (len >= width) return total;
  if (flags.includes("-")) return total + " ".repeat(width - len);
  if (flags.includes("0") && numeric) return sign + "0".repeat(width - len) + body;
  return " ".repeat(width - len) + total;
}

/**
 * Fixed-point like C's printf (so like Python): the exact binary value rounded, ties to even. JS's
 * toFixed also rounds the exact value but breaks exact ties upwards, so ties are handled here.
 */
function fixedFormat(x: number, digits: number): string {
  digits = Math.min(digits, 100);
  // toFixed turns to an exponent from 1e21; such numbers are integers, printed exactly by BigInt.
  if (x >= 1e21) return BigInt(x).toString() + (digits ? "." + "0".repeat(digits) : "");
  const scaled = x * 10 ** digits;
  if (
    digits <= 15 && Number.isFinite(scaled) && scaled - Math.floor(scaled) === 0.5 &&
    scaled < 2 ** 52
  ) {
    // An exact tie only exists when x * 10^digits is exactly representable: check it round-trips.
    const floor = Math.floor(scaled);
    if ((floor + 0.5) / 10 ** digits === x) {
      const even = floor % 2 === 0 ? floor : floor + 1;
      return (even / 10 ** digits).toFixed(digits);
    }
  }
  return x.toFixed(digits);
}

function expFormat(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x === Infinity ? "inf" : "nan";
  const s = x.toExponential(Math.min(digits, 100));
  const [mant, exp] = s.split("e");
  const n = Number(exp);
  return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
}
