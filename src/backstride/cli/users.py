"""``backstride user add|list|disable|enable``: the server mode's accounts (docs/server.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, print_json, state
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing
from backstride.domain.access import Role
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.services.accounts import Account

app = typer.Typer(no_args_is_help=True)


def _as_json(account: Account) -> dict[str, object]:
    return {
        "id": account.id,
        "email": account.email,
        "name": account.name,
        "role": account.role.value,
        "disabled": account.disabled,
        "login": _login_kinds(account),
        "created_at": account.created_at.isoformat(),
    }


def _login_kinds(account: Account) -> str:
    kinds = [
        k
        for k, on in (("password", account.has_password), ("login server", account.has_oidc))
        if on
    ]
    return " and ".join(kinds) or "login server (not yet used)"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInputError("No password on standard input.", hint="Pipe one line in.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInputError(
            "There is no terminal to ask for the password.",
            hint="Pipe it in with --password-stdin, or use --no-password for the login server.",
        )
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat the password", hide_input=True)
    if first != second:
        raise InvalidInputError("The two passwords differ; nothing was changed.")
    return str(first)


@app.command("add")
def add_command(
    email: Annotated[str, typer.Argument(help="The person's e-mail address (the account name).")],
    name: Annotated[str, typer.Option("--name", help="The name shown on pages.")] = "",
    role: Annotated[
        Role,
        typer.Option(
            "--role", help="runner (keeps her own data) or professional (sees what runners share)."
        ),
    ] = Role.RUNNER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    no_password: Annotated[
        bool,
        typer.Option("--no-password", help="No password: logs in through the login server only."),
    ] = False,
    json_out: JsonOut = False,
) -> None:
    """Add an account (asks for its password unless --no-password)."""
    from backstride.services.accounts import add_user

    password = None if no_password else _read_password(password_stdin)
    account = add_user(state().app(), email=email, name=name, role=role, password=password)
    if json_out:
        print_json(_as_json(account))
        return
    console.print(f"Added {account.role.value} {account.email} ({account.name}).")


@app.command("list")
def list_command(
    json_out: JsonOut = False,
) -> None:
    """List the accounts."""
    from backstride.services.accounts import list_users

    accounts = list_users(state().app())
    if json_out:
        print_json([_as_json(a) for a in accounts])
        return
    if not accounts:
        console.print("No accounts yet. Add one with: backstride user add EMAIL")
        return
    table = listing("e-mail", "name", "role", "logs in with", "state", whole=("e-mail",))
    for a in accounts:
        table.add_row(
            a.email, a.name, a.role.value, _login_kinds(a), "disabled" if a.disabled else "active"
        )
    console.print(table)


@app.command("disable")
def disable_command(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
) -> None:
    """Disable an account: its logins end at once; its data stays."""
    from backstride.services.accounts import set_disabled

    account = set_disabled(state().app(), email, disabled=True)
    console.print(f"Disabled {account.email}: logged out everywhere; the data stays.")


@app.command("enable")
def enable_command(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
) -> None:
    """Enable a disabled account again."""
    from backstride.services.accounts import set_disabled

    account = set_disabled(state().app(), email, disabled=False)
    console.print(f"Enabled {account.email}.")
