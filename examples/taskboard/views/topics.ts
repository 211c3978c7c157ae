/**
 * The pub/sub topics the task board publishes on, and the messages on them. Messages carry what
 * changed, not the new state: each process reads the state from the database, so a message stays
 * small and a process that missed one is still right at its next read.
 */
import type { Activity } from "../data/model.ts";

/** The list of boards changed (one created or deleted). */
export const BOARDS_TOPIC = "taskboard:boards";

/** Topic of board `id`: its cards changed, or it was deleted. Presence is tracked on it too. */
export function boardTopic(id: number): string {
  return `taskboard:board:${id}`;
}

/** Topic of member `id`: their account changed (removed from the team). */
export function memberTopic(id: number): string {
  return `taskboard:member:${id}`;
}

/** What a board's topic carries. */
export type BoardMessage =
  | { type: "changed"; activity: Activity | null }
  | { type: "deleted"; by: string };

/** What a member's topic carries. */
export type MemberMessage = { type: "removed" };

/** True when `message` is a {@link BoardMessage}. */
export function isBoardMessage(message: unknown): message is BoardMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === "changed" || type === "deleted";
}

/** True when `message` is a {@link MemberMessage}. */
export function isMemberMessage(message: unknown): message is MemberMessage {
  return (message as { type?: unknown } | null)?.type === "removed";
}
