/**
 * `npm run bench`: runs every benchmark in test/bench/ one after another and prints its figures.
 * Benchmarks report ratios against baselines measured in the same run; they never fail on speed.
 * Run one alone with `npx tsx test/bench/<name>.bench.ts`, or `npm run bench -- intake rule-engine`.
 */
import fs from "node:fs";
import path from "node:path";

type Bench = () => Promise<{ name: string; lines: string[] }>;

async function main() {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  console.log(`LeadLedger benchmarks (${new Date().toISOString()}, node ${process.version})\n`);
  let failed = 0;
  for (const file of files) {
    const mod = require(path.join(__dirname, file)) as Record<string, unknown>;
    const fn = Object.entries(mod).find(([k, v]) => k.startsWith("bench") && typeof v === "function")?.[1] as Bench | undefined;
    if (!fn) continue;
    try {
      const r = await fn();
      console.log(`# ${r.name}\n${r.lines.join("\n")}\n`);
    } catch (e) {
      failed++;
      console.log(`# ${file}: could not run — ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
