"""JSON Schema helpers shared by lint and fake: dialect normalisation, $ref resolution, allOf merging,
a small validator and satisfiability analysis.
"""

from specforge.schema.errors import UnsatisfiableSchema

__all__ = ["UnsatisfiableSchema"]
