"""specforge: lint OpenAPI and WSDL contracts, and mock them."""

__version__ = "0.1.0"
