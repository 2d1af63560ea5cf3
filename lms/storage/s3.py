"""The S3-compatible backend (AWS S3, MinIO, Ceph, Garage...), through boto3."""

from __future__ import annotations

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from lms.storage import StorageError

MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    """Keys live as objects `prefix/key` in one bucket; one client per app (thread-safe)."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client=None):
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            config=BotoConfig(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def __repr__(self) -> str:
        return f"S3Storage({self.bucket!r}, {self.prefix!r})"

    def _name(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad storage key {key!r}")
        return self.prefix + key

    def local_path(self, key: str) -> None:
        return None

    def ping(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as err:
            raise StorageError(f"cannot reach bucket {self.bucket}: {err}") from err

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as err:
            raise StorageError(f"cannot store {key}: {err}") from err

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in MISSING:
                raise FileNotFoundError(key) from err
            raise StorageError(f"cannot read {key}: {err}") from err
        except BotoCoreError as err:
            raise StorageError(f"cannot read {key}: {err}") from err

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except (BotoCoreError, ClientError) as err:
            raise StorageError(f"cannot delete {key}: {err}") from err

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in MISSING:
                return False
            raise StorageError(f"cannot check {key}: {err}") from err
        except BotoCoreError as err:
            raise StorageError(f"cannot check {key}: {err}") from err
        return True

    def keys(self) -> list[str]:
        found: list[str] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            found.extend(obj["Key"][len(self.prefix) :] for obj in page.get("Contents", []))
        return sorted(found)
