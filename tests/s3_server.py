"""An S3-compatible server for the test run (moto_server on loopback), started once and stopped at the end."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _moto_server() -> str | None:
    beside = Path(sys.executable).with_name("moto_server")
    return str(beside) if beside.exists() else shutil.which("moto_server")


@pytest.fixture(scope="session")
def s3_endpoint():
    executable = _moto_server()
    if executable is None:
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    port = _free_port()
    server = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_config(s3_endpoint):
    """The configuration of an app storing in a fresh bucket of its own."""
    import boto3

    bucket = f"onestop-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=bucket)
    return {"FILES_STORAGE": "s3", "FILES_S3_BUCKET": bucket, "FILES_S3_ENDPOINT_URL": s3_endpoint,
            "FILES_S3_REGION": "us-east-1", "FILES_S3_ACCESS_KEY": "test", "FILES_S3_SECRET_KEY": "test"}
