// Vite config of the editor. Built into client/dist, which the server serves; in
// development, `npx vite --config client/vite.config.ts` proxies /api and socket.io to
// a running `framefuse serve`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The `framefuse serve` the dev server proxies to. It answers only to its own Host and Origin, so the proxy speaks as it. */
const SERVER = 'http://127.0.0.1:8188';

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // The client imports src/model (the browser-safe core it shares with the server).
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: {
      '/api': { target: SERVER, changeOrigin: true, headers: { origin: SERVER } },
      '/socket.io': { target: SERVER, ws: true, changeOrigin: true, headers: { origin: SERVER } },
    },
  },
});
