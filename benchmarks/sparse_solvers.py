"""Sparse direct solvers on the escape-rate operators (one factorization + solves, same matrix).

The flux-over-population method (``thermokinetic.fokker_planck.escape``) factors the interior block
``−K_II`` of ``K = Q·diag(e^{−U})`` once per mesh and solves with it a handful of times.  This script
times, on the same matrix in the same process:

* ``splu-colamd``  SciPy SuperLU with its default COLAMD column order;
* ``splu-nd``      SuperLU with the package's geometric nested-dissection order (the default);
* ``pardiso``      MKL PARDISO through ``pypardiso`` (optional, ``pip install pypardiso``), if installed;
* ``umfpack``      UMFPACK through ``scikit-umfpack``, if installed.

Columns: level, cells, solver, factor+solve seconds (best of ``--repeat``), relative residual
``‖M x − b‖/‖b‖``, and the time ratio to ``splu-nd``.

Run:  .venv/bin/python benchmarks/sparse_solvers.py [--levels 5 6 7] [--repeat 2]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse.linalg as spla

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.fokker_planck import assemble, find_wells
from thermokinetic.fokker_planck.escape import _OrderedLU, _fill_order
from thermokinetic.sphere import geodesic_mesh


def operator(level, sigma=20.0, h=0.3, psi=45.0, alpha=0.1):
    gen = assemble(geodesic_mesh(level), uniaxial_zeeman(sigma, h, psi), alpha)
    w = find_wells(gen)
    D, K = gen.scaled()
    keep = np.setdiff1d(np.arange(gen.n), [w[0].cell, w[1].cell])
    M = (-K[keep][:, keep]).tocsc()
    b = np.asarray(K[keep][:, [w[0].cell]].sum(axis=1)).ravel()
    order = _fill_order(gen.mesh)
    pos = np.full(gen.n, -1)
    pos[keep] = np.arange(keep.size)
    p = pos[order]
    return M, b, p[p >= 0]


def solvers():
    out = {"splu-colamd": lambda M, b, p: spla.splu(M).solve(b),
           "splu-nd": lambda M, b, p: _OrderedLU(M, p).solve(b)}
    try:
        import pypardiso

        # a new solver object per call: pypardiso otherwise reuses a cached factorization of the same matrix
        out["pardiso"] = lambda M, b, p: pypardiso.spsolve(M.tocsr(), b, solver=pypardiso.PyPardisoSolver())
    except ImportError:
        pass
    try:
        import scikits.umfpack  # noqa: F401

        out["umfpack"] = lambda M, b, p: spla.spsolve(M, b, use_umfpack=True)
    except ImportError:
        pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", type=int, nargs="+", default=[5, 6, 7])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    print(f"{'level':>5s} {'cells':>7s} {'solver':12s} {'seconds':>8s} {'residual':>9s} {'vs splu-nd':>10s}")
    for L in args.levels:
        M, b, p = operator(L)
        times = {}
        for name, fn in solvers().items():
            best = np.inf
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                x = fn(M, b, p)
                best = min(best, time.perf_counter() - t0)
            times[name] = best
            res = np.linalg.norm(M @ x - b) / np.linalg.norm(b)
            print(f"{L:5d} {M.shape[0] + 2:7d} {name:12s} {best:8.3f} {res:9.1e} {best / times.get('splu-nd', best):10.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
