/**
 * The last line of defence: an error that escapes every boundary (a promise view code never awaited
 * that rejects, a throw in a raw `setTimeout` callback) must not end the server. The first App
 * installs process-wide listeners that log such errors with an incident id and keep the process
 * alive; each App registers its logger for as long as it lives.
 *
 * `DJUST_STRICT_ERRORS=1` in the environment leaves such errors alone (Deno then ends the process,
 * or fails the test): djust's own test suite runs that way, so a rejection djust forgot to handle
 * cannot hide behind this guard.
 * @module
 */

/** Where an escaped error is reported. */
export type EscapedErrorLogger = (message: string, error: unknown) => void;

const loggers = new Set<EscapedErrorLogger>();
let installed = false;

function report(kind: string, error: unknown): void {
  const incident = crypto.randomUUID().slice(0, 8);
  const message = `djust: ${kind} kept from ending the process [incident ${incident}]`;
  if (!loggers.size) console.error(message, error);
  for (const log of loggers) log(message, error);
}

/** True when the environment asks for escaped errors to end the process (and fail tests). */
function strict(): boolean {
  try {
    return Deno.env.get("DJUST_STRICT_ERRORS") === "1";
  } catch {
    return false; // no permission to read the environment: production behaviour
  }
}

/** Keeps escaped errors from ending the process while `log` is registered; returns the unregister. */
export function guardProcess(log: EscapedErrorLogger): () => void {
  if (!installed && !strict()) {
    installed = true;
    globalThis.addEventListener("unhandledrejection", (e) => {
      e.preventDefault();
      report("an unhandled promise rejection", e.reason);
    });
    globalThis.addEventListener("error", (e) => {
      e.preventDefault();
      report("an uncaught exception", e.error ?? e.message);
    });
  }
  loggers.add(log);
  return () => void loggers.delete(log);
}
