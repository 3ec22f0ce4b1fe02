"""
The static screen of strategy code: what it accepts, what it reads, what it refuses and where.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gentrade_core.errors import Finding, TooLarge, ValidationFailed
from gentrade_core.freqtrade.screen import (
    ALLOWED_IMPORTS,
    REFUSED_IMPORTS,
    ScreenPolicy,
    ScreenResult,
    screen_strategy,
)
from tests.strategies import (
    STRATEGY_NAME,
    forbidden_import_lines,
    identifiers,
    mangled_sources,
    strategy_source,
    with_line_inserted,
)

SOURCE = strategy_source()
SOURCE_LINES = SOURCE.count("\n")
CLASS_LINE = SOURCE.splitlines().index(f"class {STRATEGY_NAME}(IStrategy):") + 1

MINIMAL = """\
from freqtrade.strategy import IStrategy


class Minimal(IStrategy):
    pass
"""


def findings_of(
    code: str, expected_name: str | None = None, policy: ScreenPolicy | None = None
) -> list[Finding]:
    with pytest.raises(ValidationFailed) as caught:
        if policy is None:
            screen_strategy(code, expected_name)
        else:
            screen_strategy(code, expected_name, policy)
    return list(caught.value.findings)


class TestAccepted:
    def test_realistic_strategy(self):
        """
        A strategy with talib, qtpylib, parameters, an informative pair and a custom stoploss passes,
        and the screen reads its class name and class-level literals.
        """
        assert ScreenResult("RsiBollinger", 50, "15m", False) == screen_strategy(SOURCE, STRATEGY_NAME)

    def test_defaults_when_not_assigned(self):
        """
        Without `startup_candle_count`, `timeframe` or `can_short`, the result carries Freqtrade's
        defaults; `expected_name=None` checks no name.
        """
        assert ScreenResult("Minimal", 0, None, False) == screen_strategy(MINIMAL)

    def test_istrategy_as_attribute_and_can_short(self):
        """
        A base spelt `module.IStrategy` counts; plain and annotated assignments are read, the last wins.
        """
        code = (
            "import freqtrade.strategy as fs\n\n"
            "class Short(fs.IStrategy):\n"
            "    can_short = True\n"
            "    timeframe: str = '1m'\n"
            "    timeframe = '1h'\n"
            "    startup_candle_count = 999\n"
        )
        assert ScreenResult("Short", 999, "1h", True) == screen_strategy(code, "Short")

    def test_subclass_in_the_same_file(self):
        """
        A class deriving from an in-file strategy class is a strategy too: without a name the screen
        picks the one no other class derives from, and reads literals through its in-file ancestors,
        its own assignments first.
        """
        code = (
            "from freqtrade.strategy import IStrategy\n\n"
            "class Settings:\n    can_short = True\n\n"
            "class Base(IStrategy):\n    timeframe = '1h'\n    startup_candle_count = 30\n\n"
            "class Middle(Base):\n    pass\n\n"
            "class Leaf(Settings, Middle):\n    startup_candle_count = 10\n"
        )

        assert ScreenResult("Leaf", 10, "1h", True) == screen_strategy(code)
        assert ScreenResult("Base", 30, "1h", False) == screen_strategy(code, "Base")

    def test_other_classes_beside_the_named_one(self):
        """
        With a name, other strategy classes may sit in the file, unread: only the named one must be
        readable and findable.
        """
        code = MINIMAL + "\n\nclass Other (IStrategy):\n    timeframe = TIMEFRAME\n"

        assert ScreenResult("Minimal") == screen_strategy(code, "Minimal")

    def test_base_defined_later_is_not_an_ancestor(self):
        """
        A base is resolved when the class statement runs: a class of that name defined further down the
        file is not it.
        """
        code = (
            "from freqtrade.strategy import IStrategy\n\n"
            "class Early(Base):\n    pass\n\n"
            "class Base(IStrategy):\n    pass\n"
        )

        assert "Base" == screen_strategy(code).class_name
        assert [Finding("code", "the class Early does not derive from IStrategy", 3)] == findings_of(
            code, "Early"
        )

    @pytest.mark.parametrize(
        "snippet",
        [
            "from __future__ import annotations",
            "from freqtrade.strategy import *",
            "import pandas_ta as pta",
            "from technical import qtpylib",
            "import json, math, re, random, statistics, decimal, copy, operator, warnings",
            "from typing import Any",
            "x = getattr(IStrategy, f'buy_{1}')",
            "y = getattr(IStrategy, 'stoploss', None)",
            "column = 'os'",
            "z = DataFrame().__init__",
            "__all__ = ['RsiBollinger']",
            "if __name__ == '__main__':\n    pass",
            "doc = '''Explains __class__ and f_back in prose.'''",
            "open_ = 1",
            "text = '{0.real} {name}'.format(1, name=2)",
            # Module metadata: a dunder assigned a constant at module level, and read back.
            "__author__ = 'A. Trader'\n__version__ = '1.0'\n__license__: str = 'MIT'",
            "__email__ = 'a@example.com'\n__version_info__ = (1, -2, [3])\nlogger.info(__email__)",
            # Guards that only raise SystemExit.
            "def stop():\n    print('no data')\n    exit()",
            "if False:\n    quit(1)",
            # The scientific stack and the `ta` indicator library, and `time`.
            "import scipy.signal\nfrom scipy.signal import argrelextrema",
            "from sklearn.preprocessing import MinMaxScaler\nimport sklearn.linear_model as lm",
            "import ta\nfrom ta.trend import ADXIndicator\nfrom ta.utils import dropna",
            "import time\nstarted = time.monotonic()",
            "import scipy as sp\nsmooth = sp.signal.savgol_filter",
        ],
    )
    def test_harmless_code(self, snippet: str):
        """
        Things real strategies do, and look-alikes of refused things, are not refused.
        """
        assert screen_strategy(SOURCE + snippet + "\n").class_name == STRATEGY_NAME

    def test_a_wider_policy(self):
        """
        The allow-list is the policy's: a deployment that installs `skopt` may allow it.
        """
        policy = ScreenPolicy(allowed_imports=ALLOWED_IMPORTS | {"skopt"})
        assert screen_strategy(SOURCE + "import skopt.space\n", policy=policy).class_name == STRATEGY_NAME

    def test_a_narrower_policy(self):
        """
        The refusals are the policy's too, and win over the allow-list: a deployment may refuse `time`.
        """
        policy = ScreenPolicy(refused_imports={**REFUSED_IMPORTS, "time": "it stalls a worker"})

        assert [
            Finding("code", "import of 'time' is not allowed: it stalls a worker", SOURCE_LINES + 1)
        ] == findings_of(SOURCE + "import time\n", policy=policy)


NOT_INSTALLED = "is not installed here (available: __future__, abc, "
FORBIDDEN_LINES = [
    # Modules that reach the system, each with its reason.
    ("import os", "import of 'os' is not allowed: it reads and writes files"),
    ("import os.path", "import of 'os' is not allowed: it reads and writes files"),
    ("import subprocess as sp", "import of 'subprocess' is not allowed: it starts or signals processes"),
    ("from socket import socket", "import of 'socket' is not allowed: it reaches the network"),
    ("import importlib.util", "import of 'importlib' is not allowed: it imports or runs code"),
    ("from ctypes import CDLL", "import of 'ctypes' is not allowed: it reaches the interpreter's internals"),
    ("import pickle, numpy", "import of 'pickle' is not allowed: it imports or runs code"),
    ("import shutil", "'shutil' is not allowed: it reads and writes files"),
    ("from pathlib import Path", "'pathlib' is not allowed: it reads and writes files"),
    ("import builtins", "'builtins' is not allowed: it reaches the interpreter's internals"),
    ("import marshal", "'marshal' is not allowed: it imports or runs code"),
    ("import multiprocessing", "'multiprocessing' is not allowed: it starts or signals processes"),
    ("import threading", "'threading' is not allowed: it starts or signals processes"),
    ("from urllib.request import urlopen", "'urllib' is not allowed: it reaches the network"),
    ("import requests", "'requests' is not allowed: it reaches the network"),
    ("import http.client", "'http' is not allowed: it reaches the network"),
    ("import ccxt", "'ccxt' is not allowed: it reaches the network"),
    ("import sys", "'sys' is not allowed: it reaches the interpreter's internals"),
    # Modules the runner does not have, and standard modules outside the allow-list.
    ("import skopt", "'skopt' " + NOT_INSTALLED),
    ("from lightgbm import LGBMRegressor", "'lightgbm' " + NOT_INSTALLED),
    ("import uuid", "import of 'uuid' is not allowed (strategies may import: __future__, abc, "),
    # Relative imports, and parts of allowed libraries that do I/O of their own or run native code.
    ("from . import helpers", "relative import from '.' is not allowed"),
    ("from ..helpers import thing", "relative import from '..helpers' is not allowed"),
    ("import logging.config", "import of 'logging.config' is not allowed: it imports and calls"),
    ("from logging import config", "importing 'config' from 'logging' is not allowed: it imports and calls"),
    ("from logging.config import dictConfig", "import of 'logging.config' is not allowed"),
    ("import logging.handlers", "import of 'logging.handlers' is not allowed: its handlers write to files"),
    ("from logging import os", "importing 'os' from 'logging' is not allowed"),
    ("import numpy.ctypeslib", "import of 'numpy.ctypeslib' is not allowed: it calls C libraries"),
    ("from numpy.f2py import compile", "import of 'numpy.f2py' is not allowed: it compiles and runs C or"),
    ("import scipy.io", "import of 'scipy.io' is not allowed: it reads and writes files"),
    ("from scipy.io import loadmat", "import of 'scipy.io' is not allowed: it reads and writes files"),
    ("from scipy import io", "importing 'io' from 'scipy' is not allowed: it reads and writes files"),
    ("import scipy.datasets", "import of 'scipy.datasets' is not allowed: it downloads data"),
    ("from sklearn.datasets import fetch_openml", "'sklearn.datasets' is not allowed: it downloads data"),
    ("from scipy import LowLevelCallable", "importing 'LowLevelCallable' from 'scipy' is not allowed"),
    # The same parts reached as attributes of an imported module.
    ("import scipy; scipy.io.loadmat('x')", "access to the module 'scipy.io' is not allowed: it reads and"),
    ("import sklearn as sk; sk.datasets.fetch_openml('x')", "access to the module 'sklearn.datasets'"),
    ("logging.handlers.SocketHandler('h', 1)", "access to the module 'logging.handlers' is not allowed"),
    # Builtins that run, compile or import code, or reach files, the console or scopes.
    ("exec('1')", "the builtin 'exec' is not allowed"),
    ("eval('1')", "the builtin 'eval' is not allowed"),
    ("compile('1', 'f', 'exec')", "the builtin 'compile' is not allowed"),
    ("__import__('os')", "the builtin '__import__' is not allowed"),
    ("open('/etc/passwd')", "the builtin 'open' is not allowed"),
    ("input()", "the builtin 'input' is not allowed"),
    ("help()", "the builtin 'help' is not allowed"),
    ("breakpoint()", "the builtin 'breakpoint' is not allowed"),
    ("globals()", "the builtin 'globals' is not allowed"),
    ("locals()", "the builtin 'locals' is not allowed"),
    ("vars()", "the builtin 'vars' is not allowed"),
    ("run = eval", "the builtin 'eval' is not allowed"),
    # Dunders and internals: the ways back to builtins and globals.
    ("().__class__.__base__.__subclasses__()", "access to the attribute '__subclasses__' is not allowed"),
    ("g = (lambda: 0).__globals__", "access to the attribute '__globals__' is not allowed"),
    ("b = __builtins__", "the name '__builtins__' is not allowed"),
    ("d = DataFrame.__dict__", "access to the attribute '__dict__' is not allowed"),
    ("m = IStrategy.__mro__", "access to the attribute '__mro__' is not allowed"),
    ("c = (lambda: 0).__code__", "access to the attribute '__code__' is not allowed"),
    ("a = IStrategy.__getattribute__", "access to the attribute '__getattribute__' is not allowed"),
    ("f = logging.currentframe().f_back", "access to the attribute 'f_back' is not allowed"),
    ("f = logging.currentframe().f_globals", "access to the attribute 'f_globals' is not allowed"),
    ("g = (i for i in ()).gi_frame", "access to the attribute 'gi_frame' is not allowed"),
    ("t = logging.lastResort.tb_frame", "access to the attribute 'tb_frame' is not allowed"),
    # Only a constant assigned at module level makes a dunder metadata, and never a reserved one.
    ("__builtins__ = 'none'", "the name '__builtins__' is not allowed"),
    ("__file__ = 'strategy.py'", "the name '__file__' is not allowed"),
    ("__getattr__ = 'x'", "the name '__getattr__' is not allowed"),
    ("__version__ = logging.getLogger()", "the name '__version__' is not allowed"),
    ("f = lambda: __author__", "the name '__author__' is not allowed"),
    # Modules reachable through allowed ones, and escape hatches of allowed libraries.
    ("logging.os.system('id')", "access to the attribute 'os' is not allowed"),
    ("random._os.urandom(1)", "access to the attribute '_os' is not allowed"),
    ("np.ctypeslib.load_library('x', '.')", "access to the attribute 'ctypeslib' is not allowed"),
    ("import pandas as pd; pd.read_pickle('x')", "access to the attribute 'read_pickle' is not allowed"),
    ("DataFrame().eval('a + b')", "access to the attribute 'eval' is not allowed"),
    ("logging.config.dictConfig({})", "access to the attribute 'dictConfig' is not allowed"),
    # The same names spelt as strings.
    ("getattr(IStrategy, '__subclasses__')", "the string '__subclasses__' names an attribute"),
    ("getattr(logging, 'os')", "getattr() of the attribute 'os' is not allowed"),
    ("import operator; operator.attrgetter('f_back.f_globals')", "the string 'f_back.f_globals'"),
    ("setattr(IStrategy, '__init_subclass__', None)", "the string '__init_subclass__' names an attribute"),
    ("'{0.__class__}'.format(1)", "the format field {0.__class__} reaches '__class__'"),
]


class TestRefused:
    @pytest.mark.parametrize(("snippet", "fragment"), FORBIDDEN_LINES)
    def test_forbidden_line(self, snippet: str, fragment: str):
        """
        Each forbidden thing is refused with a finding on its line.
        """
        findings = findings_of(SOURCE + "\n" * 2 + snippet + "\n")

        line = SOURCE_LINES + 3
        assert [f for f in findings if fragment in f.message and f.line == line], findings
        assert {"code"} == {f.field for f in findings}

    def test_match_class_pattern_reads_attributes(self):
        """
        A class pattern's keywords are attribute reads, so `case object(__globals__=g)` is refused.
        """
        code = SOURCE + "match logging:\n    case object(__dict__=d):\n        pass\n"

        assert [Finding("code", "matching the attribute '__dict__' is not allowed", SOURCE_LINES + 2)] == (
            findings_of(code)
        )

    def test_all_findings_reported_in_line_order(self):
        """
        The screen does not stop at the first finding: every one is reported, ordered by line.
        """
        code = SOURCE + "x = ().__class__\nimport os\ny = eval\n"

        findings = findings_of(code, "Other")

        assert [
            Finding(
                "code", "the strategy class is named RsiBollinger but the strategy is named Other", CLASS_LINE
            ),
            Finding("code", "access to the attribute '__class__' is not allowed", SOURCE_LINES + 1),
            Finding("code", "import of 'os' is not allowed: it reads and writes files", SOURCE_LINES + 2),
            Finding(
                "code",
                "the builtin 'eval' is not allowed (rename any variable of that name)",
                SOURCE_LINES + 3,
            ),
        ] == findings

    def test_same_finding_twice_on_a_line_is_reported_once(self):
        """
        `a.__class__.__class__` is one finding.
        """
        assert len(findings_of(SOURCE + "x = ().__class__.__class__\n")) == 1

    def test_name_mismatch(self):
        """
        The class must carry the strategy's name: Freqtrade loads strategies by class name.
        """
        assert [
            Finding("code", "the strategy class is named Minimal but the strategy is named Maximal", 4)
        ] == findings_of(MINIMAL, "Maximal")

    def test_no_strategy_class(self):
        """
        Code without an `IStrategy` subclass is refused; a class deriving from another base does not count.
        """
        code = "class Helper:\n    pass\n\nclass NotAStrategy(Helper):\n    pass\n"

        assert [Finding("code", "has no class deriving from IStrategy")] == findings_of(code)

    def test_unrelated_strategy_classes(self):
        """
        Without a name, two strategy classes that do not derive from each other are refused, naming
        both, on the second one's line; the message says how to go on.
        """
        code = MINIMAL + "\n\nclass Second(IStrategy):\n    pass\n"

        assert [
            Finding(
                "code",
                "has 2 strategy classes, none deriving from the others: Minimal (line 4), Second (line 8); "
                "name the one to run, or import the file to split it into one strategy per class",
                8,
            )
        ] == findings_of(code)

    def test_name_not_among_several_strategy_classes(self):
        """
        A name that none of several strategy classes carries is refused, listing the ones there are.
        """
        code = MINIMAL + "\n\nclass Second(IStrategy):\n    pass\n"

        assert [Finding("code", "has no strategy class named Third (strategy classes: Minimal, Second)")] == (
            findings_of(code, "Third")
        )

    def test_named_class_that_is_not_a_strategy(self):
        """
        The class of the expected name must be a strategy class, not a helper that happens to be there.
        """
        code = MINIMAL + "\n\nclass Helper:\n    pass\n"

        assert [Finding("code", "the class Helper does not derive from IStrategy", 8)] == (
            findings_of(code, "Helper")
        )

    @pytest.mark.parametrize(
        "class_line",
        ["class Minimal (IStrategy):", "class  Minimal(IStrategy):", "class Minimal\\\n(IStrategy):"],
    )
    def test_class_line_freqtrade_cannot_find(self, class_line: str):
        """
        Freqtrade opens only files that contain the text `class Name(`; a strategy spelt otherwise can
        never load, so it is refused on its line with the fix.
        """
        code = MINIMAL.replace("class Minimal(IStrategy):", class_line)

        assert [
            Finding(
                "code",
                "Freqtrade looks for the exact text 'class Minimal(' to find the strategy, and this line "
                "does not hold it, so the strategy would never load: write 'class Minimal(', nothing "
                "between the name and the bracket",
                4,
            )
        ] == findings_of(code, "Minimal")

    def test_syntax_error_line(self):
        """
        A syntax error is reported on its line.
        """
        code = SOURCE + "def broken(:\n    pass\n"

        [finding] = findings_of(code)

        assert finding.line == SOURCE_LINES + 1
        assert finding.message.startswith("is not valid Python: ")

    @pytest.mark.parametrize(
        "code", ["a = 1\x00\n", "x = '\ud800'\n", "(" * 300 + ")" * 300, "-" * 100_000 + "1"]
    )
    def test_unparseable_text(self, code: str):
        """
        Null bytes, lone surrogates and absurd nesting are refused as findings, not crashes.
        """
        assert findings_of(code)

    @pytest.mark.parametrize(
        ("assignment", "message"),
        [
            ("startup_candle_count = 2 * 100", "startup_candle_count must be a literal non-negative integer"),
            ("startup_candle_count = -1", "startup_candle_count must be a literal non-negative integer"),
            ("startup_candle_count = True", "startup_candle_count must be a literal non-negative integer"),
            ("timeframe = TIMEFRAME", "timeframe must be a literal string"),
            ("can_short = 1", "can_short must be True or False"),
        ],
    )
    def test_unreadable_class_literals(self, assignment: str, message: str):
        """
        The platform reads these without running code, so they must be literals when assigned.
        """
        code = MINIMAL.replace("    pass\n", f"    {assignment}\n")

        [finding] = findings_of(code)

        assert (finding.line, finding.message.startswith(message)) == (5, True)


class TestSize:
    def test_default_limit_is_one_megabyte(self):
        """
        Code over 1 MB is refused before it is parsed; code of exactly 1 MB is screened as usual.
        """
        padding = 1_000_000 - len(SOURCE.encode())
        at_limit = SOURCE + "#" * (padding - 1) + "\n"

        assert screen_strategy(at_limit).class_name == STRATEGY_NAME
        with pytest.raises(TooLarge) as caught:
            screen_strategy("(" + at_limit)  # invalid Python: TooLarge wins because nothing is parsed
        assert (Finding("code", "is 1000001 bytes; the limit is 1000000"),) == caught.value.findings

    def test_configured_limit_counts_utf8_bytes(self):
        """
        The limit is in UTF-8 bytes, not characters, and comes from the policy.
        """
        policy = ScreenPolicy(max_bytes=len(MINIMAL.encode()) + 1)
        code = MINIMAL + "# é\n"  # 5 characters, 6 bytes

        with pytest.raises(TooLarge) as caught:
            screen_strategy(code, policy=policy)
        expected = f"is {len(code.encode())} bytes; the limit is {policy.max_bytes}"
        assert [expected] == [f.message for f in caught.value.findings]

    def test_limit_must_be_positive(self):
        """
        A policy with no room for any code is a configuration mistake.
        """
        with pytest.raises(ValueError):
            ScreenPolicy(max_bytes=0)

    def test_policy_is_frozen(self):
        """
        Policies are values and can be shared between use cases.
        """
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            ScreenPolicy().max_bytes = 1  # type: ignore[misc]


class TestProperties:
    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text() | mangled_sources(SOURCE))
    def test_never_crashes(self, code: str):
        """
        Whatever the text, the screen either returns a result or refuses with findings.
        """
        try:
            result = screen_strategy(code, policy=ScreenPolicy(max_bytes=4_000))
        except ValidationFailed as e:  # TooLarge included
            assert e.findings
            assert all(f.field == "code" for f in e.findings)
        else:
            assert result.class_name.isidentifier()

    @settings(max_examples=200)
    @given(st.data())
    def test_inserted_forbidden_import_is_refused(self, data: st.DataObject):
        """
        A forbidden import inserted before any statement, anywhere in a valid strategy, is refused on
        its line.
        """
        statement, fragment = data.draw(forbidden_import_lines())
        code, line = data.draw(with_line_inserted(SOURCE, statement))

        findings = findings_of(code)

        assert [f for f in findings if f.line == line and fragment in f.message], findings

    @given(identifiers, identifiers, st.booleans())
    def test_rename_accepted_iff_names_match(self, name: str, other: str, same: bool):
        """
        Renaming the class to any identifier is accepted exactly when the expected name matches.
        """
        expected = name if same else other
        code = strategy_source(name)

        if expected == name:
            assert name == screen_strategy(code, expected).class_name
        else:
            assert [
                Finding(
                    "code",
                    f"the strategy class is named {name} but the strategy is named {other}",
                    CLASS_LINE,
                )
            ] == findings_of(code, expected)
