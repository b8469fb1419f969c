"""`make bench`: latency, throughput and memory of the running stack under simulated customers.

Run in the app environment from the repository root::

    PYTHONPATH=. .venv/bin/python -m evaluation.bench [--model models/bodam-<hash>.tar.gz]

Starts the action server and Rasa on free loopback ports (a throwaway SQLite case store and
tracker store, BODAM_WARM_KNOWLEDGE=1, BODAM_TODAY=2026-11-25), waits until both answer and
one pass of every script has run (warm), then:

1. load: 10 concurrent customers, each waiting 1 s between its turns, for --load-seconds;
   p50 / p95 / p99 per turn kind (case store, retrieval, plain), throughput, errors;
2. step-up: 1, 2, 5, 10, 15, 20 ... concurrent customers (--step-seconds each) until the p95
   of all turns reaches 1 s or 40 customers; the highest level held under 1 s is reported;
3. peak memory of each service's process tree (VmHWM / sampled RSS);
4. times of `rasa train` (with --train: a fresh NLU + core training into a temporary folder)
   and of building the clause index from scratch (into a temporary cache folder).

Every request goes to 127.0.0.1; every phase is bounded in time (--hard-cap seconds). Writes
reports/bench.json and reports/bench.md and prints a summary with PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.common import REPORTS_DIR, ROOT
from evaluation.latency import summarize
from evaluation.scripts import CASE, RETRIEVAL, SCRIPT_ORDER, SCRIPTS, TURN_KINDS
from tools.stack import LocalStack

RASA_VENV_BIN = ROOT / ".venv-rasa" / "bin"
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
TODAY = "2026-11-25"
LEVELS = (1, 2, 5, 10, 15, 20, 25, 30, 35, 40)
P95_LIMIT_S = 1.0
TARGETS_MS = {CASE: 400.0, RETRIEVAL: 600.0}
RSS_LIMITS_MB = {"rasa": 1536.0, "actions": 1228.8}
LOAD_CONCURRENCY = 10


def echo(*parts: object) -> None:
    print(*parts, flush=True)


# --------------------------------------------------------------------------- processes
def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(child) for child in text)
    except OSError:
        pass
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(_children(current))
    return tree


def tree_rss_mb(pid: int) -> dict[int, float]:
    """RSS in MB of ``pid`` and each of its descendants (psutil when present, else /proc)."""
    try:
        import psutil  # optional: not in the pinned app requirements
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
            return {p.pid: p.memory_info().rss / 2**20 for p in procs}
        except psutil.Error:
            return {}
    return {p: _status_kb(p, "VmRSS") / 1024 for p in process_tree(pid)}


class MemorySampler:
    """Samples each service's process-tree RSS every ``interval`` s in a thread."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peak = {name: 0.0 for name in pids}
        self.process_peak: dict[str, dict[int, float]] = {name: {} for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for name, pid in self.pids.items():
            sizes = tree_rss_mb(pid)
            self.peak[name] = max(self.peak[name], sum(sizes.values()))
            peaks = self.process_peak[name]
            for child, size in sizes.items():
                peaks[child] = max(peaks.get(child, 0.0), size)

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> dict[str, dict[str, float]]:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()
        return {
            name: {
                "peak_tree_rss_mb": round(self.peak[name], 1),
                "vm_hwm_mb": round(_status_kb(pid, "VmHWM") / 1024, 1),
                "peak_mb": round(max(self.peak[name], _status_kb(pid, "VmHWM") / 1024), 1),
                "processes": len(self.process_peak[name]),
                "largest_process_peak_mb": round(
                    max(self.process_peak[name].values(), default=0.0), 1
                ),
            }
            for name, pid in self.pids.items()
        }


# --------------------------------------------------------------------------- customers
@dataclass
class Sample:
    script: str
    kind: str
    seconds: float
    error: str | None = None
    unexpected: bool = False


@dataclass
class Phase:
    name: str
    concurrency: int
    seconds: float = 0.0
    conversations: int = 0
    samples: list[Sample] = field(default_factory=list)
    hit_hard_cap: bool = False
    unexpected_examples: list[str] = field(default_factory=list)
    transcript: list[str] | None = None

    def summary(self) -> dict:
        ok = [s for s in self.samples if s.error is None]
        by_kind = {
            kind: summarize([1000 * s.seconds for s in ok if s.kind == kind]) for kind in TURN_KINDS
        }
        errors: dict[str, int] = {}
        for s in self.samples:
            if s.error:
                errors[s.error] = errors.get(s.error, 0) + 1
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 1),
            "turns": len(self.samples),
            "conversations_completed": self.conversations,
            "throughput_turns_per_s": round(len(self.samples) / self.seconds, 2)
            if self.seconds else 0.0,
            "latency_ms": {k: _rounded(v) for k, v in by_kind.items()},
            "latency_ms_all": _rounded(summarize([1000 * s.seconds for s in ok])),
            "errors": sum(errors.values()),
            "errors_by_kind": errors,
            "unexpected_replies": sum(1 for s in self.samples if s.unexpected),
            "unexpected_examples": self.unexpected_examples[:5],
            "hit_hard_cap": self.hit_hard_cap,
            "load_average_1m_after": round(os.getloadavg()[0], 2),
        }


def _rounded(summary: dict) -> dict:
    return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in summary.items()}


async def _say(client, url: str, sender: str, text: str) -> tuple[str | None, str]:
    try:
        response = await client.post(url, json={"sender": sender, "message": text})
    except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
        return type(error).__name__, ""
    if response.status_code != 200:
        return f"HTTP {response.status_code}", ""
    try:
        replies = response.json()
    except ValueError:
        return "invalid JSON", ""
    if not replies:
        return "empty reply", ""
    return None, "\n".join(str(reply.get("text") or "") for reply in replies)


async def converse(client, url: str, script: str, sender: str, think: float, deadline: float,
                   phase: Phase) -> bool:  # fmt: skip
    """One scripted conversation; False when the phase ended before its last turn."""
    turns = SCRIPTS[script]
    for i, turn in enumerate(turns):
        if time.monotonic() >= deadline:
            return False
        started = time.perf_counter()
        error, text = await _say(client, url, sender, turn.text)
        elapsed = time.perf_counter() - started
        unexpected = error is None and turn.expect is not None and turn.expect not in text
        if unexpected:
            phase.unexpected_examples.append(f"{script} turn {i + 1}: {text[:160]!r}")
        phase.samples.append(Sample(script, turn.kind, elapsed, error, unexpected))
        if phase.transcript is not None:
            phase.transcript.append(
                f"[{script} {i + 1} {turn.kind} {1000 * elapsed:.0f} ms] > {turn.text}\n"
                + (f"  ! {error}" if error else "\n".join(f"  < {t}" for t in text.splitlines()))
            )
        if i < len(turns) - 1 and think:
            await asyncio.sleep(think)
    return True


async def run_phase(base_url: str, name: str, concurrency: int, seconds: float, think: float,
                    hard_cap: float, seed: int = 2026, scripts: Sequence[str] = SCRIPT_ORDER,
                    once: bool = False) -> Phase:  # fmt: skip
    """``concurrency`` customers in a closed loop (or one pass each with ``once``)."""
    import httpx

    phase = Phase(name, concurrency, transcript=[] if once else None)
    url = f"{base_url}/webhooks/rest/webhook"
    rng = random.Random(f"{seed}:{name}")
    started = time.monotonic()
    deadline = started + min(seconds, hard_cap)
    limits = httpx.Limits(max_connections=concurrency + 5, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def customer(worker: int) -> None:
            await asyncio.sleep(rng.uniform(0, think) if concurrency > 1 else 0)
            n = 0
            while time.monotonic() < deadline:
                script = scripts[(worker + n) % len(scripts)]
                sender = f"bench-{name}-{worker}-{n}-{uuid.uuid4().hex[:8]}"
                if await converse(client, url, script, sender, think, deadline, phase):
                    phase.conversations += 1
                n += 1
                if once and n >= len(scripts):
                    return

        try:
            await asyncio.wait_for(
                asyncio.gather(*(customer(w) for w in range(concurrency))), timeout=hard_cap
            )
        except asyncio.TimeoutError:
            phase.hit_hard_cap = True
    phase.seconds = time.monotonic() - started
    return phase


# --------------------------------------------------------------------------- build times
def time_knowledge_build(timeout: float = 900) -> dict:
    """Builds the clause index from scratch into a temporary cache folder (the shared cache
    under .cache/ is left alone); the same work as `python -m knowledge build --rebuild`."""
    code = (
        "import json, sys, time\n"
        "t = time.monotonic()\n"
        "from knowledge.knowledge_base import KnowledgeBase\n"
        "kb = KnowledgeBase.load(cache_dir=sys.argv[1], progress=False, rebuild=True)\n"
        "print(json.dumps({'seconds': time.monotonic() - t, 'built': kb.built,\n"
        "  'passages': len(getattr(kb.index, 'passages', []) or []),\n"
        "  'build_seconds': (getattr(kb.index, 'manifest', None) or {}).get('build_seconds')}))\n"
    )
    with tempfile.TemporaryDirectory(prefix="bodam-bench-index-") as cache:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false"}
        try:
            result = subprocess.run(
                ["nice", "-n", "10", str(APP_PYTHON), "-c", code, cache],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"status": "failed", "reason": f"timed out after {timeout:.0f} s"}
    if result.returncode != 0:
        return {"status": "failed", "reason": result.stderr.strip().splitlines()[-1:]}
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "status": "ok",
        "command": "KnowledgeBase.load(rebuild=True) into a fresh cache folder",
        "wall_seconds": round(figures["seconds"], 1),
        "index_build_seconds": figures.get("build_seconds"),
    }


def time_rasa_train(timeout: float = 3600) -> dict:
    """A fresh `rasa train` (NLU + core, as the Makefile's model rule) into a temporary
    folder, under nice -n 10 and with an empty Rasa cache, so nothing is reused."""
    with tempfile.TemporaryDirectory(prefix="bodam-bench-train-") as out:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
               "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_CACHE_DIRECTORY": str(Path(out) / "cache")}
        command = ["nice", "-n", "10", str(RASA_VENV_BIN / "rasa"), "train", "--config",
                   "config.yml", "--domain", "bot/domain", "--data", "bot/data", "--out", out,
                   "--fixed-model-name", "bench"]  # fmt: skip
        log = REPORTS_DIR / "logs" / "bench-train.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with log.open("w") as handle:
            try:
                result = subprocess.run(command, cwd=ROOT, env=env, stdout=handle,
                                        stderr=subprocess.STDOUT, timeout=timeout)  # fmt: skip
            except subprocess.TimeoutExpired:
                return {"status": "failed", "reason": f"timed out after {timeout:.0f} s"}
        seconds = time.monotonic() - started
    if result.returncode != 0:
        return {"status": "failed", "reason": f"exit {result.returncode}, see {log}"}
    return {"status": "ok", "source": "fresh `rasa train` (NLU + core)",
            "seconds": round(seconds, 1)}  # fmt: skip


def recorded_train_time() -> dict:
    """The last measured training time: a previous `bench --train`, else `make eval`'s."""
    previous = REPORTS_DIR / "bench.json"
    if previous.is_file():
        try:
            train = json.loads(previous.read_text()).get("train") or {}
            if train.get("status") == "ok" and "fresh" in str(train.get("source")):
                return {**train, "source": train["source"] + " (from an earlier --train run)"}
        except ValueError:
            pass
    evaluation = REPORTS_DIR / "eval.json"
    if evaluation.is_file():
        try:
            seconds = json.loads(evaluation.read_text())["nlu"]["heldout"].get("train_seconds")
        except (ValueError, KeyError):
            seconds = None
        if seconds:
            return {"status": "ok", "seconds": seconds,
                    "source": "`rasa train nlu` on 80% of the NLU data (make eval)"}  # fmt: skip
    return {"status": "not measured", "reason": "run `make bench BENCH_ARGS=--train`"}


# --------------------------------------------------------------------------- reporting
REFUSAL_LIMIT_MS = 50.0
REFUSAL_SAMPLES = 30


def measure_refusals(rasa_url: str, samples: int = REFUSAL_SAMPLES) -> dict:
    """Round trips of messages the channel refuses itself (20,000 characters; blank)."""
    import httpx

    url = f"{rasa_url}/webhooks/rest/webhook"
    found = {}
    with httpx.Client(timeout=30) as client:
        for kind, text in (("over_long", "가" * 20_000), ("blank", "   ")):
            took = []
            for n in range(samples):
                started = time.perf_counter()
                client.post(url, json={"sender": f"bench-refusal-{kind}-{n}", "message": text})
                took.append(1000 * (time.perf_counter() - started))
            found[kind] = summarize(took)
    return found


def targets(result: dict) -> list[dict]:
    load = result.get("load") or {}
    found = []
    refusal = (result.get("refusals") or {}).get("over_long")
    if refusal:
        found.append({"name": "20,000-character message refused: p95 (ms)",
                      "value": round(refusal["p95"], 1), "target": f"< {REFUSAL_LIMIT_MS:.0f}",
                      "passed": refusal["p95"] < REFUSAL_LIMIT_MS})  # fmt: skip
    if load:
        found.append({"name": f"{LOAD_CONCURRENCY} concurrent conversations: errors",
                      "value": load["errors"], "target": "0",
                      "passed": load["errors"] == 0})  # fmt: skip
        for kind, limit in TARGETS_MS.items():
            p95 = load["latency_ms"][kind]["p95"]
            found.append({"name": f"{LOAD_CONCURRENCY} concurrent: p95 {kind} turns (ms)",
                          "value": p95, "target": f"<= {limit:.0f}",
                          "passed": p95 == p95 and p95 <= limit})  # fmt: skip
    for name, limit in RSS_LIMITS_MB.items():
        memory = (result.get("memory") or {}).get(name)
        if memory:
            found.append({"name": f"peak RSS {name} (MB)", "value": memory["peak_mb"],
                          "target": f"<= {limit:.0f}",
                          "passed": memory["peak_mb"] <= limit})  # fmt: skip
    return found


def _latency_line(kind: str, s: dict) -> str:
    if not s["count"]:
        return f"    {kind:<10} no turns"
    return (f"    {kind:<10} n={s['count']:<5} p50 {s['p50']:7.1f}  p95 {s['p95']:7.1f}  "
            f"p99 {s['p99']:7.1f}  max {s['max']:7.1f} ms")  # fmt: skip


def console(result: dict) -> str:
    lines = ["== bodam bench ==", f"model {result['model']}; {result.get('cpus')} CPUs, load "
             f"average before {result['load_average_before'][0]:.1f} (other users' work included)"]
    if result.get("startup"):
        lines.append(f"stack ready in {result['startup']['ready_seconds']:.1f} s; warm-up "
                     f"pass {result['startup']['warmup_seconds']:.1f} s "
                     f"({result['startup']['warmup_errors']} errors, "
                     f"{result['startup']['warmup_unexpected']} unexpected replies)")  # fmt: skip
    if result.get("refusals"):
        lines.append("refused by the channel (REST round trip):")
        for kind, summary in result["refusals"].items():
            lines.append(_latency_line(kind, summary))
    for key in ("load",):
        phase = result.get(key)
        if phase:
            lines.append(f"load: {phase['concurrency']} concurrent customers, "
                         f"{phase['seconds']:.0f} s, {phase['turns']} turns, "
                         f"{phase['conversations_completed']} conversations completed, "
                         f"{phase['throughput_turns_per_s']} turns/s, errors "
                         f"{phase['errors']}, unexpected replies "
                         f"{phase['unexpected_replies']}; load average after "
                         f"{phase['load_average_1m_after']}")  # fmt: skip
            for kind in TURN_KINDS:
                lines.append(_latency_line(kind, phase["latency_ms"][kind]))
            lines.append(_latency_line("all", phase["latency_ms_all"]))
    steps = result.get("step_up") or []
    if steps:
        lines.append("step-up (p95 of all turns, errors):")
        for step in steps:
            lines.append(f"    {step['concurrency']:>3} customers: p95 "
                         f"{step['latency_ms_all']['p95']:7.1f} ms, "
                         f"{step['throughput_turns_per_s']} turns/s, errors {step['errors']}, "
                         f"load average {step['load_average_1m_after']}")
        lines.append(f"highest concurrency held with p95 < {P95_LIMIT_S:g} s and no errors: "
                     f"{result.get('max_concurrency_under_1s')}"
                     + (" (cap reached)" if result.get("cap_reached") else ""))  # fmt: skip
    for name, memory in (result.get("memory") or {}).items():
        lines.append(f"peak RSS {name}: {memory['peak_mb']:.0f} MB (main process VmHWM "
                     f"{memory['vm_hwm_mb']:.0f} MB; process tree of {memory['processes']}, "
                     f"sampled peak {memory['peak_tree_rss_mb']:.0f} MB, largest process "
                     f"{memory['largest_process_peak_mb']:.0f} MB)")
    train = result.get("train") or {}
    lines.append("rasa train: " + (f"{train['seconds']:.0f} s ({train['source']})"
                                   if train.get("status") == "ok"
                                   else f"{train.get('status')} - {train.get('reason')}"))
    index = result.get("knowledge_build") or {}
    if index:
        lines.append("knowledge index build: " + (
            f"{index['wall_seconds']:.1f} s wall incl. model load, index "
            f"{index['index_build_seconds']} s ({index['command']})"
            if index.get("status") == "ok" else f"{index.get('status')} - {index.get('reason')}"
        ))  # fmt: skip
    lines += ["", "targets:"]
    for t in result.get("targets") or []:
        lines.append(f"  [{'PASS' if t['passed'] else 'FAIL'}] {t['name']}: {t['value']} "
                     f"(target {t['target']})")
    lines.append(f"total time {result.get('seconds', 0):.0f} s")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def default_model() -> Path:
    fingerprint = subprocess.run([str(ROOT / "tools" / "model_fingerprint.sh")], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.strip()
    return ROOT / "models" / f"bodam-{fingerprint}.tar.gz"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="default: models/bodam-<fingerprint>.tar.gz")
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--think", type=float, default=1.0, help="seconds between turns")
    parser.add_argument("--hard-cap", type=float, default=120, help="seconds per phase, at most")
    parser.add_argument("--skip-step-up", action="store_true")
    parser.add_argument("--skip-index-build", action="store_true")
    parser.add_argument("--train", action="store_true", help="time a fresh `rasa train`")
    parser.add_argument("--keep-logs", action="store_true", help="copy service logs to reports/")
    return parser.parse_args(argv)


async def _phases(stack: LocalStack, args: argparse.Namespace, result: dict) -> None:
    echo("warm-up: one pass of every script, one customer at a time")
    warm = await run_phase(stack.rasa_url, "warmup", 1, args.hard_cap * 3, 0.0,
                           args.hard_cap * 3, once=True)  # fmt: skip
    summary = warm.summary()
    result["startup"].update(warmup_seconds=round(warm.seconds, 1),
                             warmup_errors=summary["errors"],
                             warmup_unexpected=summary["unexpected_replies"],
                             warmup_unexpected_examples=summary["unexpected_examples"],
                             warmup_latency_ms=summary["latency_ms"])  # fmt: skip
    for example in summary["unexpected_examples"]:
        echo(f"  unexpected reply: {example}")
    (REPORTS_DIR / "bench-transcript.txt").write_text("\n".join(warm.transcript or []) + "\n")
    echo(f"refusals: {REFUSAL_SAMPLES} over-long and {REFUSAL_SAMPLES} blank messages")
    result["refusals"] = await asyncio.to_thread(measure_refusals, stack.rasa_url)
    echo(f"load: {LOAD_CONCURRENCY} customers for {args.load_seconds:.0f} s")
    load = await run_phase(stack.rasa_url, "load", LOAD_CONCURRENCY, args.load_seconds,
                           args.think, args.hard_cap)  # fmt: skip
    result["load"] = load.summary()
    if args.skip_step_up:
        return
    steps = []
    held = 0
    for level in [int(x) for x in args.levels.split(",") if x.strip()]:
        phase = await run_phase(stack.rasa_url, f"c{level}", level, args.step_seconds,
                                args.think, args.hard_cap)  # fmt: skip
        summary = phase.summary()
        steps.append(summary)
        p95 = summary["latency_ms_all"]["p95"]
        echo(f"  {level:>3} customers: p95 {p95:.0f} ms, errors {summary['errors']}")
        if p95 != p95 or p95 >= 1000 * P95_LIMIT_S:
            break
        if summary["errors"] == 0:
            held = level
    else:
        result["cap_reached"] = True
    result["step_up"] = steps
    result["max_concurrency_under_1s"] = held


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    model = (args.model or default_model()).resolve()
    if not model.is_file():
        echo(f"{model} not found: run `make train` first")
        return 2
    result: dict = {"model": str(model.relative_to(ROOT) if model.is_relative_to(ROOT) else model),
                    "generated": time.strftime("%Y-%m-%d %H:%M:%S %z"),
                    "cpus": os.cpu_count(), "load_average_before": os.getloadavg(),
                    "settings": {k: (str(v) if isinstance(v, Path) else v)
                                 for k, v in vars(args).items()}}  # fmt: skip
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bodam-bench-"))
    stack = LocalStack(model, work, today=TODAY)
    sampler = None
    try:
        echo(f"starting the stack on 127.0.0.1:{stack.ports.rasa} (Rasa) and "
             f":{stack.ports.actions} (actions); throwaway stores in {work}")  # fmt: skip
        stack.start()
        sampler = MemorySampler(stack.pids()).start()
        ready = stack.wait_ready()
        result["startup"] = {"ready_seconds": round(ready, 1)}
        asyncio.run(_phases(stack, args, result))
    finally:
        if sampler is not None:
            result["memory"] = sampler.stop()
        stack.stop()
        if args.keep_logs:
            for log in work.glob("*.log"):
                shutil.copy(log, REPORTS_DIR / f"bench-{log.name}")
        shutil.rmtree(work, ignore_errors=True)
    if not args.skip_index_build:
        echo("timing a fresh knowledge index build")
        result["knowledge_build"] = time_knowledge_build()
    if args.train:
        echo("timing a fresh `rasa train` (NLU + core)")
        result["train"] = time_rasa_train()
    else:
        result["train"] = recorded_train_time()
    result["seconds"] = round(time.monotonic() - started, 1)
    result["targets"] = targets(result)
    (REPORTS_DIR / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    text = console(result)
    (REPORTS_DIR / "bench.md").write_text("```\n" + text + "\n```\n")
    echo("")
    echo(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
