"""The bridge to the R twin, through rpy2: numpy in, numpy out.

This module is harness, not model: it is how the parity suite and the
benchmark call the installed R package ``twinnet`` with the same arguments as
the Python functions, so it has no R twin. It needs R, the R
package and rpy2 (>= 3.5.17, < 3.6 on R 4.2); the rest of twinnet does not.

    >>> r = RTwin()                                    # doctest: +SKIP
    >>> r.initialize_parameters([3, 2, 1], seed=1)     # doctest: +SKIP
    {'W1': array(...), 'b1': array(...), ...}

Conversions: a 2-D numpy array becomes an R matrix (integer or double), a
1-D array or a list of numbers an atomic vector, a ``dict`` a named list, a
list of dicts or arrays an unnamed list, ``None`` ``NULL``. Back: a matrix
becomes a 2-D float64 (or int64) array, a named list a ``dict``, an unnamed
list a ``list``, a data.frame a pandas DataFrame, an atomic vector of length
1 a Python scalar, a longer one a 1-D array.
"""

import os
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[2]


def default_r_lib():
    """The R library that holds the R package, or None for R's own libraries.

    ``$TWINNET_R_LIB`` when set; else the checkout's ``.rlib/`` (made by
    ``bash scripts/setup.sh``) when this package runs from a source checkout
    (an editable install); else None.
    """
    lib = os.environ.get("TWINNET_R_LIB")
    if lib:
        return lib
    checkout = _ROOT / ".rlib"
    return str(checkout) if (_ROOT / "DESCRIPTION").is_file() and checkout.is_dir() else None


class RUnavailable(RuntimeError):
    """R, rpy2 or the installed R package is missing (the message says which)."""


class RError(RuntimeError):
    """An error signalled by R; ``message`` is R's condition message."""

    def __init__(self, message, classes=()):
        super().__init__(message)
        self.message = message
        self.classes = tuple(classes)


class RTwin:
    """The R package ``twinnet`` with Python calling conventions.

    ``RTwin().<name>(*args, **kwargs)`` calls the R function ``<name>`` of
    the package with converted arguments and returns the converted result.
    """

    def __init__(self, lib=None):
        import importlib.util
        import shutil

        if importlib.util.find_spec("rpy2") is None:
            raise RUnavailable("rpy2 is not installed (pip install 'rpy2>=3.5.17,<3.6'; it needs R)")
        try:
            import rpy2.robjects as ro
            from rpy2.robjects import numpy2ri
            from rpy2.robjects.packages import importr
        except Exception as exc:  # R itself not found or not loadable
            where = ("R is not on the PATH and R_HOME is not set" if shutil.which("R") is None
                     and not os.environ.get("R_HOME") else "R cannot be loaded")
            raise RUnavailable(f"rpy2 is installed but {where}: {exc}") from exc
        self._ro = ro
        self._numpy2ri = numpy2ri
        self.lib = lib or default_r_lib()
        try:
            if self.lib is not None:
                ro.r(".libPaths")(ro.StrVector([self.lib] + list(ro.r(".libPaths()"))))
            self.pkg = importr("twinnet", lib_loc=self.lib)
        except Exception as exc:
            where = self.lib or "R's libraries"
            raise RUnavailable(
                f"the R package twinnet is not installed in {where} "
                f"(run `bash scripts/setup.sh`): {exc}") from exc
        self._call = ro.r("""function(f, args) {
            tryCatch(list(ok = TRUE, value = do.call(f, args)),
                     error = function(e) list(ok = FALSE, message = conditionMessage(e),
                                              classes = class(e)))
        }""")

    # -- conversions -------------------------------------------------------
    def to_r(self, x):
        ro = self._ro
        if x is None:
            return ro.NULL
        if isinstance(x, dict):
            return ro.vectors.ListVector([(str(k), self.to_r(v)) for k, v in x.items()])
        if isinstance(x, (bool, np.bool_)):
            return ro.BoolVector([bool(x)])
        if isinstance(x, (int, np.integer)):
            return ro.IntVector([int(x)]) if abs(int(x)) <= 2**31 - 1 else ro.FloatVector([float(x)])
        if isinstance(x, (float, np.floating)):
            return ro.FloatVector([float(x)])
        if isinstance(x, str):
            return ro.StrVector([x])
        if isinstance(x, (list, tuple)):
            if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in x) and x:
                return ro.IntVector([int(v) for v in x])
            if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in x) and x:
                return ro.FloatVector([float(v) for v in x])
            if all(isinstance(v, str) for v in x) and x:
                return ro.StrVector(list(x))
            return ro.r["list"](*[self.to_r(v) for v in x])
        if isinstance(x, np.ndarray):
            if x.dtype.kind == "b":
                a = x
            elif x.dtype.kind in "iu":
                a = x.astype(np.int32) if x.size == 0 or np.abs(x).max() <= 2**31 - 1 else x.astype(np.float64)
            elif x.dtype.kind == "f":
                a = x.astype(np.float64)
            else:
                a = x
            with (ro.default_converter + self._numpy2ri.converter).context():
                return ro.conversion.get_conversion().py2rpy(np.asfortranarray(a) if a.ndim > 1 else a)
        if hasattr(x, "to_dict") and hasattr(x, "columns"):  # a pandas DataFrame
            return ro.r["data.frame"](**{c: self.to_r(x[c].to_numpy()) for c in x.columns})
        return x

    def from_r(self, obj):
        ro = self._ro
        from rpy2.rinterface import NULLType
        if obj is ro.NULL or isinstance(obj, NULLType):
            return None
        rclass = list(obj.rclass) if hasattr(obj, "rclass") else []
        if "data.frame" in rclass:
            import pandas as pd
            names = list(obj.names)
            return pd.DataFrame({n: self._vector(obj[i]) for i, n in enumerate(names)})
        if isinstance(obj, ro.vectors.ListVector) or (hasattr(obj, "typeof") and int(obj.typeof) == 19):
            names = obj.names
            items = [self.from_r(v) for v in obj]
            if names is not ro.NULL and names is not None and len(list(names)) == len(items):
                return dict(zip([str(n) for n in names], items))
            return items
        dim = obj.do_slot("dim") if "dim" in list(obj.list_attrs() or []) else None
        if dim is not None:
            shape = tuple(int(d) for d in dim)
            return np.array(self._vector(obj)).reshape(shape, order="F")
        v = self._vector(obj)
        if v.size == 1 and not rclass == ["factor"]:
            return v.item()
        return v

    def _vector(self, obj):
        kind = int(obj.typeof)
        if len(obj) == 0:
            return np.array([], dtype={14: np.float64, 13: np.int64, 10: bool}.get(kind, object))
        if kind == 14:  # REALSXP
            return np.array(obj.memoryview(), dtype=np.float64).ravel(order="F")
        if kind == 13:  # INTSXP
            return np.array(obj.memoryview(), dtype=np.int64).ravel(order="F")
        if kind == 10:  # LGLSXP
            return np.array([bool(v) for v in obj])
        if kind == 16:  # STRSXP
            return np.array([str(v) for v in obj], dtype=object)
        return np.array(list(obj))

    # -- calls -------------------------------------------------------------
    def call(self, name, *args, **kwargs):
        """Call the R function ``name``; an R error becomes :class:`RError`."""
        ro = self._ro
        fn = ro.r(name if "::" in name else f"twinnet::`{name}`")
        arglist = ro.r["list"](*[self.to_r(a) for a in args],
                               **{k: self.to_r(v) for k, v in kwargs.items()})
        out = self._call(fn, arglist)
        if not bool(out.rx2("ok")[0]):
            raise RError(str(out.rx2("message")[0]), [str(c) for c in out.rx2("classes")])
        return self.from_r(out.rx2("value"))

    def eval(self, code):
        """Evaluate R code (a string) and convert its value."""
        return self.from_r(self._ro.r(code))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)
