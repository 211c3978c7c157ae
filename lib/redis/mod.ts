/**
 * Redis adapters for running djust on several processes: pub/sub and presence across processes,
 * and sessions every process shares.
 * Importing this entry point loads `npm:redis`; the root entry point never does.
 *
 * @example
 * ```ts ignore
 * import { App } from "@djust/djust";
 * import { RedisPubSub, RedisSessionStore } from "@djust/djust/redis";
 * const url = "redis://127.0.0.1:6379";
 * const app = new App({
 *   pubsub: new RedisPubSub({ url }),
 *   sessionStore: new RedisSessionStore({ url }),
 * });
 * ```
 * @module
 */
export { RedisPubSub, type RedisPubSubOptions } from "./pubsub.ts";
export { RedisSessionStore, type RedisSessionStoreOptions } from "./session_store.ts";
