/** The example gallery as an App, shared by `deno task start` and the tests. */
import { App, type AppOptions } from "../mod.ts";
import { Counter } from "./counter/counter.ts";
import { Search } from "./search/search.ts";
import { Table } from "./table/table.ts";
import { Chat } from "./chat/chat.ts";
import { Cursors } from "./cursors/cursors.ts";
import { addFeedEndpoint, Feed } from "./feed/feed.ts";
import { Signup } from "./signup/signup.ts";
import { Wizard } from "./wizard/wizard.ts";
import { Dashboard } from "./dashboard/dashboard.ts";
import { TodoList } from "./todo/todo.ts";
import { Products } from "./products/products.ts";
import { addAvatarRoutes, AvatarUpload } from "./avatar/avatar.ts";

/** One entry of the gallery. */
export interface Example {
  path: string;
  title: string;
  description: string;
}

/** Every example, in the order the gallery lists them. */
export const EXAMPLES: readonly Example[] = [
  {
    path: "/counter",
    title: "Counter",
    description: "State on the server, one text op per click.",
  },
  {
    path: "/search",
    title: "Search",
    description: "Search-as-you-type over 10,000 items, keyed results.",
  },
  {
    path: "/table",
    title: "1000-row table",
    description: "Edit, toggle and delete rows; one row's bytes per change.",
  },
  {
    path: "/chat",
    title: "Chat",
    description: "Messages over pub/sub and an online list from presence (open two tabs).",
  },
  {
    path: "/cursors",
    title: "Cursors",
    description: "Every user's pointer shown to the others, throttled in the browser.",
  },
  {
    path: "/feed",
    title: "Live feed",
    description:
      "Items POSTed to a plain HTTP endpoint appear on every page; a server clock ticks.",
  },
  {
    path: "/signup",
    title: "Sign-up form",
    description:
      "Live validation with a zod schema: errors as you type, submit blocked while invalid.",
  },
  {
    path: "/wizard",
    title: "Wizard",
    description: "Three steps that keep their answers when you go back.",
  },
  {
    path: "/dashboard",
    title: "Dashboard",
    description: "Counters and an SVG sparkline updated by a server timer.",
  },
  {
    path: "/todo",
    title: "To-do list",
    description: "Optimistic toggles, rolled back when the server refuses (the locked item).",
  },
  {
    path: "/products",
    title: "Products",
    description:
      "Paginated, sortable, filterable list with its state in the URL; back and forward work.",
  },
  {
    path: "/avatar",
    title: "Avatar upload",
    description: "Choose or drop images: previews, progress, cancel; works without JavaScript too.",
  },
];

/** Builds the gallery app. */
export function createGalleryApp(options: AppOptions = {}): App {
  const app = new App({ secret: Deno.env.get("DJUST_SECRET"), ...options });
  app.live("/counter", Counter, { name: "counter", title: "Counter · djust" });
  app.live("/search", Search, { name: "search", title: "Search · djust" });
  app.live("/table", Table, { name: "table", title: "Table · djust" });
  app.live("/chat", Chat, { name: "chat", title: "Chat · djust" });
  app.live("/feed", Feed, { name: "feed", title: "Live feed · djust" });
  app.live("/cursors", Cursors, { name: "cursors", title: "Cursors · djust" });
  app.live("/signup", Signup, { name: "signup", title: "Sign up · djust" });
  app.live("/wizard", Wizard, { name: "wizard", title: "Wizard · djust" });
  app.live("/dashboard", Dashboard, { name: "dashboard", title: "Dashboard · djust" });
  app.live("/todo", TodoList, { name: "todo", title: "To-do · djust" });
  app.live("/products", Products, { name: "products", title: "Products · djust" });
  app.live("/avatar", AvatarUpload, { name: "avatar", title: "Avatar · djust" });
  addFeedEndpoint(app);
  addAvatarRoutes(app);
  app.get("/health", () => new Response("ok"));
  app.get(
    "/",
    () => new Response(galleryPage(), { headers: { "content-type": "text/html; charset=utf-8" } }),
    { name: "gallery" },
  );
  return app;
}

function galleryPage(): string {
  const items = EXAMPLES.map((e) =>
    `<li><a href="${e.path}">${e.title}</a> — ${e.description}</li>`
  ).join("\n    ");
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>djust examples</title></head>
<body>
  <h1>djust examples</h1>
  <ul class="examples">
    ${items}
  </ul>
</body>
</html>
`;
}
