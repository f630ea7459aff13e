#!/usr/bin/python3
"""Writes the TorchScript module through which Layerwise holds and computes with bf16 weights.

DJL 0.35.1's PyTorch engine aborts the JVM when a BFLOAT16 array is created, decoded or cast
(see ../shared/PLATFORM.md, "bf16 through DJL"). TorchScript methods are not subject to that
mapping: they receive and return tensors, whatever their dtype. This module is the only place
where bf16 tensors are made or computed with; the Java side (io.layerwise.models.precision.Bf16Tensor)
holds the results without ever asking DJL for their dtype.

Run with Debian's python3-torch (1.13.1), from the repository root:

    /usr/bin/python3 scripts/generate_bf16_kernels.py

It rewrites base-models/src/main/resources/io/layerwise/models/precision/bf16-kernels.pt and prints
its SHA-256. The archive is made reproducible: the debug tables (which record this script's
absolute path) are dropped and every entry gets a fixed timestamp, so running the script twice
gives the same bytes. libtorch 2.7 (bundled with DJL) recompiles the module's code on load.
"""
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor

OUTPUT = os.path.join("base-models", "src", "main", "resources", "io", "layerwise", "models", "precision",
                      "bf16-kernels.pt")


class Bf16Kernels(torch.nn.Module):
    """Every operation Layerwise performs on bf16 tensors; each takes and returns plain tensors."""

    def forward(self, x: Tensor) -> Tensor:
        return x

    @torch.jit.export
    def map_file(self, path: str, elements: int) -> Tensor:
        """The first `elements` bf16 values of a file, memory-mapped read-only and lazily (no copy).

        TorchScript has no reinterpreting view (`Tensor.view(dtype)` is missing from its schema in
        1.13 and in libtorch 2.7 alike), so a buffer mapped in Java cannot become bf16 without a copy;
        `from_file` maps the file as bf16 directly. `shared=False` is a private mapping: pages stay
        clean page cache because nothing ever writes to them.
        """
        return torch.from_file(path, False, elements, dtype=torch.bfloat16)

    @torch.jit.export
    def slice(self, whole: Tensor, start: int, elements: int, shape: List[int]) -> Tensor:
        """Elements [start, start + elements) of a flat tensor as a view of the given shape."""
        return whole.narrow(0, start, elements).view(shape)

    @torch.jit.export
    def round_to_bf16(self, values: Tensor) -> Tensor:
        """Rounds float32 (or float16) to bf16, nearest even."""
        return values.to(torch.bfloat16)

    @torch.jit.export
    def widen(self, values: Tensor, out: Tensor) -> None:
        """bf16 to float32 (exact), written into `out`.

        Every kernel that returns float32 writes into an `out` tensor allocated by DJL: DJL runs
        TorchScript methods in InferenceMode, so a tensor created here would be an inference tensor,
        which DJL's in-place operations (`addi`, `muli`) then refuse. `copy_` into a normal tensor is
        allowed in InferenceMode and costs the same as the `.to(float32)` it replaces.
        """
        out.copy_(values)

    @torch.jit.export
    def linear(self, x: Tensor, weight: Tensor, out: Tensor) -> None:
        """x W^T with x rounded to bf16 at the input, the bf16 product widened into `out` (float32)."""
        out.copy_(F.linear(x.to(torch.bfloat16), weight))

    @torch.jit.export
    def embedding(self, ids: Tensor, table: Tensor, out: Tensor) -> None:
        """Rows of a bf16 table, widened (exactly) into `out`."""
        out.copy_(torch.embedding(table, ids))

    @torch.jit.export
    def narrow_rows(self, values: Tensor, start: int, length: int) -> Tensor:
        """Rows [start, start + length) as a view."""
        return values.narrow(0, start, length)

    @torch.jit.export
    def transpose(self, values: Tensor) -> Tensor:
        """The transposed matrix as a view."""
        return values.t()

    @torch.jit.export
    def is_bf16(self, values: Tensor) -> bool:
        return values.dtype == torch.bfloat16


def reproducible(archive: bytes) -> bytes:
    """The archive without debug tables, entries in their original order with a fixed timestamp."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            if info.filename.endswith(".debug_pkl"):
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_STORED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main() -> int:
    if not torch.__version__.startswith("1.13"):
        print(f"warning: expected Debian's torch 1.13, running {torch.__version__}", file=sys.stderr)
    scripted = torch.jit.script(Bf16Kernels())
    buffer = io.BytesIO()
    torch.jit.save(scripted, buffer)
    data = reproducible(buffer.getvalue())
    check = torch.jit.load(io.BytesIO(data))
    with tempfile.NamedTemporaryFile(suffix=".bin") as probe:
        probe.write(bytes([0xAB, 0xCD, 0x80, 0x3F, 0x00, 0xC0, 0x80, 0x7F]))
        probe.flush()
        values = torch.empty(3)
        check.widen(check.slice(check.map_file(probe.name, 4), 1, 3, [3]), values)
    assert values.tolist() == [1.0, -2.0, float("inf")], values
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as f:
        f.write(data)
    print(f"{OUTPUT}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()} (torch {torch.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
