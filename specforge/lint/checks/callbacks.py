"""Where callbacks and servers must not appear: callbacks inside callbacks, and (3.1) in webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specforge.lint.checks.path_items import follow, iter_operations
from specforge.lint.context import MISSING, Context
from specforge.lint.model import Problem


def callbacks_in_callbacks(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report ``callbacks`` on an operation that is itself part of a callback."""
    if value is not MISSING and ctx.node.ancestor("Callback") is not None:
        yield Problem("Callbacks should not be defined within a callback.", at_key=True)


def servers_in_webhook(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report ``servers`` on a webhook's path item or on one of its operations."""
    yield from _in_webhooks(value, ctx, "servers", "Servers should not be defined in a webhook.", path_item=True)


def callbacks_in_webhook(value: Any, options: Any, ctx: Context) -> Iterator[Problem]:
    """Report ``callbacks`` on an operation of a webhook."""
    yield from _in_webhooks(value, ctx, "callbacks", "Callbacks should not be defined in a webhook.", path_item=False)


def _in_webhooks(webhooks: Any, ctx: Context, field: str, message: str, *, path_item: bool) -> Iterator[Problem]:
    if not isinstance(webhooks, dict):
        return
    node = ctx.node
    for name, raw in webhooks.items():
        if not isinstance(raw, dict) or name.startswith("x-"):
            continue
        item = follow(ctx, raw, node.source, node.pointer + ("webhooks", name))
        if item is None or not isinstance(item.value, dict):
            continue
        if path_item and field in item.value:
            yield Problem(message, item.pointer + (field,), at_key=True, source=item.source)
        for _method, operation in iter_operations(item, ctx):
            if field in operation.value:
                yield Problem(message, operation.pointer + (field,), at_key=True, source=operation.source)
