/** Small views used by server and toolkit tests. */
import { App, eventHandler, LiveView, signal } from "../../mod.ts";

/** A counter with a handler that throws and a private field. */
export class Probe extends LiveView {
  static override bindable = ["n", "id"];
  static override template =
    `<p id="n">{{ n }}</p><p id="ctx">{{ secret }}</p><p id="id">{{ id }}</p>`;
  n = signal(0);
  id = "";
  _secret = "hidden";

  override mount(_request: Request, params: Record<string, string>): void {
    this.id = params.id ?? "";
  }

  @eventHandler()
  inc(params: { by?: string }): void {
    this.n.value += Number(params.by ?? 1);
  }

  @eventHandler()
  explode(): void {
    this.n.value = 99;
    throw new Error("boom");
  }

  notAHandler(): void {
    this.n.value = -1;
  }
}

/** An app serving Probe at /probe and /items/:id. */
export function probeApp(options: ConstructorParameters<typeof App>[0] = {}): App {
  const app = new App({ secret: "test-secret", logger: () => {}, ...options });
  app.live("/probe", Probe);
  app.live("/items/:id", Probe, { name: "item" });
  app.get("/health", () => new Response("ok"));
  return app;
}
