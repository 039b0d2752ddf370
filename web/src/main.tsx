import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { configureApi } from "./api/client";
import { App } from "./App";
import { loadRuntimeConfig } from "./config";
import { initialLanguage } from "./i18n/I18nProvider";
import { translate } from "./i18n/languages";
import "./styles.css";

async function start(): Promise<void> {
  const root = createRoot(document.getElementById("root")!);
  try {
    const config = await loadRuntimeConfig();
    configureApi(config.apiUrl);
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  } catch (error) {
    console.error(error);
    const language = initialLanguage();
    document.documentElement.lang = language;
    root.render(
      <main id="main" className="site-main">
        <h1>{translate(language, "app.name")}</h1>
        <p role="alert">{translate(language, "app.startFailed")}</p>
      </main>,
    );
  }
}

void start();
