"""Tests of `tickmig report` (tickmig/report/): goldens, content, configuration patches,
JSON Schema, HTML in headless Chromium."""
