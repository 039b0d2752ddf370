/** For component tests: the text an element's aria-describedby points at (its hint and error), as screen readers read it. */
export const describedBy = (element: HTMLElement): string =>
  (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
