/**
 * Starts the example gallery: `deno task start`, then open http://127.0.0.1:8000/.
 * Needs no external service. Set PORT to change the port.
 */
import { createGalleryApp } from "./app.ts";

const port = Number(Deno.env.get("PORT") ?? 8000);
const app = createGalleryApp();
Deno.serve({ port, hostname: "127.0.0.1" }, app.fetch);
