"""The FactGraph: facts joined into wiring edges, and every query the checks share."""
