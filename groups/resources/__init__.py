"""The resource library: links and files per group and organisation-wide,
and the crisis lines behind "Get help now". Models live in groups.models."""
