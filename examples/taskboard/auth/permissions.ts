/**
 * Who may do what, in one place: the App's `auth` options (who the session's user is, which
 * permissions they hold) and the permission names views and routes check.
 *
 * Every live route needs a signed-in member (`loginRequired()` app-wide); changing a board needs
 * `EDIT` (every active member: a member removed while their page is open is refused at their next
 * event); admin actions need `ADMIN` (the first account, and whoever an admin promotes).
 */
import type { AuthOptions, Session } from "../../../mod.ts";
import type { User } from "../data/model.ts";
import type { TaskStore } from "../data/store.ts";

/** Changing cards and boards: every active member. */
export const EDIT = "board.edit";
/** Deleting boards, managing members: admins only. */
export const ADMIN = "admin";

/** The `auth` option of the App: users come from the store, as it is at every check. */
export function taskboardAuth(store: TaskStore): AuthOptions {
  return {
    user: (session: Session) => userOf(store, session),
    hasPermission: (user, permission) => {
      const u = user as User | null;
      if (!u) return false;
      if (permission === EDIT) return true;
      if (permission === ADMIN) return u.isAdmin;
      return false;
    },
    loginUrl: "/login",
  };
}

/** The active member signed in on `session`, or null (anonymous, or removed since). */
export function userOf(store: TaskStore, session: Session): User | null {
  const id = Number(session.userId);
  return Number.isSafeInteger(id) && id > 0 ? store.activeUser(id) : null;
}
