"""Schema-valid fake data: ``Generator(document).generate(schema, seed=0)``."""

from specforge.fake.generator import Generator
from specforge.schema.errors import UnsatisfiableSchema

__all__ = ["Generator", "UnsatisfiableSchema"]
