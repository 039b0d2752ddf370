import { describe, expect, it } from "vitest";

import { UploadFailed, uploadDocument, type PresignedUpload } from "./upload";

const ticket = (expiresInMs = 60_000): PresignedUpload => ({
  url: "https://documents.s3.test/",
  fields: { key: "applications/a1/upload-1", policy: "cG9saWN5", "x-amz-signature": "abc" },
  expires_at: new Date(Date.now() + expiresInMs).toISOString(),
  max_bytes: 10 * 1024 * 1024,
  accepted_types: ["application/pdf", "image/jpeg", "image/png"],
});

const proof = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], "proof.pdf", { type: "application/pdf" });

describe("the upload straight to S3", () => {
  it("posts every presigned field, then the file last, to the upload's URL", async () => {
    const sent: { url: string; method: string; names: string[]; file: FormDataEntryValue | null }[] = [];
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const form = init?.body as FormData;
      sent.push({ url: String(input), method: init?.method ?? "GET", names: [...form.keys()], file: form.get("file") });
      return new Response(null, { status: 204 });
    }) as typeof fetch;

    await uploadDocument(ticket(), proof, fetchFn);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: "https://documents.s3.test/", method: "POST" });
    expect(sent[0]?.names).toEqual(["key", "policy", "x-amz-signature", "file"]);
    expect((sent[0]?.file as File).name).toBe("proof.pdf");
  });

  it("does not post with an expired link", async () => {
    const fetchFn = (async () => new Response(null, { status: 204 })) as typeof fetch;
    await expect(uploadDocument(ticket(-1_000), proof, fetchFn)).rejects.toMatchObject({ kind: "expired" });
  });

  it("tells a refusal by S3 from a lost connection", async () => {
    const refused = (async () => new Response("<Error>EntityTooLarge</Error>", { status: 400 })) as typeof fetch;
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(uploadDocument(ticket(), proof, refused)).rejects.toMatchObject({ kind: "refused" });
    await expect(uploadDocument(ticket(), proof, offline)).rejects.toBeInstanceOf(UploadFailed);
    await expect(uploadDocument(ticket(), proof, offline)).rejects.toMatchObject({ kind: "network" });
  });
});
