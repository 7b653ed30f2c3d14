import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API and the socket run on the local dispatcher during development.
const backend = "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    // The polyfill is an inline script, which the production CSP (script-src 'self') blocks.
    modulePreload: { polyfill: false },
    // data: URIs are blocked by default-src 'self'; every asset must be a real file.
    assetsInlineLimit: 0,
    sourcemap: false,
    rollupOptions: {
      output: {
        // Libraries in a chunk of their own (it changes only when they do, so browsers keep it
        // cached across releases). Icons stay with the pages that draw them, so the first load
        // doesn't carry icons only lazily loaded pages use.
        manualChunks: (id: string) =>
          id.includes("/node_modules/") && !id.includes("/lucide-react/") ? "vendor" : undefined,
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: backend },
      "/ws": {
        target: backend,
        ws: true,
        // The socket handshake only accepts the portal's own Origin; in development the page
        // comes from Vite's port, so present the backend's origin instead.
        configure: (proxy) => {
          proxy.on("proxyReqWs", (proxyReq) => proxyReq.setHeader("origin", backend));
        },
      },
    },
  },
  test: {
    environment: "happy-dom",
    setupFiles: ["src/testing/setup.ts"],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
