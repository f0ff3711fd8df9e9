/**
 * `npx tsx test/bench/<name>.bench.ts` runs one benchmark on its own: prints its figures as
 * `npm run bench` does, then exits (0, or 1 when it could not run).
 */
export function runAlone(mod: NodeModule, bench: () => Promise<{ name: string; lines: string[] }>): void {
  if (require.main !== mod) return;
  bench().then(
    (r) => {
      console.log(`# ${r.name}\n${r.lines.join("\n")}`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
