import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `const { cursor: _, ...row } = r` is how the code drops a field: the rest is what is used.
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }],
    },
  },
  // Generated or build output: never linted.
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "coverage/**",
    "e2e/.artifacts/**",
    "db/migrations/**",
    "e2e/support/api-types.ts",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    ".data/**",
    ".data-*/**",
  ]),
]);
