"""python -m knowledge bench: query latency, full build time, index size and memory.

Latency is measured per ``KnowledgeBase.search`` call (embedding the question, BM25, fusion,
grouping) over the dev questions after a warm-up, with torch on ``BODAM_TORCH_THREADS`` (2)
threads. The full build embeds and indexes the KB from scratch into a temporary cache folder
(the converted model is reused). Wall-clock timings depend on what else runs on the machine,
so the load average and CPU times (summed over threads) are printed too.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from knowledge import settings
from knowledge.evaluation import load_dev_set
from knowledge.index import open_index
from knowledge.knowledge_base import KnowledgeBase
from knowledge.policy_data import load_policy_data


def _memory_kib() -> dict[str, int]:
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def _latencies(kb: KnowledgeBase, texts: list, warmup: int) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU milliseconds of each search, after ``warmup`` searches."""
    for text, product in texts[:warmup]:
        kb.search(text, product=product)
    wall, cpu = [], []
    for text, product in texts:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        kb.search(text, product=product)
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return np.asarray(wall), np.asarray(cpu)


def _describe(wall: np.ndarray, cpu: np.ndarray) -> str:
    return (
        f"p50 {np.percentile(wall, 50):.1f} ms, p95 {np.percentile(wall, 95):.1f} ms, "
        f"max {wall.max():.1f} ms (CPU time p50 {np.percentile(cpu, 50):.1f} ms)"
    )


def run_bench(queries: int = 200, warmup: int = 20) -> str:
    import torch

    started = time.perf_counter()
    kb = KnowledgeBase.load()
    load_seconds = time.perf_counter() - started

    texts = [(q.text, q.product) for q in load_dev_set().questions][: max(queries, 1)]
    threads = torch.get_num_threads()
    latency = _latencies(kb, texts, warmup)
    # For comparison only: on a machine shared with other work one thread can be steadier.
    torch.set_num_threads(1)
    single_thread = _latencies(kb, texts, warmup)
    torch.set_num_threads(threads)
    memory_after_queries = _memory_kib()

    data = load_policy_data()
    with tempfile.TemporaryDirectory(prefix="bodam-bench-") as scratch:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        index, _ = open_index(data, kb.embedder, Path(scratch), progress=False, rebuild=True)
        build_wall, build_cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
        passages = index.manifest["passages"]

    index_bytes = _folder_bytes(kb.index.folder)
    model_dir = settings.converted_model_dir()
    model_bytes = _folder_bytes(model_dir) if model_dir.is_dir() else 0
    load1, load5, _ = os.getloadavg()
    lines = [
        f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} (1 min) {load5:.2f} (5 min)",
        f"knowledge base load (cached index, model in memory): {load_seconds:.2f} s",
        f"query latency, {len(texts)} dev questions after {warmup} warm-up, {threads} torch "
        f"threads: {_describe(*latency)}",
        f"  (same with 1 torch thread, for comparison: {_describe(*single_thread)})",
        f"full index build ({passages} passages embedded, BM25, faiss, written to disk): "
        f"{build_wall:.1f} s wall, {build_cpu:.1f} s CPU",
        f"index size on disk: {_mib(index_bytes)} ({kb.index.folder})",
        f"embedding model on disk: {_mib(model_bytes)} ({model_dir})",
        f"process memory: RSS {_mib(memory_after_queries['VmRSS'] * 1024)} after the queries, "
        f"peak {_mib(_memory_kib()['VmHWM'] * 1024)}",
    ]
    return "\n".join(lines)
