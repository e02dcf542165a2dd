"""YAML from a client folder, parsed within limits.

``yaml.safe_load`` refuses tags that run code, but not structure: a few hundred
bytes can nest a hundred thousand levels (a RecursionError) or, through
aliases, expand to billions of values (the "billion laughs"); PyYAML's scanner
is also quadratic on a long run of ``[``. :func:`load_yaml` refuses all three,
by name of the limit (:mod:`socialkit.limits`), before any value is built.
"""

from __future__ import annotations

import yaml

from socialkit.limits import limit, over_limit

__all__ = ["load_yaml"]


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with bounded nesting depth, aliases and expanded size.

    A few hundred bytes of YAML can nest a hundred thousand levels (a
    RecursionError) or, through aliases, expand to billions of values; both are
    refused while composing, before any value is built.
    """

    def __init__(self, stream, src: str):
        super().__init__(stream)
        self.src, self.depth, self.aliases = src, 0, 0
        self.max_depth, self.max_aliases = limit("MAX_YAML_DEPTH"), limit("MAX_YAML_ALIASES")
        self.sizes: dict[int, int] = {}

    def fetch_flow_collection_start(self, token_class):
        # checked in the scanner: a long run of "[" makes PyYAML's scanner quadratic
        # (every open bracket is a possible simple key) before a node is composed
        super().fetch_flow_collection_start(token_class)
        if self.flow_level > self.max_depth:
            raise over_limit(self.src, "MAX_YAML_DEPTH", f"{self.flow_level}+")

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.max_aliases:
                raise over_limit(self.src, "MAX_YAML_ALIASES", self.aliases)
        self.depth += 1
        if self.depth > self.max_depth:
            raise over_limit(self.src, "MAX_YAML_DEPTH", self.depth)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def expanded_size(self, node) -> int:
        """Values in ``node`` with every alias expanded (memoised: linear in the document)."""
        key = id(node)
        if key not in self.sizes:
            if isinstance(node, yaml.MappingNode):
                kids = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                kids = node.value
            else:
                kids = []
            self.sizes[key] = 1 + sum(self.expanded_size(k) for k in kids)
        return self.sizes[key]


#: Every level of nesting needs one of these: a block sequence "-", a mapping ":" or
#: "?", a flow "[" or "{".
_NESTING = "-:?[{"


def _within_limits_whatever_its_shape(text: str) -> bool:
    """Whether ``text`` cannot break a YAML limit however it parses, so libyaml (whose
    nesting and aliases cannot be bounded from Python) may read it: no anchor or alias
    at all, fewer nesting marks than ``MAX_YAML_DEPTH`` and fewer characters than
    ``MAX_YAML_NODES`` (each value takes one)."""
    return (
        getattr(yaml, "__with_libyaml__", False)
        and "&" not in text
        and "*" not in text
        and len(text) < limit("MAX_YAML_NODES")
        and sum(text.count(c) for c in _NESTING) < limit("MAX_YAML_DEPTH")
    )


def load_yaml(text: str, src: str = "client.yaml"):
    """Parse YAML text safely within the YAML limits (:mod:`socialkit.limits`).

    Parameters
    ----------
    text : str
    src : str
        Name used in error messages.

    Raises
    ------
    LimitError
        Nesting deeper than ``MAX_YAML_DEPTH``, more aliases than
        ``MAX_YAML_ALIASES`` or more values, once expanded, than ``MAX_YAML_NODES``.
    yaml.YAMLError
        Not valid YAML (or a tag ``safe_load`` refuses).
    """
    if _within_limits_whatever_its_shape(text):
        try:  # libyaml: ten times faster; any doubt goes to the bounded loader below
            return yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - CSafeLoader is safe
        except yaml.YAMLError:
            pass  # the bounded loader's error is the one we show
    loader = _BoundedLoader(text, src)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = loader.expanded_size(node)
        if size > limit("MAX_YAML_NODES"):
            raise over_limit(src, "MAX_YAML_NODES", size)
        return loader.construct_document(node)
    finally:
        loader.dispose()
