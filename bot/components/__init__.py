"""Custom Rasa NLU components (run in the Python 3.10 Rasa environment)."""
