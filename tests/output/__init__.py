"""Tests of the report formats of `tickmig check` (tickmig/output/)."""
