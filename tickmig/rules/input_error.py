"""TM005: a file tickmig was asked to check could not be read or understood."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import INPUT_ERROR, Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class InputErrorRule(Rule):
    """A path given to tickmig could not be checked (unreadable, missing, or broken).

    ## What it does
    Reports, as a finding in every output format, each input that could not be checked: a
    file that cannot be read or is not UTF-8 text, a task definition (`tasks/*.yaml`) that does
    not parse or names a template that is not there, a path that does not exist, and a
    directory with no `*.tick` file and no task definition below it. The exit status is 2,
    and these findings are reported whatever `--select`, `--ignore` and suppression comments
    say: they are not about a script's content.

    ## Why is this bad?
    Nothing was checked there, so nothing was found there: a clean report would be a lie.
    Kapacitor's load directory refuses the same broken definitions when it starts (the load
    service stops at the first task it cannot define), so the tasks they describe would be
    missing after the migration.

    ## Example
    `tasks/cpu.yaml` names a template with no `templates/cpu.tick` beside it:
    ```yaml tasks/cpu.yaml
    template-id: cpu
    ```

    ## References
    Kapacitor `services/load/service.go` (load directory), `services/task_store/service.go`.
    """

    code = INPUT_ERROR
    name = "input-error"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())  # reported by the engine, which reads the files
