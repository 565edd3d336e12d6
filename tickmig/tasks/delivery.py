"""How a migrated task reaches Kapacitor, and what it loses on the way.

Kapacitor reads a load directory (`[load] dir`: `tasks/*.tick`, `tasks/*.yaml|json`,
`templates/*.tick`) at start-up and on SIGHUP (`cmd/kapacitord/main.go`, `Server.Reload`);
`services/load/service.go` `loadTask` updates every task of the directory and then disables
and re-enables it, changed or not. Tasks defined through the API (`kapacitor define`) change
only with a new `kapacitor define` (`-tick`, `-type`, `-dbrp`, or `-template` and `-vars`);
an enabled task is restarted by the update (`services/task_store` handleUpdateTask).

A restart loses what the task holds in memory: the points a window has buffered, the
previous point of derivative/difference, the running state of stateDuration/stateCount, the
buffers of join/combine/flatten, the last-seen time of deadman."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from tickmig.tasks.model import Task, method_key

Method = Literal["load-directory", "define", "define-template"]

#: Nodes that keep state between points (lost when the task restarts).
STATEFUL = {
    "Window": "window",
    "Derivative": "derivative",
    "Difference": "difference",
    "CumulativeSum": "cumulativeSum",
    "MovingAverage": "movingAverage",
    "Elapsed": "elapsed",
    "HoltWinters": "holtWinters",
    "HoltWintersWithFit": "holtWintersWithFit",
    "StateDuration": "stateDuration",
    "StateCount": "stateCount",
    "ChangeDetect": "changeDetect",
    "Deadman": "deadman",
    "Join": "join",
    "Combine": "combine",
    "Flatten": "flatten",
}


@dataclass(frozen=True)
class Delivery:
    """How the (migrated) task reaches Kapacitor.

    * load-directory: the file sits in a load directory; `SIGHUP` to kapacitord (or a
      restart) re-reads it, and restarts **every** task of the directory;
    * define: `commands` (argv lists, in order) define it through the API; only this task
      restarts;
    * define-template: a template; `commands` redefine it, and every task made from it
      must be redefined too (`kapacitor define ID -template ...`).
    """

    task_id: str
    method: Method
    commands: tuple[tuple[str, ...], ...]
    #: The stateful nodes whose in-memory state a restart loses (`window`, `derivative`, ...).
    loses_state: tuple[str, ...]
    note: str

    @property
    def loses_window_state(self) -> bool:
        return "window" in self.loses_state


def delivery_of(task: Task) -> Delivery:
    """How `task` reaches Kapacitor once migrated."""
    lost = tuple(
        dict.fromkeys(STATEFUL[k] for n in task.nodes if (k := method_key(n.name)) in STATEFUL)
    )
    folder = os.path.basename(os.path.dirname(os.path.normpath(task.path)))
    task_id = os.path.splitext(os.path.basename(task.path))[0]
    kind = task.type if task.type in ("stream", "batch") else "stream"
    given = [u for u in task.dbrps if u.via == "command-line"]
    dbrp_flags = tuple(
        part for u in given for part in ("-dbrp", f"{u.database.text}.{u.retention_policy.text}")
    )
    if task.definition is not None:
        definition_folder = os.path.basename(os.path.dirname(os.path.normpath(task.definition)))
        definition_id = os.path.splitext(os.path.basename(task.definition))[0]
        if definition_folder == "vars":  # a vars file: defined with -template -vars -dbrp
            command = (
                "kapacitor",
                "define",
                definition_id,
                "-template",
                task_id,
                "-vars",
                task.definition,
                *dbrp_flags,
            )
            return Delivery(
                definition_id,
                "define",
                (command,),
                lost,
                "redefine the template first (kapacitor define-template)",
            )
        return Delivery(
            definition_id,
            "load-directory",
            (),
            lost,
            "SIGHUP to kapacitord re-reads the load directory and restarts every task in it",
        )
    if folder in ("tasks", "templates") and not given:
        if not task.template and not task.dbrps:
            command = ("kapacitor", "define", task_id, "-type", kind, "-tick", task.path)
            return Delivery(
                task_id,
                "define",
                (command,),
                lost,
                "it names no dbrp, which the load directory refuses: add -dbrp DB.RP as when "
                "it was defined (or --dbrp for tickmig)",
            )
        return Delivery(
            task_id,
            "load-directory",
            (),
            lost,
            "SIGHUP to kapacitord re-reads the load directory and restarts every task in it",
        )
    if task.template:
        command = ("kapacitor", "define-template", task_id, "-type", kind, "-tick", task.path)
        return Delivery(
            task_id,
            "define-template",
            (command,),
            lost,
            "then redefine every task made from this template",
        )
    command = ("kapacitor", "define", task_id, "-type", kind, "-tick", task.path, *dbrp_flags)
    return Delivery(
        task_id, "define", (command,), lost, "an enabled task restarts when it is redefined"
    )
