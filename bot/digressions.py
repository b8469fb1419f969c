"""Side questions answered inside any form, which then repeats its question.

One list for both sides: `tools/generate_form_rules.py` writes a rule per form and
intent from it, and the forms' validation actions leave these messages alone, so that
Rasa rejects the form for them and the rule answers instead.
"""

# intent -> the action that answers it
DIGRESSIONS = {
    "help": "utter_help",
    "contact_info": "action_contact_info",
    "thank": "utter_thank",
    "greet": "utter_greet",
    "ask_premium": "action_premium_info",
    "ask_product_info": "action_product_info",
    "pay_premium": "utter_pay_premium",
    "cancel_policy": "utter_cancel_policy",
    "application_help": "utter_application_help",
    "loss_prevention": "utter_loss_prevention",
    "value_added_services": "utter_value_added_services",
    "claim_documents": "action_claim_documents",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
    "nlu_fallback": "action_handle_fallback",
    "ask_coverage": "action_answer_clause_question",
    "ask_exclusion": "action_answer_clause_question",
    "ask_term": "action_explain_term",
}

# Intents that leave a form by their own rules (cancel, hand-off).
FORM_EXITS = ("cancel", "request_human")
