import type { components } from "../../api/schema";

export type PresignedUpload = components["schemas"]["UploadOut"];

/** Why the document did not reach storage: refused (too large, link expired) or no connection. */
export class UploadFailed extends Error {
  override name = "UploadFailed";

  constructor(
    readonly kind: "refused" | "expired" | "network",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends the proof document straight from the browser to S3 with the presigned POST of the
 * API (`upload.url` + `upload.fields`): every field as a form field, the file last (S3
 * ignores what follows it). Nothing passes through our API; its answer is S3's (204).
 */
export async function uploadDocument(
  upload: PresignedUpload,
  file: File,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
): Promise<void> {
  if (Date.parse(upload.expires_at) <= Date.now()) {
    throw new UploadFailed("expired", "The upload link has expired.");
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file, file.name);
  let response: Response;
  try {
    response = await fetchFn(upload.url, { method: "POST", body: form });
  } catch (cause) {
    throw new UploadFailed("network", cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    // S3 answers 403 for an expired policy and 400 EntityTooLarge/TooSmall for the size.
    throw new UploadFailed(response.status === 403 ? "expired" : "refused", `S3 answered ${response.status}.`);
  }
}
