"""rasa-sdk actions of bodam (Python 3.11 action server)."""

import os
import threading

from bot.logging_masking import install_log_masking

install_log_masking()

if os.environ.get("BODAM_WARM_KNOWLEDGE") == "1":
    # Load the embedding model and clause index while the server starts, not on the
    # first customer's question.
    from bot.actions.backend import knowledge_base

    threading.Thread(target=knowledge_base, name="warm-knowledge", daemon=True).start()
