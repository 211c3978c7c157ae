/**
 * How a failure of view code is described to developers: the exception's name and message, and
 * where in a template it happened when the error knows.
 * @module
 */

/** `Name: message` of an error (or its text). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * `template.html:12:5` when `error` (or one of its causes) carries a template position, else
 * undefined. Template errors carry `position: { template, line, column }` (lib/template/errors.ts).
 */
export function templatePosition(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const p = (e as { position?: { template?: unknown; line?: unknown; column?: unknown } })
      .position;
    if (p && typeof p.template === "string" && typeof p.line === "number" && p.line > 0) {
      return `${p.template}:${p.line}:${typeof p.column === "number" ? p.column : 0}`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
