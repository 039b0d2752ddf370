import { createContext, useContext, useMemo } from "react";
import { createBrowserRouter, RouterProvider } from "react-router";

import type { RuntimeConfig } from "./config";
import { I18nProvider } from "./i18n/I18nProvider";
import { routes } from "./routes";

const RuntimeConfigContext = createContext<RuntimeConfig | null>(null);

/** The stage's configuration (/config.json): `stage`, `stripePublishableKey`, `apiUrl`. */
export function useRuntimeConfig(): RuntimeConfig {
  const config = useContext(RuntimeConfigContext);
  if (config === null) throw new Error("useRuntimeConfig() outside <App>");
  return config;
}

export function App({ config }: { config: RuntimeConfig }) {
  const router = useMemo(() => createBrowserRouter(routes), []);
  return (
    <RuntimeConfigContext.Provider value={config}>
      <I18nProvider>
        <RouterProvider router={router} />
      </I18nProvider>
    </RuntimeConfigContext.Provider>
  );
}
