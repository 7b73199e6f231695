"""Extractors: one module per source of facts, each reading a KernelTree."""
