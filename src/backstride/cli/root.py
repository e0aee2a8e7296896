"""The root of the command line (``backstride [--db ...] [--debug] [--units ...] [--version]``)
and the ``today`` command, shared by the whole command line (``cli/commands.py``) and by the
small one that :func:`backstride.cli.main` runs for ``backstride today`` alone.

Why a small one: building every command of the whole command line (importing their modules,
reading ~140 signatures) costs about as much as ``import typer`` itself, and the day is asked
for many times a day (docs/architecture.md, "What the day reads"). The root and ``today`` are
declared once, here, so both command lines parse, check and print them alike.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from backstride import __version__
from backstride.cli.common import CliState

TODAY_HELP = "What should I do today? The decision, with reasons and sources."


class _PlainValue:
    """Typer's coercion of one option whose type is plain ``str`` or ``bool``, without building
    pydantic's validator when the value needs none: a missing value stays None and a value
    that already has the option's type is kept as it is (what Typer's validator returns for
    those); any other value goes to Typer's own coercion."""

    def __init__(self, kind: type, library: Callable[[], Any]) -> None:
        self._kind = kind
        self._library = library

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None or type(value) is self._kind:
            return value
        return self._library().coerce(value, param=param, ctx=ctx)


def _plain_values(params: list[Any]) -> list[Any]:
    """Give each single-valued ``str`` or ``bool`` option in ``params`` (the help option too)
    the :class:`_PlainValue` coercion, once. Typer versions that coerce in another way (no
    ``type_descriptor``) are left alone."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        library = getattr(param, "get_runtime_param", None)
        if descriptor is None or library is None or "get_runtime_param" in vars(param):
            continue
        kind = descriptor.annotation
        plain = kind in (str, bool) and descriptor.parameter_info.parser is None
        if plain and not param.multiple and param.nargs == 1:
            param.get_runtime_param = partial(_PlainValue, kind, library)
    return params


class PlainGroup(TyperGroup):
    """The root group, its plain options coerced by :class:`_PlainValue`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_values(super().get_params(ctx))


class PlainCommand(TyperCommand):
    """A command whose plain options are coerced by :class:`_PlainValue`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_values(super().get_params(ctx))


def _units(value: str | None) -> str | None:
    if value is None:
        return None
    from backstride.domain.units import check_units
    from backstride.errors import InvalidInputError

    try:
        return check_units(value)
    except InvalidInputError as exc:
        raise typer.BadParameter(f"{exc.message} {exc.hint}") from exc


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backstride {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or SQLAlchemy URL (default: BACKSTRIDE_DB, else the data dir).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    units: Annotated[
        str | None,
        typer.Option(
            "--units",
            help="km or mi: distances, paces, climbs and shoe limits in kilometres or miles "
            "(default: BACKSTRIDE_UNITS, else the config file, else km).",
            callback=_units,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    run = CliState(db=db, debug=debug, units_flag=units)
    ctx.obj = run
    ctx.call_on_close(run.close)  # the database is closed however the command ends


def root_app() -> typer.Typer:
    """The command line's root, with no command yet."""
    app = typer.Typer(
        name="backstride",
        help=(
            "Run without the back pain: a local-first training log and coach for runners with "
            "back pain. Your data stays on this machine. Not medical advice."
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=PlainGroup,
    )
    app.callback()(_root)
    return app


def add_today(app: typer.Typer) -> None:
    """Register ``backstride today`` on ``app``."""
    from backstride.cli.today import today_command

    app.command("today", help=TODAY_HELP, cls=PlainCommand)(today_command)


def today_app() -> typer.Typer:
    """The command line that only answers ``today`` (what :func:`backstride.cli.main` runs for
    ``backstride [root options] today ...``)."""
    app = root_app()
    add_today(app)
    return app


# The words before the command that the root reads, and whether each takes a value.
ROOT_OPTIONS = {"--db": True, "--units": True, "--debug": False}


def asks_for_today(args: list[str]) -> bool:
    """Whether ``args`` (``sys.argv[1:]``) name the ``today`` command after only root options
    that print nothing by themselves (``--db``, ``--units``, ``--debug``): then the small
    command line answers alike. Anything else (``--help``, ``--version``, an unknown option, a
    missing value) goes to the whole command line."""
    i = 0
    while i < len(args):
        word = args[i]
        if word == "today":
            return True
        name = word.split("=", 1)[0]
        if name not in ROOT_OPTIONS:
            return False
        i += 2 if ROOT_OPTIONS[name] and "=" not in word else 1
    return False
