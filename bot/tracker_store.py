"""Rasa SQL tracker store that never writes phone, RRN, card numbers or e-mails unmasked."""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.logging_masking import install_log_masking
from bot.nlp.pii import mask_in

install_log_masking()


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`url` (endpoints.yml) takes a full SQLAlchemy URL: sqlite:///file or postgresql://..."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data: dict[str, Any] = mask_in(event.as_dict())
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
