/** Views of the durable-state browser tests (in-process and in durable_server.ts). */
import { App, type AppOptions, eventHandler, LiveView, signal } from "../../mod.ts";

/** A counter with a timer, and an editor form (form recovery covers what was typed offline). */
export class Editor extends LiveView {
  static override template = `<main>
<p id="count">{{ count }}</p><button id="inc" dj-click="inc">+</button>
<form id="edit" dj-change="edit"><input id="title" name="title" value="{{ title }}"></form>
<p id="saved">{{ title }}</p><p id="ticks">{{ ticks }}</p></main>`;
  count = signal(0);
  title = signal("");
  ticks = signal(0);

  override mount(): void {
    this.setInterval(() => this.ticks.value++, 100);
  }
  @eventHandler()
  inc(): void {
    this.count.value++;
  }
  @eventHandler()
  edit(params: { title?: string }): void {
    this.title.value = String(params.title ?? "");
  }
}

/** The same page after a deploy that renamed `count` to `total`. */
export class RenamedEditor extends LiveView {
  static override template = `<main>
<p id="count">{{ total }}</p><button id="inc" dj-click="inc">+</button></main>`;
  total = signal(0);
  @eventHandler()
  inc(): void {
    this.total.value++;
  }
}

/** The app: `/editor` (or its renamed version). */
export function durableApp(options: AppOptions & { renamed?: boolean } = {}): App {
  const { renamed, ...appOptions } = options;
  const app = new App({
    secret: "durable-state-e2e",
    logger: () => {},
    persistIntervalMs: 50,
    ...appOptions,
  });
  app.live("/editor", renamed ? RenamedEditor : Editor);
  app.get("/health", () => new Response("ok"));
  return app;
}
