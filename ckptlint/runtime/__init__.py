"""The speed machinery behind the Session the engine is handed: forked workers, the
on-disk cache and its fingerprints, the codec of cache entries, the cached definition
scan and the Kconfig proxy. It makes a run faster, never different: the serial path
(-j1, no cache) is the reference."""
