"""
A static screen of Freqtrade strategy code, and the few facts the platform reads from it.

`screen_strategy` parses the code with `ast` — it never imports or runs it — and refuses it, naming
every reason with its line, when the code:

- is over the size limit (`TooLarge`, checked before parsing) or is not valid Python;
- does not hold exactly one module-level class deriving from `IStrategy`, or that class is not named
  as the strategy is;
- imports a module outside `ScreenPolicy.allowed_imports`, imports relatively, or imports a refused
  submodule of an allowed one (`logging.config` can import and call anything named in a dict);
- loads a builtin that runs, compiles or imports code, or reaches files, the console or scopes
  (`exec`, `eval`, `compile`, `__import__`, `open`, `input`, `globals`, `vars`, ...);
- names a dunder (`__class__`, `__globals__`, `__subclasses__`, `__builtins__`, ...) other than a few
  harmless ones, a frame, traceback or generator internal (`f_globals`, `tb_frame`, `gi_frame`, ...),
  a module that an allowed module happens to import (`logging.os`, `random._os`) or a known escape
  hatch of an allowed library (`numpy.ctypeslib`, `pandas.read_pickle`, `DataFrame.eval`) — as an
  attribute, in a `match` class pattern, in an imported name, or spelt as a string where that is cheap
  to see (`getattr(x, "__globals__")`, `attrgetter("f_back")`, `"{0.__class__}".format(x)`).

It also reads the class-level literals the platform needs before it runs anything:
`startup_candle_count` (default 0), `timeframe` (default None) and `can_short` (default False). When
they are assigned, they must be literals, since nothing is evaluated.

What the screen does NOT guarantee: that accepted code is harmless. It is a first filter that turns
away obvious and accidental misuse with a clear message. Python is too dynamic for a static check to
prove safety: names built at run time (`getattr(x, "__glo" + "bals__")`) and the I/O that the allowed
libraries offer on purpose (`pandas.read_csv`, `numpy.save`, `logging.FileHandler`, Freqtrade's own
modules) pass it. Isolation comes from the runtime that executes strategies — its own process or
container, no secrets, no network, a file system limited to the job directory, limits on time and
memory — and must hold even for code that passed this screen.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import TypeVar

import attrs

from gentrade_core.errors import Finding, TooLarge, ValidationFailed

FIELD = "code"

ALLOWED_IMPORTS: frozenset[str] = frozenset(
    {
        # The indicator and data stack, and Freqtrade itself (qtpylib lives in freqtrade.vendor).
        "freqtrade",
        "numpy",
        "pandas",
        "pandas_ta",
        "talib",
        "technical",
        # Pure computation from the standard library. `json` and `random` do no I/O of their own.
        # Refused on purpose: `time` (dates come from `datetime`; `time.sleep` only stalls a worker)
        # and `scipy` (a large surface, file loaders included, that strategies seldom need).
        "__future__",
        "abc",
        "collections",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "itertools",
        "json",
        "logging",
        "math",
        "operator",
        "random",
        "re",
        "statistics",
        "typing",
        "warnings",
    }
)

# Dotted modules refused although their top-level module is allowed.
REFUSED_MODULES: frozenset[str] = frozenset({"logging.config"})

# Builtins refused when loaded: they run, compile or import code, or reach files, the console or scopes.
FORBIDDEN_BUILTINS: frozenset[str] = frozenset(
    {
        "__import__",
        "breakpoint",
        "compile",
        "eval",
        "exec",
        "exit",
        "globals",
        "help",
        "input",
        "locals",
        "open",
        "quit",
        "vars",
    }
)

# The only dunders a strategy may name: `super().__init__(config)`, `logging.getLogger(__name__)`.
ALLOWED_DUNDERS: frozenset[str] = frozenset({"__all__", "__doc__", "__init__", "__main__", "__name__"})

# Internals of frames, tracebacks, generators, coroutines and functions: the way back to globals.
INTERNAL_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "ag_code",
        "ag_frame",
        "cr_code",
        "cr_frame",
        "f_back",
        "f_builtins",
        "f_code",
        "f_globals",
        "f_locals",
        "func_code",
        "func_globals",
        "gi_code",
        "gi_frame",
        "tb_frame",
        "tb_next",
    }
)

# Modules reachable as attributes of allowed ones (`logging.os`, `random._os`, `warnings.sys`) and
# escape hatches of allowed libraries.
FORBIDDEN_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "_os",
        "_sys",
        "builtins",
        "ctypes",
        "http",
        "importlib",
        "marshal",
        "multiprocessing",
        "os",
        "pathlib",
        "pickle",
        "requests",
        "shutil",
        "socket",
        "subprocess",
        "sys",
        "threading",
        "urllib",
        # numpy: C calls and a Fortran compiler; pandas: unpickling and expression evaluation;
        # logging: configuration that imports and calls whatever it names.
        "ctypeslib",
        "distutils",
        "f2py",
        "read_pickle",
        "eval",
        "dictConfig",
        "fileConfig",
    }
)

# Calls whose string arguments are attribute names.
_ATTRIBUTE_BY_NAME_CALLS = frozenset(
    {"attrgetter", "delattr", "getattr", "hasattr", "methodcaller", "setattr"}
)
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_FORMAT_FIELD = re.compile(r"\{([^{}]*)\}")
_FORMAT_ATTRIBUTE = re.compile(r"\.([A-Za-z_]\w*)")
_T = TypeVar("_T")


@attrs.frozen
class ScreenPolicy:
    """What the screen lets through. `allowed_imports` holds top-level module names."""

    max_bytes: int = attrs.field(default=1_000_000, validator=attrs.validators.gt(0))
    allowed_imports: frozenset[str] = ALLOWED_IMPORTS
    refused_modules: frozenset[str] = REFUSED_MODULES
    forbidden_builtins: frozenset[str] = FORBIDDEN_BUILTINS
    allowed_dunders: frozenset[str] = ALLOWED_DUNDERS
    internal_attributes: frozenset[str] = INTERNAL_ATTRIBUTES
    forbidden_attributes: frozenset[str] = FORBIDDEN_ATTRIBUTES

    def refuses_attribute(self, name: str) -> bool:
        """Whether naming `name` as an attribute (or an imported name) is refused."""
        return self._refuses_internal(name) or name in self.forbidden_attributes

    def refuses_string(self, text: str) -> bool:
        """
        Whether a string constant spells a refused dunder or internal (`"__globals__"`, `"a.f_back"`).

        Module names (`"os"`) are refused only where a call uses them as attribute names: elsewhere they
        are too likely to be data, such as a column name.
        """
        if not _DOTTED_NAME.fullmatch(text):
            return False
        return any(self._refuses_internal(part) for part in text.split("."))

    def _refuses_internal(self, name: str) -> bool:
        return (_is_dunder(name) and name not in self.allowed_dunders) or name in self.internal_attributes


DEFAULT_POLICY = ScreenPolicy()


@attrs.frozen
class ScreenResult:
    """What the platform reads from screened code without running it."""

    class_name: str
    startup_candle_count: int = 0
    timeframe: str | None = None
    can_short: bool = False


def screen_strategy(
    code: str, expected_name: str | None = None, policy: ScreenPolicy = DEFAULT_POLICY
) -> ScreenResult:
    """
    Screen `code` and read its strategy class; raise `TooLarge` or `ValidationFailed` with every finding.
    """
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > policy.max_bytes:
        raise TooLarge([Finding(FIELD, f"is {size} bytes; the limit is {policy.max_bytes}")])
    tree = _parse(code)
    findings = list(_Screen(policy).findings(tree))
    result = _read_strategy(tree, expected_name, findings)
    if findings or result is None:
        unique = dict.fromkeys(findings)  # `a.__class__.__class__` is one finding, not two
        raise ValidationFailed(sorted(unique, key=lambda f: f.line or 0))
    return result


def _parse(code: str) -> ast.Module:
    try:
        code.encode("utf-8")
    except UnicodeEncodeError as e:
        line = code.count("\n", 0, e.start) + 1
        raise ValidationFailed([Finding(FIELD, "is not valid Unicode text", line)]) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are not our business
            return ast.parse(code, filename="<strategy>")
    except SyntaxError as e:
        raise ValidationFailed([Finding(FIELD, f"is not valid Python: {e.msg}", e.lineno)]) from None
    except ValueError as e:  # null bytes, on Python 3.11
        raise ValidationFailed([Finding(FIELD, f"is not valid Python: {e}")]) from None
    except (RecursionError, MemoryError):
        raise ValidationFailed([Finding(FIELD, "is nested too deeply to parse")]) from None


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


@attrs.frozen
class _Screen:
    """The rules on names, imports and attributes, applied to every node of a tree."""

    policy: ScreenPolicy

    def findings(self, tree: ast.Module) -> Iterator[Finding]:
        for node in ast.walk(tree):  # iterative: deep trees cannot exhaust the stack here
            yield from self._check(node)

    def _check(self, node: ast.AST) -> Iterator[Finding]:
        match node:
            case ast.Import(names=aliases):
                for alias in aliases:
                    yield from self._check_module(alias.name, node.lineno)
            case ast.ImportFrom(level=level, module=module, names=aliases) if level > 0:
                target = "." * level + (module or "")
                yield Finding(FIELD, f"relative import from {target!r} is not allowed", node.lineno)
            case ast.ImportFrom(module=str() as module, names=aliases):
                yield from self._check_module(module, node.lineno)
                for alias in aliases:
                    yield from self._check_imported_name(module, alias.name, node.lineno)
            case ast.Name(id=name, ctx=ctx):
                if name in self.policy.forbidden_builtins and not isinstance(ctx, ast.Store | ast.Del):
                    yield Finding(
                        FIELD,
                        f"the builtin {name!r} is not allowed (rename any variable of that name)",
                        node.lineno,
                    )
                elif _is_dunder(name) and name not in self.policy.allowed_dunders:
                    yield Finding(FIELD, f"the name {name!r} is not allowed", node.lineno)
            case ast.Attribute(attr=attr) if self.policy.refuses_attribute(attr):
                yield Finding(FIELD, f"access to the attribute {attr!r} is not allowed", node.lineno)
            case ast.MatchClass(kwd_attrs=kwd_attrs):
                for attr in kwd_attrs:
                    if self.policy.refuses_attribute(attr):
                        yield Finding(FIELD, f"matching the attribute {attr!r} is not allowed", node.lineno)
            case ast.Call(func=func, args=args, keywords=keywords) if (
                _called_name(func) in _ATTRIBUTE_BY_NAME_CALLS
            ):
                yield from self._check_attribute_strings(
                    [*args, *(k.value for k in keywords)], _called_name(func), node.lineno
                )
            case ast.Constant(value=str() as text):
                yield from self._check_string(text, node.lineno)
            case _:
                pass

    def _check_module(self, module: str, line: int) -> Iterator[Finding]:
        top = module.partition(".")[0]
        if top not in self.policy.allowed_imports:
            allowed = ", ".join(sorted(self.policy.allowed_imports))
            yield Finding(FIELD, f"import of {top!r} is not allowed (allowed: {allowed})", line)
        elif self._refuses_module(module) or any(
            self.policy.refuses_attribute(part) for part in module.split(".")[1:]
        ):
            yield Finding(FIELD, f"import of {module!r} is not allowed", line)

    def _check_imported_name(self, module: str, name: str, line: int) -> Iterator[Finding]:
        if name == "*" or module.partition(".")[0] not in self.policy.allowed_imports:
            return
        if self.policy.refuses_attribute(name) or self._refuses_module(f"{module}.{name}"):
            yield Finding(FIELD, f"importing {name!r} from {module!r} is not allowed", line)

    def _refuses_module(self, module: str) -> bool:
        return any(module == m or module.startswith(m + ".") for m in self.policy.refused_modules)

    def _check_attribute_strings(self, args: Iterable[ast.expr], call: str, line: int) -> Iterator[Finding]:
        for arg in args:
            if (
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and not self.policy.refuses_string(arg.value)  # the string is reported on its own
            ):
                parts = arg.value.split(".")
                if any(self.policy.refuses_attribute(p) for p in parts):
                    yield Finding(FIELD, f"{call}() of the attribute {arg.value!r} is not allowed", line)

    def _check_string(self, text: str, line: int) -> Iterator[Finding]:
        if self.policy.refuses_string(text):
            yield Finding(FIELD, f"the string {text!r} names an attribute that is not allowed", line)
            return
        for field in _FORMAT_FIELD.findall(text):
            for attr in _FORMAT_ATTRIBUTE.findall(field):
                if self.policy.refuses_attribute(attr):
                    yield Finding(
                        FIELD, f"the format field {{{field}}} reaches {attr!r}, which is not allowed", line
                    )


def _called_name(func: ast.expr) -> str:
    match func:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
        case _:
            return ""


def _read_strategy(
    tree: ast.Module, expected_name: str | None, findings: list[Finding]
) -> ScreenResult | None:
    """Find the one `IStrategy` subclass and read its literals; add findings when that fails."""
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and any(map(_is_istrategy, n.bases))]
    if not classes:
        findings.append(Finding(FIELD, "has no class deriving from IStrategy"))
        return None
    if len(classes) > 1:
        where = ", ".join(f"{c.name} (line {c.lineno})" for c in classes)
        findings.append(
            Finding(
                FIELD,
                f"has {len(classes)} classes deriving from IStrategy, not one: {where}",
                classes[1].lineno,
            )
        )
        return None
    cls = classes[0]
    if expected_name is not None and cls.name != expected_name:
        findings.append(
            Finding(
                FIELD,
                f"the strategy class is named {cls.name} but the strategy is named {expected_name}",
                cls.lineno,
            )
        )
    values = _class_assignments(cls)
    startup = _literal(values, "startup_candle_count", int, 0, "a literal non-negative integer", findings)
    timeframe = _literal(values, "timeframe", str, None, "a literal string", findings)
    can_short = _literal(values, "can_short", bool, False, "True or False", findings)
    return ScreenResult(cls.name, startup, timeframe, can_short)


def _is_istrategy(base: ast.expr) -> bool:
    match base:
        case ast.Name(id="IStrategy") | ast.Attribute(attr="IStrategy"):
            return True
        case _:
            return False


def _class_assignments(cls: ast.ClassDef) -> dict[str, ast.expr]:
    """The value last assigned to each plain name in the class body."""
    values: dict[str, ast.expr] = {}
    for stmt in cls.body:
        match stmt:
            case ast.Assign(targets=targets, value=value):
                for target in targets:
                    if isinstance(target, ast.Name):
                        values[target.id] = value
            case ast.AnnAssign(target=ast.Name(id=name), value=ast.expr() as value):
                values[name] = value
            case _:
                pass
    return values


def _literal(
    values: dict[str, ast.expr], name: str, kind: type[_T], default: _T, wanted: str, findings: list[Finding]
) -> _T:
    node = values.get(name)
    if node is None:
        return default
    match node:
        case ast.Constant(value=value) if type(value) is kind:  # exact: True is not an int here
            return value
        case _:
            findings.append(
                Finding(
                    FIELD, f"{name} must be {wanted}, so it can be read without running the code", node.lineno
                )
            )
            return default
