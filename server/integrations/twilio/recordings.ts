/**
 * Downloads a call recording's audio so the portal can stream it without exposing Twilio
 * credentials. Twilio serves the same recording as .mp3 and .wav; we ask for mp3 (smaller) and
 * fall back to wav when mp3 answers 404.
 */
export interface FetchRecordingAudioInput {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE (a local fake); default https://api.twilio.com */
  apiBase?: string;
  recordingSid: string;
  /** Per request, default 30 000 ms. */
  timeoutMs?: number;
}

export interface RecordingAudio {
  contentType: string;
  body: Buffer;
}

export class RecordingFetchError extends Error {
  constructor(
    message: string,
    /** HTTP status of Twilio's answer, null when there was none (network error, timeout). */
    readonly httpStatus: number | null,
  ) {
    super(message);
    this.name = "RecordingFetchError";
  }
}

const DEFAULT_API_BASE = "https://api.twilio.com";

export function recordingMediaUrl(apiBase: string | undefined, accountSid: string, recordingSid: string, ext: "mp3" | "wav"): string {
  const base = (apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, "");
  return `${base}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Recordings/${encodeURIComponent(recordingSid)}.${ext}`;
}

export async function fetchRecordingAudio(input: FetchRecordingAudioInput): Promise<RecordingAudio> {
  if (!/^RE[0-9a-zA-Z]+$/.test(input.recordingSid)) {
    throw new RecordingFetchError(`not a recording SID: ${JSON.stringify(input.recordingSid)}`, null);
  }
  const auth = "Basic " + Buffer.from(`${input.accountSid}:${input.authToken}`).toString("base64");
  let lastStatus = 0;
  for (const ext of ["mp3", "wav"] as const) {
    const url = recordingMediaUrl(input.apiBase, input.accountSid, input.recordingSid, ext);
    let res: Response;
    try {
      // Redirects are followed (Twilio may hand media off to storage); fetch drops the
      // Authorization header when a redirect leaves the origin.
      res = await fetch(url, { headers: { Authorization: auth }, signal: AbortSignal.timeout(input.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new RecordingFetchError(`recording ${input.recordingSid}: ${err instanceof Error ? err.message : String(err)}`, null);
    }
    if (res.status === 404 && ext === "mp3") {
      await res.arrayBuffer().catch(() => undefined);
      lastStatus = 404;
      continue;
    }
    if (!res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      throw new RecordingFetchError(`recording ${input.recordingSid}: Twilio answered HTTP ${res.status}`, res.status);
    }
    const body = Buffer.from(await res.arrayBuffer());
    const contentType = res.headers.get("content-type") ?? (ext === "mp3" ? "audio/mpeg" : "audio/wav");
    return { contentType, body };
  }
  throw new RecordingFetchError(`recording ${input.recordingSid} not found`, lastStatus || 404);
}
