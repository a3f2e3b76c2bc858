"""HTTP load on a running `qa serve`: wrk with a Lua script when installed, else a small asyncio client."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Every request takes the next question, so that no two in a row are alike; done() prints one JSON line.
_LUA = """
local bodies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/ask", {["Content-Type"] = "application/json"}, bodies[(n %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%f, "errors": %%d, "non2xx": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n', summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class Load:
    """One load run: throughput, latency percentiles in milliseconds, and failures of any kind."""

    tool: str
    concurrency: int
    requests: int
    seconds: float
    errors: int
    p50: float
    p95: float
    p99: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def bodies(questions: list[str], k: int = 5) -> list[bytes]:
    return [json.dumps({"question": q, "k": k}).encode() for q in questions]


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, questions: list[str], *, concurrency: int, seconds: float) -> Load:
    lua = _LUA % ", ".join(_lua_string(b.decode()) for b in bodies(questions))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        # One wrk thread keeps up with this server easily and leaves the cores to it.
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        done = subprocess.run(
            [*command, "-s", script.name, f"{url}/ask"], capture_output=True, text=True, check=True
        )
    finally:
        Path(script.name).unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Load(
        "wrk",
        concurrency,
        data["requests"],
        data["seconds"],
        data["errors"] + data["non2xx"],
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
    )


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run_python(url: str, questions: list[str], *, concurrency: int, seconds: float) -> Load:
    """The fallback: keep-alive HTTP/1.1 connections driven by asyncio, slower than wrk but dependency-free."""
    return asyncio.run(_drive(url, bodies(questions), concurrency, seconds))


async def _drive(url: str, payloads: list[bytes], concurrency: int, seconds: float) -> Load:
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    counter = iter(range(1 << 62))
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < deadline:
                body = payloads[next(counter) % len(payloads)]
                started = time.perf_counter()
                writer.write(
                    b"POST /ask HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (host.encode(), len(body), body)
                )
                status = await _response(reader)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += status != 200
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99]) if latencies else (0.0, 0.0, 0.0)
    return Load("python", concurrency, len(latencies), elapsed, errors, float(p50), float(p95), float(p99))


async def _response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    await reader.readexactly(length)
    return int(lines[0].split()[1])


def run(url: str, questions: list[str], *, concurrency: int, seconds: float) -> Load:
    runner = run_wrk if wrk_available() else run_python
    return runner(url, questions, concurrency=concurrency, seconds=seconds)
