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
  },
});
