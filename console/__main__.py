"""The bodam web server and its agent accounts.

python -m console [--host 127.0.0.1] [--port 8080]    start the web server (localhost only)
python -m console add-agent NAME                      add an agent (asks for the password)
python -m console add-agent NAME --password-stdin     ... reading it from standard input
python -m console add-agent NAME --reset              new password for an existing agent
python -m console list-agents                         the accounts and their open sessions
python -m console disable-agent NAME                  refuse the agent from now on

Accounts live in the case store ($BODAM_DATABASE_URL or var/bodam.db).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

import uvicorn

from bot.logging_masking import install_log_masking
from casestore import CaseStore, CaseStoreError
from casestore.agents import ACCOUNT_NAME, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, AgentAccounts
from casestore.config import database_url
from casestore.db import masked_url, upgrade
from console.settings import DEFAULT_RASA_URL, DEMO_AGENT, DEMO_PASSWORD


def _fail(ko: str, en: str) -> int:
    print(f"오류: {ko}\nerror: {en}", file=sys.stderr)
    return 1


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in this container
        return "cli"


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("비밀번호 / Password: ")
    if getpass.getpass("비밀번호 확인 / Password again: ") != first:
        return None
    return first


def _add_agent(accounts: AgentAccounts, args: argparse.Namespace) -> int:
    name = args.name.strip().lower()
    if not ACCOUNT_NAME.fullmatch(name):
        return _fail(
            "상담원 이름은 1~32자의 한글, 영문, 숫자, '.', '_', '-'로 입력해 주세요.",
            "the agent name must be 1-32 letters (Hangul or Latin), digits, '.', '_' or '-'.",
        )
    if name == DEMO_AGENT:
        return _fail(
            f"'{DEMO_AGENT}' 계정은 데모 모드(BODAM_DEMO=1) 전용입니다.",
            f"the account '{DEMO_AGENT}' is reserved for demo mode (BODAM_DEMO=1).",
        )
    existing = accounts.get(name)
    if existing is not None and not args.reset:
        return _fail(
            f"상담원 '{name}' 계정이 이미 있습니다. 비밀번호를 바꾸려면 --reset 을 붙여 주세요.",
            f"agent '{name}' already exists; add --reset to give it a new password.",
        )
    if existing is None and args.reset:
        return _fail(f"상담원 '{name}' 계정이 없습니다.", f"there is no agent '{name}'.")
    password = _read_password(args.password_stdin)
    if password is None:
        return _fail("두 비밀번호가 다릅니다.", "the two passwords differ.")
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        return _fail(
            f"비밀번호는 {MIN_PASSWORD_CHARS}~{MAX_PASSWORD_CHARS}자로 정해 주세요.",
            f"the password must be {MIN_PASSWORD_CHARS}-{MAX_PASSWORD_CHARS} characters.",
        )
    if password == DEMO_PASSWORD or password.lower() == name:
        return _fail(
            "공개된 데모 비밀번호나 이름과 같은 비밀번호는 쓸 수 없습니다.",
            "the published demo password, or the name itself, cannot be a password.",
        )
    accounts.add(
        name,
        password,
        actor=_operator(),
        replace=args.reset,
        refused_passwords=frozenset({DEMO_PASSWORD}),
    )
    if args.reset:
        print(f"상담원 '{name}' 비밀번호를 바꾸고 로그인 세션을 모두 끝냈습니다.")
        print(f"agent '{name}' has a new password; their sessions have ended.")
    else:
        print(f"상담원 '{name}' 계정을 추가했습니다. / agent '{name}' added.")
    return 0


def _list_agents(accounts: AgentAccounts) -> int:
    agents = accounts.all()
    if not agents:
        print("상담원 계정이 없습니다. / no agent accounts.")
        return 0
    width = max(len(agent.name) for agent in agents)
    for agent in agents:
        state = "disabled" if agent.disabled else "active"
        print(
            f"{agent.name:<{width}}  {state:<8}  sessions {agent.open_sessions}  "
            f"created {agent.created_at.isoformat(timespec='minutes')}"
        )
    return 0


def _disable_agent(accounts: AgentAccounts, args: argparse.Namespace) -> int:
    name = args.name.strip().lower()
    if accounts.get(name) is None:
        return _fail(f"상담원 '{name}' 계정이 없습니다.", f"there is no agent '{name}'.")
    accounts.disable(name, actor=_operator())
    print(f"상담원 '{name}' 계정을 사용 중지하고 세션을 끝냈습니다.")
    print(f"agent '{name}' is disabled; their sessions have ended.")
    return 0


def manage_accounts(args: argparse.Namespace) -> int:
    url = database_url()
    try:
        with CaseStore.open(url, migrate=True) as store:
            accounts = AgentAccounts(store)
            if args.command == "add-agent":
                return _add_agent(accounts, args)
            if args.command == "disable-agent":
                return _disable_agent(accounts, args)
            return _list_agents(accounts)
    except CaseStoreError as exc:
        return _fail(
            f"고객 정보 시스템({masked_url(url)})을 쓸 수 없습니다: {exc}",
            f"the case store at {masked_url(url)} cannot be used: {exc}",
        )


def serve(args: argparse.Namespace) -> None:
    url = database_url()
    try:
        upgrade(url)  # the account tables must exist before the first sign-in
    except CaseStoreError as exc:
        print(f"case store not migrated ({exc}); sign-in will fail until it is", file=sys.stderr)
    rasa = os.environ.get("BODAM_RASA_URL") or DEFAULT_RASA_URL
    print(f"bodam web: chat http://{args.host}:{args.port}/  console /console  (Rasa {rasa})")
    print(f"agent accounts and case store: {masked_url(url)}")
    uvicorn.run(
        "console.app:app",
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        proxy_headers=False,
        server_header=False,
    )


def main(argv: list[str] | None = None) -> int:
    install_log_masking()
    parser = argparse.ArgumentParser(
        prog="python -m console",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log-level", default="info")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = commands.add_parser("add-agent", help="add an agent account")
    add.add_argument("name", help="account name, recorded as actor agent:<name>")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input instead of a prompt",
    )
    add.add_argument(
        "--reset", action="store_true", help="new password for an existing agent; ends sessions"
    )
    commands.add_parser("list-agents", help="list the agent accounts")
    disable = commands.add_parser("disable-agent", help="refuse an agent's sign-ins and sessions")
    disable.add_argument("name")
    args = parser.parse_args(argv)
    if args.command is None:
        serve(args)
        return 0
    return manage_accounts(args)


if __name__ == "__main__":
    sys.exit(main())
