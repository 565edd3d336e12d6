"""TM306: tickmig does not know Kapacitor's URL for a Telegraf output it adds."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.configs.model import KAPACITOR_URL_PLACEHOLDER
from tickmig.configs.secrets import redact_url
from tickmig.configs.telegraf import kapacitor_outputs, plan
from tickmig.diagnostics import Severity
from tickmig.rules.helpers.config import ConfigContext, ConfigRule, RuleFinding, output_line


class TelegrafKapacitorUrlPlaceholder(ConfigRule):
    """A Telegraf output to Kapacitor that tickmig adds has a placeholder URL.

    ## What it does
    Reports, at the output it mirrors, each output to Kapacitor that TM305 adds while
    tickmig knows no Kapacitor URL: no `--kapacitor-url`, and no `--kapacitor-conf` whose
    `hostname` and `[http] bind-address` give one. The added output then says
    `urls = ["${KAPACITOR_URL}"]`. Also (as info) when the URL comes from a kapacitor.conf
    whose `hostname` is `localhost` (the packaged default): right only for a Telegraf on
    Kapacitor's own host.

    ## Why is this bad?
    A guessed `http://localhost:9092` is wrong wherever Telegraf and Kapacitor run on
    different hosts, and its writes fail only in Telegraf's log. The placeholder is
    explicit: Telegraf substitutes environment variables in its configuration, and refuses
    the output while `KAPACITOR_URL` is unset.

    ## Example
    `tickmig report tasks/ --telegraf-conf telegraf.conf` with a stream task and no
    kapacitor.conf. Use instead: add `--kapacitor-conf /etc/kapacitor/kapacitor.conf` or
    `--kapacitor-url http://kapacitor:9092`, or set `KAPACITOR_URL` in Telegraf's environment.

    ## References
    Telegraf configuration, environment variables:
    https://github.com/influxdata/telegraf/blob/master/docs/CONFIGURATION.md#environment-variables;
    Kapacitor configuration, `hostname` and `[http]`:
    https://docs.influxdata.com/kapacitor/v1/administration/configuration/.
    """

    code = "TM306"
    name = "telegraf-kapacitor-url-placeholder"
    severity = Severity.WARNING
    config = "telegraf"

    def check_config(self, ctx: ConfigContext) -> Iterator[RuleFinding]:
        conf, facts = ctx.telegraf_conf, ctx.deployment
        local = _local(facts.kapacitor.url) and facts.kapacitor.source != "--kapacitor-url"
        if not facts.kapacitor.placeholder and not local:
            return
        for output, mirrored in plan(conf, kapacitor_outputs(facts), facts).add:
            if not facts.kapacitor.placeholder:
                yield self.finding(
                    ctx,
                    output_line(ctx, mirrored),
                    f"the output to Kapacitor for {output.sends.label} says urls = "
                    f'["{redact_url(facts.kapacitor.url)}"] (hostname of '
                    f"{facts.kapacitor.source}): right "
                    "only for a Telegraf on Kapacitor's host; otherwise give --kapacitor-url",
                    severity=Severity.INFO,
                )
                continue
            yield self.finding(
                ctx,
                output_line(ctx, mirrored),
                f"the output to Kapacitor for {output.sends.label} says urls = "
                f'["{KAPACITOR_URL_PLACEHOLDER}"]: tickmig does not know Kapacitor\'s URL; '
                "give --kapacitor-conf or --kapacitor-url, or set KAPACITOR_URL in "
                "Telegraf's environment",
            )


def _local(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host in ("localhost", "127.0.0.1", "::1")
