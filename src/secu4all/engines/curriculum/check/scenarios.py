"""Scenarios: the decision graph (every node reachable, no cycle, every path ends) and the
structure of its nodes and choices, the same in every language."""

from __future__ import annotations

from pathlib import Path

from ..marked_yaml import MarkedDict, MarkedList
from ..model import REFERENCE_LANGUAGE, ScenarioChoice, ScenarioData, ScenarioNode
from .files import FileChecks
from .schema import (
    CHOICE_FIELDS,
    INJECT_FIELDS,
    KINDS,
    NODE_FIELDS,
    OUTCOMES,
    SCENARIO_FIELDS,
    plain,
)


class ScenarioChecks(FileChecks):
    """A scenario in every language, and its graph of nodes and choices."""

    def scenario(
        self,
        folder: Path,
        languages: list[str],
        key: str,
        position: int,
        listed_in: Path,
        line: int,
    ) -> ScenarioData | None:
        texts: dict[str, dict] = {}
        shapes: dict[str, tuple[Path, MarkedDict, dict]] = {}
        for lang, file in self.per_language(
            folder, languages, f"scenarios/{key}.yaml", (listed_in, line)
        ).items():
            data = self.read_yaml(file)
            if data is None or not self.fields(file, data, SCENARIO_FIELDS, "scenario"):
                continue
            if self.ok(data, "id", "id") and str(data["id"]) != key:
                self.problem(
                    file, data.line_of("id"), f"id `{data['id']}` is not the file name `{key}`"
                )
            structure = self.scenario_graph(file, data)
            if structure is None:
                continue
            texts[lang] = plain(data)
            shapes[lang] = (file, data, structure)
        self.same_structure(shapes, f"scenario `{key}`")
        if not shapes:
            return None
        reference = REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in shapes else next(iter(shapes))
        return ScenarioData(key=key, position=position, structure=shapes[reference][2], texts=texts)

    def scenario_graph(self, path: Path, data: MarkedDict) -> dict | None:
        nodes = data.get("nodes")
        if not isinstance(nodes, MarkedList):
            return None
        self.links(path, data.line_of("briefing"), data.get("briefing"))
        graph: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        structure_nodes: list[ScenarioNode] = []
        for index, node in enumerate(nodes):
            what = f"node {index + 1}"
            if not self.fields(path, node, NODE_FIELDS, what, nodes.line_of(index)):
                continue
            if not self.ok(node, "id", "id"):
                continue
            node_id = str(node["id"])
            what = f"node `{node_id}`"
            if node_id in graph:
                self.problem(path, node.line, f"{what}: the id is used twice")
            lines[node_id] = node.line
            self.links(path, node.line_of("narrative"), node.get("narrative"))
            image = node.get("image")
            if isinstance(image, str):
                self.media_ref(path, node.line_of("image"), image)
                if not node.get("image_alt"):
                    self.problem(path, node.line_of("image"), f"{what}: an image needs image_alt")
            inject = node.get("inject")
            after = None
            if isinstance(inject, MarkedDict) and self.fields(
                path, inject, INJECT_FIELDS, f"{what}: inject"
            ):
                after = inject.get("after_minutes")
                if KINDS["number"](after) and after < 0:
                    self.problem(path, inject.line_of("after_minutes"), f"{what}: negative minutes")
            is_end = node.get("end") is True
            choices = node.get("choices") or []
            choice_shapes: list[ScenarioChoice] = []
            if is_end:
                if choices:
                    self.problem(path, node.line_of("choices"), f"{what}: an end has no choices")
                if node.get("outcome") not in OUTCOMES:
                    self.problem(
                        path,
                        node.line_of("outcome"),
                        f"{what}: outcome must be good, mixed or poor",
                    )
                graph[node_id] = []
            else:
                if "outcome" in node:
                    self.problem(path, node.line_of("outcome"), f"{what}: only an end has outcome")
                if not 2 <= len(choices) <= 4:
                    self.problem(
                        path,
                        node.line_of("choices"),
                        f"{what}: a decision node has 2 to 4 choices, not {len(choices)} "
                        "(or mark it `end: true`)",
                    )
                good = self.entries(path, node, "choices", CHOICE_FIELDS, what, 0)
                recommended = [c for c in good if c.get("recommended") is True]
                if good and len(recommended) != 1:
                    self.problem(
                        path,
                        node.line_of("choices"),
                        f"{what}: exactly one choice must be recommended, {len(recommended)} are",
                    )
                for choice in good:
                    score = choice.get("score")
                    if KINDS["int"](score) and not 0 <= score <= 3:
                        self.problem(path, choice.line_of("score"), f"{what}: score must be 0 to 3")
                    choice_shapes.append(
                        ScenarioChoice(
                            id=str(choice["id"]),
                            next_node=str(choice.get("next")),
                            score=score,
                            recommended=choice.get("recommended") is True,
                        )
                    )
                graph[node_id] = [str(c.get("next")) for c in good]
                lines.update({f"{node_id}->{c.get('next')}": c.line_of("next") for c in good})
            structure_nodes.append(
                ScenarioNode(
                    id=node_id,
                    end=is_end,
                    outcome=node.get("outcome"),
                    image=image,
                    inject_minutes=after,
                    choices=choice_shapes,
                )
            )
        start = str(data.get("start"))
        if start not in graph:
            self.problem(path, data.line_of("start"), f"start node `{start}` does not exist")
            return None
        for node_id, targets in graph.items():
            for target in targets:
                if target not in graph:
                    self.problem(
                        path,
                        lines.get(f"{node_id}->{target}", lines[node_id]),
                        f"node `{node_id}`: next `{target}` does not exist",
                    )
        reachable = _reachable(graph, start)
        for node_id in graph:
            if node_id not in reachable:
                self.problem(path, lines[node_id], f"node `{node_id}` cannot be reached from start")
        cycle = _find_cycle(graph, start)
        if cycle:
            self.problem(
                path,
                lines[cycle[0]],
                f"the path {' → '.join(cycle)} is a cycle; every path must end at an end node",
            )
        return {"start": start, "nodes": structure_nodes}


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for target in graph.get(stack.pop(), []):
            if target in graph and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _find_cycle(graph: dict[str, list[str]], start: str) -> list[str]:
    """A cycle reachable from ``start`` as a list of node ids (first repeated), or []."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, []):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    return visit(start) if start in graph else []
