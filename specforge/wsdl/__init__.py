"""WSDL 1.1 / 2.0 contracts: hardened loading with positions, a model for rules, and the lint runner."""
