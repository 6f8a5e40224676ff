"""Rows scaled to unit length: scikit-learn's ``normalize`` without its checks, for the many small calls.

>>> import scipy.sparse as sp
>>> unit_rows(sp.csr_matrix(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))).toarray()
array([[0.6, 0.8],
       [0. , 0. ]], dtype=float32)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

__all__ = ["unit_rows"]


def unit_rows(X):
    """``sklearn.preprocessing.normalize(X)`` (each row to unit L2 length, in a copy; all-zero rows stay zero).

    Why: the digest's fit and assignment and the hot issues' group means call it hundreds of times on small
    matrices (489 calls in a 5,000-row run), and each call spent about 1.5 ms validating its arguments and the
    array (parameter validation, the array namespace, a finiteness scan) around a kernel of 0.1 ms. A CSR matrix
    of floats with rows and columns goes straight to that same kernel (``inplace_csr_row_normalize_l2``) on a copy,
    as ``normalize`` does after its checks: the same values, dtype and structure. Anything else (dense arrays,
    other formats or dtypes) goes to ``normalize`` itself. A matrix of no rows (or no columns) is itself: ``normalize``
    refuses it, and the digest's headlines read for a join on no suggestion (since deleted) ended a run of one text
    column, or of one row beside a 10 MB reject, in its ValueError (test_small_inputs).
    """
    if min(X.shape) == 0:
        return X.copy()
    if sp.issparse(X) and X.format == "csr" and X.dtype in (np.float32, np.float64):
        X = X.copy()
        inplace_csr_row_normalize_l2(X)
        return X
    return normalize(X)
