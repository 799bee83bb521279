"""Brown's Fokker–Planck equation on Σ with the generalized-LLG drift (seed 002, Eq. 24).

* :func:`assemble`, :class:`AffineGenerator` — the finite-volume generator ``A dρ/dt = Qρ``;
* :func:`stationary`, :func:`spectrum`, :func:`evolve`, :func:`relaxation` — solvers;
* :func:`escape_rates`, :func:`switching_probability` — λ₁ and escape rates valid up to σ = 60+;
* :func:`orbit_mesh` — the orbit-aligned mesh (faces on level sets and gradient lines of U: low damping);
* :func:`richardson` — two-level extrapolation; :func:`compute_escape` — the whole pipeline;
* :func:`compute_wer` — write-error rate against pulse width, to a stated accuracy;
* :func:`entropy_production`, :func:`housekeeping_split` — thermodynamics of FP solutions;
* :mod:`.axial` — exact 1D reduction for axially symmetric problems (reference and fast path).
"""
from .axial import (AxialEigen, AxialProblem, AxialRates, BrownAsymptote, brown_asymptote, escape_rates_axial,
                    lambda1_axial, lambda1_uniaxial, mfpt_axial)
from .api import build_mesh, compute_escape, cos_potential
from .escape import (EscapeResult, Well, check_resolution, escape_rates, find_wells, mean_first_passage_time,
                     switching_probability)
from .orbit_mesh import OrbitStructure, orbit_mesh
from .generator import AffineGenerator, Generator, Potential, as_potential, assemble, bernoulli
from .richardson import observed_order, richardson
from .thermodynamics import (EntropyBalance, HousekeepingSplit, entropy_balance, entropy_production,
                             housekeeping_split, relative_entropy)
from .wer import compute_wer
from .solvers import Evolution, evolve, free_energy, relaxation, spectrum, stationary

__all__ = [
    "assemble", "AffineGenerator", "Generator", "Potential", "as_potential", "bernoulli",
    "stationary", "spectrum", "evolve", "Evolution", "relaxation", "free_energy",
    "escape_rates", "EscapeResult", "Well", "find_wells", "check_resolution", "switching_probability",
    "mean_first_passage_time",
    "richardson", "observed_order", "compute_escape", "build_mesh", "cos_potential",
    "AxialProblem", "AxialEigen", "AxialRates", "BrownAsymptote", "lambda1_axial", "lambda1_uniaxial",
    "escape_rates_axial", "mfpt_axial", "brown_asymptote",
    "entropy_production", "entropy_balance", "housekeeping_split", "relative_entropy", "EntropyBalance",
    "HousekeepingSplit", "compute_wer", "orbit_mesh", "OrbitStructure",
]
