"""rasa-sdk actions of bodam (Python 3.11 action server)."""

import os
import threading

from bot.logging_masking import install_log_masking

install_log_masking()


def _should_warm_knowledge() -> bool:
    """Warm in the process that serves requests, once.

    rasa-sdk's Sanic server imports the actions in its main process and again in the
    worker it spawns (which Sanic marks with SANIC_WORKER_NAME); only the worker answers
    questions, so loading the knowledge base in the main process too would double the
    server's memory. ``BODAM_WARM_KNOWLEDGE=always`` warms wherever the actions load.
    """
    setting = os.environ.get("BODAM_WARM_KNOWLEDGE", "")
    return setting == "always" or (setting == "1" and bool(os.environ.get("SANIC_WORKER_NAME")))


if _should_warm_knowledge():
    # Load the clause index (and Kiwi) while the server starts, not on the first question.
    from bot.actions.backend import knowledge_base
    from bot.nlp import spacy_spans

    threading.Thread(target=knowledge_base, name="warm-knowledge", daemon=True).start()
    threading.Thread(target=spacy_spans.warm_up, name="warm-spans", daemon=True).start()
