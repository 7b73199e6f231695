"""The engine: plan the extraction, build the graph, run the checks, stamp and filter
(run.py); options, the tree's config, suppressions and baselines."""
