"""The rule registry: every rule, by code. Codes are stable and never reused: TM0xx script
and task problems, TM1xx what breaks against InfluxDB 2, TM2xx migration bookkeeping, TM3xx
the Telegraf and kapacitor.conf files (rules/helpers/config.py: ConfigRule), TM4xx what depends
on the target profile (InfluxDB 3 naming, limits and capabilities, Kapacitor versions, the
InfluxDB Cloud plan's limits)."""

from __future__ import annotations

from collections.abc import Iterable

from tickmig.rules.base import Rule
from tickmig.rules.cloud_bucket_limit import CloudBucketLimit
from tickmig.rules.cloud_retention_limit import CloudRetentionLimit
from tickmig.rules.cluster_reference import ClusterReference
from tickmig.rules.dbrp_declared_twice import DBRPDeclaredTwice
from tickmig.rules.flow_does_not_land import FlowDoesNotLand
from tickmig.rules.helpers.config import ConfigRule
from tickmig.rules.influxdbout_create import InfluxDBOutCreate
from tickmig.rules.info import RuleInfo
from tickmig.rules.input_error import InputErrorRule
from tickmig.rules.invalid_task_type import InvalidTaskType
from tickmig.rules.kapacitor_cluster_missing import KapacitorClusterMissing
from tickmig.rules.kapacitor_clusters_disagree import KapacitorClustersDisagree
from tickmig.rules.kapacitor_config_overrides import KapacitorConfigOverrides
from tickmig.rules.kapacitor_default_cluster import KapacitorDefaultCluster
from tickmig.rules.kapacitor_default_retention_policy import KapacitorDefaultRetentionPolicy
from tickmig.rules.kapacitor_flux_token import KapacitorFluxToken
from tickmig.rules.kapacitor_http_auth import KapacitorHttpAuth
from tickmig.rules.kapacitor_influxdb_credentials import KapacitorInfluxdbCredentials
from tickmig.rules.kapacitor_influxdb_url import KapacitorInfluxdbUrl
from tickmig.rules.kapacitor_listener_renamed import KapacitorListenerRenamed
from tickmig.rules.kapacitor_no_influxdb import KapacitorNoInfluxdb
from tickmig.rules.kapacitor_subscriptions_enabled import KapacitorSubscriptionsEnabled
from tickmig.rules.kapacitor_udf import KapacitorUdf
from tickmig.rules.kapacitor_version_gate import KapacitorVersionGate
from tickmig.rules.missing_dbrp import MissingDBRP
from tickmig.rules.planned_rename import PlannedRename
from tickmig.rules.precision_mishandled import PrecisionMishandled
from tickmig.rules.query_flux import QueryFlux
from tickmig.rules.read_from_unmapped_dbrp import ReadFromUnmappedDBRP
from tickmig.rules.select_into import SelectInto
from tickmig.rules.stream_needs_direct_writes import StreamNeedsDirectWrites
from tickmig.rules.syntax_error import SyntaxErrorRule
from tickmig.rules.system_database import SystemDatabase
from tickmig.rules.target_flux import TargetNoFlux
from tickmig.rules.target_influxql_unsupported import TargetInfluxQLUnsupported
from tickmig.rules.telegraf_database_creation import TelegrafDatabaseCreation
from tickmig.rules.telegraf_influxdb_url import TelegrafInfluxdbUrl
from tickmig.rules.telegraf_kapacitor_output_missing import TelegrafKapacitorOutputMissing
from tickmig.rules.telegraf_kapacitor_output_without_rp import TelegrafKapacitorOutputWithoutRP
from tickmig.rules.telegraf_kapacitor_url_placeholder import TelegrafKapacitorUrlPlaceholder
from tickmig.rules.telegraf_output_destination import TelegrafOutputDestination
from tickmig.rules.telegraf_single_table_output import TelegrafSingleTableOutput
from tickmig.rules.template_var_dbrp import TemplateVarDBRP
from tickmig.rules.todo_left import TodoLeft
from tickmig.rules.undeclared_query_source import UndeclaredQuerySource
from tickmig.rules.unqualified_batch_query import UnqualifiedBatchQuery
from tickmig.rules.utf8_bom import Utf8Bom
from tickmig.rules.v3_autogen_database import V3AutogenDatabase
from tickmig.rules.v3_database_limit import V3DatabaseLimit
from tickmig.rules.v3_database_not_found import V3DatabaseNotFound
from tickmig.rules.v3_fluxtask_enabled import V3FluxtaskEnabled
from tickmig.rules.v3_invalid_name import V3InvalidName
from tickmig.rules.v3_query_window import V3QueryWindow
from tickmig.rules.v3_retention import V3Retention
from tickmig.rules.v3_rp_case import V3RetentionPolicyCase
from tickmig.rules.v3_write_precision import V3WritePrecision
from tickmig.rules.write_consistency_ignored import WriteConsistencyIgnored
from tickmig.rules.write_to_unmapped_dbrp import WriteToUnmappedDBRP
from tickmig.rules.write_without_default_rp import WriteWithoutDefaultRP

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    InvalidTaskType,
    MissingDBRP,
    DBRPDeclaredTwice,
    InputErrorRule,
    WriteToUnmappedDBRP,
    ReadFromUnmappedDBRP,
    UnqualifiedBatchQuery,
    UndeclaredQuerySource,
    InfluxDBOutCreate,
    PrecisionMishandled,
    WriteConsistencyIgnored,
    ClusterReference,
    TemplateVarDBRP,
    StreamNeedsDirectWrites,
    SelectInto,
    QueryFlux,
    WriteWithoutDefaultRP,
    SystemDatabase,
    Utf8Bom,
    PlannedRename,
    FlowDoesNotLand,
    TodoLeft,
    TelegrafKapacitorOutputWithoutRP,
    TelegrafDatabaseCreation,
    TelegrafOutputDestination,
    TelegrafInfluxdbUrl,
    TelegrafKapacitorOutputMissing,
    TelegrafKapacitorUrlPlaceholder,
    TelegrafSingleTableOutput,
    KapacitorNoInfluxdb,
    KapacitorSubscriptionsEnabled,
    KapacitorInfluxdbCredentials,
    KapacitorInfluxdbUrl,
    KapacitorDefaultCluster,
    KapacitorClusterMissing,
    KapacitorClustersDisagree,
    KapacitorFluxToken,
    KapacitorDefaultRetentionPolicy,
    KapacitorHttpAuth,
    KapacitorConfigOverrides,
    KapacitorListenerRenamed,
    V3FluxtaskEnabled,
    V3RetentionPolicyCase,
    V3InvalidName,
    V3AutogenDatabase,
    V3DatabaseLimit,
    V3Retention,
    V3DatabaseNotFound,
    TargetInfluxQLUnsupported,
    V3QueryWindow,
    V3WritePrecision,
    TargetNoFlux,
    KapacitorUdf,
    KapacitorVersionGate,
    CloudBucketLimit,
    CloudRetentionLimit,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}


def config_rules(enabled: Iterable[str] | None = None) -> list[ConfigRule]:
    """The TM3xx rules (of `enabled` codes, when given), instantiated."""
    wanted = None if enabled is None else set(enabled)
    return [
        rule()
        for rule in ALL_RULES
        if issubclass(rule, ConfigRule) and (wanted is None or rule.code in wanted)
    ]


def rule_infos() -> dict[str, RuleInfo]:
    return {rule.code: rule.info() for rule in ALL_RULES}


def select(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> set[str]:
    """The codes enabled by `--select`/`--ignore` prefixes (`TM1` = every TM1xx; `ALL`).
    Raises ValueError naming an unknown selector."""
    codes = set(BY_CODE)

    def expand(selector: str) -> set[str]:
        selector = selector.strip().upper()
        if selector == "ALL":
            return set(codes)
        found = {c for c in codes if c.startswith(selector)}
        if not found:
            raise ValueError(f"unknown rule selector {selector!r} (see `tickmig rules`)")
        return found

    chosen: set[str] = set()
    selectors = list(select)
    for selector in selectors or ["ALL"]:
        chosen |= expand(selector)
    for selector in ignore:
        chosen -= expand(selector)
    return chosen
