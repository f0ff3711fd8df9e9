import fs from "node:fs";

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__LEADLEDGER_TEST_PG__ as
    | { pg: { stop(): Promise<void> }; dataDir: string }
    | undefined;
  if (!state) return;
  await state.pg.stop();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
