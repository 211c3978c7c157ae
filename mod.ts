/**
 * djust: Phoenix-LiveView-style reactive server rendering for Deno, with Django templates.
 *
 * State lives on the server in signals; templates are Django templates; the browser is a thin
 * WebSocket client that applies small, anchor-addressed patches. This entry point is the
 * application API; the template engine's extension API is in `@djust/djust/template`, the Redis
 * adapters in `@djust/djust/redis` and the test toolkit in `@djust/djust/testing`.
 *
 * @example
 * ```ts
 * import { App, eventHandler, LiveView, signal } from "@djust/djust";
 *
 * class Counter extends LiveView {
 *   static override template = `<button dj-click="increment">{{ count }}</button>`;
 *   count = signal(0);
 *   @eventHandler()
 *   increment(): void {
 *     this.count.value++;
 *   }
 * }
 *
 * const app = new App();
 * app.live("/", Counter);
 * // Deno.serve({ port: 8000 }, app.fetch);
 * ```
 * @module
 */

// Applications and views
export { App, type AppOptions } from "./lib/server/app.ts";
export type { AppMetrics } from "./lib/server/connection.ts";
export type { Handler, RouteOptions } from "./lib/server/router.ts";
export { MemorySessionStore, type MemorySessionStoreOptions } from "./lib/session/memory_store.ts";
export { Session, type SessionData, type SessionStore } from "./lib/session/session.ts";
export {
  type AuthOptions,
  loginRequired,
  type MountContext,
  type OnMountHook,
  permissionRequired,
  safeNextUrl,
} from "./lib/server/auth.ts";
export { NotFound, PermissionDenied, Redirect } from "./lib/live/exceptions.ts";
export {
  StaticFileNotFound,
  StaticFiles,
  type StaticFilesOptions,
  type StopWatching,
} from "./lib/server/static.ts";
export { registerStaticTag } from "./lib/server/static_tag.ts";
export { LiveView, type TerminateReason } from "./lib/live/view.ts";
export { type ComponentClass, type ComponentMessage, LiveComponent } from "./lib/live/component.ts";
export type { ViewClass } from "./lib/live/mounted.ts";
export {
  eventHandler,
  type EventHandlerDecorator,
  type EventHandlerOptions,
  type EventParams,
} from "./lib/live/handlers.ts";
export { type FormSchema, type FormState, LiveForm } from "./lib/live/form.ts";
export { type AsyncOutcome, AsyncResult, asyncResult } from "./lib/live/async_work.ts";
export { type StreamAt, type StreamOptions } from "./lib/live/streams.ts";
export {
  type UploadedEntry,
  type UploadEntryInfo,
  type UploadEntryView,
  uploadErrors,
  type UploadOptions,
  type UploadSlot,
} from "./lib/live/uploads/index.ts";
export type { UploadSettings } from "./lib/server/options.ts";
export type { ExternalTarget } from "./lib/live/protocol.ts";
export {
  batch,
  computed,
  effect,
  type ReadonlySignal,
  type Signal,
  signal,
} from "./lib/live/signals.ts";

// Real-time
export type { PubSubAdapter, TopicHandler } from "./lib/pubsub/adapter.ts";
export { MemoryPubSub } from "./lib/pubsub/memory.ts";
export { type BroadcastOptions, PubSub } from "./lib/pubsub/pubsub.ts";
export {
  Presence,
  type PresenceDiff,
  type PresenceEntry,
  type PresenceList,
  type PresenceOptions,
} from "./lib/pubsub/presence.ts";

// The wire protocol's vocabulary (for hooks and tools that read patches)
export {
  ERROR_CODES,
  type ErrorCode,
  type PatchOp,
  type StreamChangeWire,
} from "./lib/live/protocol.ts";

// Templates: what an application renders and catches (the extension API is in ./template)
export { Engine, type EngineOptions } from "./lib/template/engine.ts";

export { isSafe, markSafe, SafeString } from "./lib/template/safe.ts";
export {
  NoReverseMatch,
  TemplateDoesNotExist,
  TemplateError,
  type TemplatePosition,
  TemplateRenderError,
  TemplateSyntaxError,
} from "./lib/template/errors.ts";
export type { LocalesOptions } from "./lib/template/i18n/translations.ts";
export { VariableDoesNotExist } from "./lib/template/expression.ts";
