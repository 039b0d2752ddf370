import { Navigate } from "react-router";

import { useSession } from "../auth/useSession";
import { paths } from "../paths";

/** "/": the start page of the user's role; the login page for a visitor. */
export function HomeRedirect() {
  const current = useSession();
  if (current === null) return <Navigate to={paths.login} replace />;
  return <Navigate to={current.role === "reviewer" ? paths.reviewApplications : paths.account} replace />;
}
