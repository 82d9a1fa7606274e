"""Spectral rulesets: ``.spectral.yaml`` files translated to specforge rules, and the JSONPath-Plus
evaluator their ``given`` paths run on (``jsonpath``, ``filters``, ``ruleset``, ``given``).
"""
