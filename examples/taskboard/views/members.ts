/**
 * The team (`/members`, admins only: the route has `permissionRequired(ADMIN)` and every handler
 * `permission: ADMIN`, checked again at each event). Admins promote members and remove them from
 * the team; a removed member's open pages leave at once (a message on their topic), and their next
 * event would be refused anyway, since permissions are checked against the database as it is now.
 */
import { eventHandler, type EventParams, signal } from "../../../mod.ts";
import type { User } from "../data/model.ts";
import { ADMIN } from "../auth/permissions.ts";
import { TaskboardView } from "./base.ts";
import { type MemberMessage, memberTopic } from "./topics.ts";

/** Topic the members page listens on, so two admins see each other's changes. */
const MEMBERS_TOPIC = "taskboard:members";

/** The members page. */
export class MembersView extends TaskboardView {
  static override templateName = "members.html";

  members = signal<User[]>([]);
  /** The member an admin asked to remove, awaiting confirmation (0: none). */
  confirmingRemove = signal(0);
  error = signal("");

  override mount(request: Request, params: Record<string, string>): void {
    super.mount(request, params);
    this.subscribe(MEMBERS_TOPIC);
    this.members.value = this.services.store.members();
    this.pageTitle.value = "Members · Taskboard";
  }

  protected override receive(): void {
    this.members.value = this.services.store.members();
  }

  override getContextData(): Record<string, unknown> {
    const id = this.confirmingRemove.value;
    return {
      ...super.getContextData(),
      removing: this.members.value.find((m) => m.id === id) ?? null,
    };
  }

  @eventHandler({ permission: ADMIN })
  askRemove(params: EventParams): void {
    const id = Number(params.id);
    if (id === this.me.id) {
      this.error.value = "You cannot remove yourself.";
      return;
    }
    this.error.value = "";
    this.confirmingRemove.value = this.members.value.some((m) => m.id === id) ? id : 0;
  }

  @eventHandler()
  cancelRemove(): void {
    this.confirmingRemove.value = 0;
  }

  @eventHandler({ permission: ADMIN })
  remove(params: EventParams): void {
    const id = Number(params.id);
    this.confirmingRemove.value = 0;
    if (id === this.me.id || !this.services.store.removeMember(id)) return;
    void this.broadcast(memberTopic(id), { type: "removed" } satisfies MemberMessage);
    this.#changed();
  }

  @eventHandler({ permission: ADMIN })
  setAdmin(params: EventParams): void {
    const id = Number(params.id), admin = params.admin === "true";
    if (!admin && this.services.store.adminCount() <= 1) {
      this.error.value = "The team needs at least one admin.";
      return;
    }
    this.error.value = "";
    if (this.services.store.setAdmin(id, admin)) this.#changed();
  }

  #changed(): void {
    this.members.value = this.services.store.members();
    void this.broadcast(MEMBERS_TOPIC, { type: "members" }, { exceptSelf: true });
  }
}
