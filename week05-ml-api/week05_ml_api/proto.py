"""How ``delay_pb2.py`` / ``delay_pb2_grpc.py`` are made from ``delay.proto`` — reproducibly.

``python -m week05_ml_api proto`` runs :func:`generate` into the package folder; a check
regenerates into a temporary folder and compares byte for byte with the committed files, so
the contract and the code can never drift. The include root is the folder *above* the package,
which makes the generated gRPC module import ``from week05_ml_api import delay_pb2`` (a
package-relative import) instead of a bare ``import delay_pb2``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
PROTO = PACKAGE_DIR / "delay.proto"
GENERATED = ("delay_pb2.py", "delay_pb2.pyi", "delay_pb2_grpc.py")


def generate(out_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Run ``grpc_tools.protoc`` on :data:`PROTO`; write the stubs into ``out_dir``.

    Raises ``RuntimeError`` with protoc's exit code when generation fails.
    """
    from grpc_tools import protoc  # a build-time tool: not needed to serve

    root = PACKAGE_DIR.parent
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "grpc_tools.protoc",
            f"-I{root}",
            f"--python_out={tmp}",
            f"--pyi_out={tmp}",
            f"--grpc_python_out={tmp}",
            str(PROTO.relative_to(root)),
        ]
        code = protoc.main(args)
        if code != 0:
            raise RuntimeError(f"protoc failed with exit code {code}: {' '.join(args)}")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in GENERATED:
            target = out_dir / name
            shutil.copyfile(Path(tmp) / PACKAGE_DIR.name / name, target)
            written.append(target)
    log.info("generated %s", ", ".join(p.name for p in written))
    return written
