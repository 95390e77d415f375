import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Two pages from one build: the console (index.html) and the offline GraphiQL page (graphiql.html).
// The output goes inside the Python package, which serves it; nothing is loaded from elsewhere.
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: "../graph_api/console/dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    // The icon is a file of its own: the page's Content-Security-Policy refuses data: URLs.
    assetsInlineLimit: (file: string) => (file.endsWith("favicon.svg") ? false : undefined),
    rollupOptions: {
      input: { console: "index.html", graphiql: "graphiql.html" },
      // React's compiler runtime (inside GraphiQL) carries a directive bundlers drop, harmlessly.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
