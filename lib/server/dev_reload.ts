/**
 * The development loop for templates: when a file in the App's template directories changes, the
 * engine forgets its compiled templates and every open view re-renders in place with its state
 * kept. A template that no longer compiles shows over the page (name, line, caret) until it is
 * fixed. Code changes are `deno run --watch`'s job: the restarted process has a new development
 * secret, so open pages reload by themselves.
 * @module
 */

/** Stops watching. */
export type StopDevReload = () => Promise<void>;

/**
 * Watches `dirs` and calls `onChange` with the changed paths (debounced).
 *
 * @example
 * ```ts ignore
 * const stop = watchTemplates(["./templates"], (paths) => reload(paths));
 * await stop();
 * ```
 */
export function watchTemplates(
  dirs: readonly string[],
  onChange: (paths: string[]) => void,
  debounceMs = 80,
): StopDevReload {
  const watcher = Deno.watchFs([...dirs], { recursive: true });
  let timer: number | undefined;
  let pending = new Set<string>();
  const done = (async () => {
    try {
      for await (const event of watcher) {
        if (event.kind === "access") continue;
        for (const path of event.paths) pending.add(path);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const paths = [...pending];
          pending = new Set();
          onChange(paths);
        }, debounceMs) as unknown as number;
      }
    } catch {
      // the watcher closed
    }
  })();
  return async () => {
    clearTimeout(timer);
    watcher.close();
    await done;
  };
}
