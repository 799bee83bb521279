"""Catalog of the seed papers' figures: what each numbered figure shows, whether the package
reproduces it (and with which figure), and which test checks which claim.

The seed papers are the plain-text files of ``shared/seeds/`` (000 lecture notes on spintronics,
001 the spin-injection abstract of Wegrowe et al., 002 Wegrowe & Drouhin, 003 magnetization current
at junctions, 004 diffusive noncollinear spin valves).  Their images were lost in the text
extraction; the figures below were found from their captions ("Figure 1.", "FIG. 2.") and from
references to them in the text.  Seeds without any numbered figure say so in :data:`SEEDS`.

:data:`SEED_FIGURES` holds one :class:`SeedFigure` per numbered figure (plus, for seed 000, the
pictures the notes refer to without a number, marked ``numbered=False``); :data:`EXTRA_FIGURES`
lists the package figures that are not a figure of a seed.  :func:`catalog_markdown` renders both
as the head of the gallery's ``index.md``.  ``tests/figures/test_catalog.py`` checks that every
registered figure is listed and that every named test exists.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOG_HEADER", "EXTRA_FIGURES", "NOT_COMPUTABLE", "REPRODUCED", "SEEDS", "SEED_FIGURES",
           "Check", "ExtraFigure", "Seed", "SeedFigure", "catalog_markdown"]

REPRODUCED = "reproduced"
NOT_COMPUTABLE = "not computable"
CATALOG_HEADER = "## Figures of the seed papers"


@dataclass(frozen=True)
class Check:
    """A test (``"path/to/test_file.py::test_function"``, relative to the repository root) and the
    claim it asserts, with its numbers."""

    test: str
    claim: str

    @property
    def path(self) -> str:
        return self.test.split("::")[0]

    @property
    def function(self) -> str:
        return self.test.split("::")[1]


@dataclass(frozen=True)
class Seed:
    """A seed paper: its id, what it is, and a note on its figures."""

    id: str
    title: str
    note: str = ""


@dataclass(frozen=True)
class SeedFigure:
    """A figure of a seed paper and what the package does with it.

    ``status`` is :data:`REPRODUCED` (``figures`` names the package figures, ``checks`` the tests)
    or :data:`NOT_COMPUTABLE` (``reason`` says why).  ``note`` holds what a reader should know
    about the reproduction (e.g. parameters the paper does not give).
    """

    seed: str
    label: str
    description: str
    status: str
    figures: tuple = ()
    reason: str = ""
    checks: tuple = ()
    note: str = ""
    numbered: bool = True

    @property
    def claim(self) -> str:
        """One line per check, ``"file::function: claim"``; ``""`` when not reproduced."""
        if self.status != REPRODUCED:
            return ""
        return "; ".join(f"{c.test}: {c.claim}" for c in self.checks)


@dataclass(frozen=True)
class ExtraFigure:
    """A package figure that is not a figure of a seed: what it shows and where in a seed it comes from."""

    name: str
    seed: str
    source: str
    description: str
    checks: tuple = ()

    @property
    def claim(self) -> str:
        return "; ".join(f"{c.test}: {c.claim}" for c in self.checks)


SEEDS = {
    "000": Seed("000", "Lecture notes, “Magnetism on the nanoscale” (spintronics: spin injection, "
                "spin-transfer torque, LLG, spin diffusion, nonlocal valves)",
                "No numbered figure: the notes never write “Fig.” or “Figure”.  They refer to a few "
                "pictures without a number (listed below as unnumbered); §I.2 (“the metallic "
                "electrode is made of a ferromagnetic metal:”) probably introduced a spin-LED "
                "schematic too, but the text does not say so explicitly, so it is not listed."),
    "001": Seed("001", "Wegrowe, Santos, Ciornei, Drouhin, Rubí, “Magnetization reversal driven by "
                "spin-injection: a mesoscopic spin-transfer effect”",
                "No figure in the text: the seed is the abstract only (with a summary), and it "
                "refers to no figure.  Whether the full paper has figures cannot be told from it."),
    "002": Seed("002", "Wegrowe & Drouhin, “Spin-Currents and Spin-Pumping Forces for Spintronics” "
                "(2011)", "Two numbered figures (captions “Figure 1.” and “Figure 2.”)."),
    "003": Seed("003", "Magnetization current at junctions (“the magnetization current is not "
                "conserved as the junction is crossed”; title not in the text)",
                "No figure: the extracted text (abstract, body, summary, Eq. 12) neither captions "
                "nor refers to any figure."),
    "004": Seed("004", "Diffusive spin transport in noncollinear F/N/F valves: a mechanical analogy "
                "(title not in the text)",
                "Seven numbered figures (captions “FIG. 1.” to “FIG. 7.”).  The text gives numeric "
                "parameters for Fig. 6 only; Figs. 2–5 are reproduced with parameters the package "
                "chooses (reduced units, j0 = 1), so they match the paper's figures in shape and in "
                "the signs the text discusses, not point by point."),
}

_T4 = "tests/figures/test_seed004_figures.py"
_T21 = "tests/figures/test_seed002_fig1.py"

SEED_FIGURES = (
    # ---- seed 000: no numbered figure; the pictures the notes refer to without a number
    SeedFigure(
        "000", "unnumbered (§III.3.i, “the picture below”)",
        "Incoming current (plane waves) spin-polarized along u, at an angle θ to the ferromagnet's "
        "axis z; from the text, a sketch.",
        NOT_COMPUTABLE,
        reason="a schematic without numbers (image lost in the extraction; only “as in the picture "
               "below” remains)",
        numbered=False),
    SeedFigure(
        "000", "unnumbered (§III.6, nanopillar switching example)",
        "“Example of such a magnetization switching in an all-metal nanopillar "
        "(NiFe-20nm/Cu-12nm/NiFe-4,5nm)”: a measurement.",
        NOT_COMPUTABLE,
        reason="experimental data, not given in the text (image lost); the model switching "
               "trajectory seed000_switching (an extra) illustrates the mechanism, not this device",
        numbered=False),
    SeedFigure(
        "000", "unnumbered (§IV.2, Al nonlocal spin valve experiment)",
        "“The following experiment show the results find for an aluminum film at room temperature and "
        "4.2K”: nonlocal voltage against injector–detector distance (Jedema et al.).",
        NOT_COMPUTABLE,
        reason="experimental data, not given in the text: only λ_sf ≈ 350 nm (293 K) and ≈ 650 nm "
               "(4.2 K) are quoted; the extra seed000_nonlocal_valve rebuilds the measurement from the "
               "notes' formula and these two numbers with synthetic data",
        numbered=False),
    # ---- seed 002
    SeedFigure(
        "002", "Figure 1",
        "Σ configuration space of the macrospin: the two potential minima and the ferromagnetic "
        "currents (a sketch).",
        REPRODUCED, figures=("seed002_fig1",),
        checks=(
            Check(f"{_T21}::test_wells_match_stoner_wohlfarth",
                  "the two wells at θ = 4.887° and 173.042° (σ = 3, h = 0.2, ψ = 30°) match the "
                  "Stoner–Wohlfarth stationarity condition to 1e-5°, both at φ = 0"),
            Check(f"{_T21}::test_populations_match_boltzmann_quadrature",
                  "well populations of ρ_s equal a Boltzmann quadrature to 5e-5 (upper well 0.8244)"),
            Check(f"{_T21}::test_current_matches_equilibrium_precession_current",
                  "J^F equals (1/2α) ρ u × ∇U (area-weighted rms error < 4e-3, max |J^F| to 0.5 %); "
                  "entropy production < 1e-20"),
        ),
        note="The paper's figure is a sketch; the package draws it from a computed stationary state "
             "of a bistable macrospin (parameters chosen by the package)."),
    SeedFigure(
        "002", "Figure 2",
        "Spin accumulation Δμ(x) through an N/F/N junction of size ~ the spin-diffusion length, equal "
        "spin-diffusion lengths in both materials.",
        REPRODUCED, figures=("seed002_fig2",),
        checks=(
            Check("tests/transport/test_seed002_fig2.py::test_seed002_fig2",
                  "Δμ at entry/exit = ∓βJ/(g_N + g_F coth(t/2λ)) to 1e-12 (+31.42 µeV at the exit), "
                  "R_ne = β²/(g_N + g_F coth(t/2λ)) to 1e-10, extremes at the interfaces"),
        ),
        note="The caption gives no numbers (“typical size”); parameters from "
             "cases/stack_seed002_fig2.toml (λ = t_F = 30 nm, β = 0.46, J = 1e11 A/m²)."),
    # ---- seed 004
    SeedFigure(
        "004", "FIG. 1", "Spin-transfer device (F layers and N spacer, current flow).",
        NOT_COMPUTABLE, reason="a schematic of the device without numbers"),
    SeedFigure(
        "004", "FIG. 2",
        "js(x) and μs(x) at a single F/N contact; arrows show the forces of the mechanical analogy.",
        REPRODUCED, figures=("seed004_fig2",),
        checks=(
            Check(f"{_T4}::test_fig2_single_contact",
                  "μs(0) = p/(G_F + G_N) and js(0) = p G_N/(G_F + G_N) to 1e-13 (p = 0.5, G_F = 1, "
                  "G_N = 2: 1/6 and 1/3)"),
        ),
        note="Parameters not given in the paper (chosen: p = 0.5, G_F = 1, G_N = 2, l_F = 1, "
             "l_N = 2); the force arrows are not drawn."),
    SeedFigure(
        "004", "FIG. 3",
        "js(x) and μs(x) in collinear F/N/F and N/F/N structures; lower panel: the direction of the "
        "forces depends on the layer order.",
        REPRODUCED, figures=("seed004_fig3",),
        checks=(
            Check(f"{_T4}::test_fig3_collinear_structures",
                  "F/N/F: μs at the interfaces = ±p/(A + B), A = G_F + G_N coth(d/l_N), "
                  "B = G_N/sinh(d/l_N); N/F/N: ∓p/(G_N + G_F coth(d/l_F) + G_F csch(d/l_F)); "
                  "both to 1e-13 (p = 0.5, G_F = 1, G_N = 2, d = 1)"),
        ),
        note="Parameters chosen by the package; the schematic lower panel (force directions) is not "
             "drawn."),
    SeedFigure(
        "004", "FIG. 4",
        "Hodographs of μs(x) (upper, with the rods-and-rings inset) and js(x) (lower) of an F/N/F "
        "valve, both efficiency factors positive.",
        REPRODUCED, figures=("seed004_fig4_5",),
        checks=(
            Check(f"{_T4}::test_fig45_hodographs",
                  "symmetric valve (p = 0.5, d_N = l_N, θ = 60°): g1 > 0 and g2 = g1 to 1e-12; the "
                  "N-cord sags (slack > 1e-3)"),
        ),
        note="Left column of seed004_fig4_5.png; parameters chosen by the package."),
    SeedFigure(
        "004", "FIG. 5",
        "Hodographs of μs(x) and js(x) in an asymmetric valve with g2 < 0 (μ1 dragged past the rods' "
        "crossing point).",
        REPRODUCED, figures=("seed004_fig4_5",),
        checks=(
            Check(f"{_T4}::test_fig45_hodographs",
                  "asymmetric valve (p1 = 0.1, p2 = 0.9, G_N = 4, d_N = 0.5 l_N, θ = 30°): μ1 < 0 and "
                  "g2 < 0 < g1; μ1 = (A p1 − B cos θ p2)/(A² − B² cos² θ) to 1e-12; slack > 1e-4"),
        ),
        note="Right column of seed004_fig4_5.png; parameters chosen by the package."),
    SeedFigure(
        "004", "FIG. 6",
        "Asymmetric F/N/F valve: δr(d_N)/δr∞ for angles 0–90° and 90–180° (d_F ≫ l_F, G1 = G2, "
        "G_N = 4 G1, p1 = 0.1, p2 = 0.9).",
        REPRODUCED, figures=("seed004_fig6",),
        checks=(
            Check(f"{_T4}::test_fig6_dN_dependence",
                  "δr∞ = (p1²/(G1 + G_N) + p2²/(G2 + G_N))/2 to 1e-12; δr/δr∞ at d_N = 1e-6 l_N: "
                  "1.9512 (0°) and 3.0488 (180°) to 1e-5, < 1e-3 at the other angles; 1 to 1e-10 at "
                  "d_N = 30 l_N; within 3 % of 1 at d_N = 3 l_N"),
        ),
        note="The caption's parameters."),
    SeedFigure(
        "004", "FIG. 7",
        "Mechanical analogy (elastic cords and rings) of an F/N/F valve: generic angle, parallel, "
        "antiparallel; d_N ≪ l_N and d_N → 0.",
        REPRODUCED, figures=("seed004_fig7",),
        checks=(
            Check(f"{_T4}::test_fig7_mechanical_analogy",
                  "rings = (A2)'s μ1, μ2 to 1e-11; θ = 60°: both rings → the crossing linearly in d_N "
                  "(ratio 10 per decade to 1e-4); θ = 0°, 180°: rings meet (separation < 2e-7 at "
                  "d_N = 1e-6) at μ = (p1 ∓ p2)/(G1 + G2) = −0.4, 0.5; with interface springs "
                  "(G_s = 2, γ = 1/3): F rings → (p1 − γ)/(G1 + G_s) = −0.0778, "
                  "(γ − p2)/(G2 + G_s) = −0.1889 and δr → 0.0626 to 1e-5"),
        ),
        note="The paper's figure is a schematic; the package computes what it depicts: the μs "
             "hodographs (cords) and interface values (rings) of the Fig. 6 valve at θ = 60°, 0°, "
             "180° for d_N = 0.2 l_N and 1e-3 l_N, plus the analogy's prediction against d_N "
             "(ring displacement, log-log) and its extension to interface springs (circuit theory, "
             "which keeps δr finite as d_N → 0)."),
)

EXTRA_FIGURES = (
    ExtraFigure(
        "seed000_slonczewski", "000", "§III.5 (formula, no figure)",
        "Slonczewski torque magnitude η(θ) sin θ, η = q/(A + B cos θ), for B/A = 0, 0.3, 0.6, 0.9 and "
        "a symmetric valve with P = 0.4.",
        checks=(
            Check("tests/figures/test_seed000_figures.py::test_seed000_slonczewski",
                  "maximum at cos θ* = −B/A within the 0.25° grid, η sin θ/η(90°) = A/√(A² − B²) to "
                  "1e-4, η(π)/η(0) = (A + B)/(A − B) to 1e-13; P = 0.4: A = −4 + 3k, B = k, "
                  "k = (1 + P)³/(4 P^1.5)"),
        )),
    ExtraFigure(
        "seed000_switching", "000", "§III.5–6 (text; the unnumbered nanopillar picture is data)",
        "Macrospin switching trajectory at T = 0 under a Slonczewski-like torque, J = 1.2 J_c "
        "(σ = 10, α = 0.05, h = 0).",
        checks=(
            Check("tests/figures/test_seed000_switching.py::test_seed000_switching",
                  "(slow) J_c = 1 to 1e-8; switching time = closed-form axial time to 1e-8; final "
                  "u_z > 0.999; |u| drift < 1e-7"),
        )),
    ExtraFigure(
        "seed000_nonlocal_valve", "000", "§IV.2 (formula and the quoted λ_sf of Al)",
        "Nonlocal spin valve on Al: ΔR_nl(L) at 293 K and 4.2 K (exact solver, the notes' formula, "
        "synthetic data and fits of λ_sf and P), and ΔR_nl against the contact resistance "
        "(conductance mismatch).",
        checks=(
            Check("tests/figures/test_seed000_nonlocal.py::test_fit_recovers_lambda_and_P",
                  "fitted λ_sf within 3σ of 350 nm (293 K) and 650 nm (4.2 K), σ < 10 %; fitted P "
                  "within 3σ of 0.10"),
            Check("tests/figures/test_seed000_nonlocal.py::"
                  "test_exact_solver_matches_the_notes_formula_for_tunnel_contacts",
                  "R_c/R_N > 100; exact solver vs the notes' formula < 1e-2 (measured 7.4e-5); vs "
                  "Takahashi–Maekawa < 1e-9"),
            Check("tests/figures/test_seed000_nonlocal.py::"
                  "test_transparent_over_tunnel_ratio_equals_the_closed_forms",
                  "transparent/tunnel ratio = Takahashi–Maekawa to 1e-10 (measured 0.9232); below "
                  "0.1 of p_F² R_N e^-1 (conductance mismatch)"),
        )),
    ExtraFigure(
        "seed001_barrier", "001", "abstract (“effective energy barrier and critical current”)",
        "Effective barrier E_eff(J) and critical current from Arrhenius fits of exact Fokker–Planck "
        "escape rates: axial χ ∝ cos θ, and a field at 30° from the easy axis.",
        checks=(
            Check("tests/figures/test_seed001_figures.py::test_seed001_barrier",
                  "(slow) axial: b = 2 within 3σ (σ_b < 0.01), J_c = 1 − h = 0.9 within 3σ "
                  "(σ < 0.005), E0 = σ(1 − h)² = 32.4 k_BT to 5e-4; oblique: J_c(T=0) in (0.5, 1.5), "
                  "exponent at that J_c in (1, 4), free fit fails its check"),
        )),
    ExtraFigure(
        "seed002_spin_pumping", "002", "§6 (spin transfer from spin-pumping forces, generalized LLG; no figure)",
        "DC voltage pumped by a precessing Co free layer in a Co/Cu/Co pillar against cone angle, at "
        "2–20 GHz.",
        checks=(
            Check("tests/figures/test_seed002_pumping.py::test_pumping_figure",
                  "V(90°, 10 GHz) = (ħ/2e) ω τ̂_z of an independent torque solve to 1e-10; maximum "
                  "at 120–150° (measured 138°); V ∝ f to 1e-18 V"),
        )),
    ExtraFigure(
        "seed003_junction", "003", "Eqs. 3–4 (tunnel limit), the parallel-circuit metallic limit and Eq. 12 (no figure)",
        "Magnetization currents J_M^L, J_M^R and the torques of their deposit against the angle Φ between "
        "the magnets: tunnel junction (P_L = 0.5, P_R = 0.3) and metallic junction of equal materials "
        "(β = 0.46) with seed Eq. 12.",
        checks=(
            Check("tests/figures/test_seed003_figures.py::test_tunnel_curves_match_julliere_slonczewski",
                  "J = GV(1 + P_L P_R cos Φ), J_M^L = GV(P_L + P_R cos Φ), J_M^R = GV(P_R + P_L cos Φ), "
                  "torques GV P_L sin Φ and −GV P_R sin Φ to 1e-12 GV at 0–180°"),
            Check("tests/figures/test_seed003_figures.py::test_collinear_tunnel_conserves_and_has_no_torque",
                  "at 0° and 180° no torque and J_M^L m_L = J_M^R m_R; at 90° J_M^R − J_M^L = GV(P_R − P_L)"),
            Check("tests/figures/test_seed003_figures.py::test_metallic_curves",
                  "J_M = βJ on both sides, deposit 2βJ sin(Φ/2) = Eq. 12 at ξ → ∞, torques ±βJ tan(Φ/2)"),
        )),
)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _checks(checks) -> str:
    return "<br>".join(f"`{c.test}`: {_cell(c.claim)}" for c in checks)


def catalog_markdown() -> str:
    """The catalog as Markdown: a section per seed with a table of its figures, then the extras."""
    lines = [CATALOG_HEADER, "",
             "Every numbered figure of every seed paper, whether the package reproduces it, and what "
             "its test checks.  Figures the package makes that are not a seed figure are listed at "
             "the end.", ""]
    head = ["| figure | the paper's figure | status | package figure | what the test checks |",
            "|---|---|---|---|---|"]
    for sid, seed in SEEDS.items():
        lines += [f"### Seed {sid}: {_cell(seed.title)}", ""]
        if seed.note:
            lines += [seed.note, ""]
        rows = [f for f in SEED_FIGURES if f.seed == sid]
        if not rows:
            continue
        lines += head
        for f in rows:
            if f.status == REPRODUCED:
                status = REPRODUCED
                figs = ", ".join(f"`{n}`" for n in f.figures)
                what = _checks(f.checks)
            else:
                status = f"{NOT_COMPUTABLE}: {_cell(f.reason)}"
                figs, what = "", ""
            desc = _cell(f.description) + (f" *{_cell(f.note)}*" if f.note else "")
            lines.append(f"| {_cell(f.label)} | {desc} | {status} | {figs} | {what} |")
        lines.append("")
    lines += ["### Package figures that are not a seed figure", "",
              "| package figure | seed | source in the seed | what it shows | what the test checks |",
              "|---|---|---|---|---|"]
    for e in EXTRA_FIGURES:
        lines.append(f"| `{e.name}` | {e.seed} | {_cell(e.source)} | {_cell(e.description)} | "
                     f"{_checks(e.checks)} |")
    lines.append("")
    return "\n".join(lines)
