"""
A static screen of Freqtrade strategy code, and the few facts the platform reads from it.

`screen_strategy` parses the code with `ast` — it never imports or runs it. Its rule of thumb: refuse
what is dangerous or can never load, accept what is merely unusual. It refuses the code, naming every
reason with its line, when the code:

- is over the size limit (`TooLarge`, checked before parsing) or is not valid Python;
- has no strategy class to run: a module-level class deriving from `IStrategy`, directly or through
  classes defined earlier in the file. With a name, the class of that name must be one; without, the
  file must hold exactly one that no other class derives from (several: name one, or split the file);
- spells the strategy's class line so that Freqtrade cannot find it: Freqtrade only loads a file that
  contains the exact text `class Name(`, so `class Name (IStrategy):` can never load (the screen reads
  the class's own line, where Freqtrade would accept the text anywhere, even in a comment);
- imports a module that reaches the system (`os`, `subprocess`, `socket`, `pickle`, ... — each with its
  reason), a module not installed in the runner, a refused part of an allowed library (`scipy.io` reads
  files, `sklearn.datasets` downloads, `logging.config` imports and calls anything named in a dict) —
  also when reached as an attribute of an imported module (`scipy.io.loadmat`) — or imports relatively;
- loads a builtin that runs, compiles or imports code, or reaches files, the console or scopes
  (`exec`, `eval`, `compile`, `__import__`, `open`, `input`, `globals`, `vars`, ...); `exit()` and
  `quit()` pass, since they only raise `SystemExit`;
- names a dunder (`__class__`, `__globals__`, `__subclasses__`, `__builtins__`, ...) other than a few
  harmless ones and module metadata (a module-level constant such as `__author__ = "..."`), a frame,
  traceback or generator internal (`f_globals`, `tb_frame`, `gi_frame`, ...), a module that an allowed
  module happens to import (`logging.os`, `random._os`) or a known escape hatch of an allowed library
  (`numpy.ctypeslib`, `pandas.read_pickle`, `DataFrame.eval`) — as an attribute, in a `match` class
  pattern, in an imported name, or spelt as a string where that is cheap to see
  (`getattr(x, "__globals__")`, `attrgetter("f_back")`, `"{0.__class__}".format(x)`).

It also reads the class-level literals the platform needs before it runs anything:
`startup_candle_count` (default 0), `timeframe` (default None) and `can_short` (default False), from the
strategy class or, when it does not assign them, from its in-file ancestors. When they are assigned,
they must be literals, since nothing is evaluated.

What the screen does NOT guarantee: that accepted code is harmless, or that it loads. It is a first
filter that turns away obvious and accidental misuse with a clear message. Python is too dynamic for a
static check to prove safety: names built at run time (`getattr(x, "__glo" + "bals__")`) and the I/O
that the allowed libraries offer on purpose (`pandas.read_csv`, `numpy.save`, Freqtrade's own modules)
pass it. Isolation comes from the runtime that executes strategies — its own process or container, no
secrets, no network, a file system limited to the job directory, limits on time and memory — and must
hold even for code that passed this screen.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TypeVar

import attrs

from gentrade_core.errors import Finding, TooLarge, ValidationFailed

FIELD = "code"

# Top-level modules a strategy may import: what the runner has installed and does no harm of its own.
ALLOWED_IMPORTS: frozenset[str] = frozenset(
    {
        # Freqtrade itself (qtpylib lives in freqtrade.vendor) and the indicator and data stack.
        "freqtrade",
        "numpy",
        "pandas",
        "pandas_ta",
        "scipy",
        "sklearn",
        "ta",
        "talib",
        "technical",
        # The standard library's computation. `time.sleep` only stalls a job, which its time limit ends.
        "__future__",
        "abc",
        "bisect",
        "calendar",
        "cmath",
        "collections",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "json",
        "logging",
        "math",
        "numbers",
        "operator",
        "random",
        "re",
        "statistics",
        "string",
        "time",
        "typing",
        "warnings",
    }
)

# Modules refused, by reason: top-level ones that reach the system, and parts of allowed libraries
# that do I/O of their own or run native code. A refusal covers submodules and wins over ALLOWED_IMPORTS.
_REFUSED_BY_REASON = {
    "it reads and writes files": (
        "os posix nt pathlib shutil glob tempfile io fileinput linecache mmap sqlite3 dbm zipfile tarfile "
        "gzip bz2 lzma scipy.io"
    ),
    "it starts or signals processes and threads": (
        "subprocess multiprocessing threading _thread concurrent asyncio signal pty"
    ),
    "it reaches the network": (
        "socket ssl select selectors http urllib ftplib smtplib imaplib poplib xmlrpc webbrowser requests "
        "urllib3 httpx aiohttp ccxt"
    ),
    "it reaches the interpreter's internals (modules, frames, memory)": (
        "sys builtins gc inspect ctypes _ctypes cffi faulthandler tracemalloc"
    ),
    "it imports or runs code, or loads objects that run code": (
        "importlib pkgutil zipimport runpy code codeop pdb types pickle _pickle marshal shelve dill "
        "cloudpickle joblib"
    ),
    "it imports and calls whatever a configuration names": "logging.config",
    "its handlers write to files, sockets and mail servers": "logging.handlers",
    "it calls C libraries": "numpy.ctypeslib",
    "it compiles and runs C or Fortran code": "numpy.distutils numpy.f2py numpy.testing",
    "it downloads data over the network": "scipy.datasets sklearn.datasets",
}
REFUSED_IMPORTS: Mapping[str, str] = MappingProxyType(
    {module: reason for reason, modules in _REFUSED_BY_REASON.items() for module in modules.split()}
)

# Builtins refused when loaded: they run, compile or import code, or reach files, the console or scopes.
FORBIDDEN_BUILTINS: frozenset[str] = frozenset(
    {
        "__import__",
        "breakpoint",
        "compile",
        "eval",
        "exec",
        "globals",
        "help",
        "input",
        "locals",
        "open",
        "vars",
    }
)

# The only dunders a strategy may name: `super().__init__(config)`, `logging.getLogger(__name__)`.
ALLOWED_DUNDERS: frozenset[str] = frozenset({"__all__", "__doc__", "__init__", "__main__", "__name__"})

# Names the interpreter gives a meaning to in a module or class namespace: never module metadata.
RESERVED_DUNDERS: frozenset[str] = frozenset(
    {
        "__annotations__",
        "__build_class__",
        "__builtins__",
        "__cached__",
        "__class__",
        "__classcell__",
        "__dict__",
        "__dir__",
        "__file__",
        "__getattr__",
        "__import__",
        "__loader__",
        "__module__",
        "__package__",
        "__path__",
        "__qualname__",
        "__spec__",
        "__warningregistry__",
        "__weakref__",
    }
)

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
        # numpy: C calls, C and Fortran compilers; scipy: C function pointers; pandas: unpickling and
        # expression evaluation; logging: configuration that imports and calls whatever it names.
        "ctypeslib",
        "distutils",
        "extbuild",
        "f2py",
        "LowLevelCallable",
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
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # the parser's line breaks, no others
_T = TypeVar("_T")


@attrs.frozen
class ScreenPolicy:
    """
    What the screen lets through. `allowed_imports` holds top-level module names; `refused_imports`
    maps modules (top-level or dotted) to the reason they are refused, and wins over `allowed_imports`.
    """

    max_bytes: int = attrs.field(default=1_000_000, validator=attrs.validators.gt(0))
    allowed_imports: frozenset[str] = ALLOWED_IMPORTS
    refused_imports: Mapping[str, str] = attrs.field(default=REFUSED_IMPORTS, hash=False)
    forbidden_builtins: frozenset[str] = FORBIDDEN_BUILTINS
    allowed_dunders: frozenset[str] = ALLOWED_DUNDERS
    reserved_dunders: frozenset[str] = RESERVED_DUNDERS
    internal_attributes: frozenset[str] = INTERNAL_ATTRIBUTES
    forbidden_attributes: frozenset[str] = FORBIDDEN_ATTRIBUTES

    def refusal(self, module: str) -> tuple[str, str] | None:
        """The refused module that `module` is or lies in, and why; None when it is not refused."""
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in self.refused_imports:
                return prefix, self.refused_imports[prefix]
        return None

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
    check_size(code, policy)
    tree = parse_code(code)
    findings = list(_Screen.of(tree, policy).findings(tree))
    result = _read_strategy(tree, source_lines(code), expected_name, findings)
    if findings or result is None:
        unique = dict.fromkeys(findings)  # `a.__class__.__class__` is one finding, not two
        raise ValidationFailed(sorted(unique, key=lambda f: f.line or 0))
    return result


def check_size(code: str, policy: ScreenPolicy = DEFAULT_POLICY) -> None:
    """Raise `TooLarge` for code over the limit: checked before parsing, which costs far more."""
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > policy.max_bytes:
        raise TooLarge([Finding(FIELD, f"is {size} bytes; the limit is {policy.max_bytes}")])


def parse_code(code: str) -> ast.Module:
    """Parse strategy code; raise `ValidationFailed` with a finding when it is not valid Python."""
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


def source_lines(code: str) -> list[str]:
    """`code`'s lines with their line breaks, numbered as the parser numbers them (from index 0)."""
    return _LINE.findall(code)


@attrs.frozen(eq=False)
class StrategyClasses:
    """
    The module-level classes of a parsed file: which are strategies, and what each derives from.

    A class is a strategy when it derives from `IStrategy`, directly or through classes defined earlier
    in the file (`class B(A)` after `class A(IStrategy)`): a base defined later is not the same class
    when the class statement runs.
    """

    bases: Mapping[ast.ClassDef, tuple[ast.ClassDef, ...]]  # every class: its in-file bases
    strategies: tuple[ast.ClassDef, ...]  # in file order

    @classmethod
    def of(cls, tree: ast.Module) -> StrategyClasses:
        bound: dict[str, ast.ClassDef] = {}
        bases: dict[ast.ClassDef, tuple[ast.ClassDef, ...]] = {}
        strategies: dict[ast.ClassDef, None] = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                bases[node] = tuple(
                    bound[b.id] for b in node.bases if isinstance(b, ast.Name) and b.id in bound
                )
                if any(map(_is_istrategy, node.bases)) or any(b in strategies for b in bases[node]):
                    strategies[node] = None
                bound[node.name] = node
        return cls(bases, tuple(strategies))

    def named(self, name: str) -> ast.ClassDef | None:
        """The module-level class last defined under `name`, strategy or not."""
        return next((c for c in reversed(list(self.bases)) if c.name == name), None)

    def ancestors(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        """`cls`'s in-file ancestors, nearest and leftmost first, each once."""
        found: dict[ast.ClassDef, None] = {}
        pending = list(reversed(self.bases[cls]))
        while pending:
            base = pending.pop()
            if base not in found:
                found[base] = None
                pending.extend(reversed(self.bases[base]))
        return list(found)

    def leaves(self) -> list[ast.ClassDef]:
        """The strategy classes that no class in the file derives from."""
        derived_from = {base for bases in self.bases.values() for base in bases}
        return [c for c in self.strategies if c not in derived_from]


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


@attrs.frozen
class _Screen:
    """The rules on names, imports and attributes, applied to every node of a tree."""

    policy: ScreenPolicy
    metadata: frozenset[str]  # dunders the module assigns a constant to, such as `__author__`
    modules: Mapping[str, str]  # names bound by imports to the module they name: `sp` -> `scipy`

    @classmethod
    def of(cls, tree: ast.Module, policy: ScreenPolicy) -> _Screen:
        return cls(policy, _module_metadata(tree, policy), _imported_modules(tree))

    def findings(self, tree: ast.Module) -> Iterator[Finding]:
        for node in ast.walk(tree):  # iterative: deep trees cannot exhaust the stack here
            yield from self._check(node)

    def _check(self, node: ast.AST) -> Iterator[Finding]:
        match node:
            case ast.Import(names=aliases):
                for alias in aliases:
                    yield from self._check_module(alias.name, node.lineno)
            case ast.ImportFrom(level=level, module=module) if level > 0:
                target = "." * level + (module or "")
                yield Finding(FIELD, f"relative import from {target!r} is not allowed", node.lineno)
            case ast.ImportFrom(module=str() as module, names=aliases):
                refused = list(self._check_module(module, node.lineno))
                yield from refused
                if not refused:
                    for alias in aliases:
                        yield from self._check_imported_name(module, alias.name, node.lineno)
            case ast.Name(id=name, ctx=ctx):
                if name in self.policy.forbidden_builtins and not isinstance(ctx, ast.Store | ast.Del):
                    yield Finding(
                        FIELD,
                        f"the builtin {name!r} is not allowed (rename any variable of that name)",
                        node.lineno,
                    )
                elif self._refuses_name(name):
                    yield Finding(FIELD, f"the name {name!r} is not allowed", node.lineno)
            case ast.Attribute(attr=attr) if self.policy.refuses_attribute(attr):
                yield Finding(FIELD, f"access to the attribute {attr!r} is not allowed", node.lineno)
            case ast.Attribute(value=ast.Name(id=name), attr=attr) if name in self.modules:
                yield from self._check_submodule(self.modules[name], attr, node.lineno)
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

    def _refuses_name(self, name: str) -> bool:
        return _is_dunder(name) and name not in self.policy.allowed_dunders and name not in self.metadata

    def _check_module(self, module: str, line: int) -> Iterator[Finding]:
        top = module.partition(".")[0]
        refusal = self.policy.refusal(module)
        if refusal is not None:
            refused, reason = refusal
            yield Finding(FIELD, f"import of {refused!r} is not allowed: {reason}", line)
        elif top not in self.policy.allowed_imports:
            allowed = ", ".join(sorted(self.policy.allowed_imports))
            if top in sys.stdlib_module_names:
                yield Finding(
                    FIELD, f"import of {top!r} is not allowed (strategies may import: {allowed})", line
                )
            else:
                yield Finding(FIELD, f"{top!r} is not installed here (available: {allowed})", line)
        elif any(self.policy.refuses_attribute(part) for part in module.split(".")[1:]):
            yield Finding(FIELD, f"import of {module!r} is not allowed", line)

    def _check_imported_name(self, module: str, name: str, line: int) -> Iterator[Finding]:
        if name == "*":
            return
        refusal = self.policy.refusal(f"{module}.{name}")
        if refusal is not None:
            yield Finding(FIELD, f"importing {name!r} from {module!r} is not allowed: {refusal[1]}", line)
        elif self.policy.refuses_attribute(name):
            yield Finding(FIELD, f"importing {name!r} from {module!r} is not allowed", line)

    def _check_submodule(self, module: str, attr: str, line: int) -> Iterator[Finding]:
        """`scipy.io` reached as an attribute of `scipy`; a refused import is reported where it is."""
        refusal = self.policy.refusal(f"{module}.{attr}")
        if refusal is not None and self.policy.refusal(module) is None:
            refused, reason = refusal
            yield Finding(FIELD, f"access to the module {refused!r} is not allowed: {reason}", line)

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


def _module_metadata(tree: ast.Module, policy: ScreenPolicy) -> frozenset[str]:
    """Dunders assigned a constant at module level (`__author__ = "..."`): data, unless reserved."""
    names: set[str] = set()
    for stmt in tree.body:
        match stmt:
            case ast.Assign(targets=targets, value=value) if _is_constant(value):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            case ast.AnnAssign(target=ast.Name(id=name), value=ast.expr() as value) if _is_constant(value):
                names.add(name)
            case _:
                pass
    return frozenset(n for n in names if _is_dunder(n) and n not in policy.reserved_dunders)


def _is_constant(node: ast.expr) -> bool:
    match node:
        case ast.Constant() | ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=ast.Constant()):
            return True
        case ast.Tuple(elts=elts) | ast.List(elts=elts):
            return all(map(_is_constant, elts))
        case _:
            return False


def _imported_modules(tree: ast.Module) -> dict[str, str]:
    """The names imports bind to modules: `sp` for `import scipy as sp`, `scipy` for `import scipy.signal`."""
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        match node:
            case ast.Import(names=aliases):
                for alias in aliases:
                    top = alias.name.partition(".")[0]
                    modules[alias.asname or top] = alias.name if alias.asname else top
            case ast.ImportFrom(level=0, module=str() as module, names=aliases):
                modules.update({a.asname or a.name: f"{module}.{a.name}" for a in aliases if a.name != "*"})
            case _:
                pass
    return modules


def _called_name(func: ast.expr) -> str:
    match func:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
        case _:
            return ""


def _read_strategy(
    tree: ast.Module, lines: list[str], expected_name: str | None, findings: list[Finding]
) -> ScreenResult | None:
    """Find the strategy class and read its literals; add findings when that fails."""
    classes = StrategyClasses.of(tree)
    chosen = _strategy_class(classes, expected_name)
    if isinstance(chosen, Finding):
        findings.append(chosen)
        return None
    if (finding := _class_line_finding(chosen, lines)) is not None:
        findings.append(finding)
    values: dict[str, ast.expr] = {}
    for cls in reversed([chosen, *classes.ancestors(chosen)]):  # the nearest assignment wins
        values.update(_class_assignments(cls))
    startup = _literal(values, "startup_candle_count", int, 0, "a literal non-negative integer", findings)
    timeframe = _literal(values, "timeframe", str, None, "a literal string", findings)
    can_short = _literal(values, "can_short", bool, False, "True or False", findings)
    return ScreenResult(chosen.name, startup, timeframe, can_short)


def _strategy_class(classes: StrategyClasses, expected_name: str | None) -> ast.ClassDef | Finding:
    """The class Freqtrade is to load: the one named, or else the only leaf."""
    if not classes.strategies:
        return Finding(FIELD, "has no class deriving from IStrategy")
    leaves = classes.leaves()
    if expected_name is not None:
        named = classes.named(expected_name)
        if named in classes.strategies:
            return named
        if named is not None:
            return Finding(FIELD, f"the class {expected_name} does not derive from IStrategy", named.lineno)
        if len(leaves) == 1:
            return Finding(
                FIELD,
                f"the strategy class is named {leaves[0].name} but the strategy is named {expected_name}",
                leaves[0].lineno,
            )
        names = ", ".join(c.name for c in classes.strategies)
        return Finding(FIELD, f"has no strategy class named {expected_name} (strategy classes: {names})")
    if len(leaves) > 1:
        where = ", ".join(f"{c.name} (line {c.lineno})" for c in leaves)
        return Finding(
            FIELD,
            f"has {len(leaves)} strategy classes, none deriving from the others: {where}; name the one "
            "to run, or import the file to split it into one strategy per class",
            leaves[1].lineno,
        )
    return leaves[0]


def _class_line_finding(cls: ast.ClassDef, lines: list[str]) -> Finding | None:
    """
    Freqtrade's resolver skips every file without the text `class Name(`: it would never load `cls`.
    """
    wanted = f"class {cls.name}("
    statement = lines[cls.lineno - 1].encode()[cls.col_offset :].decode()  # col_offset counts bytes
    if statement.startswith(wanted):
        return None
    return Finding(
        FIELD,
        f"Freqtrade looks for the exact text {wanted!r} to find the strategy, and this line does not hold "
        f"it, so the strategy would never load: write {wanted!r}, nothing between the name and the bracket",
        cls.lineno,
    )


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
