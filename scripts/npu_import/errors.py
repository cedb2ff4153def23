"""The importer's one error type: what went wrong, named by node, op and attribute."""


class ImportFailure(Exception):
    """A model the importer cannot translate exactly; the message names the culprit."""


def node_error(node, op, what):
    """An error naming the graph node, its op and the offending attribute or shape."""
    return ImportFailure(f"node '{node}' (op {op}): {what}")
