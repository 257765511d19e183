/// <reference types="node" />
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// `wails dev` runs `npm run dev` and reads the "Local:" URL that Vite prints
// (wails.json "frontend:dev:serverUrl": "auto"), so any free port works.
// VITE_PORT pins one when two dev servers run side by side.
const port = Number(process.env.VITE_PORT ?? 5173);

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  server: {
    host: '127.0.0.1',
    port,
    strictPort: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test-setup.ts'],
  },
});
