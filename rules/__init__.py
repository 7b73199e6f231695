"""Built-in rule packs (TOML). Installed as ``ckptlint.rules``."""
