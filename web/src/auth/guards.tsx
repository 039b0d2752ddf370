import { Navigate, Outlet, useLocation } from "react-router";

import { ForbiddenPage } from "../pages/ForbiddenPage";
import { paths } from "../paths";
import { session } from "./session";
import { useSession } from "./useSession";

/** Where to come back to after logging in: `/login?next=/products/123`. */
export function loginPathFor(next: string): string {
  return `${paths.login}?next=${encodeURIComponent(next)}`;
}

/** A visitor goes to the login and comes back; after "Log out", to the login alone. */
function toLogin(next: string) {
  const target = session.endedBy === "logout" ? paths.login : loginPathFor(next);
  return <Navigate to={target} replace />;
}

/** A route element for the pages that need a login (customers' and reviewers'). */
export function RequireLogin() {
  const current = useSession();
  const location = useLocation();
  if (current === null) return toLogin(location.pathname + location.search);
  return <Outlet />;
}

/** A route element for the back office: a login with the reviewer role. */
export function RequireReviewer() {
  const current = useSession();
  const location = useLocation();
  if (current === null) return toLogin(location.pathname + location.search);
  if (current.role !== "reviewer") return <ForbiddenPage />;
  return <Outlet />;
}
