import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/**
 * After a navigation inside the app, focus moves to the new page's h1 (as a page load would
 * start a screen reader at the top), and the window scrolls up. Not on the first load.
 */
export function useRouteFocus(): void {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>("main h1");
    if (heading) {
      heading.focus();
    }
    window.scrollTo(0, 0);
  }, [pathname]);
}
