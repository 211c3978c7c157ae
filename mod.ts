/**
 * djust: Phoenix-LiveView-style reactive server rendering for Deno, with Django templates.
 *
 * State lives on the server in signals; templates are Django templates; the browser is a thin
 * WebSocket client that applies small, anchor-addressed patches.
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

// Live views
export { App, type AppOptions } from "./lib/server/app.ts";
export { MemorySessionStore } from "./lib/server/sessions.ts";
export type { PubSubAdapter, TopicHandler } from "./lib/pubsub/adapter.ts";
export { MemoryPubSub } from "./lib/pubsub/memory.ts";
export { RedisPubSub, type RedisPubSubOptions } from "./lib/pubsub/redis.ts";
export { type BroadcastOptions, PubSub } from "./lib/pubsub/pubsub.ts";
export {
  Presence,
  type PresenceDiff,
  type PresenceEntry,
  type PresenceList,
  type PresenceOptions,
} from "./lib/pubsub/presence.ts";
export type { Handler, RouteOptions } from "./lib/server/router.ts";
export type { AppMetrics } from "./lib/server/session.ts";
export {
  eventHandler,
  type EventHandlerDecorator,
  type EventHandlerOptions,
  type EventParams,
  LiveView,
} from "./lib/live/view.ts";
export type { ViewClass } from "./lib/live/mounted.ts";
export { type FormSchema, LiveForm } from "./lib/live/form.ts";
export type { ClientMessage, ErrorCode, PatchOp, ServerMessage } from "./lib/live/protocol.ts";
export { batch, computed, effect, signal } from "@preact/signals-core";
export type { ReadonlySignal, Signal } from "@preact/signals-core";

// Templates
export {
  CodeWriter,
  Context,
  Engine,
  type EngineOptions,
  escapeHtml,
  type FilterArity,
  type FilterDefinition,
  type FilterEnv,
  FilterExpression,
  type FilterFunction,
  FilterRegistry,
  interpretNodes,
  isSafe,
  type LocalBinding,
  type LocalesOptions,
  markSafe,
  Node,
  type NodeList,
  NoReverseMatch,
  Parser,
  renderNodes,
  renderValue,
  SafeString,
  type SimpleTagOptions,
  type TagCompiler,
  TagRegistry,
  TagToken,
  Template,
  TemplateDoesNotExist,
  TemplateError,
  type TemplateHooks,
  type TemplatePosition,
  TemplateRenderError,
  TemplateSyntaxError,
  TextNode,
  Variable,
  VariableDoesNotExist,
  VariableNode,
} from "./lib/template/index.ts";
