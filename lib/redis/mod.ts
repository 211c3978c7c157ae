/**
 * Redis adapters for running djust on several processes: pub/sub and presence across processes.
 * Importing this entry point loads `npm:redis`; the root entry point never does.
 *
 * @example
 * ```ts ignore
 * import { App } from "@djust/djust";
 * import { RedisPubSub } from "@djust/djust/redis";
 * const app = new App({ pubsub: new RedisPubSub({ url: "redis://127.0.0.1:6379" }) });
 * ```
 * @module
 */
export { RedisPubSub, type RedisPubSubOptions } from "./pubsub.ts";
