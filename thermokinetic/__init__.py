"""thermokinetic: spin-transfer thermokinetics of a single-domain nanomagnet.

Conventions, units and the current sign are in :mod:`thermokinetic.units`.  Modules:

* :mod:`thermokinetic.sphere` — finite-volume meshes on the sphere Σ, geometry, Hodge decomposition;
* :mod:`thermokinetic.energy` — reduced free energy U = V/kT;
* :mod:`thermokinetic.onsager` — Onsager matrices (reciprocity, second law, elimination);
* :mod:`thermokinetic.dynamics` — the drift and noise of every dynamics from one Onsager matrix;
* :mod:`thermokinetic.llg` — deterministic generalized LLG (seed 002, Eq. 24);
* :mod:`thermokinetic.fokker_planck` — Brown/generalized-LLG generator and its solvers;
* :mod:`thermokinetic.stochastic` — stochastic LLG ensembles;
* :mod:`thermokinetic.transport` — 1D spin-accumulation solvers;
* :mod:`thermokinetic.coupling` — spin-transfer couplers: transport → X(u; J) → Φ, χ;
* :mod:`thermokinetic.studies` — effective barrier, critical current, sweeps, ...;
* :mod:`thermokinetic.cli` — the ``thermokinetic`` command.

The front door for notebooks and scripts is :class:`Magnet` (:mod:`thermokinetic.device`): a magnet
from reduced or SI parameters with ``.escape()``, ``.wer()``, ``.stationary()`` and ``.plot()``.
"""
from .device import Magnet
from .errors import ParameterError

__version__ = "0.1.0"
__all__ = ["Magnet", "ParameterError", "__version__"]
