/**
 * A file straight to S3 with the API's presigned POST (`upload {url, fields}`): a form with
 * exactly the returned fields, then the file, last (S3 ignores every field after it). Nothing
 * of the file passes through the API.
 */
export interface PresignedPost {
  url: string;
  fields: Readonly<Record<string, string>>;
}

export type UploadProblem = "network" | "expired" | "refused";

export class UploadFailed extends Error {
  override name = "UploadFailed";

  constructor(readonly problem: UploadProblem) {
    super(`The upload failed: ${problem}`);
  }
}

export function presignedForm(post: PresignedPost, file: Blob, fileName: string): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
  form.append("file", file, fileName);
  return form;
}

export async function postToS3(
  post: PresignedPost,
  file: File,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(post.url, { method: "POST", body: presignedForm(post, file, file.name) });
  } catch {
    throw new UploadFailed("network");
  }
  if (response.ok) return;
  // S3 answers 403 when the policy has expired, 400 when the file breaks it (e.g. its size).
  throw new UploadFailed(response.status === 403 ? "expired" : "refused");
}
