"""A minimal in-tree PEP 517 build backend for agent_chat_client, so that `pip install <folder>`
works offline with nothing but the standard library (the generated setup.py would need setuptools
with bdist_wheel, which an older setuptools lacks without the separate `wheel` package).
It builds one pure-Python wheel of the agent_chat_client package."""

import base64
import hashlib
import os
import zipfile

NAME = "agent_chat_client"
VERSION = "1.0.0"
REQUIRES = ["urllib3>=2.1.0,<3.0.0", "python-dateutil>=2.8.2", "pydantic>=2", "typing-extensions>=4.7.1"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    filename = f"{NAME}-{VERSION}-py3-none-any.whl"
    dist_info = f"{NAME}-{VERSION}.dist-info"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(arcname, data):
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{arcname},sha256={digest},{len(data)}")

        for folder, dirs, files in os.walk(os.path.join(ROOT, NAME)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for file in sorted(files):
                path = os.path.join(folder, file)
                with open(path, "rb") as source:
                    add(os.path.relpath(path, ROOT).replace(os.sep, "/"), source.read())
        metadata = [f"Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {VERSION}",
                    "Summary: Client for agent-chat rooms, generated from its OpenAPI document",
                    "Requires-Python: >=3.10"] + [f"Requires-Dist: {r}" for r in REQUIRES]
        add(f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode())
        add(f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: agent_chat_build\n"
                                  b"Root-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr(f"{dist_info}/RECORD", "\n".join(records + [f"{dist_info}/RECORD,,"]) + "\n")
    return filename
