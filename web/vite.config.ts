import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Three pages, served by the ledger itself (gateways/static_files.cc):
// / -> index.html, /track -> track.html, /officer -> officer.html.
// `npm run dev` proxies the API to a ledger on PL_API (default 127.0.0.1:8080).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        track: resolve(import.meta.dirname, 'track.html'),
        officer: resolve(import.meta.dirname, 'officer.html'),
      },
    },
  },
  server: {
    proxy: {
      '/v1': `http://${process.env.PL_API ?? '127.0.0.1:8080'}`,
      '/healthz': `http://${process.env.PL_API ?? '127.0.0.1:8080'}`,
    },
  },
});
