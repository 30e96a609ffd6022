"""Assemble experiment result files into one Markdown page: our numbers, the paper's claim,
and whether it is confirmed (``tradeoff report DIR``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tradeoff.empirical.results import find_results, read_json, validate_result

__all__ = ["render", "build_report"]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 1e4 or abs(value) < 1e-3:
            return f"{value:.3g}"
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        if len(value) <= 8 and all(not isinstance(v, Mapping | list) for v in value):
            return "[" + ", ".join(_fmt(v) for v in value) + "]"
        return f"[{len(value)} values]"
    return str(value)


def _bullets(numbers: Mapping[str, Any], indent: int = 0) -> list[str]:
    lines = []
    pad = "  " * indent
    for key, value in numbers.items():
        if isinstance(value, Mapping):
            lines.append(f"{pad}- {key}:")
            lines.extend(_bullets(value, indent + 1))
        else:
            lines.append(f"{pad}- {key}: {_fmt(value)}")
    return lines


def _table(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key, value in row.items():
            if key not in cols and not isinstance(value, Mapping):
                cols.append(key)
    if not cols:
        return []
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(c, "")) for c in cols) + " |")
    return lines


def _headline(claim: Mapping[str, Any]) -> str:
    if claim.get("headline"):
        return str(claim["headline"])
    items = [(k, v) for k, v in claim["numbers"].items() if not isinstance(v, Mapping | list)]
    return "; ".join(f"{k} = {_fmt(v)}" for k, v in items[:4])


def _robust_models(res: Mapping[str, Any]) -> list[str]:
    """The robustness check of every adversarially trained model of a result."""
    models = res.get("robust_models") or []
    if not models:
        return []
    lines = ["Robust models (each checked at its own eps_train: PGD accuracy on held-out test "
             "points vs the standard model of the same data and seed; robust when a one-sided "
             "exact McNemar test gives p <= alpha):", "",
             "| model | method | norm | eps_train | n_train | seed | PGD acc. | standard model "
             "| p | robust |", "|---|---|---|---|---|---|---|---|---|---|"]
    for m in models:
        c = m["robustness"]
        lines.append(f"| {m['model']} | {m['method']} | l_{m['norm']} | {m['eps_train']:.4g} | "
                     f"{m.get('n_train')} | {m['seed']} | {100 * c['robust_accuracy']:.1f}% | "
                     f"{100 * c['standard_model_accuracy']:.1f}% | {c['p_value']:.2g} | "
                     f"{'yes' if c['robust'] else '**NO**'} |")
    for line in res.get("errors", []):
        lines.append(f"\n**Run error:** {line}")
    return lines + [""]


def render(results: Iterable[tuple[Path, Mapping[str, Any]]], *, folder: Path | None = None,
           title: str = "Empirical results") -> str:
    """Markdown for ``(path, result)`` pairs; figures are linked relative to ``folder``."""
    results = list(results)
    lines = [f"# {title}", ""]
    lines.append("Paper: Tsipras et al., *Robustness May Be at Odds with Accuracy*, ICLR 2019. "
                 f"{len(results)} result file(s)" + (f" from `{folder}`." if folder else "."))
    lines.append("")
    lines.append("| claim | experiment | dataset | scale | device | verdict | our numbers |")
    lines.append("|---|---|---|---|---|---|---|")
    n_conf = n_total = 0
    for _path, res in results:
        for claim in res["claims"]:
            n_total += 1
            n_conf += bool(claim["confirmed"])
            verdict = "**confirmed**" if claim["confirmed"] else "**not confirmed**"
            if res.get("errors"):
                verdict += f" (**run error**: {len(res['errors'])} model(s) not robust)"
            lines.append(f"| {claim['id']} | `{res['experiment']}` | {res['dataset']} | "
                         f"{res['scale']} | {res['device']} | {verdict} | "
                         f"{_headline(claim).replace('|', '/')} |")
    lines += ["", f"{n_conf} of {n_total} claim(s) confirmed.", ""]
    errors = [(res, line) for _path, res in results for line in res.get("errors", [])]
    if errors:
        lines += ["**Errors of the runs** (an adversarially trained model that is not robust at "
                  "its own eps_train):", ""]
        lines += [f"- `{res['experiment']}`: {line}" for res, line in errors]
        lines.append("")
    for path, res in results:
        lines.append(f"## {', '.join(c['id'] for c in res['claims'])}: "
                     f"{res.get('title', res['experiment'])} ({res['dataset']}, {res['scale']})")
        lines.append("")
        v = res["versions"]
        compute = res.get("points_wall_time_s", float("nan"))
        lines.append(f"File `{path.name}`; device {res.get('device_description', res['device'])};"
                     f" seeds {_fmt(res['seeds'])}; wall time {res['wall_time_s']:.0f} s "
                     f"(grid points: {compute:.0f} s of compute); "
                     f"torch {v.get('torch')}, numpy {v.get('numpy')}, python "
                     f"{v.get('python', '?')}; config hash `{res['config_hash']}`; grid points "
                     f"run {res.get('points_run', '?')}, reused {res.get('points_reused', '?')}.")
        lines.append("")
        for claim in res["claims"]:
            verdict = "confirmed" if claim["confirmed"] else "NOT confirmed"
            lines.append(f"### {claim['id']}: {verdict}")
            lines.append("")
            lines.append(f"*Paper's claim.* {claim['statement']}")
            lines.append("")
            lines.append(f"*Criterion.* {claim['criterion']}")
            lines.append("")
            if claim.get("checks"):
                checks = ", ".join(f"{k}: {_fmt(val)}" for k, val in claim["checks"].items())
                lines.append(f"*Checks.* {checks}")
                lines.append("")
            if claim.get("headline"):
                lines.append(f"*Headline.* {claim['headline']}")
                lines.append("")
            lines.append("*Our numbers.*")
            lines.append("")
            lines.extend(_bullets(claim["numbers"]))
            lines.append("")
        lines.extend(_robust_models(res))
        for name, rows in (res.get("tables") or {}).items():
            if isinstance(rows, list) and rows and isinstance(rows[0], Mapping):
                lines.append(f"Table `{name}`:")
                lines.append("")
                lines.extend(_table(rows))
                lines.append("")
        fig = path.parent / res["figure"]
        if fig.exists():
            rel = os.path.relpath(fig, folder) if folder is not None else fig.name
            lines.append(f"![{res['experiment']}]({rel})")
            lines.append("")
    return "\n".join(lines) + "\n"


def build_report(folder: str | os.PathLike[str], *, output: str | os.PathLike[str] | None = None
                 ) -> str:
    """Read every result file under ``folder`` and return the Markdown page.

    Raises
    ------
    FileNotFoundError
        ``folder`` does not exist or holds no result file.
    ValueError
        A result file is malformed (the message names the file and the key).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    paths = find_results(folder)
    if not paths:
        raise FileNotFoundError(f"no experiment result files (schema tradeoff.empirical.result/1)"
                                f" under {folder}; run `tradeoff run EXPERIMENT --out {folder}`")
    results = []
    for path in paths:
        data = read_json(path)
        try:
            validate_result(data)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc
        results.append((path, data))
    base = Path(output).parent if output is not None else folder
    return render(results, folder=base)
