"""Named checks: rule functions that need logic beyond Spectral's core functions.

Rules address them as ``module:function`` (``structure:oas_schema`` is ``oas_schema`` in
``structure.py``). Each has the signature of a core function: ``(value, options, ctx) -> problems``.
"""
