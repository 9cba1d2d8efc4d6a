"""Reading YAML that users supply: plain data only, no aliases, bounded in size and depth.

PyYAML's safe loader still expands aliases, so a few hundred bytes of nested anchors
("billion laughs") become gigabytes of lists; the events are checked before anything
is built, which costs time linear in the text.
"""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20


class UserYamlError(ValueError):
    """The text is not YAML this platform accepts; the message says where and why."""


def _where(event: yaml.Event | yaml.MarkedYAMLError) -> str:
    mark = getattr(event, "problem_mark", None) or event.start_mark
    return _("line %(line)d, column %(column)d") % {
        "line": mark.line + 1,
        "column": mark.column + 1,
    }


def load_user_yaml(
    text: str | bytes, *, name: str, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> object:
    """The data of one YAML document, or UserYamlError naming the file, place and reason."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > max_bytes:
        raise UserYamlError(
            _("%(name)s is %(size)s bytes; a YAML file may have at most %(max)s bytes.")
            % {"name": name, "size": f"{size:,}", "max": f"{max_bytes:,}"}
        )
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise UserYamlError(
                    _(
                        "%(name)s uses a YAML anchor or alias (& or *) at %(where)s; "
                        "write the values out in full."
                    )
                    % {"name": name, "where": _where(event)}
                )
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > max_depth:
                    raise UserYamlError(
                        _("%(name)s nests deeper than %(max)d levels at %(where)s.")
                        % {"name": name, "max": max_depth, "where": _where(event)}
                    )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
        return yaml.safe_load(text)
    except UserYamlError:
        raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _where(error) if mark else "?"
        raise UserYamlError(
            _("%(name)s is not valid YAML at %(where)s: %(problem)s")
            % {"name": name, "where": where, "problem": getattr(error, "problem", None) or error}
        ) from None
    except ValueError as error:
        # A number with tens of thousands of digits passes the parser but not int().
        raise UserYamlError(
            _("%(name)s holds a value that cannot be read: %(error)s")
            % {"name": name, "error": error}
        ) from None
