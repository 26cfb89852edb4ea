"""What the benchmark reports about the machine: CPU, memory, BLAS libraries, versions, load."""

import io
import os
import platform
import subprocess
from datetime import datetime, timezone

import numpy as np


def debian_package_of(path):
    """``package version`` of the Debian package that owns ``path`` (best effort)."""
    try:
        real = os.path.realpath(path)
        owner = subprocess.run(["dpkg-query", "-S", real], capture_output=True, text=True, timeout=20)
        pkg = owner.stdout.split(":")[0].strip()
        if not pkg:
            return "unknown"
        ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True, timeout=20)
        return f"{pkg} {ver.stdout.strip()}"
    except Exception:
        return "unknown"


def cpu_description():
    """(model name with family / model / MHz, SIMD flags, cache size) from /proc/cpuinfo."""
    info, flags = {}, set()
    try:
        for line in open("/proc/cpuinfo"):
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "flags" and not flags:
                flags = set(value.split())
            elif key in ("model name", "cpu family", "model", "cpu MHz", "cache size") and key not in info:
                info[key] = value.strip()
    except OSError:
        pass
    model = info.get("model name", "unknown")
    if "cpu family" in info:
        model += f" (family {info['cpu family']}, model {info.get('model', '?')}, {info.get('cpu MHz', '?')} MHz)"
    simd = ", ".join(f for f in ("avx2", "fma", "avx512f") if f in flags) or "none of avx2/fma/avx512f"
    return model, simd, info.get("cache size", "")


def mem_total_gib():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return float("nan")


def numpy_blas():
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')} ({cfg.get('openblas configuration', '').strip()})"
    except Exception:
        buf = io.StringIO()
        try:
            from contextlib import redirect_stdout
            with redirect_stdout(buf):
                np.show_config()
        except Exception:
            pass
        return buf.getvalue().strip().splitlines()[0] if buf.getvalue() else "unknown"


def torch_info():
    import torch
    blas = "unknown"
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO" in part:
            blas = part.split("=", 1)[-1].strip()
    return {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads(),
            "torch_blas": blas}


def environment(rside, with_torch):
    model, simd, cache = cpu_description()
    env = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model, "cpu_simd": simd, "cpu_cache": cache, "cores": os.cpu_count(),
        "memory_gib": round(mem_total_gib(), 1),
        "os": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "numpy_blas": numpy_blas(),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset (one thread per core)"),
        "load_average_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    if rside is not None:
        env.update(rside.info())
    if with_torch:
        env.update(torch_info())
    try:
        import sklearn
        env["sklearn_version"] = sklearn.__version__
    except Exception:
        pass
    return env
