"""Fixtures for the knowledge tests: the real knowledge base, loaded (and built if needed) once
per session, and a tiny knowledge base written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def kb():
    from knowledge import KnowledgeBase

    return KnowledgeBase.load(progress=False)


@pytest.fixture(scope="session")
def evaluator(kb):
    from knowledge.evaluation import Evaluator, load_dev_set

    return Evaluator(kb, load_dev_set())


TINY_HEALTH = """\
product: health
title_ko: 실손의료보험 보통약관
title_en: Medical Expense Insurance — General Terms
clauses:
  - id: health-001
    chapter_ko: 제2장 보상하지 않는 손해
    chapter_en: "Chapter 2 Exclusions"
    article: 12
    title_ko: 치과 치료
    title_en: Dental treatment
    topics: [health.dental]
    text_ko: |
      ① 회사는 치아 질환으로 받은 치과 치료 중 임플란트, 틀니, 치아 교정 비용은 보상하지 않습니다.
    text_en: |
      ① The Company does not pay for implants, dentures or orthodontic treatment.
    plain_ko: 임플란트와 틀니, 교정 비용은 보상하지 않습니다.
    plain_en: Implants, dentures and braces are not paid.
    example_ko: 임플란트를 한 경우 보상받지 못합니다.
    example_en: An implant is not reimbursed.
    action_ko: 치과 보험을 따로 확인하세요.
    action_en: Check for separate dental cover.
    related: []
  - id: health-002
    chapter_ko: 제3장 보험금의 청구
    chapter_en: "Chapter 3 Claims"
    article: 20
    title_ko: 보험금 청구 서류
    title_en: Claim documents
    topics: [common.claim_documents]
    text_ko: |
      ① 보험금을 청구할 때에는 청구서, 진료비 영수증, 진료비 세부내역서를 내야 합니다.
    text_en: |
      ① A claim needs the claim form, the receipt and the itemised bill.
    plain_ko: 청구서와 영수증, 세부내역서를 내면 됩니다.
    plain_en: Send the claim form, the receipt and the itemised bill.
    example_ko: 통원 치료비를 청구하려면 영수증과 세부내역서를 사진으로 보내면 됩니다.
    example_en: For an outpatient bill, send photos of the receipt and the itemised bill.
    action_ko: 앱에서 청구할 수 있습니다.
    action_en: You can claim in the app.
    related: [health-001]
"""

TINY_AUTO = """\
product: auto
title_ko: 개인용 자동차보험 보통약관
title_en: Personal Auto Insurance — General Terms
clauses:
  - id: auto-001
    chapter_ko: 제3장 자기차량손해
    chapter_en: "Chapter 3 Own damage"
    article: 17
    title_ko: 침수로 인한 손해
    title_en: Flood damage
    topics: [auto.flood_damage]
    text_ko: |
      ① 회사는 태풍, 홍수로 피보험자동차가 물에 잠겨 생긴 손해를 보상합니다.
    text_en: |
      ① The Company pays for loss caused when the insured car is submerged by a typhoon or flood.
    plain_ko: 태풍이나 홍수로 차가 물에 잠기면 보상합니다.
    plain_en: If a typhoon or flood submerges the car, the damage is paid.
    example_ko: 장마에 지하주차장이 잠겨 차가 고장 난 경우입니다.
    example_en: Heavy rain floods the underground car park and the engine is ruined.
    action_ko: 사진을 찍어 두세요.
    action_en: Take photos.
    related: []
"""


def write_tiny_kb(folder: Path) -> Path:
    (folder / "clauses").mkdir(parents=True)
    (folder / "clauses" / "health.yml").write_text(TINY_HEALTH, encoding="utf-8")
    (folder / "clauses" / "auto.yml").write_text(TINY_AUTO, encoding="utf-8")
    (folder / "glossary.yml").write_text(
        textwrap.dedent(
            """\
            terms:
              - id: own_damage
                term_ko: 자기차량손해
                aliases_ko: [자차]
                term_en: own damage
                aliases_en: [collision cover]
                definition_ko: 내 차가 부서진 손해를 보상하는 보장입니다.
                definition_en: The cover that pays for damage to your own car.
                products: [auto]
                related_topics: [auto.flood_damage]
            """
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def tiny_kb_dir(tmp_path) -> Path:
    return write_tiny_kb(tmp_path / "kb")
