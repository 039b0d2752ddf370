"""Proof documents in the private documents bucket: presigned uploads in, short-lived links out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.services.ports import StoredObject, UploadTicket

HEAD_BYTES = 262  # what `filetype` needs to recognise a format


class S3DocumentStore:
    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

    def upload_ticket(self, key: str, max_bytes: int, expires_in_s: int) -> UploadTicket:
        # The policy pins the key and the size; the type is checked again by content on arrival.
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"x-amz-server-side-encryption": "AES256"},
            Conditions=[
                {"x-amz-server-side-encryption": "AES256"},
                ["content-length-range", 1, max_bytes],
                ["starts-with", "$Content-Type", ""],
            ],
            ExpiresIn=expires_in_s,
        )
        return UploadTicket(
            url=post["url"],
            fields=dict(post["fields"]),
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in_s),
        )

    def inspect(self, key: str) -> StoredObject | None:
        try:
            head = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        size = int(head["ContentLength"])
        first = b""
        if size > 0:
            body = self._s3.get_object(
                Bucket=self._bucket, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}"
            )["Body"]
            first = body.read()
        return StoredObject(key=key, size=size, head=first)

    def read(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read())

    def lines(self, key: str) -> Iterator[str]:
        """Streams a text file line by line: a 100,000-row export never sits in memory whole."""
        body = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
        for raw in body.iter_lines(keepends=True):
            yield raw.decode("utf-8-sig")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)

    def download_url(self, key: str, expires_in_s: int) -> str:
        return str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=expires_in_s,
            )
        )
