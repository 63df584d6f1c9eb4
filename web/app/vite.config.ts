/// <reference types="vitest" />
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes where the Go package internal/webapp embeds it from
// (go:embed cannot reach outside its package directory).
const outDir = fileURLToPath(new URL('../../internal/webapp/dist', import.meta.url));

// keepPlaceholder writes back dist/.gitkeep, which emptying outDir removes:
// the directory is in git so that the Go code compiles before any build.
const keepPlaceholder = (): Plugin => ({
  name: 'torque-keep-placeholder',
  apply: 'build',
  closeBundle() {
    writeFileSync(`${outDir}/.gitkeep`, '');
  },
});

export default defineConfig({
  base: '/app/',
  plugins: [react(), keepPlaceholder()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
