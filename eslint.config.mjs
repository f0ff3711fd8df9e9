import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", "public/build/", ".data/", ".cache/", "test-output/", "server/db/migrations/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", module: "writable", require: "readonly", __dirname: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", URL: "readonly", fetch: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: ["server/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["express", "@trpc/*", "@remix-run/*", "agenda", "@agendajs/*", "twilio", "drizzle-orm", "drizzle-orm/*", "pg", "../../db/*", "../../http/*", "../../trpc/*", "../../integrations/*"] }],
    },
  },
  {
    // Pages share the server's pure domain code instead of copying it, but only these modules:
    // they import nothing beyond zod, re2js and each other, so they are safe in a browser bundle.
    // Types may come from anywhere on the server (AppRouter, the load context): they are erased.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)server/(?!domain/(money-format|alerts/template|contracts/contract-document|qualification/verdict)$)",
              allowTypeImports: true,
              message: "app/ may import server code only from the allowed pure domain modules (money-format, alerts/template, contracts/contract-document, qualification/verdict); anything else as `import type`.",
            },
          ],
        },
      ],
    },
  },
);
