/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// `npm run dev`: Vite's dev server with hot reload, next to a running `make run`. The API is
// proxied under /api (same origin, so no CORS), and /config.json points the app at it.
const apiForDev = process.env.CPS_API_URL ?? "http://127.0.0.1:8000";

function devRuntimeConfig(): Plugin {
  return {
    name: "cps-dev-runtime-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (_request, response) => {
        response.setHeader("Content-Type", "application/json");
        response.end(JSON.stringify({ apiUrl: "/api", stage: "local", stripePublishableKey: null }));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devRuntimeConfig()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": {
        target: apiForDev,
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\/api/, ""),
      },
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    testTimeout: 30_000, // a bound on a hang, as the setup's wait (make test shares the cores)
    // The test files share a worker's modules and DOM instead of each loading its own: 14 s
    // instead of 40 s. Each file leaves nothing behind (what it rendered is unmounted after each
    // test: every file that renders calls `cleanup`; the fake API is per test); a shuffled
    // order passes the same.
    isolate: false,
  },
});
