/**
 * The example gallery as an App, shared by `deno task start` and the tests: every example under
 * one layout and stylesheet (`templates/`, `static/`), an index of cards at `/`, and each
 * example's source at `/source/:name`.
 */
import { fileURLToPath } from "node:url";
import { App, type AppOptions, type LiveView, NotFound, type ViewClass } from "../mod.ts";
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
import { Kanban } from "./kanban/kanban.ts";
import { StreamChat } from "./stream_chat/stream_chat.ts";
import { addAvatarRoutes, AvatarUpload } from "./avatar/avatar.ts";
import { Contacts } from "./contacts/contacts.ts";

/** One entry of the gallery. */
export interface Example {
  /** Route name, and the name in the source link (`/source/counter`). */
  name: string;
  path: string;
  /** The card's title on the index. */
  title: string;
  /** The page's `<title>`. */
  pageTitle: string;
  description: string;
  view: ViewClass;
  /** The view's file, relative to `examples/`: the only files `/source/:name` serves. */
  source: string;
}

/** Every example, in the order the gallery lists them. */
export const EXAMPLES: readonly Example[] = [
  {
    name: "counter",
    path: "/counter",
    title: "Counter",
    pageTitle: "Counter · djust",
    description: "State on the server, one text op per click.",
    view: Counter,
    source: "counter/counter.ts",
  },
  {
    name: "search",
    path: "/search",
    title: "Search",
    pageTitle: "Search · djust",
    description: "Search-as-you-type over 10,000 items, keyed results.",
    view: Search,
    source: "search/search.ts",
  },
  {
    name: "table",
    path: "/table",
    title: "1000-row table",
    pageTitle: "Table · djust",
    description: "Edit, toggle and delete rows; one row's bytes per change.",
    view: Table,
    source: "table/table.ts",
  },
  {
    name: "chat",
    path: "/chat",
    title: "Chat",
    pageTitle: "Chat · djust",
    description: "Messages over pub/sub and an online list from presence (open two tabs).",
    view: Chat,
    source: "chat/chat.ts",
  },
  {
    name: "cursors",
    path: "/cursors",
    title: "Cursors",
    pageTitle: "Cursors · djust",
    description: "Every user's pointer shown to the others, throttled in the browser.",
    view: Cursors,
    source: "cursors/cursors.ts",
  },
  {
    name: "feed",
    path: "/feed",
    title: "Live feed",
    pageTitle: "Live feed · djust",
    description:
      "Items POSTed to a plain HTTP endpoint appear on every page; a server clock ticks.",
    view: Feed,
    source: "feed/feed.ts",
  },
  {
    name: "signup",
    path: "/signup",
    title: "Sign-up form",
    pageTitle: "Sign up · djust",
    description:
      "Live validation with a zod schema: errors as you type, submit blocked while invalid.",
    view: Signup,
    source: "signup/signup.ts",
  },
  {
    name: "wizard",
    path: "/wizard",
    title: "Wizard",
    pageTitle: "Wizard · djust",
    description: "Three steps that keep their answers when you go back.",
    view: Wizard,
    source: "wizard/wizard.ts",
  },
  {
    name: "dashboard",
    path: "/dashboard",
    title: "Dashboard",
    pageTitle: "Dashboard · djust",
    description:
      "A chart updated every second by a server timer, and report panels loading on their own.",
    view: Dashboard,
    source: "dashboard/dashboard.ts",
  },
  {
    name: "todo",
    path: "/todo",
    title: "To-do list",
    pageTitle: "To-do · djust",
    description: "Optimistic toggles, rolled back when the server refuses (the locked item).",
    view: TodoList,
    source: "todo/todo.ts",
  },
  {
    name: "products",
    path: "/products",
    title: "Products",
    pageTitle: "Products · djust",
    description:
      "Paginated, sortable, filterable list with its state in the URL; back and forward work.",
    view: Products,
    source: "products/products.ts",
  },
  {
    name: "kanban",
    path: "/kanban",
    title: "Kanban board",
    pageTitle: "Kanban · djust",
    description:
      "Cards are live components with their own state; drag them between columns (open two tabs).",
    view: Kanban,
    source: "kanban/kanban.ts",
  },
  {
    name: "stream-chat",
    path: "/stream-chat",
    title: "Streamed chat",
    pageTitle: "Streamed chat · djust",
    description:
      "A 5,000-message history as a stream: older pages load as you scroll up; the server keeps none.",
    view: StreamChat,
    source: "stream_chat/stream_chat.ts",
  },
  {
    name: "avatar",
    path: "/avatar",
    title: "Avatar upload",
    pageTitle: "Avatar · djust",
    description: "Choose or drop images: previews, progress, cancel; works without JavaScript too.",
    view: AvatarUpload,
    source: "avatar/avatar.ts",
  },
  {
    name: "contacts",
    path: "/contacts",
    title: "Contacts",
    pageTitle: "Contacts · djust",
    description:
      "Django-style templates (extends, blocks, includes, with, a dialog component), patched part by part.",
    view: Contacts,
    source: "contacts/contacts.ts",
  },
];

/** A directory next to this file, as a path (whatever the current working directory is). */
function here(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

/**
 * Builds the gallery app. `options` go over the gallery's own (layout, templates, static files).
 *
 * @example
 * ```ts ignore
 * Deno.serve({ port: 8000 }, createGalleryApp().fetch);
 * ```
 */
export function createGalleryApp(options: AppOptions = {}): App {
  const app = new App({
    secret: Deno.env.get("DJUST_SECRET"),
    layout: "layout.html",
    templateDirs: [here("./templates")],
    staticDirs: { "/static": here("./static") },
    ...options,
  });
  for (const example of EXAMPLES) {
    app.live(example.path, demoOf(example), { name: example.name, title: example.pageTitle });
  }
  addFeedEndpoint(app);
  addAvatarRoutes(app);
  app.get("/health", () => new Response("ok"));
  app.get("/source/:example", (request, params) => sourcePage(app, request, params.example), {
    name: "source",
  });
  // app.render: the layout's flash messages, {% url %} and {% csrf_token %} work on plain pages too.
  app.get("/", (request) =>
    app.render(request, "index.html", {
      title: "djust examples",
      examples: EXAMPLES,
    }), { name: "gallery" });
  return app;
}

/**
 * The example's view as the gallery shows it: a line above the demo says what it shows and links to
 * its source. The line is part of the view's template rather than of the layout because a live
 * navigation to another example (products → counter) replaces the view and keeps the layout: the
 * layout cannot know which example it holds.
 */
function demoOf(example: Example): ViewClass {
  const view = example.view;
  const intro = `<div class="demo-intro"><p>${escapeText(example.description)}</p>` +
    `<a class="source-link button secondary" href="/source/${example.name}">View source</a></div>`;
  const Demo = class extends (view as unknown as typeof LiveView) {
    // On the template's first line (each example's starts with a newline): error lines stay right.
    static override template = intro + view.template;
  };
  Object.defineProperty(Demo, "name", { value: view.name }); // logs and errors name the example
  return Demo as unknown as ViewClass;
}

/**
 * `GET /source/:example`: the example's file as a page. The name is looked up in EXAMPLES and only
 * that entry's file is read, so nothing from the URL becomes a path (`..` is just an unknown name).
 */
async function sourcePage(app: App, request: Request, name: string): Promise<Response> {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example) throw new NotFound(`No example named ${JSON.stringify(name)}`);
  const lines = (await Deno.readTextFile(new URL(example.source, import.meta.url))).split("\n");
  if (lines.at(-1) === "") lines.pop();
  return app.render(request, "source.html", {
    title: `${example.source} · djust`,
    example,
    lines,
  });
}

/** Escapes text for HTML, and `{` so the text cannot open a template tag. */
function escapeText(text: string): string {
  return text.replace(/[&<>"{]/g, (c) => `&#${c.charCodeAt(0)};`);
}
