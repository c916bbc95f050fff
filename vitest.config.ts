import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // builds dist/ when stale (the CLI tests run bin/runbook.js), then brings up the shared lab
          // `itest` once per run (see setup/lab.ts for the pattern)
          globalSetup: ["test/integration/setup/build.ts", "test/integration/setup/lab.ts"],
          // One lab per suite run; files share it, so they run one after another.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
