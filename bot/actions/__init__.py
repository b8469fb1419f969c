"""rasa-sdk actions of bodam (Python 3.11 action server)."""

from bot.logging_masking import install_log_masking

install_log_masking()
