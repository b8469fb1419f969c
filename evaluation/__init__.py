"""bodam's evaluation: NLU quality (`make eval`) and load / latency benchmarks (`make bench`).

Shared helpers (``common``, ``variants``, ``metrics``, ``latency``) use only the standard
library and PyYAML, so they import in both virtual environments: `.venv-rasa` (Python 3.10,
Rasa) and `.venv` (Python 3.11, action server). Rasa itself is imported only inside
``evaluation.rasa_nlu``.
"""
