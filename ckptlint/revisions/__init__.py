"""Commits and patches: git objects, series mode, unified diffs applied in memory,
check-patch, the staged state, overlay trees, the findings a change introduces, and
the ABI snapshot a change is compared with."""
