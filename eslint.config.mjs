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
    // Jobs and HTTP handlers reach data only through the use cases on Deps (server/deps.ts): no
    // repositories, schema or SQL here. (db/locks and db/pg-errors are start-up and error plumbing.)
    files: ["jobs/**/*.ts", "server/http/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["drizzle-orm", "drizzle-orm/*"], message: "SQL belongs in server/db/repositories, reached through a use case on Deps." },
            { group: ["**/db/repositories/*", "**/db/schema", "**/db/client"], message: "Reach data through a use case on Deps (server/deps.ts), not a repository." },
          ],
        },
      ],
    },
  },
  {
    // No production function over 80 lines (blank lines and comments aside) without its reason
    // written beside it (`eslint-disable-next-line max-lines-per-function -- reason`). The files
    // ignored here hold long functions being split in changes of their own.
    files: ["server/**/*.ts", "jobs/**/*.ts", "app/**/*.ts", "app/**/*.tsx"],
    ignores: [
      "server/domain/leads/submit-lead.ts",
      "server/domain/billing/close-period.ts",
      "server/db/repositories/intake.ts",
      "server/db/repositories/invoices.ts",
      "server/db/repositories/reports/**",
    ],
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Pages share the server's pure domain code instead of copying it, but only these modules:
    // they import nothing beyond zod, re2js, luxon and each other, so they are safe in a browser bundle.
    // Types may come from anywhere on the server (AppRouter, the load context): they are erased.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(\\.\\./)+server/(?!domain/(money-format|alerts/template|contracts/contract-document|qualification/verdict|qualification/describe|shared/weekday-names)$)",
              allowTypeImports: true,
              message: "app/ may import server code only from the allowed pure domain modules (money-format, alerts/template, contracts/contract-document, qualification/verdict, qualification/describe, shared/weekday-names); anything else as `import type`.",
            },
          ],
        },
      ],
    },
  },
);
