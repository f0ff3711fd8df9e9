import { DomainError } from "../errors";

/**
 * What a dispute evidence file may be: a screenshot, a recording or a PDF of at most 5 MB, whose
 * first bytes match its declared type (so a page can never be smuggled in as "image/png").
 */

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

export const EVIDENCE_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp", "audio/mpeg", "audio/wav", "application/pdf"] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

const LABEL: Record<EvidenceContentType, string> = {
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/webp": "a WebP image",
  "audio/mpeg": "an MP3 recording",
  "audio/wav": "a WAV recording",
  "application/pdf": "a PDF document",
};

/** The media type without parameters, lower-cased; null when it is not an accepted evidence type. */
export function evidenceContentType(header: string | null | undefined): EvidenceContentType | null {
  const base = (header ?? "").split(";")[0]!.trim().toLowerCase();
  const normalized = base === "audio/x-wav" || base === "audio/wave" ? "audio/wav" : base === "audio/mp3" ? "audio/mpeg" : base;
  return (EVIDENCE_CONTENT_TYPES as readonly string[]).includes(normalized) ? (normalized as EvidenceContentType) : null;
}

export function unsupportedTypeError(header: string | null | undefined): DomainError {
  return new DomainError(
    "UNSUPPORTED_MEDIA_TYPE",
    `Evidence must be sent as one of ${EVIDENCE_CONTENT_TYPES.join(", ")}${header ? ` (got ${header.split(";")[0]!.trim()})` : " (no Content-Type given)"}.`,
  );
}

const ascii = (b: Uint8Array, from: number, text: string) => text.split("").every((c, i) => b[from + i] === c.charCodeAt(0));

/** Whether the bytes start like the declared type. */
export function matchesSignature(type: EvidenceContentType, b: Uint8Array): boolean {
  switch (type) {
    case "image/png":
      return b.length >= 8 && b[0] === 0x89 && ascii(b, 1, "PNG") && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a;
    case "image/jpeg":
      return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case "image/webp":
      return b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP");
    case "audio/wav":
      return b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE");
    case "audio/mpeg":
      return b.length >= 3 && (ascii(b, 0, "ID3") || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0));
    case "application/pdf":
      return b.length >= 5 && ascii(b, 0, "%PDF-");
  }
}

/** Checks size and signature; returns the normalized type. */
export function checkEvidenceFile(contentTypeHeader: string | null | undefined, body: Uint8Array): EvidenceContentType {
  const type = evidenceContentType(contentTypeHeader);
  if (!type) throw unsupportedTypeError(contentTypeHeader);
  if (body.length === 0) {
    throw new DomainError("VALIDATION_FAILED", "The evidence file is empty: send the file's bytes as the request body.", { issues: [{ path: ["body"], message: "is empty" }] });
  }
  if (body.length > MAX_EVIDENCE_BYTES) {
    throw new DomainError("PAYLOAD_TOO_LARGE", `Evidence files may be at most 5 MB; this one is ${(body.length / (1024 * 1024)).toFixed(1)} MB.`);
  }
  if (!matchesSignature(type, body)) {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", `The file does not look like ${LABEL[type]}, as its Content-Type says.`);
  }
  return type;
}

/** A filename safe to store and show: no path, no control characters, at most 200 characters. */
export function safeFilename(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    /* keep as given */
  }
  // eslint-disable-next-line no-control-regex
  const cleaned = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 200);
  return cleaned.length > 0 && cleaned !== "." && cleaned !== ".." ? cleaned : null;
}
