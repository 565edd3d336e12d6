"""Every fault of a Kapacitor conversation ends in one clear line on standard error, exit
status 2, no secret in any output, and nothing half-applied that the rollback manifest
does not record."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from .conftest import run_cli
from .server import Call, Fault, KapacitorServer, KapacitorState, make_jwt

pytestmark = pytest.mark.server
SECRET = "pa55-w0rd-never-printed"
SCRIPT = 'dbrp "telegraf"."autogen"\n\nstream\n    |from()\n        .measurement(\'cpu\')\n'


def _two_tasks(state: KapacitorState) -> None:
    state.add_task("a_cpu", SCRIPT)
    state.add_task("b_mem", SCRIPT.replace("cpu", "mem"))


def _export_and_edit(tmp_path: Path, server: KapacitorServer, **cli: str) -> Path:
    export = tmp_path / "e"
    code, _out, err = run_cli("export", str(export), "--kapacitor-url", server.url, **cli)
    assert code == 0, err
    for name in ("a_cpu", "b_mem"):
        path = export / "tasks" / f"{name}.tick"
        path.write_text(path.read_text().replace('"autogen"', '"one_month"'))
    return export


def _one_error_line(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("tickmig: error: "), err
    for needle in needles:
        assert needle in err, err
    assert SECRET not in out + err


def test_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run_cli(
        "export", str(tmp_path / "e"), "--kapacitor-url", f"http://127.0.0.1:{port}"
    )
    _one_error_line(
        code, out, err, f"cannot connect to http://127.0.0.1:{port}: connection refused"
    )
    assert not (tmp_path / "e").exists()


def test_timeout(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.faults.append(Fault("GET", "/kapacitor/v1/tasks", delay=4.0, times=1))
        started = time.monotonic()
        code, out, err = run_cli(
            "export", str(tmp_path / "e"), "--kapacitor-url", server.url, "--timeout", "0.3"
        )
    assert time.monotonic() - started < 3.5  # gave up long before the answer
    _one_error_line(code, out, err, "no answer within 0.3s")


def test_wrong_password_is_a_401_without_the_password(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.users = {"ops": "right"}
        code, out, err = run_cli(
            "export", str(tmp_path / "e"), "--kapacitor-url", server.url, "--username", "ops",
            env={"KAPACITOR_PASSWORD": SECRET},
        )  # fmt: skip
    _one_error_line(code, out, err, "refused the credentials (401): authorization failed")


def test_basic_and_bearer_credentials_are_sent_as_kapacitor_expects(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.users = {"ops": SECRET}
        server.state.shared_secret = "shared"
        _two_tasks(server.state)
        code, _out, err = run_cli(
            "export", str(tmp_path / "basic"), "--kapacitor-url", server.url,
            "--username", "ops", env={"KAPACITOR_PASSWORD": SECRET},
        )  # fmt: skip
        assert code == 0, err
        token = make_jwt("shared", "ops", time.time() + 60)
        code, _out, err = run_cli(
            "export", str(tmp_path / "bearer"), "--kapacitor-url", server.url,
            "--token-env", "KAP_TOKEN", env={"KAP_TOKEN": token},
        )  # fmt: skip
        assert code == 0, err
        expired = make_jwt("shared", "ops", time.time() - 60)
        code, out, err = run_cli(
            "export", str(tmp_path / "expired"), "--kapacitor-url", server.url,
            "--token-env", "KAP_TOKEN", env={"KAP_TOKEN": expired},
        )  # fmt: skip
    _one_error_line(code, out, err, "(401): invalid token: Token is expired")
    assert expired not in out + err


def test_a_read_only_user_gets_403_before_any_change(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        _two_tasks(server.state)
        export = _export_and_edit(tmp_path, server)
        server.state.users = {"viewer": SECRET}
        server.state.readonly_users = {"viewer"}
        before = server.state.snapshot()
        code, out, err = run_cli(
            "apply", str(export), "--kapacitor-url", server.url, "--yes", "--username", "viewer",
            env={"KAPACITOR_PASSWORD": SECRET},
        )  # fmt: skip
        assert server.state.snapshot() == before
    _one_error_line(
        code, out, err, 'not allowed (403): user viewer does not have "write" privilege'
    )
    assert not (export / "rollback.json").exists()


def test_a_task_deleted_since_the_export_is_a_404(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        _two_tasks(server.state)
        export = _export_and_edit(tmp_path, server)
        del server.state.tasks["b_mem"]
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url)
    _one_error_line(
        code, out, err, "GET /kapacitor/v1/tasks/b_mem?script-format=raw", "404: no task exists"
    )


def test_malformed_json(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        server.state.faults.append(
            Fault("GET", "/kapacitor/v1/templates", 200, b'{"templates": [', times=1)
        )
        code, out, err = run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)
    _one_error_line(code, out, err, "Kapacitor sent malformed JSON")
    assert not (tmp_path / "e").exists()


def test_a_500_mid_apply_is_recorded_in_the_rollback_manifest(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        _two_tasks(server.state)
        export = _export_and_edit(tmp_path, server)
        before = server.state.snapshot()
        server.state.faults.append(
            Fault("PATCH", "/kapacitor/v1/tasks/b_mem", 500, b'{"error": "boltdb: disk full"}')
        )
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        _one_error_line(code, out, err, "answered 500: boltdb: disk full", "after 3 change(s)")
        manifest = json.loads((export / "rollback.json").read_text())
        assert manifest["status"].startswith("stopped at call")
        # a 500 may have been a change made: it counts as "unknown", and is rolled back too
        done = [(s["subject"], s["done"]) for s in manifest["steps"] if s["done"]]
        assert done == [("task a_cpu", True)] * 3 + [("task b_mem", "unknown")]
        server.state.faults.clear()
        code, _out, err = run_cli(
            "apply", "--rollback", str(export / "rollback.json"), "--kapacitor-url", server.url
        )
        assert code == 0, err
        assert server.state.snapshot() == before


def test_a_task_changed_mid_apply_stops_the_apply(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        _two_tasks(server.state)
        export = _export_and_edit(tmp_path, server)

        def someone_edits_b(call: Call, state: KapacitorState) -> None:
            if call.method == "PATCH" and call.path.endswith("/a_cpu"):
                state.tasks["b_mem"]["script"] += "// edited meanwhile\n"
                state.after_call = None

        server.state.after_call = someone_edits_b
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        _one_error_line(code, out, err, "task b_mem changed on Kapacitor during the apply; stopped")
        assert "tickmig apply --rollback" in err
        edited = server.state.tasks["b_mem"]["script"]
        code, _out, err = run_cli(
            "apply", "--rollback", str(export / "rollback.json"), "--kapacitor-url", server.url
        )
        assert code == 0, err
        # a_cpu is back; b_mem keeps the edit tickmig did not make
        assert server.state.tasks["a_cpu"]["script"] == SCRIPT
        assert server.state.tasks["b_mem"]["script"] == edited


def test_credentials_in_the_url_are_refused_without_echoing_them(tmp_path: Path) -> None:
    code, out, err = run_cli(
        "export", str(tmp_path / "e"), "--kapacitor-url", f"http://ops:{SECRET}@127.0.0.1:9092"
    )
    _one_error_line(code, out, err, "must not carry credentials")


def test_an_unset_password_variable_is_named_not_guessed(tmp_path: Path) -> None:
    code, out, err = run_cli(
        "export", str(tmp_path / "e"), "--kapacitor-url", "http://127.0.0.1:9",
        "--username", "ops", "--password-env", "NO_SUCH_VAR_TICKMIG",
    )  # fmt: skip
    _one_error_line(code, out, err, "$NO_SUCH_VAR_TICKMIG (unset)")


def test_a_self_signed_certificate_needs_insecure_skip_verify(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (needed to make a self-signed certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    with KapacitorServer(tls=(str(cert), str(key))) as server:
        _two_tasks(server.state)
        code, out, err = run_cli("export", str(tmp_path / "a"), "--kapacitor-url", server.url)
        _one_error_line(code, out, err, "certificate verify failed")
        code, _out, err = run_cli(
            "export", str(tmp_path / "b"), "--kapacitor-url", server.url, "--insecure-skip-verify"
        )
    assert code == 0, err
    assert (tmp_path / "b" / "tasks" / "a_cpu.tick").read_text() == SCRIPT


TEMPLATE = 'var crit = 90\n\nstream\n    |from()\n    |alert()\n        .crit(lambda: "v" > crit)\n'


def test_a_failed_template_cascade_is_rolled_back_template_and_all(tmp_path: Path) -> None:
    """Kapacitor rolls back the tasks of a failed template PATCH but keeps the new template
    (updateAllAssociatedTasks); the rollback manifest counts that PATCH as possibly made."""
    with KapacitorServer() as server:
        server.state.add_template("tpl", TEMPLATE)
        for name in ("a", "b"):
            server.state.add_task(name, template_id="tpl", dbrps=[{"db": "t", "rp": "autogen"}])
        export = tmp_path / "e"
        assert run_cli("export", str(export), "--kapacitor-url", server.url)[0] == 0
        (export / "templates" / "tpl.tick").write_text(TEMPLATE.replace("90", "95"))
        before = server.state.snapshot()
        server.state.start_errors["b"] = "failed to start task: boom"
        code, out, err = run_cli("apply", str(export), "--kapacitor-url", server.url, "--yes")
        _one_error_line(
            code, out, err,
            "answered 500: error reloading associated task b: failed to start task: boom",
            "after 0 change(s) and call",
        )  # fmt: skip
        assert server.state.templates["tpl"]["script"] != TEMPLATE  # Kapacitor kept it
        manifest = json.loads((export / "rollback.json").read_text())
        assert [s["done"] for s in manifest["steps"] if s["kind"] == "change"] == ["unknown"]
        server.state.start_errors.clear()
        code, _out, err = run_cli(
            "apply", "--rollback", str(export / "rollback.json"), "--kapacitor-url", server.url
        )
        assert code == 0, err
        assert server.state.snapshot() == before


def test_a_task_list_that_moves_between_pages_is_refused(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        for i in range(120):
            server.state.add_task(f"t{i:03d}", SCRIPT)

        def a_task_is_defined(call: Call, state: KapacitorState) -> None:
            if call.path == "/kapacitor/v1/tasks" and call.query.get("offset") == ["0"]:
                state.add_task("a_new_one", SCRIPT)  # sorts first: page 2 repeats t099

        server.state.after_call = a_task_is_defined
        code, out, err = run_cli("export", str(tmp_path / "e"), "--kapacitor-url", server.url)
    _one_error_line(code, out, err, "the list of tasks changed while it was read; export again")
    assert not (tmp_path / "e").exists()


def test_an_unwritable_rollback_manifest_stops_before_any_change(tmp_path: Path) -> None:
    with KapacitorServer() as server:
        _two_tasks(server.state)
        export = _export_and_edit(tmp_path, server)
        before = server.state.snapshot()
        target = tmp_path / "no-such-dir" / "rollback.json"
        code, out, err = run_cli(
            "apply", str(export), "--kapacitor-url", server.url, "--yes",
            "--rollback-manifest", str(target),
        )  # fmt: skip
        assert server.state.snapshot() == before
    _one_error_line(code, out, err, "cannot write the rollback manifest")
