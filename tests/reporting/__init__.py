"""Tests of `tickmig report` (tickmig/reporting/): goldens, content, configuration patches,
JSON Schema, HTML in headless Chromium."""
