"""bodam's Rasa input channels, loaded from credentials.yml (docs/channels.md).

- ``rest``      Rasa's REST channel with strict input and an off switch (``BodamRestInput``)
- ``socketio``  the web chat: Rasa's socket.io channel (``BodamSocketIOInput``)
- ``kakao``     KakaoTalk through the Kakao i Open Builder skill API (``KakaoInput``)
- ``telegram``  Rasa's Telegram connector with a configurable Bot API server and env-var
  configuration (``BodamTelegramInput``)

Every channel prefixes sender ids with its own name (``rest:``, ``web:``, ``kakao:``,
``telegram:``) and answers empty and over-long messages itself (``guard``).
"""
