import { checkEvidenceFile, evidenceContentType, MAX_EVIDENCE_BYTES, safeFilename } from "../../../server/domain/disputes/evidence-file";
import { DomainError } from "../../../server/domain/errors";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return "OK";
}

describe("evidence files", () => {
  it.each([
    ["image/png", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a], "rest")],
    ["image/jpeg", bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF")],
    ["image/webp", bytes("RIFF", [1, 0, 0, 0], "WEBPVP8 ")],
    ["audio/mpeg", bytes("ID3", [4, 0, 0])],
    ["audio/mpeg", bytes([0xff, 0xfb, 0x90, 0x00])],
    ["audio/wav", bytes("RIFF", [1, 0, 0, 0], "WAVEfmt ")],
    ["application/pdf", bytes("%PDF-1.4\n")],
    ["image/PNG; charset=binary", bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a])],
  ])("accepts %s whose bytes match", (type, body) => {
    expect(code(() => checkEvidenceFile(type, body))).toBe("OK");
  });

  it.each([["text/html"], ["image/svg+xml"], ["application/octet-stream"], [""], [undefined]])("refuses the type %p with UNSUPPORTED_MEDIA_TYPE", (type) => {
    expect(code(() => checkEvidenceFile(type, bytes("%PDF-1.4")))).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses bytes that do not match the declared type", () => {
    expect(code(() => checkEvidenceFile("image/png", bytes("<html><script>alert(1)</script>")))).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(code(() => checkEvidenceFile("audio/wav", bytes("RIFF", [1, 0, 0, 0], "WEBP")))).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses an empty file and one over 5 MB", () => {
    expect(code(() => checkEvidenceFile("application/pdf", Buffer.alloc(0)))).toBe("VALIDATION_FAILED");
    expect(code(() => checkEvidenceFile("application/pdf", Buffer.concat([bytes("%PDF-"), Buffer.alloc(MAX_EVIDENCE_BYTES - 4)])))).toBe("PAYLOAD_TOO_LARGE");
    expect(code(() => checkEvidenceFile("application/pdf", Buffer.concat([bytes("%PDF-"), Buffer.alloc(MAX_EVIDENCE_BYTES - 5)])))).toBe("OK");
  });

  it("normalizes common aliases of audio types", () => {
    expect(evidenceContentType("audio/x-wav")).toBe("audio/wav");
    expect(evidenceContentType("audio/mp3")).toBe("audio/mpeg");
  });

  it("keeps only a plain file name", () => {
    expect(safeFilename("../../etc/passwd")).toBe("passwd");
    expect(safeFilename("C:\\Users\\me\\shot.png")).toBe("shot.png");
    expect(safeFilename('a"b\u0000.png')).toBe("ab.png");
    expect(safeFilename("..")).toBeNull();
    expect(safeFilename(null)).toBeNull();
  });
});
