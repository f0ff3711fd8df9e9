/**
 * The webhooks bench's worker process: the pipeline `npm run worker` runs (startJobs), on the
 * bench's database, with the bench's shortened retry schedule. Started and stopped by test/bench/webhooks.bench.ts over IPC.
 */
import pino from "pino";
import { startJobs } from "../../jobs/start";
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/client";
import { createDeps } from "../../server/deps";
import type { DeliveryPolicy } from "../../server/domain/webhooks/retry";
import { TEST_TWILIO_AUTH_TOKEN } from "../support/twilio";

async function main() {
  const database = connectDatabase(process.env.BENCH_DATABASE_URL!, { max: 20 });
  const config = loadConfig({ NODE_ENV: "test", PUBLIC_URL: process.env.BENCH_PUBLIC_URL!, SEED: "false", JOBS: "true", LOG_LEVEL: "silent" });
  const policy = JSON.parse(process.env.BENCH_DELIVERY_POLICY!) as DeliveryPolicy;
  const deps = createDeps({ config, database, logger: pino({ level: "silent" }), fakeTwilioAuthToken: TEST_TWILIO_AUTH_TOKEN, deliveryPolicy: policy });
  const jobs = await startJobs(deps);
  process.on("message", (m) => {
    if (m !== "stop") return;
    void (async () => {
      await jobs.stop(5_000);
      deps.webhooks.close();
      await database.close();
      process.send!("stopped", () => process.exit(0));
    })();
  });
  process.send!("ready");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
