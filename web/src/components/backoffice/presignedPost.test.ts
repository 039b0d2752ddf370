import { describe, expect, it } from "vitest";

import { postToS3, presignedForm, UploadFailed } from "./presignedPost";

const POST = { url: "https://bucket.s3.test/", fields: { key: "legacy-imports/abc.csv", policy: "p", "x-amz-signature": "s" } };

describe("an upload with a presigned POST", () => {
  it("sends exactly the returned fields, then the file last", () => {
    const form = presignedForm(POST, new Blob(["email,sku\n"]), "export.csv");
    expect([...form.keys()]).toEqual(["key", "policy", "x-amz-signature", "file"]);
    expect(form.get("key")).toBe("legacy-imports/abc.csv");
  });

  it("tells an expired link from a refused file and an unreachable store", async () => {
    const file = new File(["email\n"], "export.csv", { type: "text/csv" });
    const answer = (status: number) => (async () => new Response(null, { status })) as typeof fetch;
    await expect(postToS3(POST, file, answer(204))).resolves.toBeUndefined();
    await expect(postToS3(POST, file, answer(403))).rejects.toMatchObject({ problem: "expired" });
    await expect(postToS3(POST, file, answer(400))).rejects.toMatchObject({ problem: "refused" });
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(postToS3(POST, file, offline)).rejects.toBeInstanceOf(UploadFailed);
  });
});
