"""A local S3 emulator (moto's server mode, real HTTP on a free port) for the storage tests.

Started once per test process on first use and stopped at exit. `LMS_TEST_STORAGE=s3` makes
every test app store its files there (one prefix per test), so the file-related tests can run
once against the S3 backend: `LMS_TEST_STORAGE=s3 pytest tests/unit/test_files_uploads.py`.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets

BUCKET = "lms-test"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-south-1",
}
_server: dict[str, str] = {}


def s3_endpoint() -> str:
    """The emulator's address, starting it (and creating the bucket) on first use."""
    if "url" not in _server:
        import boto3
        from moto.server import ThreadedMotoServer

        for name, value in CREDENTIALS.items():
            os.environ.setdefault(name, value)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        atexit.register(server.stop)
        host, port = server.get_host_and_port()
        _server["url"] = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=_server["url"]).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-south-1"}
        )
    return _server["url"]


def s3_config(prefix: str | None = None) -> dict[str, str]:
    """App config that stores files in the emulator, under a prefix of their own."""
    return {
        "STORAGE_URL": f"s3://{BUCKET}/{prefix or secrets.token_hex(8)}",
        "STORAGE_S3_ENDPOINT_URL": s3_endpoint(),
    }


def storage_under_test() -> str:
    """`s3` when the suite runs its file tests against the S3 backend, else `local`."""
    return os.environ.get("LMS_TEST_STORAGE", "local")
