/** The boards index (`/`): every board of the team, and a form to start a new one. */
import { eventHandler, type EventParams, signal } from "../../../mod.ts";
import { type Board, LIMITS } from "../data/model.ts";
import { EDIT } from "../auth/permissions.ts";
import { TaskboardView } from "./base.ts";
import { BOARDS_TOPIC } from "./topics.ts";

/** Lists boards live: one created or deleted by anyone shows on every open index. */
export class BoardsView extends TaskboardView {
  static override templateName = "boards.html";

  boards = signal<Board[]>([]);
  error = signal("");

  override mount(request: Request, params: Record<string, string>): void {
    super.mount(request, params);
    this.subscribe(BOARDS_TOPIC);
    this.boards.value = this.services.store.boards();
    this.pageTitle.value = "Boards · Taskboard";
  }

  protected override receive(message: unknown): void {
    if ((message as { type?: string }).type === "boards") {
      this.boards.value = this.services.store.boards();
    }
  }

  @eventHandler({ permission: EDIT })
  create(params: EventParams): void {
    const name = String(params.name ?? "").trim();
    if (!name || name.length > LIMITS.title) {
      this.error.value = `Give the board a name (at most ${LIMITS.title} characters).`;
      return;
    }
    this.error.value = "";
    const board = this.services.store.createBoard(name, this.me.id);
    this.services.store.addActivity(board.id, this.me.id, "created the board");
    void this.broadcast(BOARDS_TOPIC, { type: "boards" });
    this.pushNavigate(`/boards/${board.id}`);
  }
}
