/**
 * A debounced directory watcher: an editor saving a file fires several events (write, chmod,
 * rename of a swap file); the callback should run once after they settle.
 * @module
 */

/** Stops a watcher; resolves once it is closed and no callback is still running. */
export type StopWatching = () => Promise<void>;

/**
 * Watches `paths` recursively and calls `onChange` once `debounceMs` after the last change.
 * Runs of `onChange` never overlap; one that throws goes to `onError`.
 *
 * @example
 * ```ts
 * import { watchDebounced } from "./watch.ts";
 * const stop = watchDebounced(["./static"], 100, async () => console.log("changed"), console.error);
 * await stop();
 * ```
 */
export function watchDebounced(
  paths: string[],
  debounceMs: number,
  onChange: () => Promise<void>,
  onError: (error: unknown) => void,
): StopWatching {
  const watcher = Deno.watchFs(paths, { recursive: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const fire = (): void => {
    timer = undefined;
    running = running.then(onChange).catch(onError);
  };
  const loop = (async () => {
    for await (const event of watcher) {
      // Only changes count. "access" reports an open, a read or a close after writing; the
      // writing itself came with its own "modify" event.
      if (event.kind === "access") continue;
      clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    }
  })();
  let stopped: Promise<void> | null = null;
  return () => {
    stopped ??= (async () => {
      watcher.close();
      await loop;
      clearTimeout(timer);
      await running;
    })();
    return stopped;
  };
}
