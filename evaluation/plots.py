"""Confusion-matrix pictures (matplotlib, present in the Rasa environment)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evaluation.metrics import confusion_matrix


def confusion_png(
    gold: Sequence[str], predicted: Sequence[str], path: Path, title: str
) -> Path | None:
    """Rows are gold intents, columns predictions (gold intents first, then any others).

    Returns None when matplotlib is missing.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    gold_labels = sorted(set(gold))
    labels = gold_labels + sorted(set(predicted) - set(gold_labels))
    labels, rows = confusion_matrix(gold, predicted, labels)
    rows = rows[: len(gold_labels)]
    # Diagonal shown as recall; the errors stand out against a light background.
    shares = [
        [count / max(sum(row), 1) for count in row] for row in rows
    ]
    size = max(8.0, 0.32 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size * len(gold_labels) / len(labels) + 1))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(rows):
        for j, count in enumerate(row):
            if count:
                colour = "white" if shares[i][j] > 0.6 else ("crimson" if i != j else "black")
                ax.text(j, i, str(count), ha="center", va="center", fontsize=6, color=colour)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(gold_labels)))
    ax.set_yticklabels(gold_labels, fontsize=7)
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("gold intent")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
