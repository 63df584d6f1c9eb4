/// <reference types="vitest" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes where the Go package internal/webapp embeds it from
// (go:embed cannot reach outside its package directory).
const outDir = fileURLToPath(new URL('../../internal/webapp/dist/editor', import.meta.url));

export default defineConfig({
  base: '/editor/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: 'node',
    include: ["src/**/*.test.ts"],
  },
});
