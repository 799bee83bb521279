r"""Seed 002, Fig. 1: the configuration sphere Σ with its two wells and the ferromagnetic currents.

The published figure is a sketch; here it is drawn from a computed state.  A bistable macrospin
(uniaxial anisotropy + oblique field, reduced energy ``U = −σ (u·e_z)² − 2σh (u·e_H)``,
e_H = (sin ψ, 0, cos ψ); σ = 3, h = 0.2, ψ = 30°, α = 0.3 by default) relaxes to the stationary
density ρ_s of the Fokker–Planck equation (:mod:`thermokinetic.fokker_planck`), which at zero current
is the Boltzmann distribution e^{−U}/Z.  Its ferromagnetic current J^F = ρ du/dt − ½∇ρ (seed 002,
Eq. 2–4) does not vanish: the dissipative part cancels against diffusion and what is left is the
reversible precession current ``J^F = (1/2α) ρ u × ∇U`` circulating along the iso-energy lines around
each well (divergence-free).

Numbers (returned and asserted in ``tests/figures/test_seed002_fig1.py``):

* ``wells``: directions (θ, φ in degrees) of the two energy minima (mesh maxima of ρ_s polished by a
  constrained minimization of U);
* ``population_upper`` / ``population_lower``: ∫ρ_s over u_z > 0 / u_z < 0 (the density is
  interpolated to a Gauss–Legendre × uniform grid, so the hemisphere boundary is exact);
* ``max_current``: max |J^F| over the cells (probability per τ_N per radian), the cell vectors being
  reconstructed from the face fluxes of the generator by
  ``J_i = (1/A_i) Σ_faces F_out (m_f − c_i)_tangent`` (exact for a constant planar field);
* ``entropy_production``: Ṡ_i(ρ_s) (≈ 0 at equilibrium, :mod:`~thermokinetic.fokker_planck.thermodynamics`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["FIGURES", "make", "compute", "cell_currents"]

DEFAULTS = dict(sigma=3.0, h=0.2, psi_deg=30.0, alpha=0.3, level=5)


def cell_currents(gen, rho) -> np.ndarray:
    r"""Cell-centred probability current vectors (n_cells, 3) from the generator's face fluxes.

    ``J_i = (1/A_i) Σ_f F_f^{out} t_f`` with t_f the tangent (log-map) vector from the generator c_i to
    the face midpoint m_f; for a constant planar field this is exact (Gauss: ∮(J·n)(x − c) ds =
    ∫J dA).  Units: probability per τ_N per radian (ρ per unit area times a velocity).
    """
    from ..fokker_planck.thermodynamics import face_fluxes

    mesh = gen.mesh
    F = face_fluxes(gen, rho).total
    i, j = mesh.faces[:, 0], mesh.faces[:, 1]
    m, c = mesh.face_midpoints, mesh.centers

    def tvec(ci, mm):
        v = mm - np.sum(mm * ci, axis=1, keepdims=True) * ci
        s = np.linalg.norm(v, axis=1, keepdims=True)
        th = np.arctan2(s, np.sum(mm * ci, axis=1, keepdims=True))
        return v * (th / s)

    J = np.zeros((mesh.n_cells, 3))
    np.add.at(J, i, F[:, None] * tvec(c[i], m))
    np.add.at(J, j, -F[:, None] * tvec(c[j], m))
    return J / mesh.areas[:, None]


def _polish_minimum(energy, u0):
    from scipy.optimize import minimize

    from ..sphere import directions_to_spherical, spherical_to_directions

    th0, ph0 = directions_to_spherical(u0)
    # (θ, φ) chart: the wells of the default case are 5° from the poles, where the chart is regular enough
    def f(x):
        return float(energy.value(spherical_to_directions(x[0], x[1])))

    res = minimize(f, [th0, ph0], method="Nelder-Mead", options=dict(xatol=1e-11, fatol=1e-14, maxiter=4000))
    u = spherical_to_directions(res.x[0], res.x[1])
    return u / np.linalg.norm(u)


def hemisphere_populations(mesh, rho, n_x: int = 200, n_phi: int = 400) -> tuple[float, float]:
    """∫ρ dA over u_z > 0 and u_z < 0: ρ interpolated (second order) onto a Gauss–Legendre (x = cos θ)
    × uniform (φ) grid on each hemisphere."""
    from ..sphere import spherical_to_directions

    xg, wg = np.polynomial.legendre.leggauss(n_x)
    phi = 2 * np.pi * np.arange(n_phi) / n_phi
    out = []
    for lo, hi in ((0.0, 1.0), (-1.0, 0.0)):
        x = 0.5 * (hi - lo) * xg + 0.5 * (hi + lo)
        w = 0.5 * (hi - lo) * wg
        d = spherical_to_directions(np.arccos(x)[:, None], phi[None, :])
        vals = mesh.interpolate(rho, d.reshape(-1, 3)).reshape(n_x, n_phi)
        out.append(float(np.sum(w[:, None] * vals) * 2 * np.pi / n_phi))
    return out[0], out[1]


def compute(sigma=3.0, h=0.2, psi_deg=30.0, alpha=0.3, level=5) -> dict:
    """Stationary density, currents and key numbers of the bistable macrospin (see module docstring)."""
    from ..energy import uniaxial_zeeman
    from ..fokker_planck.generator import assemble
    from ..fokker_planck.solvers import stationary
    from ..fokker_planck.thermodynamics import entropy_production
    from ..sphere import directions_to_spherical, geodesic_mesh

    mesh = geodesic_mesh(level)
    energy = uniaxial_zeeman(sigma, h, psi_deg)
    gen = assemble(mesh, energy, alpha)
    rho = stationary(gen)
    J = cell_currents(gen, rho)
    # wells: local maxima of ρ_s on the mesh (strictly larger than every neighbour), polished
    nbmax = mesh.neighbors().multiply(rho[None, :]).tocsr().max(axis=1).toarray().ravel()
    cand = np.nonzero(rho > nbmax)[0]
    cand = cand[np.argsort(-rho[cand])]
    wells = [_polish_minimum(energy, mesh.centers[k]) for k in cand]
    th, ph = directions_to_spherical(np.array(wells))
    p_up, p_low = hemisphere_populations(mesh, rho)
    jn = np.linalg.norm(J, axis=1)
    return dict(
        mesh=mesh, gen=gen, rho=rho, J=J, energy=energy,
        wells=[dict(theta_deg=float(np.degrees(a)), phi_deg=float(np.degrees(b)), energy_kT=float(energy.value(w)),
                    direction=[float(v) for v in w]) for a, b, w in zip(th, ph, wells)],
        population_upper=p_up, population_lower=p_low,
        max_current=float(jn.max()), max_current_direction=[float(v) for v in mesh.centers[np.argmax(jn)]],
        entropy_production=entropy_production(gen, rho),
        params=dict(sigma=sigma, h=h, psi_deg=psi_deg, alpha=alpha, level=level, n_cells=mesh.n_cells),
    )


# map frame: the easy axis e_z is drawn along the map equator (e_z → longitude −90°, −e_z → +90°,
# the field plane x–z → the map equator), so both wells are seen undistorted
_R = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # rows: map x, y, z = (u_x, −u_z, u_y)


def _map_xy(u):
    from ..sphere import directions_to_spherical
    from ..sphere.plot import mollweide_xy

    t, p = directions_to_spherical(u @ _R.T)
    return mollweide_xy(p, np.pi / 2 - t)


def _map_panel(ax, mesh, values, J, cells, wells, pops):
    import matplotlib.tri as mtri
    from matplotlib.patches import Ellipse

    x, y = _map_xy(mesh.centers)
    tri = mtri.Triangulation(x, y)
    # drop the long triangles that bridge the seam (longitude ±180°)
    xt = x[tri.triangles]
    tri.set_mask(np.ptp(xt, axis=1) > 0.5)
    tp = ax.tripcolor(tri, values, shading="gouraud", cmap="magma")
    a, b = 2 * np.sqrt(2), np.sqrt(2)
    ax.add_patch(Ellipse((0, 0), 2 * a, 2 * b, fill=False, color="k", lw=0.8))
    # arrows: map image of a short step along J
    c = mesh.centers[cells]
    v = J[cells]
    n = np.linalg.norm(v, axis=1)
    tip = c + 0.02 * v / n[:, None]
    tip /= np.linalg.norm(tip, axis=1, keepdims=True)
    x0, y0 = _map_xy(c)
    x1, y1 = _map_xy(tip)
    d = np.stack([x1 - x0, y1 - y0], axis=1)
    ok = np.linalg.norm(d, axis=1) < 0.2  # no arrow across the seam
    d = d / np.linalg.norm(d, axis=1, keepdims=True) * (0.3 * n / n.max())[:, None]
    ax.quiver(x0[ok], y0[ok], d[ok, 0], d[ok, 1], angles="xy", scale_units="xy", scale=1, color="c",
              width=0.0025, headwidth=4)
    for k, (w, pop) in enumerate(zip(wells, pops)):
        wx, wy = _map_xy(np.array([w["direction"]]))
        ax.plot(wx, wy, marker="*", color="lime", ms=14, mec="k")
        ax.annotate(f"well {k + 1}\nθ={w['theta_deg']:.1f}°, P={pop:.3f}", (wx[0], wy[0]), xytext=(-40, -34),
                    textcoords="offset points", color="w", fontsize=9)
    ax.set_xlim(-a * 1.01, a * 1.01)
    ax.set_ylim(-b * 1.02, b * 1.02)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return tp


def make(outdir: Path) -> dict:
    """Seed 002 Fig. 1: Σ with its two wells and the ferromagnetic (precession) current of ρ_s."""
    import matplotlib.pyplot as plt

    from ..io import to_jsonable
    from ..sphere import geodesic_mesh
    from ..sphere.plot import plot_sphere3d

    res = compute(**DEFAULTS)
    mesh, rho, J = res["mesh"], res["rho"], res["J"]
    # arrows on a coarser set of cells: the generators of the level-3 mesh, located on the fine mesh
    cells = np.unique(mesh.locate(geodesic_mesh(3).centers))
    jn = np.linalg.norm(J, axis=1)
    keep = cells[jn[cells] > 0.02 * jn.max()]
    lnrho = np.log(rho)
    pops = [res["population_upper"] if w["direction"][2] > 0 else res["population_lower"] for w in res["wells"]]

    fig = plt.figure(figsize=(17, 5.6))
    gs = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.9])
    for col, (elev, label) in enumerate(((25, "upper well"), (-25, "lower well"))):
        ax3 = fig.add_subplot(gs[0, col], projection="3d")
        plot_sphere3d(mesh, lnrho, ax=ax3, cmap="magma", colorbar=False, elev=elev, azim=-60)
        view = np.array([np.cos(np.radians(elev)) * np.cos(np.radians(-60)),
                         np.cos(np.radians(elev)) * np.sin(np.radians(-60)), np.sin(np.radians(elev))])
        c = mesh.centers[keep]
        vis = c @ view > 0.1
        v = J[keep] / jn.max() * 0.25
        ax3.quiver(*(1.01 * c[vis]).T, *v[vis].T, color="c", linewidth=0.8, arrow_length_ratio=0.35)
        for k, w in enumerate(res["wells"]):
            d = np.array(w["direction"])
            if d @ view > 0:
                ax3.scatter(*(1.03 * d), color="lime", s=60, marker="*", depthshade=False, edgecolors="k")
        ax3.set_title(f"3D view, {label}: ln ρ_s and J^F")
    ax = fig.add_subplot(gs[0, 2])
    tp = _map_panel(ax, mesh, lnrho, J, keep, res["wells"], pops)
    fig.colorbar(tp, ax=ax, shrink=0.7, label="ln ρ_s (ρ per sr)")
    ax.set_title("Mollweide map, easy axis along the equator")
    p = res["params"]
    fig.suptitle(f"Seed 002 Fig. 1 — configuration sphere Σ: σ={p['sigma']:g}, h={p['h']:g}, ψ={p['psi_deg']:g}°, "
                 f"α={p['alpha']:g} ({p['n_cells']} cells); arrows: J^F = (1/2α) ρ u×∇U, "
                 f"max |J^F| = {res['max_current']:.3g} per τ_N")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / "seed002_fig1.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    out = {k: res[k] for k in ("wells", "population_upper", "population_lower", "max_current",
                               "max_current_direction", "entropy_production", "params")}
    out = to_jsonable(out)
    out["files"] = [str(path)]
    return out


FIGURES = {"seed002_fig1": make}
