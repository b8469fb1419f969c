"""Language helpers shared by the custom Rasa NLU components and the action server.

Stdlib only, so the same code runs under Rasa (Python 3.10) and rasa-sdk (Python 3.11).

- ``language``     which language a message is written in
- ``input_guard``  cleaning raw user input and rejecting empty / oversized messages
- ``normalize``    canonical values for ids, dates, money, phones and domain keywords
- ``entities``     every entity of spec/entities.yml found in a message, with offsets
- ``pii``          finding and masking personal data before it is stored or logged

The remaining modules hold the patterns and vocabularies those public modules share.
"""
