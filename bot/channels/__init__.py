"""Messaging-app channels of bodam (Rasa input channels), loaded from credentials.yml.

- ``kakao``     KakaoTalk through the Kakao i Open Builder skill API (``KakaoInput``)
- ``telegram``  Rasa's Telegram connector with a configurable Bot API server and env-var
  configuration (``BodamTelegramInput``)
"""
