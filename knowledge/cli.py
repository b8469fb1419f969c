"""python -m knowledge {search,build,eval,bench,ingest,lint}: see ``--help`` of each command."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from knowledge.language import normalise_language


def _load(progress: bool = True, rebuild: bool = False):
    from knowledge.knowledge_base import KnowledgeBase

    return KnowledgeBase.load(progress=progress, rebuild=rebuild)


@contextmanager
def _stdout_reserved():
    """Give the caller the real stdout and send everything else, C libraries included, to
    stderr: batch output must be nothing but JSON lines."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    real_stdout = os.fdopen(saved, "w", encoding="utf-8", buffering=1)
    previous = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield real_stdout
    finally:
        sys.stdout = previous
        real_stdout.flush()
        os.dup2(saved, 1)
        real_stdout.close()


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _print_hits(hits, language: str) -> None:
    if not hits:
        print("no results")
        return
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. {hit.clause_id}  [{hit.product}]  {hit.citation(language)}  "
              f"score {hit.score:.3f}")
        print(f"   topics: {', '.join(hit.topics) or '-'}")
        print(f"   {_first_line(hit.get('plain', language))}")


def _batch_result(kb, line: str, args: argparse.Namespace) -> dict:
    try:
        item = json.loads(line)
        text = item["text"]
        if not isinstance(text, str):
            raise TypeError("text must be a string")
    except (ValueError, KeyError, TypeError) as error:
        return {"text": None, "results": [], "error": f"invalid input line: {error}"}
    product = item.get("product") or args.product
    language = normalise_language(item.get("language") or args.language, text)
    hits = kb.search(text, top_k=args.top_k, product=product, language=language)
    return {
        "text": text,
        "results": [
            {
                "clause_id": hit.clause_id,
                "product": hit.product,
                "topics": list(hit.topics),
                "score": hit.score,
                "title": hit.title(language),
            }
            for hit in hits
        ],
    }


def command_search(args: argparse.Namespace) -> int:
    if args.batch:
        with _stdout_reserved() as out:
            kb = _load()
            with open(args.batch, encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        result = _batch_result(kb, line, args)
                        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    if not args.question:
        print("search: give a question or --batch FILE", file=sys.stderr)
        return 2
    question = " ".join(args.question)
    kb = _load()
    language = normalise_language(args.language, question)
    hits = kb.search(question, top_k=args.top_k, product=args.product, language=language)
    _print_hits(hits, language)
    return 0


def command_build(args: argparse.Namespace) -> int:
    kb = _load(rebuild=args.force)
    manifest = kb.index.manifest
    state = "built" if kb.built else "already up to date"
    print(f"index {state}: {kb.index.folder}")
    print(f"  {manifest['clauses']} clauses, {manifest['glossary_terms']} glossary terms, "
          f"{manifest['passages']} passages embedded, {manifest['bm25_documents']} BM25 documents")
    print(f"  model {manifest['model_id']}; built in {manifest['build_seconds']} s")
    model = kb.second.model if kb.second else None
    if model is None:
        print("  no situation questions: the first stage alone ranks (policies_kb/questions/)")
    else:
        r = model.report
        print(f"  second stage: {r.get('training_questions')} situation questions, "
              f"cross-validated top-1 {r.get('cv_top1')}, answers at once when p >= "
              f"{model.sure_rule.sure_probability} or the runner-up has < "
              f"{model.sure_rule.close_ratio} x p")
    return 0


def command_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation import Evaluator, load_dev_set, load_held_out, report

    kb = _load()
    held_out = [] if args.no_held_out else load_held_out(kb)
    evaluator = Evaluator(kb, load_dev_set(args.questions), held_out)
    print(report(evaluator, show_misses=args.misses))
    return 0


def command_bench(args: argparse.Namespace) -> int:
    from knowledge.bench import run_bench

    print(run_bench(queries=args.queries, warmup=args.warmup))
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    from knowledge.ingest import IngestError, describe, ingest

    try:
        result = ingest(args.file, args.product, language=args.language,
                        title_ko=args.title_ko, title_en=args.title_en, out=args.out,
                        force=args.force, dry_run=args.dry_run)
    except IngestError as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 1
    if args.dry_run:
        print("\n".join(describe(result)))
        print(f"dry run, nothing written to {result.path}")
    else:
        print(f"wrote {result.path}")
    print(result.summary())
    return 0


def command_lint(args: argparse.Namespace) -> int:
    from knowledge.lint import lint

    lines, status = lint(args.kb)
    print("\n".join(lines))
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge",
                                     description="Policy clause retrieval.")
    commands = parser.add_subparsers(dest="command", required=True)

    search = commands.add_parser("search", help="find the clauses that answer a question")
    search.add_argument("question", nargs="*")
    search.add_argument("--top-k", type=int, default=3)
    search.add_argument("--product", help="only this product (auto, home, travel, ...)")
    search.add_argument("--language", choices=("ko", "en"), help="default: detected")
    search.add_argument("--batch", type=Path,
                        help='JSON lines {"text": ..., "product": ...}; prints one JSON line '
                             'each ({"text": null, "results": [], "error": ...} if unreadable)')
    search.set_defaults(handler=command_search)

    build = commands.add_parser("build", help="build or refresh the index cache")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.set_defaults(handler=command_build)

    evaluate = commands.add_parser("eval", help="retrieval quality on the dev questions")
    evaluate.add_argument("--questions", type=Path, help="default: tests/knowledge_dev")
    evaluate.add_argument("--no-held-out", action="store_true",
                          help="only the dev questions (tests/knowledge_dev/questions.yml)")
    evaluate.add_argument("--misses", action="store_true",
                          help="list the held-out questions whose first clause does not fit")
    evaluate.set_defaults(handler=command_eval)

    bench = commands.add_parser("bench", help="latency, build time, index size, memory")
    bench.add_argument("--queries", type=int, default=200)
    bench.add_argument("--warmup", type=int, default=20)
    bench.set_defaults(handler=command_bench)

    ingest = commands.add_parser(
        "ingest", help="an insurer's wording (.txt, .md, .docx, .pdf) -> clauses/<product>.yml")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--product", required=True,
                        help="product key: lower-case letters, digits and _ (need not be in "
                             "spec/topics.yml)")
    ingest.add_argument("--language", choices=("ko", "en", "auto"), default="auto",
                        help="keep only this language's articles (default: all found)")
    ingest.add_argument("--title-ko", help="default: the document's first Korean title line")
    ingest.add_argument("--title-en", help="default: the document's first English title line")
    ingest.add_argument("--out", type=Path, help="default: <kb>/clauses/<product>.yml")
    ingest.add_argument("--force", action="store_true", help="overwrite an existing file")
    ingest.add_argument("--dry-run", action="store_true",
                        help="print what was found, write nothing")
    ingest.set_defaults(handler=command_ingest)

    lint = commands.add_parser("lint", help="clauses an editor still has to finish (exit 1)")
    lint.add_argument("--kb", type=Path, help="knowledge base folder (default: policies_kb)")
    lint.set_defaults(handler=command_lint)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    return args.handler(args)
