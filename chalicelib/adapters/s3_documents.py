"""Proof documents in the private documents bucket: presigned uploads in, short-lived links out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.services.ports import StoredObject, UploadTicket

HEAD_BYTES = 262  # what `filetype` needs to recognise a format
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")  # a header value: no quotes, no line breaks


class S3DocumentStore:
    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

    def upload_ticket(self, key: str, max_bytes: int, expires_in_s: int) -> UploadTicket:
        # The policy pins the key and the size. S3 refuses a form whose fields and policy
        # disagree (a condition on a field the form lacks, or a field no condition names), so
        # the form carries exactly the returned fields and the file, and no Content-Type: the
        # type is checked by content on arrival, and the review link sets the type it found.
        # No encryption field either: the bucket encrypts with its own KMS key and refuses a
        # write that names another.
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Conditions=[["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in_s,
        )
        return UploadTicket(
            url=post["url"],
            fields=dict(post["fields"]),
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in_s),
        )

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            head: dict[str, Any] = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return head

    def inspect(self, key: str) -> StoredObject | None:
        head = self._head(key)
        if head is None:
            return None
        size = int(head["ContentLength"])
        version_id = head.get("VersionId")
        # The bytes are read from the version the head named: a later upload to the same key
        # cannot slip in between the size and the type check.
        pinned = {"VersionId": version_id} if version_id else {}
        first = b""
        if size > 0:
            body = self._s3.get_object(
                Bucket=self._bucket, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}", **pinned
            )["Body"]
            first = body.read()
        return StoredObject(key=key, size=size, head=first, version_id=version_id)

    def current_version(self, key: str) -> str | None:
        head = self._head(key)
        return head.get("VersionId") if head else None

    def read(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read())

    def lines(self, key: str) -> Iterator[str]:
        """Streams a text file line by line: a 100,000-row export never sits in memory whole."""
        body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
        for raw in body.iter_lines(keepends=True):
            # A byte that is not UTF-8 comes through as a lone surrogate (U+DC80..U+DCFF): the
            # caller refuses that line alone instead of the whole stream ending in an error.
            yield raw.decode("utf-8-sig", errors="surrogateescape")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )  # encrypted by the bucket's default, its KMS key

    def delete(self, key: str, version_id: str | None = None) -> None:
        if version_id is None:
            self._s3.delete_object(Bucket=self._bucket, Key=key)
            return
        try:
            self._s3.delete_object(Bucket=self._bucket, Key=key, VersionId=version_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("404", "NoSuchKey", "NoSuchVersion"):
                raise

    def download_url(self, key: str, expires_in_s: int) -> str:
        return str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=expires_in_s,
            )
        )

    def attachment_url(
        self,
        key: str,
        expires_in_s: int,
        *,
        version_id: str | None,
        filename: str,
        content_type: str,
    ) -> str:
        params: dict[str, str] = {
            "Bucket": self._bucket,
            "Key": key,
            "ResponseContentDisposition": f'attachment; filename="{_SAFE_NAME.sub("_", filename)}"',
            "ResponseContentType": content_type,
        }
        if version_id:
            params["VersionId"] = version_id
        return str(
            self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in_s)
        )
