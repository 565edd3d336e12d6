"""Options shared by `tickmig export` and `tickmig apply`: where Kapacitor is and how to log
in (credentials only through environment variables, never on the command line)."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

KapacitorUrlOpt = Annotated[
    str,
    typer.Option(
        "--kapacitor-url", metavar="URL", help="Kapacitor's HTTP API, e.g. http://localhost:9092."
    ),
]
KapUsernameOpt = Annotated[
    str | None,
    typer.Option("--username", help="Basic auth user; the password comes from --password-env."),
]
KapPasswordEnvOpt = Annotated[
    str,
    typer.Option("--password-env", metavar="VAR", help="Variable holding the password."),
]
KapTokenEnvOpt = Annotated[
    str | None,
    typer.Option("--token-env", metavar="VAR", help="Variable holding a bearer token (JWT)."),
]
InsecureOpt = Annotated[
    bool,
    typer.Option("--insecure-skip-verify", help="Accept a self-signed TLS certificate."),
]
TimeoutOpt = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each answer.")
]


def make_client(
    url: str,
    username: str | None,
    password_env: str,
    token_env: str | None,
    insecure: bool,
    timeout: float,
) -> object:
    from tickmig.kapacitor.client import Client, auth_from_env

    return Client(
        url,
        auth_from_env(username, password_env, token_env),
        timeout=timeout,
        insecure_skip_verify=insecure,
    )


def fail(message: str) -> NoReturn:
    """One line on standard error, exit status 2."""
    from tickmig.cli.options import usage_error

    usage_error(message)
