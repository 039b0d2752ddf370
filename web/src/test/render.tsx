import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, parsePath, RouterProvider } from "react-router";

import { I18nProvider } from "../i18n/I18nProvider";
import type { Language } from "../i18n/languages";

/**
 * Renders one page as the app would (router, language), for component tests under
 * `// @vitest-environment happy-dom`.
 */
export function renderPage(
  page: ReactElement,
  {
    path = "/",
    url = path,
    language = "en",
    state = null,
  }: { path?: string; url?: string; language?: Language; state?: unknown } = {},
): RenderResult {
  const router = createMemoryRouter([{ path, element: page }, { path: "*", element: <p>elsewhere</p> }], {
    initialEntries: [{ ...parsePath(url), state }],
  });
  return render(
    <I18nProvider language={language}>
      <RouterProvider router={router} />
    </I18nProvider>,
  );
}
