import type { ReactNode } from "react";

/**
 * A message about the whole form (refused, sent, failed), shown above its button. Screens
 * also `announce()` it: this box is for sighted users, the live region for screen readers.
 */
export function FormMessage({
  tone,
  children,
  id,
}: {
  tone: "error" | "success" | "info";
  children: ReactNode;
  id?: string;
}) {
  return (
    <div id={id} className={`form-message form-message--${tone}`}>
      {children}
    </div>
  );
}
