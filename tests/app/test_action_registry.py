"""The action server registers exactly the custom actions the domain names."""

from rasa_sdk.executor import ActionExecutor

from tests.app.conftest import DOMAIN


def test_domain_actions_and_registered_actions_agree() -> None:
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    assert set(executor.actions) == set(DOMAIN["actions"])
