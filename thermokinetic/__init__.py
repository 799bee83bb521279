"""thermokinetic: spin-transfer thermokinetics of a single-domain nanomagnet.

Conventions, units and the current sign are in :mod:`thermokinetic.units`.  Subpackages:

* :mod:`thermokinetic.sphere` — finite-volume meshes on the sphere Σ, geometry, plotting;
* :mod:`thermokinetic.energy` — reduced free energy U = V/kT;
* :mod:`thermokinetic.fokker_planck` — Brown/generalized-LLG generator and its solvers;
* :mod:`thermokinetic.transport` — 1D spin-accumulation solvers;
* :mod:`thermokinetic.cli` — the ``thermokinetic`` command.
"""
from .errors import ParameterError

__version__ = "0.1.0"
__all__ = ["ParameterError", "__version__"]
